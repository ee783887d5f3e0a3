// [SECTION] index
//  - loading and unloading
//  - Help → Plugins window
//  (the dashboards are in dashboard_view.cpp)
#include "views/plugins_view.h"

#include <set>

#include "imgui.h"
#include "plugin/expr_bridge.h"
#include "expr/functions.h"
#include "util/text.h"

namespace skema::ui {

// [SECTION] loading and unloading

PluginsUi::PluginsUi(const Translator* tr, const std::vector<std::string>& dirs) {
  sink = std::make_unique<plugin::ExprFunctionSink>(expr::FunctionRegistry::global());
  registry.setFunctionSink(sink.get());
  plugin::LoaderOptions lo;
  // The area dashboards' strings live in the workbench's tables (assets/lang).
  if (tr) lo.translate = [tr](const char* key) { return tr->c(key); };
  loader = std::make_unique<plugin::PluginLoader>(registry, lo);
  loader->loadAll(dirs);
  for (const auto& st : loader->statuses())
    if (!st.loaded) std::fprintf(stderr, "skema: %s\n", displayText(st.line()).c_str());  // file names too
}

PluginsUi::~PluginsUi() {
  loader.reset();  // unloads every plugin (their functions leave the table)
  registry.setFunctionSink(nullptr);
}

std::vector<std::string> PluginsUi::areas() const {
  std::set<std::string> out;
  for (const auto& v : registry.views()) out.insert(v.owner);
  return {out.begin(), out.end()};
}

bool PluginsUi::hasArea(const std::string& id) const {
  for (const auto& v : registry.views())
    if (v.owner == id) return true;
  return false;
}

std::string PluginsUi::drawMenu(const UiContext& ctx) {
  std::string chosen;
  if (ImGui::BeginMenu(ctx.t("plugins.menu.dashboards"))) {
    const auto as = areas();
    if (as.empty()) ImGui::TextDisabled("%s", ctx.t("plugins.menu.none"));
    for (const auto& a : as) {
      const std::string key = "area." + a;
      const char* label = ctx.tr.has(key) ? ctx.t(key) : a.c_str();
      if (ImGui::MenuItem(label, nullptr, area == a)) chosen = a;
    }
    ImGui::EndMenu();
  }
  return chosen;
}

// [SECTION] Help → Plugins window

void PluginsUi::drawWindow(const UiContext& ctx) {
  if (!showWindow) return;
  ImGui::SetNextWindowSize(ImVec2(860 * ctx.scale, 460 * ctx.scale), ImGuiCond_Appearing);
  if (ImGui::Begin(ctx.t("plugins.window.title"), &showWindow, ImGuiWindowFlags_NoCollapse)) {
    int loaded = 0, refused = 0;
    for (const auto& st : loader->statuses()) (st.loaded ? loaded : refused)++;
    ImGui::TextUnformatted(ctx.tr
                               .format("plugins.window.summary", {std::to_string(loaded), std::to_string(refused),
                                                                  plugin::abiText(SKEMA_PLUGIN_ABI_VERSION)})
                               .c_str());
    if (loader->statuses().empty()) {
      ImGui::TextDisabled("%s", ctx.t("plugins.window.none_found"));
      for (const auto& d : plugin::PluginLoader::defaultSearchPath()) ImGui::BulletText("%s", d.c_str());
    }
    if (ImGui::BeginTable("##plugins", 5, ImGuiTableFlags_RowBg | ImGuiTableFlags_Borders | ImGuiTableFlags_ScrollY |
                                              ImGuiTableFlags_Resizable)) {
      ImGui::TableSetupScrollFreeze(0, 1);
      ImGui::TableSetupColumn(ctx.t("plugins.col.status"), ImGuiTableColumnFlags_WidthFixed);
      ImGui::TableSetupColumn(ctx.t("plugins.col.plugin"), ImGuiTableColumnFlags_WidthFixed);
      ImGui::TableSetupColumn(ctx.t("plugins.col.version"), ImGuiTableColumnFlags_WidthFixed);
      ImGui::TableSetupColumn(ctx.t("plugins.col.registered"));
      ImGui::TableSetupColumn(ctx.t("plugins.col.file"));
      ImGui::TableHeadersRow();
      for (const auto& st : loader->statuses()) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        if (st.loaded) ImGui::TextColored(ImVec4(0.1f, 0.5f, 0.2f, 1), "%s", ctx.t("plugins.status.loaded"));
        else ImGui::TextColored(ImVec4(0.75f, 0.1f, 0.1f, 1), "%s", ctx.t("plugins.status.refused"));
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(st.name.empty() ? st.file.c_str() : st.name.c_str());
        if (ImGui::IsItemHovered() && !st.description.empty()) ImGui::SetTooltip("%s", st.description.c_str());
        ImGui::TableNextColumn();
        if (!st.version.empty()) ImGui::Text("%s (ABI %s)", st.version.c_str(), plugin::abiText(st.abi).c_str());
        ImGui::TableNextColumn();
        if (st.loaded) {
          int forms = 0, views = 0, inds = 0, fns = 0;
          for (const auto& f : registry.forms()) forms += f.owner == st.id;
          for (const auto& v : registry.views()) views += v.owner == st.id;
          for (const auto& i : registry.indicators()) inds += i.owner == st.id;
          for (const auto& f : registry.functions()) fns += f.owner == st.id;
          ImGui::TextUnformatted(ctx.tr
                                     .format("plugins.window.registered",
                                             {std::to_string(forms), std::to_string(views), std::to_string(inds),
                                              std::to_string(fns)})
                                     .c_str());
        } else {
          ImGui::TextWrapped("%s", st.reason.c_str());
        }
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(st.path.c_str());
      }
      ImGui::EndTable();
    }
    if (!loader->log().empty() && ImGui::CollapsingHeader(ctx.t("plugins.window.log"))) {
      for (const auto& l : loader->log())
        ImGui::TextWrapped("%s%s%s", l.plugin.c_str(), l.plugin.empty() ? "" : ": ", l.message.c_str());
    }
  }
  ImGui::End();
}

}  // namespace skema::ui
