// Finds, checks, loads and unloads plugins (shared libraries exporting
// skema_plugin_entry; the ABI is skema/plugin.h, the guide docs/plugins.md).
//
// A file is refused, with a reason and without running its init, when it is
// not a complete ELF shared library for this host (checked before dlopen: a
// truncated copy made dlopen die of SIGBUS), is not a plugin (dlopen fails,
// no entry symbol, no descriptor), was built for
// another ABI major or a newer minor, has a descriptor smaller than ABI 1.0's
// or an invalid id, or has the id of a plugin already loaded. A plugin whose
// init returns an error or throws is unloaded (its registrations cleared
// first) and reported the same way. The host goes on in every case; a plugin
// that calls exit() while it loads ends the program, but never silently
// (stderr and the log sink name it and the status).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "plugin/host_api.h"
#include "plugin/plugin_registry.h"

namespace skema::plugin {

struct LoaderOptions {
  TranslateFn translate;                   // for skema_host_api.translate; none: keys
  const ChoiceLibrary* choices = nullptr;  // shared choice lists for forms given as JSON
  std::string language = "en";             // UI language plugins see
  LogFn log;                               // plugin and loader messages; none: kept in log() only
};

struct PluginStatus {
  bool loaded = false;
  std::string path;  // as found
  std::string file;  // file name, "outreach.so"
  // From the descriptor (empty when it was never read):
  std::string id, name, version, description;
  uint32_t abi = 0;
  std::string reason;  // why it was refused; "" when loaded

  // "loaded  outreach  1.0.0  ABI 1.0  /path" or "refused x.so: reason".
  std::string line() const;
};

struct LogLine {
  int level = SKEMA_LOG_INFO;
  std::string plugin;
  std::string message;
};

// "2.0" for a packed version.
std::string abiText(uint32_t packed);

// Not thread-safe: load and unload from one thread (the UI thread), with no
// call into a plugin in flight while it is unloaded.
class PluginLoader {
 public:
  explicit PluginLoader(PluginRegistry& registry, LoaderOptions options = {});
  ~PluginLoader();  // unloads every plugin, last loaded first
  PluginLoader(const PluginLoader&) = delete;
  PluginLoader& operator=(const PluginLoader&) = delete;

  // Loads one file; returns its status (also kept in statuses()).
  PluginStatus loadFile(const std::string& path);
  // Loads every *.so in `dir` in file-name order; a missing folder is no
  // error. Returns how many loaded.
  int loadDirectory(const std::string& dir);
  // loadDirectory() for each folder, skipping folders seen before.
  int loadAll(const std::vector<std::string>& dirs);

  // Clears the plugin's registrations, calls its shutdown, dlcloses it.
  bool unload(const std::string& id);
  void unloadAll();

  bool isLoaded(const std::string& id) const;
  // The UI language every plugin sees from now on (api->language, and the
  // language of api->choice_label), as the user switches it.
  void setLanguage(const std::string& language);
  // Every file tried, in order: loaded ones and refused ones.
  const std::vector<PluginStatus>& statuses() const { return m_statuses; }
  const std::vector<LogLine>& log() const { return m_log; }

  // Where plugins are looked for: <exeDir>/plugins, <exeDir>/../lib/skema/plugins,
  // then each folder of the colon-separated `pluginPathEnv` (SKEMA_PLUGIN_PATH).
  static std::vector<std::string> searchPath(const std::string& exeDir, const char* pluginPathEnv);
  // searchPath() for the running executable and the environment.
  static std::vector<std::string> defaultSearchPath();
  // The folder of the running executable ("" when unknown).
  static std::string executableDir();

 private:
  struct Loaded;
  PluginStatus refuse(PluginStatus st, std::string reason);
  void addLog(int level, const std::string& plugin, const std::string& message);

  PluginRegistry& m_registry;
  LoaderOptions m_options;
  std::vector<std::unique_ptr<Loaded>> m_loaded;
  std::vector<PluginStatus> m_statuses;
  std::vector<LogLine> m_log;
  std::vector<std::string> m_seenDirs;
};

}  // namespace skema::plugin
