// Tests of the store's performance machinery (docs/store.md, "Performance"):
// counts kept by triggers, time-ordered ids, compact import audit rows,
// the cached validator and its FormLogic-free path.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <random>
#include <set>

#include "expr/validate.h"
#include "test_store_util.h"

using namespace skema;
using namespace skema::store;
using storetest::Rows;
using storetest::sqlInt;
using storetest::TempDir;
using nlohmann::json;

namespace {

void sqlRun(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
  REQUIRE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
}

// The counts the triggers keep must equal counting the rows.
void checkCounts(SqliteStore& s, const std::string& path) {
  CHECK(sqlInt(path,
               "SELECT count(*) FROM (SELECT form_id, form_version, status, deleted, count(*) AS n FROM records "
               "GROUP BY 1,2,3,4 EXCEPT SELECT form_id, form_version, status, deleted, n FROM record_counts "
               "WHERE n > 0)") == 0);
  CHECK(sqlInt(path, "SELECT coalesce(sum(n), 0) FROM record_counts") == sqlInt(path, "SELECT count(*) FROM records"));
  RecordQuery q;
  q.formId = "test.visit";
  q.limit = 1;
  CHECK(s.query(q).total == sqlInt(path, "SELECT count(*) FROM records WHERE form_id='test.visit' AND deleted=0"));
  q.status = RecordStatus::Draft;
  CHECK(s.query(q).total ==
        sqlInt(path, "SELECT count(*) FROM records WHERE form_id='test.visit' AND deleted=0 AND status=0"));
  auto c = s.countByStatus("test.visit");
  CHECK(c[RecordStatus::Final] ==
        sqlInt(path, "SELECT count(*) FROM records WHERE form_id='test.visit' AND deleted=0 AND status=1"));
}

}  // namespace

TEST_CASE("store perf: record counts are kept by triggers through save, finalise, delete and import") {
  TempDir t;
  const std::string path = t.file("w.skema");
  auto s = SqliteStore::create(path);
  s->publishForm(storetest::loadTestForm(storetest::kVisitV1), {"tester", ""});
  s->publishForm(storetest::loadTestForm(storetest::kVisitV2), {"tester", ""});
  checkCounts(*s, path);
  auto a = s->save(storetest::visit("2024-01-01", "cph", RecordStatus::Draft), {"ann", ""});
  auto b = s->save(storetest::visit("2024-01-02", "odense"), {"ann", ""});
  checkCounts(*s, path);
  a.status = RecordStatus::Final;
  a = s->save(a, {"ann", ""});  // finalise
  checkCounts(*s, path);
  b.formVersion = 2;
  b = s->save(b, {"ann", "to v2"});
  checkCounts(*s, path);
  s->remove(a.id, {"ann", "duplicate"});
  checkCounts(*s, path);
  Rows src;
  for (int i = 0; i < 30; ++i) {
    ImportRow r;
    r.line = i + 2;
    r.record = storetest::visit("2024-02-" + std::to_string(10 + i % 18), i % 2 ? "cph" : "aarhus",
                                i % 3 ? RecordStatus::Final : RecordStatus::Draft);
    src.rows.push_back(r);
  }
  auto res = s->importRecords(src, {"imp", ""}, {});
  REQUIRE(res.committed);
  checkCounts(*s, path);
  // a failed (rolled back) import leaves the counts alone
  Rows bad;
  bad.rows = src.rows;
  bad.rows[5].record.values["office"] = "nowhere";
  bad.i = 0;
  auto res2 = s->importRecords(bad, {"imp", ""}, {});
  CHECK(!res2.committed);
  checkCounts(*s, path);
  RecordQuery q;
  q.formId = "test.visit";
  q.formVersion = 2;
  CHECK(s->query(q).total == 1);
}

TEST_CASE("store perf: opening an older workspace fills record_counts from the records") {
  TempDir t;
  const std::string path = t.file("w.skema");
  {
    auto s = SqliteStore::create(path);
    s->publishForm(storetest::loadTestForm(storetest::kVisitV1), {"tester", ""});
    for (int i = 0; i < 5; ++i) s->save(storetest::visit("2024-01-0" + std::to_string(i + 1), "cph"), {"ann", ""});
  }
  sqlRun(path,
         "DROP TRIGGER records_count_update; DROP TABLE record_counts; "
         "PRAGMA user_version=3");
  {
    auto s = SqliteStore::open(path);
    CHECK(sqlInt(path, "PRAGMA user_version") == kSchemaVersion);
    checkCounts(*s, path);
    s->save(storetest::visit("2024-03-01", "odense"), {"ann", ""});
    checkCounts(*s, path);
    CHECK(s->countByStatus("test.visit")[RecordStatus::Final] == 6);
  }
}

TEST_CASE("store perf: new record ids are time-ordered UUIDs (version 7), ascending") {
  TempDir t;
  auto s = SqliteStore::create(t.file("w.skema"));
  s->publishForm(storetest::loadTestForm(storetest::kVisitV1), {"tester", ""});
  std::string prev;
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    auto r = s->save(storetest::visit("2024-01-01", "cph"), {"ann", ""});
    CHECK(isUuid(r.id));
    CHECK(r.id[14] == '7');
    CHECK(std::string("89ab").find(r.id[19]) != std::string::npos);
    CHECK(r.id > prev);
    CHECK(seen.insert(r.id).second);
    prev = r.id;
  }
}

