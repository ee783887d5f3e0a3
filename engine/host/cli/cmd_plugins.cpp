// `skema plugins list [-v]`: loads the plugins from the search path
// (<exe dir>/plugins, <exe dir>/../lib/skema/plugins, SKEMA_PLUGIN_PATH) and
// prints one line per file:
//   loaded  outreach  1.0.0  ABI 1.0  /path/outreach.so
//   refused wrong_major.so: built for plugin ABI 2.0; this Skema has ABI 1.0
// With -v, also what each loaded plugin registered, and the log.
#include <cstdio>
#include <string>

#include "cli/commands.h"
#include "expr/functions.h"
#include "form/form.h"
#include "plugin/expr_bridge.h"
#include "plugin/plugin_loader.h"
#include "plugin/plugin_registry.h"
#include "util/text.h"

namespace skema::cli {

namespace {

void usage() {
  std::fprintf(stderr,
               "usage: skema plugins list [-v]\n"
               "  lists the plugins found in <skema dir>/plugins, <skema dir>/../lib/skema/plugins\n"
               "  and the folders of SKEMA_PLUGIN_PATH (colon-separated)\n");
}

const char* levelName(int level) {
  switch (level) {
    case SKEMA_LOG_DEBUG: return "debug";
    case SKEMA_LOG_INFO: return "info";
    case SKEMA_LOG_WARNING: return "warning";
    default: return "error";
  }
}

// What plugins and file names say is shown escaped, like stored text.
void printContent(const plugin::PluginRegistry& reg, const std::string& id) {
  for (const auto& f : reg.forms())
    if (f.owner == id) std::printf("    form       %s v%d\n", displayText(f.form->id).c_str(), f.form->version);
  for (const auto& v : reg.views())
    if (v.owner == id) std::printf("    view       %s\n", displayText(v.id).c_str());
  for (const auto& i : reg.indicators())
    if (i.owner == id)
      std::printf("    indicator  %s  %s\n", displayText(i.id).c_str(),
                  displayText(plugin::pickLabel(i.labels, "en", "")).c_str());
  for (const auto& f : reg.functions())
    if (f.owner == id) std::printf("    function   %s()\n", displayText(f.name).c_str());
}

}  // namespace

int pluginsCommand(const Args& args) {
  bool verbose = false;
  size_t i = 0;
  if (i < args.size() && args[i] == "list") ++i;
  for (; i < args.size(); ++i) {
    if (args[i] == "-v" || args[i] == "--verbose") {
      verbose = true;
    } else {
      usage();
      return kUsage;
    }
  }

  plugin::PluginRegistry registry;
  plugin::ExprFunctionSink sink(expr::FunctionRegistry::global());
  registry.setFunctionSink(&sink);
  plugin::PluginLoader loader(registry);
  auto dirs = plugin::PluginLoader::defaultSearchPath();
  loader.loadAll(dirs);

  for (const auto& st : loader.statuses()) {
    std::printf("%s\n", displayText(st.line()).c_str());
    if (verbose && st.loaded) printContent(registry, st.id);
  }
  if (loader.statuses().empty()) {
    std::printf("no plugins found; looked in:\n");
    for (const auto& d : dirs) std::printf("  %s\n", d.c_str());
  }
  if (verbose) {
    std::printf("\nlog:\n");
    for (const auto& l : loader.log())
      std::printf("  %-7s %s%s%s\n", levelName(l.level), l.plugin.c_str(), l.plugin.empty() ? "" : ": ",
                  displayText(l.message).c_str());
  }
  return kOk;
}

}  // namespace skema::cli
