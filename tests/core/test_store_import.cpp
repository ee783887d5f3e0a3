// Bulk import (docs/store.md, "Import and export"): the pipelined writer
// keeps line order and a contiguous, verifiable audit chain, reports every
// bad row by line, rolls back whole and passes store errors on; value counts
// of indexed fields and the filtered totals they give.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <cstdio>
#include <functional>
#include <set>

#include "store/import_export.h"
#include "test_store_util.h"

using namespace skema;
using namespace skema::store;
using storetest::Rows;
using storetest::sqlInt;
using storetest::TempDir;
using nlohmann::json;

namespace {

// A CSV of `n` visits (line i+2 = visit i: people = i % 50, date from i);
// lines in `bad` get an office that is not a choice.
std::string csvFile(const TempDir& t, int n, const std::set<int>& bad = {}, const std::string& extraHeader = "",
                    const std::function<std::string(int)>& extra = nullptr) {
  std::string path = t.file("in.csv");
  std::FILE* f = std::fopen(path.c_str(), "wb");
  std::fprintf(f, "date,office,people,person%s\n", extraHeader.c_str());
  for (int i = 0; i < n; ++i) {
    int line = i + 2;
    std::fprintf(f, "2024-%02d-%02d,%s,%d,P-%d%s\n", 1 + i % 12, 1 + i % 28, bad.count(line) ? "nowhere" : "cph",
                 i % 50, i, extra ? extra(i).c_str() : "");
  }
  std::fclose(f);
  return path;
}

ImportResult importCsv(SqliteStore& s, const std::string& path, const ImportOptions& o = {},
                       std::FILE* reject = nullptr) {
  std::FILE* in = std::fopen(path.c_str(), "rb");
  REQUIRE(in);
  CsvImportSource src(s, in, "test.visit", reject);
  auto res = s.importRecords(src, {"imp", "bulk"}, o);
  std::fclose(in);
  return res;
}

}  // namespace

TEST_CASE("store import: a big import keeps line order, a contiguous verifiable chain and the counts") {
  TempDir t;
  auto s = SqliteStore::create(t.file("w.skema"));
  s->publishForm(storetest::loadTestForm(storetest::kVisitV1), {"tester", ""});
  // Audit rows before the import: the import's chain continues from them.
  auto before = s->save(storetest::visit("2023-01-01", "odense"), {"a", ""});
  const std::int64_t rowsBefore = s->verifyAudit().rows;
  REQUIRE(rowsBefore > 1);
  const int n = 3000;  // several of the writer's batches
  auto res = importCsv(*s, csvFile(t, n));
  REQUIRE(res.committed);
  CHECK(res.imported == n);
  CHECK(res.rejected.empty());

  // Creation order = line order.
  RecordQuery q;
  q.formId = "test.visit";
  q.limit = n + 10;
  auto page = s->query(q);
  REQUIRE(page.total == n + 1);
  REQUIRE(page.records.size() == size_t(n + 1));
  CHECK(page.records[0].id == before.id);
  for (int i = 0; i < n; ++i) {
    const auto& r = page.records[i + 1];
    CHECK(r.values["people"] == i % 50);
    CHECK(r.personCode == "P-" + std::to_string(i));
    if (r.personCode != "P-" + std::to_string(i)) break;
  }
  // One audit row per record, numbered on from the rows before, each one
  // hashed over the previous hash and the documented payload.
  auto v = s->verifyAudit();
  CHECK(v.ok);
  CHECK(v.rows == rowsBefore + n);
  CHECK(sqlInt(t.file("w.skema"), "SELECT count(*) FROM audit WHERE action='import'") == n);
  CHECK(sqlInt(t.file("w.skema"), "SELECT max(seq) - min(seq) + 1 FROM audit") == rowsBefore + n);
  for (int i : {0, 255, 256, 1999, n - 1}) {
    const auto& r = page.records[i + 1];
    auto h = s->history(r.id);
    REQUIRE(h.size() == 1);
    const auto& e = h[0];
    CHECK(e.seq == rowsBefore + 1 + i);
    std::string payload;
    for (const std::string& part :
         {std::to_string(e.seq), e.at, e.user, e.action, e.recordId, e.formId, std::to_string(e.formVersion),
          std::to_string(e.revision), e.field, std::string("\x01"), "v" + *e.newValue, e.reason})
      payload += part + '\x1f';
    CHECK(e.hash == sha256Hex(e.prevHash + "\n" + payload));
    CHECK(e.user == "imp");
    CHECK(e.reason == "bulk");
    CHECK(json::parse(*e.newValue) == json({{"status", "final"}, {"values", r.values}}));
    auto back = s->rebuildFromAudit(r.id);
    REQUIRE(back);
    CHECK(back->values == r.values);
    CHECK(back->createdAt == r.createdAt);
  }
  CHECK(s->countByStatus("test.visit")[RecordStatus::Final] == n + 1);
  CHECK(sqlInt(t.file("w.skema"), "SELECT sum(n) FROM record_counts") ==
        sqlInt(t.file("w.skema"), "SELECT count(*) FROM records"));
  CHECK(s->integrityCheck() == "ok");
}

