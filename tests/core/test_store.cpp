// The SQLite record store: workspace identity, form versions, records,
// audit chain, queries, import, and failure modes (busy, disk full).
#include <doctest/doctest.h>

#include <sqlite3.h>
#include <sys/stat.h>

#include <fstream>
#include <set>

#include "test_store_util.h"

using namespace skema::store;
using storetest::TempDir;
using nlohmann::json;

namespace {

std::string readAll(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void sqlExec(const std::string& path, const std::string& sql, int* rcOut = nullptr) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  if (rcOut) *rcOut = rc;
  sqlite3_free(err);
  sqlite3_close(db);
}

std::unique_ptr<SqliteStore> workspaceWithForm(const TempDir& t, const std::string& name = "w.skema") {
  auto s = SqliteStore::create(t.file(name));
  s->publishForm(storetest::loadTestForm(storetest::kVisitV1), {"tester", ""});
  return s;
}

struct VectorSource : ImportSource {
  std::vector<ImportRow> rows;
  size_t i = 0;
  std::vector<int> rejectedLines;
  bool next(ImportRow& r) override {
    if (i >= rows.size()) return false;
    r = rows[i++];
    return true;
  }
  void rejected(const ImportRow& r, const std::vector<FieldMessage>&) override { rejectedLines.push_back(r.line); }
};

RecordQuery all() {
  RecordQuery q;
  q.formId = "test.visit";
  return q;
}
RecordQuery sorted(const std::string& field) {
  RecordQuery q = all();
  q.sortBy = field;
  return q;
}
OpenOptions busyOpts(int ms) {
  OpenOptions o;
  o.busyTimeoutMs = ms;
  return o;
}
OpenOptions capOpts(long long pages) {
  OpenOptions o;
  o.maxPageCount = pages;
  return o;
}

}  // namespace

TEST_CASE("store: a workspace is created only by create(), and identified on open") {
  TempDir t;
  SUBCASE("missing path") {
    try {
      SqliteStore::open(t.file("missing.skema"));
      FAIL("opened a missing workspace");
    } catch (const StoreError& e) {
      CHECK(e.kind() == ErrorKind::NotFound);
    }
    CHECK_FALSE(std::filesystem::exists(t.file("missing.skema")));
  }
  SUBCASE("a text file is not a workspace and stays untouched") {
    std::ofstream(t.file("notes.txt")) << "hello";
    CHECK_THROWS_AS(SqliteStore::open(t.file("notes.txt")), StoreError);
    CHECK(readAll(t.file("notes.txt")) == "hello");
    std::ofstream(t.file("empty.skema")).close();
    try {
      SqliteStore::open(t.file("empty.skema"));
      FAIL("opened an empty file");
    } catch (const StoreError& e) {
      CHECK(e.kind() == ErrorKind::NotAWorkspace);
    }
    CHECK(std::filesystem::file_size(t.file("empty.skema")) == 0);
  }
  SUBCASE("another program's SQLite file") {
    sqlite3* db;
    sqlite3_open(t.file("other.db").c_str(), &db);
    sqlite3_exec(db, "CREATE TABLE x(a); INSERT INTO x VALUES(1);", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    std::string before = readAll(t.file("other.db"));
    try {
      SqliteStore::open(t.file("other.db"));
      FAIL("opened a foreign database");
    } catch (const StoreError& e) {
      CHECK(e.kind() == ErrorKind::NotAWorkspace);
    }
    CHECK(readAll(t.file("other.db")) == before);
    CHECK_FALSE(std::filesystem::exists(t.file("other.db-wal")));
  }
  SUBCASE("newer format is refused") {
    workspaceWithForm(t);
    sqlExec(t.file("w.skema"), "PRAGMA user_version=" + std::to_string(kSchemaVersion + 1));
    try {
      SqliteStore::open(t.file("w.skema"));
      FAIL("opened a newer workspace");
    } catch (const StoreError& e) {
      CHECK(e.kind() == ErrorKind::NewerFormat);
      CHECK(std::string(e.what()).find("newer") != std::string::npos);
    }
  }
  SUBCASE("an older format is migrated") {
    workspaceWithForm(t);
    sqlExec(t.file("w.skema"), "DROP INDEX audit_record; DROP INDEX records_person; PRAGMA user_version=1");
    { auto s = SqliteStore::open(t.file("w.skema")); }
    sqlite3* db;
    sqlite3_open(t.file("w.skema").c_str(), &db);
    sqlite3_stmt* st;
    sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master WHERE name IN ('audit_record','records_person')",
                       -1, &st, nullptr);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    CHECK(sqlite3_column_int(st, 0) == 2);
    sqlite3_finalize(st);
    sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, nullptr);
    sqlite3_step(st);
    CHECK(sqlite3_column_int(st, 0) == kSchemaVersion);
    sqlite3_finalize(st);
    sqlite3_close(db);
  }
  SUBCASE("read-only file") {
    workspaceWithForm(t);
    chmod(t.file("w.skema").c_str(), 0400);
    if (access(t.file("w.skema").c_str(), W_OK) == 0) return;  // running as root: cannot test
    try {
      SqliteStore::open(t.file("w.skema"));
      FAIL("opened a read-only workspace");
    } catch (const StoreError& e) {
      CHECK(e.kind() == ErrorKind::ReadOnly);
    }
  }
  SUBCASE("create refuses an existing path") {
    std::ofstream(t.file("x.skema")) << "data";
    try {
      SqliteStore::create(t.file("x.skema"));
      FAIL("overwrote a file");
    } catch (const StoreError& e) {
      CHECK(e.kind() == ErrorKind::Exists);
    }
    CHECK(readAll(t.file("x.skema")) == "data");
  }
}

