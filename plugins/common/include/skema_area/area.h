// Shared by the area plugins: records as the ABI delivers them, the
// report filters (period, office), result tables, and the glue between a
// plain C++ computation and the C ABI's indicator callback.
//
// Every computation of an area is a plain function
//   Result f(const Records& records, const Filter& filter)
// over records parsed from the ABI's JSON, so it is unit-tested without a
// host, a store or ImGui; the plugin's indicator callback only queries the
// records it needs and hands them over (registerIndicator below).
#pragma once
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "skema/plugin.h"

namespace skema::area {

using nlohmann::json;

// One record: {"id","form","version","status","person","created_at","values"}.
struct Record {
  std::string id, form, person, createdAt;
  int version = 0;
  json values = json::object();

  static std::optional<Record> parse(const char* text);
  // values.date when set (every shipped form's main date), else created_at's day.
  std::string date() const;
  std::string text(const char* field) const;        // "" when absent; numbers as text
  std::optional<double> number(const char* field) const;  // numbers and numeric strings
  bool selected(const char* field, const std::string& choice) const;  // select_multiple
};
using Records = std::vector<Record>;

// The names chosen in a select_multiple value ("a b c").
std::vector<std::string> choicesOf(const json& value);
std::optional<double> numberOf(const json& value);
std::string textOf(const json& value);

// The report filters: period on the record's main date, office.
struct Filter {
  std::string from, to;  // "YYYY-MM-DD" inclusive, "" = open
  std::string office;    // "" = all
  bool inPeriod(const std::string& date) const;
  bool officeMatches(const std::string& office) const { return this->office.empty() || office == this->office; }
  // inPeriod(r.date()) and officeMatches(values.office).
  bool matches(const Record& r) const;
  static Filter fromArgs(const skema_indicator_args* args);
};

// A table result: {"columns": [...], "rows": [[...], ...]}.
struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<json>> rows;
  json toJson() const;
};

// round(x, digits)
double roundTo(double x, int digits);
// Counts of keys as rows [key, count], sorted by key.
Table countTable(const std::string& keyColumn, const std::map<std::string, long>& counts,
                 const std::string& countColumn = "count");

// Where the values of a column get the words a user reads instead of the
// names stored: a form field's choice labels (`form`, `field`); with no
// field, the labels of `form`'s fields (the values are field names); with
// no form, the UI strings "<field>.<value>" (words the plugin makes itself).
// A column may be named more than once: the first that knows a value wins.
struct ValueWords {
  std::string column, form, field;
};
// A table result as the dashboard shows it, in the UI language: headings
// from the UI strings ("dashboard.col.<column>"; the column's name when
// there is none) and the values of the `words` columns in words. Several
// names in one cell ("a b" or "a, b", as select_multiple keeps them) become
// "A, B". The indicator results themselves (and `skema indicators`) keep
// the stored names.
json presentTable(const skema_host_api* api, const json& table, const std::vector<ValueWords>& words = {});
// One stored choice name in words (choice_label; the name on an older host).
std::string choiceLabel(const skema_host_api* api, const std::string& form, const std::string& field,
                        const std::string& name);
// A field's label (field_label; the name on an older host).
std::string fieldLabel(const skema_host_api* api, const std::string& form, const std::string& field);

// Records of one form through the ABI query handle (empty and an error
// message when reading failed).
bool queryRecords(const skema_host_api* api, skema_query* query, const char* formId, Records& out,
                  std::string& error);

// An indicator: its id, labels and computation over records of `forms`.
using Computation = std::function<json(const std::map<std::string, Records>& byForm, const Filter& filter)>;
struct IndicatorDef {
  const char* id;
  const skema_text* labels;
  std::vector<std::string> forms;  // forms whose records it reads
  Computation compute;
};
// Registers `defs` (which must outlive the plugin: keep them static).
int registerIndicators(const skema_host_api* api, const std::vector<IndicatorDef>& defs, std::string& error);

// Registers every *.json of SKEMA_PLUGIN_FORMS_DIR/<area> (in name order).
// Returns how many were accepted; `error` names the first one refused.
int registerAreaForms(const skema_host_api* api, const std::string& area, std::string& error);

// The records of `formId` in a by-form map (empty when it has none).
const Records& recordsOf(const std::map<std::string, Records>& byForm, const std::string& formId);

// What every area plugin's init does: register the forms of forms/<area>
// (a refused form is logged, not fatal), the indicators, then the views.
// Fills `error` and returns SKEMA_ERROR when indicators or views fail.
int initArea(const skema_host_api* api, const char* area, const std::vector<IndicatorDef>& defs,
             int (*registerViews)(const skema_host_api*), char* error, size_t errorSize);

// Every form's records for a view: form id -> records (filter not applied).
std::map<std::string, Records> loadForms(const skema_host_api* api, skema_query* query,
                                         const std::vector<std::string>& forms, std::string& error);

}  // namespace skema::area