TEST_CASE("store import: bad rows in the middle of a big file are all reported by line, and nothing is written") {
  TempDir t;
  auto s = storetest::workspaceWithOneVisit(t.file("w.skema"));
  const auto path = t.file("w.skema");
  const std::int64_t auditBefore = sqlInt(path, "SELECT count(*) FROM audit");
  const int n = 3000;
  const std::string csv = csvFile(t, n, {1500, 2999});

  SUBCASE("all or nothing: rolled back") {
    auto res = importCsv(*s, csv);
    CHECK_FALSE(res.committed);
    CHECK(res.imported == 0);
    REQUIRE(res.rejected.size() == 2);
    CHECK(res.rejected[0].line == 1500);
    CHECK(res.rejected[1].line == 2999);
    REQUIRE(res.rejected[0].errors.size() == 1);
    CHECK(res.rejected[0].errors[0].field == "office");
    CHECK(res.rejected[0].errors[0].message.find("nowhere") != std::string::npos);
    CHECK(sqlInt(path, "SELECT count(*) FROM records") == 1);
    CHECK(sqlInt(path, "SELECT count(*) FROM audit") == auditBefore);
    CHECK(sqlInt(path, "SELECT sum(n) FROM record_counts") == 1);
    CHECK(s->verifyAudit().ok);
    // The workspace takes the next write as if nothing had happened.
    s->save(storetest::visit("2023-01-02", "cph"), {"a", ""});
    CHECK(s->verifyAudit().ok);
  }
  SUBCASE("skip invalid: the others are written, the bad ones go to the reject file") {
    std::FILE* rej = std::tmpfile();
    ImportOptions o;
    o.skipInvalid = true;
    auto res = importCsv(*s, csv, o, rej);
    CHECK(res.committed);
    CHECK(res.imported == n - 2);
    REQUIRE(res.rejected.size() == 2);
    CHECK(res.rejected[1].line == 2999);
    std::rewind(rej);
    char buf[4096] = {};
    std::string text(buf, std::fread(buf, 1, sizeof buf - 1, rej));
    std::fclose(rej);
    CHECK(text == "date,office,people,person\n2024-11-15,nowhere,48,P-1498\n2024-10-02,nowhere,47,P-2997\n");
    CHECK(sqlInt(path, "SELECT count(*) FROM records") == n - 1);
    CHECK(sqlInt(path, "SELECT count(*) FROM audit") == auditBefore + n - 2);
    CHECK(s->verifyAudit().ok);
  }
}

