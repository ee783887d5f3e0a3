// The psychologist scheme's figures, as plain functions over records
// (psychology.session, psychology.outcome). No ImGui, no host.
//
// A course is one client (person_code) with one psychologist. Its office is
// the referring office given at session 1 (or at the outcome). Period
// filters apply to the session's (or outcome's) date; the office filter to
// the course's office.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "skema_area/area.h"

namespace skema::psychology {

using area::Filter;
using area::json;
using area::Records;
using area::Table;

// course key ("person|psychologist") -> referring office.
std::map<std::string, std::string> courseOffices(const Records& sessions, const Records& outcomes);

// [psychologist, clients, open_courses, attended, cancelled, no_show]: clients
// with a session in the filter; open = no outcome recorded for the course.
Table caseload(const Records& sessions, const Records& outcomes, const Filter& f);
// One row per course: [client, psychologist, office, sessions, attended,
// cancelled, no_show, ended]. `sessions` is 11 characters, one per session
// number: A attended, C cancelled, N no-show, . not registered.
Table courses(const Records& sessions, const Records& outcomes, const Filter& f);
// [outcome, courses] from psychology.outcome.
Table outcomeSummary(const Records& outcomes, const Filter& f);
// [scale, clients, first, last, change]: per course, the attended session
// with the lowest and the highest session number that rated the scale
// (courses with two or more such sessions); means over courses, 2 decimals.
Table scaleChange(const Records& sessions, const Records& outcomes, const Filter& f);

}  // namespace skema::psychology
