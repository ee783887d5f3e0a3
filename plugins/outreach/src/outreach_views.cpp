// The outreach dashboard (ImGui, the host's copy): indicators, the clinic
// register and a person's timeline, over the records of the open workspace.
#include <cstring>

#include "imgui.h"
#include "outreach_logic.h"
#include "skema_area/area_views.h"

namespace skema::outreach {

namespace {

using area::text;
constexpr const char* kVisit = "outreach.visit";
constexpr const char* kCall = "outreach.call";
constexpr const char* kClinic = "outreach.clinic";

struct State {
  area::DashboardState bar;
  json visits, conversations, single, referrals, phases, clinics, persons, timeline;
  std::string person;
  void compute(const skema_host_api* api) {
    const auto f = bar.filter();
    const Records& v = bar.records["outreach.visit"];
    const Records& c = bar.records["outreach.call"];
    visits = visitCount(v, f);
    conversations = conversationCount(v, c, f);
    single = singleConversationShare(v, c, f);
    using W = area::ValueWords;
    referrals = area::presentTable(api, referralsByKind(v, c, f).toJson(), {W{"referral", kVisit, "referrals"}});
    phases = area::presentTable(api, visitsByPhase(v, f).toJson(), {W{"phase", kVisit, "phase"}});
    clinics = area::presentTable(api, clinicRegister(bar.records["outreach.clinic"], v, f).toJson(),
                                 {W{"municipality", kClinic, "municipality"}, W{"status", kClinic, "status"}});
    persons = personsOverview(v, c, f).toJson();
    if (person.empty() && !persons["rows"].empty()) {
      // Start with the person with the most contacts: the longest course.
      long best = -1;
      for (const auto& r : persons["rows"])
        if (r[1].get<long>() > best) best = r[1].get<long>(), person = r[0].get<std::string>();
    }
    // A visit's outcome is its contact outcomes, a call's its channel.
    timeline = area::presentTable(api, personTimeline(v, c, person, f).toJson(),
                                  {W{"kind", "", "dashboard.kind"}, W{"phase", kVisit, "phase"},
                                   W{"outcome", kVisit, "contact_outcome"}, W{"outcome", kCall, "channel"},
                                   W{"topics", kVisit, "topics"}, W{"referrals", kVisit, "referrals"}});
  }
};

State& state() {
  static State s;
  return s;
}

int drawDashboard(const skema_host_api* api, const skema_ui_context* ui, void*) {
  if (!area::bindImGui(ui)) return SKEMA_ERR_UNSUPPORTED;
  State& s = state();
  if (s.bar.drawBar(api, ui, {"outreach.visit", "outreach.call", "outreach.clinic"})) s.compute(api);

  const float half = ImGui::GetContentRegionAvail().x * 0.5f;
  ImGui::BeginChild("##outreach.left", ImVec2(half - 4, 0));
  area::heading(text(api, "outreach.dashboard.indicators"));
  area::drawFigure(text(api, "outreach.dashboard.visits"), s.visits);
  area::drawFigure(text(api, "outreach.dashboard.conversations"), s.conversations);
  area::drawFigure(text(api, "outreach.dashboard.single"), s.single);
  area::heading(text(api, "outreach.dashboard.by_phase"));
  area::drawTable("##phases", s.phases);
  area::heading(text(api, "outreach.dashboard.referrals"));
  area::drawTable("##referrals", s.referrals, 220 * ui->scale);
  area::heading(text(api, "outreach.dashboard.clinics"));
  area::drawTable("##clinics", s.clinics, 300 * ui->scale);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("##outreach.right", ImVec2(0, 0));
  area::heading(text(api, "outreach.dashboard.persons"));
  const auto& rows = s.persons["rows"];
  if (ImGui::BeginListBox("##persons", ImVec2(-1, 200 * ui->scale))) {
    for (const auto& r : rows) {
      const std::string code = r[0].get<std::string>();
      char label[96];
      std::snprintf(label, sizeof label, "%s  (%ld)", code.c_str(), r[1].get<long>());
      if (ImGui::Selectable(label, code == s.person)) {
        s.person = code;
        s.compute(api);
      }
    }
    ImGui::EndListBox();
  }
  area::heading((std::string(text(api, "outreach.dashboard.timeline")) + " " + s.person).c_str());
  area::drawTable("##timeline", s.timeline);
  ImGui::EndChild();
  return SKEMA_OK;
}

const skema_text kTitles[] = {{"en", "Outreach dashboard"}, {"da", "Opsøgende arbejde: overblik"}, {nullptr, nullptr}};

}  // namespace

int registerViews(const skema_host_api* api) {
  return area::registerDashboard(api, "outreach.view.dashboard", kTitles, drawDashboard);
}

}  // namespace skema::outreach