TEST_CASE("store: form versions are immutable") {
  TempDir t;
  auto s = SqliteStore::create(t.file("w.skema"));
  auto v1 = storetest::loadTestForm(storetest::kVisitV1);
  CHECK(s->publishForm(v1, {"a", ""}) == PublishResult::Published);
  CHECK(s->publishForm(v1, {"a", ""}) == PublishResult::AlreadyPublished);
  auto changed = v1;
  changed.definition["title"]["en"] = "Changed";
  try {
    s->publishForm(changed, {"a", ""});
    FAIL("re-published with different content");
  } catch (const StoreError& e) {
    CHECK(e.kind() == ErrorKind::Conflict);
  }
  auto versions = s->formVersions("test.visit");
  REQUIRE(versions.size() == 1);
  CHECK(versions[0].definitionText == v1.definition.dump());
  CHECK(versions[0].hash == skema::sha256Hex(v1.definition.dump()));
  // The stored definition is the one records are read against.
  auto stored = s->form("test.visit", 1);
  REQUIRE(stored);
  CHECK(stored->findField("people") != nullptr);
  // The database itself refuses changes to a published version.
  s.reset();
  int rc = 0;
  sqlExec(t.file("w.skema"), "UPDATE form_versions SET definition='{}'", &rc);
  CHECK(rc != SQLITE_OK);
}

