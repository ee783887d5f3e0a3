#include "plugin/expr_bridge.h"

#include "expr/functions.h"
#include "expr/value.h"

namespace skema::plugin {

namespace {

PluginValue toPlugin(const expr::Value& v) {
  if (v.type == expr::Type::Number) return PluginValue::num(v.num);
  if (v.type == expr::Type::Boolean) return PluginValue::boolean(v.num != 0);
  return PluginValue::str(v.toString());  // strings, dates, times, node-sets as text
}

expr::Value toExpr(const PluginValue& v) {
  switch (v.kind) {
    case PluginValue::Kind::Number: return expr::Value::number(v.number);
    case PluginValue::Kind::Boolean: return expr::Value::boolean(v.number != 0);
    default: return expr::Value::string(v.text);
  }
}

}  // namespace

bool ExprFunctionSink::add(const std::shared_ptr<const FunctionEntry>& fn) {
  expr::FunctionDef def;
  def.name = fn->name;
  def.minArgs = fn->minArgs;
  def.maxArgs = fn->maxArgs;
  def.owner = fn->owner;
  def.isVolatile = fn->isVolatile;
  std::weak_ptr<const FunctionEntry> weak = fn;
  std::string name = fn->name, owner = fn->owner;
  def.fn = [weak, name, owner](const expr::CallContext&, std::span<const expr::Value> args) {
    auto entry = weak.lock();
    if (!entry)
      throw expr::EvalError("function " + name + "() was unloaded with plugin " + owner);
    std::vector<PluginValue> in;
    in.reserve(args.size());
    for (const auto& a : args) in.push_back(toPlugin(a));
    CallResult r = PluginRegistry::callFunction(*entry, in);
    if (!r.ok) throw expr::EvalError(r.error);
    return toExpr(r.value);
  };
  return m_functions.add(std::move(def));
}

void ExprFunctionSink::removeOwner(const std::string& owner) { m_functions.unregisterOwner(owner); }

}  // namespace skema::plugin
