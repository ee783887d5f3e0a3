// The record store: workspaces, published form versions, records and their
// audit log, in domain terms. The UI, reports, plugins and the command line
// only see this interface; SQLite (sqlite_store.h) implements it today and a
// PostgreSQL backend will implement it next. No SQL or database types leak
// out of it. See docs/store.md.
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace skema {
struct Form;
}

namespace skema::store {

enum class RecordStatus { Draft, Final };
const char* statusName(RecordStatus s);                          // "draft" / "final"
std::optional<RecordStatus> statusFromName(const std::string& s);

// One registration. `values` maps field name -> value (docs/store.md).
struct Record {
  std::string id;              // UUID; empty for a record not saved yet
  std::string formId;
  int formVersion = 0;
  RecordStatus status = RecordStatus::Draft;
  std::string personCode;      // the form's top-level person_code value, if any
  std::string createdAt, createdBy, updatedAt, updatedBy;  // UTC ISO-8601
  bool deleted = false;        // tombstone
  std::int64_t revision = 0;   // 0 = new; bumps on every save (optimistic locking)
  nlohmann::json values = nlohmann::json::object();
};

// A stored record as text, for readers that pick out only what they need
// without building a Record (the report cache). The views are valid during
// the callback only.
struct RecordText {
  std::string_view id, formId;
  int formVersion = 0;
  RecordStatus status = RecordStatus::Draft;
  std::string_view personCode, createdAt, createdBy, updatedAt, updatedBy;
  bool deleted = false;
  std::int64_t revision = 0;
  std::string_view values;     // the values as one JSON object text
};
// `r` as text, its values given as `valuesText` (e.g. r.values.dump());
// the views point into `r` and `valuesText`.
RecordText recordText(const Record& r, std::string_view valuesText);
// A record's stored values text as JSON. False, with what is wrong in
// `reason`, when it is not a JSON object (damaged in the file).
bool parseStoredValues(std::string_view text, nlohmann::json& out, std::string& reason);
// A record an export left out because its stored values are damaged.
struct DamagedRecord {
  std::string id, reason;
};

struct FieldMessage {
  std::string field;
  std::string message;
};

enum class ErrorKind {
  NotAWorkspace,  // the file is not a Skema workspace
  NewerFormat,    // written by a newer Skema
  ReadOnly,       // the file or its folder cannot be written
  NotFound,       // no such workspace / record / form version
  Exists,         // init on a path that exists
  Busy,           // locked by another program (retry later)
  DiskFull,
  Invalid,        // data refused: see fieldErrors
  Conflict,       // the record changed since it was read (stale revision), or
                  // a form id+version re-published with different content
  Corrupt,
  Io,
};
const char* errorKindName(ErrorKind k);

class StoreError : public std::runtime_error {
 public:
  StoreError(ErrorKind kind, const std::string& message, std::vector<FieldMessage> fields = {})
      : std::runtime_error(message), m_kind(kind), m_fields(std::move(fields)) {}
  ErrorKind kind() const { return m_kind; }
  const std::vector<FieldMessage>& fieldErrors() const { return m_fields; }