TEST_CASE("store: save, edit with reason, tombstone, and the audit log") {
  TempDir t;
  auto s = workspaceWithForm(t);
  Actor anna{"anna", ""};

  Record draft = storetest::visit("2024-03-01", "cph", RecordStatus::Draft);
  draft.values["person"] = "P-0042";
  Record saved = s->save(draft, anna);
  CHECK(draft.id.empty());            // the caller's object is untouched
  CHECK(draft.revision == 0);
  CHECK(skema::isUuid(saved.id));
  CHECK(saved.revision == 1);
  CHECK(saved.personCode == "P-0042");
  CHECK(saved.createdBy == "anna");
  CHECK(saved.createdAt.back() == 'Z');

  // Saving the same draft again changes nothing.
  Record same = s->save(saved, anna);
  CHECK(same.revision == 1);

  // Unknown fields are refused, with a per-field message.
  Record bad = saved;
  bad.values["nonsense"] = 1;
  try {
    s->save(bad, anna);
    FAIL("saved an unknown field");
  } catch (const StoreError& e) {
    CHECK(e.kind() == ErrorKind::Invalid);
    REQUIRE(e.fieldErrors().size() == 1);
    CHECK(e.fieldErrors()[0].field == "nonsense");
  }
  CHECK(bad.values.contains("nonsense"));  // still in the caller's hands

  // Finalise.
  Record fin = saved;
  fin.status = RecordStatus::Final;
  fin.values["people"] = 2;
  fin = s->save(fin, anna);
  CHECK(fin.revision == 2);
  CHECK(fin.status == RecordStatus::Final);

  // Editing a final record needs a reason.
  Record edit = fin;
  edit.values["office"] = "odense";
  CHECK_THROWS_AS(s->save(edit, anna), StoreError);
  Record edited = s->save(edit, {"bo", "wrong office"});
  CHECK(edited.revision == 3);
  CHECK(edited.updatedBy == "bo");
  CHECK(s->get(fin.id)->values["office"] == "odense");

  // A stale revision is refused (another user saved meanwhile).
  try {
    s->save(edit, {"bo", "again"});
    FAIL("saved over a newer revision");
  } catch (const StoreError& e) {
    CHECK(e.kind() == ErrorKind::Conflict);
  }
  // Final cannot go back to draft.
  Record back = edited;
  back.status = RecordStatus::Draft;
  CHECK_THROWS_AS(s->save(back, {"bo", "x"}), StoreError);

  // Delete: a tombstone, with a reason for a final record.
  CHECK_THROWS_AS(s->remove(fin.id, anna), StoreError);
  Record del = s->remove(fin.id, {"anna", "duplicate"});
  CHECK(del.deleted);
  auto after = s->get(fin.id);
  REQUIRE(after);
  CHECK(after->deleted);
  CHECK(after->values["office"] == "odense");

  // The history: who, when, which field, old and new value, why.
  auto h = s->history(fin.id);
  REQUIRE(h.size() >= 6);
  CHECK(h.front().action == "create");
  bool sawOffice = false, sawFinalise = false;
  for (const auto& e : h) {
    if (e.field == "office" && e.action == "edit") {
      sawOffice = true;
      CHECK(e.oldValue == std::optional<std::string>("\"cph\""));
      CHECK(e.newValue == std::optional<std::string>("\"odense\""));
      CHECK(e.reason == "wrong office");
      CHECK(e.user == "bo");
    }
    if (e.field == "_status" && e.action == "finalise") sawFinalise = true;
  }
  CHECK(sawOffice);
  CHECK(sawFinalise);
  CHECK(h.back().action == "delete");
  CHECK(h.back().reason == "duplicate");

  // Every earlier state can be rebuilt from the log alone.
  auto atCreate = s->rebuildFromAudit(fin.id, h.front().seq + 3);
  REQUIRE(atCreate);
  CHECK(atCreate->status == RecordStatus::Draft);
  CHECK(atCreate->values == saved.values);
  std::int64_t finaliseSeq = 0;
  for (const auto& e : h)
    if (e.revision == 2) finaliseSeq = e.seq;
  auto atFinal = s->rebuildFromAudit(fin.id, finaliseSeq);
  CHECK(atFinal->values == fin.values);
  CHECK(atFinal->status == RecordStatus::Final);
  auto now = s->rebuildFromAudit(fin.id);
  CHECK(now->values == after->values);
  CHECK(now->deleted);
  CHECK(now->revision == after->revision);
  CHECK(now->personCode == "P-0042");

  CHECK(s->verifyAudit().ok);
}

TEST_CASE("store: the audit log is append-only and its chain finds tampering") {
  TempDir t;
  std::string path = t.file("w.skema");
  {
    auto s = workspaceWithForm(t);
    for (int i = 0; i < 5; ++i) s->save(storetest::visit("2024-01-0" + std::to_string(i + 1), "cph"), {"a", ""});
    auto v = s->verifyAudit();
    CHECK(v.ok);
    CHECK(v.rows == 15);  // _status, date, office per record
  }
  int rc = 0;
  sqlExec(path, "UPDATE audit SET new_value='\"odense\"' WHERE seq=3", &rc);
  CHECK(rc != SQLITE_OK);
  sqlExec(path, "DELETE FROM audit WHERE seq=3", &rc);
  CHECK(rc != SQLITE_OK);
  sqlExec(path, "DELETE FROM records", &rc);
  CHECK(rc != SQLITE_OK);
  // Someone drops the trigger and changes a row: verify names that row.
  sqlExec(path, "DROP TRIGGER audit_no_update; UPDATE audit SET new_value='\"odense\"' WHERE seq=6", &rc);
  REQUIRE(rc == SQLITE_OK);
  auto s = SqliteStore::open(path);
  auto v = s->verifyAudit();
  CHECK_FALSE(v.ok);
  CHECK(v.firstBrokenSeq == 6);
}

