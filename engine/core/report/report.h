// Reports over a form's records (all versions, renames followed): frequency
// tables, crosstabs and time series, computed on a Dataset (report/dataset.h).
// The command line (`skema report`) and the workbench's Reports view use
// this one engine, so they give the same numbers. See docs/reports.md.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/dataset.h"

namespace skema::report {

enum class ReportKind { Frequency, Crosstab, Series };
enum class Period { Week, Month, Quarter, Year };

const char* reportKindName(ReportKind k);     // "freq", "crosstab", "series"
std::optional<ReportKind> reportKindFromName(const std::string& s);
const char* periodName(Period p);             // "week", "month", "quarter", "year"
std::optional<Period> periodFromName(const std::string& s);

struct ReportSpec {
  ReportKind kind = ReportKind::Frequency;
  std::string field;       // freq: the field; crosstab: the row field
  std::string colField;    // crosstab: the column field
  Period period = Period::Month;
  std::string byField;     // series: split by this field ("" = one count)
  std::string dateField = "date";  // series and the period filter
  std::string where;       // expression in the form language ("" = all)
  std::string from, to;    // period filter on dateField, inclusive "YYYY-MM-DD" ("" = open)
  // field -> allowed values (e.g. "office" -> {"odense"}); select_multiple:
  // any of them chosen. Empty set = no condition.
  std::map<std::string, std::vector<std::string>> equals;
  bool includeDrafts = false;  // default: final records only
  std::string lang = "en";     // labels

  nlohmann::json toJson() const;
  static ReportSpec fromJson(const nlohmann::json& j);  // throws std::runtime_error
};

struct ReportTable {
  ReportKind kind = ReportKind::Frequency;
  std::string title;
  std::string rowField, colField;          // names (newest); colField "" for freq / plain series
  std::string rowLabel, colLabel;          // field labels in spec.lang
  std::vector<std::string> rowKeys, rowLabels;  // values (choice names, periods, ...); "" = no value
  std::vector<std::string> colKeys, colLabels;  // freq: one column "count"
  std::vector<std::int64_t> counts;        // rows x cols, row-major
  // Records in each row / column (a select_multiple record counts once per
  // row it appears in, so cells can sum to more than these).
  std::vector<std::int64_t> rowTotals, colTotals;
  std::int64_t records = 0;                // records that passed the filters
  // A field of a repeat counts each instance of the repeat (in the records
  // that passed the filters): the repeat's name and how many instances;
  // totals and percentages are then of instances.
  std::string instancesOf;
  std::int64_t instances = 0;
  bool rowMultiple = false, colMultiple = false;

  std::int64_t at(size_t r, size_t c) const { return counts[r * colKeys.size() + c]; }
  std::int64_t units() const { return instancesOf.empty() ? records : instances; }  // what was counted
  double rowPercent(size_t r, size_t c) const;  // of rowTotals[r]
  double colPercent(size_t r, size_t c) const;  // of colTotals[c]
};

class ReportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Runs `spec`. Throws ReportError for unknown fields, an invalid --where
// expression (with its column) and fields that cannot be reported on.
ReportTable runReport(const Dataset& ds, const ReportSpec& spec);

// Rows matching spec's filters (where, equals, period, status); for tools
// that need the selection itself.
std::vector<std::uint32_t> selectRows(const Dataset& ds, const ReportSpec& spec);

// The table as aligned text; labels and values escaped with displayText()
// (util/text.h). formatCsv and formatJson keep them as they are.
std::string formatText(const ReportTable& t);
std::string formatCsv(const ReportTable& t);
nlohmann::json formatJson(const ReportTable& t);

// The ISO week ("2024-W05"), month ("2024-03"), quarter ("2024-Q1") or year
// of a date given as days since 1970-01-01.
std::string periodOf(long long days, Period p);

// Saved reports: kept in the workspace by name (Store::saveReport; the
// definition is {"spec": ...}), so they travel with it.
struct SavedReport {
  std::string name, formId;
  ReportSpec spec;
};
// By name. Throws ReportError naming a saved report whose definition does
// not read.
std::vector<SavedReport> loadSavedReports(store::Store& store);
std::optional<SavedReport> loadSavedReport(store::Store& store, const std::string& name);
// Adds or replaces by name.
void saveReport(store::Store& store, const SavedReport& r, const store::Actor& who);
bool deleteSavedReport(store::Store& store, const std::string& name);

// Earlier versions kept saved reports in a side file beside the workspace,
// `WORKSPACE.reports.json` ({name: {"form", "spec"}}). Moves them into the
// workspace once: a name the workspace already has keeps its report; the
// file is then renamed `WORKSPACE.reports.json.imported` (kept, never read
// again). Returns how many were added (0 without a file). A file that does
// not read: ReportError, and the file and workspace are left as they were.
std::string savedReportsFilePath(const std::string& workspacePath);
int importSavedReportsFile(store::Store& store, const std::string& workspacePath, const store::Actor& who);

}  // namespace skema::report
