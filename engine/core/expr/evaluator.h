// Compiling (resolving references and functions in a parsed tree) and
// evaluating expressions with ODK's XPath 1.0 semantics.
#pragma once
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "expr/functions.h"
#include "expr/parser.h"
#include "expr/value.h"

namespace skema {
struct ChoiceList;
}

namespace skema::expr {

struct CompileError {
  int column = 1;
  std::string message;
};

// Resolves names while compiling.
class CompileEnv {
 public:
  virtual ~CompileEnv() = default;
  // Binds ${name}; on failure returns false with a message such as
  // "unknown field ${agee}; did you mean ${age}?".
  virtual bool resolveRef(const std::string& name, RefBinding& out, std::string& error) const = 0;
  // Whether bare names (choice attributes in choice_filter) are allowed.
  virtual bool allowNames() const { return false; }
  // The choice list of a select field (for jr:choice-name), or null.
  virtual const ChoiceList* choicesOfField(const std::string& name) const;
  const FunctionRegistry* functions = nullptr;  // null = FunctionRegistry::global()
};

// Resolves every reference and function call in `root` in place. Returns
// every problem found (empty = compiled).
std::vector<CompileError> compile(Node& root, const CompileEnv& env);

// Evaluates a compiled tree. Throws EvalError on run-time errors.
Value evaluate(const Node& n, const EvalContext& ctx);

// XPath comparison (= != < <= > >=) with ODK's date handling.
bool compareValues(BinOp op, const Value& a, const Value& b);
// The ODK type name used by `skema eval --type` and the batch output.
const char* resultTypeName(const Value& v);

// "did you mean" helper: the closest candidate within a small edit distance, or "".
std::string closestName(const std::string& name, const std::vector<std::string>& candidates);
// "unknown field ${agee}; did you mean ${age}?"
std::string unknownFieldMessage(const std::string& name, const std::vector<std::string>& candidates);

// Whether the tree calls a volatile function (now(), today(), uuid()).
bool callsVolatile(const Node& n);

// A table of named values: the environment of `skema eval` and of tests.
// ${name} reads a variable; `.` reads the variable named ".".
class VarTable : public CompileEnv, public EvalContext {
 public:
  void set(const std::string& name, Value v);
  void clear() { m_index.clear(); m_values.clear(); }
  // When set, references must name one of these (else "unknown field");
  // variables not set evaluate to "" (unanswered).
  void setKnownNames(std::vector<std::string> names) { m_known = std::move(names); m_strict = true; }
  // Choice lists by field name, for jr:choice-name.
  void setChoices(std::map<std::string, const ChoiceList*> lists) { m_choices = std::move(lists); }

  bool resolveRef(const std::string& name, RefBinding& out, std::string& error) const override;
  const ChoiceList* choicesOfField(const std::string& name) const override;
  Value ref(const Node& n) const override;
  Value current() const override;
  const ChoiceList* choicesOf(const std::string& fieldName) const override { return choicesOfField(fieldName); }

 private:
  std::map<std::string, int> m_index;
  std::vector<Value> m_values;
  std::vector<std::string> m_known;
  bool m_strict = false;
  std::map<std::string, const ChoiceList*> m_choices;
};

struct EvalResult {
  bool ok = false;
  Value value;
  std::string error;  // "column 5: unknown function foo()" style when !ok
  int column = 0;     // 0 for run-time errors
};

// Parses, compiles and evaluates `text` against `vars`.
EvalResult evaluateText(std::string_view text, VarTable& vars);

}  // namespace skema::expr