TEST_CASE("store import: ids given in the file are checked against existing records and each other") {
  TempDir t;
  auto s = SqliteStore::create(t.file("w.skema"));
  s->publishForm(storetest::loadTestForm(storetest::kVisitV1), {"tester", ""});
  auto existing = s->save(storetest::visit("2023-01-01", "odense"), {"a", ""});
  const std::string dup = newUuid();
  auto csv = csvFile(t, 600, {}, ",_id", [&](int i) {
    if (i == 10) return "," + existing.id;
    if (i == 20 || i == 500) return "," + dup;
    return "," + newUuid();
  });
  ImportOptions o;
  o.skipInvalid = true;
  auto res = importCsv(*s, csv, o);
  CHECK(res.committed);
  CHECK(res.imported == 598);
  REQUIRE(res.rejected.size() == 2);
  CHECK(res.rejected[0].line == 12);
  CHECK(res.rejected[1].line == 502);
  CHECK(res.rejected[0].errors[0].field == "_id");
  CHECK(s->get(dup));
  CHECK(s->verifyAudit().ok);
}

TEST_CASE("store import: a source may load other form versions while the writer runs") {
  TempDir t;
  {
    auto s = SqliteStore::create(t.file("w.skema"));
    s->publishForm(storetest::loadTestForm(storetest::kVisitV1), {"tester", ""});
    s->publishForm(storetest::loadTestForm(storetest::kVisitV2), {"tester", ""});
  }
  // A fresh connection: no form is loaded yet, version 1 is first needed
  // after the writer has started.
  auto s = SqliteStore::open(t.file("w.skema"));
  std::string path = t.file("in.csv");
  std::FILE* f = std::fopen(path.c_str(), "wb");
  std::fprintf(f, "_form_version,date,office,interpreter\n");
  for (int i = 0; i < 2000; ++i)
    std::fprintf(f, "%d,2024-01-%02d,cph,%s\n", i < 1000 ? 2 : 1, 1 + i % 28, i < 1000 ? "yes" : "");
  std::fclose(f);
  auto res = importCsv(*s, path);
  REQUIRE(res.committed);
  CHECK(res.imported == 2000);
  RecordQuery q;
  q.formId = "test.visit";
  q.formVersion = 1;
  CHECK(s->query(q).total == 1000);
  CHECK(s->verifyAudit().ok);
}

TEST_CASE("store import: a store error in the writer (disk full) ends the import with nothing written") {
  TempDir t;
  storetest::workspaceWithOneVisit(t.file("w.skema"));
  const auto path = t.file("w.skema");
  const std::int64_t pages = sqlInt(path, "PRAGMA page_count");
  OpenOptions o;
  o.maxPageCount = pages + 40;
  auto s = SqliteStore::open(path, o);
  auto csv = csvFile(t, 5000);
  try {
    importCsv(*s, csv);
    FAIL("the import fit in 40 pages");
  } catch (const StoreError& e) {
    CHECK(e.kind() == ErrorKind::DiskFull);
  }
  CHECK(sqlInt(path, "SELECT count(*) FROM records") == 1);
  CHECK(s->verifyAudit().ok);
  CHECK(s->integrityCheck() == "ok");
  // The connection still works.
  CHECK(s->save(storetest::visit("2023-01-02", "cph"), {"a", ""}).revision == 1);
}

namespace {

// field_value_counts of an indexed field must equal counting the records.
void checkValueCounts(const std::string& path, const std::string& field) {
  const std::string counted =
      "SELECT value, n FROM field_value_counts WHERE form_id='test.visit' AND field='" + field + "' AND n > 0";
  const std::string real = "SELECT v, count(*) FROM (SELECT json_extract(data, '$.\"" + field +
                           "\"') AS v FROM records WHERE form_id='test.visit' AND deleted=0) WHERE v IS NOT NULL "
                           "GROUP BY v";
  INFO("field ", field);
  CHECK(sqlInt(path, "SELECT count(*) FROM (" + counted + " EXCEPT " + real + ")") == 0);
  CHECK(sqlInt(path, "SELECT count(*) FROM (" + real + " EXCEPT " + counted + ")") == 0);
}

std::int64_t filteredTotal(SqliteStore& s, const std::string& field, const json& value) {
  RecordQuery q;
  q.formId = "test.visit";
  q.limit = 0;
  q.filters.push_back({field, FieldFilter::Op::Equals, value});
  return s.query(q).total;
}

}  // namespace

