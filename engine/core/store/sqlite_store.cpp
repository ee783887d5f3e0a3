// SqliteStore: the workspace file, its schema and migrations, records,
// audit chain, queries and bulk import. sqlite3.h stays in this file.
#include "store/sqlite_store.h"

#include <sqlite3.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <set>
#include <string_view>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "form/form_loader.h"
#include "store/open_workspaces.h"
#include "util/sha256.h"
#include "util/uuid.h"

namespace skema::store {

using nlohmann::json;

namespace {

const std::string kZeroHash(64, '0');
// Page cache while importing, KiB (see importRecords).
constexpr std::int64_t kImportCacheKiB = 524288;

ErrorKind kindOf(int rc) {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return ErrorKind::Busy;
    case SQLITE_FULL: return ErrorKind::DiskFull;
    case SQLITE_READONLY: return ErrorKind::ReadOnly;
    case SQLITE_NOTADB: return ErrorKind::NotAWorkspace;
    case SQLITE_CORRUPT: return ErrorKind::Corrupt;
    case SQLITE_CANTOPEN: return ErrorKind::Io;
    case SQLITE_CONSTRAINT: return ErrorKind::Invalid;
    default: return ErrorKind::Io;
  }
}

[[noreturn]] void fail(sqlite3* db, int rc, const std::string& what) {
  ErrorKind k = kindOf(rc);
  std::string msg = what + ": ";
  switch (k) {
    case ErrorKind::Busy: msg += "the workspace is locked by another program; try again"; break;
    case ErrorKind::DiskFull: msg += "the disk is full; nothing was saved"; break;
    default: msg += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  }
  throw StoreError(k, msg);
}

class Stmt {
 public:
  Stmt() = default;
  Stmt(sqlite3* db, const std::string& sql) : m_db(db) {
    int rc = sqlite3_prepare_v3(db, sql.c_str(), int(sql.size()), SQLITE_PREPARE_PERSISTENT, &m_st, nullptr);
    if (rc != SQLITE_OK) fail(db, rc, "prepare");
  }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  Stmt(Stmt&& o) noexcept : m_db(o.m_db), m_st(o.m_st) { o.m_st = nullptr; }
  Stmt& operator=(Stmt&& o) noexcept {
    std::swap(m_db, o.m_db);
    std::swap(m_st, o.m_st);
    return *this;
  }
  ~Stmt() {
    if (m_st) sqlite3_finalize(m_st);
  }
  Stmt& reset() {
    sqlite3_reset(m_st);
    sqlite3_clear_bindings(m_st);
    return *this;
  }
  Stmt& bind(int i, const std::string& s) {
    sqlite3_bind_text(m_st, i, s.data(), int(s.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& bindStatic(int i, const std::string& s) {
    sqlite3_bind_text(m_st, i, s.data(), int(s.size()), SQLITE_STATIC);
    return *this;
  }
  Stmt& bind(int i, const char* s) { return bind(i, std::string(s)); }
  Stmt& bind(int i, std::int64_t v) {
    sqlite3_bind_int64(m_st, i, v);
    return *this;
  }
  Stmt& bind(int i, int v) { return bind(i, std::int64_t(v)); }
  Stmt& bind(int i, double v) {
    sqlite3_bind_double(m_st, i, v);
    return *this;
  }
  Stmt& bindNull(int i) {
    sqlite3_bind_null(m_st, i);
    return *this;
  }
  Stmt& bind(int i, const std::optional<std::string>& s) { return s ? bind(i, *s) : bindNull(i); }
  Stmt& bindJson(int i, const json& v) {
    if (v.is_string()) return bind(i, v.get<std::string>());
    if (v.is_number_integer()) return bind(i, v.get<std::int64_t>());
    if (v.is_number()) return bind(i, v.get<double>());
    if (v.is_boolean()) return bind(i, std::int64_t(v.get<bool>()));
    if (v.is_null()) return bindNull(i);
    return bind(i, v.dump());
  }
  // true = row available
  bool step() {
    int rc = sqlite3_step(m_st);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    fail(m_db, rc, "database");
  }
  void exec() {
    step();
    sqlite3_reset(m_st);
  }
  std::string text(int c) const {
    auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_st, c));
    return p ? std::string(p, sqlite3_column_bytes(m_st, c)) : std::string();
  }
  std::optional<std::string> optText(int c) const {
    if (sqlite3_column_type(m_st, c) == SQLITE_NULL) return std::nullopt;
    return text(c);
  }
  std::int64_t i64(int c) const { return sqlite3_column_int64(m_st, c); }
  bool isNull(int c) const { return sqlite3_column_type(m_st, c) == SQLITE_NULL; }
  sqlite3_stmt* raw() { return m_st; }

 private:
  sqlite3* m_db = nullptr;
  sqlite3_stmt* m_st = nullptr;
};

void execSql(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string m = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    ErrorKind k = kindOf(rc);
    if (k == ErrorKind::Busy) m = "the workspace is locked by another program; try again";
    if (k == ErrorKind::DiskFull) m = "the disk is full; nothing was saved";
    throw StoreError(k, m);
  }
}

std::int64_t pragmaInt(sqlite3* db, const char* name) {
  Stmt s(db, std::string("PRAGMA ") + name);
  return s.step() ? s.i64(0) : 0;
}

// --- schema -----------------------------------------------------------------

const char* kSchemaV1 = R"SQL(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE form_versions(
  form_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  hash TEXT NOT NULL,
  definition TEXT NOT NULL,
  published_at TEXT NOT NULL,
  published_by TEXT NOT NULL,
  PRIMARY KEY(form_id, version));
CREATE TRIGGER form_versions_immutable BEFORE UPDATE ON form_versions
  BEGIN SELECT RAISE(ABORT, 'published form versions are immutable'); END;
CREATE TRIGGER form_versions_kept BEFORE DELETE ON form_versions
  BEGIN SELECT RAISE(ABORT, 'published form versions are never deleted'); END;
CREATE TABLE records(
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  form_id TEXT NOT NULL,
  form_version INTEGER NOT NULL,
  status INTEGER NOT NULL CHECK(status IN (0, 1)),
  person_code TEXT,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  revision INTEGER NOT NULL,
  data TEXT NOT NULL,
  FOREIGN KEY(form_id, form_version) REFERENCES form_versions(form_id, version));
CREATE INDEX records_form ON records(form_id, deleted, seq, status);
CREATE TRIGGER records_kept BEFORE DELETE ON records
  BEGIN SELECT RAISE(ABORT, 'records are never deleted: they are tombstoned'); END;
CREATE TABLE audit(
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  user TEXT NOT NULL,
  action TEXT NOT NULL,
  record_id TEXT NOT NULL,
  form_id TEXT NOT NULL,
  form_version INTEGER NOT NULL,
  revision INTEGER NOT NULL,
  field TEXT NOT NULL,
  old_value TEXT,
  new_value TEXT,
  reason TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TABLE field_indexes(form_id TEXT NOT NULL, field TEXT NOT NULL, index_name TEXT NOT NULL,
  PRIMARY KEY(form_id, field));
)SQL";

// Migrations: kMigrations[v] takes a workspace from user_version v+1 to v+2.
// Version 1 is the schema above; every step runs in the opening transaction.
const char* kMigrations[] = {
    // 1 -> 2: look-ups of a record's history and of a person's records.
    R"SQL(
CREATE INDEX audit_record ON audit(record_id, seq);
CREATE INDEX records_person ON records(person_code) WHERE person_code IS NOT NULL;
)SQL",
    // 2 -> 3: the designer's working draft of a form's next version (one per form).
    R"SQL(
CREATE TABLE IF NOT EXISTS form_drafts(
  form_id TEXT PRIMARY KEY,
  base_version INTEGER NOT NULL,
  definition TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL);
)SQL",
    // 3 -> 4: record counts per (form, version, status, deleted), kept by
    // triggers in the same transaction as every change, so totals and counts
    // by status never count a million rows (opening a big workspace, first
    // page). Written to be re-runnable (IF NOT EXISTS, refilled).
    R"SQL(
CREATE TABLE IF NOT EXISTS record_counts(
  form_id TEXT NOT NULL,
  form_version INTEGER NOT NULL,
  status INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY(form_id, form_version, status, deleted)) WITHOUT ROWID;
DELETE FROM record_counts;
INSERT INTO record_counts(form_id, form_version, status, deleted, n)
  SELECT form_id, form_version, status, deleted, count(*) FROM records GROUP BY 1, 2, 3, 4;
DROP TRIGGER IF EXISTS records_count_insert;
CREATE TRIGGER records_count_insert AFTER INSERT ON records BEGIN
  INSERT INTO record_counts(form_id, form_version, status, deleted, n)
    VALUES(new.form_id, new.form_version, new.status, new.deleted, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
DROP TRIGGER IF EXISTS records_count_update;
CREATE TRIGGER records_count_update AFTER UPDATE OF form_id, form_version, status, deleted ON records
  WHEN old.form_id IS NOT new.form_id OR old.form_version IS NOT new.form_version
    OR old.status IS NOT new.status OR old.deleted IS NOT new.deleted
BEGIN
  UPDATE record_counts SET n = n - 1 WHERE form_id = old.form_id AND form_version = old.form_version
    AND status = old.status AND deleted = old.deleted;
  INSERT INTO record_counts(form_id, form_version, status, deleted, n)
    VALUES(new.form_id, new.form_version, new.status, new.deleted, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
)SQL",
    // 4 -> 5: new records are counted by the code that inserts them
    // (Impl::countInserted; an import adds its totals once at the end): the
    // per-row insert trigger made bulk imports 2-3x slower.
    R"SQL(
DROP TRIGGER IF EXISTS records_count_insert;
)SQL",
    // 5 -> 6: how many live records hold each value of an indexed field, so
    // the total of a page filtered by one such value is a look-up. Kept per
    // field by a trigger on updates (valueCountTriggerSql) and by the code
    // that inserts; the fields indexed so far are filled by migrate().
    R"SQL(
CREATE TABLE IF NOT EXISTS field_value_counts(
  form_id TEXT NOT NULL,
  field TEXT NOT NULL,
  value NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY(form_id, field, value)) WITHOUT ROWID;
)SQL",
    // 6 -> 7: reports saved by name (they were a side file beside the workspace).
    R"SQL(
CREATE TABLE IF NOT EXISTS saved_reports(
  name TEXT PRIMARY KEY,
  form_id TEXT NOT NULL,
  definition TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL);
)SQL",
};
static_assert(sizeof(kMigrations) / sizeof(kMigrations[0]) == kSchemaVersion - 1);

bool validFieldName(const std::string& f) {
  if (f.empty() || f.size() > 200) return false;
  for (char c : f)
    if (!(std::isalnum((unsigned char)c) || c == '_' || c == '-' || c == '.')) return false;
  return true;
}

// The SQL expression for a field's value; identical text in indexes and
// queries so that SQLite uses the expression indexes.
std::string fieldExpr(const std::string& field) {
  if (field == "_status") return "status";
  if (field == "_person_code") return "person_code";
  if (field == "_created_at") return "created_at";
  if (field == "_updated_at") return "updated_at";
  if (field == "_created_by") return "created_by";
  if (field == "_updated_by") return "updated_by";
  if (field == "_form_version") return "form_version";
  if (!validFieldName(field)) throw StoreError(ErrorKind::Invalid, "not a field name: '" + field + "'");
  return "json_extract(data, '$.\"" + field + "\"')";
}

// An audit row's hashed content, by reference (imports hash without
// building an AuditEntry).
struct AuditRef {
  std::int64_t seq;
  const std::string &at, &user, &action, &recordId, &formId;
  int formVersion;
  std::int64_t revision;
  const std::string& field;
  const std::string *oldValue, *newValue;  // null = absent
  const std::string& reason;
};