 private:
  ErrorKind m_kind;
  std::vector<FieldMessage> m_fields;
};

struct FormVersionInfo {
  std::string formId;
  int version = 0;
  std::string hash;            // SHA-256 hex of the canonical definition text
  std::string publishedAt, publishedBy;
  std::string definitionText;  // canonical JSON, exactly as published
};

// The designer's working copy of a form's next version (docs/designer.md):
// kept in the workspace so it survives restarts; one per form; not a
// published version (records cannot use it).
struct FormDraftInfo {
  std::string formId;
  int baseVersion = 0;         // the published version it revises (0 = a new form)
  std::string definitionText;  // the draft definition JSON (may have checker errors)
  std::string updatedAt, updatedBy;
};

// A report saved by name in the workspace (docs/reports.md). The store keeps
// the definition as opaque JSON text; report/report.h gives it meaning.
struct SavedReportInfo {
  std::string name;
  std::string formId;
  std::string definitionText;  // JSON
  std::string updatedAt, updatedBy;
};

// Options of saveBatch().
struct BatchOptions {
  // A final record may become a draft again (a migration that leaves
  // records incomplete under the new version). Audited as a _status row.
  bool allowReopen = false;
};

enum class PublishResult { Published, AlreadyPublished };

// A condition on a field's stored value. Field names may also be the
// metadata names "_status", "_person_code", "_created_by", "_updated_by",
// "_form_version".
struct FieldFilter {
  enum class Op { Equals, NotEquals, Less, LessEq, Greater, GreaterEq, HasChoice };
  std::string field;
  Op op = Op::Equals;
  nlohmann::json value;        // string or number; HasChoice: a choice name (select_multiple)
};

struct RecordQuery {
  std::string formId;                    // required
  std::optional<int> formVersion;        // empty = all versions
  std::optional<RecordStatus> status;
  std::vector<FieldFilter> filters;      // all must hold
  std::string text;                      // free text, case-insensitive substring of any value
  // Field name or "_created_at", "_updated_at", "_person_code", "_status";
  // empty = creation order. Equal values keep creation order; descending is
  // exactly the reverse of ascending (equal values newest first).
  std::string sortBy;
  bool descending = false;
  std::int64_t offset = 0;
  std::int64_t limit = 100;
  bool includeDeleted = false;
  bool withTotal = true;                 // fill Page::total (costs a count)
};

struct Page {
  std::vector<Record> records;
  std::int64_t total = -1;               // matches over all pages; -1 if not asked
};

// One row of the append-only audit log.
struct AuditEntry {
  std::int64_t seq = 0;
  std::string at, user;
  std::string action;       // create, edit, finalise, delete, import
  std::string recordId;
  std::string formId;
  int formVersion = 0;
  std::int64_t revision = 0;  // the record's revision after this change
  // A field name; "*" = the whole values object (imports); "_status",
  // "_form_version", "_deleted" for metadata.
  std::string field;
  std::optional<std::string> oldValue, newValue;  // JSON text; empty = absent
  std::string reason;
  std::string prevHash, hash;
};

struct AuditVerifyResult {
  bool ok = true;
  std::int64_t rows = 0;
  std::int64_t firstBrokenSeq = 0;  // 0 when ok
  std::string firstBadRecord;       // a record that differs from its audit history, if any
  std::string message;
};

// Who is acting, and why (a reason is required to edit or delete a final record).
struct Actor {
  std::string user;
  std::string reason;
};

// The longest user name taken, in bytes.
inline constexpr size_t kMaxUserNameBytes = 64;

// Why `name` cannot be the name of an acting user, or nullopt when it can:
// it must be 1 to kMaxUserNameBytes bytes of valid UTF-8 without control
// characters, line separators or bidirectional controls (isHiddenControl
// in util/text.h), which would forge lines or disguise text in the records
// and the audit log. E.g. "contains the control character U+001B".
std::optional<std::string> checkUserName(std::string_view name);

// The user recorded for `who`: "unknown" when none is given; a name
// checkUserName() refuses is StoreError Invalid (nothing is written).
std::string actorUser(const Actor& who);

struct ImportRow {
  int line = 0;                       // source line, for messages
  Record record;                      // formId/formVersion/values (+ optional id, status, metadata)
  std::vector<FieldMessage> errors;   // conversion problems found by the source
};

// Feeds rows to importRecords one at a time (so a million rows never sit in
// memory at once). next() and rejected() run on the thread that called
// importRecords, while a backend may be writing earlier rows on another;
// meanwhile a source may call the store's form(), formVersions(),
// latestFormVersion() and get() only.
class ImportSource {
 public:
  virtual ~ImportSource() = default;
  // Fills `row`; false at the end.
  virtual bool next(ImportRow& row) = 0;
  // Called right after next() returned a row that is refused.
  virtual void rejected(const ImportRow& row, const std::vector<FieldMessage>& errors) {
    (void)row;
    (void)errors;
  }
  // SHA-256 (hex) of every byte read so far, once next() returned false;
  // "" when the source has no such content (rows made in memory). The store
  // remembers it to tell when the same content is imported again.
  virtual std::string contentDigest() const { return {}; }
};

struct ImportOptions {
  bool skipInvalid = false;           // false = all-or-nothing
  bool keepMetadata = true;           // keep ids/status/created_* given in rows (round trips)
};

struct ImportRowError {
  int line = 0;
  std::vector<FieldMessage> errors;
};

// An import whose content (ImportSource::contentDigest) was the same.
struct EarlierImport {
  std::string at, user, reason;       // reason: the Actor's, e.g. "import visits.csv"
  std::int64_t records = 0;           // how many records it added
};

struct ImportResult {
  bool committed = false;             // false: nothing was written
  std::int64_t imported = 0;
  std::vector<ImportRowError> rejected;
  std::int64_t existingIds = 0;       // rows refused because a record with their _id exists
  std::optional<EarlierImport> sameContent;  // the first import of the same content, if any
};

class Store {
 public:
  virtual ~Store() = default;

