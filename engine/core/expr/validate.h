// Record validation for the record store (on save): types, required,
// constraints, calculations, relevance.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "form/form.h"

namespace skema::expr {

struct FieldError {
  // The field's path; inside repeats with 1-based instance numbers,
  // e.g. "people[2]/age".
  std::string field;
  std::string message;
};

// Validates `values` (field name -> value; repeats as arrays of objects)
// against `form`:
//  - types: integer is integral, decimal/range numbers, date/time/datetime
//    parse, select_one/select_multiple values exist in the choice list,
//    numbers within min/max;
//  - required (always or an expression): message = the field's
//    requiredMessage in `lang`, else "required";
//  - constraints (only on non-empty values): message = constraintMessage in
//    `lang`, else "value does not satisfy constraint: <expr>";
// and modifies `values`: calculations are written into it and the values of
// non-relevant fields (inside repeats too; a non-relevant group or repeat
// drops everything in it) are removed. Only relevant fields are checked.
// An empty result means the record is valid.
std::vector<FieldError> validateRecord(const Form& form, nlohmann::json& values, const std::string& lang = "en");

class FormLogic;

// validateRecord() for many records of one form: the form's logic is
// compiled once (the constructor) and reused by every validate() call, which
// does exactly what validateRecord() does. Compiling costs about as much as
// validating a few records, so the store keeps one per form version. Not
// thread-safe (it holds a record's state): one per thread. `form` must
// outlive it.
class RecordValidator {
 public:
  // allowStatic: a form without expressions is checked without FormLogic
  // (same results, several times faster); false forces FormLogic (tests).
  explicit RecordValidator(const Form& form, std::string lang = "en", bool allowStatic = true);
  ~RecordValidator();
  RecordValidator(const RecordValidator&) = delete;
  RecordValidator& operator=(const RecordValidator&) = delete;

  const Form& form() const { return m_form; }
  // False when the form has no expressions and is checked without FormLogic.
  bool usesFormLogic() const { return !m_static; }
  std::vector<FieldError> validate(nlohmann::json& values);

 private:
  const Form& m_form;
  std::string m_lang;
  std::unique_ptr<FormLogic> m_logic;
  bool m_static = false;
};

}  // namespace skema::expr
