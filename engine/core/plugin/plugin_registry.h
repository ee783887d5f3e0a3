// The host registries of what plugins contribute: forms, views, indicators
// and expression functions, each tagged with the id of the plugin that
// registered it (its owner). The loader removes an owner's entries before it
// unloads the plugin; the UI draws the views, reports compute the
// indicators, the expression language calls the functions (through a
// FunctionSink, see expr_bridge.h).
//
// Every call into plugin code goes through this class, inside try/catch, so
// a plugin that throws turns into an error result, never a crash of the host.
#pragma once
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "skema/plugin.h"

namespace skema {
struct Form;
}

namespace skema::plugin {

class RecordSource;

using Labels = std::map<std::string, std::string>;  // lang -> text

// The text in `lang`, else English, else any, else `fallback`.
std::string pickLabel(const Labels& labels, const std::string& lang, const std::string& fallback);

struct FormEntry {
  std::string owner;
  std::string origin;  // file path or the name given with the JSON text
  std::shared_ptr<const Form> form;
};

struct ViewEntry {
  std::string owner;
  std::string id;
  Labels titles;
  skema_view_draw_fn draw = nullptr;
  void* user = nullptr;
  const skema_host_api* api = nullptr;
};

struct IndicatorEntry {
  std::string owner;
  std::string id;
  Labels labels;
  skema_indicator_compute_fn compute = nullptr;
  void* user = nullptr;
  const skema_host_api* api = nullptr;
};

struct FunctionEntry {
  std::string owner;
  std::string name;
  int minArgs = 0;
  int maxArgs = 0;  // -1 = no limit
  bool isVolatile = false;
  skema_function_call_fn call = nullptr;
  void* user = nullptr;
  const skema_host_api* api = nullptr;
};

// A value handed to or returned from plugin code.
struct PluginValue {
  enum class Kind { None, Number, String, Boolean, Json };
  Kind kind = Kind::None;
  double number = 0;
  std::string text;  // String: the string; Json: the JSON text; Number/Boolean: string form

  static PluginValue num(double d);
  static PluginValue str(std::string s);
  static PluginValue boolean(bool b);
};

// What a call into a plugin gave: a value, or an error message.
struct CallResult {
  bool ok = false;
  PluginValue value;
  std::string error;
};

struct IndicatorArgs {
  std::string periodFrom, periodTo;  // "YYYY-MM-DD" or "" for open
  std::string office;                // "" = all offices
  std::string language = "en";
};

// Receives the functions plugins register, e.g. the expression language's
// function table. add() returns false when the name is taken there.
class FunctionSink {
 public:
  virtual ~FunctionSink() = default;
  virtual bool add(const std::shared_ptr<const FunctionEntry>& fn) = 0;
  virtual void removeOwner(const std::string& owner) = 0;
};

// The UI's side of a view: filled in by skema_ui (ImGui context, allocator),
// with the records the view may read.
struct ViewDrawContext {
  void* imguiContext = nullptr;
  void* (*imguiAlloc)(size_t, void*) = nullptr;
  void (*imguiFree)(void*, void*) = nullptr;
  void* imguiAllocUser = nullptr;
  std::string imguiVersion;
  std::string language = "da";
  float scale = 1.0f;
  const RecordSource* records = nullptr;
};

class PluginRegistry {
 public:
  PluginRegistry() = default;
  PluginRegistry(const PluginRegistry&) = delete;
  PluginRegistry& operator=(const PluginRegistry&) = delete;

  // Registration; each returns SKEMA_OK, SKEMA_ERR_INVALID or SKEMA_ERR_DUPLICATE.
  int addForm(FormEntry entry);
  int addView(ViewEntry entry);
  int addIndicator(IndicatorEntry entry);
  int addFunction(FunctionEntry entry);

  // Removes everything `owner` registered (and its functions from the
  // sink). Returns how many entries went.
  int removeOwner(const std::string& owner);

  // The function sink (not owned); functions already registered are added
  // to it at once. nullptr detaches.
  void setFunctionSink(FunctionSink* sink);

  // Snapshots, sorted by id / name.
  std::vector<FormEntry> forms() const;
  // Changes whenever a form is registered or removed (what was looked up in
  // the forms may have changed).
  unsigned formsGeneration() const;
  std::vector<ViewEntry> views() const;
  std::vector<IndicatorEntry> indicators() const;
  std::vector<FunctionEntry> functions() const;
  // Number of entries `owner` has registered (all kinds).
  int countOwned(const std::string& owner) const;

  bool hasIndicator(const std::string& id) const;
  bool hasFunction(const std::string& name) const;
  bool hasView(const std::string& id) const;

  // Calls into plugin code; a throw or an error result becomes !ok.
  CallResult computeIndicator(const std::string& id, const IndicatorArgs& args,
                              const RecordSource& records) const;
  CallResult callFunction(const std::string& name, const std::vector<PluginValue>& args) const;
  static CallResult callFunction(const FunctionEntry& fn, const std::vector<PluginValue>& args);
  // Returns "" or the error (unknown view, draw failed or threw).
  std::string drawView(const std::string& id, const ViewDrawContext& ctx) const;

 private:
  mutable std::mutex m_mutex;
  std::vector<FormEntry> m_forms;
  unsigned m_formsGeneration = 0;
  std::map<std::string, ViewEntry> m_views;
  std::map<std::string, IndicatorEntry> m_indicators;
  std::map<std::string, std::shared_ptr<const FunctionEntry>> m_functions;
  FunctionSink* m_sink = nullptr;
};

}  // namespace skema::plugin
