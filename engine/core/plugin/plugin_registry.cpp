#include "plugin/plugin_registry.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <limits>
#include <tuple>

#include "form/form.h"
#include "plugin/host_api.h"
#include "plugin/record_source.h"

namespace skema::plugin {

namespace {

// The expression language's number text: integers without a fraction,
// otherwise the shortest text that reads back exactly.
std::string numberText(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  if (d == std::floor(d) && std::fabs(d) < 1e15) return std::to_string((long long)d);
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, res.ptr);
}

// XPath number(): the whole text (spaces around allowed) or NaN.
double textNumber(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  if (b == std::string::npos) return std::numeric_limits<double>::quiet_NaN();
  std::string t = s.substr(b, e - b + 1);
  bool digit = false;
  for (size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (c >= '0' && c <= '9') digit = true;
    else if (!(c == '.' || (c == '-' && i == 0))) return std::numeric_limits<double>::quiet_NaN();
  }
  if (!digit) return std::numeric_limits<double>::quiet_NaN();
  return std::strtod(t.c_str(), nullptr);
}

}  // namespace

PluginValue PluginValue::num(double d) {
  PluginValue v;
  v.kind = Kind::Number;
  v.number = d;
  v.text = numberText(d);
  return v;
}

PluginValue PluginValue::str(std::string s) {
  PluginValue v;
  v.kind = Kind::String;
  v.number = textNumber(s);
  v.text = std::move(s);
  return v;
}

PluginValue PluginValue::boolean(bool b) {
  PluginValue v;
  v.kind = Kind::Boolean;
  v.number = b ? 1 : 0;
  v.text = b ? "true" : "false";
  return v;
}

std::string pickLabel(const Labels& labels, const std::string& lang, const std::string& fallback) {
  if (auto it = labels.find(lang); it != labels.end()) return it->second;
  if (auto it = labels.find("en"); it != labels.end()) return it->second;
  if (!labels.empty()) return labels.begin()->second;
  return fallback;
}

// ---- Registration -----------------------------------------------------------

int PluginRegistry::addForm(FormEntry entry) {
  if (!entry.form) return SKEMA_ERR_INVALID;
  std::lock_guard lock(m_mutex);
  for (const auto& f : m_forms)
    if (f.form->id == entry.form->id && f.form->version == entry.form->version)
      return SKEMA_ERR_DUPLICATE;
  m_forms.push_back(std::move(entry));
  ++m_formsGeneration;
  return SKEMA_OK;
}

int PluginRegistry::addView(ViewEntry entry) {
  if (entry.id.empty() || !entry.draw) return SKEMA_ERR_INVALID;
  std::lock_guard lock(m_mutex);
  auto id = entry.id;
  return m_views.emplace(id, std::move(entry)).second ? SKEMA_OK : SKEMA_ERR_DUPLICATE;
}

int PluginRegistry::addIndicator(IndicatorEntry entry) {
  if (entry.id.empty() || !entry.compute) return SKEMA_ERR_INVALID;
  std::lock_guard lock(m_mutex);
  auto id = entry.id;
  return m_indicators.emplace(id, std::move(entry)).second ? SKEMA_OK : SKEMA_ERR_DUPLICATE;
}

int PluginRegistry::addFunction(FunctionEntry entry) {
  if (entry.name.empty() || !entry.call) return SKEMA_ERR_INVALID;
  std::lock_guard lock(m_mutex);
  if (m_functions.count(entry.name)) return SKEMA_ERR_DUPLICATE;
  auto fn = std::make_shared<const FunctionEntry>(std::move(entry));
  // The sink (the expression language) also knows built-in names.
  if (m_sink && !m_sink->add(fn)) return SKEMA_ERR_DUPLICATE;
  m_functions.emplace(fn->name, fn);
  return SKEMA_OK;
}

