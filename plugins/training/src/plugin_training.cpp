// The training plugin: its forms (forms/training), indicators and views.
#include <cstdio>
#include <string>

#include "skema/plugin.h"
#include "training_logic.h"

namespace skema::training {
#ifdef SKEMA_AREA_HAVE_VIEWS
int registerViews(const skema_host_api* api);  // training_views.cpp
#else
int registerViews(const skema_host_api*) { return SKEMA_OK; }  // built without the workbench
#endif
}  // namespace skema::training

namespace {

using namespace skema::training;
using skema::area::IndicatorDef;
using ByForm = std::map<std::string, Records>;

const char* const kEvent = "training.event";
const char* const kEval = "training.evaluation";

const Records& of(const ByForm& m, const char* form) { return skema::area::recordsOf(m, form); }

const skema_text kTypeL[] = {{"en", "Events by type"}, {"da", "Arrangementer efter type"}, {nullptr, nullptr}};
const skema_text kMuniL[] = {{"en", "Events by municipality"}, {"da", "Arrangementer efter kommune"}, {nullptr, nullptr}};
const skema_text kBookL[] = {{"en", "Booking contacts per booked event"},
                             {"da", "Bookingkontakter pr. booket arrangement"}, {nullptr, nullptr}};
const skema_text kPartL[] = {{"en", "Participants"}, {"da", "Deltagere"}, {nullptr, nullptr}};
const skema_text kEvalL[] = {{"en", "Evaluation per item"}, {"da", "Evaluering pr. spørgsmål"}, {nullptr, nullptr}};

const std::vector<IndicatorDef>& indicators() {
  static const std::vector<IndicatorDef> defs = {
      {"training.events_by_type", kTypeL, {kEvent},
       [](const ByForm& m, const Filter& f) { return eventsByType(of(m, kEvent), f).toJson(); }},
      {"training.events_by_municipality", kMuniL, {kEvent},
       [](const ByForm& m, const Filter& f) { return eventsByMunicipality(of(m, kEvent), f).toJson(); }},
      {"training.booking_effort", kBookL, {kEvent},
       [](const ByForm& m, const Filter& f) { return json(bookingEffort(of(m, kEvent), f)); }},
      {"training.participants", kPartL, {kEvent},
       [](const ByForm& m, const Filter& f) { return json(participants(of(m, kEvent), f)); }},
      {"training.evaluation_summary", kEvalL, {kEval, kEvent},
       [](const ByForm& m, const Filter& f) { return evaluationSummary(of(m, kEval), of(m, kEvent), f).toJson(); }},
  };
  return defs;
}

int trainingInit(const skema_host_api* api, char* error, size_t errorSize) {
  return skema::area::initArea(api, "training", indicators(), registerViews, error, errorSize);
}

}  // namespace

SKEMA_PLUGIN("training", "Training", "1.0.0",
             "Theme days and courses: events, booking effort, participants, evaluations", trainingInit, nullptr)
