// Connects plugin expression functions to the expression language: a
// FunctionSink that adds each function a plugin registers to an
// expr::FunctionRegistry (owner = plugin id) and removes them with the
// plugin. Attach once, before loading plugins:
//   ExprFunctionSink sink(expr::FunctionRegistry::global());
//   registry.setFunctionSink(&sink);
// A compiled expression that still holds a function of an unloaded plugin
// gets an EvalError ("function x() was unloaded with plugin y") instead of
// calling into freed code.
#pragma once
#include "plugin/plugin_registry.h"

namespace skema::expr {
class FunctionRegistry;
}

namespace skema::plugin {

class ExprFunctionSink : public FunctionSink {
 public:
  explicit ExprFunctionSink(expr::FunctionRegistry& functions) : m_functions(functions) {}
  bool add(const std::shared_ptr<const FunctionEntry>& fn) override;
  void removeOwner(const std::string& owner) override;

 private:
  expr::FunctionRegistry& m_functions;
};

}  // namespace skema::plugin
