// Benchmark of reports and statistical exports on N records of a 20-field
// form (N = 1,000,000; SKEMA_BENCH_N to change), each figure next to the
// obvious SQLite query measured in the same run:
//   1. building the columnar cache (Dataset) from the store, once per open
//   2. a frequency table of a select_one field        (target <= 150 ms)
//   3. a crosstab of two select_one fields + a filter  (target <= 300 ms)
//   4. an export of every record to SPSS .sav           (target <= 10 s)
// Files go to SKEMA_BENCH_DIR or /tmp; SKEMA_BENCH_KEEP keeps them.
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "form/form_loader.h"
#include "report/export.h"
#include "report/report.h"
#include "store/import_export.h"
#include "store/sqlite_store.h"

using namespace skema;
using namespace skema::store;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

double msSince(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

const char* kOffices[] = {"cph", "odense", "aarhus"};

std::string formJson() {
  json choices;
  for (const char* o : kOffices) choices["offices"].push_back({{"name", o}, {"label", {{"en", o}}}});
  for (int i = 1; i <= 98; ++i) {
    std::string n = "m" + std::to_string(i);
    choices["munis"].push_back({{"name", n}, {"label", {{"en", n}}}});
  }
  for (const char* t : {"health", "tax", "housing", "debt", "violence", "exit", "benefits", "other"})
    choices["topics"].push_back({{"name", t}, {"label", {{"en", t}}}});
  for (const char* t : {"street", "clinic", "bar", "escort", "internet", "phone"})
    choices["places"].push_back({{"name", t}, {"label", {{"en", t}}}});
  for (const char* t : {"yes", "no"}) choices["yn"].push_back({{"name", t}, {"label", {{"en", t}}}});
  auto f = [](const char* name, const char* type, json extra = json::object()) {
    json j = {{"name", name}, {"type", type}, {"label", {{"en", name}}}};
    j.update(extra);
    return j;
  };
  json fields = json::array({
      f("date", "date", {{"required", true}}),
      f("office", "select_one", {{"choices", "offices"}, {"required", true}}),
      f("municipality", "select_one", {{"choices", "munis"}, {"required", true}}),
      f("place", "select_one", {{"choices", "places"}}),
      f("person", "person_code"),
      f("start_time", "time"),
      f("people", "integer", {{"min", 0}, {"max", 30}}),
      f("duration", "integer", {{"min", 1}, {"max", 600}}),
      f("topics", "select_multiple", {{"choices", "topics"}}),
      f("interpreter", "select_one", {{"choices", "yn"}}),
      f("rating", "range", {{"min", 0}, {"max", 10}}),
      f("cost", "decimal", {{"min", 0}}),
      f("first_visit", "select_one", {{"choices", "yn"}}),
      f("referred", "select_one", {{"choices", "yn"}}),
      f("clinic", "text"),
      f("phase", "integer", {{"min", 1}, {"max", 4}}),
      f("contacts", "integer", {{"min", 0}, {"max", 99}}),
      f("age_band", "integer", {{"min", 1}, {"max", 8}}),
      f("follow_up", "date"),
      f("notes", "text", {{"sensitive", true}}),
  });
  json form = {{"format", "skema-form/1"}, {"id", "bench.visit"}, {"version", 1}, {"languages", {"en"}},
               {"title", {{"en", "Bench visit"}}}, {"fields", fields}, {"choices", choices}};
  return form.dump();
}

std::vector<std::string> kHeader = {"date", "office", "municipality", "place", "person", "start_time", "people",
                                    "duration", "topics", "interpreter", "rating", "cost", "first_visit", "referred",
                                    "clinic", "phase", "contacts", "age_band", "follow_up", "notes"};

std::string date(std::mt19937_64& r) {
  char b[16];
  std::snprintf(b, sizeof b, "%04d-%02d-%02d", 2023 + int(r() % 2), 1 + int(r() % 12), 1 + int(r() % 28));
  return b;
}

std::vector<std::string> makeRow(std::mt19937_64& r) {
  static const char* topics[] = {"health", "tax", "housing", "debt", "violence", "exit", "benefits"};
  static const char* places[] = {"street", "clinic", "bar", "escort", "internet", "phone"};
  char t[16];
  std::snprintf(t, sizeof t, "%02d:%02d:00", int(r() % 24), int(r() % 60));
  std::string tp = topics[r() % 7];
  if (r() % 2) tp += std::string(" ") + topics[r() % 7 == 0 ? 0 : 1 + r() % 6];
  if (tp == "health health" || tp == "tax tax") tp = "health";
  char cost[16];
  std::snprintf(cost, sizeof cost, "%d.%d", int(r() % 500), int(r() % 10));
  return {date(r),
          kOffices[r() % 3],
          "m" + std::to_string(1 + r() % 98),
          places[r() % 6],
          "P-" + std::to_string(10000 + r() % 80000),
          t,
          std::to_string(r() % 31),
          std::to_string(1 + r() % 600),
          tp,
          r() % 2 ? "yes" : "no",
          std::to_string(r() % 11),
          cost,
          r() % 2 ? "yes" : "no",
          r() % 2 ? "yes" : "no",
          "Clinic " + std::to_string(r() % 500),
          std::to_string(1 + r() % 4),
          std::to_string(r() % 100),
          std::to_string(1 + r() % 8),
          date(r),
          r() % 5 == 0 ? "some notes about the visit" : ""};
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

class GenSource : public ImportSource {
 public:
  GenSource(const Form& f, long n) : m_form(f), m_n(n) {}
  bool next(ImportRow& row) override {
    if (m_i >= m_n) return false;
    ++m_i;
    auto cells = makeRow(m_rng);
    row = ImportRow();
    row.line = int(m_i);
    row.record.formId = "bench.visit";
    row.record.formVersion = 1;
    row.record.status = RecordStatus::Final;
    for (size_t c = 0; c < cells.size(); ++c) {
      std::string err;
      json v = valueFromText(m_form, kHeader[c], cells[c], err);
      if (!v.is_null()) row.record.values[kHeader[c]] = std::move(v);
    }
    return true;
  }

 private:
  const Form& m_form;
  long m_n, m_i = 0;
  std::mt19937_64 m_rng{42};
};

double sqlMs(sqlite3* db, const std::string& sql, long* rowsOut = nullptr) {
  auto t = Clock::now();
  sqlite3_stmt* st;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
    std::fprintf(stderr, "sqlite: %s\n", sqlite3_errmsg(db));
    std::exit(1);
  }
  long rows = 0;
  while (sqlite3_step(st) == SQLITE_ROW) ++rows;
  sqlite3_finalize(st);
  if (rowsOut) *rowsOut = rows;
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

}  // namespace

int main() {
  long n = 1000000;
  if (const char* e = std::getenv("SKEMA_BENCH_N")) n = std::atol(e);
  std::string dir = std::getenv("SKEMA_BENCH_DIR") ? std::getenv("SKEMA_BENCH_DIR") : "/tmp";
  dir += "/skema-bench-report-" + std::to_string(getpid());
  std::filesystem::create_directories(dir);
  const std::string ws = dir + "/bench.skema";
  Diagnostics diags;
  auto form = loadForm(formJson(), "bench.json", diags);
  if (!form) return 1;
  std::printf("bench_report: %ld records, 20-field form\n", n);
  {
    auto s = SqliteStore::create(ws);
    s->publishForm(*form, {"bench", ""});
    GenSource src(*form, n);
    auto t = Clock::now();
    auto res = s->importRecords(src, {"bench", "bench"}, {});
    if (!res.committed) {
      std::fprintf(stderr, "import failed\n");
      return 1;
    }
    std::printf("   (workspace filled in %.1f s)\n", msSince(t) / 1000);
  }
  auto s = SqliteStore::open(ws);

  auto t = Clock::now();
  long seen = 0;
  s->forEachRecord("bench.visit", true, [&](const Record&) { ++seen; });
  std::printf("   (Store::forEachRecord alone: %.0f ms)\n", msSince(t));
  t = Clock::now();
  auto ds = report::Dataset::build(*s, "bench.visit");
  double buildMs = msSince(t);
  std::printf("1. build the report cache:      %9.0f ms          (once per open; refresh() after that)\n", buildMs);

  sqlite3* db;
  sqlite3_open_v2(ws.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_exec(db, "PRAGMA cache_size=-262144", nullptr, nullptr, nullptr);
  // Baseline A: GROUP BY over the JSON values, the obvious query.
  const std::string jFreq =
      "SELECT json_extract(data,'$.place') p, count(*) FROM records WHERE form_id='bench.visit' AND deleted=0 "
      "AND status=1 GROUP BY p";
  const std::string jCross =
      "SELECT json_extract(data,'$.office') o, json_extract(data,'$.place') p, count(*) FROM records "
      "WHERE form_id='bench.visit' AND deleted=0 AND status=1 AND json_extract(data,'$.interpreter')='yes' GROUP BY o, p";
  // Baseline B: the same over typed columns (a table built for it).
  sqlite3* mem;
  sqlite3_open(":memory:", &mem);
  {
    std::string attach = "ATTACH '" + ws + "' AS w";
    sqlite3_exec(mem, attach.c_str(), nullptr, nullptr, nullptr);
    sqlite3_exec(mem,
                 "CREATE TABLE t AS SELECT json_extract(data,'$.office') office, json_extract(data,'$.place') place, "
                 "json_extract(data,'$.interpreter') interpreter FROM w.records WHERE form_id='bench.visit' AND "
                 "deleted=0 AND status=1",
                 nullptr, nullptr, nullptr);
  }
  const std::string tFreq = "SELECT place, count(*) FROM t GROUP BY place";
  const std::string tCross = "SELECT office, place, count(*) FROM t WHERE interpreter='yes' GROUP BY office, place";

  std::vector<double> f, x, fj, xj, ft, xt;
  report::ReportSpec freq;
  freq.field = "place";
  report::ReportSpec cross;
  cross.kind = report::ReportKind::Crosstab;
  cross.field = "office";
  cross.colField = "place";
  cross.where = "${interpreter} = 'yes'";
  std::int64_t fRecords = 0, xRecords = 0;
  for (int i = 0; i < 5; ++i) {
    t = Clock::now();
    fRecords = report::runReport(*ds, freq).records;
    f.push_back(msSince(t));
    t = Clock::now();
    xRecords = report::runReport(*ds, cross).records;
    x.push_back(msSince(t));
    ft.push_back(sqlMs(mem, tFreq));
    xt.push_back(sqlMs(mem, tCross));
  }
  for (int i = 0; i < 3; ++i) {
    fj.push_back(sqlMs(db, jFreq));
    xj.push_back(sqlMs(db, jCross));
  }
  std::printf("2. frequency table (select_one): %8.1f ms median   (SQLite GROUP BY: typed columns %.0f ms, JSON values %.0f ms) [%lld records]\n",
              median(f), median(ft), median(fj), (long long)fRecords);
  std::printf("3. crosstab 2 x select_one + filter: %4.1f ms median   (SQLite GROUP BY: typed columns %.0f ms, JSON values %.0f ms) [%lld records]\n",
              median(x), median(xt), median(xj), (long long)xRecords);

  // 4. .sav export, from scratch (cache build included) and from the cache.
  report::FileExportOptions o;
  o.format = report::FileFormat::Sav;
  t = Clock::now();
  report::exportFile(*s, "bench.visit", dir + "/out.sav", o);
  double savMs = msSince(t);
  o.dataset = ds.get();
  t = Clock::now();
  report::exportFile(*s, "bench.visit", dir + "/out2.sav", o);
  double savCachedMs = msSince(t);
  // Baseline: just reading every record's JSON out of SQLite and parsing it.
  t = Clock::now();
  {
    sqlite3_stmt* st;
    sqlite3_prepare_v2(db, "SELECT data FROM records WHERE form_id='bench.visit' AND deleted=0 ORDER BY seq", -1, &st, nullptr);
    while (sqlite3_step(st) == SQLITE_ROW) { json j = json::parse(reinterpret_cast<const char*>(sqlite3_column_text(st, 0))); (void)j; }
    sqlite3_finalize(st);
  }
  double readMs = msSince(t);
  std::printf("4. export to .sav:              %9.0f ms          (from the cache: %.0f ms; SQLite read + JSON parse of every record alone: %.0f ms; file %.0f MB)\n",
              savMs, savCachedMs, readMs, std::filesystem::file_size(dir + "/out.sav") / 1e6);
  sqlite3_close(mem);
  sqlite3_close(db);
  if (!std::getenv("SKEMA_BENCH_KEEP")) std::filesystem::remove_all(dir);
  return 0;
}
