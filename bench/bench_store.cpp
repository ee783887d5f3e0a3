// Benchmarks of the record store on a generated 20-field form, each next to
// raw SQLite doing the same work in the same run:
//   1. bulk import of N records from CSV (validated, audited) vs raw JSON inserts,
//      and the floor: SQLite inserting the rows the import wrote, nothing else
//   2. one interactive durable save of a final record with audit rows (median)
//   3. open a workspace of N records and show the first page
//   4. a filtered, sorted page of 100 records out of N (with its total; also
//      the page and the total alone, as the browser asks for them)
// N = 1,000,000 (SKEMA_BENCH_N to change). Files go to SKEMA_BENCH_DIR or /tmp.
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
#include "store/import_export.h"
#include "store/sqlite_store.h"
#include "util/csv.h"
#include "util/uuid.h"

using namespace skema;
using namespace skema::store;
using nlohmann::json;
using namespace skema::bench;

namespace {


void check(int rc, sqlite3* db) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::fprintf(stderr, "sqlite: %s\n", sqlite3_errmsg(db));
    std::exit(1);
  }
}

}  // namespace

int main() {
  long n = 1000000;
  if (const char* e = std::getenv("SKEMA_BENCH_N")) n = std::atol(e);
  std::string dir = std::getenv("SKEMA_BENCH_DIR") ? std::getenv("SKEMA_BENCH_DIR") : "/tmp";
  dir += "/skema-bench-" + std::to_string(getpid());
  std::filesystem::create_directories(dir);
  const std::string csvPath = dir + "/records.csv", wsPath = dir + "/bench.skema", rawPath = dir + "/raw.db";

  Diagnostics diags;
  auto form = loadForm(formJson(), "bench.json", diags);
  if (!form) {
    for (const auto& d : diags.items()) std::fprintf(stderr, "%s\n", d.format().c_str());
    return 1;
  }
  // SKEMA_BENCH_ONLY=import: stop after the import (profiling).
  const std::string only = std::getenv("SKEMA_BENCH_ONLY") ? std::getenv("SKEMA_BENCH_ONLY") : "";
  std::printf("bench_store: %ld records, 20-field form, validator %s\n", n, haveValidator() ? "on" : "OFF");

  // --- the CSV ---
  {
    std::mt19937_64 rng(42);
    std::FILE* f = std::fopen(csvPath.c_str(), "wb");
    std::string buf;
    csvAppendRow(buf, kHeader);
    for (long i = 0; i < n; ++i) {
      csvAppendRow(buf, makeRow(rng));
      if (buf.size() > (1 << 20)) {
        std::fwrite(buf.data(), 1, buf.size(), f);
        buf.clear();
      }
    }
    std::fwrite(buf.data(), 1, buf.size(), f);
    std::fclose(f);
  }

  // --- where the import's time goes: CSV -> values, and validation alone ---
  {
    std::FILE* in = std::fopen(csvPath.c_str(), "rb");
    CsvReader rd(in);
    std::vector<std::string> row, header;
    rd.next(header);
    std::vector<json> vals;
    long m = std::min(n, 50000L);
    auto t = Clock::now();
    while ((long)vals.size() < m && rd.next(row)) {
      json v = json::object();
      for (size_t c = 0; c < row.size(); ++c) {
        std::string err;
        json x = valueFromText(*form, header[c], row[c], err);
        if (!x.is_null()) v[header[c]] = std::move(x);
      }
      vals.push_back(std::move(v));
    }
    double parseMs = msSince(t);
    std::vector<json> copy = vals;
    t = Clock::now();
    for (auto& v : copy) validateValues(*form, v);
    double valMs = msSince(t);
    FormValidator validator(*form);
    t = Clock::now();
    for (auto& v : vals) validator.validate(v);
    double cachedMs = msSince(t);
    std::fclose(in);
    std::printf("   (CSV -> values: %.0f records/s; engine validation alone: %.0f records/s, "
                "with the compiled form reused: %.0f records/s)\n",
                m / (parseMs / 1000), m / (valMs / 1000), m / (cachedMs / 1000));
  }

  // --- 1. bulk import ---
  double importMs, rawImportMs;
  {
    auto s = SqliteStore::create(wsPath);
    s->publishForm(*form, {"bench", ""});
    s->ensureFieldIndex("bench.visit", "date");
    s->ensureFieldIndex("bench.visit", "office");
    std::FILE* in = std::fopen(csvPath.c_str(), "rb");
    auto t = Clock::now();
    CsvImportSource src(*s, in, "bench.visit");
    auto res = s->importRecords(src, {"bench", "bench import"}, {});
    importMs = msSince(t);
    std::fclose(in);
    if (!res.committed || res.imported != n) {
      std::fprintf(stderr, "import failed: %lld imported, %zu rejected\n", (long long)res.imported,
                   res.rejected.size());
      for (size_t i = 0; i < std::min<size_t>(5, res.rejected.size()); ++i)
        for (const auto& e : res.rejected[i].errors)
          std::fprintf(stderr, "  line %d: %s: %s\n", res.rejected[i].line, e.field.c_str(), e.message.c_str());
      return 1;
    }
    s->optimize();
  }
  {
    // Raw SQLite: parse the same CSV, build the same JSON, insert it with a
    // UUID in one transaction (no validation, no audit, no indexes).
    sqlite3* db;
    sqlite3_open(rawPath.c_str(), &db);
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-65536;"
                 "CREATE TABLE t(seq INTEGER PRIMARY KEY, id TEXT UNIQUE, data TEXT)", nullptr, nullptr, nullptr);
    std::FILE* in = std::fopen(csvPath.c_str(), "rb");
    auto t = Clock::now();
    CsvReader rd(in);
    std::vector<std::string> row, header;
    rd.next(header);
    sqlite3_stmt* st;
    sqlite3_prepare_v2(db, "INSERT INTO t(id, data) VALUES(?1, ?2)", -1, &st, nullptr);
    sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    while (rd.next(row)) {
      json j = json::object();
      for (size_t i = 0; i < row.size(); ++i)
        if (!row[i].empty()) j[header[i]] = row[i];
      std::string data = j.dump(), id = newUuid();
      sqlite3_bind_text(st, 1, id.data(), int(id.size()), SQLITE_STATIC);
      sqlite3_bind_text(st, 2, data.data(), int(data.size()), SQLITE_STATIC);
      check(sqlite3_step(st), db);
      sqlite3_reset(st);
    }
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    rawImportMs = msSince(t);
    sqlite3_finalize(st);
    sqlite3_close(db);
    std::fclose(in);
  }
  // The floor of the import's writing: SQLite inserting the very rows the
  // import wrote (records + audit, same indexes, same pragmas, one
  // transaction), read back in batches; only the inserts are timed.
  double floorMs = 0;
  {
    const std::string floorPath = dir + "/floor.db";
    sqlite3 *src, *db;
    sqlite3_open_v2(wsPath.c_str(), &src, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_open(floorPath.c_str(), &db);
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-524288", nullptr, nullptr,
                 nullptr);
    sqlite3_stmt* st;
    sqlite3_prepare_v2(src,
                       "SELECT sql FROM sqlite_schema WHERE tbl_name IN ('records', 'audit') AND type IN ('table', "
                       "'index') AND sql IS NOT NULL ORDER BY type DESC",
                       -1, &st, nullptr);
    while (sqlite3_step(st) == SQLITE_ROW) {
      // (foreign keys are off on this connection: no form_versions needed)
      check(sqlite3_exec(db, reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), nullptr, nullptr, nullptr), db);
    }
    sqlite3_finalize(st);
    const char* cols[2] = {"id, form_id, form_version, status, person_code, created_at, created_by, updated_at, "
                           "updated_by, deleted, revision, data",
                           "seq, at, user, action, record_id, form_id, form_version, revision, field, old_value, "
                           "new_value, reason, prev_hash, hash"};
    const char* tables[2] = {"records", "audit"};
    const int ncols[2] = {12, 14};
    sqlite3_stmt *rdR, *rdA, *insR, *insA;
    sqlite3_prepare_v2(src, (std::string("SELECT ") + cols[0] + " FROM records ORDER BY seq").c_str(), -1, &rdR, nullptr);
    sqlite3_prepare_v2(src, (std::string("SELECT ") + cols[1] + " FROM audit ORDER BY seq").c_str(), -1, &rdA, nullptr);
    std::string q[2];
    for (int t = 0; t < 2; ++t) {
      q[t] = std::string("INSERT INTO ") + tables[t] + "(" + cols[t] + ") VALUES(";
      for (int c = 0; c < ncols[t]; ++c) q[t] += c ? ",?" : "?";
      q[t] += ")";
    }
    sqlite3_prepare_v2(db, q[0].c_str(), -1, &insR, nullptr);
    sqlite3_prepare_v2(db, q[1].c_str(), -1, &insA, nullptr);
    sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    std::vector<std::vector<std::string>> batch[2];
    std::vector<std::vector<char>> isNull[2];
    for (bool more = true; more;) {
      // read up to 10,000 of each
      for (int t = 0; t < 2; ++t) {
        sqlite3_stmt* rd = t ? rdA : rdR;
        batch[t].clear();
        isNull[t].clear();
        while ((long)batch[t].size() < 10000 && sqlite3_step(rd) == SQLITE_ROW) {
          batch[t].emplace_back();
          isNull[t].emplace_back();
          for (int c = 0; c < ncols[t]; ++c) {
            auto* p = reinterpret_cast<const char*>(sqlite3_column_text(rd, c));
            batch[t].back().emplace_back(p ? p : "");
            isNull[t].back().push_back(p == nullptr);
          }
        }
      }
      more = !batch[0].empty();
      auto t0 = Clock::now();
      for (size_t i = 0; i < batch[0].size(); ++i)
        for (int t = 0; t < 2; ++t) {
          if (i >= batch[t].size()) continue;
          sqlite3_stmt* ins = t ? insA : insR;
          for (int c = 0; c < ncols[t]; ++c) {
            if (isNull[t][i][c]) sqlite3_bind_null(ins, c + 1);
            else sqlite3_bind_text(ins, c + 1, batch[t][i][c].data(), int(batch[t][i][c].size()), SQLITE_STATIC);
          }
          check(sqlite3_step(ins), db);
          sqlite3_reset(ins);
        }
      floorMs += msSince(t0);
    }
    auto t0 = Clock::now();
    check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db);
    floorMs += msSince(t0);
    for (auto* x : {rdR, rdA, insR, insA}) sqlite3_finalize(x);
    sqlite3_close(src);
    sqlite3_close(db);
    std::filesystem::remove(floorPath);
    std::filesystem::remove(floorPath + "-wal");
  }
  std::printf("1. bulk import from CSV:        %9.0f records/s   (raw SQLite JSON inserts: %9.0f records/s)\n",
              n / (importMs / 1000), n / (rawImportMs / 1000));
  std::printf("   (floor: SQLite inserting the same records + audit rows with the same indexes, nothing else: "
              "%.0f records/s)\n",
              n / (floorMs / 1000));
  if (only == "import") {
    if (!std::getenv("SKEMA_BENCH_KEEP")) std::filesystem::remove_all(dir);
    return 0;
  }

  // --- 3. open + first page (before anything else touches the workspace) ---
  double openMs, rawOpenMs;
  {
    auto t = Clock::now();
    auto s = SqliteStore::open(wsPath);
    RecordQuery q;
    q.formId = "bench.visit";
    q.limit = 100;
    auto p = s->query(q);
    openMs = msSince(t);
    if (p.records.size() != 100 || p.total != n) std::fprintf(stderr, "first page: unexpected result\n");
  }
  {
    auto t = Clock::now();
    sqlite3* db;
    sqlite3_open_v2(wsPath.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
    sqlite3_stmt* st;
    sqlite3_prepare_v2(db,
                       "SELECT id, form_id, form_version, status, person_code, created_at, created_by, updated_at, "
                       "updated_by, deleted, revision, data FROM records WHERE form_id='bench.visit' AND deleted=0 "
                       "ORDER BY seq LIMIT 100",
                       -1, &st, nullptr);
    int rows = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
      const json parsed = json::parse(reinterpret_cast<const char*>(sqlite3_column_text(st, 11)));  // as the store does
      if (!parsed.is_object()) std::fprintf(stderr, "raw: a record that is not an object\n");
      ++rows;
    }
    sqlite3_finalize(st);
    sqlite3_prepare_v2(db, "SELECT count(*) FROM records WHERE form_id='bench.visit' AND deleted=0", -1, &st, nullptr);
    sqlite3_step(st);
    sqlite3_finalize(st);
    sqlite3_close(db);
    rawOpenMs = msSince(t);
  }
  std::printf("3. open workspace + first page: %9.1f ms          (raw SQLite open + same query + count: %.1f ms)\n",
              openMs, rawOpenMs);

  // --- 4. filtered, sorted page ---
  {
    auto s = SqliteStore::open(wsPath);
    std::vector<double> ms, msPage, msCount, msSel, raw;
    for (int i = 0; i < 9; ++i) {
      RecordQuery q;
      q.formId = "bench.visit";
      q.limit = 100;
      q.filters.push_back({"office", FieldFilter::Op::Equals, kOffices[i % 3]});
      q.sortBy = "date";
      q.descending = true;
      auto t = Clock::now();
      auto p = s->query(q);
      ms.push_back(msSince(t));
      if (p.records.size() != 100) std::fprintf(stderr, "filtered page: %zu rows\n", p.records.size());
      // The browser asks for the page and the total separately (its worker
      // fetches the rows first, then counts): each on its own.
      RecordQuery qp = q;
      qp.withTotal = false;
      t = Clock::now();
      s->query(qp);
      msPage.push_back(msSince(t));
      RecordQuery qc = q;
      qc.limit = 0;
      t = Clock::now();
      if (s->query(qc).total != p.total) std::fprintf(stderr, "filtered page: totals differ\n");
      msCount.push_back(msSince(t));
      // a selective filter (1 municipality of 98) plus the office
      RecordQuery q2 = q;
      q2.filters.push_back({"municipality", FieldFilter::Op::Equals, "m" + std::to_string(1 + i * 7)});
      t = Clock::now();
      s->query(q2);
      msSel.push_back(msSince(t));
    }
    sqlite3* db;
    sqlite3_open_v2(wsPath.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
    for (int i = 0; i < 9; ++i) {
      auto t = Clock::now();
      sqlite3_stmt* st;
      std::string sql =
          std::string("SELECT data FROM records WHERE form_id='bench.visit' AND deleted=0 AND "
                      "json_extract(data, '$.\"office\"')='") +
          kOffices[i % 3] + "' ORDER BY json_extract(data, '$.\"date\"') DESC, seq DESC LIMIT 100";
      sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr);
      while (sqlite3_step(st) == SQLITE_ROW) {
        const json parsed = json::parse(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
        if (!parsed.is_object()) std::fprintf(stderr, "raw: a record that is not an object\n");
      }
      sqlite3_finalize(st);
      sql = std::string("SELECT count(*) FROM records WHERE form_id='bench.visit' AND deleted=0 AND "
                        "json_extract(data, '$.\"office\"')='") + kOffices[i % 3] + "'";
      sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr);
      sqlite3_step(st);
      sqlite3_finalize(st);
      raw.push_back(msSince(t));
    }
    sqlite3_close(db);
    std::printf("4. filtered sorted page of 100: %9.1f ms median   (raw SQLite same SQL: %.1f ms; "
                "with a 2nd, selective filter: %.1f ms)\n",
                median(ms), median(raw), median(msSel));
    std::printf("   (as the browser asks: the page alone %.1f ms, its total alone %.1f ms)\n", median(msPage),
                median(msCount));
    // The selective filter again once its field has an index (the planner
    // then drives the page and the count from the most selective index).
    auto t = Clock::now();
    s->ensureFieldIndex("bench.visit", "municipality");
    s->optimize();
    double idxMs = msSince(t);
    std::vector<double> msIdx;
    for (int i = 0; i < 9; ++i) {
      RecordQuery q;
      q.formId = "bench.visit";
      q.limit = 100;
      q.filters.push_back({"office", FieldFilter::Op::Equals, kOffices[i % 3]});
      q.filters.push_back({"municipality", FieldFilter::Op::Equals, "m" + std::to_string(1 + i * 7)});
      q.sortBy = "date";
      q.descending = true;
      t = Clock::now();
      s->query(q);
      msIdx.push_back(msSince(t));
    }
    std::printf("   (selective filter with municipality indexed: %.1f ms median; making that index: %.0f ms)\n",
                median(msIdx), idxMs);
  }

  // --- 2. interactive durable save ---
  {
    auto s = SqliteStore::open(wsPath);
    std::mt19937_64 rng(7);
    std::vector<double> ms;
    for (int i = 0; i < 201; ++i) {
      auto row = makeRow(rng);
      Record r;
      r.formId = "bench.visit";
      r.formVersion = 1;
      r.status = RecordStatus::Final;
      for (size_t c = 0; c < row.size(); ++c) {
        std::string err;
        json v = valueFromText(*form, kHeader[c], row[c], err);
        if (!v.is_null()) r.values[kHeader[c]] = v;
      }
      auto t = Clock::now();
      s->save(r, {"bench", ""});
      ms.push_back(msSince(t));
    }
    sqlite3* db;
    sqlite3_open(rawPath.c_str(), &db);
    sqlite3_exec(db, "PRAGMA synchronous=FULL", nullptr, nullptr, nullptr);
    sqlite3_stmt* st;
    sqlite3_prepare_v2(db, "INSERT INTO t(id, data) VALUES(?1, ?2)", -1, &st, nullptr);
    std::vector<double> raw;
    for (int i = 0; i < 201; ++i) {
      auto row = makeRow(rng);
      json j;
      for (size_t c = 0; c < row.size(); ++c) j[kHeader[c]] = row[c];
      std::string data = j.dump(), id = newUuid();
      auto t = Clock::now();
      sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
      sqlite3_bind_text(st, 1, id.data(), int(id.size()), SQLITE_STATIC);
      sqlite3_bind_text(st, 2, data.data(), int(data.size()), SQLITE_STATIC);
      check(sqlite3_step(st), db);
      sqlite3_reset(st);
      sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
      raw.push_back(msSince(t));
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    std::printf("2. interactive durable save:    %9.2f ms median   (raw SQLite one-row durable insert: %.2f ms)\n",
                median(ms), median(raw));
  }

  if (!std::getenv("SKEMA_BENCH_KEEP")) std::filesystem::remove_all(dir);
  return 0;
}
