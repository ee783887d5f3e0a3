// The advisory dashboard (ImGui, the host's copy).
#include "advisory_logic.h"
#include "imgui.h"
#include "skema_area/area_views.h"

namespace skema::advisory {

std::string today();  // plugin_advisory.cpp

namespace {

using area::text;

struct State {
  area::DashboardState bar;
  json count, muni, auth, type, month, due;
  void compute(const skema_host_api* api) {
    const auto f = bar.filter();
    const Records& r = bar.records["advisory.inquiry"];
    count = inquiryCount(r, f);
    using W = area::ValueWords;
    constexpr const char* form = "advisory.inquiry";
    muni = area::presentTable(api, byMunicipality(r, f).toJson(), {W{"municipality", form, "municipality"}});
    auth = area::presentTable(api, byAuthority(r, f).toJson(), {W{"authority", form, "authority"}});
    type = area::presentTable(api, byType(r, f).toJson(), {W{"inquiry_type", form, "inquiry_types"}});
    month = area::presentTable(api, byMonth(r, f).toJson());
    due = area::presentTable(api, followUpsDue(r, f, today()).toJson(),
                             {W{"office", form, "office"}, W{"municipality", form, "municipality"},
                              W{"authority", form, "authority"}, W{"overdue", form, "follow_up_needed"}});
  }
};

int drawDashboard(const skema_host_api* api, const skema_ui_context* ui, void*) {
  if (!area::bindImGui(ui)) return SKEMA_ERR_UNSUPPORTED;
  static State s;
  if (s.bar.drawBar(api, ui, {"advisory.inquiry"})) s.compute(api);
  const float w = ImGui::GetContentRegionAvail().x / 3.0f;
  area::drawFigure(text(api, "advisory.dashboard.inquiries"), s.count);
  ImGui::BeginChild("##adv.1", ImVec2(w - 4, 0));
  area::heading(text(api, "advisory.dashboard.by_type"));
  area::drawTable("##type", s.type);
  area::heading(text(api, "advisory.dashboard.by_authority"));
  area::drawTable("##auth", s.auth);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("##adv.2", ImVec2(w - 4, 0));
  area::heading(text(api, "advisory.dashboard.by_month"));
  area::drawTable("##month", s.month, 260 * ui->scale);
  area::heading(text(api, "advisory.dashboard.by_municipality"));
  area::drawTable("##muni", s.muni, ImGui::GetContentRegionAvail().y - 8);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("##adv.3", ImVec2(0, 0));
  area::heading(text(api, "advisory.dashboard.follow_ups"));
  area::drawTable("##due", s.due, ImGui::GetContentRegionAvail().y - 8);
  ImGui::EndChild();
  return SKEMA_OK;
}

const skema_text kTitles[] = {{"en", "Advisory dashboard"}, {"da", "Rådgivning: overblik"}, {nullptr, nullptr}};

}  // namespace

int registerViews(const skema_host_api* api) {
  return area::registerDashboard(api, "advisory.view.dashboard", kTitles, drawDashboard);
}

}  // namespace skema::advisory
