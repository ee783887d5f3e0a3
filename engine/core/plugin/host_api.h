// The host side of the C ABI: the definitions behind the opaque handles of
// skema/plugin.h and the table of host functions. Internal to the loader
// and the registry; nothing outside engine/core/plugin includes it.
#pragma once
#include <cstring>
#include <functional>
#include <map>
#include <string>

#include "plugin/plugin_registry.h"
#include "skema/plugin.h"

namespace skema {
class ChoiceLibrary;
}  // namespace skema

namespace skema::plugin {

class RecordSource;

// Log sink: level (SKEMA_LOG_*), plugin id ("" for the loader), message.
using LogFn = std::function<void(int level, const std::string& plugin, const std::string& message)>;
// Translation: the text for `key` in the UI language; the pointer must stay
// valid while plugins are loaded (Translator::c gives such pointers).
using TranslateFn = std::function<const char*(const char* key)>;

}  // namespace skema::plugin

// One per loaded plugin; the owner id of everything it registers.
struct skema_host {
  std::string pluginId;
  std::string pluginDir;  // folder of the .so, for relative form paths
  skema::plugin::PluginRegistry* registry = nullptr;
  skema::plugin::TranslateFn translate;
  const skema::ChoiceLibrary* choices = nullptr;
  std::string language = "en";
  skema::plugin::LogFn log;
  const skema_host_api* api = nullptr;  // the table handed to this plugin
  // Labels handed out by choice_label and field_label, by what was asked,
  // the language and the registry's forms generation: the pointers stay
  // valid while the plugin is loaded.
  std::map<std::string, std::string> labels;
  // Set once unloading has begun: registrations are refused from then on
  // (a shutdown that registers would leave entries pointing into freed code).
  bool closing = false;
};

struct skema_query {
  const skema::plugin::RecordSource* source = nullptr;
  std::string error;  // set when reading failed
};

struct skema_result {
  skema::plugin::PluginValue value;
  bool isError = false;
  std::string error;
};

namespace skema::plugin {

// Skema's version as plugins see it (skema_host_api.host_version).
extern const char* const kHostVersion;

// The table handed to a plugin, bound to `host`.
skema_host_api makeHostApi(skema_host* host);

// Copies a plugin's size-prefixed struct into a zeroed T (OBS's rule):
// false when `size` is smaller than `minSize`.
template <typename T>
bool copySized(const void* src, size_t size, size_t minSize, T& out) {
  out = T{};
  if (!src || size < minSize) return false;
  std::memcpy(&out, src, size < sizeof(T) ? size : sizeof(T));
  return true;
}

Labels copyTexts(const skema_text* texts);

}  // namespace skema::plugin