int PluginRegistry::removeOwner(const std::string& owner) {
  std::lock_guard lock(m_mutex);
  int n = 0;
  auto before = m_forms.size();
  std::erase_if(m_forms, [&](const FormEntry& f) { return f.owner == owner; });
  n += int(before - m_forms.size());
  m_formsGeneration += before != m_forms.size();
  n += int(std::erase_if(m_views, [&](const auto& kv) { return kv.second.owner == owner; }));
  n += int(std::erase_if(m_indicators, [&](const auto& kv) { return kv.second.owner == owner; }));
  n += int(std::erase_if(m_functions, [&](const auto& kv) { return kv.second->owner == owner; }));
  if (m_sink) m_sink->removeOwner(owner);
  return n;
}

void PluginRegistry::setFunctionSink(FunctionSink* sink) {
  std::lock_guard lock(m_mutex);
  m_sink = sink;
  if (!m_sink) return;
  for (const auto& [name, fn] : m_functions) m_sink->add(fn);
}

// ---- Snapshots --------------------------------------------------------------

unsigned PluginRegistry::formsGeneration() const {
  std::lock_guard lock(m_mutex);
  return m_formsGeneration;
}

std::vector<FormEntry> PluginRegistry::forms() const {
  std::lock_guard lock(m_mutex);
  auto out = m_forms;
  std::sort(out.begin(), out.end(), [](const FormEntry& a, const FormEntry& b) {
    return std::tie(a.form->id, a.form->version) < std::tie(b.form->id, b.form->version);
  });
  return out;
}

std::vector<ViewEntry> PluginRegistry::views() const {
  std::lock_guard lock(m_mutex);
  std::vector<ViewEntry> out;
  for (const auto& [id, v] : m_views) out.push_back(v);
  return out;
}

std::vector<IndicatorEntry> PluginRegistry::indicators() const {
  std::lock_guard lock(m_mutex);
  std::vector<IndicatorEntry> out;
  for (const auto& [id, v] : m_indicators) out.push_back(v);
  return out;
}

std::vector<FunctionEntry> PluginRegistry::functions() const {
  std::lock_guard lock(m_mutex);
  std::vector<FunctionEntry> out;
  for (const auto& [name, f] : m_functions) out.push_back(*f);
  return out;
}

int PluginRegistry::countOwned(const std::string& owner) const {
  std::lock_guard lock(m_mutex);
  int n = 0;
  for (const auto& f : m_forms) n += f.owner == owner;
  for (const auto& [k, v] : m_views) n += v.owner == owner;
  for (const auto& [k, v] : m_indicators) n += v.owner == owner;
  for (const auto& [k, v] : m_functions) n += v->owner == owner;
  return n;
}

bool PluginRegistry::hasIndicator(const std::string& id) const {
  std::lock_guard lock(m_mutex);
  return m_indicators.count(id) > 0;
}

bool PluginRegistry::hasFunction(const std::string& name) const {
  std::lock_guard lock(m_mutex);
  return m_functions.count(name) > 0;
}

bool PluginRegistry::hasView(const std::string& id) const {
  std::lock_guard lock(m_mutex);
  return m_views.count(id) > 0;
}

// ---- Calls into plugins -----------------------------------------------------

namespace {

CallResult finish(int rc, const skema_result& r, const std::string& what) {
  CallResult out;
  if (r.isError) {
    out.error = r.error;
  } else if (rc != SKEMA_OK) {
    out.error = what + " failed (code " + std::to_string(rc) + ")";
  } else if (r.value.kind == PluginValue::Kind::None) {
    out.error = what + " gave no result";
  } else {
    out.ok = true;
    out.value = r.value;
  }
  return out;
}

std::string describe(const std::exception& e) { return std::string("threw: ") + e.what(); }

}  // namespace

