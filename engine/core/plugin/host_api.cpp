// The host functions of skema_host_api: C entry points plugins call. None
// lets a C++ exception escape into plugin code.
#include "plugin/host_api.h"

#include <cstddef>
#include <exception>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "form/form.h"
#include "form/form_loader.h"
#include "plugin/record_source.h"
#include "util/diagnostics.h"

namespace fs = std::filesystem;

namespace skema::plugin {

const char* const kHostVersion = "0.1.0";

namespace {

// Sizes of the ABI 1.0 structs: the least a plugin may pass.
constexpr size_t kViewInfoMin = offsetof(skema_view_info, user) + sizeof(void*);
constexpr size_t kIndicatorInfoMin = offsetof(skema_indicator_info, user) + sizeof(void*);
constexpr size_t kFunctionInfoMin = offsetof(skema_function_info, is_volatile) + sizeof(int);

void logTo(skema_host* h, int level, const std::string& msg) {
  if (h && h->log) h->log(level, h->pluginId, msg);
}

bool nonEmpty(const char* s) { return s && *s; }

// Registrations are accepted only while the plugin is loaded.
bool accepting(skema_host* h) {
  if (!h) return false;
  if (h->closing) logTo(h, SKEMA_LOG_ERROR, "registration during shutdown refused");
  return !h->closing;
}

int addFormText(skema_host* h, const std::string& text, const std::string& origin, bool isFile) {
  Diagnostics diags;
  std::shared_ptr<const Form> form;
  if (isFile) {
    form = loadFormFileShared(origin, diags);  // the workbench's form list loads the same files
  } else if (auto loaded = loadForm(text, origin, diags, h->choices)) {
    form = std::make_shared<const Form>(std::move(*loaded));
  }
  if (!form) {
    for (const auto& d : diags.items()) logTo(h, SKEMA_LOG_ERROR, d.format());
    if (diags.items().empty()) logTo(h, SKEMA_LOG_ERROR, origin + ": form not loaded");
    return SKEMA_ERR_INVALID;
  }
  FormEntry e;
  e.owner = h->pluginId;
  e.origin = origin;
  e.form = std::move(form);
  int rc = h->registry->addForm(std::move(e));
  if (rc == SKEMA_ERR_DUPLICATE) logTo(h, SKEMA_LOG_ERROR, origin + ": form id already registered");
  return rc;
}

// ---- The C functions --------------------------------------------------------

void hostLog(skema_host* h, int level, const char* message) {
  try {
    logTo(h, level, message ? message : "");
  } catch (...) {
  }
}

const char* hostTranslate(skema_host* h, const char* key) {
  if (!key) return "";
  try {
    if (h && h->translate) {
      if (const char* t = h->translate(key)) return t;
    }
  } catch (...) {
  }
  return key;
}

const char* hostLanguage(skema_host* h) { return h ? h->language.c_str() : "en"; }

// A label of the newest registered version of `formId` that has it, in the
// plugin's UI language, kept in the host's table of handed-out strings;
// `fallback` when no version has one. `labelOf` finds it in one form.
const char* registeredLabel(skema_host* h, const char* formId, std::string key, const char* fallback,
                            const std::function<const LocalizedText*(const Form&)>& labelOf) {
  // Forms registered or removed since are looked up anew.
  key += '\x1f' + h->language + '\x1f' + std::to_string(h->registry->formsGeneration());
  if (auto it = h->labels.find(key); it != h->labels.end()) return it->second.c_str();
  std::string label = fallback;
  int newest = 0;
  for (const auto& e : h->registry->forms()) {
    if (e.form->id != formId || e.form->version <= newest) continue;
    const LocalizedText* text = labelOf(*e.form);
    if (!text || localized(*text, h->language).empty()) continue;
    label = localized(*text, h->language);
    newest = e.form->version;
  }
  return h->labels.emplace(std::move(key), std::move(label)).first->second.c_str();
}

const char* hostChoiceLabel(skema_host* h, const char* formId, const char* field, const char* choice) {
  if (!choice) return "";
  if (!h || !h->registry || !nonEmpty(formId) || !nonEmpty(field)) return choice;
  try {
    return registeredLabel(h, formId, std::string("choice\x1f") + formId + '\x1f' + field + '\x1f' + choice, choice,
                           [&](const Form& form) -> const LocalizedText* {
                             const Field* f = form.findField(field);
                             const ChoiceList* list = f ? form.findChoices(f->choices) : nullptr;
                             const Choice* c = list ? list->find(choice) : nullptr;
                             return c ? &c->label : nullptr;
                           });
  } catch (...) {
    return choice;
  }
}

const char* hostFieldLabel(skema_host* h, const char* formId, const char* field) {
  if (!field) return "";
  if (!h || !h->registry || !nonEmpty(formId)) return field;
  try {
    return registeredLabel(h, formId, std::string("field\x1f") + formId + '\x1f' + field, field,
                           [&](const Form& form) -> const LocalizedText* {
                             const Field* f = form.findField(field);
                             return f ? &f->label : nullptr;
                           });
  } catch (...) {
    return field;
  }
}

int hostRegisterFormFile(skema_host* h, const char* path) {
  if (!accepting(h)) return SKEMA_ERROR;
  if (!nonEmpty(path)) return SKEMA_ERR_INVALID;
  try {
    fs::path p(path);
    if (p.is_relative()) p = fs::path(h->pluginDir) / p;
    return addFormText(h, "", p.lexically_normal().string(), true);
  } catch (const std::exception& e) {
    logTo(h, SKEMA_LOG_ERROR, std::string("register_form_file: ") + e.what());
    return SKEMA_ERROR;
  }
}

int hostRegisterFormJson(skema_host* h, const char* json, const char* origin) {
  if (!accepting(h)) return SKEMA_ERROR;
  if (!nonEmpty(json)) return SKEMA_ERR_INVALID;
  try {
    std::string name = nonEmpty(origin) ? origin : h->pluginId + ":form";
    return addFormText(h, json, name, false);
  } catch (const std::exception& e) {
    logTo(h, SKEMA_LOG_ERROR, std::string("register_form_json: ") + e.what());
    return SKEMA_ERROR;
  }
}

int hostRegisterView(skema_host* h, const skema_view_info* info, size_t size) {
  skema_view_info v;
  if (!accepting(h)) return SKEMA_ERROR;
  if (!copySized(info, size, kViewInfoMin, v) || !nonEmpty(v.id) || !v.draw)
    return SKEMA_ERR_INVALID;
  try {
    ViewEntry e;
    e.owner = h->pluginId;
    e.id = v.id;
    e.titles = copyTexts(v.titles);
    e.draw = v.draw;
    e.user = v.user;
    e.api = h->api;
    return h->registry->addView(std::move(e));
  } catch (...) {
    return SKEMA_ERROR;
  }
}

int hostRegisterIndicator(skema_host* h, const skema_indicator_info* info, size_t size) {
  skema_indicator_info v;
  if (!accepting(h)) return SKEMA_ERROR;
  if (!copySized(info, size, kIndicatorInfoMin, v) || !nonEmpty(v.id) || !v.compute)
    return SKEMA_ERR_INVALID;
  try {
    IndicatorEntry e;
    e.owner = h->pluginId;
    e.id = v.id;
    e.labels = copyTexts(v.labels);
    e.compute = v.compute;
    e.user = v.user;
    e.api = h->api;
    return h->registry->addIndicator(std::move(e));
  } catch (...) {
    return SKEMA_ERROR;
  }
}

int hostRegisterFunction(skema_host* h, const skema_function_info* info, size_t size) {
  skema_function_info v;
  if (!accepting(h)) return SKEMA_ERROR;
  if (!copySized(info, size, kFunctionInfoMin, v) || !nonEmpty(v.name) || !v.call ||
      v.min_args < 0 || (v.max_args >= 0 && v.max_args < v.min_args))
    return SKEMA_ERR_INVALID;
  try {
    FunctionEntry e;
    e.owner = h->pluginId;
    e.name = v.name;
    e.minArgs = v.min_args;
    e.maxArgs = v.max_args < 0 ? -1 : v.max_args;
    e.isVolatile = v.is_volatile != 0;
    e.call = v.call;
    e.user = v.user;
    e.api = h->api;
    return h->registry->addFunction(std::move(e));
  } catch (...) {
    return SKEMA_ERROR;
  }
}

int hostQueryRecords(skema_query* q, const char* formId, skema_record_fn fn, void* user) {
  if (!q || !fn) return SKEMA_ERR_INVALID;
  if (!q->source) return SKEMA_OK;  // no records to read
  try {
    q->source->forEachRecord(formId ? formId : "", [&](const std::string& json) {
      return fn(json.c_str(), user) == 0;
    });
    return SKEMA_OK;
  } catch (const std::exception& e) {
    q->error = e.what();
    return SKEMA_ERROR;
  } catch (...) {
    q->error = "unknown error";
    return SKEMA_ERROR;
  }
}

void hostResultNumber(skema_result* r, double value) {
  if (!r) return;
  r->isError = false;
  r->value = PluginValue::num(value);
}

void hostResultString(skema_result* r, const char* text) {
  if (!r) return;
  try {
    r->isError = false;
    r->value = PluginValue::str(text ? text : "");
  } catch (...) {
  }
}

void hostResultBoolean(skema_result* r, int value) {
  if (!r) return;
  r->isError = false;
  r->value = PluginValue::boolean(value != 0);
}

void hostResultJson(skema_result* r, const char* json) {
  if (!r) return;
  try {
    auto j = nlohmann::json::parse(json ? json : "");
    r->isError = false;
    r->value = PluginValue{};
    r->value.kind = PluginValue::Kind::Json;
    r->value.text = j.dump();
    if (j.is_number()) r->value.number = j.get<double>();
  } catch (const std::exception& e) {
    r->isError = true;
    r->error = std::string("result is not valid JSON: ") + e.what();
  }
}

void hostResultError(skema_result* r, const char* message) {
  if (!r) return;
  try {
    r->isError = true;
    r->error = message && *message ? message : "error";
  } catch (...) {
  }
}

}  // namespace

Labels copyTexts(const skema_text* texts) {
  Labels out;
  for (const skema_text* t = texts; t && t->lang; ++t)
    if (t->text) out[t->lang] = t->text;
  return out;
}

skema_host_api makeHostApi(skema_host* host) {
  skema_host_api api{};
  api.size = sizeof(skema_host_api);
  api.abi_version = SKEMA_PLUGIN_ABI_VERSION;
  api.host = host;
  api.host_version = kHostVersion;
  api.log = hostLog;
  api.translate = hostTranslate;
  api.language = hostLanguage;
  api.register_form_file = hostRegisterFormFile;
  api.register_form_json = hostRegisterFormJson;
  api.register_view = hostRegisterView;
  api.register_indicator = hostRegisterIndicator;
  api.register_function = hostRegisterFunction;
  api.query_records = hostQueryRecords;
  api.result_number = hostResultNumber;
  api.result_string = hostResultString;
  api.result_boolean = hostResultBoolean;
  api.result_json = hostResultJson;
  api.result_error = hostResultError;
  api.choice_label = hostChoiceLabel;
  api.field_label = hostFieldLabel;
  return api;
}

}  // namespace skema::plugin