TEST_CASE("store: queries: paging, sorting, filters, free text, counts, all versions") {
  TempDir t;
  auto s = workspaceWithForm(t);
  s->publishForm(storetest::loadTestForm(storetest::kVisitV2), {"a", ""});
  const char* offices[] = {"cph", "odense", "aarhus"};
  for (int i = 0; i < 30; ++i) {
    Record r = storetest::visit("2024-03-" + std::string(i + 1 < 10 ? "0" : "") + std::to_string(i + 1),
                                offices[i % 3], i % 10 == 0 ? RecordStatus::Draft : RecordStatus::Final);
    r.values["topics"] = i % 2 ? "health tax" : "housing";
    if (i >= 20) {
      r.formVersion = 2;
      r.values["interpreter"] = "yes";
    } else {
      r.values["people"] = i;
    }
    if (i == 7) r.values["notes"] = "Talked about Ærø trip";
    s->save(r, {"a", ""});
  }
  s->ensureFieldIndex("test.visit", "date");
  s->ensureFieldIndex("test.visit", "date");  // idempotent

  RecordQuery q;
  q.formId = "test.visit";
  q.limit = 10;
  auto p = s->query(q);
  CHECK(p.total == 30);
  CHECK(p.records.size() == 10);
  CHECK(p.records[0].values["date"] == "2024-03-01");
  q.offset = 25;
  CHECK(s->query(q).records.size() == 5);

  q = {};
  q.formId = "test.visit";
  q.sortBy = "date";
  q.descending = true;
  q.filters.push_back({"office", FieldFilter::Op::Equals, "odense"});
  p = s->query(q);
  CHECK(p.total == 10);
  CHECK(p.records.front().values["date"] == "2024-03-29");
  for (const auto& r : p.records) CHECK(r.values["office"] == "odense");

  q.filters = {{"topics", FieldFilter::Op::HasChoice, "tax"}};
  CHECK(s->query(q).total == 15);
  q.filters = {{"people", FieldFilter::Op::GreaterEq, 15}};
  CHECK(s->query(q).total == 5);
  q.filters = {{"_form_version", FieldFilter::Op::Equals, 2}};
  CHECK(s->query(q).total == 10);
  q.filters = {{"_status", FieldFilter::Op::Equals, "draft"}};
  CHECK(s->query(q).total == 3);
  q.filters = {};
  q.text = "ærø";  // case folding is ASCII-only; same case finds it
  q.text = "Ærø";
  p = s->query(q);
  REQUIRE(p.total == 1);
  CHECK(p.records[0].values["people"] == 7);
  q.text = "TALKED";
  CHECK(s->query(q).total == 1);
  q.text = "office";  // field names are not searched, only values
  CHECK(s->query(q).total == 0);

  auto counts = s->countByStatus("test.visit");
  CHECK(counts[RecordStatus::Draft] == 3);
  CHECK(counts[RecordStatus::Final] == 27);

  CHECK_THROWS_AS(s->query(sorted("x'; DROP TABLE records; --")),
                  StoreError);
}

TEST_CASE("store: import is all-or-nothing, or skips invalid rows") {
  TempDir t;
  auto s = workspaceWithForm(t);
  auto row = [](int line, json values) {
    ImportRow r;
    r.line = line;
    r.record.formId = "test.visit";
    r.record.status = RecordStatus::Final;
    r.record.values = std::move(values);
    return r;
  };
  VectorSource src;
  src.rows = {row(2, {{"date", "2024-01-01"}, {"office", "cph"}}),
              row(3, {{"date", "2024-01-02"}, {"office", "cph"}, {"bogus", "x"}}),
              row(4, {{"date", "2024-01-03"}, {"office", "aarhus"}})};
  auto res = s->importRecords(src, {"imp", ""}, {});
  CHECK_FALSE(res.committed);
  CHECK(res.imported == 0);
  REQUIRE(res.rejected.size() == 1);
  CHECK(res.rejected[0].line == 3);
  CHECK(res.rejected[0].errors[0].field == "bogus");
  CHECK(s->query(all()).total == 0);
  CHECK(s->verifyAudit().rows == 0);

  VectorSource src2;
  src2.rows = src.rows;
  ImportOptions skip;
  skip.skipInvalid = true;
  res = s->importRecords(src2, {"imp", ""}, skip);
  CHECK(res.committed);
  CHECK(res.imported == 2);
  CHECK(src2.rejectedLines == std::vector<int>{3});
  auto page = s->query(all());
  CHECK(page.total == 2);
  // import audit: one row per record, rebuildable
  for (const auto& r : page.records) {
    auto h = s->history(r.id);
    REQUIRE(h.size() == 1);
    CHECK(h[0].action == "import");
    auto rb = s->rebuildFromAudit(r.id);
    REQUIRE(rb);
    CHECK(rb->values == r.values);
    CHECK(rb->createdAt == r.createdAt);
    CHECK(rb->status == r.status);
  }
  CHECK(s->verifyAudit().ok);
}