  // --- forms ---
  // Stores `form.definition.dump()` as the immutable version (form.id,
  // form.version). Same content again: AlreadyPublished. Different content:
  // StoreError Conflict.
  virtual PublishResult publishForm(const Form& form, const Actor& who) = 0;
  virtual std::vector<FormVersionInfo> formVersions(const std::string& formId = {}) = 0;
  // The form as published (loaded from the stored definition); cached.
  virtual std::shared_ptr<const Form> form(const std::string& formId, int version) = 0;
  virtual std::optional<int> latestFormVersion(const std::string& formId) = 0;
  // Offers a form already parsed elsewhere (the shipped files): when its
  // canonical definition is exactly the one stored for its id and version
  // (same hash), form() returns it instead of parsing the stored text again.
  // Returns whether it was taken. Only an optimisation: the default declines.
  virtual bool adoptForm(const std::shared_ptr<const Form>& /*form*/) { return false; }

  // --- form drafts (the designer's unpublished next version) ---
  // Creates or replaces the draft of draft.formId.
  virtual void saveFormDraft(const FormDraftInfo& draft, const Actor& who) = 0;
  virtual std::optional<FormDraftInfo> formDraft(const std::string& formId) = 0;
  virtual std::vector<FormDraftInfo> formDrafts() = 0;
  // Removes the draft (after publishing it, or to throw it away); false if none.
  virtual bool discardFormDraft(const std::string& formId) = 0;

  // --- saved reports (one per name) ---
  // Creates or replaces the report `report.name` (Invalid: empty name or
  // definition that is not a JSON object).
  virtual void saveReport(const SavedReportInfo& report, const Actor& who) = 0;
  virtual std::vector<SavedReportInfo> savedReports() = 0;  // by name
  virtual std::optional<SavedReportInfo> savedReport(const std::string& name) = 0;
  // false if there was none by that name.
  virtual bool deleteSavedReport(const std::string& name) = 0;

  // --- records ---
  // Saves `record` (new when revision==0) and returns the stored record. A
  // final record is validated first; on any error nothing is written and
  // `record` is untouched (it is const). Editing a final record needs
  // who.reason. Throws StoreError.
  virtual Record save(const Record& record, const Actor& who) = 0;
  // Saves several records in ONE transaction: all or nothing. Each record is
  // checked as by save() (validation, optimistic locking, a reason for final
  // records) and audited with who.reason (e.g. "migrated to v2"). Any
  // invalid record: StoreError Invalid listing every problem (field =
  // "<record id>: <field>"), nothing written.
  virtual std::vector<Record> saveBatch(const std::vector<Record>& records, const Actor& who,
                                        const BatchOptions& options = {}) = 0;
  // Tombstones a record (needs who.reason when it is final).
  virtual Record remove(const std::string& recordId, const Actor& who) = 0;
  virtual std::optional<Record> get(const std::string& recordId) = 0;
  virtual Page query(const RecordQuery& q) = 0;
  virtual std::map<RecordStatus, std::int64_t> countByStatus(const std::string& formId) = 0;
  // Person codes in use in the workspace (any form, records not deleted)
  // that start with `prefix`, sorted, at most `limit`: completion, so one
  // person's course is not split in two by a typo.
  virtual std::vector<std::string> personCodes(const std::string& prefix, int limit) = 0;
  // Makes sort/filter on `field` of `formId` fast (an index); idempotent.
  virtual void ensureFieldIndex(const std::string& formId, const std::string& field) = 0;

