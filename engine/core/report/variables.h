// The union of the variables of every version of a form, following renames
// (`renamed_from`): one Variable per logical field under its newest name.
// Used by reports, exports and codebooks (docs/reports.md); the designer's
// form diff/migration may reuse it.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "form/form.h"

namespace skema::store {
class Store;
}

namespace skema::report {

struct VarChoice {
  std::string name;
  LocalizedText label;        // from the newest version that has the choice
  std::vector<int> versions;  // versions whose list has it (ascending)
};

struct Variable {
  std::string name;                   // the name in the newest version that has it
  FieldType type = FieldType::Text;   // newest version's type
  LocalizedText label;                // newest version's label
  std::string choiceList;             // newest version's list name (selects)
  std::vector<VarChoice> choices;     // union of every version's choices (newest order first)
  bool sensitive = false;             // sensitive in any version
  std::string repeat;                 // newest name of the enclosing repeat; "" at top level
  std::vector<int> versions;          // versions it exists in (ascending)
  std::map<int, std::string> nameIn;  // version -> its name in that version
  int choiceIndex(const std::string& choiceName) const;  // -1 when not a choice
  // Older names (every name it had that differs from `name`).
  std::vector<std::string> formerNames() const;
};

struct FormVariables {
  std::string formId;
  std::vector<int> versions;          // ascending
  LocalizedText title;                // newest version's title
  // Value-holding fields and repeats (no groups or notes): the newest
  // version's fields in form order, then fields of older versions only.
  std::vector<Variable> vars;

  // By newest name or any former name; -1 when unknown.
  int find(const std::string& name) const;
  // The variable that field `fieldName` of `version` belongs to; -1 if none.
  int indexIn(int version, const std::string& fieldName) const;
  // Field name -> variable, per version.
  const std::unordered_map<std::string, int>* namesOf(int version) const;

  std::map<int, std::unordered_map<std::string, int>> byVersion;
};

// `forms`: every version of one form, in any order.
FormVariables unionVariables(const std::vector<std::shared_ptr<const Form>>& forms);
// Every published version of `formId` in `store` (NotFound when none).
FormVariables unionVariables(store::Store& store, const std::string& formId);

}  // namespace skema::report
