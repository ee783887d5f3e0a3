// The training dashboard (ImGui, the host's copy).
#include "imgui.h"
#include "skema_area/area_views.h"
#include "training_logic.h"

namespace skema::training {

namespace {

using area::text;

struct State {
  area::DashboardState bar;
  json byType, byMuni, effort, people, evals;
  void compute(const skema_host_api* api) {
    const auto f = bar.filter();
    const Records& e = bar.records["training.event"];
    using W = area::ValueWords;
    byType = area::presentTable(api, eventsByType(e, f).toJson(), {W{"event_type", "training.event", "event_type"}});
    byMuni = area::presentTable(api, eventsByMunicipality(e, f).toJson(),
                                {W{"municipality", "training.event", "municipality"}});
    effort = bookingEffort(e, f);
    people = participants(e, f);
    // The items are fields of the evaluation form: their labels name them.
    evals = area::presentTable(api, evaluationSummary(bar.records["training.evaluation"], e, f).toJson(),
                               {W{"item", "training.evaluation", ""}});
  }
};

int drawDashboard(const skema_host_api* api, const skema_ui_context* ui, void*) {
  if (!area::bindImGui(ui)) return SKEMA_ERR_UNSUPPORTED;
  static State s;
  if (s.bar.drawBar(api, ui, {"training.event", "training.evaluation"})) s.compute(api);
  const float half = ImGui::GetContentRegionAvail().x * 0.5f;
  ImGui::BeginChild("##training.left", ImVec2(half - 4, 0));
  area::heading(text(api, "training.dashboard.indicators"));
  area::drawFigure(text(api, "training.dashboard.participants"), s.people);
  area::drawFigure(text(api, "training.dashboard.effort"), s.effort);
  area::heading(text(api, "training.dashboard.by_type"));
  area::drawTable("##bytype", s.byType);
  area::heading(text(api, "training.dashboard.evaluation"));
  area::drawTable("##evals", s.evals);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("##training.right", ImVec2(0, 0));
  area::heading(text(api, "training.dashboard.by_municipality"));
  area::drawTable("##bymuni", s.byMuni, ImGui::GetContentRegionAvail().y - 8);
  ImGui::EndChild();
  return SKEMA_OK;
}

const skema_text kTitles[] = {{"en", "Training dashboard"}, {"da", "Undervisning: overblik"}, {nullptr, nullptr}};

}  // namespace

int registerViews(const skema_host_api* api) {
  return area::registerDashboard(api, "training.view.dashboard", kTitles, drawDashboard);
}

}  // namespace skema::training
