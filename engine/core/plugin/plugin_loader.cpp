#include "plugin/plugin_loader.h"

#include <dlfcn.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <system_error>

namespace fs = std::filesystem;

namespace skema::plugin {

struct PluginLoader::Loaded {
  void* handle = nullptr;
  skema_plugin_info info{};
  PluginStatus status;
  skema_host host;
  skema_host_api api{};
};

std::string abiText(uint32_t packed) {
  return std::to_string(SKEMA_PLUGIN_ABI_GET_MAJOR(packed)) + "." +
         std::to_string(SKEMA_PLUGIN_ABI_GET_MINOR(packed));
}

std::string PluginStatus::line() const {
  if (loaded)
    return "loaded  " + id + "  " + (version.empty() ? "-" : version) + "  ABI " + abiText(abi) +
           "  " + path;
  return "refused " + file + ": " + reason;
}

namespace {

// Plugin ids name owners, settings keys and folders: keep them plain.
bool validId(const char* id) {
  if (!id || !*id) return false;
  size_t n = std::strlen(id);
  if (n > 64) return false;
  for (size_t i = 0; i < n; ++i) {
    char c = id[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string str(const char* s) { return s ? s : ""; }

std::string dlErrorText() {
  const char* e = dlerror();
  return e ? e : "unknown error";
}

}  // namespace

PluginLoader::PluginLoader(PluginRegistry& registry, LoaderOptions options)
    : m_registry(registry), m_options(std::move(options)) {}

PluginLoader::~PluginLoader() { unloadAll(); }

void PluginLoader::addLog(int level, const std::string& plugin, const std::string& message) {
  m_log.push_back(LogLine{level, plugin, message});
  if (m_options.log) {
    try {
      m_options.log(level, plugin, message);
    } catch (...) {
    }
  }
}

PluginStatus PluginLoader::refuse(PluginStatus st, std::string reason) {
  st.loaded = false;
  st.reason = std::move(reason);
  addLog(SKEMA_LOG_WARNING, st.id, "refused " + st.path + ": " + st.reason);
  m_statuses.push_back(st);
  return st;
}

PluginStatus PluginLoader::loadFile(const std::string& path) {
  PluginStatus st;
  st.path = path;
  st.file = fs::path(path).filename().string();

  // 1. Is it a plugin at all? Nothing of the plugin runs but its static
  //    constructors (unavoidable with dlopen) and the entry function.
  dlerror();
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) return refuse(st, "not a Skema plugin: " + dlErrorText());
  auto closeAndRefuse = [&](std::string reason) {
    dlclose(handle);
    return refuse(st, std::move(reason));
  };
  dlerror();
  void* sym = dlsym(handle, SKEMA_PLUGIN_ENTRY_NAME);
  if (!sym) return closeAndRefuse("not a Skema plugin: no " SKEMA_PLUGIN_ENTRY_NAME " symbol");
  auto entry = reinterpret_cast<skema_plugin_entry_fn>(sym);
  const skema_plugin_info* desc = nullptr;
  try {
    desc = entry(SKEMA_PLUGIN_ABI_VERSION);
  } catch (const std::exception& e) {
    return closeAndRefuse(std::string("entry point threw: ") + e.what());
  } catch (...) {
    return closeAndRefuse("entry point threw an unknown exception");
  }
  if (!desc) return closeAndRefuse("entry point returned no descriptor");

  // 2. Size and ABI version, read field by field before trusting the layout.
  uint32_t size = 0, abi = 0;
  std::memcpy(&size, desc, sizeof size);
  const size_t kHeader = offsetof(skema_plugin_info, abi_version) + sizeof(uint32_t);
  if (size < kHeader)
    return closeAndRefuse("descriptor too small (" + std::to_string(size) + " bytes; ABI " +
                          abiText(SKEMA_PLUGIN_ABI_VERSION) + " needs at least " +
                          std::to_string(SKEMA_PLUGIN_INFO_MIN_SIZE) + ")");
  std::memcpy(&abi, reinterpret_cast<const char*>(desc) + offsetof(skema_plugin_info, abi_version),
              sizeof abi);
  st.abi = abi;
  const std::string hostAbi = abiText(SKEMA_PLUGIN_ABI_VERSION);
  if (SKEMA_PLUGIN_ABI_GET_MAJOR(abi) != SKEMA_PLUGIN_ABI_MAJOR)
    return closeAndRefuse("built for plugin ABI " + abiText(abi) + "; this Skema has ABI " + hostAbi);
  if (SKEMA_PLUGIN_ABI_GET_MINOR(abi) > SKEMA_PLUGIN_ABI_MINOR)
    return closeAndRefuse("built for plugin ABI " + abiText(abi) + ", newer than this Skema's ABI " +
                          hostAbi);
  if (size < SKEMA_PLUGIN_INFO_MIN_SIZE)
    return closeAndRefuse("descriptor too small (" + std::to_string(size) + " bytes; ABI " + hostAbi +
                          " needs at least " + std::to_string(SKEMA_PLUGIN_INFO_MIN_SIZE) + ")");

  // 3. The descriptor, copied into a zeroed struct (newer fields read as 0).
  skema_plugin_info info;
  copySized(desc, size, SKEMA_PLUGIN_INFO_MIN_SIZE, info);
  if (!validId(info.id))
    return closeAndRefuse("invalid plugin id '" + str(info.id) +
                          "' (use lower-case letters, digits, '_' and '-')");
  st.id = info.id;
  st.name = info.name && *info.name ? info.name : info.id;
  st.version = str(info.version);
  st.description = str(info.description);
  if (!info.init) return closeAndRefuse("descriptor has no init function");
  for (const auto& l : m_loaded)
    if (l->status.id == st.id)
      return closeAndRefuse("duplicate plugin id '" + st.id + "' (already loaded from " +
                            l->status.path + ")");

  // 4. Init, guarded: an error or a throw unloads the plugin again.
  auto p = std::make_unique<Loaded>();
  p->handle = handle;
  p->info = info;
  p->host.pluginId = st.id;
  std::error_code ec;
  fs::path abs = fs::absolute(path, ec);
  p->host.pluginDir = (ec ? fs::path(path) : abs).parent_path().string();
  p->host.registry = &m_registry;
  p->host.translate = m_options.translate;
  p->host.choices = m_options.choices;
  p->host.language = m_options.language;
  p->host.log = [this](int level, const std::string& plugin, const std::string& msg) {
    addLog(level, plugin, msg);
  };
  p->api = makeHostApi(&p->host);
  p->host.api = &p->api;

  char error[512] = {0};
  std::string failure;
  try {
    int rc = info.init(&p->api, error, sizeof error);
    if (rc != SKEMA_OK) {
      error[sizeof error - 1] = 0;
      failure = "init failed: " + (error[0] ? std::string(error) : "error " + std::to_string(rc));
    }
  } catch (const std::exception& e) {
    failure = std::string("init threw: ") + e.what();
  } catch (...) {
    failure = "init threw an unknown exception";
  }
  if (!failure.empty()) {
    p->host.closing = true;
    m_registry.removeOwner(st.id);
    p.reset();
    return closeAndRefuse(failure);
  }

  st.loaded = true;
  p->status = st;
  m_loaded.push_back(std::move(p));
  m_statuses.push_back(st);
  addLog(SKEMA_LOG_INFO, st.id, "loaded " + st.path + " (version " + st.version + ", ABI " +
                                    abiText(abi) + ")");
  return st;
}

int PluginLoader::loadDirectory(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return 0;
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code fec;
    if (it->path().extension() == ".so" && it->is_regular_file(fec)) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  int n = 0;
  for (const auto& f : files) n += loadFile(f.string()).loaded;
  return n;
}

int PluginLoader::loadAll(const std::vector<std::string>& dirs) {
  int n = 0;
  for (const auto& d : dirs) {
    std::error_code ec;
    std::string key = fs::weakly_canonical(d, ec).string();
    if (ec) key = d;
    if (std::find(m_seenDirs.begin(), m_seenDirs.end(), key) != m_seenDirs.end()) continue;
    m_seenDirs.push_back(key);
    n += loadDirectory(d);
  }
  return n;
}

bool PluginLoader::unload(const std::string& id) {
  auto it = std::find_if(m_loaded.begin(), m_loaded.end(),
                         [&](const auto& l) { return l->status.id == id; });
  if (it == m_loaded.end()) return false;
  std::unique_ptr<Loaded> p = std::move(*it);
  m_loaded.erase(it);
  // Registrations first: nothing may call into the plugin once it is gone.
  p->host.closing = true;
  m_registry.removeOwner(id);
  if (p->info.shutdown) {
    try {
      p->info.shutdown();
    } catch (const std::exception& e) {
      addLog(SKEMA_LOG_ERROR, id, std::string("shutdown threw: ") + e.what());
    } catch (...) {
      addLog(SKEMA_LOG_ERROR, id, "shutdown threw an unknown exception");
    }
  }
  void* handle = p->handle;
  std::string path = p->status.path;
  p.reset();
  dlclose(handle);
  std::erase_if(m_statuses, [&](const PluginStatus& s) { return s.loaded && s.id == id; });
  addLog(SKEMA_LOG_INFO, id, "unloaded " + path);
  return true;
}

void PluginLoader::unloadAll() {
  while (!m_loaded.empty()) unload(m_loaded.back()->status.id);
}

void PluginLoader::setLanguage(const std::string& language) {
  m_options.language = language;
  for (auto& l : m_loaded) l->host.language = language;
}

bool PluginLoader::isLoaded(const std::string& id) const {
  return std::any_of(m_loaded.begin(), m_loaded.end(),
                     [&](const auto& l) { return l->status.id == id; });
}

std::vector<std::string> PluginLoader::searchPath(const std::string& exeDir, const char* env) {
  std::vector<std::string> out;
  if (!exeDir.empty()) {
    out.push_back((fs::path(exeDir) / "plugins").string());
    out.push_back((fs::path(exeDir) / ".." / "lib" / "skema" / "plugins").lexically_normal().string());
  }
  if (env) {
    std::string s = env;
    size_t start = 0;
    while (start <= s.size()) {
      size_t colon = s.find(':', start);
      if (colon == std::string::npos) colon = s.size();
      if (colon > start) out.push_back(s.substr(start, colon - start));
      start = colon + 1;
    }
  }
  return out;
}

std::vector<std::string> PluginLoader::defaultSearchPath() {
  return searchPath(executableDir(), std::getenv("SKEMA_PLUGIN_PATH"));
}

std::string PluginLoader::executableDir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  return exe.parent_path().string();
}

}  // namespace skema::plugin