AuditRef refOf(const AuditEntry& e) {
  return {e.seq, e.at, e.user, e.action, e.recordId, e.formId, e.formVersion, e.revision, e.field,
          e.oldValue ? &*e.oldValue : nullptr, e.newValue ? &*e.newValue : nullptr, e.reason};
}

std::string sqlQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

// Fields whose values field_value_counts counts: indexed fields of the
// values (not metadata such as "_status").
bool countsValues(const std::string& field) { return !field.empty() && field[0] != '_'; }

// The trigger that keeps field_value_counts of (formId, field) through
// updates (edits, deletes, moves); inserts are counted by the inserting code.
std::string valueCountTriggerSql(const std::string& name, const std::string& formId, const std::string& field) {
  const std::string f = sqlQuote(formId), fl = sqlQuote(field);
  const std::string oldV = "json_extract(old.data, '$.\"" + field + "\"')";
  const std::string newV = "json_extract(new.data, '$.\"" + field + "\"')";
  return "CREATE TRIGGER IF NOT EXISTS " + name + " AFTER UPDATE OF form_id, deleted, data ON records WHEN old.form_id = " +
         f + " OR new.form_id = " + f + " BEGIN UPDATE field_value_counts SET n = n - 1 WHERE old.form_id = " + f +
         " AND old.deleted = 0 AND form_id = " + f + " AND field = " + fl + " AND value = " + oldV +
         "; INSERT INTO field_value_counts(form_id, field, value, n) SELECT " + f + ", " + fl + ", " + newV +
         ", 1 WHERE new.form_id = " + f + " AND new.deleted = 0 AND " + newV +
         " IS NOT NULL ON CONFLICT DO UPDATE SET n = n + 1; END";
}

// Counts the values of (formId, field) afresh from the records.
void recountValues(sqlite3* db, const std::string& formId, const std::string& field) {
  const std::string e = "json_extract(data, '$.\"" + field + "\"')";
  execSql(db, "DELETE FROM field_value_counts WHERE form_id = " + sqlQuote(formId) + " AND field = " + sqlQuote(field));
  execSql(db, "INSERT INTO field_value_counts(form_id, field, value, n) SELECT " + sqlQuote(formId) + ", " +
                  sqlQuote(field) + ", v, count(*) FROM (SELECT " + e + " AS v FROM records WHERE form_id = " +
                  sqlQuote(formId) + " AND deleted = 0) WHERE v IS NOT NULL GROUP BY v");
}

// Trigger and counts for an indexed field (ensureFieldIndex, migration to 6).
void startValueCounts(sqlite3* db, const std::string& indexName, const std::string& formId, const std::string& field) {
  if (!countsValues(field)) return;
  execSql(db, valueCountTriggerSql("fc_" + indexName.substr(3), formId, field));
  recountValues(db, formId, field);
}

// The canonical text of an audit row that its hash covers, in pieces:
// each field followed by 0x1f; values as "v" + JSON text, absent as 0x01.
template <typename Add> void auditPayload(const AuditRef& e, Add&& add) {
  auto field = [&](std::string_view v) {
    add(v);
    add(std::string_view("\x1f", 1));
  };
  auto value = [&](const std::string* v) {
    if (!v) return field(std::string_view("\x01", 1));
    add(std::string_view("v", 1));
    field(*v);
  };
  field(std::to_string(e.seq));
  field(e.at);
  field(e.user);
  field(e.action);
  field(e.recordId);
  field(e.formId);
  field(std::to_string(e.formVersion));
  field(std::to_string(e.revision));
  field(e.field);
  value(e.oldValue);
  value(e.newValue);
  field(e.reason);
}

// SHA-256 over the previous hash, "\n" and the row's payload, as lower-case
// hex into `out`; `h` is reused.
void chainHashInto(Sha256& h, const std::string& prev, const AuditRef& e, std::string& out) {
  h.reset();
  h.update(prev);
  h.update("\n", 1);
  auditPayload(e, [&](std::string_view piece) { h.update(piece); });
  auto digest = h.finish();
  static const char* hex = "0123456789abcdef";
  out.resize(64);
  for (size_t i = 0; i < 32; ++i) {
    out[2 * i] = hex[digest[i] >> 4];
    out[2 * i + 1] = hex[digest[i] & 15];
  }
}

std::string chainHash(const std::string& prev, const AuditEntry& e) {
  Sha256 h;
  std::string out;
  chainHashInto(h, prev, refOf(e), out);
  return out;
}

const std::string kImportAction = "import", kWholeRecord = "*";

// Field names that may appear at the top level of a record of `form`.
void collectTopLevel(const std::vector<Field>& fields, std::set<std::string>& out) {
  for (const auto& f : fields) {
    if (f.type == FieldType::Group) {
      collectTopLevel(f.fields, out);
    } else if (f.type == FieldType::Repeat || holdsValue(f.type)) {
      out.insert(f.name);
    }
  }
}

const char* kRecordCols =
    "id, form_id, form_version, status, person_code, created_at, created_by, updated_at, updated_by, "
    "deleted, revision, data";

Record readRecord(Stmt& s) {
  Record r;
  r.id = s.text(0);
  r.formId = s.text(1);
  r.formVersion = int(s.i64(2));
  r.status = s.i64(3) ? RecordStatus::Final : RecordStatus::Draft;
  r.personCode = s.text(4);
  r.createdAt = s.text(5);
  r.createdBy = s.text(6);
  r.updatedAt = s.text(7);
  r.updatedBy = s.text(8);
  r.deleted = s.i64(9) != 0;
  r.revision = s.i64(10);
  try {
    r.values = json::parse(s.text(11));
  } catch (const json::exception& e) {
    throw StoreError(ErrorKind::Corrupt, "record " + r.id + ": its stored values are damaged (" + e.what() +
                                             "); `skema audit verify` checks the whole workspace");
  }
  if (!r.values.is_object())
    throw StoreError(ErrorKind::Corrupt, "record " + r.id + ": its stored values are damaged (not a JSON object)");
  return r;
}

AuditEntry readAudit(Stmt& s) {
  AuditEntry e;
  e.seq = s.i64(0);
  e.at = s.text(1);
  e.user = s.text(2);
  e.action = s.text(3);
  e.recordId = s.text(4);
  e.formId = s.text(5);
  e.formVersion = int(s.i64(6));
  e.revision = s.i64(7);
  e.field = s.text(8);
  e.oldValue = s.optText(9);
  e.newValue = s.optText(10);
  e.reason = s.text(11);
  e.prevHash = s.text(12);
  e.hash = s.text(13);
  return e;
}

const char* kAuditCols =
    "seq, at, user, action, record_id, form_id, form_version, revision, field, old_value, new_value, reason, "
    "prev_hash, hash";

std::string userOf(const Actor& who) { return actorUser(who); }  // Invalid for a name checkUserName refuses

// A new record id: a time-ordered UUID (version 7, RFC 9562): 48 bits of
// Unix milliseconds, a 12-bit counter that keeps ids made in the same
// millisecond ascending, 62 random bits. Ascending ids are appended at the
// end of the id indexes (records.id, audit_record) instead of landing on a
// random page each: a million-record import stays in the page cache.
std::string newRecordId() {
  static std::mutex m;
  static std::uint64_t lastMs = 0;
  static unsigned counter = 0;
  std::uint64_t ms = std::uint64_t(std::chrono::duration_cast<std::chrono::milliseconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count());
  {
    std::lock_guard<std::mutex> lock(m);
    if (ms <= lastMs) {
      ms = lastMs;
      if (++counter > 0xfff) {  // 4096 ids in one millisecond: borrow the next one
        ++ms;
        counter = 0;
      }
    } else {
      counter = 0;
    }
    lastMs = ms;
  }
  // The random part comes from the v4 generator (its version/variant
  // nibbles are overwritten below).
  std::string r = newUuid();
  static const char* hex = "0123456789abcdef";
  std::string s = r;
  for (int i = 0; i < 12; ++i) {  // xxxxxxxx-xxxx: the timestamp
    int pos = i < 8 ? i : i + 1;
    s[pos] = hex[(ms >> (44 - 4 * i)) & 15];
  }
  s[14] = '7';
  s[15] = hex[(counter >> 8) & 15];
  s[16] = hex[(counter >> 4) & 15];
  s[17] = hex[counter & 15];
  return s;
}

}  // namespace

// --- Impl --------------------------------------------------------------------

struct SqliteStore::Impl {
  std::string path;
  // Set before the connection is opened and dropped after it is closed, so
  // nothing in this process opens the file behind SQLite's back meanwhile
  // (store/open_workspaces.h).
  std::unique_ptr<OpenWorkspaceMark> mark;
  sqlite3* db = nullptr;
  bool readOnly = false;  // opened for reading: the file or its folder cannot be written
  std::map<std::pair<std::string, int>, std::shared_ptr<const Form>> forms;
  std::map<std::pair<std::string, int>, std::set<std::string>> allowed;
  // One compiled validator per form version (forms above are never evicted,
  // so the Form each refers to stays alive).
  std::map<std::pair<std::string, int>, std::unique_ptr<FormValidator>> validators;
  // Every INSERT INTO records must be followed by countInserted() (the
  // record_counts row of an inserted record; updates are counted by trigger)
  // and by countValues (field_value_counts; importRecords tallies instead).
  Stmt insRecord, updRecord, selRecord, insAudit, lastAudit, bumpCount, countValues;
  bool inTx = false;
  // While an import's writer thread owns the connection (ImportWriter),
  // other uses of it on the importing thread (forms, ids, versions) take
  // dbMutex: lockDb().
  std::mutex dbMutex;
  bool pipelined = false;
  std::unique_lock<std::mutex> lockDb() {
    return pipelined ? std::unique_lock<std::mutex>(dbMutex) : std::unique_lock<std::mutex>();
  }
  struct Pipelined {
    Impl& d;
    explicit Pipelined(Impl& impl) : d(impl) { d.pipelined = true; }
    void end() { d.pipelined = false; }
    ~Pipelined() { end(); }
  };

  ~Impl() {
    insRecord = Stmt();
    updRecord = Stmt();
    selRecord = Stmt();
    insAudit = Stmt();
    lastAudit = Stmt();
    bumpCount = Stmt();
    countValues = Stmt();
    if (db) sqlite3_close_v2(db);
  }

