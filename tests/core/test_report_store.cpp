// Reports and the workspace: the report cache read from the stored JSON
// text, saved reports kept in the workspace (and moved in from the old side
// file), exports of chosen form versions.
#include <doctest/doctest.h>

#include <readstat.h>
#include <sqlite3.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

#include "report/export.h"
#include "report/report.h"
#include "store/import_export.h"
#include "test_report_util.h"

using namespace skema;
using namespace skema::report;
using namespace skema::store;
using nlohmann::json;
using reporttest::makeStore;
namespace fs = std::filesystem;

namespace {

void sql(const std::string& path, const std::string& text) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(db, text.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) MESSAGE(err);
  sqlite3_free(err);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
}

long long sqlInt(const std::string& path, const std::string& text) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, text.c_str(), -1, &st, nullptr);
  long long v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
  sqlite3_finalize(st);
  sqlite3_close(db);
  return v;
}

// A stored row written as another writer might have: SQL straight into the table.
std::string rawRow(const std::string& id, int version, const std::string& data, const std::string& created = "2024-01-01T10:00:00.000Z") {
  auto q = [](const std::string& s) {
    std::string o = "'";
    for (char c : s) o += c == '\'' ? std::string("''") : std::string(1, c);
    return o + "'";
  };
  return "INSERT INTO records(id, form_id, form_version, status, person_code, created_at, created_by, updated_at, "
         "updated_by, deleted, revision, data) VALUES(" +
         q(id) + ", 'rep.visit', " + std::to_string(version) + ", 1, NULL, " + q(created) + ", 'x', " + q(created) +
         ", 'x', 0, 1, " + q(data) + ");";
}

std::string readAll(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_CASE("report cache: values read from the stored text are the ones JSON gives") {
  storetest::TempDir dir;
  const std::string ws = dir.file("w.skema");
  makeStore(ws).reset();
  // Text the store would not write itself: spaces, escapes, \u escapes (also
  // a surrogate pair), an escaped key, numbers in several spellings, a
  // nested array, a key no version has, an odd id and an odd time stamp.
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"00000000-0000-7000-8000-000000000001",
       R"({ "date" : "2024-03-01" , "office":"cph", "notes": "a \"quoted\" \\ back\/slash\n line", "people": 7 })"},
      {"00000000-0000-7000-8000-000000000002",
       R"({"date":"2024-03-02","notes":"\u00e9t\u00E9 \ud83d\ude00","people":7.0,"x":[{"a":"}]"}],"o\u0066fice":"odense"})"},
      {"00000000-0000-7000-8000-000000000003", R"({"date":"2024-03-03","people":-0,"notes":"été 😀","topics":"tax health"})"},
      {"not-a-uuid", R"({"people":1e2,"notes":"","place_kind":"clinic","topics":"health"})"},
  };
  std::string script;
  for (const auto& [id, data] : rows) script += rawRow(id, 1, data);
  script += rawRow("00000000-0000-7000-8000-000000000009", 1, R"({"date":"2024-03-09"})", "yesterday");
  sql(ws, script);

  auto s = SqliteStore::open(ws);
  auto ds = Dataset::build(*s, "rep.visit");
  const auto& fv = ds->variables();
  const size_t base = 7;  // the fixture's records come first
  REQUIRE(ds->rows() == base + rows.size() + 1);
  // In creation order, the fixture's deleted record (the 6th) in its place.
  for (size_t r = 0; r < ds->rows(); ++r) CHECK(ds->deleted(r) == (r == 5));
  CHECK(ds->version(4) == 2);
  CHECK(ds->version(6) == 2);
  CHECK_FALSE(ds->final(6));
  // Every cached value equals what nlohmann's parser makes of the same text.
  for (size_t i = 0; i < rows.size(); ++i) {
    const size_t row = base + i;
    const json want = json::parse(rows[i].second);
    CHECK(ds->id(row) == rows[i].first);
    for (const char* field : {"date", "office", "notes", "people", "place_kind", "topics"}) {
      const int v = fv.find(field);
      REQUIRE(v >= 0);
      const Column& c = ds->column(v);
      const json got = c.dict[c.codes[row]];
      if (!want.contains(field)) {
        CHECK_MESSAGE(got.is_null(), field);
      } else if (want[field].is_number()) {
        CHECK_MESSAGE(got.get<double>() == want[field].get<double>(), field);
      } else {
        CHECK_MESSAGE(got == want[field], field);
      }
    }
  }
  // 7 and 7.0 are one value; -0 is 0; 1e2 is 100.
  const Column& people = ds->column(fv.find("people"));
  CHECK(people.codes[base] == people.codes[base + 1]);
  CHECK(people.dict[people.codes[base + 2]].get<double>() == 0.0);
  CHECK(people.dict[people.codes[base + 3]].get<double>() == 100.0);
  // select_multiple combinations are split into their choices.
  const Variable& topics = fv.vars[fv.find("topics")];
  const Column& tc = ds->column(fv.find("topics"));
  CHECK(tc.parts[tc.codes[base + 2]] == std::vector<int>{topics.choiceIndex("tax"), topics.choiceIndex("health")});
  // Times not in the usual form come back as stored.
  CHECK(ds->createdAt(base + rows.size()) == "yesterday");
  CHECK(ds->createdAt(base) == "2024-01-01T10:00:00.000Z");

  // Values that are not JSON: a clear error naming the record.
  s.reset();
  sql(ws, rawRow("00000000-0000-7000-8000-00000000000a", 1, R"({"date":"2024-03-01","office":"cph")"));
  s = SqliteStore::open(ws);
  try {
    Dataset::build(*s, "rep.visit");
    FAIL("built a cache from broken JSON");
  } catch (const StoreError& e) {
    CHECK(e.kind() == ErrorKind::Corrupt);
    CHECK(std::string(e.what()).find("00000000-0000-7000-8000-00000000000a") != std::string::npos);
  }
}

