// libFuzzer target: parse, compile and evaluate arbitrary expression text.
// Built and run by scripts/fuzz.sh (see docs/testing.md, "Fuzzing").
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "expr/evaluator.h"
#include "expr/parser.h"

using namespace skema::expr;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto r = parse(text);
  if (!r.ok()) {
    // Errors must point inside the text (or just past its end).
    if (r.error.column < 1 || static_cast<size_t>(r.error.column) > size + 1) __builtin_trap();
    if (r.error.message.empty()) __builtin_trap();
    return 0;
  }
  static VarTable* vars = [] {
    auto* v = new VarTable();
    v->set("a", Value::number(3));
    v->set("s", Value::string("red blue"));
    v->set("d", *parseDate("2020-02-28"));
    v->set("n", Value::nodeSet({Value::number(1), Value::string("x")}));
    return v;
  }();
  auto errs = compile(*r.root, *vars);
  if (!errs.empty()) return 0;
  // std::regex backtracks exponentially on some patterns (as Java's does in
  // ODK); that is not what this target looks for, so regex() is parsed and
  // compiled but not run.
  if (text.find("regex") != std::string_view::npos) return 0;
  try {
    Value v = evaluate(*r.root, *vars);
    (void)v.toString();
  } catch (const EvalError&) {
  }
  return 0;
}