TEST_CASE("store: value counts of indexed fields follow save, edit, delete and import, and give filtered totals") {
  TempDir t;
  const auto path = t.file("w.skema");
  auto s = SqliteStore::create(path);
  s->publishForm(storetest::loadTestForm(storetest::kVisitV1), {"tester", ""});
  std::vector<Record> saved;
  for (int i = 0; i < 12; ++i) {
    auto r = storetest::visit("2024-01-0" + std::to_string(1 + i % 9), i % 3 ? "cph" : "odense",
                              i % 4 ? RecordStatus::Final : RecordStatus::Draft);
    if (i % 2) r.values["people"] = i % 5;
    saved.push_back(s->save(r, {"a", ""}));
  }
  // Indexed after records exist: the counts are filled from them.
  s->ensureFieldIndex("test.visit", "office");
  s->ensureFieldIndex("test.visit", "people");
  s->ensureFieldIndex("test.visit", "_status");  // metadata: not counted, still answered
  checkValueCounts(path, "office");
  checkValueCounts(path, "people");

  // New, edited (value changed, value removed), finalised and deleted records.
  s->save(storetest::visit("2024-02-01", "aarhus"), {"a", ""});
  Record e = saved[1];
  e.values["office"] = "aarhus";
  e.values.erase("people");
  s->save(e, {"a", "fix"});
  Record d = saved[0];
  d.status = RecordStatus::Final;
  s->save(d, {"a", ""});
  s->remove(saved[2].id, {"a", "duplicate"});
  s->remove(saved[4].id, {"a", "duplicate"});
  checkValueCounts(path, "office");
  checkValueCounts(path, "people");

  // Imports: committed, rolled back, and with values the tally leaves to SQL.
  std::string csv = t.file("in.csv");
  std::FILE* f = std::fopen(csv.c_str(), "wb");
  std::fprintf(f, "date,office,people\n");
  for (int i = 0; i < 700; ++i) std::fprintf(f, "2024-03-01,%s,%d\n", i % 7 ? "aarhus" : "cph", i % 40);
  std::fclose(f);
  REQUIRE(importCsv(*s, csv).committed);
  checkValueCounts(path, "office");
  checkValueCounts(path, "people");
  f = std::fopen(csv.c_str(), "wb");
  std::fprintf(f, "date,office,people\n2024-03-01,cph,1\n2024-03-01,nowhere,1\n");
  std::fclose(f);
  REQUIRE_FALSE(importCsv(*s, csv).committed);
  checkValueCounts(path, "office");
  // An integer field given a whole number written as a decimal (not tallied
  // in memory but recounted) through an import that skips nothing.
  Rows src;
  ImportRow r;
  r.line = 2;
  r.record = storetest::visit("2024-04-01", "cph", RecordStatus::Draft);
  r.record.values["people"] = 45.0;
  src.rows.push_back(r);
  r.record.values["people"] = 3;
  src.rows.push_back(r);
  REQUIRE(s->importRecords(src, {"imp", ""}, {}).committed);
  checkValueCounts(path, "people");

  // Totals of one value of an indexed field come from the counts and equal
  // counting; other filters still count.
  for (const json& v : {json("cph"), json("aarhus"), json("odense"), json("nowhere")})
    CHECK(filteredTotal(*s, "office", v) ==
          sqlInt(path, "SELECT count(*) FROM records WHERE form_id='test.visit' AND deleted=0 AND "
                       "json_extract(data, '$.office') = '" + v.get<std::string>() + "'"));
  CHECK(filteredTotal(*s, "people", 3) ==
        sqlInt(path, "SELECT count(*) FROM records WHERE form_id='test.visit' AND deleted=0 AND "
                     "json_extract(data, '$.people') = 3"));
  CHECK(filteredTotal(*s, "people", 3) > 10);
  CHECK(filteredTotal(*s, "people", 45.0) == 1);
  CHECK(filteredTotal(*s, "people", "3") == 0);
  CHECK(filteredTotal(*s, "_status", "draft") ==
        sqlInt(path, "SELECT count(*) FROM records WHERE form_id='test.visit' AND deleted=0 AND status=0"));
  CHECK(filteredTotal(*s, "date", "2024-03-01") == 700);  // not indexed: counted
}