namespace {
struct ManySource : ImportSource {
  int n, i = 0;
  explicit ManySource(int count) : n(count) {}
  bool next(ImportRow& row) override {
    if (i >= n) return false;
    row = ImportRow();
    row.line = ++i;
    row.record.formId = "rep.visit";
    row.record.formVersion = 1 + i % 2;
    row.record.status = i % 5 ? RecordStatus::Final : RecordStatus::Draft;
    row.record.values = {{"date", "2024-01-01"}, {"office", i % 3 ? "cph" : "odense"}};
    return true;
  }
};
}  // namespace

TEST_CASE("report cache: many records (several batches) give the counts the store has") {
  storetest::TempDir dir;
  const std::string ws = dir.file("w.skema");
  auto s = makeStore(ws);
  const int n = 20000;
  ManySource src(n);
  REQUIRE(s->importRecords(src, {"t", ""}, {}).committed);
  std::int64_t calls = 0, last = 0;
  auto ds = Dataset::build(*s, "rep.visit", [&](std::int64_t d, std::int64_t) {
    ++calls;
    CHECK(d >= last);
    last = d;
  });
  REQUIRE(ds->rows() == 7 + n);
  CHECK(calls >= 1);
  CHECK(last == 7 + n);
  ReportSpec f;
  f.field = "office";
  f.includeDrafts = true;
  auto t = runReport(*ds, f);
  // Independently: i % 3 == 0 -> odense (6666 of 1..20000), plus the
  // fixture's 2 live odense records (a third is deleted).
  CHECK(t.at(1, 0) == n / 3 + 2);
  CHECK(t.records == n + 6);
  // The rows are in creation order: the last imported record is the last row.
  CHECK(ds->version(ds->rows() - 1) == 1 + n % 2);

  // Cancelled before it starts: marked so, and nothing half-built is used.
  std::atomic<bool> stop{true};
  auto cancelled = Dataset::build(*s, "rep.visit", {}, &stop);
  CHECK(cancelled->cancelled());
}

