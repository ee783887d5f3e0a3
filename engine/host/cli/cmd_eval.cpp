// skema eval 'EXPR' [--var name=value ...] [--form FILE] [--type] [--lang LANG]
// skema eval --batch FILE|- [--form FILE] [--lang LANG]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "expr/evaluator.h"
#include "expr/form_logic.h"
#include "form/form_loader.h"

namespace skema::cli {

namespace {

using expr::Value;

const char* kUsageText =
    "usage: skema eval 'EXPR' [--var name=value ...] [--form FILE] [--type] [--lang LANG]\n"
    "       skema eval --batch FILE|- [--form FILE] [--lang LANG]\n";

struct FormEnv {
  std::optional<Form> form;
  std::map<std::string, FieldType> types;
};

// Sets up `vars` for the form: known names, choices for jr:choice-name.
void prepare(expr::VarTable& vars, const FormEnv& env) {
  if (!env.form) return;
  std::vector<std::string> names;
  std::map<std::string, const ChoiceList*> lists;
  env.form->forEachField([&](const Field& f) {
    names.push_back(f.name);
    if (isSelect(f.type))
      if (const auto* l = env.form->findChoices(f.choices)) lists[f.name] = l;
  });
  vars.setKnownNames(std::move(names));
  vars.setChoices(std::move(lists));
}

// A value given on the command line: a number if it parses fully as one,
// else a string; typed per field when a form says what the field is.
Value cliValue(const std::string& name, const std::string& text, const FormEnv& env) {
  auto it = env.types.find(name);
  if (it != env.types.end()) {
    FieldType t = it->second;
    if (t == FieldType::Date || t == FieldType::DateTime || t == FieldType::Time)
      return expr::valueFromJson(nlohmann::json(text), t);
  }
  double d = expr::stringToNumber(text);
  if (!text.empty() && !std::isnan(d) && text.find_first_of(" \t\n") == std::string::npos) return Value::number(d);
  return Value::string(text);
}

Value jsonVar(const std::string& name, const nlohmann::json& j, const FormEnv& env) {
  if (j.is_array()) {
    std::vector<Value> items;
    for (const auto& e : j) items.push_back(jsonVar(name, e, env));
    return Value::nodeSet(std::move(items));
  }
  auto it = env.types.find(name);
  return expr::valueFromJson(j, it == env.types.end() ? FieldType::Text : it->second);
}

nlohmann::json resultJson(const Value& v) {
  nlohmann::json out = nlohmann::json::object();
  Value shown = v.type == expr::Type::NodeSet ? Value::string(v.toString()) : v;
  switch (shown.type) {
    case expr::Type::Boolean: out["value"] = shown.toBoolean(); break;
    case expr::Type::Number: out["value"] = expr::valueToJson(shown); break;
    default: out["value"] = shown.toString(); break;
  }
  out["type"] = expr::resultTypeName(v);
  return out;
}

int runBatch(const std::string& file, const FormEnv& env, const std::string& lang) {
  std::ifstream in;
  std::istream* src = &std::cin;
  if (file != "-") {
    in.open(file);
    if (!in) {
      std::fprintf(stderr, "skema eval: cannot read %s\n", file.c_str());
      return kIoError;
    }
    src = &in;
  }
  std::string line;
  int lineNo = 0;
  while (std::getline(*src, line)) {
    ++lineNo;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    nlohmann::json out;
    try {
      auto j = nlohmann::json::parse(line);
      if (!j.is_object() || !j.contains("expr") || !j["expr"].is_string())
        throw std::runtime_error("each line must be an object with \"expr\" (a string)");
      expr::VarTable vars;
      vars.lang = lang;
      prepare(vars, env);
      if (auto it = j.find("vars"); it != j.end()) {
        if (!it->is_object()) throw std::runtime_error("\"vars\" must be an object");
        for (const auto& [k, v] : it->items()) {
          if (v.is_object()) throw std::runtime_error("variable " + k + ": objects are not values");
          vars.set(k, jsonVar(k, v, env));
        }
      }
      auto r = expr::evaluateText(j["expr"].get<std::string>(), vars);
      out = r.ok ? resultJson(r.value) : nlohmann::json{{"error", r.error}};
    } catch (const nlohmann::json::exception& e) {
      out = {{"error", "line " + std::to_string(lineNo) + ": invalid JSON: " + e.what()}};
    } catch (const std::exception& e) {
      out = {{"error", "line " + std::to_string(lineNo) + ": " + e.what()}};
    }
    std::string s = out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    std::fwrite(s.data(), 1, s.size(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
  }
  return kOk;
}

}  // namespace

int evalCommand(const Args& args) {
  std::string exprText, batch, formFile, lang = "en";
  bool haveExpr = false, showType = false;
  std::vector<std::pair<std::string, std::string>> varArgs;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto needValue = [&](const char* opt) -> const std::string* {
      if (i + 1 >= args.size()) {
        std::fprintf(stderr, "skema eval: %s needs a value\n%s", opt, kUsageText);
        return nullptr;
      }
      return &args[++i];
    };
    if (a == "--var") {
      const std::string* v = needValue("--var");
      if (!v) return kUsage;
      auto eq = v->find('=');
      if (eq == std::string::npos || eq == 0) {
        std::fprintf(stderr, "skema eval: --var takes name=value, got '%s'\n", v->c_str());
        return kUsage;
      }
      varArgs.emplace_back(v->substr(0, eq), v->substr(eq + 1));
    } else if (a == "--form") {
      const std::string* v = needValue("--form");
      if (!v) return kUsage;
      formFile = *v;
    } else if (a == "--batch") {
      const std::string* v = needValue("--batch");
      if (!v) return kUsage;
      batch = *v;
    } else if (a == "--lang") {
      const std::string* v = needValue("--lang");
      if (!v) return kUsage;
      lang = *v;
    } else if (a == "--type") {
      showType = true;
    } else if (a == "--help" || a == "-h") {
      std::fputs(kUsageText, stdout);
      return kOk;
    } else if (!haveExpr && (a.empty() || a[0] != '-' || a.size() == 1 || (a[1] >= '0' && a[1] <= '9') || a[1] == ' ' || a[1] == '(' || a[1] == '$')) {
      exprText = a;
      haveExpr = true;
    } else if (!haveExpr && a.rfind("--", 0) != 0) {
      exprText = a;  // an expression starting with '-', e.g. "-x"
      haveExpr = true;
    } else {
      std::fprintf(stderr, "skema eval: unexpected argument '%s'\n%s", a.c_str(), kUsageText);
      return kUsage;
    }
  }
  if (haveExpr == !batch.empty()) {
    std::fputs(kUsageText, stderr);
    return kUsage;
  }

  FormEnv env;
  if (!formFile.empty()) {
    Diagnostics diags;
    env.form = loadFormFile(formFile, diags);
    diags.sort();
    for (const auto& d : diags.items()) std::fprintf(stderr, "%s\n", d.format().c_str());
    if (!env.form) {
      std::fprintf(stderr, "skema eval: cannot use form %s\n", formFile.c_str());
      return diags.items().empty() ? kIoError : kFailed;
    }
    env.form->forEachField([&](const Field& f) { env.types[f.name] = f.type; });
  }

  if (!batch.empty()) return runBatch(batch, env, lang);

  expr::VarTable vars;
  vars.lang = lang;
  prepare(vars, env);
  for (const auto& [k, v] : varArgs) vars.set(k, cliValue(k, v, env));
  auto r = expr::evaluateText(exprText, vars);
  if (!r.ok) {
    std::fprintf(stderr, "skema eval: %s\n", r.error.c_str());
    if (r.column > 0) {
      // A long expression is shown around the column only.
      constexpr size_t kSide = 60;
      const size_t at = std::min(static_cast<size_t>(r.column - 1), exprText.size());
      const size_t from = at > kSide ? at - kSide : 0;
      const size_t to = std::min(exprText.size(), at + kSide);
      const std::string shown = (from > 0 ? "..." : "") + exprText.substr(from, to - from) +
                                (to < exprText.size() ? "..." : "");
      const int caret = static_cast<int>(at - from + (from > 0 ? 3 : 0));
      std::fprintf(stderr, "  %s\n  %*s^\n", shown.c_str(), caret, "");
    }
    return kFailed;
  }
  if (showType)
    std::printf("%s (%s)\n", r.value.toString().c_str(), expr::resultTypeName(r.value));
  else
    std::printf("%s\n", r.value.toString().c_str());
  return kOk;
}

}  // namespace skema::cli
