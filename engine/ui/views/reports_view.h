// The Reports view: pick a form (all versions, renames followed: the
// engine's union of variables), then a frequency table of a field, a
// crosstab of two fields (counts, row or column percentages) or a time
// series (week/month/quarter, optionally split by a field), with filters on
// any field, the period and the office. A chart (views/charts.h) above the
// table; saved reports by name; the export dialog. The numbers are the
// engine's (report/report.h), as on the command line.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "form/form.h"
#include "report/dataset.h"
#include "report/report.h"
#include "store/store.h"
#include "ui_context.h"
#include "views/export_dialog.h"

namespace skema::ui {

struct ReportsView {
  std::string formId;
  std::string workspacePath;  // the export dialog's thread opens its own connection to it
  std::unique_ptr<report::Dataset> ds;
  std::vector<int> fields;        // top-level variables (indices into ds->variables().vars): filters, split by
  std::vector<int> reportFields;  // those and the fields inside repeats: frequency and crosstab

  report::ReportKind kind = report::ReportKind::Frequency;
  int field = -1, colField = -1, byField = -1, dateField = -1;  // variable indices; -1 = none
  report::Period period = report::Period::Month;
  enum class Cells { Counts, RowPercent, ColPercent };
  Cells cells = Cells::Counts;
  std::string from, to;  // period filter, "YYYY-MM-DD"
  std::string office;    // choice name of the office filter; "" = all
  struct Filter {
    int var = -1;
    std::string value;  // "" = none chosen yet
  };
  std::vector<Filter> filters;
  bool includeDrafts = false;

  report::ReportTable table;
  bool haveTable = false;
  std::string error;
  bool stale = true;
  std::string ranLang;

  std::string saveName;
  std::vector<report::SavedReport> saved;
  std::string savedMessage;

  ExportDialog exporter;
  const store::Store* builtFrom = nullptr;  // the store `ds` was read from
  bool openExporter = false;  // opened on the next draw ("export" spec)

  // Builds the cache for `formId`; false (with `error`) when it cannot.
  bool open(store::Store& store, const std::string& formId, const std::string& workspacePath);
  // "freq:FIELD", "crosstab:ROW:COL[:row%|:col%]", "series:PERIOD[:BY]", "export"
  // (the --view syntax after FORMID).
  bool applySpec(const std::string& text);
  report::ReportSpec spec(const std::string& lang) const;
  void setSpec(const report::ReportSpec& s);
  // Runs the report now (also done by draw() when something changed).
  void run(const std::string& lang);
  // The table as drawn: a header row, then one row per table row, then totals.
  std::vector<std::vector<std::string>> cellsText(const UiContext& ctx) const;

  // `forms`: the workbench's forms (latest versions) for the form picker.
  void draw(UiContext& ctx, store::Store& store, const std::vector<std::shared_ptr<const Form>>& forms);

 private:
  int var(const std::string& name) const;
  std::string varLabel(int v, const std::string& lang) const;
  // Values a filter on variable v can take: (value, label).
  std::vector<std::pair<std::string, std::string>> valuesOf(int v, const std::string& lang) const;
  bool fieldCombo(const char* label, int& v, const UiContext& ctx, bool allowNone, const std::vector<int>& list);
  void drawControls(UiContext& ctx, store::Store& store);
  void drawChart(UiContext& ctx, float height);
  void drawTable(UiContext& ctx);
};

}  // namespace skema::ui
