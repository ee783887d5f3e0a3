// Where the workbench finds its shipped data and keeps user settings.
#pragma once
#include <string>

namespace skema::ui {

std::string executableDir();
// The first existing of: $SKEMA_<NAME>_DIR, <exe>/<name>, <exe>/../share/skema/<name>,
// SKEMA_SOURCE_DIR/<name>. "" when none exists.
std::string findDataDir(const std::string& name);
// $XDG_DATA_HOME/skema (default ~/.local/share/skema), created on demand.
std::string userDataDir();
// $XDG_CONFIG_HOME/skema (default ~/.config/skema), created on demand.
std::string userConfigDir();
// $XDG_CACHE_HOME/skema (default ~/.cache/skema), created on demand: what
// can be rebuilt any time (the font atlas).
std::string userCacheDir();

}  // namespace skema::ui