  // --- bulk ---
  // Validates every row and writes the valid ones in one transaction.
  // All-or-nothing unless options.skipInvalid: with any invalid row nothing
  // is committed and every bad row is listed in the result (committed =
  // false). Store problems (busy, disk full, ...) throw StoreError and
  // nothing is written either.
  virtual ImportResult importRecords(ImportSource& source, const Actor& who,
                                     const ImportOptions& options) = 0;
  // Streams every record of a form (all versions, creation order).
  virtual void forEachRecord(const std::string& formId, bool includeDeleted,
                             const std::function<void(const Record&)>& fn) = 0;
  // The same as text: no Record is built, the values stay JSON text. The
  // default goes through forEachRecord; a backend overrides it to skip
  // parsing (a million records: seconds less per report cache build).
  virtual void forEachRecordText(const std::string& formId, bool includeDeleted,
                                 const std::function<void(const RecordText&)>& fn);

  // --- audit ---
  virtual std::vector<AuditEntry> history(const std::string& recordId) = 0;
  virtual AuditVerifyResult verifyAudit() = 0;
  // The record as it was after audit row `atSeq` (0 = latest), rebuilt from
  // the audit log alone. Empty if it did not exist yet.
  virtual std::optional<Record> rebuildFromAudit(const std::string& recordId, std::int64_t atSeq = 0) = 0;
};

// Validation hook used for final records: returns per-field errors and may
// change `values` (calculations filled in, non-relevant values removed).
std::vector<FieldMessage> validateValues(const Form& form, nlohmann::json& values);
// validateValues() for many records of one form: the form's logic is
// compiled once and reused (stores keep one per form version). Not
// thread-safe: one per thread. `form` must outlive it.
class FormValidator {
 public:
  explicit FormValidator(const Form& form);
  ~FormValidator();
  FormValidator(const FormValidator&) = delete;
  FormValidator& operator=(const FormValidator&) = delete;
  std::vector<FieldMessage> validate(nlohmann::json& values);

 private:
  struct Impl;
  std::unique_ptr<Impl> d;
};
// True when the engine's validator is compiled in (expr/validate.h).
bool haveValidator();

// The value of the form's top-level person_code field in `values`, or "".
std::string personCodeOf(const Form& form, const nlohmann::json& values);

// Current UTC time as "YYYY-MM-DDTHH:MM:SS.mmmZ".
std::string utcNow();

// How far ahead of this computer's clock a given time (_created_at,
// _updated_at on import) may be: clocks of other machines drift.
constexpr int kClockToleranceSeconds = 300;
// `text` as the store's UTC time "YYYY-MM-DDTHH:MM:SS.mmmZ". Accepted: any
// date and time the expression language reads (expr::parseDateTime:
// "YYYY-MM-DD[T| ]HH:MM[:SS[.fraction]]") with a zone "Z", "+HH:MM",
// "+HHMM" or "+HH" (or "-"), converted to UTC and rounded to milliseconds.
// Without a zone it is refused: it could be local time or UTC. Empty
// optional and `error` set when it is not such a time or lies more than
// kClockToleranceSeconds after `now`.
std::optional<std::string> normaliseUtcTime(const std::string& text, std::chrono::system_clock::time_point now,
                                            std::string& error);

// checkUserName() as a string: why `name` cannot be a user name (a
// record's created_by/updated_by, an acting user), or "" when it can.
std::string userNameProblem(std::string_view name);

// Values of the wrong kind for their fields, which no further editing of a
// draft makes right: text, person code, date, time and choice fields hold a
// string; integer a whole number; decimal and range a number; calculated
// fields any single value; a repeat an array of objects that hold only the
// repeat's fields, checked the same way (so values are never nested deeper
// than the form's repeats). What an incomplete record may lack or get wrong
// later (required values, choice names, bounds, constraints) is not
// checked; "" and null are no value. Top-level names must already be known
// to be the form's (the store checks them first). Paths as the validator
// gives them, e.g. "people[2]/age".
std::vector<FieldMessage> valueKindProblems(const Form& form, const nlohmann::json& values);

}  // namespace skema::store
