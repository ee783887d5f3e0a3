// What changed between two versions of a form, and what that means for the
// records already entered (`skema forms diff`, the designer before
// publishing). Fields are matched by name, or by "renamed_from" in the newer
// version: a rename is only ever what the definition says, never guessed.
// See docs/designer.md.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "form/form.h"

namespace skema::store {
class Store;
}

namespace skema::design {

enum class ChangeKind {
  FormProperty,      // title, description, languages
  FieldAdded,
  FieldRemoved,
  FieldRenamed,      // renamed_from
  FieldMoved,        // to another group/repeat
  TypeChanged,
  ChoiceAdded,
  ChoiceRemoved,
  ChoiceRelabelled,  // same choice name, other label
  LogicChanged,      // relevant, constraint, calculation, default, choice_filter, required
  LabelChanged,      // label, hint, required_message, constraint_message
  PropertyChanged,   // appearance, read_only, sensitive, min, max, step, choices (list name)
};
const char* changeKindName(ChangeKind k);  // "field-added", ...

struct FieldChange {
  ChangeKind kind = ChangeKind::PropertyChanged;
  std::string field;     // name in the newer version (the old name for a removal)
  std::string oldField;  // name in the older version (differs for renames)
  std::string property;  // "label", "relevant", "type", "choices", "title", ...
  std::string choice;    // choice name (Choice* kinds)
  nlohmann::json before, after;  // old and new value (null = absent)

  // Impact on the older version's records (measureImpact); -1 = not measured.
  std::int64_t records = -1;   // records affected (e.g. that have the removed choice)
  std::int64_t failures = -1;  // values that would not convert (type changes)
  std::string impact;          // the sentence shown to the consultant

  std::string describe() const;  // one line, e.g. "choice `bar` removed from `place_type`"
};

struct FormDiff {
  std::string formId;
  int fromVersion = 0, toVersion = 0;
  std::int64_t recordsMeasured = -1;  // records of fromVersion looked at; -1 = none
  std::vector<FieldChange> changes;
  bool empty() const { return changes.empty(); }
  nlohmann::json toJson() const;
  std::string toText() const;  // the report printed by `skema forms diff`
};

// Which field of `from` each field of `to` continues: its renamed_from
// first, then the same name. New name -> old name.
std::map<std::string, std::string> matchFields(const Form& from, const Form& to);
// The same through the versions in between (`chain` runs from the older
// form to the newer, each step matched as above), so a field renamed in v2
// and again in v3 is traced from v1 to v3.
std::map<std::string, std::string> matchFields(const std::vector<const Form*>& chain);

// `matches` (from matchFields) replaces the direct matching, e.g. to diff
// two published versions that are not neighbours.
FormDiff diffForms(const Form& from, const Form& to, const std::map<std::string, std::string>* matches = nullptr);

// Fills records/failures/impact of each change from the records of
// `from`'s version in the workspace (deleted records are not counted).
void measureImpact(FormDiff& diff, const Form& from, const Form& to, store::Store& store);
// The same from a list of record values (tests, the designer's preview).
struct RecordValues {
  nlohmann::json values;
  bool final = true;
};
void measureImpact(FormDiff& diff, const Form& from, const Form& to, const std::vector<RecordValues>& records);

// Every value of field `name` in a record's values (repeats searched too).
std::vector<const nlohmann::json*> valuesOf(const nlohmann::json& values, const std::string& name);

// Converts a stored value from one field type to another (migration and the
// diff's impact). nullopt when it does not convert; `why` says why.
std::optional<nlohmann::json> convertValue(const nlohmann::json& v, FieldType from, FieldType to,
                                           std::string* why = nullptr);

}  // namespace skema::design
