// The outreach area's figures, as plain functions over records
// (outreach.visit, outreach.call, outreach.clinic). No ImGui, no host: the
// plugin's indicators and views call them, the tests call them directly.
//
// Definitions (docs/plugins.md, "Area plugins"):
//  - a visit is an outreach.visit record; its date is values.date;
//  - a conversation is one `persons` row of a visit where a conversation was
//    held (had_conversation = 1), or one outreach.call;
//  - a person's conversations are those rows and the calls carrying that
//    person_code; the single-conversation share is the percentage of the
//    persons with at least one conversation in the period who had exactly one;
//  - referrals count each kind chosen per person row of a visit and per call
//    ("none" is not a referral).
#pragma once
#include <map>
#include <string>
#include <vector>

#include "skema_area/area.h"

namespace skema::outreach {

using area::Filter;
using area::json;
using area::Records;
using area::Table;

long visitCount(const Records& visits, const Filter& f);
long conversationCount(const Records& visits, const Records& calls, const Filter& f);
// person code -> number of conversations in the filter.
std::map<std::string, long> conversationsPerPerson(const Records& visits, const Records& calls, const Filter& f);
// Percent (one decimal) of persons with exactly one conversation; 0 when none.
double singleConversationShare(const Records& visits, const Records& calls, const Filter& f);
// [kind, referrals], by kind.
Table referralsByKind(const Records& visits, const Records& calls, const Filter& f);
// [phase, visits].
Table visitsByPhase(const Records& visits, const Filter& f);

// The clinic register: one row per clinic (register code, else its name),
// sorted by municipality then clinic:
// [municipality, clinic, code, status, status_date, last_visit, visits].
// Status is the latest clinic record's (up to the period's end); visits are
// outreach.visit records in the period whose clinic_ref names the clinic
// (its name, case-insensitive, or its register code). Office filters clinics.
Table clinicRegister(const Records& clinics, const Records& visits, const Filter& f);

// Persons with conversations: [person, conversations, first, last, last_phase].
Table personsOverview(const Records& visits, const Records& calls, const Filter& f);
// One person's contacts across phases, oldest first:
// [date, kind, phase, outcome, topics, referrals].
Table personTimeline(const Records& visits, const Records& calls, const std::string& person, const Filter& f);

}  // namespace skema::outreach