TEST_CASE("saved reports live in the workspace") {
  storetest::TempDir dir;
  const std::string ws = dir.file("w.skema");
  ReportSpec spec;
  spec.kind = ReportKind::Crosstab;
  spec.field = "office";
  spec.colField = "topics";
  spec.where = "${people} > 1";
  spec.equals["office"] = {"cph"};
  {
    auto s = makeStore(ws);
    CHECK(loadSavedReports(*s).empty());
    saveReport(*s, {"mine", "rep.visit", spec}, {"anna", ""});
    saveReport(*s, {"other", "rep.visit", ReportSpec{}}, {"anna", ""});
    auto all = loadSavedReports(*s);
    REQUIRE(all.size() == 2);
    CHECK(all[0].name == "mine");
    CHECK(all[0].formId == "rep.visit");
    CHECK(all[0].spec.toJson() == spec.toJson());
    CHECK(s->savedReport("mine")->updatedBy == "anna");
    // Saving by an existing name replaces that report.
    ReportSpec freq;
    freq.field = "venue";
    saveReport(*s, {"other", "rep.visit", freq}, {"bo", ""});
    REQUIRE(loadSavedReports(*s).size() == 2);
    CHECK(loadSavedReport(*s, "other")->spec.field == "venue");
    CHECK(s->savedReport("other")->updatedBy == "bo");
    CHECK_FALSE(loadSavedReport(*s, "nobody"));
    // Bad input is refused with a clear error and changes nothing.
    CHECK_THROWS_AS(saveReport(*s, {"", "rep.visit", spec}, {"anna", ""}), ReportError);
    CHECK_THROWS_AS(s->saveReport({"x", "rep.visit", "[1, 2]", "", ""}, {"anna", ""}), StoreError);
    CHECK(loadSavedReports(*s).size() == 2);
  }
  // Nothing beside the workspace: the reports are in it, and survive reopening.
  CHECK_FALSE(fs::exists(savedReportsFilePath(ws)));
  {
    auto s = SqliteStore::open(ws);
    auto all = loadSavedReports(*s);
    REQUIRE(all.size() == 2);
    CHECK(all[0].spec.toJson() == spec.toJson());
    CHECK(all[1].spec.field == "venue");
    CHECK(deleteSavedReport(*s, "other"));
    CHECK_FALSE(deleteSavedReport(*s, "other"));
  }
  auto s = SqliteStore::open(ws);
  REQUIRE(loadSavedReports(*s).size() == 1);
  CHECK(loadSavedReports(*s)[0].name == "mine");
}

TEST_CASE("saved reports: a workspace of schema 6 is migrated and keeps its data") {
  storetest::TempDir dir;
  const std::string ws = dir.file("w.skema");
  makeStore(ws).reset();
  sql(ws, "DROP TABLE saved_reports; PRAGMA user_version=6");
  CHECK(sqlInt(ws, "SELECT count(*) FROM sqlite_master WHERE name='saved_reports'") == 0);
  {
    auto s = SqliteStore::open(ws);
    CHECK(loadSavedReports(*s).empty());
    saveReport(*s, {"r", "rep.visit", ReportSpec{}}, {"t", ""});
    CHECK(s->countByStatus("rep.visit")[RecordStatus::Final] == 5);  // the records are all there
  }
  CHECK(sqlInt(ws, "PRAGMA user_version") == kSchemaVersion);
  CHECK(kSchemaVersion == 7);
  CHECK(sqlInt(ws, "SELECT count(*) FROM saved_reports") == 1);
}

