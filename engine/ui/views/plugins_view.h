// The workbench's plugins: the registry, the loader (plugins from
// PluginLoader::defaultSearchPath(), functions bridged into the global
// expression function table), the Help → Plugins window listing loaded and
// refused plugins with their reasons, and the area dashboards (each area
// plugin's views, "<area>.view.*", drawn in the main region).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "plugin/plugin_loader.h"
#include "plugin/plugin_registry.h"
#include "ui_context.h"

namespace skema::store {
class Store;
}
namespace skema::plugin {
class ExprFunctionSink;
}

namespace skema::ui {

struct PluginsUi {
  plugin::PluginRegistry registry;
  std::unique_ptr<plugin::ExprFunctionSink> sink;
  std::unique_ptr<plugin::PluginLoader> loader;
  bool showWindow = false;  // Help → Plugins
  std::string area;         // the dashboard shown (Mode::Dashboard)

  // Loads the plugins of `dirs` (default: PluginLoader::defaultSearchPath());
  // their api->translate answers from `tr` (not owned; none: the keys).
  explicit PluginsUi(const Translator* tr = nullptr,
                     const std::vector<std::string>& dirs = plugin::PluginLoader::defaultSearchPath());
  ~PluginsUi();  // unloads the plugins, then detaches the function bridge

  // Areas with at least one view ("outreach", ...), sorted.
  std::vector<std::string> areas() const;
  bool hasArea(const std::string& id) const;

  // A "Dashboards" menu (inside a menu bar): returns the area picked or "".
  std::string drawMenu(const UiContext& ctx);
  // The Help → Plugins window, when showWindow.
  void drawWindow(const UiContext& ctx);
  // The dashboard of `area` in the current window (the workbench's main
  // region); `store` may be null (no workspace: the views say so).
  void drawDashboard(const UiContext& ctx, store::Store* store);
};

}  // namespace skema::ui