  void prepare() {
    insRecord = Stmt(db,
                     "INSERT INTO records(id, form_id, form_version, status, person_code, created_at, created_by, "
                     "updated_at, updated_by, deleted, revision, data) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,0,?10,?11)");
    updRecord = Stmt(db,
                     "UPDATE records SET form_version=?2, status=?3, person_code=?4, updated_at=?5, updated_by=?6, "
                     "deleted=?7, revision=?8, data=?9 WHERE id=?1");
    selRecord = Stmt(db, std::string("SELECT ") + kRecordCols + " FROM records WHERE id=?1");
    insAudit = Stmt(db,
                    "INSERT INTO audit(seq, at, user, action, record_id, form_id, form_version, revision, field, "
                    "old_value, new_value, reason, prev_hash, hash) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14)");
    lastAudit = Stmt(db, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1");
    bumpCount = Stmt(db,
                     "INSERT INTO record_counts(form_id, form_version, status, deleted, n) VALUES(?1,?2,?3,0,?4) "
                     "ON CONFLICT DO UPDATE SET n = n + excluded.n");
    // A new record's values of its form's indexed fields (?1 form, ?2 data).
    countValues = Stmt(db,
                       "INSERT INTO field_value_counts(form_id, field, value, n) SELECT ?1, field, "
                       "json_extract(?2, '$.\"' || field || '\"'), 1 FROM field_indexes WHERE form_id = ?1 "
                       "AND substr(field, 1, 1) <> '_' AND json_extract(?2, '$.\"' || field || '\"') IS NOT NULL "
                       "ON CONFLICT DO UPDATE SET n = n + 1");
  }

  // Adds `n` new (not deleted) records of (form, version, status) to record_counts.
  void countInserted(const std::string& formId, int version, RecordStatus status, std::int64_t n = 1) {
    bumpCount.reset().bind(1, formId).bind(2, version).bind(3, int(status == RecordStatus::Final)).bind(4, n).exec();
  }

  // A write transaction: BEGIN IMMEDIATE (take the write lock up front),
  // rolled back unless commit() is reached.
  struct Tx {
    Impl& d;
    bool done = false;
    explicit Tx(Impl& impl) : d(impl) {
      if (d.readOnly)
        throw StoreError(ErrorKind::ReadOnly, d.path + ": the workspace is read-only (opened for reading); "
                                                       "nothing was saved");
      execSql(d.db, "BEGIN IMMEDIATE");
      d.inTx = true;
    }
    void commit() {
      execSql(d.db, "COMMIT");
      done = true;
      d.inTx = false;
    }
    ~Tx() {
      if (!done) {
        sqlite3_exec(d.db, "ROLLBACK", nullptr, nullptr, nullptr);
        d.inTx = false;
      }
    }
  };

  // Appends audit rows; `chain` holds (last seq, last hash) and advances.
  struct Chain {
    std::int64_t seq = 0;
    std::string hash = kZeroHash;
  };
  Chain chainHead() {
    Chain c;
    lastAudit.reset();
    if (lastAudit.step()) {
      c.seq = lastAudit.i64(0);
      c.hash = lastAudit.text(1);
    }
    lastAudit.reset();
    return c;
  }
  void appendAudit(Chain& c, AuditEntry& e) {
    e.seq = ++c.seq;
    e.prevHash = c.hash;
    e.hash = chainHash(c.hash, e);
    c.hash = e.hash;
    insAudit.reset()
        .bind(1, e.seq)
        .bindStatic(2, e.at)
        .bindStatic(3, e.user)
        .bindStatic(4, e.action)
        .bindStatic(5, e.recordId)
        .bindStatic(6, e.formId)
        .bind(7, e.formVersion)
        .bind(8, e.revision)
        .bindStatic(9, e.field);
    if (e.oldValue) insAudit.bindStatic(10, *e.oldValue); else insAudit.bindNull(10);
    if (e.newValue) insAudit.bindStatic(11, *e.newValue); else insAudit.bindNull(11);
    insAudit.bindStatic(12, e.reason).bindStatic(13, e.prevHash).bindStatic(14, e.hash);
    insAudit.exec();
  }

  std::optional<Record> load(const std::string& id) {
    auto lock = lockDb();
    selRecord.reset().bind(1, id);
    std::optional<Record> r;
    if (selRecord.step()) r = readRecord(selRecord);
    selRecord.reset();
    return r;
  }

  // Runs a one-row DELETE keyed by ?1 in its own transaction; true if a row went.
  bool deleteOne(const char* sql, const std::string& key) {
    Tx tx(*this);
    Stmt s(db, sql);
    s.bind(1, key).exec();
    const bool removed = sqlite3_changes(db) > 0;
    tx.commit();
    return removed;
  }

  std::shared_ptr<const Form> form(const std::string& formId, int version) {
    auto key = std::make_pair(formId, version);
    auto it = forms.find(key);
    if (it != forms.end()) return it->second;
    std::string text;
    {
      auto lock = lockDb();
      Stmt s(db, "SELECT definition FROM form_versions WHERE form_id=?1 AND version=?2");
      s.bind(1, formId).bind(2, version);
      if (!s.step()) return nullptr;
      text = s.text(0);
    }
    Diagnostics diags;
    auto f = loadForm(text, formId + "@" + std::to_string(version), diags);
    if (!f) {
      std::string m = "the stored definition of " + formId + " version " + std::to_string(version) +
                      " does not load";
      if (!diags.items().empty()) m += ": " + diags.items().front().message;
      throw StoreError(ErrorKind::Corrupt, m);
    }
    auto sp = std::make_shared<const Form>(std::move(*f));
    remember(sp);
    return sp;
  }

  // Caches a parsed form version and the value names it allows.
  void remember(const std::shared_ptr<const Form>& sp) {
    const auto key = std::make_pair(sp->id, sp->version);
    std::set<std::string> names;
    collectTopLevel(sp->fields, names);
    allowed[key] = std::move(names);
    forms[key] = sp;
  }

  FormValidator& validatorFor(const Form& f) {
    auto& v = validators[{f.id, f.version}];
    if (!v) v = std::make_unique<FormValidator>(f);
    return *v;
  }

  const std::set<std::string>& allowedNames(const std::string& formId, int version) {
    form(formId, version);
    return allowed[{formId, version}];
  }

  // Checks and normalises a record's values before writing. Returns the
  // per-field problems (empty = fine); `values` may change (validation).
  std::vector<FieldMessage> check(const Form& f, const std::set<std::string>& names, RecordStatus status,
                                  json& values) {
    std::vector<FieldMessage> errs;
    if (!values.is_object()) {
      errs.push_back({"", "values must be a JSON object"});
      return errs;
    }
    for (auto it = values.begin(); it != values.end(); ++it)
      if (!names.count(it.key())) errs.push_back({it.key(), "no such field in " + f.id + " version " +
                                                                std::to_string(f.version)});
    // null means "no value": drop it
    for (auto it = values.begin(); it != values.end();) {
      if (it->is_null()) it = values.erase(it);
      else ++it;
    }
    if (!errs.empty()) return errs;
    // A draft may be incomplete but not ill-typed; after the validator the
    // same check finds what it leaves alone (unknown names inside repeats).
    if (status == RecordStatus::Final) errs = validatorFor(f).validate(values);
    if (errs.empty()) errs = valueKindProblems(f, values);
    return errs;
  }

  // Checks and normalises a record for save(): form published, values valid.
  Record prepareSave(const Record& in) {
    auto f = form(in.formId, in.formVersion);
    if (!f)
      throw StoreError(ErrorKind::NotFound, "form " + in.formId + " version " + std::to_string(in.formVersion) +
                                                " is not published in this workspace");
    Record out = in;  // work on a copy: `in` stays the caller's
    auto errs = check(*f, allowedNames(in.formId, in.formVersion), in.status, out.values);
    if (!errs.empty()) {
      std::string m = "the record is not valid: ";
      for (size_t i = 0; i < errs.size(); ++i) m += (i ? "; " : "") + errs[i].field + ": " + errs[i].message;
      throw StoreError(ErrorKind::Invalid, m, errs);
    }
    out.personCode = personCodeOf(*f, out.values);
    return out;
  }

  // The write part of save(), inside an open transaction; `out` comes from
  // prepareSave(in). allowReopen: a final record may become a draft
  // (saveBatch with BatchOptions::allowReopen, e.g. a migration).
  Record writeSave(const Record& in, Record out, const Actor& who, Chain& chain, const std::string& now,
                   bool allowReopen) {
    const std::string user = userOf(who);
    auto audit = [&](const std::string& action, const std::string& field, std::optional<std::string> oldV,
                     std::optional<std::string> newV) {
      AuditEntry e;
      e.at = now;
      e.user = user;
      e.action = action;
      e.recordId = out.id;
      e.formId = out.formId;
      e.formVersion = out.formVersion;
      e.revision = out.revision;
      e.field = field;
      e.oldValue = std::move(oldV);
      e.newValue = std::move(newV);
      e.reason = who.reason;
      appendAudit(chain, e);
    };

    if (in.revision == 0) {
      if (out.id.empty()) out.id = newRecordId();
      else if (!isUuid(out.id)) throw StoreError(ErrorKind::Invalid, "record id '" + out.id + "' is not a UUID");
      else if (load(out.id)) throw StoreError(ErrorKind::Conflict, "record " + out.id + " already exists");
      out.createdAt = out.updatedAt = now;
      out.createdBy = out.updatedBy = user;
      out.revision = 1;
      out.deleted = false;
      std::string data = out.values.dump();
      insRecord.reset()
          .bind(1, out.id)
          .bind(2, out.formId)
          .bind(3, out.formVersion)
          .bind(4, int(out.status == RecordStatus::Final))
          .bind(5, out.personCode)
          .bind(6, out.createdAt)
          .bind(7, out.createdBy)
          .bind(8, out.updatedAt)
          .bind(9, out.updatedBy)
          .bind(10, out.revision)
          .bind(11, data);
      if (out.personCode.empty()) insRecord.bindNull(5);
      insRecord.exec();
      countInserted(out.formId, out.formVersion, out.status);
      countValues.reset().bind(1, out.formId).bindStatic(2, data).exec();
      audit("create", "_status", std::nullopt, json(statusName(out.status)).dump());
      for (auto it = out.values.begin(); it != out.values.end(); ++it)
        audit("create", it.key(), std::nullopt, it->dump());
      return out;
    }

    auto old = load(in.id);
    if (!old) throw StoreError(ErrorKind::NotFound, "no record " + in.id);
    if (old->deleted) throw StoreError(ErrorKind::Conflict, "record " + in.id + " is deleted");
    if (old->revision != in.revision)
      throw StoreError(ErrorKind::Conflict, "record " + in.id + " was changed by " + old->updatedBy + " at " +
                                                old->updatedAt + " since it was read; reload it");
    if (old->formId != in.formId) throw StoreError(ErrorKind::Invalid, "a record cannot move to another form");
    if (old->status == RecordStatus::Final && in.status == RecordStatus::Draft && !allowReopen)
      throw StoreError(ErrorKind::Invalid, "a final record cannot go back to draft");
    if (old->status == RecordStatus::Final && who.reason.empty())
      throw StoreError(ErrorKind::Invalid, "editing a final record needs a reason");
    bool changed = old->status != out.status || old->formVersion != out.formVersion || old->values != out.values;
    if (!changed) return *old;  // nothing to do (e.g. a draft saved twice)

    out.createdAt = old->createdAt;
    out.createdBy = old->createdBy;
    out.updatedAt = now;
    out.updatedBy = user;
    out.revision = old->revision + 1;
    out.deleted = false;
    std::string data = out.values.dump();
    updRecord.reset()
        .bind(1, out.id)
        .bind(2, out.formVersion)
        .bind(3, int(out.status == RecordStatus::Final))
        .bind(4, out.personCode)
        .bind(5, out.updatedAt)
        .bind(6, out.updatedBy)
        .bind(7, 0)
        .bind(8, out.revision)
        .bind(9, data);
    if (out.personCode.empty()) updRecord.bindNull(4);
    updRecord.exec();
    const std::string action =
        (old->status == RecordStatus::Draft && out.status == RecordStatus::Final) ? "finalise" : "edit";
    if (old->formVersion != out.formVersion)
      audit(action, "_form_version", std::to_string(old->formVersion), std::to_string(out.formVersion));
    if (old->status != out.status)
      audit(action, "_status", json(statusName(old->status)).dump(), json(statusName(out.status)).dump());
    for (auto it = old->values.begin(); it != old->values.end(); ++it) {
      auto n = out.values.find(it.key());
      if (n == out.values.end()) audit(action, it.key(), it->dump(), std::nullopt);
      else if (*n != *it) audit(action, it.key(), it->dump(), n->dump());
    }
    for (auto it = out.values.begin(); it != out.values.end(); ++it)
      if (!old->values.contains(it.key())) audit(action, it.key(), std::nullopt, it->dump());
    return out;
  }
};

// --- open / create ----------------------------------------------------------

SqliteStore::SqliteStore(std::unique_ptr<Impl> impl) : d(std::move(impl)) {}
SqliteStore::~SqliteStore() = default;
const std::string& SqliteStore::path() const { return d->path; }

namespace {

void configure(sqlite3* db, const OpenOptions& o) {
  sqlite3_busy_timeout(db, o.busyTimeoutMs);
  sqlite3_extended_result_codes(db, 1);
  execSql(db, "PRAGMA foreign_keys=ON");
  execSql(db, "PRAGMA synchronous=FULL");
  execSql(db, "PRAGMA cache_size=-" + std::to_string(o.cacheSizeKiB));
  if (o.maxPageCount > 0) execSql(db, "PRAGMA max_page_count=" + std::to_string(o.maxPageCount));
}

std::string dirOf(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

void migrate(sqlite3* db, int from) {
  for (int v = from; v < kSchemaVersion; ++v) {
    execSql(db, kMigrations[v - 1]);
    if (v + 1 == 6) {  // value counts of the fields indexed so far
      std::vector<std::array<std::string, 3>> idx;
      Stmt s(db, "SELECT form_id, field, index_name FROM field_indexes");
      while (s.step()) idx.push_back({s.text(0), s.text(1), s.text(2)});
      for (const auto& [formId, field, name] : idx) startValueCounts(db, name, formId, field);
    }
    execSql(db, "PRAGMA user_version=" + std::to_string(v + 1));
  }
}

}  // namespace

namespace {

std::string baseOf(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Whether the file system holding `path` has (next to) no room left: a
// "disk I/O error" while opening is then a full disk (SQLite reports a
// failed -shm allocation as an I/O error, not as SQLITE_FULL).
bool diskFullAt(const std::string& path) {
  struct statvfs fs;
  if (::statvfs(dirOf(path).c_str(), &fs) != 0) return false;
  return std::uint64_t(fs.f_bavail) * fs.f_frsize < 64 * 1024;
}

// Rethrows an open-time failure in the user's terms.
[[noreturn]] void failOpen(const std::string& path, const StoreError& e) {
  if ((e.kind() == ErrorKind::Io || e.kind() == ErrorKind::DiskFull) && diskFullAt(path))
    throw StoreError(ErrorKind::DiskFull, path + ": the disk holding the workspace is full; free some space and "
                                                 "open it again (nothing was changed)");
  throw e;
}

// The first bytes of the main database file, read through SQLite's own
// descriptor: a descriptor of ours, once closed, would drop every POSIX lock
// this process holds on the file (docs/store.md, "Protection"). Returns the
// number of bytes read (the file may be shorter).
int readHeader(sqlite3* db, unsigned char* buf, int n) {
  sqlite3_file* f = nullptr;
  if (sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &f) != SQLITE_OK || !f || !f->pMethods)
    return -1;
  std::memset(buf, 0, size_t(n));
  int rc = f->pMethods->xRead(f, buf, n, 0);
  if (rc == SQLITE_OK) return n;
  if (rc != SQLITE_IOERR_SHORT_READ) return -1;
  sqlite3_int64 size = 0;
  if (f->pMethods->xFileSize(f, &size) != SQLITE_OK) return -1;
  return int(std::min<sqlite3_int64>(size, n));
}

// A URI that opens `path` as a file nobody changes (no locks, no -shm).
std::string immutableUri(const std::string& path) {
  std::string uri = "file:";
  for (char c : path) {
    if (c == '?' || c == '#' || c == '%') {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", (unsigned char)c);
      uri += hex;
    } else {
      uri += c;
    }
  }
  return uri + "?immutable=1";
}

// The tables every schema version has; a workspace without one is damaged.
constexpr const char* kCoreTables[] = {"meta", "form_versions", "records", "audit", "field_indexes"};

std::string missingTable(sqlite3* db) {
  Stmt s(db, "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?1");
  for (const char* t : kCoreTables) {
    s.reset().bind(1, std::string(t));
    if (!s.step()) return t;
  }
  return {};
}

// Removes what a killed `init` of `path` left behind: temporary files named
// after a process that no longer runs.
void removeStaleInitFiles(const std::string& path) {
  const std::string prefix = "." + baseOf(path) + ".init-";
  DIR* dir = ::opendir(dirOf(path).c_str());
  if (!dir) return;
  while (dirent* e = ::readdir(dir)) {
    std::string name = e->d_name;
    if (name.rfind(prefix, 0) != 0) continue;
    long pid = std::strtol(name.c_str() + prefix.size(), nullptr, 10);
    if (pid <= 0 || (::kill(pid_t(pid), 0) != 0 && errno == ESRCH))
      ::unlink((dirOf(path) + "/" + name).c_str());
  }
  ::closedir(dir);
}

// Moves the finished new workspace into place, never over a file that
// appeared meanwhile.
void renameNoReplace(const std::string& from, const std::string& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return;
  int e = errno;
  if (e == EINVAL || e == ENOSYS) {  // a file system without RENAME_NOREPLACE
    if (::link(from.c_str(), to.c_str()) == 0) {
      ::unlink(from.c_str());
      return;
    }
    e = errno;
  }
  throw StoreError(e == EEXIST ? ErrorKind::Exists : e == EACCES || e == EROFS ? ErrorKind::ReadOnly : ErrorKind::Io,
                   to + (e == EEXIST ? ": already exists; not overwriting it" : ": cannot create: " +
                                                                                    std::string(std::strerror(e))));
}

void syncDir(const std::string& path) {
  int fd = ::open(dirOf(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

// A new workspace is built complete under a temporary name in the same
// folder and renamed into place: a killed `init` leaves no stub at `path`
// (only a temporary file, removed by the next init of the same path).
std::unique_ptr<SqliteStore> SqliteStore::create(const std::string& path, const OpenOptions& o) {
  struct stat st;
  if (::lstat(path.c_str(), &st) == 0)
    throw StoreError(ErrorKind::Exists, path + ": already exists; not overwriting it");
  removeStaleInitFiles(path);
  std::string tmp = dirOf(path) + "/." + baseOf(path) + ".init-" + std::to_string(::getpid()) + "-XXXXXX";
  int fd = ::mkstemp(tmp.data());  // 0600: workspaces hold personal data
  if (fd < 0) {
    int e = errno;
    throw StoreError(e == EACCES || e == EROFS ? ErrorKind::ReadOnly : e == ENOSPC ? ErrorKind::DiskFull : ErrorKind::Io,
                     path + ": cannot create: " + std::strerror(e));
  }
  ::close(fd);  // a new empty file: no connection of ours holds it
  auto removeTmp = [&] {
    ::unlink(tmp.c_str());
    ::unlink((tmp + "-journal").c_str());
  };
  {
    sqlite3* db = nullptr;
    int rc = sqlite3_open_v2(tmp.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
    try {
      if (rc != SQLITE_OK) fail(db, rc, path);
      configure(db, o);
      // A rollback journal while building: the finished file is closed, and
      // so complete on disk, before it is renamed; open() turns on WAL.
      execSql(db, "BEGIN IMMEDIATE");
      execSql(db, kSchemaV1);
      execSql(db, "PRAGMA application_id=" + std::to_string(kApplicationId));
      execSql(db, "PRAGMA user_version=1");
      migrate(db, 1);  // the migration path runs on every new workspace
      Stmt m(db, "INSERT INTO meta(key, value) VALUES('created_at', ?1), ('created_by_program', 'skema')");
      m.bind(1, utcNow()).exec();
      m = Stmt();
      execSql(db, "COMMIT");
      rc = sqlite3_close(db);
      db = nullptr;
      if (rc != SQLITE_OK) throw StoreError(ErrorKind::Io, path + ": cannot create: " + sqlite3_errstr(rc));
    } catch (const StoreError& e) {
      if (db) sqlite3_close_v2(db);
      removeTmp();
      if (e.kind() == ErrorKind::DiskFull || diskFullAt(path))
        throw StoreError(ErrorKind::DiskFull, path + ": cannot create: the disk is full");
      throw;
    }
  }
  try {
    renameNoReplace(tmp, path);
  } catch (...) {
    removeTmp();
    throw;
  }
  syncDir(path);
  return open(path, o);
}

std::unique_ptr<SqliteStore> SqliteStore::open(const std::string& path, const OpenOptions& o) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    int e = errno;
    if (e == ENOENT || e == ENOTDIR)
      throw StoreError(ErrorKind::NotFound, path + ": no such workspace (create one with `skema init`)");
    throw StoreError(ErrorKind::Io, path + ": cannot open: " + std::strerror(e));
  }
  if (S_ISDIR(st.st_mode)) throw StoreError(ErrorKind::NotAWorkspace, path + ": is a folder, not a workspace");
  // A FIFO would block SQLite's open forever; a device is never a workspace.
  if (!S_ISREG(st.st_mode))
    throw StoreError(ErrorKind::NotAWorkspace, path + ": not a regular file (" +
                                                   (S_ISFIFO(st.st_mode)   ? "a pipe"
                                                    : S_ISSOCK(st.st_mode) ? "a socket"
                                                                           : "a device") +
                                                   "), not a workspace");
  const bool writable = ::access(path.c_str(), W_OK) == 0 && ::access(dirOf(path).c_str(), W_OK) == 0;

  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->mark = std::make_unique<OpenWorkspaceMark>(path);  // before SQLite opens the file
  impl->readOnly = !writable;
  try {
    int flags = (writable ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY) | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
    int rc = sqlite3_open_v2(path.c_str(), &impl->db, flags, nullptr);
    if (rc != SQLITE_OK) fail(impl->db, rc, path);
    sqlite3_busy_timeout(impl->db, o.busyTimeoutMs);
    sqlite3_extended_result_codes(impl->db, 1);

    // SQLite would take an empty file for an empty database and write to
    // it; only a file that starts with SQLite's header is looked into.
    unsigned char head[100];
    int got = readHeader(impl->db, head, int(sizeof head));
    if (got < 0) throw StoreError(ErrorKind::Io, path + ": cannot read the file");
    if (got < 16 || std::memcmp(head, "SQLite format 3", 16) != 0)
      throw StoreError(ErrorKind::NotAWorkspace,
                       path + (got == 0 ? ": an empty file, not a Skema workspace" : ": not a Skema workspace"));
    if (got < 100)
      throw StoreError(ErrorKind::Corrupt, path + ": the workspace is damaged (the file ends inside its header)");

    std::int64_t appId = 0, version = 0;
    auto readIds = [&] {
      appId = pragmaInt(impl->db, "application_id");
      version = pragmaInt(impl->db, "user_version");
    };
    std::string missing;
    try {
      try {
        readIds();
      } catch (const StoreError& e) {
        // A read-only WAL workspace without its -shm cannot be opened
        // normally where the folder cannot be written; with no -wal (no
        // writer at work) it is read as an unchanging file.
        struct stat wal;
        if (writable || ::stat((path + "-wal").c_str(), &wal) == 0) throw;
        sqlite3_close_v2(impl->db);
        impl->db = nullptr;
        rc = sqlite3_open_v2(immutableUri(path).c_str(), &impl->db,
                             SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI, nullptr);
        if (rc != SQLITE_OK) fail(impl->db, rc, path);
        readIds();
      }
      if (appId == kApplicationId && version >= 1 && version <= kSchemaVersion) missing = missingTable(impl->db);
    } catch (const StoreError& e) {
      if (e.kind() == ErrorKind::NotAWorkspace || e.kind() == ErrorKind::Corrupt)
        throw StoreError(ErrorKind::Corrupt, path + ": the workspace is damaged (SQLite: " +
                                                 sqlite3_errmsg(impl->db) + "); it was left as it is");
      throw;
    }
    if (appId != kApplicationId)
      throw StoreError(ErrorKind::NotAWorkspace,
                       path + ": not a Skema workspace (an SQLite file of another program)");
    if (version > kSchemaVersion)
      throw StoreError(ErrorKind::NewerFormat, path + ": written by a newer Skema (workspace format " +
                                                   std::to_string(version) + ", this program reads up to " +
                                                   std::to_string(kSchemaVersion) + "); update Skema");
    if (version < 1) throw StoreError(ErrorKind::NotAWorkspace, path + ": not a Skema workspace (no schema)");
    if (!missing.empty())
      throw StoreError(ErrorKind::Corrupt, path + ": the workspace is damaged (format " + std::to_string(version) +
                                               " but its table " + missing + " is missing); it was left as it is");
    configure(impl->db, o);
    if (impl->readOnly) {
      if (version < kSchemaVersion)
        throw StoreError(ErrorKind::ReadOnly, path + ": written by an older Skema (format " + std::to_string(version) +
                                                  ") and read-only, so it cannot be brought up to date; "
                                                  "open a writable copy");
    } else {
      execSql(impl->db, "PRAGMA journal_mode=WAL");
      if (version < kSchemaVersion) {
        execSql(impl->db, "BEGIN IMMEDIATE");
        int v = 0;
        try {
          // re-read under the write lock: another program may have migrated it
          v = int(pragmaInt(impl->db, "user_version"));
          migrate(impl->db, v);
          execSql(impl->db, "COMMIT");
        } catch (const StoreError& e) {
          sqlite3_exec(impl->db, "ROLLBACK", nullptr, nullptr, nullptr);
          if (e.kind() == ErrorKind::Busy || e.kind() == ErrorKind::DiskFull) throw;
          throw StoreError(ErrorKind::Corrupt, path + ": cannot bring the workspace from format " + std::to_string(v) +
                                                   " to " + std::to_string(kSchemaVersion) + " (" + e.what() +
                                                   "); it is damaged; nothing was changed");
        }
      }
    }
    impl->prepare();
  } catch (const StoreError& e) {
    failOpen(path, e);
  }
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(impl)));
}

bool SqliteStore::readOnly() const { return d->readOnly; }

// --- forms ------------------------------------------------------------------

PublishResult SqliteStore::publishForm(const Form& f, const Actor& who) {
  std::string text = f.definition.dump();
  std::string hash = sha256Hex(text);
  // Refuse what could not be loaded back.
  Diagnostics diags;
  if (!loadForm(text, f.id, diags)) {
    std::string m = f.id + " version " + std::to_string(f.version) + ": the definition does not load";
    if (!diags.items().empty()) m += ": " + diags.items().front().format();
    throw StoreError(ErrorKind::Invalid, m);
  }
  Impl::Tx tx(*d);
  Stmt s(d->db, "SELECT hash FROM form_versions WHERE form_id=?1 AND version=?2");
  s.bind(1, f.id).bind(2, f.version);
  if (s.step()) {
    if (s.text(0) == hash) return PublishResult::AlreadyPublished;
    throw StoreError(ErrorKind::Conflict, f.id + " version " + std::to_string(f.version) +
                                              " is already published with different content; "
                                              "publish the change as a new version");
  }
  Stmt ins(d->db,
           "INSERT INTO form_versions(form_id, version, hash, definition, published_at, published_by) "
           "VALUES(?1,?2,?3,?4,?5,?6)");
  ins.bind(1, f.id).bind(2, f.version).bind(3, hash).bind(4, text).bind(5, utcNow()).bind(6, userOf(who)).exec();
  tx.commit();
  return PublishResult::Published;
}

std::vector<FormVersionInfo> SqliteStore::formVersions(const std::string& formId) {
  std::string sql =
      "SELECT form_id, version, hash, published_at, published_by, definition FROM form_versions";
  if (!formId.empty()) sql += " WHERE form_id=?1";
  sql += " ORDER BY form_id, version";
  auto lock = d->lockDb();
  Stmt s(d->db, sql);
  if (!formId.empty()) s.bind(1, formId);
  std::vector<FormVersionInfo> out;
  while (s.step())
    out.push_back({s.text(0), int(s.i64(1)), s.text(2), s.text(3), s.text(4), s.text(5)});
  return out;
}

std::shared_ptr<const Form> SqliteStore::form(const std::string& formId, int version) {
  return d->form(formId, version);
}

bool SqliteStore::adoptForm(const std::shared_ptr<const Form>& f) {
  if (!f) return false;
  Stmt s(d->db, "SELECT hash FROM form_versions WHERE form_id=?1 AND version=?2");
  s.bind(1, f->id).bind(2, f->version);
  // The hash publishForm() stored: the same canonical text, so the same form.
  if (!s.step() || s.text(0) != sha256Hex(f->definition.dump())) return false;
  d->remember(f);
  return true;
}

std::optional<int> SqliteStore::latestFormVersion(const std::string& formId) {
  auto lock = d->lockDb();
  Stmt s(d->db, "SELECT max(version) FROM form_versions WHERE form_id=?1");
  s.bind(1, formId);
  if (s.step() && !s.isNull(0)) return int(s.i64(0));
  return std::nullopt;
}

// --- form drafts ------------------------------------------------------------

void SqliteStore::saveFormDraft(const FormDraftInfo& draft, const Actor& who) {
  if (draft.formId.empty()) throw StoreError(ErrorKind::Invalid, "a form draft needs a form id");
  Impl::Tx tx(*d);
  Stmt s(d->db,
         "INSERT INTO form_drafts(form_id, base_version, definition, updated_at, updated_by) VALUES(?1,?2,?3,?4,?5) "
         "ON CONFLICT(form_id) DO UPDATE SET base_version=excluded.base_version, definition=excluded.definition, "
         "updated_at=excluded.updated_at, updated_by=excluded.updated_by");
  s.bind(1, draft.formId).bind(2, draft.baseVersion).bind(3, draft.definitionText).bind(4, utcNow())
      .bind(5, userOf(who)).exec();
  tx.commit();
}

std::optional<FormDraftInfo> SqliteStore::formDraft(const std::string& formId) {
  Stmt s(d->db, "SELECT form_id, base_version, definition, updated_at, updated_by FROM form_drafts WHERE form_id=?1");
  s.bind(1, formId);
  if (!s.step()) return std::nullopt;
  return FormDraftInfo{s.text(0), int(s.i64(1)), s.text(2), s.text(3), s.text(4)};
}

std::vector<FormDraftInfo> SqliteStore::formDrafts() {
  Stmt s(d->db, "SELECT form_id, base_version, definition, updated_at, updated_by FROM form_drafts ORDER BY form_id");
  std::vector<FormDraftInfo> out;
  while (s.step()) out.push_back({s.text(0), int(s.i64(1)), s.text(2), s.text(3), s.text(4)});
  return out;
}

bool SqliteStore::discardFormDraft(const std::string& formId) {
  return d->deleteOne("DELETE FROM form_drafts WHERE form_id=?1", formId);
}

// --- saved reports ----------------------------------------------------------

void SqliteStore::saveReport(const SavedReportInfo& r, const Actor& who) {
  if (r.name.empty()) throw StoreError(ErrorKind::Invalid, "a saved report needs a name");
  json def = json::parse(r.definitionText, nullptr, false);
  if (!def.is_object()) throw StoreError(ErrorKind::Invalid, "report '" + r.name + "': the definition is not a JSON object");
  Impl::Tx tx(*d);
  Stmt s(d->db,
         "INSERT INTO saved_reports(name, form_id, definition, updated_at, updated_by) VALUES(?1,?2,?3,?4,?5) "
         "ON CONFLICT(name) DO UPDATE SET form_id=excluded.form_id, definition=excluded.definition, "
         "updated_at=excluded.updated_at, updated_by=excluded.updated_by");
  s.bind(1, r.name).bind(2, r.formId).bind(3, r.definitionText).bind(4, utcNow()).bind(5, userOf(who)).exec();
  tx.commit();
}

std::vector<SavedReportInfo> SqliteStore::savedReports() {
  Stmt s(d->db, "SELECT name, form_id, definition, updated_at, updated_by FROM saved_reports ORDER BY name");
  std::vector<SavedReportInfo> out;
  while (s.step()) out.push_back({s.text(0), s.text(1), s.text(2), s.text(3), s.text(4)});
  return out;
}

std::optional<SavedReportInfo> SqliteStore::savedReport(const std::string& name) {
  Stmt s(d->db, "SELECT name, form_id, definition, updated_at, updated_by FROM saved_reports WHERE name=?1");
  s.bind(1, name);
  if (!s.step()) return std::nullopt;
  return SavedReportInfo{s.text(0), s.text(1), s.text(2), s.text(3), s.text(4)};
}

bool SqliteStore::deleteSavedReport(const std::string& name) {
  return d->deleteOne("DELETE FROM saved_reports WHERE name=?1", name);
}

// --- records ----------------------------------------------------------------

Record SqliteStore::save(const Record& in, const Actor& who) {
  Record out = d->prepareSave(in);  // validation before taking the write lock
  const std::string now = utcNow();
  Impl::Tx tx(*d);
  auto chain = d->chainHead();
  out = d->writeSave(in, std::move(out), who, chain, now, false);
  tx.commit();
  return out;
}

std::vector<Record> SqliteStore::saveBatch(const std::vector<Record>& records, const Actor& who,
                                           const BatchOptions& options) {
  std::vector<Record> prepared;
  prepared.reserve(records.size());
  std::vector<FieldMessage> errs;
  for (const auto& in : records) {
    try {
      prepared.push_back(d->prepareSave(in));
    } catch (const StoreError& e) {
      if (e.kind() != ErrorKind::Invalid) throw;
      std::string who_ = in.id.empty() ? std::string("(new record)") : in.id;
      if (e.fieldErrors().empty()) errs.push_back({who_, e.what()});
      for (const auto& fe : e.fieldErrors()) errs.push_back({who_ + ": " + fe.field, fe.message});
    }
  }
  if (!errs.empty()) {
    std::string m = std::to_string(errs.size()) + " problem(s) in the batch; nothing was saved: ";
    m += errs.front().field + ": " + errs.front().message;
    throw StoreError(ErrorKind::Invalid, m, errs);
  }
  const std::string now = utcNow();
  Impl::Tx tx(*d);
  auto chain = d->chainHead();
  std::vector<Record> out;
  out.reserve(records.size());
  for (size_t i = 0; i < records.size(); ++i)
    out.push_back(d->writeSave(records[i], std::move(prepared[i]), who, chain, now, options.allowReopen));
  tx.commit();
  return out;
}

Record SqliteStore::remove(const std::string& id, const Actor& who) {
  Impl::Tx tx(*d);
  auto old = d->load(id);
  if (!old) throw StoreError(ErrorKind::NotFound, "no record " + id);
  if (old->deleted) throw StoreError(ErrorKind::NotFound, "record " + id + " is already deleted");
  if (old->status == RecordStatus::Final && who.reason.empty())
    throw StoreError(ErrorKind::Invalid, "deleting a final record needs a reason");
  Record out = *old;
  out.deleted = true;
  out.revision++;
  out.updatedAt = utcNow();
  out.updatedBy = userOf(who);
  d->updRecord.reset()
      .bind(1, out.id)
      .bind(2, out.formVersion)
      .bind(3, int(out.status == RecordStatus::Final))
      .bind(4, out.personCode)
      .bind(5, out.updatedAt)
      .bind(6, out.updatedBy)
      .bind(7, 1)
      .bind(8, out.revision)
      .bind(9, out.values.dump());
  if (out.personCode.empty()) d->updRecord.bindNull(4);
  d->updRecord.exec();
  auto chain = d->chainHead();
  AuditEntry e;
  e.at = out.updatedAt;
  e.user = out.updatedBy;
  e.action = "delete";
  e.recordId = id;
  e.formId = out.formId;
  e.formVersion = out.formVersion;
  e.revision = out.revision;
  e.field = "_deleted";
  e.oldValue = "false";
  e.newValue = "true";
  e.reason = who.reason;
  d->appendAudit(chain, e);
  tx.commit();
  return out;
}

std::optional<Record> SqliteStore::get(const std::string& id) { return d->load(id); }

namespace {

// query() with `guarded`: the values of fields without an index are read
// through json_valid (an indexed field keeps the index's expression: no
// record SQLite cannot read can be in the table, indexing or inserting it
// fails).
Page queryRecords(sqlite3* db, const RecordQuery& q, bool guarded) {
  auto valueExpr = [&](const std::string& field) {
    std::string e = fieldExpr(field);
    if (!guarded || e.rfind("json_extract(", 0) != 0) return e;
    Stmt ix(db, "SELECT 1 FROM field_indexes WHERE form_id=?1 AND field=?2");
    ix.bind(1, q.formId).bind(2, field);
    return ix.step() ? e : "CASE WHEN json_valid(data) THEN " + e + " END";
  };
  std::string where = " WHERE form_id=?1";
  std::vector<json> params;  // ?2...
  auto param = [&](json v) {
    params.push_back(std::move(v));
    std::string p(1, '?');
    p.append(std::to_string(params.size() + 1));
    return p;
  };
  if (!q.includeDeleted) where += " AND deleted=0";
  if (q.formVersion) where += " AND form_version=" + param(*q.formVersion);
  if (q.status) where += " AND status=" + param(int(*q.status == RecordStatus::Final));
  for (const auto& flt : q.filters) {
    std::string e = valueExpr(flt.field);
    json v = flt.value;
    if (flt.field == "_status" && v.is_string()) {
      auto st = statusFromName(v.get<std::string>());
      if (!st) throw StoreError(ErrorKind::Invalid, "no status '" + v.get<std::string>() + "'");
      v = int(*st == RecordStatus::Final);
    }
    using Op = FieldFilter::Op;
    switch (flt.op) {
      case Op::Equals: where += " AND " + e + "=" + param(v); break;
      case Op::NotEquals: where += " AND " + e + " IS NOT " + param(v); break;
      case Op::Less: where += " AND " + e + "<" + param(v); break;
      case Op::LessEq: where += " AND " + e + "<=" + param(v); break;
      case Op::Greater: where += " AND " + e + ">" + param(v); break;
      case Op::GreaterEq: where += " AND " + e + ">=" + param(v); break;
      case Op::HasChoice:
        where += " AND instr(' ' || " + e + " || ' ', ' ' || " + param(v) + " || ' ') > 0";
        break;
    }
  }
  if (!q.text.empty()) {
    const std::string p = param(q.text);
    const char* data = guarded ? "CASE WHEN json_valid(records.data) THEN records.data END" : "records.data";
    where += " AND (instr(lower(coalesce(person_code,'')), lower(" + p + ")) > 0 OR EXISTS(SELECT 1 FROM json_each(" +
             data + ") WHERE instr(lower(json_each.value), lower(" + p + ")) > 0))";
  }
  std::string order;
  // Ties in creation order, reversed with the sort: exactly the reverse of
  // the ascending order, and the order of a backward walk of a field index
  // (no sort of each run of equal values).
  if (q.sortBy.empty()) order = " ORDER BY seq";
  else order = " ORDER BY " + valueExpr(q.sortBy) + (q.descending ? " DESC, seq DESC" : ", seq");
  if (q.sortBy.empty() && q.descending) order = " ORDER BY seq DESC";

  auto bindAll = [&](Stmt& s) {
    s.bind(1, q.formId);
    for (size_t i = 0; i < params.size(); ++i) s.bindJson(int(i + 2), params[i]);
  };
  Page page;
  Stmt s(db, std::string("SELECT ") + kRecordCols + " FROM records" + where + order + " LIMIT " +
                    std::to_string(std::max<std::int64_t>(0, q.limit)) + " OFFSET " +
                    std::to_string(std::max<std::int64_t>(0, q.offset)));
  bindAll(s);
  while (s.step()) page.records.push_back(readRecord(s));
  if (q.withTotal) {
    if (q.filters.empty() && q.text.empty()) {
      // No conditions on values: the total comes from record_counts (kept by
      // triggers) instead of counting the rows.
      std::string cw = " WHERE form_id=?1";
      std::vector<json> cp;
      if (!q.includeDeleted) cw += " AND deleted=0";
      if (q.formVersion) {
        cp.push_back(*q.formVersion);
        cw += " AND form_version=?" + std::to_string(cp.size() + 1);
      }
      if (q.status) {
        cp.push_back(int(*q.status == RecordStatus::Final));
        cw += " AND status=?" + std::to_string(cp.size() + 1);
      }
      Stmt c(db, "SELECT coalesce(sum(n), 0) FROM record_counts" + cw);
      c.bind(1, q.formId);
      for (size_t i = 0; i < cp.size(); ++i) c.bindJson(int(i + 2), cp[i]);
      page.total = c.step() ? c.i64(0) : 0;
    } else {
      // One value of an indexed field: field_value_counts has the total.
      const bool oneValue = q.filters.size() == 1 && q.filters[0].op == FieldFilter::Op::Equals &&
                            countsValues(q.filters[0].field) && q.text.empty() && !q.includeDeleted &&
                            !q.formVersion && !q.status;
      bool counted = false;
      if (oneValue) {
        Stmt c(db,
               "SELECT (SELECT n FROM field_value_counts WHERE form_id=?1 AND field=?2 AND value=?3), "
               "EXISTS(SELECT 1 FROM field_indexes WHERE form_id=?1 AND field=?2)");
        c.bind(1, q.formId).bind(2, q.filters[0].field).bindJson(3, params.at(0));
        if (c.step() && c.i64(1)) {
          page.total = c.i64(0);  // NULL (no such value) reads as 0
          counted = true;
        }
      }
      if (!counted) {
        Stmt c(db, "SELECT count(*) FROM records" + where);
        bindAll(c);
        page.total = c.step() ? c.i64(0) : 0;
      }
    }
  }
  return page;
}

}  // namespace

Page SqliteStore::query(const RecordQuery& q) {
  if (q.formId.empty()) throw StoreError(ErrorKind::Invalid, "a query needs a form id");
  try {
    return queryRecords(d->db, q, false);
  } catch (const StoreError& e) {
    // One record whose stored values SQLite cannot read (changed outside
    // Skema, or nested deeper than SQLite's JSON limit) fails every filter,
    // sort and search of its form. Then again, guarded: that record matches
    // no filter or text and sorts as empty. Not guarded from the start:
    // json_valid costs a scan 15-20%.
    if (std::string_view(e.what()).find("malformed JSON") == std::string_view::npos) throw;
    return queryRecords(d->db, q, true);
  }
}

std::map<RecordStatus, std::int64_t> SqliteStore::countByStatus(const std::string& formId) {
  Stmt s(d->db, "SELECT status, sum(n) FROM record_counts WHERE form_id=?1 AND deleted=0 GROUP BY status");
  s.bind(1, formId);
  std::map<RecordStatus, std::int64_t> out{{RecordStatus::Draft, 0}, {RecordStatus::Final, 0}};
  while (s.step()) out[s.i64(0) ? RecordStatus::Final : RecordStatus::Draft] = s.i64(1);
  return out;
}

std::vector<std::string> SqliteStore::personCodes(const std::string& prefix, int limit) {
  // A range seek on records_person, in code order, that stops after `limit`
  // distinct codes: never a scan, however many records there are.
  Stmt s(d->db,
         "SELECT DISTINCT person_code FROM records WHERE person_code >= ?1 AND person_code < ?2 AND deleted=0 "
         "ORDER BY person_code LIMIT ?3");
  s.bind(1, prefix).bind(2, prefix + "\xFF").bind(3, limit);  // no UTF-8 text holds the byte 0xFF
  std::vector<std::string> out;
  while (s.step()) out.push_back(s.text(0));
  return out;
}

void SqliteStore::ensureFieldIndex(const std::string& formId, const std::string& field) {
  std::string expr = fieldExpr(field);
  Stmt chk(d->db, "SELECT 1 FROM field_indexes WHERE form_id=?1 AND field=?2");
  chk.bind(1, formId).bind(2, field);
  if (chk.step()) return;
  Impl::Tx tx(*d);
  std::string name = "fx_" + sha256Hex(formId + "\x1f" + field).substr(0, 16);
  // form_id first, then the value: serves filters and sorts within a form.
  execSql(d->db, "CREATE INDEX IF NOT EXISTS " + name + " ON records(form_id, deleted, " + expr + ")");
  startValueCounts(d->db, name, formId, field);
  Stmt ins(d->db, "INSERT OR IGNORE INTO field_indexes(form_id, field, index_name) VALUES(?1,?2,?3)");
  ins.bind(1, formId).bind(2, field).bind(3, name).exec();
  tx.commit();
}

// --- import -----------------------------------------------------------------

namespace {

// One record of an import, ready to write: the records row and its audit row
// (hash included). Made on the importing thread, written by ImportWriter.
struct PreparedRow {
  std::string id, formId, personCode, createdAt, createdBy, updatedAt, updatedBy, data;
  int formVersion = 0;
  bool final = false;
  std::int64_t seq = 0;
  std::string audit, prevHash, hash;
};

}  // namespace

namespace {

// The thread that writes an import's rows while the importing thread
// parses, validates and hashes the next ones. It holds `dbMutex` while it
// steps a batch; whatever else uses the connection during the import takes
// the same lock (Impl::lockDb). Batches are recycled, so their strings keep
// their capacity.
class ImportWriter {
 public:
  static constexpr size_t kBatch = 256;

