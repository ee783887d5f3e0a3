// The outreach plugin: its forms (forms/outreach), indicators and views.
// Figures come from outreach_logic.h; views from outreach_views.cpp.
#include <cstdio>
#include <string>

#include "outreach_logic.h"
#include "skema/plugin.h"

namespace skema::outreach {
#ifdef SKEMA_AREA_HAVE_VIEWS
int registerViews(const skema_host_api* api);  // outreach_views.cpp
#else
int registerViews(const skema_host_api*) { return SKEMA_OK; }  // built without the workbench
#endif
}  // namespace skema::outreach

namespace {

using namespace skema::outreach;
using skema::area::Filter;
using skema::area::IndicatorDef;
using skema::area::json;
using skema::area::Records;
using ByForm = std::map<std::string, Records>;

const char* const kVisit = "outreach.visit";
const char* const kCall = "outreach.call";
const char* const kClinic = "outreach.clinic";

const Records& of(const ByForm& m, const char* form) { return skema::area::recordsOf(m, form); }

const skema_text kVisitsL[] = {{"en", "Visits"}, {"da", "Besøg"}, {nullptr, nullptr}};
const skema_text kConvL[] = {{"en", "Conversations"}, {"da", "Samtaler"}, {nullptr, nullptr}};
const skema_text kSingleL[] = {{"en", "Persons with a single conversation (%)"},
                               {"da", "Personer med én samtale (%)"}, {nullptr, nullptr}};
const skema_text kRefL[] = {{"en", "Referrals by kind"}, {"da", "Henvisninger efter type"}, {nullptr, nullptr}};
const skema_text kPhaseL[] = {{"en", "Visits by phase"}, {"da", "Besøg efter fase"}, {nullptr, nullptr}};
const skema_text kClinicL[] = {{"en", "Clinic register"}, {"da", "Klinikregister"}, {nullptr, nullptr}};
const skema_text kPersonsL[] = {{"en", "Persons and their contacts"}, {"da", "Personer og deres kontakter"},
                                {nullptr, nullptr}};

const std::vector<IndicatorDef>& indicators() {
  static const std::vector<IndicatorDef> defs = {
      {"outreach.visits", kVisitsL, {kVisit},
       [](const ByForm& m, const Filter& f) { return json(visitCount(of(m, kVisit), f)); }},
      {"outreach.conversations", kConvL, {kVisit, kCall},
       [](const ByForm& m, const Filter& f) { return json(conversationCount(of(m, kVisit), of(m, kCall), f)); }},
      {"outreach.single_conversation_share", kSingleL, {kVisit, kCall},
       [](const ByForm& m, const Filter& f) {
         return json(singleConversationShare(of(m, kVisit), of(m, kCall), f));
       }},
      {"outreach.referrals_by_kind", kRefL, {kVisit, kCall},
       [](const ByForm& m, const Filter& f) { return referralsByKind(of(m, kVisit), of(m, kCall), f).toJson(); }},
      {"outreach.visits_by_phase", kPhaseL, {kVisit},
       [](const ByForm& m, const Filter& f) { return visitsByPhase(of(m, kVisit), f).toJson(); }},
      {"outreach.clinic_register", kClinicL, {kClinic, kVisit},
       [](const ByForm& m, const Filter& f) { return clinicRegister(of(m, kClinic), of(m, kVisit), f).toJson(); }},
      {"outreach.persons", kPersonsL, {kVisit, kCall},
       [](const ByForm& m, const Filter& f) { return personsOverview(of(m, kVisit), of(m, kCall), f).toJson(); }},
  };
  return defs;
}

int outreachInit(const skema_host_api* api, char* error, size_t errorSize) {
  return skema::area::initArea(api, "outreach", indicators(), registerViews, error, errorSize);
}

}  // namespace

SKEMA_PLUGIN("outreach", "Outreach", "1.0.0",
             "Outreach visits, counselling calls and the clinic register: dashboard, timelines, indicators",
             outreachInit, nullptr)
