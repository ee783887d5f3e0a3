#include "fuzz_targets.h"

#include <algorithm>

#include "expr/evaluator.h"
#include "expr/form_logic.h"
#include "expr/parser.h"
#include "expr/regex.h"
#include "expr/validate.h"
#include "form/form_loader.h"

namespace skema::fuzz {

namespace {

// Every diagnostic says something and points inside the text (line 0:
// the whole file).
std::string checkDiagnostics(const Diagnostics& d, std::string_view text) {
  const int lines = 1 + static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  for (const auto& x : d.items()) {
    if (x.message.empty()) return "a diagnostic without a message: " + x.format();
    if (x.pos.line < 0 || x.pos.line > lines || x.pos.column < 0 || (x.pos.line > 0 && x.pos.column == 0))
      return "a diagnostic outside the text: " + x.format();
  }
  return "";
}

std::string firstError(const Diagnostics& d) {
  for (const auto& x : d.items())
    if (x.severity == Severity::Error) return x.format();
  return "(none)";
}

}  // namespace

std::string formLoaderCase(std::string_view text) {
  Diagnostics diags;
  auto form = loadForm(text, "fuzz.json", diags);
  if (auto e = checkDiagnostics(diags, text); !e.empty()) return e;
  if (form) {
    if (diags.hasErrors()) return "a form loaded with errors";
    // What a workspace stores is the canonical definition; it must load
    // again, the same.
    const std::string stored = form->definition.dump();
    Diagnostics again;
    auto reloaded = loadForm(stored, "stored", again);
    if (!reloaded) return "the stored definition does not load: " + firstError(again);
    if (reloaded->definition.dump() != stored) return "the stored definition changes when loaded again";
    // A new record through the form's logic, and the validation of a
    // final save.
    expr::FormLogic logic(*form);
    logic.reset();
    nlohmann::json values = logic.values();
    expr::validateRecord(*form, values);
  }
  ChoiceLibrary lib;
  Diagnostics choiceDiags;
  lib.loadText(std::string(text), "choices.json", choiceDiags);
  return checkDiagnostics(choiceDiags, text);
}

std::string expressionCase(std::string_view text) {
  using namespace expr;
  if (!text.empty() && text[0] == '\x01') {
    std::string_view rest = text.substr(1);
    size_t nul = rest.find('\0');
    std::string pattern(rest.substr(0, nul));
    std::string subject(nul == std::string_view::npos ? "" : rest.substr(nul + 1));
    std::string syntax = regexSyntaxError(pattern);
    try {
      regexSearch(subject, pattern);
      if (!syntax.empty()) return "an invalid pattern matched: " + syntax;
    } catch (const EvalError& e) {
      if (syntax.empty() && std::string_view(e.what()).find("invalid regular expression") != std::string_view::npos)
        return "a valid pattern was refused: " + std::string(e.what());
    }
    return "";
  }
  auto r = parse(text);
  if (!r.ok()) {
    // Errors point inside the text (or just past its end).
    if (r.error.column < 1 || static_cast<size_t>(r.error.column) > text.size() + 1)
      return "a parse error outside the text: column " + std::to_string(r.error.column);
    if (r.error.message.empty()) return "a parse error without a message";
    return "";
  }
  if (text.size() > kMaxExpressionLength) return "an expression over the length limit parsed";
  static VarTable* vars = [] {
    auto* v = new VarTable();
    v->set("a", Value::number(3));
    v->set("s", Value::string("red blue"));
    v->set("d", *parseDate("2020-02-28"));
    v->set("n", Value::nodeSet({Value::number(1), Value::string("x")}));
    v->set("long", Value::string(std::string(3000, 'a') + "b"));
    return v;
  }();
  auto errs = compile(*r.root, *vars);
  for (const auto& e : errs)
    if (e.message.empty() || e.column < 1 || static_cast<size_t>(e.column) > text.size() + 1)
      return "a compile error outside the text: column " + std::to_string(e.column);
  if (!errs.empty()) return "";
  try {
    Value v = evaluate(*r.root, *vars);
    (void)v.toString();
  } catch (const EvalError& e) {
    if (std::string_view(e.what()).empty()) return "an evaluation error without a message";
  }
  return "";
}

}  // namespace skema::fuzz