  ImportWriter(Stmt& insRecord, Stmt& insAudit, std::mutex& dbMutex, const std::string& at, const std::string& user,
               const std::string& reason)
      : m_insRecord(insRecord), m_insAudit(insAudit), m_dbMutex(dbMutex), m_at(at), m_user(user), m_reason(reason) {
    for (auto& b : m_batches) {
      b.resize(kBatch);
      m_free.push_back(&b);
    }
    m_thread = std::thread([this] { run(); });
  }
  ~ImportWriter() { finish(); }

  // The next row to fill; nullptr once the writer failed (stop, then finish()).
  PreparedRow* next() {
    if (!m_cur || m_curUsed == kBatch) {
      if (m_cur) push();
      std::unique_lock<std::mutex> lock(m_m);
      m_cv.wait(lock, [&] { return !m_free.empty() || m_error; });
      if (m_error) return nullptr;
      m_cur = m_free.back();
      m_free.pop_back();
    }
    return &(*m_cur)[m_curUsed++];
  }

  // Writes what is left and stops the thread; rethrows the writer's error
  // (unless an exception is already on its way).
  void finish() {
    if (!m_thread.joinable()) return;
    if (m_cur && m_curUsed && !std::uncaught_exceptions()) push();  // not a half-filled row
    {
      std::lock_guard<std::mutex> lock(m_m);
      m_done = true;
    }
    m_cv.notify_all();
    m_thread.join();
    if (m_error && !std::uncaught_exceptions()) std::rethrow_exception(std::exchange(m_error, nullptr));
  }

