// The training area's figures, as plain functions over records
// (training.event, training.evaluation). No ImGui, no host.
//
// Period: the event's (evaluation's) date. Office: the event's office; an
// evaluation has none and takes its event's (joined on event_code), so with
// an office filter evaluations of unknown events are left out.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "skema_area/area.h"

namespace skema::training {

using area::Filter;
using area::json;
using area::Records;
using area::Table;

// The seven Likert items of training.evaluation, in form order.
const std::vector<std::string>& evaluationItems();

// [event_type, held, planned, cancelled, participants]
Table eventsByType(const Records& events, const Filter& f);
// [municipality, held, planned, cancelled, participants]
Table eventsByMunicipality(const Records& events, const Filter& f);
// Mean booking contacts (calls + mails) per booked event (held or
// planned), 2 decimals; 0 when there is none.
double bookingEffort(const Records& events, const Filter& f);
// Participants at held events.
long participants(const Records& events, const Filter& f);
// [item, answers, mean, agree_pct]: answers 1-5, mean (2 decimals), share
// of 4 or 5 in percent (1 decimal).
Table evaluationSummary(const Records& evaluations, const Records& events, const Filter& f);

}  // namespace skema::training
