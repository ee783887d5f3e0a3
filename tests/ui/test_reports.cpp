// The Reports view and the export dialog headless, on a real workspace with
// records saved through the store API: the frequency table the view draws
// equals the engine's numbers; an export through the dialog writes its file,
// a cancelled one leaves none.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>
#include <unistd.h>

#include "harness.h"
#include "report/dataset.h"
#include "report/report.h"
#include "store/store.h"
#include "views/workbench_view.h"

using namespace skema;
using namespace skema::ui;
namespace fs = std::filesystem;

namespace {

struct ReportsFixture {
  test::Harness h{1400, 860};
  Workbench wb;
  fs::path dir;
  std::map<std::string, int> officeCount;  // final records per office
  int finals = 0;

  explicit ReportsFixture(int records = 240) {
    dir = fs::temp_directory_path() / ("skema_ui_reports_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    wb.ctx = h.ctx;
    wb.ctx.userName = "Test Person";
    wb.ctx.userInitials = "TP";
    wb.loadShippedForms({SKEMA_UI_TEST_DATA});
    REQUIRE(wb.openWorkspace((dir / "ws.skema").string(), true));
    const char* offices[] = {"cph", "ode", "aar"};
    const char* topics[] = {"health", "housing", "money"};
    store::Actor who;
    who.user = "TP";
    for (int i = 0; i < records; ++i) {
      store::Record r;
      r.formId = "uitest.visit";
      r.formVersion = 1;
      const bool final = i % 7 != 3;
      r.status = final ? store::RecordStatus::Final : store::RecordStatus::Draft;
      const std::string office = offices[(i * i + i / 5) % 3];
      char date[16];
      std::snprintf(date, sizeof date, "2025-%02d-%02d", 1 + i % 12, 1 + i % 28);
      r.values = {{"visit_date", date}, {"office", office}, {"contacts", i % 9}, {"referred", i % 2 ? "yes" : "no"}};
      if (i % 2) r.values["referral_to"] = "somewhere";
      if (i % 5 != 0) r.values["topics"] = topics[i % 3];
      wb.store->save(r, who);
      if (final) {
        ++finals;
        ++officeCount[office];
      }
    }
  }
  ~ReportsFixture() {
    wb.entry.logic = nullptr;
    fs::remove_all(dir);
  }
  void frames(int n = 1) {
    for (int i = 0; i < n; ++i) h.rawFrame([&] {
        wb.draw();
        wb.tick(ImGui::GetTime());
      });
  }
  // A left click at `at` (hover, press, release: one frame each).
  void click(ImVec2 at) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = at;
    frames(1);
    io.MouseDown[0] = true;
    frames(1);
    io.MouseDown[0] = false;
    frames(1);
  }
  // Frames until the export thread is done (at most ~20 s).
  void waitExport() {
    for (int i = 0; i < 2000 && (wb.reports.exporter.busy() || !wb.reports.exporter.finished); ++i) {
      frames(1);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    frames(1);
  }
};

}  // namespace

TEST_CASE("reports view: the frequency table drawn equals the engine's numbers") {
  ReportsFixture f;
  REQUIRE(f.wb.openView("reports:uitest.visit:freq:office"));
  CHECK(f.wb.mode == Workbench::Mode::Reports);
  f.frames(3);
  auto& rv = f.wb.reports;
  REQUIRE(rv.error.empty());
  REQUIRE(rv.haveTable);

  // The engine on its own cache of the same workspace.
  auto ds = report::Dataset::build(*f.wb.store, "uitest.visit");
  report::ReportSpec spec;
  spec.field = "office";
  spec.lang = "da";
  const report::ReportTable t = report::runReport(*ds, spec);

  const auto cells = rv.cellsText(f.wb.ctx);
  REQUIRE(cells.size() == t.rowKeys.size() + 2);  // header + rows + total
  CHECK(cells[0][1] == "Antal");
  for (size_t r = 0; r < t.rowKeys.size(); ++r) {
    CHECK(cells[r + 1][0] == (t.rowLabels[r].empty() ? t.rowKeys[r] : t.rowLabels[r]));
    CHECK(cells[r + 1][1] == std::to_string(t.at(r, 0)));
    CHECK(t.at(r, 0) == f.officeCount[t.rowKeys[r]]);  // and the numbers are the records saved
  }
  CHECK(cells.back()[1] == std::to_string(f.finals));

  // Another field picked in the view, with drafts included and an office filter.
  rv.applySpec("freq:referred");
  rv.includeDrafts = true;
  rv.office = "ode";
  f.frames(2);
  spec.field = "referred";
  spec.includeDrafts = true;
  spec.equals["office"] = {"ode"};
  const auto t2 = report::runReport(*ds, spec);
  const auto cells2 = rv.cellsText(f.wb.ctx);
  REQUIRE(cells2.size() == t2.rowKeys.size() + 2);
  for (size_t r = 0; r < t2.rowKeys.size(); ++r) CHECK(cells2[r + 1][1] == std::to_string(t2.at(r, 0)));
  CHECK(cells2.back()[1] == std::to_string(t2.records));

  // A crosstab and a series draw without errors; a saved report reopens.
  REQUIRE(rv.applySpec("crosstab:office:referred"));
  rv.cells = ReportsView::Cells::RowPercent;
  f.frames(2);
  CHECK(rv.haveTable);
  CHECK(rv.table.colKeys.size() == 2);
  REQUIRE(rv.applySpec("series:month:office"));
  f.frames(2);
  CHECK(rv.haveTable);
  CHECK(rv.table.rowKeys.size() == 12);
  report::saveReport(*f.wb.store, {"offices", "uitest.visit", rv.spec("da")}, {"TP", ""});
  rv.setSpec(report::loadSavedReport(*f.wb.store, "offices")->spec);
  f.frames(2);
  CHECK(rv.kind == report::ReportKind::Series);
  CHECK(rv.table.colField == "office");
}

TEST_CASE("export dialog: an export writes its file; a cancelled one leaves none") {
  ReportsFixture f(400);
  REQUIRE(f.wb.openView("reports:uitest.visit"));
  f.frames(2);
  auto& ex = f.wb.reports.exporter;
  ex.open(*f.wb.store, "uitest.visit", f.wb.workspacePath, "da");
  CHECK(ex.visible);
  CHECK(ex.path.find("uitest.visit.csv") != std::string::npos);
  f.frames(2);

  for (const std::string fmt : {"csv", "sav", "xlsx"}) {
    CAPTURE(fmt);
    ex.format = static_cast<int>(std::find(ExportDialog::formats().begin(), ExportDialog::formats().end(), fmt) -
                                 ExportDialog::formats().begin());
    const fs::path out = f.dir / ("out." + fmt);
    ex.path = out.string();
    f.frames(1);
    REQUIRE(ex.exportButton.x > 0);
    f.click(ex.exportButton);  // the dialog's Eksportér button
    f.waitExport();
    CHECK(ex.lastOutcome() == ExportDialog::Outcome::Ok);
    CHECK(fs::exists(out));
    CHECK(fs::file_size(out) > 0);
    CHECK_FALSE(fs::exists(out.string() + ".part"));
    CHECK(ex.resultMessage(f.wb.ctx).find("registreringer gemt") != std::string::npos);
  }

  // An existing file is replaced only when "Replace an existing file" is ticked.
  {
    ex.format = 0;  // csv
    const fs::path out = f.dir / "out.csv";
    std::ofstream(out) << "keep";
    ex.path = out.string();
    ex.start(*f.wb.store);
    f.waitExport();
    CHECK(ex.lastOutcome() == ExportDialog::Outcome::Failed);
    CHECK(ex.resultMessage(f.wb.ctx).find("findes allerede") != std::string::npos);
    std::ifstream in(out);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(text == "keep");
    ex.replace = true;
    ex.start(*f.wb.store);
    f.waitExport();
    CHECK(ex.lastOutcome() == ExportDialog::Outcome::Ok);
    CHECK(fs::file_size(out) > 4);
    ex.replace = false;
    // Never the workspace, ticked or not.
    for (const std::string fmt : {"csv", "xlsx"}) {
      ex.format = static_cast<int>(std::find(ExportDialog::formats().begin(), ExportDialog::formats().end(), fmt) -
                                   ExportDialog::formats().begin());
      ex.path = f.wb.workspacePath;
      ex.replace = true;
      ex.start(*f.wb.store);
      f.waitExport();
      CHECK(ex.lastOutcome() == ExportDialog::Outcome::Failed);
      CHECK(ex.resultMessage(f.wb.ctx).find("is a Skema workspace") != std::string::npos);
    }
    ex.replace = false;
  }

  // Cancelled right away: no file, no temp file.
  for (const std::string fmt : {"sav", "csv"}) {
    CAPTURE(fmt);
    ex.format = static_cast<int>(std::find(ExportDialog::formats().begin(), ExportDialog::formats().end(), fmt) -
                                 ExportDialog::formats().begin());
    const fs::path out = f.dir / ("cancelled." + fmt);
    ex.path = out.string();
    ex.start(*f.wb.store);
    ex.requestCancel();
    f.waitExport();
    CHECK(ex.lastOutcome() == ExportDialog::Outcome::Cancelled);
    CHECK_FALSE(fs::exists(out));
    CHECK_FALSE(fs::exists(out.string() + ".part"));
  }

  // A failed export (no such folder) shows the error and leaves no file.
  ex.format = 3;  // sav
  ex.path = (f.dir / "missing" / "x.sav").string();
  ex.start(*f.wb.store);
  f.waitExport();
  CHECK(ex.lastOutcome() == ExportDialog::Outcome::Failed);
  CHECK(ex.resultMessage(f.wb.ctx).find("mislykkedes") != std::string::npos);
  CHECK_FALSE(fs::exists(f.dir / "missing" / "x.sav"));
}

TEST_CASE("export dialog: only the ticked versions are exported") {
  ReportsFixture f(50);
  auto v1 = f.wb.store->form("uitest.visit", 1);
  REQUIRE(v1);
  Form v2 = *v1;
  v2.version = 2;
  v2.definition["version"] = 2;
  f.wb.store->publishForm(v2, {"TP", ""});
  for (int i = 0; i < 5; ++i) {
    store::Record r;
    r.formId = "uitest.visit";
    r.formVersion = 2;
    r.status = store::RecordStatus::Final;
    r.values = {{"visit_date", "2025-03-01"}, {"office", "cph"}, {"contacts", i}, {"referred", "no"}};
    f.wb.store->save(r, {"TP", ""});
  }
  REQUIRE(f.wb.openView("reports:uitest.visit"));
  f.frames(2);
  auto& ex = f.wb.reports.exporter;
  ex.open(*f.wb.store, "uitest.visit", f.wb.workspacePath, "da");
  REQUIRE(ex.versions.size() == 2);
  CHECK(ex.versions[0].include);
  CHECK(ex.versions[1].include);
  CHECK(ex.chosenVersions().empty());  // all ticked = everything
  ex.versions[0].include = false;
  ex.format = 0;  // csv
  const fs::path out = f.dir / "v2.csv";
  ex.path = out.string();
  f.frames(1);
  REQUIRE(ex.exportButton.x > 0);
  f.click(ex.exportButton);
  f.waitExport();
  REQUIRE(ex.lastOutcome() == ExportDialog::Outcome::Ok);
  CHECK(ex.records == 5);
  std::ifstream in(out);
  int lines = 0;
  for (std::string line; std::getline(in, line);) {
    if (lines++ == 0) continue;  // header
    CHECK(line.find(",2,final,") != std::string::npos);  // _form_version 2
  }
  CHECK(lines == 6);

  // Nothing ticked: the button is greyed out, and starting anyway is refused.
  ex.versions[1].include = false;
  ex.path = (f.dir / "none.csv").string();
  ex.start(*f.wb.store);
  f.waitExport();
  CHECK(ex.lastOutcome() == ExportDialog::Outcome::Failed);
  CHECK_FALSE(fs::exists(f.dir / "none.csv"));
}

TEST_CASE("workbench: opening a workspace moves reports from an old side file into it") {
  ReportsFixture f(10);
  const std::string ws = (f.dir / "ws.skema").string();
  const std::string side = report::savedReportsFilePath(ws);
  {
    std::ofstream out(side);
    out << R"({"by office": {"form": "uitest.visit", "spec": {"kind": "freq", "field": "office"}}})";
  }
  Workbench again;
  again.ctx = f.h.ctx;
  REQUIRE(again.openWorkspace(ws, false));
  CHECK(again.workspaceError.empty());
  auto saved = report::loadSavedReport(*again.store, "by office");
  REQUIRE(saved);
  CHECK(saved->formId == "uitest.visit");
  CHECK(saved->spec.field == "office");
  CHECK_FALSE(fs::exists(side));
  CHECK(fs::exists(side + ".imported"));
  // A side file that does not read stays, and the workbench says why.
  { std::ofstream(side) << "{not json"; }
  Workbench third;
  third.ctx = f.h.ctx;
  REQUIRE(third.openWorkspace(ws, false));
  CHECK(third.workspaceError.find(side) != std::string::npos);
  CHECK(fs::exists(side));
}

TEST_CASE("reports view: a field inside a repeat counts its instances, offered only where it can be reported") {
  ReportsFixture f(0);
  store::Actor who;
  who.user = "TP";
  // Three records with 2, 1 and 0 people: three instances.
  const nlohmann::json people[] = {nlohmann::json::array({{{"code", "A-1"}, {"age", 20}}, {{"code", "A-2"}, {"age", 30}}}),
                                   nlohmann::json::array({{{"code", "A-3"}, {"age", 20}}}), nlohmann::json::array()};
  for (const auto& p : people) {
    store::Record r;
    r.formId = "uitest.visit";
    r.formVersion = 1;
    r.status = store::RecordStatus::Final;
    r.values = {{"visit_date", "2025-03-01"}, {"office", "cph"}, {"people", p}};
    f.wb.store->save(r, who);
  }
  REQUIRE(f.wb.openView("reports:uitest.visit:freq:age"));
  f.frames(3);
  auto& rv = f.wb.reports;
  REQUIRE(rv.error.empty());
  REQUIRE(rv.haveTable);
  CHECK(rv.table.instances == 3);
  CHECK(rv.table.records == 3);

  const auto cells = rv.cellsText(f.wb.ctx);
  REQUIRE(cells.size() == 4);  // header, 20, 30, total
  CHECK(cells[1][0] == "20");
  CHECK(cells[1][1] == "2");
  CHECK(cells[1][2] == "66.7 %");  // of the instances, not of the records
  CHECK(cells[2][1] == "1");
  CHECK(cells.back()[0] == "I alt (forekomster)");
  CHECK(cells.back()[1] == "3");

  // Frequency and crosstab offer it; filters and "split by" do not.
  const auto& vars = rv.ds->variables().vars;
  auto has = [&](const std::vector<int>& list) {
    for (int i : list)
      if (vars[i].name == "age") return true;
    return false;
  };
  CHECK(has(rv.reportFields));
  CHECK_FALSE(has(rv.fields));
}
