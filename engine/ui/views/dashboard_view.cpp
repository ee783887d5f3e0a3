// An area's dashboard: every view the area's plugin registered
// ("<area>.view.*"), drawn in the workbench's main region with the host's
// ImGui context and allocator and the open workspace's final records.
#include <cstdio>

#include "imgui.h"
#include "plugin/store_record_source.h"
#include "views/plugins_view.h"

namespace skema::ui {

void PluginsUi::drawDashboard(const UiContext& ctx, store::Store* store) {
  std::unique_ptr<plugin::StoreRecordSource> records;
  if (store) records = std::make_unique<plugin::StoreRecordSource>(*store);
  plugin::ViewDrawContext dc;
  dc.imguiContext = ImGui::GetCurrentContext();
  ImGuiMemAllocFunc allocFn = nullptr;
  ImGuiMemFreeFunc freeFn = nullptr;
  ImGui::GetAllocatorFunctions(&allocFn, &freeFn, &dc.imguiAllocUser);
  dc.imguiAlloc = allocFn;
  dc.imguiFree = freeFn;
  dc.imguiVersion = IMGUI_VERSION;
  dc.language = ctx.lang;
  dc.scale = ctx.scale;
  dc.records = records.get();

  int shown = 0;
  for (const auto& v : registry.views()) {
    if (v.owner != area) continue;
    ++shown;
    ImGui::PushFont(ctx.fontTitle);
    ImGui::TextUnformatted(plugin::pickLabel(v.titles, ctx.lang, v.id).c_str());
    ImGui::PopFont();
    if (!store)
      ImGui::TextDisabled("%s", ctx.t("dashboard.view.no_workspace"));
    ImGui::PushID(v.id.c_str());
    ImGui::BeginChild("##view", ImVec2(0, 0));
    const std::string err = registry.drawView(v.id, dc);
    if (!err.empty()) ImGui::TextColored(ImVec4(0.75f, 0.1f, 0.1f, 1), "%s", err.c_str());
    ImGui::EndChild();
    ImGui::PopID();
  }
  if (shown == 0)
    ImGui::TextDisabled("%s", ctx.tr.format("dashboard.view.not_loaded", {area}).c_str());
}

}  // namespace skema::ui
