// Migrating records from one published version of a form to a later one:
// an explicit, previewed plan, one transaction, one audit row per changed
// value with the reason "migrated to vN", and reversible from the audit log.
// Records are never migrated implicitly: by default they stay on the
// version they were entered under. See docs/designer.md and docs/cli.md.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/store.h"

namespace skema::design {

// The consultant's decisions (a JSON file, `skema migrate --plan FILE`):
// {
//   "choices":  {"place_kind": {"bar": "other"}},   field (new name) -> removed choice -> replacement ("" drops it)
//   "defaults": {"contact_channel": "visit"},       values for fields a record has no value for
//   "on_invalid": "skip" | "draft"                  a final record that is not valid under the new version:
//                                                   stays on its version (skip, the default) or is migrated
//                                                   as a draft to be completed (draft)
// }
// Renames need no plan: they follow "renamed_from" in the new version.
struct MigrationPlan {
  std::map<std::string, std::map<std::string, std::string>> choices;
  std::map<std::string, nlohmann::json> defaults;
  bool invalidToDraft = false;

  // Parses a plan; nullopt with `error` set when it is malformed.
  static std::optional<MigrationPlan> fromJson(const nlohmann::json& j, std::string* error);
};

struct ValueChange {
  std::string field;  // path in the new version, e.g. "persons[2]/topics"
  std::optional<nlohmann::json> before, after;  // absent = no value
  std::string note;   // "renamed from place_type", "choice bar -> other", "field removed", ...
};

struct RecordMigration {
  store::Record before;     // as stored now
  store::Record after;      // what would be saved (version, status, values)
  bool migrate = false;     // false: the record stays on its version
  bool reopened = false;    // a final record that becomes a draft (on_invalid: draft)
  std::vector<ValueChange> changes;
  std::vector<std::string> problems;  // why it stays (or why it was reopened)
};

struct MigrationReport {
  std::string formId;
  int toVersion = 0;
  std::vector<RecordMigration> records;  // every record of an older version (not deleted)
  int migrating = 0, staying = 0, reopened = 0, unchanged = 0;
  bool committed = false;
  std::string reason;                    // "migrated to vN"

  // The summary and, with `verbose`, every record's changes.
  std::string toText(bool verbose) const;
  nlohmann::json toJson() const;
};

// The reason recorded in the audit log for a migration to `version`.
std::string migrationReason(int version);

// Works out what a migration of `formId` to `toVersion` would do (changes
// nothing). Records on versions below `toVersion` (only `fromVersion` when
// given) go through each version step in turn. Throws StoreError NotFound
// for an unknown form version.
MigrationReport planMigration(store::Store& store, const std::string& formId, int toVersion,
                              const MigrationPlan& plan, std::optional<int> fromVersion = {});
// Saves the migrating records of `report` in one transaction (saveBatch),
// audited with migrationReason(). Sets report.committed.
void runMigration(store::Store& store, MigrationReport& report, const std::string& user);

// Undoing a migration to `toVersion`: every record whose last change was that
// migration returns to its version, status and values before it (rebuilt
// from the audit log). A record edited after the migration is not touched
// and listed as a problem.
struct RevertReport {
  std::string formId;
  int toVersion = 0;
  std::vector<RecordMigration> records;  // before = now, after = restored
  int reverting = 0, refused = 0;
  bool committed = false;
  std::string toText(bool verbose) const;
};
RevertReport planRevert(store::Store& store, const std::string& formId, int toVersion);
void runRevert(store::Store& store, RevertReport& report, const std::string& user);

// One version step of a record's values: from form `a` to form `b` (renames,
// type conversions, choice mapping, plan defaults). Problems that stop the
// record from migrating go to `problems`.
nlohmann::json migrateValues(const Form& a, const Form& b, const nlohmann::json& values, const MigrationPlan& plan,
                             std::vector<ValueChange>& changes, std::vector<std::string>& problems);

}  // namespace skema::design