 private:
  void push() {
    {
      std::lock_guard<std::mutex> lock(m_m);
      m_full.push_back({m_cur, m_curUsed});
    }
    m_cur = nullptr;
    m_curUsed = 0;
    m_cv.notify_all();
  }

  void run() {
    for (;;) {
      std::pair<std::vector<PreparedRow>*, size_t> job;
      bool skip;
      {
        std::unique_lock<std::mutex> lock(m_m);
        m_cv.wait(lock, [&] { return !m_full.empty() || m_done; });
        if (m_full.empty()) return;
        job = m_full.front();
        m_full.pop_front();
        skip = m_error != nullptr;
      }
      if (!skip) {
        try {
          std::lock_guard<std::mutex> db(m_dbMutex);
          for (size_t i = 0; i < job.second; ++i) write((*job.first)[i]);
        } catch (...) {
          std::lock_guard<std::mutex> lock(m_m);
          m_error = std::current_exception();
        }
      }
      {
        std::lock_guard<std::mutex> lock(m_m);
        m_free.push_back(job.first);
      }
      m_cv.notify_all();
    }
  }

  void write(const PreparedRow& r) {
    m_insRecord.reset()
        .bindStatic(1, r.id)
        .bindStatic(2, r.formId)
        .bind(3, r.formVersion)
        .bind(4, int(r.final))
        .bindStatic(6, r.createdAt)
        .bindStatic(7, r.createdBy)
        .bindStatic(8, r.updatedAt)
        .bindStatic(9, r.updatedBy)
        .bind(10, std::int64_t(1))
        .bindStatic(11, r.data);
    if (r.personCode.empty()) m_insRecord.bindNull(5); else m_insRecord.bindStatic(5, r.personCode);
    m_insRecord.exec();
    m_insAudit.reset()
        .bind(1, r.seq)
        .bindStatic(2, m_at)
        .bindStatic(3, m_user)
        .bindStatic(4, kImportAction)
        .bindStatic(5, r.id)
        .bindStatic(6, r.formId)
        .bind(7, r.formVersion)
        .bind(8, std::int64_t(1))
        .bindStatic(9, kWholeRecord)
        .bindNull(10)
        .bindStatic(11, r.audit)
        .bindStatic(12, m_reason)
        .bindStatic(13, r.prevHash)
        .bindStatic(14, r.hash);
    m_insAudit.exec();
  }