TEST_CASE("saved reports: the side file of earlier versions is moved into the workspace once") {
  storetest::TempDir dir;
  const std::string ws = dir.file("w.skema");
  auto s = makeStore(ws);
  ReportSpec mine;
  mine.field = "topics";
  saveReport(*s, {"kept", "rep.visit", mine}, {"t", ""});
  const std::string side = savedReportsFilePath(ws);
  CHECK(importSavedReportsFile(*s, ws, {"t", ""}) == 0);  // no file: nothing to do

  SUBCASE("a good file") {
    ReportSpec old;
    old.kind = ReportKind::Series;
    old.byField = "office";
    json file = {{"old one", {{"form", "rep.visit"}, {"spec", old.toJson()}}},
                 {"kept", {{"form", "rep.visit"}, {"spec", ReportSpec{}.toJson()}}}};
    std::ofstream(side) << file.dump(2);
    CHECK(importSavedReportsFile(*s, ws, {"t", ""}) == 1);
    auto all = loadSavedReports(*s);
    REQUIRE(all.size() == 2);
    CHECK(all[0].name == "kept");
    CHECK(all[0].spec.field == "topics");  // the workspace's report by that name stays
    CHECK(all[1].name == "old one");
    CHECK(all[1].spec.toJson() == old.toJson());
    // The file is kept under another name and not read again.
    CHECK_FALSE(fs::exists(side));
    CHECK(json::parse(readAll(side + ".imported")) == file);
    deleteSavedReport(*s, "old one");
    CHECK(importSavedReportsFile(*s, ws, {"t", ""}) == 0);
    CHECK(loadSavedReports(*s).size() == 1);
  }
  SUBCASE("a file that does not read is left alone") {
    std::ofstream(side) << "{\"a\": {\"form\": \"rep.visit\", \"spec\": ";
    try {
      importSavedReportsFile(*s, ws, {"t", ""});
      FAIL("imported a broken file");
    } catch (const ReportError& e) {
      CHECK(std::string(e.what()).find(side) != std::string::npos);
    }
    CHECK(fs::exists(side));
    CHECK(loadSavedReports(*s).size() == 1);
  }
}

namespace {
// Rows of a .sav read back with readstat: form_version per row.
struct SavRows {
  std::vector<int> versions;
  std::set<std::string> names;
  int versionVar = -1;
};
int savVar(int, readstat_variable_t* v, const char*, void* ctx) {
  auto* r = static_cast<SavRows*>(ctx);
  r->names.insert(readstat_variable_get_name(v));
  if (std::string(readstat_variable_get_name(v)) == "form_version") r->versionVar = readstat_variable_get_index(v);
  return READSTAT_HANDLER_OK;
}
int savValue(int, readstat_variable_t* v, readstat_value_t value, void* ctx) {
  auto* r = static_cast<SavRows*>(ctx);
  if (readstat_variable_get_index(v) == r->versionVar) r->versions.push_back(readstat_int32_value(value));
  return READSTAT_HANDLER_OK;
}
SavRows readSav(const std::string& path) {
  SavRows rows;
  readstat_parser_t* p = readstat_parser_init();
  readstat_set_variable_handler(p, savVar);
  readstat_set_value_handler(p, savValue);
  REQUIRE(readstat_parse_sav(p, path.c_str(), &rows) == READSTAT_OK);
  readstat_parser_free(p);
  return rows;
}
}  // namespace

