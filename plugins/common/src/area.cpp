#include "skema_area/area.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>

namespace skema::area {

std::optional<Record> Record::parse(const char* text) {
  if (!text) return std::nullopt;
  json j = json::parse(text, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  Record r;
  r.id = textOf(j.value("id", json()));
  r.form = textOf(j.value("form", json()));
  r.person = textOf(j.value("person", json()));
  r.createdAt = textOf(j.value("created_at", json()));
  r.version = j.contains("version") && j["version"].is_number() ? j["version"].get<int>() : 0;
  if (j.contains("values") && j["values"].is_object()) r.values = std::move(j["values"]);
  return r;
}

std::string Record::date() const {
  std::string d = text("date");
  if (d.size() >= 10) return d.substr(0, 10);
  return createdAt.substr(0, 10);
}

std::string Record::text(const char* field) const {
  auto it = values.find(field);
  return it == values.end() ? std::string() : textOf(*it);
}

std::optional<double> Record::number(const char* field) const {
  auto it = values.find(field);
  if (it == values.end()) return std::nullopt;
  return numberOf(*it);
}

bool Record::selected(const char* field, const std::string& choice) const {
  auto it = values.find(field);
  if (it == values.end()) return false;
  auto cs = choicesOf(*it);
  return std::find(cs.begin(), cs.end(), choice) != cs.end();
}

std::vector<std::string> choicesOf(const json& value) {
  std::vector<std::string> out;
  if (value.is_array()) {
    for (const auto& v : value)
      if (v.is_string() && !v.get<std::string>().empty()) out.push_back(v.get<std::string>());
    return out;
  }
  std::istringstream in(textOf(value));
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

std::optional<double> numberOf(const json& value) {
  if (value.is_number()) return value.get<double>();
  if (value.is_boolean()) return value.get<bool>() ? 1.0 : 0.0;
  if (value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    if (s.empty()) return std::nullopt;
    char* end = nullptr;
    double d = std::strtod(s.c_str(), &end);
    if (end && *end == '\0') return d;
  }
  return std::nullopt;
}

std::string textOf(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return {};
  if (value.is_number_integer()) return std::to_string(value.get<long long>());
  return value.dump();
}

bool Filter::inPeriod(const std::string& date) const {
  const std::string d = date.substr(0, 10);
  if (!from.empty() && d < from) return false;
  if (!to.empty() && d > to) return false;
  return true;
}

bool Filter::matches(const Record& r) const { return inPeriod(r.date()) && officeMatches(r.text("office")); }

Filter Filter::fromArgs(const skema_indicator_args* args) {
  Filter f;
  if (!args) return f;
  if (args->period_from) f.from = args->period_from;
  if (args->period_to) f.to = args->period_to;
  if (args->office) f.office = args->office;
  return f;
}

json Table::toJson() const {
  json rs = json::array();
  for (const auto& r : rows) rs.push_back(json(r));
  return {{"columns", columns}, {"rows", rs}};
}

double roundTo(double x, int digits) {
  const double p = std::pow(10.0, digits);
  return std::round(x * p) / p;
}

Table countTable(const std::string& keyColumn, const std::map<std::string, long>& counts,
                 const std::string& countColumn) {
  Table t;
  t.columns = {keyColumn, countColumn};
  for (const auto& [k, n] : counts) t.rows.push_back({k, n});
  return t;
}

namespace {

struct Collect {
  Records* out;
};

int onRecord(const char* text, void* user) {
  auto* c = static_cast<Collect*>(user);
  if (auto r = Record::parse(text)) c->out->push_back(std::move(*r));
  return 0;
}

int computeIndicator(const skema_host_api* api, skema_query* query, const skema_indicator_args* args,
                     skema_result* result, void* user) {
  const IndicatorDef* def = static_cast<const IndicatorDef*>(user);
  try {
    std::map<std::string, Records> byForm;
    for (const auto& f : def->forms) {
      std::string error;
      if (!queryRecords(api, query, f.c_str(), byForm[f], error)) {
        api->result_error(result, error.c_str());
        return SKEMA_ERROR;
      }
    }
    json value = def->compute(byForm, Filter::fromArgs(args));
    api->result_json(result, value.dump().c_str());
    return SKEMA_OK;
  } catch (const std::exception& e) {
    api->result_error(result, e.what());
    return SKEMA_ERROR;
  }
}

}  // namespace

bool queryRecords(const skema_host_api* api, skema_query* query, const char* formId, Records& out,
                  std::string& error) {
  Collect c{&out};
  if (api->query_records(query, formId, onRecord, &c) != SKEMA_OK) {
    error = std::string("cannot read the records of ") + formId;
    return false;
  }
  return true;
}

int registerIndicators(const skema_host_api* api, const std::vector<IndicatorDef>& defs, std::string& error) {
  for (const auto& d : defs) {
    skema_indicator_info info{};
    info.size = sizeof info;
    info.id = d.id;
    info.labels = d.labels;
    info.compute = computeIndicator;
    info.user = const_cast<IndicatorDef*>(&d);
    int rc = skema_register_indicator(api, &info);
    if (rc != SKEMA_OK) {
      error = std::string("cannot register indicator ") + d.id;
      return rc;
    }
  }
  return SKEMA_OK;
}

int registerAreaForms(const skema_host_api* api, const std::string& area, std::string& error) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(fs::path(SKEMA_PLUGIN_FORMS_DIR) / area, ec))
    if (e.path().extension() == ".json") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  int ok = 0;
  for (const auto& f : files) {
    if (api->register_form_file(api->host, f.c_str()) == SKEMA_OK) ++ok;
    else if (error.empty()) error = "form refused: " + f;
  }
  if (files.empty()) error = std::string("no forms found in ") + SKEMA_PLUGIN_FORMS_DIR + "/" + area;
  return ok;
}

std::map<std::string, Records> loadForms(const skema_host_api* api, skema_query* query,
                                         const std::vector<std::string>& forms, std::string& error) {
  std::map<std::string, Records> out;
  for (const auto& f : forms)
    if (!queryRecords(api, query, f.c_str(), out[f], error)) break;
  return out;
}

const Records& recordsOf(const std::map<std::string, Records>& byForm, const std::string& formId) {
  static const Records none;
  auto it = byForm.find(formId);
  return it == byForm.end() ? none : it->second;
}

int initArea(const skema_host_api* api, const char* area, const std::vector<IndicatorDef>& defs,
             int (*registerViews)(const skema_host_api*), char* error, size_t errorSize) {
  std::string why;
  registerAreaForms(api, area, why);
  if (!why.empty()) skema_log(api, SKEMA_LOG_WARNING, why.c_str());
  why.clear();
  if (registerIndicators(api, defs, why) != SKEMA_OK || registerViews(api) != SKEMA_OK) {
    std::snprintf(error, errorSize, "%s", why.empty() ? "cannot register the views" : why.c_str());
    return SKEMA_ERROR;
  }
  return SKEMA_OK;
}

std::string choiceLabel(const skema_host_api* api, const std::string& form, const std::string& field,
                        const std::string& name) {
  if (!SKEMA_HOST_HAS(api, choice_label)) return name;
  return api->choice_label(api->host, form.c_str(), field.c_str(), name.c_str());
}

std::string fieldLabel(const skema_host_api* api, const std::string& form, const std::string& field) {
  if (!SKEMA_HOST_HAS(api, field_label)) return field;
  return api->field_label(api->host, form.c_str(), field.c_str());
}

json presentTable(const skema_host_api* api, const json& table, const std::vector<ValueWords>& words) {
  if (!table.is_object() || !table.contains("columns") || !table["columns"].is_array()) return table;
  json out = table;
  const auto& cols = table["columns"];
  std::vector<std::vector<const ValueWords*>> byColumn(cols.size());
  for (size_t i = 0; i < cols.size(); ++i) {
    const std::string name = textOf(cols[i]);
    const std::string key = "dashboard.col." + name;
    const char* heading = api->translate(api->host, key.c_str());
    out["columns"][i] = key == heading ? name : heading;
    for (const auto& w : words)
      if (w.column == name) byColumn[i].push_back(&w);
  }
  auto inWords = [&](const std::vector<const ValueWords*>& ways, const std::string& name) -> std::string {
    for (const ValueWords* w : ways) {
      std::string shown;
      if (w->form.empty()) {
        const std::string key = w->field + "." + name;
        shown = api->translate(api->host, key.c_str());
        if (shown == key) shown = name;
      } else {
        shown = w->field.empty() ? fieldLabel(api, w->form, name) : choiceLabel(api, w->form, w->field, name);
      }
      if (shown != name) return shown;
    }
    return name;
  };
  for (auto& row : out["rows"]) {
    if (!row.is_array()) continue;
    for (size_t i = 0; i < row.size() && i < byColumn.size(); ++i) {
      if (byColumn[i].empty() || !row[i].is_string()) continue;
      const std::string cell = row[i].get<std::string>();
      std::string shown;
      size_t pos = 0;
      while (pos < cell.size()) {  // names never hold spaces or commas
        const size_t end = std::min(cell.find_first_of(" ,", pos), cell.size());
        if (end > pos) shown += (shown.empty() ? "" : ", ") + inWords(byColumn[i], cell.substr(pos, end - pos));
        pos = end + 1;
      }
      row[i] = shown;
    }
  }
  return out;
}

}  // namespace skema::area
