// The SQLite implementation of Store: one workspace = one SQLite file
// (default extension .skema). Schema and guarantees: docs/store.md.
#pragma once
#include <memory>
#include <string>

#include "store/store.h"

namespace skema::store {

// `application_id` of a Skema workspace ("SKMA").
constexpr int kApplicationId = 0x534B4D41;
// Schema version this build writes (PRAGMA user_version); older workspaces
// are migrated on open, newer ones refused.
constexpr int kSchemaVersion = 7;

struct OpenOptions {
  int busyTimeoutMs = 5000;      // wait this long for another writer, then Busy
  long long maxPageCount = 0;    // > 0: cap the file size (tests: disk full)
  long long cacheSizeKiB = 65536;
};

class SqliteStore final : public Store {
 public:
  // Creates a new, empty workspace at `path`. Refuses (Exists) if anything
  // is there already: creating is always explicit.
  static std::unique_ptr<SqliteStore> create(const std::string& path, const OpenOptions& o = {});
  // Opens an existing workspace. Never creates a file; a file that is not a
  // workspace, is damaged, newer or missing gives a StoreError and is left
  // exactly as it was. A workspace that cannot be written (the file or its
  // folder) is opened for reading: readOnly() says so and writes give
  // ReadOnly.
  static std::unique_ptr<SqliteStore> open(const std::string& path, const OpenOptions& o = {});
  ~SqliteStore() override;

  PublishResult publishForm(const Form& form, const Actor& who) override;
  std::vector<FormVersionInfo> formVersions(const std::string& formId = {}) override;
  std::shared_ptr<const Form> form(const std::string& formId, int version) override;
  std::optional<int> latestFormVersion(const std::string& formId) override;
  bool adoptForm(const std::shared_ptr<const Form>& form) override;

  void saveFormDraft(const FormDraftInfo& draft, const Actor& who) override;
  std::optional<FormDraftInfo> formDraft(const std::string& formId) override;
  std::vector<FormDraftInfo> formDrafts() override;
  bool discardFormDraft(const std::string& formId) override;

  void saveReport(const SavedReportInfo& report, const Actor& who) override;
  std::vector<SavedReportInfo> savedReports() override;
  std::optional<SavedReportInfo> savedReport(const std::string& name) override;
  bool deleteSavedReport(const std::string& name) override;

  Record save(const Record& record, const Actor& who) override;
  std::vector<Record> saveBatch(const std::vector<Record>& records, const Actor& who,
                                const BatchOptions& options = {}) override;
  Record remove(const std::string& recordId, const Actor& who) override;
  std::optional<Record> get(const std::string& recordId) override;
  Page query(const RecordQuery& q) override;
  std::map<RecordStatus, std::int64_t> countByStatus(const std::string& formId) override;
  std::vector<std::string> personCodes(const std::string& prefix, int limit) override;
  void ensureFieldIndex(const std::string& formId, const std::string& field) override;

  ImportResult importRecords(ImportSource& source, const Actor& who, const ImportOptions& options) override;
  void forEachRecord(const std::string& formId, bool includeDeleted,
                     const std::function<void(const Record&)>& fn) override;
  void forEachRecordText(const std::string& formId, bool includeDeleted,
                         const std::function<void(const RecordText&)>& fn) override;

  std::vector<AuditEntry> history(const std::string& recordId) override;
  AuditVerifyResult verifyAudit() override;
  std::optional<Record> rebuildFromAudit(const std::string& recordId, std::int64_t atSeq = 0) override;

  const std::string& path() const;
  bool readOnly() const;
  // Runs PRAGMA integrity_check; "ok" when the file is sound.
  std::string integrityCheck();
  // Refreshes the query planner's statistics (after big imports).
  void optimize();

 private:
  struct Impl;
  explicit SqliteStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> d;
};

}  // namespace skema::store
