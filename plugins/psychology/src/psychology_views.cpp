// The psychology dashboard (ImGui, the host's copy): caseload, courses
// session by session, outcomes and the change in the rating scales.
#include "imgui.h"
#include "psychology_logic.h"
#include "skema_area/area_views.h"

namespace skema::psychology {

namespace {

using area::text;

struct State {
  area::DashboardState bar;
  json caseloadT, coursesT, outcomesT, scalesT;
  void compute(const skema_host_api* api) {
    const auto f = bar.filter();
    const Records& s = bar.records["psychology.session"];
    const Records& o = bar.records["psychology.outcome"];
    caseloadT = caseload(s, o, f).toJson();
    using W = area::ValueWords;
    caseloadT = area::presentTable(api, caseloadT);
    coursesT = area::presentTable(api, courses(s, o, f).toJson(), {W{"office", "psychology.session", "office"}});
    outcomesT = area::presentTable(api, outcomeSummary(o, f).toJson(), {W{"outcome", "psychology.outcome", "outcome"}});
    // The scales are fields of the session form: their labels name them.
    scalesT = area::presentTable(api, scaleChange(s, o, f).toJson(), {W{"scale", "psychology.session", ""}});
  }
};

int drawDashboard(const skema_host_api* api, const skema_ui_context* ui, void*) {
  if (!area::bindImGui(ui)) return SKEMA_ERR_UNSUPPORTED;
  static State s;
  if (s.bar.drawBar(api, ui, {"psychology.session", "psychology.outcome"})) s.compute(api);
  const float half = ImGui::GetContentRegionAvail().x * 0.5f;
  ImGui::BeginChild("##psy.left", ImVec2(half - 4, 0));
  area::heading(text(api, "psychology.dashboard.scales"));
  area::drawTable("##scales", s.scalesT);
  area::heading(text(api, "psychology.dashboard.outcomes"));
  area::drawTable("##outcomes", s.outcomesT);
  area::heading(text(api, "psychology.dashboard.caseload"));
  area::drawTable("##caseload", s.caseloadT, 330 * ui->scale);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("##psy.right", ImVec2(0, 0));
  area::heading(text(api, "psychology.dashboard.courses"));
  area::drawTable("##courses", s.coursesT, ImGui::GetContentRegionAvail().y - 8);
  ImGui::EndChild();
  return SKEMA_OK;
}

const skema_text kTitles[] = {{"en", "Psychology dashboard"}, {"da", "Psykologordningen: overblik"}, {nullptr, nullptr}};

}  // namespace

int registerViews(const skema_host_api* api) {
  return area::registerDashboard(api, "psychology.view.dashboard", kTitles, drawDashboard);
}

}  // namespace skema::psychology
