// The form's logic: every expression of a form compiled once, references
// resolved, the dependency graph built. Owned by the expression language.
//
// FormLogic also holds a record's state (values, relevance, validity) and
// re-evaluates incrementally: setValue() re-evaluates only what depends on
// the changed field, in a precomputed topological order, and returns what
// changed. Used by the form renderer (every keystroke) and by
// validateRecord() (record store, on save).
//
// Semantics: a field that is not relevant reads as '' in every expression
// (as JavaRosa); a failing relevant counts as relevant, a failing
// constraint as not satisfied, a failing calculation as ''. Constraints are
// only checked on non-empty values, required only on relevant fields.
// Not thread-safe: use one FormLogic per thread (compiling is cheap).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "expr/evaluator.h"
#include "expr/parser.h"
#include "form/form.h"

namespace skema::expr {

// Checks every expression in `form` (syntax, unknown field references,
// calculation cycles) and reports problems with file:line:col.
void checkFormLogic(const Form& form, Diagnostics& diags);

// One problem in a form's logic.
struct LogicError {
  int field = -1;         // field index (-1 for form-wide problems)
  std::string property;   // "relevant", "constraint", "calculation", "required", "default", "choice_filter"
  int column = 0;         // 1-based column in the expression (0 = whole expression)
  std::string message;    // e.g. "unknown field ${agee}; did you mean ${age}?"
};

// 0-based instance number for each enclosing repeat, outermost first; empty
// for fields outside repeats.
using InstancePath = std::vector<int>;

enum class Validity : unsigned char { Ok = 0, Required = 1, Constraint = 2 };

struct Change {
  enum Kind : unsigned char { Value, Relevance, Validity } kind = Value;
  int field = -1;
  InstancePath instance;
};

// Converts a record's JSON value to an expression value for a field of `type`
// (dates become date values, numbers numbers, missing/null "").
expr::Value valueFromJson(const nlohmann::json& v, FieldType type);
// And back: numbers as JSON numbers (NaN/Infinity as strings), booleans as
// "true"/"false", dates/times as their ISO strings.
nlohmann::json valueToJson(const expr::Value& v);

class FormLogic {
 public:
  // Compiles every expression of `form` (which must outlive this object).
  explicit FormLogic(const Form& form, const FunctionRegistry* functions = nullptr);
  ~FormLogic();
  FormLogic(const FormLogic&) = delete;
  FormLogic& operator=(const FormLogic&) = delete;

  const Form& form() const { return m_form; }
  bool ok() const { return m_errors.empty(); }
  const std::vector<LogicError>& errors() const { return m_errors; }

  // Fields, depth first in form order (groups and repeats included).
  int fieldCount() const { return static_cast<int>(m_fields.size()); }
  int fieldIndex(const std::string& name) const;  // -1 when unknown
  const Field& field(int index) const;

  // ---- record state
  // Starts an empty record: defaults applied, everything evaluated.
  void reset();
  // Loads a record's values (field name -> value; repeats as arrays of
  // objects), without defaults, and evaluates everything.
  void load(const nlohmann::json& values);
  // Re-evaluates every expression in every instance.
  void evaluateAll();

  // Sets a field's value and re-evaluates what depends on it. Returns the
  // fields whose value, relevance or validity changed (the field itself
  // included when its validity changed). Unknown field/instance: no-op.
  std::vector<Change> setValue(int field, const Value& value, const InstancePath& instance = {});
  std::vector<Change> setValue(const std::string& name, const Value& value, const InstancePath& instance = {});

  // Repeats: `repeatField` is the repeat's field index; `parent` the
  // instance path of the repeat itself (empty for a top-level repeat).
  int repeatCount(int repeatField, const InstancePath& parent = {}) const;
  // Appends an instance (defaults applied) and re-evaluates; returns its index.
  int addRepeatInstance(int repeatField, const InstancePath& parent = {});
  void removeRepeatInstance(int repeatField, int index, const InstancePath& parent = {});

  Value value(int field, const InstancePath& instance = {}) const;
  // Relevant when its own relevant expression and every enclosing group's is true.
  bool isRelevant(int field, const InstancePath& instance = {}) const;
  Validity validity(int field, const InstancePath& instance = {}) const;
  // Whether the field is required now (required expression true).
  bool isRequired(int field, const InstancePath& instance = {}) const;
  // Choices of a select that pass its choice_filter (all when there is none).
  std::vector<const Choice*> visibleChoices(int field, const InstancePath& instance = {}) const;

  // The record's values as JSON (relevant, non-empty values only; repeats
  // as arrays of objects).
  nlohmann::json values() const;

  // The number of graph nodes re-evaluated when `field` changes (for tests and benches).
  size_t dependentCount(int field) const;

  std::string lang = "en";  // language for jr:choice-name

  struct Impl;

 private:
  const Form& m_form;
  std::vector<const Field*> m_fields;
  std::vector<LogicError> m_errors;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace skema::expr
