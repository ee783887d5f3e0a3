// The function table of the expression language. Every function is an
// entry with a name, an arity range and a callable; the built-ins (ODK's
// XForms function list) are registered under the owner "core". Plugins
// register their own under their plugin id and are removed together with
// unregisterOwner(id) before the plugin is unloaded.
//
// Compiled expressions hold a shared_ptr to the entry they call, so an
// expression compiled before a plugin was unloaded stays valid; recompile
// forms to pick up registry changes.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "expr/parser.h"
#include "expr/value.h"

namespace skema {
struct ChoiceList;
}

namespace skema::expr {

// A run-time error (bad regex, unknown digest algorithm, ...).
struct EvalError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// What an expression is evaluated against: the record (refs), the current
// value (`.`), a choice (bare names in choice_filter), the language for
// jr:choice-name. Implemented by FormLogic, by variable tables (skema eval)
// and by tests.
class EvalContext {
 public:
  virtual ~EvalContext() = default;
  virtual Value ref(const Node& n) const;        // a resolved ${name}
  virtual Value current() const;                 // `.`; "" by default
  virtual Value name(const Node& n) const;       // a bare name (choice_filter)
  virtual int position() const { return 0; }     // position(..): 1-based repeat instance
  // Choice list of a field, for jr:choice-name when the field is not known at compile time.
  virtual const ChoiceList* choicesOf(const std::string& fieldName) const;
  // The value a once() expression keeps: the field's current value.
  virtual Value onceValue() const { return current(); }
  std::string lang = "en";
};

struct CallContext {
  const EvalContext& ctx;
};

using Function = std::function<Value(const CallContext&, std::span<const Value> args)>;

struct FunctionDef {
  std::string name;    // as written in expressions, e.g. "count-selected"
  int minArgs = 0;
  int maxArgs = 0;     // -1 = no upper limit
  Function fn;
  std::string owner;   // "core" for built-ins, else the plugin id
  bool isVolatile = false;  // gives a new value each call (now(), uuid())
};

// "function selected() takes 2 arguments, got 1"
std::string arityMessage(const std::string& name, int minArgs, int maxArgs, int got);

class FunctionRegistry {
 public:
  // An empty registry.
  FunctionRegistry() = default;
  // The process-wide registry with the built-ins, used by default.
  static FunctionRegistry& global();
  // Adds the ODK built-ins (owner "core").
  void addBuiltins();

  // False when the name is already taken (by any owner).
  bool add(FunctionDef def);
  // Removes every function `owner` registered; returns how many.
  int unregisterOwner(const std::string& owner);
  bool remove(const std::string& name);
  std::shared_ptr<const FunctionDef> find(const std::string& name) const;
  std::vector<std::string> names() const;
  // Changes whenever a function is added or removed: what was checked
  // against the registry (a form's expressions) may need checking again.
  unsigned generation() const;

 private:
  mutable std::mutex m_mutex;
  unsigned m_generation = 0;
  std::map<std::string, std::shared_ptr<const FunctionDef>> m_functions;
};

// Built-in special forms handled by the evaluator itself (lazy or
// context-bound): if, once, jr:choice-name, position. Returns their arity.
bool isSpecialForm(const std::string& name, int& minArgs, int& maxArgs);

// Helpers shared with plugins and tests.
std::vector<std::string> splitSelected(const std::string& s);  // space-separated names
std::string digest(const std::string& data, const std::string& algorithm,
                   const std::string& encoding, std::string& error);
std::string formatDateValue(const Value& v, const std::string& format, bool withTime);

}  // namespace skema::expr