TEST_CASE("exports of chosen form versions") {
  storetest::TempDir dir;
  auto s = makeStore(dir.file("w.skema"));
  // v1: 3 records (people, place_kind); v2: 3 live (one a draft) + 1 deleted (duration, venue).
  SUBCASE("sav: only the chosen versions' records and variables") {
    FileExportOptions o;
    o.format = FileFormat::Sav;
    o.versions = {2};
    auto res = exportFile(*s, "rep.visit", dir.file("v2.sav"), o);
    CHECK(res.records == 3);
    auto rows = readSav(dir.file("v2.sav"));
    CHECK(rows.versions == std::vector<int>{2, 2, 2});
    CHECK(rows.names.count("duration") == 1);
    CHECK(rows.names.count("venue") == 1);  // renamed from v1's place_kind: one variable
    CHECK(rows.names.count("people") == 0);  // only in v1
    o.versions = {1, 2};
    CHECK(exportFile(*s, "rep.visit", dir.file("all.sav"), o).records == 6);
    CHECK(readSav(dir.file("all.sav")).names.count("people") == 1);
  }
  SUBCASE("codebook") {
    FileExportOptions o;
    o.format = FileFormat::CodebookMd;
    o.versions = {1};
    CHECK(exportFile(*s, "rep.visit", dir.file("cb.md"), o).records == 3);
    const std::string md = readAll(dir.file("cb.md"));
    CHECK(md.find("Versions: 1. Records: 3.") != std::string::npos);
    CHECK(md.find("| `people` |") != std::string::npos);
    CHECK(md.find("| `duration` |") == std::string::npos);
  }
  SUBCASE("xlsx: the records and the total of the chosen versions") {
    FileExportOptions o;
    o.format = FileFormat::Xlsx;
    o.versions = {1};
    std::int64_t total = -1;
    o.progress = [&](std::int64_t, std::int64_t t) { total = t; };
    CHECK(exportFile(*s, "rep.visit", dir.file("v1.xlsx"), o).records == 3);
    CHECK(total == 3);
  }
  SUBCASE("csv") {
    ExportOptions o;
    o.versions = {1};
    std::FILE* f = std::fopen(dir.file("v1.csv").c_str(), "wb");
    auto res = exportRecords(*s, "rep.visit", f, o);
    std::fclose(f);
    CHECK(res.records == 3);
    CHECK(std::find(res.columns.begin(), res.columns.end(), "people") != res.columns.end());
    CHECK(std::find(res.columns.begin(), res.columns.end(), "duration") == res.columns.end());
  }
  SUBCASE("a version that is not published: a clear error and no file") {
    FileExportOptions o;
    o.format = FileFormat::Sav;
    o.versions = {1, 7};
    try {
      exportFile(*s, "rep.visit", dir.file("x.sav"), o);
      FAIL("exported a version that does not exist");
    } catch (const StoreError& e) {
      CHECK(e.kind() == ErrorKind::Invalid);
      CHECK(std::string(e.what()).find("no version 7 (published: 1, 2)") != std::string::npos);
    }
    CHECK_FALSE(fs::exists(dir.file("x.sav")));
    CHECK_FALSE(fs::exists(dir.file("x.sav.part")));
    ExportOptions c;
    c.versions = {3};
    std::FILE* f = std::fopen(dir.file("x.csv").c_str(), "wb");
    CHECK_THROWS_AS(exportRecords(*s, "rep.visit", f, c), StoreError);
    std::fclose(f);
    CHECK(readAll(dir.file("x.csv")).empty());
  }
}

namespace {
const char* kHouse = R"({
  "format": "skema-form/1", "id": "rep.house", "version": 1, "title": {"en": "House"}, "languages": ["en"],
  "fields": [
    {"name": "office", "type": "select_one", "label": {"en": "Office"}, "choices": "offices", "required": true},
    {"name": "members", "type": "repeat", "label": {"en": "Members"}, "fields": [
      {"name": "sex", "type": "select_one", "label": {"en": "Sex"}, "choices": "sexes"},
      {"name": "age", "type": "integer", "label": {"en": "Age"}}
    ]},
    {"name": "pets", "type": "repeat", "label": {"en": "Pets"}, "fields": [
      {"name": "kind", "type": "text", "label": {"en": "Kind"}}
    ]}
  ],
  "choices": {
    "offices": [{"name": "cph", "label": {"en": "Copenhagen"}}, {"name": "odense", "label": {"en": "Odense"}}],
    "sexes": [{"name": "f", "label": {"en": "Female"}}, {"name": "m", "label": {"en": "Male"}}]
  }
})";
}  // namespace