TEST_CASE("store: opening a workspace of format 5 counts the values of its indexed fields") {
  TempDir t;
  const auto path = t.file("w.skema");
  {
    auto s = SqliteStore::create(path);
    s->publishForm(storetest::loadTestForm(storetest::kVisitV1), {"tester", ""});
    s->ensureFieldIndex("test.visit", "office");
    for (int i = 0; i < 9; ++i) s->save(storetest::visit("2024-01-01", i % 3 ? "cph" : "odense"), {"a", ""});
  }
  {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    REQUIRE(sqlite3_exec(db,
                         "DROP TABLE field_value_counts; PRAGMA user_version=5",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    // the v5 schema had no value-count triggers either
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "SELECT name FROM sqlite_schema WHERE type='trigger' AND name LIKE 'fc_%'", -1, &st,
                       nullptr);
    std::vector<std::string> names;
    while (sqlite3_step(st) == SQLITE_ROW) names.push_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
    sqlite3_finalize(st);
    REQUIRE(names.size() == 1);
    for (const auto& n : names) REQUIRE(sqlite3_exec(db, ("DROP TRIGGER " + n).c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }
  auto s = SqliteStore::open(path);
  checkValueCounts(path, "office");
  CHECK(filteredTotal(*s, "office", "cph") == 6);
  s->save(storetest::visit("2024-01-02", "cph"), {"a", ""});
  CHECK(filteredTotal(*s, "office", "cph") == 7);
  checkValueCounts(path, "office");
}

TEST_CASE("store: a descending sort is the exact reverse of the ascending one, ties included") {
  TempDir t;
  auto s = SqliteStore::create(t.file("w.skema"));
  s->publishForm(storetest::loadTestForm(storetest::kVisitV1), {"tester", ""});
  s->ensureFieldIndex("test.visit", "date");
  for (int i = 0; i < 20; ++i) s->save(storetest::visit("2024-01-0" + std::to_string(1 + i % 3), "cph"), {"a", ""});
  RecordQuery q;
  q.formId = "test.visit";
  q.sortBy = "date";
  auto up = s->query(q).records;
  q.descending = true;
  auto down = s->query(q).records;
  REQUIRE(up.size() == 20);
  REQUIRE(down.size() == 20);
  for (size_t i = 0; i < 20; ++i) CHECK(down[i].id == up[19 - i].id);
  // ties: ascending in creation order, descending newest first
  CHECK(up[0].values["date"] == "2024-01-01");
  CHECK(up[0].createdAt <= up[1].createdAt);
  CHECK(down[0].values["date"] == "2024-01-03");
}

TEST_CASE("store import: text that is not UTF-8 is that row's error, with its line") {
  TempDir t;
  auto s = storetest::workspaceWithOneVisit(t.file("w.skema"));
  std::string csv = t.file("in.csv");
  std::FILE* f = std::fopen(csv.c_str(), "wb");
  std::fprintf(f, "date,office,notes\n2024-01-01,cph,fine\n2024-01-02,cph,caf\xe9 latin-1\n2024-01-03,odense,\n");
  std::fclose(f);
  auto res = importCsv(*s, csv);
  CHECK_FALSE(res.committed);
  REQUIRE(res.rejected.size() == 1);
  CHECK(res.rejected[0].line == 3);
  CHECK(res.rejected[0].errors[0].message.find("UTF-8") != std::string::npos);
  CHECK(sqlInt(t.file("w.skema"), "SELECT count(*) FROM records") == 1);
  ImportOptions o;
  o.skipInvalid = true;
  res = importCsv(*s, csv, o);
  CHECK(res.committed);
  CHECK(res.imported == 2);
  CHECK(s->verifyAudit().ok);
}

namespace {

std::string writeFile(const TempDir& t, const std::string& name, const std::string& text) {
  std::string path = t.file(name);
  std::FILE* f = std::fopen(path.c_str(), "wb");
  std::fwrite(text.data(), 1, text.size(), f);
  std::fclose(f);
  return path;
}

ImportResult importJsonl(SqliteStore& s, const std::string& path, const ImportOptions& o = {}) {
  std::FILE* in = std::fopen(path.c_str(), "rb");
  REQUIRE(in);
  JsonlImportSource src(s, in, "test.visit");
  auto res = s.importRecords(src, {"imp", "import " + path}, o);
  std::fclose(in);
  return res;
}

// The messages of the rejected rows, one "LINE: field: message" a line
// (field left out when empty).
std::string messages(const ImportResult& res) {
  std::string out;
  for (const auto& r : res.rejected)
    for (const auto& e : r.errors)
      out += std::to_string(r.line) + ": " + (e.field.empty() ? "" : e.field + ": ") + e.message + "\n";
  return out;
}
std::string lines(std::initializer_list<const char*> ls) {
  std::string out;
  for (const char* l : ls) out += std::string(l) + "\n";
  return out;
}

std::string nested(int depth, const std::string& inner = "") {
  return std::string(size_t(depth), '[') + inner + std::string(size_t(depth), ']');
}

}  // namespace

TEST_CASE("store import: a JSON line nested 100,000 deep is refused with its column, also in a draft") {
  TempDir t;
  auto s = storetest::workspaceWithOneVisit(t.file("w.skema"));
  // A draft skips the validator: the value went on to dump() and overflowed the stack.
  auto path = writeFile(t, "deep.jsonl",
                        "{\"date\":\"2024-01-01\",\"office\":\"cph\"}\n"
                        "{\"_status\":\"draft\",\"notes\":" + nested(100000) + "}\n");
  auto res = importJsonl(*s, path);
  CHECK_FALSE(res.committed);
  // 64 levels fit: the object and 63 arrays; the 64th '[' is byte 28 + 63 = 91.
  CHECK(messages(res) == lines({"2: column 91: nested deeper than 64 levels"}));
  // Exactly 64 levels parse; the value is then a type error like any other.
  path = writeFile(t, "63.jsonl", "{\"_status\":\"draft\",\"notes\":" + nested(63) + "}\n");
  CHECK(messages(importJsonl(*s, path)) == lines({"1: notes: must be text"}));
  CHECK(sqlInt(t.file("w.skema"), "SELECT count(*) FROM records") == 1);
}

TEST_CASE("store import: JSON-line errors say what is wrong and at which column") {
  TempDir t;
  auto s = storetest::workspaceWithOneVisit(t.file("w.skema"));
  auto path = writeFile(t, "bad.jsonl",
                        "{\"date\":\"2024-01-01\",\"office\":\"cph\"}\n"
                        "{\"date\":\"2024-01-01\",\"office\":\"cph\"\n"
                        "  [{\"date\":\"2024-01-01\"}]\n"
                        "\"just text\"\n"
                        "{\"date\":\"2024-01-01\",\"office\":\"cph\",\"office\":\"odense\"}\n"
                        "{\"date\":\"2024-01-01\",\"office\":\"cph\",\"people\":1e999}\n"
                        "{\"date\":\"2024-01-01\",\"office\":\"cph\"} {}\n"
                        "{\"_id\":5,\"date\":\"2024-01-01\",\"office\":\"cph\"}\r\n");
  auto res = importJsonl(*s, path);
  CHECK_FALSE(res.committed);
  CHECK(messages(res) == lines({
                             "2: column 36: syntax error while parsing object - unexpected end of input; expected '}'",
                             "3: column 3: expected a JSON object, got an array",
                             "4: column 1: expected a JSON object, got a string",
                             "5: column 37: duplicate key \"office\"",
                             "6: column 50: number overflow parsing '1e999'",
                             "7: column 38: syntax error while parsing value - unexpected '{'; expected end of input",
                             "8: _id: must be a string, not a number",
                         }));
}

TEST_CASE("store import: duplicate keys are refused inside repeats too, and a CSV repeat cell is parsed the same way") {
  TempDir t;
  auto s = SqliteStore::create(t.file("w.skema"));
  s->publishForm(storetest::loadTestForm(R"({
    "format": "skema-form/1", "id": "test.visit", "version": 1, "title": {"en": "House"}, "languages": ["en"],
    "fields": [
      {"name": "members", "type": "repeat", "label": {"en": "Members"}, "fields": [
        {"name": "age", "type": "integer", "label": {"en": "Age"}}]}
    ]})"),
                 {"tester", ""});
  auto path = writeFile(t, "rep.jsonl", "{\"members\":[{\"age\":1},{\"age\":2,\"age\":3}]}\n");
  CHECK(messages(importJsonl(*s, path)) == lines({"1: column 32: duplicate key \"age\""}));
  path = writeFile(t, "rep.csv",
                   "members\n"
                   "\"[{\"\"age\"\":1}]\"\n"
                   "\"[{\"\"age\"\":1,\"\"age\"\":2}]\"\n" +
                       nested(100000) + "\n"
                   "{}\n");
  std::FILE* in = std::fopen(path.c_str(), "rb");
  CsvImportSource src(*s, in, "test.visit");
  auto res = s->importRecords(src, {"imp", ""}, {});
  std::fclose(in);
  CHECK(messages(res) == lines({
                             "3: members: a repeat must be a JSON array of objects; character 11: duplicate key \"age\"",
                             "4: members: a repeat must be a JSON array of objects; character 65: nested deeper than "
                             "64 levels",
                             "5: members: a repeat must be a JSON array of objects, not an object",
                         }));
}

TEST_CASE("store import: _created_at and _updated_at must be times (converted to UTC), not in the future") {
  TempDir t;
  auto s = storetest::workspaceWithOneVisit(t.file("w.skema"));
  auto path = writeFile(t, "meta.csv",
                        "date,office,_created_at,_updated_at\n"
                        "2024-01-01,cph,2024-02-03T04:05:06.789Z,\n"           // the store's form
                        "2024-01-01,cph,2024-02-03 01:05:06+01:30,2024-02-03T00:00:00.5Z\n"  // converted
                        "2024-01-01,cph,2024-02-03T04:05:06,\n"                // no zone
                        "2024-01-01,cph,2024-02-30T04:05:06Z,\n"               // no such day
                        "2024-01-01,cph,yesterday,\n"
                        "2999-01-01,cph,2999-01-01T00:00:00Z,\n"               // future
                        "2024-01-01,cph,2024-02-03T04:05:06Z,2024-02-03T04:05:05Z\n");  // updated before created
  std::FILE* in = std::fopen(path.c_str(), "rb");
  CsvImportSource src(*s, in, "test.visit");
  auto res = s->importRecords(src, {"imp", ""}, {});
  std::fclose(in);
  CHECK(messages(res) ==
        lines({
            "4: _created_at: '2024-02-03T04:05:06' has no time zone: end it with Z (UTC) or an offset such as +01:00",
            "5: _created_at: not a date and time: '2024-02-30T04:05:06Z' (expected YYYY-MM-DDTHH:MM:SS.mmmZ)",
            "6: _created_at: not a date and time: 'yesterday' (expected YYYY-MM-DDTHH:MM:SS.mmmZ)",
            "7: _created_at: '2999-01-01T00:00:00Z' is in the future",
            "8: _updated_at: is before _created_at (2024-02-03T04:05:06.000Z)",
        }));
  ImportOptions o;
  o.skipInvalid = true;
  in = std::fopen(path.c_str(), "rb");
  CsvImportSource again(*s, in, "test.visit");
  res = s->importRecords(again, {"imp", ""}, o);
  std::fclose(in);
  REQUIRE(res.imported == 2);
  RecordQuery q;
  q.formId = "test.visit";
  q.sortBy = "_created_at";
  auto page = s->query(q);
  REQUIRE(page.records.size() == 3);
  CHECK(page.records[0].createdAt == "2024-02-02T23:35:06.000Z");
  CHECK(page.records[0].updatedAt == "2024-02-03T00:00:00.500Z");
  CHECK(page.records[1].createdAt == "2024-02-03T04:05:06.789Z");
  CHECK(page.records[1].updatedAt == "2024-02-03T04:05:06.789Z");
  auto rebuilt = s->rebuildFromAudit(page.records[0].id);
  REQUIRE(rebuilt);
  CHECK(rebuilt->createdAt == page.records[0].createdAt);
  CHECK(rebuilt->updatedAt == page.records[0].updatedAt);
}

TEST_CASE("store import: _created_by and _updated_by must be user names") {
  TempDir t;
  auto s = storetest::workspaceWithOneVisit(t.file("w.skema"));
  auto path = writeFile(t, "users.jsonl",
                        "{\"date\":\"2024-01-01\",\"office\":\"cph\",\"_created_by\":\"Anne Sørensen\"}\n"
                        "{\"date\":\"2024-01-01\",\"office\":\"cph\",\"_created_by\":\"bo\\u0007\"}\n"
                        "{\"date\":\"2024-01-01\",\"office\":\"cph\",\"_updated_by\":\"two\\nlines\"}\n"
                        "{\"date\":\"2024-01-01\",\"office\":\"cph\",\"_created_by\":\"" +
                            std::string(65, 'x') + "\"}\n");
  auto res = importJsonl(*s, path);
  CHECK(messages(res) == lines({
                             "2: _created_by: contains the control character U+0007",
                             "3: _updated_by: contains the control character U+000A",
                             "4: _created_by: is 65 bytes long (at most 64)",
                         }));
}

TEST_CASE("store import: the same content imported again names the first import; existing ids are counted") {
  TempDir t;
  auto s = storetest::workspaceWithOneVisit(t.file("w.skema"));
  auto path = writeFile(t, "a.jsonl",
                        "{\"date\":\"2024-01-01\",\"office\":\"cph\"}\n{\"date\":\"2024-01-02\",\"office\":\"cph\"}\n");
  auto first = importJsonl(*s, path);
  REQUIRE(first.committed);
  CHECK_FALSE(first.sameContent);
  auto second = importJsonl(*s, path);  // warned about, not refused: the rows have no ids
  REQUIRE(second.committed);
  REQUIRE(second.sameContent);
  CHECK(second.sameContent->user == "imp");
  CHECK(second.sameContent->reason == "import " + path);
  CHECK(second.sameContent->records == 2);
  CHECK(second.sameContent->at.size() == 24);
  CHECK(importJsonl(*s, path).sameContent->at == second.sameContent->at);  // still the first one
  // One byte more is other content.
  auto other = writeFile(t, "b.jsonl",
                         "{\"date\":\"2024-01-01\",\"office\":\"cph\"}\n{\"date\":\"2024-01-02\",\"office\":\"cph\"}\n\n");
  CHECK_FALSE(importJsonl(*s, other).sameContent);

  // An export imported back: every row's id exists, the rows are refused and counted.
  auto exported = t.file("e.jsonl");
  std::FILE* out = std::fopen(exported.c_str(), "wb");
  ExportOptions eo;
  eo.format = ExportFormat::Jsonl;
  auto ex = exportRecords(*s, "test.visit", out, eo);
  std::fclose(out);
  auto back = importJsonl(*s, exported);
  CHECK_FALSE(back.committed);
  CHECK(back.existingIds == ex.records);
  REQUIRE_FALSE(back.rejected.empty());
  CHECK(back.rejected[0].errors[0].message.rfind("a record with this id already exists (created 20", 0) == 0);
  CHECK_FALSE(back.sameContent);  // never committed, so not remembered
  CHECK_FALSE(importJsonl(*s, exported).sameContent);
  // An id twice in one file names the earlier line.
  auto twice = writeFile(t, "twice.jsonl",
                         "{\"_id\":\"00000000-0000-4000-8000-000000000001\",\"date\":\"2024-01-01\",\"office\":\"cph\"}\n"
                         "{\"_id\":\"00000000-0000-4000-8000-000000000001\",\"date\":\"2024-01-01\",\"office\":\"cph\"}\n");
  CHECK(messages(importJsonl(*s, twice)) == lines({"2: _id: the same id as line 1"}));
}
