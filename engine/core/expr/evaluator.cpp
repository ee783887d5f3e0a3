#include "expr/evaluator.h"

#include <algorithm>
#include <cmath>

#include "expr/regex.h"
#include "form/form.h"

namespace skema::expr {

namespace {
enum Special { kNone = 0, kIf = 1, kOnce = 2, kChoiceName = 3, kPosition = 4 };

int specialId(const std::string& n) {
  if (n == "if") return kIf;
  if (n == "once") return kOnce;
  if (n == "jr:choice-name") return kChoiceName;
  if (n == "position") return kPosition;
  return kNone;
}

// Optimal string alignment distance: a swap of two neighbours counts as one edit.
size_t editDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> pp(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) cur[j] = std::min(cur[j], pp[j - 2] + 1);
    }
    std::swap(pp, prev);
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string stripRef(std::string s) {
  if (s.size() > 3 && s.compare(0, 2, "${") == 0 && s.back() == '}') return s.substr(2, s.size() - 3);
  return s;
}

struct Compiler {
  const CompileEnv& env;
  const FunctionRegistry& reg;
  std::vector<CompileError> errors;

  void err(int col, std::string msg) { errors.push_back({col, std::move(msg)}); }

  // A pattern written in the expression is checked now, not on every save.
  void checkRegexLiteral(const Node& n) {
    if (!n.fn || n.fn->owner != "core" || n.name != "regex" || n.args.size() != 2) return;
    const Node& pattern = n.args[1];
    if (pattern.kind != NodeKind::Literal || !pattern.literal.isString()) return;
    if (std::string e = regexSyntaxError(pattern.literal.str); !e.empty()) err(pattern.column, "regex: " + e);
  }

  void run(Node& n) {
    switch (n.kind) {
      case NodeKind::Ref: {
        std::string e;
        if (!env.resolveRef(n.name, n.ref, e)) err(n.column, e);
        break;
      }
      case NodeKind::Name:
        if (!env.allowNames()) {
          if (n.name == "true" || n.name == "false")
            err(n.column, "'" + n.name + "' is not a value here; write " + n.name + "()");
          else
            err(n.column, "unexpected name '" + n.name + "'; to use a field write ${" + n.name + "}");
        }
        break;
      case NodeKind::Parent:
        err(n.column, "'..' can only be used as position(..)");
        break;
      case NodeKind::Call: {
        int mn, mx;
        if (isSpecialForm(n.name, mn, mx)) {
          n.special = specialId(n.name);
        } else {
          n.fn = reg.find(n.name);
          if (!n.fn) {
            std::vector<std::string> names = reg.names();
            for (const char* s : {"if", "once", "jr:choice-name", "position"}) names.emplace_back(s);
            std::string best = closestName(n.name, names);
            err(n.column, "unknown function " + n.name + "()" + (best.empty() ? "" : "; did you mean " + best + "()?"));
            for (auto& a : n.args) run(a);
            return;
          }
          mn = n.fn->minArgs;
          mx = n.fn->maxArgs;
        }
        int got = static_cast<int>(n.args.size());
        if (got < mn || (mx >= 0 && got > mx)) err(n.column, arityMessage(n.name, mn, mx, got));
        checkRegexLiteral(n);
        if (n.special == kPosition) {
          if (!n.args.empty() && n.args[0].kind != NodeKind::Parent)
            err(n.args[0].column, "position() only supports position(..)");
          return;
        }
        if (n.special == kChoiceName && n.args.size() == 2) {
          run(n.args[0]);
          const Node& f = n.args[1];
          if (f.kind == NodeKind::Literal && f.literal.isString()) {
            std::string field = stripRef(f.literal.str);
            RefBinding unused;
            std::string e;
            if (!env.resolveRef(field, unused, e)) err(f.column, "jr:choice-name(): " + e);
            n.data = env.choicesOfField(field);
          } else {
            run(n.args[1]);
          }
          return;
        }
        break;
      }
      default:
        break;
    }
    for (auto& a : n.args) run(a);
  }
};

bool cmpNum(BinOp op, double a, double b) {
  switch (op) {
    case BinOp::Eq: return a == b;
    case BinOp::Ne: return a != b;
    case BinOp::Lt: return a < b;
    case BinOp::Le: return a <= b;
    case BinOp::Gt: return a > b;
    case BinOp::Ge: return a >= b;
    default: return false;
  }
}

// Number of a value compared with `other`: a string compared with a date
// is read as a date (time, date-time) first.
double comparable(const Value& v, const Value& other) {
  if (v.type == Type::String && other.isDateLike()) {
    std::optional<Value> p;
    if (other.type == Type::Time) p = parseTime(v.str);
    else p = parseDateTime(v.str);
    if (p) return p->num;
  }
  return v.toNumber();
}

double arith(BinOp op, double a, double b) {
  switch (op) {
    case BinOp::Add: return a + b;
    case BinOp::Sub: return a - b;
    case BinOp::Mul: return a * b;
    case BinOp::Div: return a / b;
    case BinOp::Mod: return std::fmod(a, b);
    default: return NAN;
  }
}

}  // namespace

