#include "views/nav_view.h"

#include <algorithm>

#include "imgui.h"

namespace skema::ui {

const std::vector<std::string>& areaIds() {
  static const std::vector<std::string> kAreas = {"outreach", "psychology", "training", "advisory"};
  return kAreas;
}

NavView::Result NavView::draw(UiContext& ctx, const std::vector<std::shared_ptr<const Form>>& forms,
                              bool haveStore) {
  Result result;
  const float s = ctx.scale;
  std::vector<std::string> areas = areaIds();
  for (const auto& f : forms)
    if (std::find(areas.begin(), areas.end(), f->area()) == areas.end()) areas.push_back(f->area());

  for (const auto& area : areas) {
    const std::string key = "area." + area;
    ImGui::PushFont(ctx.fontBold);
    ImGui::SetNextItemOpen(true, ImGuiCond_Once);
    const bool open = ImGui::TreeNodeEx(area.c_str(), ImGuiTreeNodeFlags_SpanAvailWidth | ImGuiTreeNodeFlags_NoTreePushOnOpen,
                                        "%s", ctx.tr.has(key) ? ctx.t(key) : area.c_str());
    ImGui::PopFont();
    if (!open) continue;
    ImGui::Indent(10 * s);
    int count = 0;
    for (const auto& f : forms) {
      if (f->area() != area) continue;
      ++count;
      const bool sel = selectedForm == f->id;
      const std::string title = localized(f->title, ctx.lang);
      if (ImGui::Selectable((title + "##" + f->id).c_str(), sel)) {
        selectedForm = f->id;
        result = {haveStore ? Pick::Records : Pick::NewRecord, f->id};
      }
      if (ImGui::IsItemHovered()) {
        // A title cut at the panel's edge is shown whole, above the id.
        if (ImGui::CalcTextSize(title.c_str()).x > ImGui::GetItemRectSize().x)
          ImGui::SetTooltip("%s\n%s v%d", title.c_str(), f->id.c_str(), f->version);
        else
          ImGui::SetTooltip("%s v%d", f->id.c_str(), f->version);
      }
      if (sel) {
        ImGui::Indent(14 * s);
        if (ImGui::Selectable(ctx.t("nav.new_record"), false)) result = {Pick::NewRecord, f->id};
        if (haveStore && ImGui::Selectable(ctx.t("nav.records"), false)) result = {Pick::Records, f->id};
        ImGui::Unindent(14 * s);
      }
    }
    if (count == 0) ImGui::TextDisabled("%s", ctx.t("nav.no_forms"));
    ImGui::Unindent(10 * s);
    ImGui::Spacing();
  }
  return result;
}

}  // namespace skema::ui
