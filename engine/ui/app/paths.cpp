#include "app/paths.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>

namespace fs = std::filesystem;

namespace skema::ui {

std::string executableDir() {
  std::error_code ec;
  auto p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(".") : p.parent_path().string();
}

std::string findDataDir(const std::string& name) {
  std::string env = "SKEMA_" + name + "_DIR";
  std::transform(env.begin(), env.end(), env.begin(), [](unsigned char c) { return std::toupper(c); });
  std::error_code ec;
  if (const char* e = std::getenv(env.c_str()); e && fs::is_directory(e, ec)) return e;
  const std::string exe = executableDir();
  for (const std::string& p : {exe + "/" + name, exe + "/../share/skema/" + name,
                               std::string(SKEMA_SOURCE_DIR) + "/" + name})
    if (fs::is_directory(p, ec)) return fs::weakly_canonical(p, ec).string();
  return {};
}

namespace {
std::string xdgDir(const char* var, const char* fallback) {
  std::string base;
  if (const char* e = std::getenv(var); e && *e) base = e;
  else if (const char* h = std::getenv("HOME"); h && *h) base = std::string(h) + "/" + fallback;
  else base = "/tmp";
  std::string dir = base + "/skema";
  std::error_code ec;
  fs::create_directories(dir, ec);
  return dir;
}
}  // namespace

std::string userDataDir() { return xdgDir("XDG_DATA_HOME", ".local/share"); }
std::string userConfigDir() { return xdgDir("XDG_CONFIG_HOME", ".config"); }
std::string userCacheDir() { return xdgDir("XDG_CACHE_HOME", ".cache"); }

}  // namespace skema::ui