const ChoiceList* CompileEnv::choicesOfField(const std::string&) const { return nullptr; }

std::string closestName(const std::string& name, const std::vector<std::string>& candidates) {
  std::string best;
  size_t bestD = name.size() <= 4 ? 2 : std::max<size_t>(2, name.size() / 3) + 1;
  for (const auto& c : candidates) {
    // The distance is at least the difference in length: skip the long sum.
    if ((c.size() > name.size() ? c.size() - name.size() : name.size() - c.size()) >= bestD) continue;
    size_t d = editDistance(name, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

std::string unknownFieldMessage(const std::string& name, const std::vector<std::string>& candidates) {
  std::string best = closestName(name, candidates);
  return "unknown field ${" + name + "}" + (best.empty() ? "" : "; did you mean ${" + best + "}?");
}

std::vector<CompileError> compile(Node& root, const CompileEnv& env) {
  Compiler c{env, env.functions ? *env.functions : FunctionRegistry::global(), {}};
  c.run(root);
  return std::move(c.errors);
}

bool callsVolatile(const Node& n) {
  if (n.kind == NodeKind::Call && n.fn && n.fn->isVolatile) return true;
  for (const auto& a : n.args)
    if (callsVolatile(a)) return true;
  return false;
}

bool compareValues(BinOp op, const Value& a, const Value& b) {
  if (a.type == Type::NodeSet || b.type == Type::NodeSet) {
    if (a.type == Type::Boolean || b.type == Type::Boolean) {
      bool x = a.toBoolean(), y = b.toBoolean();
      return cmpNum(op, x, y);
    }
    if (a.type == Type::NodeSet && b.type == Type::NodeSet) {
      if (!a.nodes || !b.nodes) return false;
      for (const auto& x : *a.nodes)
        for (const auto& y : *b.nodes)
          if (compareValues(op, x, y)) return true;
      return false;
    }
    if (a.type == Type::NodeSet) {
      if (a.nodes)
        for (const auto& x : *a.nodes)
          if (compareValues(op, x, b)) return true;
      return false;
    }
    if (b.nodes)
      for (const auto& y : *b.nodes)
        if (compareValues(op, a, y)) return true;
    return false;
  }
  if (op == BinOp::Eq || op == BinOp::Ne) {
    if (a.type == Type::Boolean || b.type == Type::Boolean) {
      bool eq = a.toBoolean() == b.toBoolean();
      return op == BinOp::Eq ? eq : !eq;
    }
    if (a.type != Type::String || b.type != Type::String)
      return cmpNum(op, comparable(a, b), comparable(b, a));
    bool eq = a.str == b.str;
    return op == BinOp::Eq ? eq : !eq;
  }
  return cmpNum(op, comparable(a, b), comparable(b, a));
}

const char* resultTypeName(const Value& v) {
  if (v.type == Type::NodeSet) return "string";
  return typeName(v.type);
}

namespace {
// Out of line, so that its argument buffer is not part of every level of
// evaluate()'s recursion (trees may be kMaxExpressionDepth tall).
[[gnu::noinline]] Value callFunction(const Node& n, const EvalContext& ctx) {
  if (!n.fn) throw EvalError("unknown function " + n.name + "()");
  size_t argc = n.args.size();
  if (argc <= 4) {
    Value buf[4];
    for (size_t i = 0; i < argc; ++i) buf[i] = evaluate(n.args[i], ctx);
    return n.fn->fn(CallContext{ctx}, std::span<const Value>(buf, argc));
  }
  std::vector<Value> args;
  args.reserve(argc);
  for (const auto& a : n.args) args.push_back(evaluate(a, ctx));
  return n.fn->fn(CallContext{ctx}, std::span<const Value>(args));
}
}  // namespace

Value evaluate(const Node& n, const EvalContext& ctx) {
  switch (n.kind) {
    case NodeKind::Literal: return n.literal;
    case NodeKind::Ref: return ctx.ref(n);
    case NodeKind::Current: return ctx.current();
    case NodeKind::Name: return ctx.name(n);
    case NodeKind::Parent: throw EvalError("'..' can only be used as position(..)");
    case NodeKind::Neg: return Value::number(-evaluate(n.args[0], ctx).toNumber());
    case NodeKind::And:
      return Value::boolean(evaluate(n.args[0], ctx).toBoolean() && evaluate(n.args[1], ctx).toBoolean());
    case NodeKind::Or:
      return Value::boolean(evaluate(n.args[0], ctx).toBoolean() || evaluate(n.args[1], ctx).toBoolean());
    case NodeKind::Binary: {
      Value a = evaluate(n.args[0], ctx);
      Value b = evaluate(n.args[1], ctx);
      if (n.op >= BinOp::Eq) return Value::boolean(compareValues(n.op, a, b));
      return Value::number(arith(n.op, a.toNumber(), b.toNumber()));
    }
    case NodeKind::Call: {
      switch (n.special) {
        case kIf:
          return evaluate(n.args[0], ctx).toBoolean() ? evaluate(n.args[1], ctx) : evaluate(n.args[2], ctx);
        case kOnce: {
          Value cur = ctx.onceValue();
          if (!cur.isEmpty()) return cur;
          return evaluate(n.args[0], ctx);
        }
        case kPosition:
          return Value::number(ctx.position());
        case kChoiceName: {
          std::string v = evaluate(n.args[0], ctx).toString();
          const auto* list = static_cast<const ChoiceList*>(n.data);
          if (!list) list = ctx.choicesOf(stripRef(evaluate(n.args[1], ctx).toString()));
          if (!list) return Value::string("");
          const Choice* c = list->find(v);
          if (!c) return Value::string("");
          return Value::string(localized(c->label, ctx.lang));
        }
        default:
          break;
      }
      return callFunction(n, ctx);
    }
  }
  return Value();
}

// ---- VarTable --------------------------------------------------------------

void VarTable::set(const std::string& name, Value v) {
  auto it = m_index.find(name);
  if (it != m_index.end()) {
    m_values[it->second] = std::move(v);
    return;
  }
  m_index.emplace(name, static_cast<int>(m_values.size()));
  m_values.push_back(std::move(v));
}

bool VarTable::resolveRef(const std::string& name, RefBinding& out, std::string& error) const {
  out.kind = RefBinding::Var;
  auto it = m_index.find(name);
  out.slot = it == m_index.end() ? -1 : it->second;
  if (m_strict && out.slot < 0 && std::find(m_known.begin(), m_known.end(), name) == m_known.end()) {
    error = unknownFieldMessage(name, m_known);
    return false;
  }
  return true;
}

const ChoiceList* VarTable::choicesOfField(const std::string& name) const {
  auto it = m_choices.find(name);
  return it == m_choices.end() ? nullptr : it->second;
}

Value VarTable::ref(const Node& n) const {
  if (n.ref.slot < 0 || n.ref.slot >= static_cast<int>(m_values.size())) return Value();
  return m_values[n.ref.slot];
}

Value VarTable::current() const {
  auto it = m_index.find(".");
  return it == m_index.end() ? Value() : m_values[it->second];
}

EvalResult evaluateText(std::string_view text, VarTable& vars) {
  EvalResult r;
  auto p = parse(text);
  if (!p.ok()) {
    r.column = p.error.column;
    r.error = "column " + std::to_string(p.error.column) + ": " + p.error.message;
    return r;
  }
  auto errs = compile(*p.root, vars);
  if (!errs.empty()) {
    r.column = errs[0].column;
    r.error = "column " + std::to_string(errs[0].column) + ": " + errs[0].message;
    return r;
  }
  try {
    r.value = evaluate(*p.root, vars);
    r.ok = true;
  } catch (const EvalError& e) {
    r.error = e.what();
  }
  return r;
}

}  // namespace skema::expr