TEST_CASE("reports on a field inside a repeat count each instance") {
  storetest::TempDir dir;
  auto s = SqliteStore::create(dir.file("w.skema"));
  s->publishForm(reporttest::load(kHouse), {"t", ""});
  auto add = [&](json vals, bool final = true) {
    Record r;
    r.formId = "rep.house";
    r.formVersion = 1;
    r.status = final ? RecordStatus::Final : RecordStatus::Draft;
    r.values = std::move(vals);
    return s->save(r, {"t", ""});
  };
  auto first = add({{"office", "cph"}, {"members", {{{"sex", "f"}, {"age", 30}}, {{"sex", "m"}, {"age", 4}}}},
                    {"pets", {{{"kind", "cat"}}}}});
  add({{"office", "odense"}, {"members", {{{"sex", "f"}}, {{"sex", "f"}, {"age", 70}}, {{"age", 1}}}}});
  add({{"office", "cph"}});
  add({{"office", "cph"}, {"members", {{{"sex", "m"}}}}}, false);  // a draft: left out by default

  auto ds = Dataset::build(*s, "rep.house");
  ReportSpec f;
  f.field = "sex";
  auto t = runReport(*ds, f);
  CHECK(t.records == 3);
  CHECK(t.instancesOf == "members");
  CHECK(t.instances == 5);
  REQUIRE(t.rowKeys == std::vector<std::string>{"f", "m", ""});
  CHECK(t.at(0, 0) == 3);
  CHECK(t.at(1, 0) == 1);
  CHECK(t.at(2, 0) == 1);  // an instance without a sex
  CHECK(formatText(t).find("5 instances of members") != std::string::npos);
  f.includeDrafts = true;
  CHECK(runReport(*ds, f).at(1, 0) == 2);

  // Crossed with a top-level field: each instance has its record's office.
  ReportSpec x;
  x.kind = ReportKind::Crosstab;
  x.field = "office";
  x.colField = "sex";
  t = runReport(*ds, x);
  REQUIRE(t.rowKeys == std::vector<std::string>{"cph", "odense"});
  CHECK(t.at(0, 0) == 1);  // cph, f
  CHECK(t.at(0, 1) == 1);  // cph, m
  CHECK(t.at(1, 0) == 2);  // odense, f
  CHECK(t.colTotals.back() == 1);  // no value
  CHECK(t.rowTotals == std::vector<std::int64_t>{2, 3});
  // Filters act on the records: only cph's instances.
  f.includeDrafts = false;
  f.where = "${office} = 'cph'";
  t = runReport(*ds, f);
  CHECK(t.instances == 2);
  CHECK(t.records == 2);

  // Numbers inside the repeat, and two fields of the same repeat crossed.
  ReportSpec ages;
  ages.field = "age";
  CHECK(runReport(*ds, ages).rowKeys == std::vector<std::string>{"1", "4", "30", "70", ""});
  ReportSpec sexAge = x;
  sexAge.field = "sex";
  sexAge.colField = "age";
  CHECK(runReport(*ds, sexAge).instances == 5);

  // An edited record's old instances no longer count (refresh re-reads it).
  Record edited = *s->get(first.id);
  edited.values["members"] = json::array({{{"sex", "m"}}});
  s->save(edited, {"t", "fix"});
  ds->refresh(*s);
  f.where.clear();
  t = runReport(*ds, f);
  CHECK(t.instances == 4);
  CHECK(t.at(0, 0) == 2);
  CHECK(t.at(1, 0) == 1);

  // What cannot be reported on says so.
  ReportSpec bad = x;
  bad.field = "kind";  // pets
  CHECK_THROWS_WITH_AS(runReport(*ds, bad), doctest::Contains("different repeats"), ReportError);
  ReportSpec whole;
  whole.field = "members";
  CHECK_THROWS_WITH_AS(runReport(*ds, whole), doctest::Contains("is a repeat"), ReportError);
  ReportSpec where = f;
  where.where = "${age} > 3";
  CHECK_THROWS_AS(runReport(*ds, where), ReportError);
}