TEST_CASE("store perf: compact import audit rows still rebuild every record, metadata included") {
  TempDir t;
  auto s = SqliteStore::create(t.file("w.skema"));
  s->publishForm(storetest::loadTestForm(storetest::kVisitV1), {"tester", ""});
  Rows src;
  ImportRow plain;
  plain.line = 2;
  plain.record = storetest::visit("2024-01-01", "cph");
  src.rows.push_back(plain);
  ImportRow withMeta;
  withMeta.line = 3;
  withMeta.record = storetest::visit("2024-01-02", "odense", RecordStatus::Draft);
  withMeta.record.id = newUuid();
  withMeta.record.createdAt = "2020-05-01T10:00:00.000Z";
  withMeta.record.createdBy = "old system";
  src.rows.push_back(withMeta);
  ImportRow edited = withMeta;
  edited.line = 4;
  edited.record.id = newUuid();
  edited.record.updatedAt = "2021-01-01T00:00:00.000Z";
  edited.record.updatedBy = "someone else";
  src.rows.push_back(edited);
  REQUIRE(s->importRecords(src, {"imp", "migration"}, {}).committed);
  RecordQuery q;
  q.formId = "test.visit";
  auto page = s->query(q);
  REQUIRE(page.records.size() == 3);
  for (const auto& r : page.records) {
    auto h = s->history(r.id);
    REQUIRE(h.size() == 1);
    auto v = json::parse(*h[0].newValue);
    auto back = s->rebuildFromAudit(r.id);
    REQUIRE(back);
    CHECK(back->values == r.values);
    CHECK(back->status == r.status);
    CHECK(back->createdAt == r.createdAt);
    CHECK(back->createdBy == r.createdBy);
    CHECK(back->updatedAt == r.updatedAt);
    CHECK(back->updatedBy == r.updatedBy);
    if (r.createdBy == "imp") {  // the plain row: status and values only
      CHECK(!v.contains("created_at"));
      CHECK(!v.contains("updated_by"));
    }
  }
  CHECK(s->verifyAudit().ok);
}

TEST_CASE("store perf: a RecordValidator reused over many records gives what validateRecord gives") {
  auto form = storetest::loadTestForm(storetest::kVisitV1);
  expr::RecordValidator v(form);
  std::vector<json> records = {
      {{"date", "2024-01-01"}, {"office", "cph"}, {"people", 3}},
      {{"date", "not a date"}, {"office", "cph"}},
      {{"office", "nowhere"}, {"people", 99}},
      {{"date", "2024-01-01"}, {"office", "odense"}, {"topics", "health tax"}},
      {{"date", "2024-01-01"}},
  };
  for (int round = 0; round < 2; ++round)
    for (const auto& rec : records) {
      json a = rec, b = rec;
      auto ea = v.validate(a);
      auto eb = expr::validateRecord(form, b);
      CHECK(a == b);
      REQUIRE(ea.size() == eb.size());
      for (size_t i = 0; i < ea.size(); ++i) {
        CHECK(ea[i].field == eb[i].field);
        CHECK(ea[i].message == eb[i].message);
      }
    }
}

TEST_CASE("store perf: the validator without FormLogic gives what FormLogic gives") {
  auto form = storetest::loadTestForm(storetest::kVisitV1);
  expr::RecordValidator fast(form, "en", true), slow(form, "en", false);
  CHECK_FALSE(fast.usesFormLogic());
  CHECK(slow.usesFormLogic());
  const std::vector<json> pool[] = {
      {"2024-01-01", "2024-02-30", "", "x", 5, nullptr, json::array({1}), "2024-01-01T10:00:00"},  // date
      {"cph", "odense", "nowhere", "", "cph odense", 3, nullptr},                                  // office
      {"health", "health tax", "tax bogus", "", " health ", 1},                                   // topics
      {0, 50, 51, -1, 2.5, "7", true, nullptr, 3.0},                                                // people
      {"P-1", "", 17, nullptr},                                                                    // person
      {"some text", "", 4, json::object()},                                                        // notes
  };
  const char* names[] = {"date", "office", "topics", "people", "person", "notes"};
  std::mt19937 rng(3);
  int withErrors = 0;
  for (int k = 0; k < 3000; ++k) {
    json rec = json::object();
    for (int f = 0; f < 6; ++f) {
      if (rng() % 4 == 0) continue;  // absent
      rec[names[f]] = rng() % 2 ? pool[f][0] : pool[f][rng() % pool[f].size()];  // the first is valid
    }
    json a = rec, b = rec;
    auto ea = fast.validate(a);
    auto eb = slow.validate(b);
    CHECK(a == b);
    REQUIRE(ea.size() == eb.size());
    for (size_t i = 0; i < ea.size(); ++i) {
      CHECK(ea[i].field == eb[i].field);
      CHECK(ea[i].message == eb[i].message);
    }
    withErrors += !ea.empty();
  }
  CHECK(withErrors > 500);
  CHECK(withErrors < 2800);  // valid records too

  // Any expression (here a relevance) keeps FormLogic.
  auto logicForm = storetest::loadTestForm(R"({
    "format": "skema-form/1", "id": "t.r", "version": 1, "title": {"en": "R"}, "languages": ["en"],
    "fields": [{"name": "a", "type": "integer", "label": {"en": "A"}},
               {"name": "b", "type": "text", "label": {"en": "B"}, "relevant": "${a} > 1"}]})");
  CHECK(expr::RecordValidator(logicForm).usesFormLogic());
}
