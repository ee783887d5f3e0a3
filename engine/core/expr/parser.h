// Parser for XLSForm/ODK expressions: `${name}` references, `.` (the current
// value), numbers, 'single' and "double" quoted strings, + - * div mod,
// unary minus, = != < <= > >=, and, or, parentheses and function calls
// (`count-selected(...)`, `jr:choice-name(...)`). Errors carry the 1-based
// column of the offending character.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "expr/value.h"

namespace skema::expr {

struct FunctionDef;

enum class NodeKind : unsigned char {
  Literal,  // number or string
  Ref,      // ${name}
  Current,  // .
  Parent,   // .. (only meaningful as position(..))
  Name,     // a bare name: a choice attribute in choice_filter
  Neg,      // unary minus
  Binary,   // arithmetic and comparison
  And,
  Or,
  Call,     // function call
};

enum class BinOp : unsigned char { Add, Sub, Mul, Div, Mod, Eq, Ne, Lt, Le, Gt, Ge };
const char* binOpText(BinOp op);

// How a ${ref} is read at evaluation time (filled by compile()).
struct RefBinding {
  enum Kind : unsigned char { Unresolved, Slot, NodeSet, Var } kind = Unresolved;
  int field = -1;   // field index in the compiled form
  int depth = 0;    // Slot: the scope depth the value lives at
  int slot = -1;    // Slot/Var: index within that scope / the variable table
};

struct Node {
  NodeKind kind = NodeKind::Literal;
  BinOp op = BinOp::Add;
  int column = 1;               // 1-based position in the expression text
  Value literal;                // Literal
  std::string name;             // Ref/Name: the name; Call: the function name
  std::vector<Node> args;       // operands / arguments
  // Filled by compile():
  RefBinding ref;
  std::shared_ptr<const FunctionDef> fn;  // Call to a registry function
  int special = 0;                        // Call to a built-in special form (if, once, ...)
  const void* data = nullptr;             // special-form data (e.g. a ChoiceList*)
};

struct ParseError {
  int column = 1;
  std::string message;
};

struct ParseResult {
  std::optional<Node> root;
  ParseError error;  // when !root
  bool ok() const { return root.has_value(); }
};

// Limits (docs/expressions.md, "Limits"): longer texts and taller trees are
// refused with a parse error, so that nothing that walks a parsed tree
// (compiling, evaluating, the checker) can run out of stack.
constexpr size_t kMaxExpressionLength = 10000;  // bytes
constexpr int kMaxExpressionDepth = 500;        // height of the tree

ParseResult parse(std::string_view text);

// Every ${name} in the tree, with its column, in source order.
void collectRefs(const Node& n, std::vector<const Node*>& out);

}  // namespace skema::expr
