// The test plugin that works: a C++ plugin registering one of everything.
//   indicator good.count      records of "test.visit" in the period and office asked for
//   indicator good.by_form    a table: records per form
//   indicator good.throws     throws from compute
//   function  good-add(a, b)  a + b
//   function  good-fail()     an error result
//   function  good-throw()    throws
//   function  good-lookup(code)  a clinic name from a table, "" when unknown
//   view      good.view.main  counts its draws (no ImGui in the test)
//   form      good.form       given as JSON text
// Logs from init and from shutdown (which also tries to register, and must fail).
#include <cstdio>
#include <map>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "skema/plugin.h"

namespace {

const skema_host_api* g_api = nullptr;
int g_draws = 0;

struct CountState {
  const skema_indicator_args* args;
  long count = 0;
};

int countOne(const char* json, void* user) {
  auto* st = static_cast<CountState*>(user);
  auto r = nlohmann::json::parse(json);
  std::string date = r.value("created_at", std::string()).substr(0, 10);
  const auto* a = st->args;
  if (a->period_from && date < a->period_from) return 0;
  if (a->period_to && date > a->period_to) return 0;
  if (a->office && r["values"].value("office", std::string()) != a->office) return 0;
  ++st->count;
  return 0;
}

int count(const skema_host_api* api, skema_query* q, const skema_indicator_args* args,
          skema_result* r, void*) {
  CountState st{args};
  if (api->query_records(q, "test.visit", countOne, &st) != SKEMA_OK) {
    api->result_error(r, "records could not be read");
    return SKEMA_ERROR;
  }
  api->result_number(r, double(st.count));
  return SKEMA_OK;
}

int byForm(const skema_host_api* api, skema_query* q, const skema_indicator_args*, skema_result* r,
           void*) {
  std::map<std::string, int> perForm;
  api->query_records(
      q, nullptr,
      [](const char* json, void* user) {
        auto& m = *static_cast<std::map<std::string, int>*>(user);
        ++m[nlohmann::json::parse(json).value("form", std::string())];
        return 0;
      },
      &perForm);
  nlohmann::json table = {{"columns", {"form", "records"}}, {"rows", nlohmann::json::array()}};
  for (const auto& [form, n] : perForm) table["rows"].push_back({form, n});
  api->result_json(r, table.dump().c_str());
  return SKEMA_OK;
}

int throwingCompute(const skema_host_api*, skema_query*, const skema_indicator_args*, skema_result*,
                    void*) {
  throw std::runtime_error("compute exploded");
}

int add(const skema_host_api* api, const skema_value* args, int, skema_result* r, void*) {
  api->result_number(r, args[0].number + args[1].number);
  return SKEMA_OK;
}

int fail(const skema_host_api* api, const skema_value*, int, skema_result* r, void*) {
  api->result_error(r, "good-fail() always fails");
  return SKEMA_ERROR;
}

int throwing(const skema_host_api*, const skema_value*, int, skema_result*, void*) {
  throw std::logic_error("good-throw() threw");
}

int lookup(const skema_host_api* api, const skema_value* args, int, skema_result* r, void* user) {
  const auto& names = *static_cast<const std::map<std::string, std::string>*>(user);
  auto it = names.find(args[0].text);
  api->result_string(r, it == names.end() ? "" : it->second.c_str());
  return SKEMA_OK;
}

int draw(const skema_host_api*, const skema_ui_context* ui, void* user) {
  if (!ui || ui->size < sizeof(skema_ui_context)) return SKEMA_ERROR;
  ++*static_cast<int*>(user);
  return SKEMA_OK;
}

const std::map<std::string, std::string> kClinics = {{"K01", "Klinik Nord"}, {"K02", "Klinik Syd"}};

const skema_text kCountLabels[] = {{"en", "Visits"}, {"da", "Besøg"}, {nullptr, nullptr}};
const skema_text kViewTitles[] = {{"en", "Good"}, {"da", "God"}, {nullptr, nullptr}};

const char* kForm = R"({
  "format": "skema-form/1",
  "id": "good.form",
  "version": 1,
  "title": {"en": "Good form", "da": "God formular"},
  "fields": [
    {"name": "note", "type": "text", "label": {"en": "Note", "da": "Note"}}
  ]
})";

int init(const skema_host_api* api, char* error, size_t errorSize) {
  g_api = api;
  int rc = SKEMA_OK;
  auto check = [&](int r, const char* what) {
    if (r != SKEMA_OK && rc == SKEMA_OK) {
      snprintf(error, errorSize, "could not register %s (code %d)", what, r);
      rc = r;
    }
  };
  skema_indicator_info ind{};
  ind.size = sizeof ind;
  ind.id = "good.count";
  ind.labels = kCountLabels;
  ind.compute = count;
  check(skema_register_indicator(api, &ind), "good.count");
  ind.id = "good.by_form";
  ind.labels = nullptr;
  ind.compute = byForm;
  check(skema_register_indicator(api, &ind), "good.by_form");
  ind.id = "good.throws";
  ind.compute = throwingCompute;
  check(skema_register_indicator(api, &ind), "good.throws");

  skema_function_info fn{};
  fn.size = sizeof fn;
  fn.name = "good-add";
  fn.min_args = fn.max_args = 2;
  fn.call = add;
  check(skema_register_function(api, &fn), "good-add");
  fn.name = "good-fail";
  fn.min_args = fn.max_args = 0;
  fn.call = fail;
  check(skema_register_function(api, &fn), "good-fail");
  fn.name = "good-throw";
  fn.call = throwing;
  check(skema_register_function(api, &fn), "good-throw");
  fn.name = "good-lookup";
  fn.min_args = fn.max_args = 1;
  fn.call = lookup;
  fn.user = const_cast<std::map<std::string, std::string>*>(&kClinics);
  check(skema_register_function(api, &fn), "good-lookup");

  skema_view_info view{};
  view.size = sizeof view;
  view.id = "good.view.main";
  view.titles = kViewTitles;
  view.draw = draw;
  view.user = &g_draws;
  check(skema_register_view(api, &view), "good.view.main");

  check(api->register_form_json(api->host, kForm, "good.form.json"), "good.form");
  // An invalid definition is refused (and its problems logged), not fatal.
  if (api->register_form_json(api->host, R"({"format": "skema-form/1", "id": "good.bad"})",
                              "good.bad.json") == SKEMA_ERR_INVALID)
    skema_log(api, SKEMA_LOG_INFO, "invalid form refused");

  std::string msg = std::string("ready; ") + api->translate(api->host, "good.greeting");
  skema_log(api, SKEMA_LOG_INFO, msg.c_str());
  return rc;
}

void shutdown() {
  if (!g_api) return;
  skema_log(g_api, SKEMA_LOG_INFO, "shutdown");
  // Registering now must be refused: the host has already cleared the registries.
  skema_function_info late{};
  late.size = sizeof late;
  late.name = "good-late";
  late.call = add;
  if (skema_register_function(g_api, &late) != SKEMA_OK)
    skema_log(g_api, SKEMA_LOG_INFO, "late registration refused");
  g_api = nullptr;
}

}  // namespace

SKEMA_PLUGIN("good", "Good", "1.2.3", "Registers one of everything", init, shutdown)