  Stmt &m_insRecord, &m_insAudit;
  std::mutex& m_dbMutex;
  const std::string &m_at, &m_user, &m_reason;
  std::thread m_thread;
  std::mutex m_m;
  std::condition_variable m_cv;
  std::vector<PreparedRow> m_batches[4];
  std::vector<std::vector<PreparedRow>*> m_free;
  std::deque<std::pair<std::vector<PreparedRow>*, size_t>> m_full;
  std::vector<PreparedRow>* m_cur = nullptr;
  size_t m_curUsed = 0;
  bool m_done = false;
  std::exception_ptr m_error;
};

// "Is there a committed record with this id?" on a read-only connection of
// its own (opened on first use), for imports: the write connection belongs
// to the writer thread. Records of the running import are not visible here.
class IdLookup {
 public:
  explicit IdLookup(std::string path) : m_path(std::move(path)) {}
  ~IdLookup() {
    m_st = Stmt();
    if (m_db) sqlite3_close_v2(m_db);
  }
  // Whether it exists; if so `created` says when and by whom it was created.
  bool exists(const std::string& id, std::string& created) {
    if (!m_db) {
      int rc = sqlite3_open_v2(m_path.c_str(), &m_db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
      if (rc != SQLITE_OK) fail(m_db, rc, m_path);
      sqlite3_busy_timeout(m_db, 5000);
      m_st = Stmt(m_db, "SELECT created_at, created_by FROM records WHERE id=?1");
    }
    m_st.reset().bind(1, id);
    bool found = m_st.step();
    if (found) created = "created " + m_st.text(0) + " by " + m_st.text(1);
    m_st.reset();
    return found;
  }

 private:
  std::string m_path;
  sqlite3* m_db = nullptr;
  Stmt m_st;
};

}  // namespace

ImportResult SqliteStore::importRecords(ImportSource& src, const Actor& who, const ImportOptions& opt) {
  ImportResult res;
  const std::string now = utcNow();
  const std::string user = userOf(who);
  std::map<std::string, std::optional<int>> latest;
  Impl::Tx tx(*d);
  // A bigger page cache while importing: indexes that take values in random
  // order (dates, person codes) outgrow the normal cache at about a million
  // records, and every page spilled to the WAL and changed again is written
  // again. Back to the normal size afterwards.
  struct CacheSize {
    sqlite3* db;
    std::int64_t normal;
    explicit CacheSize(sqlite3* d) : db(d), normal(pragmaInt(d, "cache_size")) {
      if (normal < 0 && normal > -kImportCacheKiB) execSql(db, "PRAGMA cache_size=-" + std::to_string(kImportCacheKiB));
    }
    ~CacheSize() { sqlite3_exec(db, ("PRAGMA cache_size=" + std::to_string(normal)).c_str(), nullptr, nullptr, nullptr); }
  } cacheSize(d->db);
  auto chain = d->chainHead();
  // Ids given in the file are checked against the records committed before
  // the import on a second, read-only connection (the write connection is
  // the writer thread's); ids of this import are in seenIds.
  IdLookup ids(d->path);
  ImportRow row;
  bool failed = false;
  std::string data, auditMeta, created;
  std::unordered_map<std::string, int> seenIds;  // id -> line
  const auto clock = std::chrono::system_clock::now();
  std::map<std::tuple<std::string, int, bool>, std::int64_t> inserted;  // record_counts to add
  Sha256 sha;
  // field_value_counts to add: per (form, indexed field), value -> n, the
  // value as 's' + text or 'i' + integer (what json_extract gives for JSON
  // strings, integers and booleans). Other values (decimals, arrays) are
  // recounted in SQL at the end, by json_extract itself.
  struct FieldTally {
    std::string formId, field;
    std::unordered_map<std::string, std::int64_t> n;
    bool recount = false;
  };
  std::map<std::string, std::vector<FieldTally>> tallies;  // by form id
  std::vector<FieldTally>* formTally = nullptr;
  std::string tallyForm, key;
  // Declared last: its destructor joins the thread before anything above
  // (the transaction included) is undone.
  ImportWriter writer(d->insRecord, d->insAudit, d->dbMutex, now, user, who.reason);
  Impl::Pipelined pipelined(*d);
  while (src.next(row)) {
    Record& r = row.record;
    std::vector<FieldMessage> errs = row.errors;
    if (r.formVersion == 0) {
      auto it = latest.find(r.formId);
      if (it == latest.end()) it = latest.emplace(r.formId, latestFormVersion(r.formId)).first;
      if (it->second) r.formVersion = *it->second;
    }
    auto f = r.formVersion ? d->form(r.formId, r.formVersion) : nullptr;
    if (!f) {
      errs.push_back({"_form_version", "form " + r.formId + " version " + std::to_string(r.formVersion) +
                                           " is not published in this workspace"});
    } else if (errs.empty()) {
      auto more = d->check(*f, d->allowedNames(r.formId, r.formVersion), r.status, r.values);
      errs.insert(errs.end(), more.begin(), more.end());
    }
    if (!opt.keepMetadata) {
      r.id.clear();
      r.createdAt.clear();
      r.createdBy.clear();
      r.updatedAt.clear();
      r.updatedBy.clear();
    }
    if (!r.id.empty()) {
      if (!isUuid(r.id)) {
        errs.push_back({"_id", "not a UUID"});
      } else if (auto seen = seenIds.find(r.id); seen != seenIds.end()) {
        errs.push_back({"_id", "the same id as line " + std::to_string(seen->second)});
      } else if (ids.exists(r.id, created)) {
        errs.push_back({"_id", "a record with this id already exists (" + created + ")"});
        ++res.existingIds;
      }
    }
    // Given metadata: times in the store's form (others are converted), not
    // in the future; user names as the store takes them.
    for (auto [column, time] : {std::pair{"_created_at", &r.createdAt}, std::pair{"_updated_at", &r.updatedAt}}) {
      if (time->empty()) continue;
      std::string why;
      if (auto t = normaliseUtcTime(*time, clock, why)) *time = std::move(*t);
      else errs.push_back({column, why});
    }
    for (auto [column, name] : {std::pair{"_created_by", &r.createdBy}, std::pair{"_updated_by", &r.updatedBy}})
      if (!name->empty())
        if (std::string why = userNameProblem(*name); !why.empty()) errs.push_back({column, why});
    if (errs.empty()) {
      if (r.createdAt.empty()) r.createdAt = now;
      if (r.createdBy.empty()) r.createdBy = user;
      if (r.updatedAt.empty()) r.updatedAt = r.createdAt;
      if (r.updatedBy.empty()) r.updatedBy = r.createdBy;
      if (r.updatedAt < r.createdAt)
        errs.push_back({"_updated_at", "is before _created_at (" + r.createdAt + ")"});
      // Serialised before the row is handed on: text that is not UTF-8 is
      // this row's error. The audit row's metadata is left out where it is
      // the default (created_* = the row's own time and user, updated_* =
      // created_*), which rebuildFromAudit applies.
      try {
        data = r.values.dump();
        auditMeta.clear();
        auto meta = [&](const char* key, const std::string& v) {
          auditMeta += ",\"";
          auditMeta += key;
          auditMeta += "\":";
          auditMeta += json(v).dump();
        };
        if (r.createdAt != now) meta("created_at", r.createdAt);
        if (r.createdBy != user) meta("created_by", r.createdBy);
        if (r.updatedAt != r.createdAt) meta("updated_at", r.updatedAt);
        if (r.updatedBy != r.createdBy) meta("updated_by", r.updatedBy);
      } catch (const json::exception&) {
        errs.push_back({"", "has text that is not valid UTF-8"});
      }
    }
    if (!errs.empty()) {
      src.rejected(row, errs);
      res.rejected.push_back({row.line, std::move(errs)});
      if (!opt.skipInvalid) failed = true;
      continue;
    }
    if (failed) continue;  // keep validating to report every bad row
    PreparedRow* w = writer.next();
    if (!w) break;  // the writer failed: finish() below throws its error
    if (r.id.empty()) w->id = newRecordId();
    else {
      seenIds.emplace(r.id, row.line);
      w->id = r.id;
    }
    w->formId = r.formId;
    w->formVersion = r.formVersion;
    w->final = r.status == RecordStatus::Final;
    w->createdAt = r.createdAt;
    w->createdBy = r.createdBy;
    w->updatedAt = r.updatedAt;
    w->updatedBy = r.updatedBy;
    w->personCode = personCodeOf(*f, r.values);
    w->data.swap(data);
    ++inserted[{r.formId, r.formVersion, w->final}];
    if (!formTally || tallyForm != r.formId) {
      auto it = tallies.find(r.formId);
      if (it == tallies.end()) {
        it = tallies.emplace(r.formId, std::vector<FieldTally>()).first;
        auto lock = d->lockDb();
        Stmt fs(d->db, "SELECT field FROM field_indexes WHERE form_id=?1");
        fs.bind(1, r.formId);
        while (fs.step())
          if (countsValues(fs.text(0))) it->second.push_back({r.formId, fs.text(0), {}, false});
      }
      formTally = &it->second;
      tallyForm = r.formId;
    }
    for (auto& t : *formTally) {
      auto v = r.values.find(t.field);
      if (v == r.values.end() || v->is_null()) continue;
      if (v->is_string() && v->get_ref<const std::string&>().find('\0') == std::string::npos) {
        key.assign(1, 's');
        key += v->get_ref<const std::string&>();
      } else if (v->is_number_integer() && (!v->is_number_unsigned() || v->get<std::uint64_t>() <= INT64_MAX)) {
        key = "i" + std::to_string(v->get<std::int64_t>());
      } else if (v->is_boolean()) {
        key = v->get<bool>() ? "i1" : "i0";
      } else {
        t.recount = true;
        continue;
      }
      ++t.n[key];
    }
    // One audit row per record: the whole record as the new value (status,
    // metadata that differs from the defaults, values).
    std::string& a = w->audit;
    a.clear();
    a += "{\"status\":\"";
    a += statusName(r.status);
    a += '"';
    a += auditMeta;
    a += ",\"values\":";
    a += w->data;
    a += "}";
    w->seq = ++chain.seq;
    w->prevHash = chain.hash;
    AuditRef e{w->seq, now, user, kImportAction, w->id, w->formId, w->formVersion, 1, kWholeRecord, nullptr, &a,
               who.reason};
    chainHashInto(sha, chain.hash, e, w->hash);
    chain.hash = w->hash;
    ++res.imported;
  }
  writer.finish();
  pipelined.end();
  // The content's first import, kept in meta as {at, user, reason, records}.
  const std::string digest = src.contentDigest();
  const std::string importKey = "import.sha256." + digest;
  if (!digest.empty()) {
    Stmt m(d->db, "SELECT value FROM meta WHERE key=?1");
    m.bind(1, importKey);
    if (m.step()) {
      json e = json::parse(m.text(0), nullptr, false);
      if (e.is_object())
        res.sameContent = EarlierImport{e.value("at", ""), e.value("user", ""), e.value("reason", ""),
                                        e.value("records", std::int64_t(0))};
    }
  }
  if (failed) {
    res.imported = 0;
    return res;  // Tx rolls back
  }
  if (!digest.empty() && !res.sameContent && res.imported > 0) {
    Stmt m(d->db, "INSERT OR IGNORE INTO meta(key, value) VALUES(?1, ?2)");
    m.bind(1, importKey)
        .bind(2, json{{"at", now}, {"user", user}, {"reason", who.reason}, {"records", res.imported}}.dump(-1, ' ', false, json::error_handler_t::replace))
        .exec();
  }
  for (const auto& [k, n] : inserted)
    d->countInserted(std::get<0>(k), std::get<1>(k), std::get<2>(k) ? RecordStatus::Final : RecordStatus::Draft, n);
  Stmt addCount(d->db,
                "INSERT INTO field_value_counts(form_id, field, value, n) VALUES(?1,?2,?3,?4) "
                "ON CONFLICT DO UPDATE SET n = n + excluded.n");
  for (const auto& [formId, fields] : tallies)
    for (const auto& t : fields) {
      if (t.recount) {
        recountValues(d->db, t.formId, t.field);
        continue;
      }
      for (const auto& [v, n] : t.n) {
        addCount.reset().bind(1, t.formId).bind(2, t.field).bind(4, n);
        if (v[0] == 's') addCount.bind(3, v.substr(1));
        else addCount.bind(3, std::int64_t(std::stoll(v.substr(1))));
        addCount.exec();
      }
    }
  tx.commit();
  res.committed = true;
  return res;
}

void SqliteStore::forEachRecord(const std::string& formId, bool includeDeleted,
                                const std::function<void(const Record&)>& fn) {
  Stmt s(d->db, std::string("SELECT ") + kRecordCols + " FROM records WHERE form_id=?1" +
                    (includeDeleted ? "" : " AND deleted=0") + " ORDER BY seq");
  s.bind(1, formId);
  while (s.step()) fn(readRecord(s));
}

void SqliteStore::forEachRecordText(const std::string& formId, bool includeDeleted,
                                    const std::function<void(const RecordText&)>& fn) {
  // Live and deleted rows each come in seq order from the (form_id,
  // deleted, seq) index and are merged here: one query over both would make
  // SQLite sort every row (all the data) before returning the first.
  const std::string sql = std::string("SELECT ") + kRecordCols + ", seq FROM records WHERE form_id=?1 AND deleted=?2 ORDER BY seq";
  Stmt live(d->db, sql), gone;
  live.bind(1, formId).bind(2, 0);
  bool haveLive = live.step(), haveGone = false;
  if (includeDeleted) {
    gone = Stmt(d->db, sql);
    gone.bind(1, formId).bind(2, 1);
    haveGone = gone.step();
  }
  RecordText t;
  while (haveLive || haveGone) {
    const bool takeLive = haveLive && (!haveGone || live.i64(12) < gone.i64(12));
    Stmt& s = takeLive ? live : gone;
    auto view = [&](int c) {
      auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s.raw(), c));
      return p ? std::string_view(p, size_t(sqlite3_column_bytes(s.raw(), c))) : std::string_view();
    };
    t.id = view(0);
    t.formId = view(1);
    t.formVersion = int(s.i64(2));
    t.status = s.i64(3) ? RecordStatus::Final : RecordStatus::Draft;
    t.personCode = view(4);
    t.createdAt = view(5);
    t.createdBy = view(6);
    t.updatedAt = view(7);
    t.updatedBy = view(8);
    t.deleted = s.i64(9) != 0;
    t.revision = s.i64(10);
    t.values = view(11);
    fn(t);
    if (takeLive) haveLive = live.step();
    else haveGone = gone.step();
  }
}

// --- audit ------------------------------------------------------------------

std::vector<AuditEntry> SqliteStore::history(const std::string& recordId) {
  Stmt s(d->db, std::string("SELECT ") + kAuditCols + " FROM audit WHERE record_id=?1 ORDER BY seq");
  s.bind(1, recordId);
  std::vector<AuditEntry> out;
  while (s.step()) out.push_back(readAudit(s));
  return out;
}

namespace {

// Applies one audit row to the record it rebuilds (empty before its first
// row). Throws json::exception on a damaged value.
void replayAudit(std::optional<Record>& r, const AuditEntry& e) {
  if (!r) {
    r.emplace();
    r->id = e.recordId;
    r->createdAt = e.at;
    r->createdBy = e.user;
  }
  r->formId = e.formId;
  r->formVersion = e.formVersion;
  r->revision = e.revision;
  r->updatedAt = e.at;
  r->updatedBy = e.user;
  if (e.field == "*") {
    json v = json::parse(e.newValue.value_or("{}"));
    r->values = v.value("values", json::object());
    r->status = statusFromName(v.value("status", "draft")).value_or(RecordStatus::Draft);
    // Import rows leave out what equals these defaults (importRecords).
    r->createdAt = v.value("created_at", e.at);
    r->createdBy = v.value("created_by", e.user);
    r->updatedAt = v.value("updated_at", r->createdAt);
    r->updatedBy = v.value("updated_by", r->createdBy);
  } else if (e.field == "_status") {
    r->status = statusFromName(json::parse(e.newValue.value_or("\"draft\"")).get<std::string>())
                    .value_or(RecordStatus::Draft);
  } else if (e.field == "_deleted") {
    r->deleted = e.newValue && *e.newValue == "true";
  } else if (e.field == "_form_version") {
    // formVersion is carried by every row
  } else if (e.newValue) {
    r->values[e.field] = json::parse(*e.newValue);
  } else {
    r->values.erase(e.field);
  }
}

std::string shortJson(const json& v) {
  std::string t = v.dump();
  return t.size() > 60 ? t.substr(0, 57) + "..." : t;
}

// How the stored record differs from the one its audit rows rebuild; "" if not.
std::string recordDifference(const Record& stored, const Record& rebuilt) {
  auto meta = [](const char* what, const std::string& a, const std::string& b) {
    return std::string(what) + " is " + a + " in the record but " + b + " in its audit history";
  };
  if (stored.formId != rebuilt.formId) return meta("the form", stored.formId, rebuilt.formId);
  if (stored.formVersion != rebuilt.formVersion)
    return meta("the form version", std::to_string(stored.formVersion), std::to_string(rebuilt.formVersion));
  if (stored.revision != rebuilt.revision)
    return meta("the revision", std::to_string(stored.revision), std::to_string(rebuilt.revision));
  if (stored.status != rebuilt.status) return meta("the status", statusName(stored.status), statusName(rebuilt.status));
  if (stored.deleted != rebuilt.deleted)
    return meta("deleted", stored.deleted ? "yes" : "no", rebuilt.deleted ? "yes" : "no");
  if (stored.createdAt != rebuilt.createdAt) return meta("created at", stored.createdAt, rebuilt.createdAt);
  if (stored.createdBy != rebuilt.createdBy) return meta("created by", stored.createdBy, rebuilt.createdBy);
  if (stored.updatedAt != rebuilt.updatedAt) return meta("updated at", stored.updatedAt, rebuilt.updatedAt);
  if (stored.updatedBy != rebuilt.updatedBy) return meta("updated by", stored.updatedBy, rebuilt.updatedBy);
  if (stored.values == rebuilt.values) return {};
  auto valueOf = [](const json& values, const std::string& k) -> const json* {
    auto it = values.find(k);
    return it == values.end() ? nullptr : &*it;
  };
  std::set<std::string> keys;
  for (auto it = stored.values.begin(); it != stored.values.end(); ++it) keys.insert(it.key());
  for (auto it = rebuilt.values.begin(); it != rebuilt.values.end(); ++it) keys.insert(it.key());
  for (const auto& k : keys) {
    const json *a = valueOf(stored.values, k), *b = valueOf(rebuilt.values, k);
    if (a && b && *a == *b) continue;
    return "field " + k + " is " + (a ? shortJson(*a) : "absent") + " in the record but " +
           (b ? shortJson(*b) : "absent") + " in its audit history";
  }
  return "its values differ from its audit history";
}

}  // namespace

// Two passes, both streaming: the hash chain in audit order, then every
// record against the replay of its audit rows (records by id and audit rows
// by record id and seq, merged; both orders come from indexes).
AuditVerifyResult SqliteStore::verifyAudit() {
  AuditVerifyResult r;
  {
    Stmt s(d->db, std::string("SELECT ") + kAuditCols + " FROM audit ORDER BY seq");
    std::string prev = kZeroHash;
    std::int64_t expectSeq = 1;
    while (s.step()) {
      AuditEntry e = readAudit(s);
      ++r.rows;
      std::string why;
      if (e.seq != expectSeq) why = "row " + std::to_string(expectSeq) + " is missing";
      else if (e.prevHash != prev) why = "its previous-hash does not match the row before it";
      else if (chainHash(prev, e) != e.hash) why = "its content does not match its hash (changed after writing)";
      if (!why.empty()) {
        r.ok = false;
        r.firstBrokenSeq = e.seq != expectSeq ? expectSeq : e.seq;
        r.message = "audit row " + std::to_string(r.firstBrokenSeq) + ": " + why;
        return r;
      }
      prev = e.hash;
      ++expectSeq;
    }
  }

  auto broken = [&](const std::string& recordId, const std::string& why) {
    r.ok = false;
    r.firstBadRecord = recordId;
    r.message = "record " + recordId + ": " + why;
    return r;
  };
  Stmt recs(d->db, std::string("SELECT ") + kRecordCols + " FROM records ORDER BY id");
  Stmt rows(d->db, std::string("SELECT ") + kAuditCols + " FROM audit WHERE record_id <> '' ORDER BY record_id, seq");
  bool haveRow = rows.step();
  std::int64_t records = 0;
  while (recs.step()) {
    ++records;
    const std::string id = recs.text(0);
    while (haveRow && rows.text(4) < id) {
      std::string orphan = rows.text(4);
      return broken(orphan, "its audit rows remain but the record itself is missing");
    }
    std::optional<Record> rebuilt;
    try {
      while (haveRow && rows.text(4) == id) {
        replayAudit(rebuilt, readAudit(rows));
        haveRow = rows.step();
      }
    } catch (const json::exception& e) {
      return broken(id, std::string("an audit row holds a damaged value (") + e.what() + ")");
    }
    if (!rebuilt) return broken(id, "it has no audit history (written outside Skema)");
    Record stored;
    try {
      stored = readRecord(recs);
    } catch (const StoreError&) {
      return broken(id, "its stored values are damaged");
    }
    if (std::string why = recordDifference(stored, *rebuilt); !why.empty())
      return broken(id, why + " (changed outside Skema?)");
  }
  if (haveRow) return broken(rows.text(4), "its audit rows remain but the record itself is missing");
  r.message = std::to_string(r.rows) + " audit rows, chain intact; " + std::to_string(records) +
              " records match their audit history";
  return r;
}

std::optional<Record> SqliteStore::rebuildFromAudit(const std::string& recordId, std::int64_t atSeq) {
  auto rows = history(recordId);
  std::optional<Record> r;
  for (const auto& e : rows) {
    if (atSeq > 0 && e.seq > atSeq) break;
    replayAudit(r, e);
  }
  if (r) {
    if (auto f = d->form(r->formId, r->formVersion)) r->personCode = personCodeOf(*f, r->values);
  }
  return r;
}

std::string SqliteStore::integrityCheck() {
  Stmt s(d->db, "PRAGMA integrity_check");
  std::string out;
  while (s.step()) {
    if (!out.empty()) out.push_back('\n');
    out.append(s.text(0));
  }
  return out;
}

void SqliteStore::optimize() { execSql(d->db, "PRAGMA analysis_limit=1000; ANALYZE"); }

}  // namespace skema::store
