// Benchmark of reports and statistical exports on N records of a 20-field
// form (N = 1,000,000; SKEMA_BENCH_N to change), each figure next to the
// obvious SQLite query measured in the same run:
//   1. building the columnar cache (Dataset) from the store, once per open
//   2. a frequency table of a select_one field        (target <= 150 ms)
//   3. a crosstab of two select_one fields + a filter  (target <= 300 ms)
//   4. an export of every record to SPSS .sav           (target <= 10 s)
// Files go to SKEMA_BENCH_DIR or /tmp; SKEMA_BENCH_KEEP keeps them.
// SKEMA_BENCH_WS=PATH uses (and keeps) the workspace at PATH, filling it
// first when it does not exist, so repeated runs skip the import;
// SKEMA_BENCH_ONLY=build stops after figure 1 (for profiling).
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

#include "bench_workload.h"
#include "form/form_loader.h"
#include "report/export.h"
#include "report/report.h"
#include "store/import_export.h"
#include "store/sqlite_store.h"

using namespace skema;
using namespace skema::store;
using nlohmann::json;
using namespace skema::bench;

namespace {


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
  const char* given = std::getenv("SKEMA_BENCH_WS");
  const std::string ws = given && *given ? std::string(given) : dir + "/bench.skema";
  Diagnostics diags;
  auto form = loadForm(formJson(), "bench.json", diags);
  if (!form) return 1;
  std::printf("bench_report: %ld records, 20-field form\n", n);
  if (!std::filesystem::exists(ws)) {
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
  std::printf("   (Store::forEachRecord alone: %.0f ms, %ld records)\n", msSince(t), seen);
  t = Clock::now();
  std::size_t bytes = 0;
  s->forEachRecordText("bench.visit", true, [&](const RecordText& r) { bytes += r.values.size(); });
  std::printf("   (Store::forEachRecordText alone: %.0f ms, %.0f MB of values)\n", msSince(t), bytes / 1e6);
  t = Clock::now();
  auto ds = report::Dataset::build(*s, "bench.visit");
  double buildMs = msSince(t);
  std::printf("1. build the report cache:      %9.0f ms          (once per open; refresh() after that)\n", buildMs);
  if (const char* only = std::getenv("SKEMA_BENCH_ONLY"); only && std::string(only) == "build") {  // profiling
    if (!std::getenv("SKEMA_BENCH_KEEP")) std::filesystem::remove_all(dir);
    return 0;
  }

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