CallResult PluginRegistry::computeIndicator(const std::string& id, const IndicatorArgs& args,
                                            const RecordSource& records) const {
  IndicatorEntry ind;
  {
    std::lock_guard lock(m_mutex);
    auto it = m_indicators.find(id);
    if (it == m_indicators.end()) return CallResult{false, {}, "unknown indicator '" + id + "'"};
    ind = it->second;
  }
  skema_indicator_args a{};
  a.size = sizeof a;
  a.period_from = args.periodFrom.empty() ? nullptr : args.periodFrom.c_str();
  a.period_to = args.periodTo.empty() ? nullptr : args.periodTo.c_str();
  a.office = args.office.empty() ? nullptr : args.office.c_str();
  a.language = args.language.c_str();
  skema_query q;
  q.source = &records;
  skema_result r;
  std::string what = "indicator '" + id + "'";
  try {
    int rc = ind.compute(ind.api, &q, &a, &r, ind.user);
    if (!q.error.empty() && !r.isError && rc != SKEMA_OK)
      return CallResult{false, {}, what + ": reading records failed: " + q.error};
    return finish(rc, r, what);
  } catch (const std::exception& e) {
    return CallResult{false, {}, what + " " + describe(e)};
  } catch (...) {
    return CallResult{false, {}, what + " threw an unknown exception"};
  }
}

CallResult PluginRegistry::callFunction(const std::string& name,
                                        const std::vector<PluginValue>& args) const {
  std::shared_ptr<const FunctionEntry> fn;
  {
    std::lock_guard lock(m_mutex);
    auto it = m_functions.find(name);
    if (it == m_functions.end()) return CallResult{false, {}, "unknown function '" + name + "'"};
    fn = it->second;
  }
  return callFunction(*fn, args);
}

CallResult PluginRegistry::callFunction(const FunctionEntry& fn, const std::vector<PluginValue>& args) {
  int argc = int(args.size());
  if (argc < fn.minArgs || (fn.maxArgs >= 0 && argc > fn.maxArgs)) {
    std::string want = fn.minArgs == fn.maxArgs ? std::to_string(fn.minArgs)
                       : fn.maxArgs < 0        ? "at least " + std::to_string(fn.minArgs)
                                               : std::to_string(fn.minArgs) + " to " + std::to_string(fn.maxArgs);
    return CallResult{false, {}, "function " + fn.name + "() takes " + want + " arguments, got " +
                                     std::to_string(argc)};
  }
  std::vector<skema_value> cargs(args.size());
  for (size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    cargs[i].type = a.kind == PluginValue::Kind::Number    ? SKEMA_VALUE_NUMBER
                    : a.kind == PluginValue::Kind::Boolean ? SKEMA_VALUE_BOOLEAN
                                                           : SKEMA_VALUE_STRING;
    cargs[i].number = a.kind == PluginValue::Kind::String ? textNumber(a.text) : a.number;
    cargs[i].text = a.text.c_str();
  }
  skema_result r;
  std::string what = "function " + fn.name + "()";
  try {
    int rc = fn.call(fn.api, cargs.data(), argc, &r, fn.user);
    return finish(rc, r, what);
  } catch (const std::exception& e) {
    return CallResult{false, {}, what + " " + describe(e)};
  } catch (...) {
    return CallResult{false, {}, what + " threw an unknown exception"};
  }
}

std::string PluginRegistry::drawView(const std::string& id, const ViewDrawContext& ctx) const {
  ViewEntry view;
  {
    std::lock_guard lock(m_mutex);
    auto it = m_views.find(id);
    if (it == m_views.end()) return "unknown view '" + id + "'";
    view = it->second;
  }
  skema_query q;
  q.source = ctx.records;
  skema_ui_context ui{};
  ui.size = sizeof ui;
  ui.imgui_context = ctx.imguiContext;
  ui.imgui_alloc = ctx.imguiAlloc;
  ui.imgui_free = ctx.imguiFree;
  ui.imgui_alloc_user = ctx.imguiAllocUser;
  ui.imgui_version = ctx.imguiVersion.c_str();
  ui.language = ctx.language.c_str();
  ui.scale = ctx.scale;
  ui.query = &q;
  try {
    int rc = view.draw(view.api, &ui, view.user);
    if (rc != SKEMA_OK) return "view '" + id + "' failed (code " + std::to_string(rc) + ")";
    return {};
  } catch (const std::exception& e) {
    return "view '" + id + "' " + describe(e);
  } catch (...) {
    return "view '" + id + "' threw an unknown exception";
  }
}

}  // namespace skema::plugin