TEST_CASE("store: a locked workspace gives Busy, and the data stays with the caller") {
  TempDir t;
  auto s = workspaceWithForm(t);
  std::string path = t.file("w.skema");
  auto other = SqliteStore::open(path, busyOpts(50));
  // A second connection holds the write lock.
  sqlite3* db;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
  Record r = storetest::visit("2024-05-05", "cph");
  try {
    other->save(r, {"a", ""});
    FAIL("saved into a locked workspace");
  } catch (const StoreError& e) {
    CHECK(e.kind() == ErrorKind::Busy);
    CHECK(std::string(e.what()).find("locked") != std::string::npos);
  }
  CHECK(r.id.empty());
  CHECK(r.values["office"] == "cph");
  sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  // Retry works once the lock is gone.
  Record saved = other->save(r, {"a", ""});
  CHECK(other->get(saved.id));
  CHECK(other->integrityCheck() == "ok");
  CHECK(other->verifyAudit().ok);
}

TEST_CASE("store: a full disk gives DiskFull, an intact workspace, and the data stays with the caller") {
  TempDir t;
  std::string path = t.file("w.skema");
  workspaceWithForm(t);
  std::int64_t pages = 0;
  {
    sqlite3* db;
    sqlite3_open(path.c_str(), &db);
    sqlite3_stmt* st;
    sqlite3_prepare_v2(db, "PRAGMA page_count", -1, &st, nullptr);
    sqlite3_step(st);
    pages = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
  }
  auto s = SqliteStore::open(path, capOpts(pages + 3));
  int saved = 0;
  Record big = storetest::visit("2024-05-05", "cph");
  big.values["notes"] = std::string(3000, 'n');
  bool full = false;
  for (int i = 0; i < 200 && !full; ++i) {
    try {
      s->save(big, {"a", ""});
      ++saved;
    } catch (const StoreError& e) {
      CHECK(e.kind() == ErrorKind::DiskFull);
      CHECK(std::string(e.what()).find("full") != std::string::npos);
      full = true;
    }
  }
  REQUIRE(full);
  CHECK(big.id.empty());
  CHECK(big.values["notes"].get<std::string>().size() == 3000);
  CHECK(s->integrityCheck() == "ok");
  CHECK(s->query(all()).total == saved);
  CHECK(s->verifyAudit().ok);
  s.reset();
  auto again = SqliteStore::open(path);
  CHECK(again->query(all()).total == saved);
  CHECK(again->save(big, {"a", ""}).revision == 1);  // room again without the cap
}

TEST_CASE("store: final records are validated by the engine, drafts may be incomplete") {
  TempDir t;
  auto s = workspaceWithForm(t);
  REQUIRE(haveValidator());
  Record r;
  r.formId = "test.visit";
  r.formVersion = 1;
  r.status = RecordStatus::Final;
  r.values = {{"date", "2024-13-45"}, {"people", 99}};
  try {
    s->save(r, {"a", ""});
    FAIL("saved an invalid final record");
  } catch (const StoreError& e) {
    CHECK(e.kind() == ErrorKind::Invalid);
    std::set<std::string> fields;
    for (const auto& fe : e.fieldErrors()) fields.insert(fe.field);
    CHECK(fields.count("date"));
    CHECK(fields.count("office"));  // required
    CHECK(fields.count("people"));  // above max
  }
  CHECK(s->query(all()).total == 0);
  r.status = RecordStatus::Draft;
  r.values = {{"people", 3}};
  Record d = s->save(r, {"a", ""});
  CHECK(d.status == RecordStatus::Draft);
  d.status = RecordStatus::Final;
  CHECK_THROWS_AS(s->save(d, {"a", ""}), StoreError);
}
