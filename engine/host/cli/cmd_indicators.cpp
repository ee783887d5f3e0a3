// `skema indicators WORKSPACE [--plugin ID] [--indicator ID] [--from DATE]
// [--to DATE] [--office OFFICE] [--format text|csv] [--lang da|en]`:
// computes the plugins' indicators over the workspace's final records
// (engine/core/plugin/store_record_source.h) and prints them.
//   text: per indicator its label and id, then the number or an aligned table;
//   csv:  with --indicator, that indicator's table as CSV (a number: one
//         "value" column); otherwise every selected indicator in long form,
//         indicator,row,column,value (a number has row 1 and column "value").
// Exit codes: 0; 1 when an indicator failed or none matched; 2 usage; 3/4 store.
#include <cstdio>
#include <regex>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/cmd_store_common.h"
#include "expr/functions.h"
#include "plugin/expr_bridge.h"
#include "plugin/plugin_loader.h"
#include "plugin/plugin_registry.h"
#include "plugin/store_record_source.h"
#include "util/csv.h"
#include "util/text.h"

namespace skema::cli {

namespace {

using nlohmann::json;

const char* kUsageText =
    "usage: skema indicators WORKSPACE [--plugin ID] [--indicator ID] [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
    "                        [--office OFFICE] [--format text|csv] [--lang da|en]\n"
    "  computes the indicators of the loaded plugins (see `skema plugins list -v`) over the\n"
    "  workspace's final records; --from/--to filter on each record's date (inclusive)";

std::string cellText(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  if (v.is_number_float()) {
    char b[32];
    std::snprintf(b, sizeof b, "%.4g", v.get<double>());
    return b;
  }
  return v.dump();
}

// Display width of UTF-8 text (code points; enough for Danish letters).
size_t widthOf(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

bool isTable(const json& v) { return v.is_object() && v.contains("columns") && v.contains("rows"); }

// Text output: the cells are stored values (and a plugin's labels), escaped.
void printText(const std::string& label, const std::string& id, const json& v) {
  auto shown = [](const json& cell) { return displayText(cellText(cell)); };
  if (!isTable(v)) {
    std::printf("%s (%s): %s\n", displayText(label).c_str(), displayText(id).c_str(), shown(v).c_str());
    return;
  }
  std::printf("%s (%s)\n", displayText(label).c_str(), displayText(id).c_str());
  std::vector<size_t> width;
  for (const auto& c : v["columns"]) width.push_back(widthOf(shown(c)));
  for (const auto& r : v["rows"])
    for (size_t i = 0; i < r.size() && i < width.size(); ++i) width[i] = std::max(width[i], widthOf(shown(r[i])));
  auto line = [&](const json& cells) {
    std::string out = " ";
    for (size_t i = 0; i < width.size(); ++i) {
      std::string t = i < cells.size() ? shown(cells[i]) : "";
      out += " " + t + std::string(width[i] - std::min(width[i], widthOf(t)), ' ');
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    std::printf("%s\n", out.c_str());
  };
  line(v["columns"]);
  for (const auto& r : v["rows"]) line(r);
  if (v["rows"].empty()) std::printf("  (no rows)\n");
}

std::string tableCsv(const json& v) {
  std::string out;
  if (!isTable(v)) {
    csvAppendRow(out, {"value"});
    csvAppendRow(out, {cellText(v)});
    return out;
  }
  std::vector<std::string> row;
  for (const auto& c : v["columns"]) row.push_back(cellText(c));
  csvAppendRow(out, row);
  for (const auto& r : v["rows"]) {
    row.clear();
    for (const auto& c : r) row.push_back(cellText(c));
    csvAppendRow(out, row);
  }
  return out;
}

void longCsv(std::string& out, const std::string& id, const json& v) {
  if (!isTable(v)) {
    csvAppendRow(out, {id, "1", "value", cellText(v)});
    return;
  }
  const auto& cols = v["columns"];
  size_t n = 0;
  for (const auto& r : v["rows"]) {
    ++n;
    for (size_t i = 0; i < r.size() && i < cols.size(); ++i)
      csvAppendRow(out, {id, std::to_string(n), cellText(cols[i]), cellText(r[i])});
  }
}

}  // namespace

int indicatorsCommand(const Args& args) {
  ParsedArgs a = parseArgs(args, {"--plugin", "--indicator", "--from", "--to", "--office", "--format", "--lang"}, {});
  if (!a.error.empty()) return usage((a.error + "\n" + kUsageText).c_str());
  if (a.pos.size() != 1) return usage(kUsageText);
  const std::string format = a.get("--format", "text");
  if (format != "text" && format != "csv") return usage("--format is text or csv");
  static const std::regex date(R"(\d{4}-\d{2}-\d{2})");
  for (const char* o : {"--from", "--to"})
    if (a.has(o) && !std::regex_match(a.get(o), date))
      return usage((std::string(o) + " wants a date YYYY-MM-DD, not '" + a.get(o) + "'").c_str());

  plugin::PluginRegistry registry;
  plugin::ExprFunctionSink sink(expr::FunctionRegistry::global());
  registry.setFunctionSink(&sink);
  plugin::LoaderOptions lo;
  lo.language = a.get("--lang", "en");
  plugin::PluginLoader loader(registry, lo);
  loader.loadAll(plugin::PluginLoader::defaultSearchPath());
  for (const auto& st : loader.statuses())
    if (!st.loaded) std::fprintf(stderr, "skema: warning: %s\n", displayText(st.line()).c_str());

  const std::string pluginId = a.get("--plugin"), indicatorId = a.get("--indicator");
  if (!pluginId.empty() && !loader.isLoaded(pluginId)) {
    std::fprintf(stderr, "skema: plugin '%s' is not loaded (see `skema plugins list`)\n", pluginId.c_str());
    return kFailed;
  }
  std::vector<plugin::IndicatorEntry> chosen;
  for (const auto& i : registry.indicators())
    if ((pluginId.empty() || i.owner == pluginId) && (indicatorId.empty() || i.id == indicatorId)) chosen.push_back(i);
  if (chosen.empty()) {
    std::fprintf(stderr, "skema: no indicator matches%s%s\n", indicatorId.empty() ? "" : " ", indicatorId.c_str());
    return kFailed;
  }

  std::unique_ptr<store::SqliteStore> ws;
  try {
    ws = openWorkspace(a.pos[0]);
  } catch (const store::StoreError& e) {
    return report(e);
  }
  plugin::StoreRecordSource source(*ws);
  plugin::IndicatorArgs ia;
  ia.periodFrom = a.get("--from");
  ia.periodTo = a.get("--to");
  ia.office = a.get("--office");
  ia.language = lo.language;

  int rc = kOk;
  std::string csv;
  if (format == "csv" && indicatorId.empty()) csvAppendRow(csv, {"indicator", "row", "column", "value"});
  for (const auto& ind : chosen) {
    auto r = registry.computeIndicator(ind.id, ia, source);
    const std::string label = plugin::pickLabel(ind.labels, lo.language, ind.id);
    if (!r.ok) {
      std::fprintf(stderr, "skema: %s: %s\n", ind.id.c_str(), r.error.c_str());
      rc = kFailed;
      continue;
    }
    json v = r.value.kind == plugin::PluginValue::Kind::Json ? json::parse(r.value.text, nullptr, false)
             : r.value.kind == plugin::PluginValue::Kind::Number ? json(r.value.number)
                                                                 : json(r.value.text);
    if (format == "text") printText(label, ind.id, v);
    else if (!indicatorId.empty()) csv += tableCsv(v);
    else longCsv(csv, ind.id, v);
  }
  if (format == "csv") std::fwrite(csv.data(), 1, csv.size(), stdout);
  return rc;
}

}  // namespace skema::cli
