// The psychology plugin: its forms (forms/psychology), indicators and views.
#include <cstdio>
#include <string>

#include "psychology_logic.h"
#include "skema/plugin.h"

namespace skema::psychology {
#ifdef SKEMA_AREA_HAVE_VIEWS
int registerViews(const skema_host_api* api);  // psychology_views.cpp
#else
int registerViews(const skema_host_api*) { return SKEMA_OK; }  // built without the workbench
#endif
}  // namespace skema::psychology

namespace {

using namespace skema::psychology;
using skema::area::IndicatorDef;
using ByForm = std::map<std::string, Records>;

const char* const kSession = "psychology.session";
const char* const kOutcome = "psychology.outcome";

const Records& of(const ByForm& m, const char* form) { return skema::area::recordsOf(m, form); }

const skema_text kCaseloadL[] = {{"en", "Caseload per psychologist"}, {"da", "Klienter pr. psykolog"}, {nullptr, nullptr}};
const skema_text kCoursesL[] = {{"en", "Courses (sessions 1-11)"}, {"da", "Forløb (samtale 1-11)"}, {nullptr, nullptr}};
const skema_text kOutcomesL[] = {{"en", "Outcomes of ended courses"}, {"da", "Udbytte af afsluttede forløb"}, {nullptr, nullptr}};
const skema_text kScalesL[] = {{"en", "Rating scales, first to last session"},
                               {"da", "Skalaer, første til sidste samtale"}, {nullptr, nullptr}};

const std::vector<IndicatorDef>& indicators() {
  static const std::vector<IndicatorDef> defs = {
      {"psychology.caseload", kCaseloadL, {kSession, kOutcome},
       [](const ByForm& m, const Filter& f) { return caseload(of(m, kSession), of(m, kOutcome), f).toJson(); }},
      {"psychology.courses", kCoursesL, {kSession, kOutcome},
       [](const ByForm& m, const Filter& f) { return courses(of(m, kSession), of(m, kOutcome), f).toJson(); }},
      {"psychology.outcomes", kOutcomesL, {kOutcome},
       [](const ByForm& m, const Filter& f) { return outcomeSummary(of(m, kOutcome), f).toJson(); }},
      {"psychology.scale_change", kScalesL, {kSession, kOutcome},
       [](const ByForm& m, const Filter& f) { return scaleChange(of(m, kSession), of(m, kOutcome), f).toJson(); }},
  };
  return defs;
}

int psychologyInit(const skema_host_api* api, char* error, size_t errorSize) {
  return skema::area::initArea(api, "psychology", indicators(), registerViews, error, errorSize);
}

}  // namespace

SKEMA_PLUGIN("psychology", "Psychology", "1.0.0",
             "The psychologist scheme: caseload, courses, outcomes and rating-scale change",
             psychologyInit, nullptr)
