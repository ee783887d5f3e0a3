#include "expr/form_logic.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace skema::expr {

namespace {

enum Prop { kRelevant, kConstraint, kCalc, kRequired, kDefault, kChoiceFilter, kPropCount };
const char* const kPropNames[kPropCount] = {"relevant", "constraint", "calculation",
                                            "required", "default",    "choice_filter"};
enum NodeK { kValueNode = 0, kRelevantNode = 1, kValidNode = 2 };
constexpr int kMaxScopeDepth = 16;

struct Instance {
  std::vector<Value> values;
  std::vector<char> relevant;
  std::vector<char> valid;
  std::vector<std::vector<std::unique_ptr<Instance>>> repeats;  // by child repeat slot
  Instance* parent = nullptr;
  int index = 0;  // position in the parent's list
};

struct FieldInfo {
  int parent = -1;    // enclosing group/repeat field
  int scope = 0;      // scope the field's value lives in
  int slot = 0;       // index within that scope
  int ownScope = -1;  // repeats: the scope of their instances
  std::optional<Node> expr[kPropCount];
  bool hasCurrent[kPropCount] = {};
};

struct ScopeInfo {
  int parent = -1;
  int depth = 0;
  int repeatField = -1;
  int slots = 0;
  int repeatSlot = -1;  // index in the parent instance's `repeats`
  int childRepeats = 0;
  std::vector<int> fields;  // fields whose value lives here, in form order
};

bool hasCurrentNode(const Node& n) {
  if (n.kind == NodeKind::Current) return true;
  if (n.kind == NodeKind::Call && n.special == 2) return true;  // once() reads the field itself
  for (const auto& a : n.args)
    if (hasCurrentNode(a)) return true;
  return false;
}

void collectBindings(const Node& n, std::vector<int>& fields) {
  if (n.kind == NodeKind::Ref && n.ref.field >= 0) fields.push_back(n.ref.field);
  for (const auto& a : n.args) collectBindings(a, fields);
}

}  // namespace

struct FormLogic::Impl {
  const FormLogic& self;
  std::vector<FieldInfo> fi;
  std::vector<ScopeInfo> scopes;
  std::unordered_map<std::string, int> byName;
  std::vector<std::string> names;
  std::vector<std::vector<int>> out;  // graph node -> dependents
  std::vector<int> topo;              // every node, dependencies first
  std::vector<int> rank;
  mutable std::vector<std::unique_ptr<std::vector<std::pair<int, int>>>> deps;  // per field: (node, anchor scope)
  std::unique_ptr<Instance> root;
  std::vector<char> dirty;  // scratch for setValue(), all 0 between calls

  explicit Impl(const FormLogic& s) : self(s) {}

  // ---- scopes
  bool isAncestorOrSelf(int a, int s) const {
    while (s >= 0) {
      if (s == a) return true;
      s = scopes[s].parent;
    }
    return false;
  }
  int common(int a, int b) const {
    while (scopes[a].depth > scopes[b].depth) a = scopes[a].parent;
    while (scopes[b].depth > scopes[a].depth) b = scopes[b].parent;
    while (a != b) {
      a = scopes[a].parent;
      b = scopes[b].parent;
    }
    return a;
  }

  std::unique_ptr<Instance> newInstance(int scope, Instance* parent, int index) const {
    auto in = std::make_unique<Instance>();
    const auto& s = scopes[scope];
    in->values.resize(s.slots);
    in->relevant.assign(s.slots, 1);
    in->valid.assign(s.slots, 1);
    in->repeats.resize(s.childRepeats);
    in->parent = parent;
    in->index = index;
    return in;
  }

  // Every instance of scope `target` below instance `at` of scope `atScope`.
  void instancesOf(int target, Instance* at, int atScope, std::vector<Instance*>& outList) const {
    if (target == atScope) {
      outList.push_back(at);
      return;
    }
    int chain[kMaxScopeDepth];
    int n = 0;
    for (int s = target; s != atScope && s >= 0 && n < kMaxScopeDepth; s = scopes[s].parent) chain[n++] = s;
    walkDown(chain, n - 1, at, outList);
  }
  void walkDown(const int* chain, int k, Instance* at, std::vector<Instance*>& outList) const {
    const auto& list = at->repeats[scopes[chain[k]].repeatSlot];
    for (const auto& inst : list) {
      if (k == 0) outList.push_back(inst.get());
      else walkDown(chain, k - 1, inst.get(), outList);
    }
  }

  Instance* ancestorAt(Instance* in, int scope, int depth) const {
    while (scopes[scope].depth > depth) {
      in = in->parent;
      scope = scopes[scope].parent;
    }
    return in;
  }

  InstancePath pathOf(const Instance* in) const {
    InstancePath p;
    for (; in && in->parent; in = in->parent) p.push_back(in->index);
    std::reverse(p.begin(), p.end());
    return p;
  }

  Instance* find(int scope, const InstancePath& path) const {
    if (static_cast<int>(path.size()) != scopes[scope].depth) return nullptr;
    int chain[kMaxScopeDepth];
    int n = 0;
    for (int s = scope; s > 0; s = scopes[s].parent) chain[n++] = s;
    Instance* in = root.get();
    for (int k = n - 1, d = 0; k >= 0; --k, ++d) {
      auto& list = in->repeats[scopes[chain[k]].repeatSlot];
      if (path[d] < 0 || path[d] >= static_cast<int>(list.size())) return nullptr;
      in = list[path[d]].get();
    }
    return in;
  }

  // ---- evaluation context
  struct Ctx : EvalContext {
    const Impl* impl = nullptr;
    Instance* chain[kMaxScopeDepth] = {};
    const Value* cur = nullptr;
    const Choice* choice = nullptr;
    int pos = 0;

    Value ref(const Node& n) const override {
      const RefBinding& b = n.ref;
      if (b.kind == RefBinding::Slot) {
        const Instance* in = chain[b.depth];
        return in->relevant[b.slot] ? in->values[b.slot] : Value();
      }
      if (b.kind != RefBinding::NodeSet) return Value();
      const FieldInfo& f = impl->fi[b.field];
      bool isRepeat = f.ownScope >= 0;
      int target = isRepeat ? f.ownScope : f.scope;
      int at = target;
      while (impl->scopes[at].depth > b.depth) at = impl->scopes[at].parent;
      std::vector<Instance*> list;
      impl->instancesOf(target, chain[b.depth], at, list);
      std::vector<Value> items;
      items.reserve(list.size());
      for (Instance* in : list)
        items.push_back(isRepeat || !in->relevant[f.slot] ? Value() : in->values[f.slot]);
      return Value::nodeSet(std::move(items));
    }
    Value current() const override { return cur ? *cur : Value(); }
    Value name(const Node& n) const override {
      if (!choice) return Value();
      if (n.name == "name") return Value::string(choice->name);
      auto it = choice->attributes.find(n.name);
      return it == choice->attributes.end() ? Value() : Value::string(it->second);
    }
    int position() const override { return pos; }
    const ChoiceList* choicesOf(const std::string& fieldName) const override {
      int i = impl->self.fieldIndex(fieldName);
      return i < 0 ? nullptr : impl->self.form().findChoices(impl->self.field(i).choices);
    }
  };

  void makeCtx(Ctx& c, Instance* in, int scope) const {
    c.impl = this;
    c.lang = self.lang;
    c.pos = in->parent ? in->index + 1 : 0;
    for (int s = scope; s >= 0; s = scopes[s].parent) {
      c.chain[scopes[s].depth] = in;
      in = in->parent;
    }
  }

  std::optional<Value> safeEval(const Node& n, const Ctx& c) const {
    try {
      return evaluate(n, c);
    } catch (const EvalError&) {
      return std::nullopt;
    }
  }

  bool parentRelevant(int f, Instance* in) const {
    int p = fi[f].parent;
    if (p < 0) return true;
    if (fi[p].scope == fi[f].scope) return in->relevant[fi[p].slot] != 0;
    return in->parent ? in->parent->relevant[fi[p].slot] != 0 : true;  // p is the enclosing repeat
  }

  bool requiredNow(int f, Instance* in, const Ctx& c) const {
    const Field& fd = self.field(f);
    if (fd.required.empty()) return false;
    if (fd.isRequiredAlways()) return true;
    if (!fi[f].expr[kRequired]) return false;
    auto v = safeEval(*fi[f].expr[kRequired], c);
    (void)in;
    return v ? v->toBoolean() : true;
  }

  // Evaluates graph node `node` in `in`; true when its result changed.
  bool evalNode(int node, Instance* in) const {
    int f = node / 3, k = node % 3;
    const FieldInfo& info = fi[f];
    Ctx c;
    makeCtx(c, in, info.scope);
    Value& slotValue = in->values[info.slot];
    c.cur = &slotValue;
    if (k == kValueNode) {
      if (!info.expr[kCalc]) return false;
      Value v = safeEval(*info.expr[kCalc], c).value_or(Value());
      if (v.sameAs(slotValue)) return false;
      slotValue = std::move(v);
      return true;
    }
    if (k == kRelevantNode) {
      bool r = parentRelevant(f, in);
      if (r && info.expr[kRelevant]) {
        auto v = safeEval(*info.expr[kRelevant], c);
        r = v ? v->toBoolean() : true;
      }
      char nv = r ? 1 : 0;
      if (in->relevant[info.slot] == nv) return false;
      in->relevant[info.slot] = nv;
      return true;
    }
    Validity val = Validity::Ok;
    if (in->relevant[info.slot] && holdsValue(self.field(f).type)) {
      if (slotValue.isEmpty()) {
        if (requiredNow(f, in, c)) val = Validity::Required;
      } else if (info.expr[kConstraint]) {
        auto v = safeEval(*info.expr[kConstraint], c);
        if (!v || !v->toBoolean()) val = Validity::Constraint;
      }
    }
    char nv = static_cast<char>(val);
    if (in->valid[info.slot] == nv) return false;
    in->valid[info.slot] = nv;
    return true;
  }

  void evaluateAll() {
    std::vector<Instance*> list;
    for (int node : topo) {
      int s = fi[node / 3].scope;
      list.clear();
      instancesOf(s, root.get(), 0, list);
      for (Instance* in : list) evalNode(node, in);
    }
  }

  void applyDefaults(Instance* in, int scope) {
    for (int f : scopes[scope].fields) {
      const auto& d = fi[f].expr[kDefault];
      if (!d || !holdsValue(self.field(f).type)) continue;
      Ctx c;
      makeCtx(c, in, scope);
      c.cur = &in->values[fi[f].slot];
      auto v = safeEval(*d, c);
      if (v) in->values[fi[f].slot] = *v;
    }
  }

  const std::vector<std::pair<int, int>>& dependents(int f) const {
    auto& slot = deps[f];
    if (slot) return *slot;
    int src = f * 3 + kValueNode;
    std::vector<char> seen(out.size(), 0);
    std::vector<int> stack{src}, found;
    seen[src] = 1;
    while (!stack.empty()) {
      int n = stack.back();
      stack.pop_back();
      for (int d : out[n])
        if (!seen[d]) {
          seen[d] = 1;
          found.push_back(d);
          stack.push_back(d);
        }
    }
    std::sort(found.begin(), found.end(), [&](int a, int b) { return rank[a] < rank[b]; });
    auto result = std::make_unique<std::vector<std::pair<int, int>>>();
    result->reserve(found.size());
    if (scopes.size() == 1) {  // no repeats: everything is evaluated in the one record
      for (int n : found) result->emplace_back(n, 0);
    } else {
      std::vector<int> anchor(out.size(), -1);
      anchor[src] = fi[f].scope;
      auto shallower = [&](int a, int b) { return scopes[a].depth <= scopes[b].depth ? a : b; };
      auto push = [&](int n) {
        int an = anchor[n];
        for (int d : out[n]) {
          if (!seen[d]) continue;
          int cand = common(an, fi[d / 3].scope);
          anchor[d] = anchor[d] < 0 ? cand : shallower(anchor[d], cand);
        }
      };
      push(src);
      for (int n : found) {
        push(n);
        result->emplace_back(n, anchor[n]);
      }
    }
    slot = std::move(result);
    return *slot;
  }
};

// ---- compile environment --------------------------------------------------

namespace {
struct FormEnv : CompileEnv {
  const FormLogic& logic;
  const FormLogic::Impl& impl;
  int ctxScope = 0;
  bool names = false;
  static constexpr int kMaxSuggestions = 20;
  mutable int unknownRefs = 0;

  FormEnv(const FormLogic& l, const FormLogic::Impl& i) : logic(l), impl(i) {}

  bool resolveRef(const std::string& name, RefBinding& b, std::string& error) const override {
    int f = logic.fieldIndex(name);
    if (f < 0) {
      // A suggestion compares the name with every field's: past the first
      // few, a file full of unknown references would take hours to check.
      error = ++unknownRefs <= kMaxSuggestions ? unknownFieldMessage(name, impl.names)
                                               : "unknown field ${" + name + "}";
      return false;
    }
    const Field& fd = logic.field(f);
    if (fd.type == FieldType::Group) {
      error = "${" + name + "} is a group; refer to a field inside it";
      return false;
    }
    const FieldInfo& info = impl.fi[f];
    b.field = f;
    if (fd.type != FieldType::Repeat && impl.isAncestorOrSelf(info.scope, ctxScope)) {
      b.kind = RefBinding::Slot;
      b.depth = impl.scopes[info.scope].depth;
      b.slot = info.slot;
    } else {
      b.kind = RefBinding::NodeSet;
      b.depth = impl.scopes[impl.common(info.scope, ctxScope)].depth;
    }
    return true;
  }
  bool allowNames() const override { return names; }
  const ChoiceList* choicesOfField(const std::string& name) const override {
    int f = logic.fieldIndex(name);
    return f < 0 ? nullptr : logic.form().findChoices(logic.field(f).choices);
  }
};
}  // namespace

FormLogic::FormLogic(const Form& form, const FunctionRegistry* functions)
    : m_form(form), m_impl(std::make_unique<Impl>(*this)) {
  Impl& im = *m_impl;
  im.scopes.push_back(ScopeInfo{});
  // Index fields and scopes.
  struct Walker {
    FormLogic& self;
    Impl& im;
    void walk(const std::vector<Field>& fs, int parent, int scope) {
      for (const auto& f : fs) {
        int idx = static_cast<int>(self.m_fields.size());
        self.m_fields.push_back(&f);
        FieldInfo info;
        info.parent = parent;
        info.scope = scope;
        info.slot = im.scopes[scope].slots++;
        im.scopes[scope].fields.push_back(idx);
        if (!f.name.empty() && !im.byName.count(f.name)) {
          im.byName.emplace(f.name, idx);
          im.names.push_back(f.name);
        }
        int childScope = scope;
        if (f.type == FieldType::Repeat) {
          ScopeInfo s;
          s.parent = scope;
          s.depth = im.scopes[scope].depth + 1;
          s.repeatField = idx;
          s.repeatSlot = im.scopes[scope].childRepeats++;
          childScope = static_cast<int>(im.scopes.size());
          info.ownScope = childScope;
          im.scopes.push_back(s);
          if (s.depth >= kMaxScopeDepth - 1)
            self.m_errors.push_back({idx, "", 0, "repeats are nested too deeply"});
        }
        im.fi.push_back(std::move(info));
        walk(f.fields, idx, childScope);
      }
    }
  };
  Walker{*this, im}.walk(form.fields, -1, 0);

  // Compile every expression.
  FormEnv env(*this, im);
  env.functions = functions;
  for (int i = 0; i < fieldCount(); ++i) {
    const Field& f = *m_fields[i];
    const std::string* texts[kPropCount] = {&f.relevant, &f.constraint, &f.calculation,
                                            &f.required, &f.defaultValue, &f.choiceFilter};
    for (int p = 0; p < kPropCount; ++p) {
      const std::string& t = *texts[p];
      if (t.empty()) continue;
      if (p == kRequired && f.isRequiredAlways()) continue;
      auto r = parse(t);
      if (!r.ok()) {
        m_errors.push_back({i, kPropNames[p], r.error.column, r.error.message});
        continue;
      }
      env.ctxScope = im.fi[i].scope;
      env.names = p == kChoiceFilter;
      auto errs = compile(*r.root, env);
      for (auto& e : errs) m_errors.push_back({i, kPropNames[p], e.column, e.message});
      if (!errs.empty()) continue;
      im.fi[i].hasCurrent[p] = hasCurrentNode(*r.root);
      im.fi[i].expr[p] = std::move(*r.root);
    }
  }

  // Dependency graph: node = field * 3 + {value, relevant, valid}.
  int nodes = fieldCount() * 3;
  im.out.assign(nodes, {});
  auto edge = [&](int from, int to) {
    if (from != to) im.out[from].push_back(to);
  };
  auto inside = [&](int r, int f) {  // r is f or a field inside f
    for (; r >= 0; r = im.fi[r].parent)
      if (r == f) return true;
    return false;
  };
  // A reference reads the value, and reads '' while the field is not
  // relevant (as JavaRosa does), so it depends on both.
  auto refEdges = [&](const std::vector<int>& rs, int owner, int to) {
    for (int r : rs) {
      edge(r * 3 + kValueNode, to);
      if (!inside(r, owner)) edge(r * 3 + kRelevantNode, to);
    }
  };
  std::vector<int> refs;
  for (int i = 0; i < fieldCount(); ++i) {
    const FieldInfo& info = im.fi[i];
    if (info.expr[kCalc]) {
      refs.clear();
      collectBindings(*info.expr[kCalc], refs);
      refEdges(refs, i, i * 3 + kValueNode);
    }
    if (info.parent >= 0) edge(info.parent * 3 + kRelevantNode, i * 3 + kRelevantNode);
    if (info.expr[kRelevant]) {
      refs.clear();
      collectBindings(*info.expr[kRelevant], refs);
      refEdges(refs, i, i * 3 + kRelevantNode);
      if (info.hasCurrent[kRelevant]) edge(i * 3 + kValueNode, i * 3 + kRelevantNode);
    }
    refs.clear();
    for (int p : {kConstraint, kRequired})
      if (info.expr[p]) collectBindings(*info.expr[p], refs);
    refEdges(refs, i, i * 3 + kValidNode);
    edge(i * 3 + kValueNode, i * 3 + kValidNode);
    edge(i * 3 + kRelevantNode, i * 3 + kValidNode);
  }
  for (auto& o : im.out) {
    std::sort(o.begin(), o.end());
    o.erase(std::unique(o.begin(), o.end()), o.end());
  }

  // Cycles: among calculations, or through relevance (validity nodes are
  // never depended on).
  {
    std::vector<char> color(nodes, 0);
    std::vector<int> stack;
    auto label = [&](int n) {
      return m_fields[n / 3]->name + (n % 3 == kRelevantNode ? " (relevant)" : "");
    };
    std::function<void(int)> dfs = [&](int n) {
      color[n] = 1;
      stack.push_back(n);
      for (int d : im.out[n]) {
        if (d % 3 == kValidNode) continue;
        if (color[d] == 1) {
          auto it = std::find(stack.begin(), stack.end(), d);
          bool relevance = false;
          for (auto j = it; j != stack.end(); ++j) relevance |= *j % 3 == kRelevantNode;
          std::string msg = relevance ? "cycle through relevance: " : "calculation cycle: ";
          for (auto j = it; j != stack.end(); ++j) msg += label(*j) + " -> ";
          msg += label(d);
          m_errors.push_back({d / 3, d % 3 == kRelevantNode ? "relevant" : "calculation", 0, msg});
        } else if (color[d] == 0) {
          dfs(d);
        }
      }
      stack.pop_back();
      color[n] = 2;
    };
    for (int n = 0; n < nodes; ++n)
      if (n % 3 != kValidNode && color[n] == 0) dfs(n);
  }

  // Topological order (Kahn); nodes left in a cycle go last.
  {
    std::vector<int> indeg(nodes, 0);
    for (const auto& o : im.out)
      for (int d : o) ++indeg[d];
    std::vector<int> queue;
    for (int n = 0; n < nodes; ++n)
      if (indeg[n] == 0) queue.push_back(n);
    for (size_t q = 0; q < queue.size(); ++q)
      for (int d : im.out[queue[q]])
        if (--indeg[d] == 0) queue.push_back(d);
    std::vector<char> placed(nodes, 0);
    for (int n : queue) placed[n] = 1;
    for (int n = 0; n < nodes; ++n)
      if (!placed[n]) queue.push_back(n);
    im.topo = std::move(queue);
    im.rank.assign(nodes, 0);
    for (int r = 0; r < nodes; ++r) im.rank[im.topo[r]] = r;
  }
  im.deps.resize(fieldCount());
  im.dirty.assign(nodes, 0);
  reset();
}

FormLogic::~FormLogic() = default;

int FormLogic::fieldIndex(const std::string& name) const {
  auto it = m_impl->byName.find(name);
  return it == m_impl->byName.end() ? -1 : it->second;
}

const Field& FormLogic::field(int index) const { return *m_fields.at(index); }

void FormLogic::reset() {
  m_impl->root = m_impl->newInstance(0, nullptr, 0);
  m_impl->applyDefaults(m_impl->root.get(), 0);
  m_impl->evaluateAll();
}

namespace {
void loadInto(FormLogic::Impl& im, const FormLogic& fl, Instance* in, int scope, const nlohmann::json& obj) {
  if (!obj.is_object()) return;
  for (int f : im.scopes[scope].fields) {
    const Field& fd = fl.field(f);
    auto it = obj.find(fd.name);
    if (it == obj.end()) continue;
    if (fd.type == FieldType::Repeat) {
      if (!it->is_array()) continue;
      int cs = im.fi[f].ownScope;
      auto& list = in->repeats[im.scopes[cs].repeatSlot];
      for (const auto& item : *it) {
        list.push_back(im.newInstance(cs, in, static_cast<int>(list.size())));
        loadInto(im, fl, list.back().get(), cs, item);
      }
    } else if (holdsValue(fd.type)) {
      in->values[im.fi[f].slot] = valueFromJson(*it, fd.type);
    }
  }
}
}  // namespace

void FormLogic::load(const nlohmann::json& values) {
  m_impl->root = m_impl->newInstance(0, nullptr, 0);
  loadInto(*m_impl, *this, m_impl->root.get(), 0, values);
  m_impl->evaluateAll();
}

void FormLogic::evaluateAll() { m_impl->evaluateAll(); }

std::vector<Change> FormLogic::setValue(const std::string& name, const Value& value, const InstancePath& instance) {
  int f = fieldIndex(name);
  if (f < 0) return {};
  return setValue(f, value, instance);
}

std::vector<Change> FormLogic::setValue(int field, const Value& value, const InstancePath& instance) {
  std::vector<Change> changes;
  Impl& im = *m_impl;
  if (field < 0 || field >= fieldCount()) return changes;
  const FieldInfo& info = im.fi[field];
  Instance* in = im.find(info.scope, instance);
  if (!in) return changes;
  Value& slot = in->values[info.slot];
  if (slot.sameAs(value)) return changes;
  slot = value;
  changes.push_back({Change::Value, field, instance});
  // Walk the precomputed dependents in topological order; a node is
  // re-evaluated only when something it depends on changed.
  std::vector<char>& dirty = im.dirty;
  const auto& deps = im.dependents(field);
  auto markOut = [&](int n) {
    for (int d : im.out[n]) dirty[d] = 1;
  };
  markOut(field * 3 + kValueNode);
  std::vector<Instance*> list;
  for (const auto& [node, anchor] : deps) {
    if (!dirty[node]) continue;
    int f = node / 3;
    int s = im.fi[f].scope;
    Instance* at = im.ancestorAt(in, info.scope, im.scopes[anchor].depth);
    list.clear();
    im.instancesOf(s, at, anchor, list);
    bool changed = false;
    for (Instance* target : list) {
      if (im.evalNode(node, target)) {
        changed = true;
        changes.push_back({static_cast<Change::Kind>(node % 3), f,
                           target == in ? instance : im.pathOf(target)});
      }
    }
    if (changed) markOut(node);
  }
  for (const auto& [node, anchor] : deps) dirty[node] = 0;
  return changes;
}

int FormLogic::repeatCount(int repeatField, const InstancePath& parent) const {
  if (repeatField < 0 || repeatField >= fieldCount() || m_impl->fi[repeatField].ownScope < 0) return 0;
  const FieldInfo& info = m_impl->fi[repeatField];
  Instance* in = m_impl->find(info.scope, parent);
  if (!in) return 0;
  return static_cast<int>(in->repeats[m_impl->scopes[info.ownScope].repeatSlot].size());
}

int FormLogic::addRepeatInstance(int repeatField, const InstancePath& parent) {
  if (repeatField < 0 || repeatField >= fieldCount() || m_impl->fi[repeatField].ownScope < 0) return -1;
  Impl& im = *m_impl;
  const FieldInfo& info = im.fi[repeatField];
  Instance* in = im.find(info.scope, parent);
  if (!in) return -1;
  auto& list = in->repeats[im.scopes[info.ownScope].repeatSlot];
  int idx = static_cast<int>(list.size());
  list.push_back(im.newInstance(info.ownScope, in, idx));
  im.applyDefaults(list.back().get(), info.ownScope);
  im.evaluateAll();
  return idx;
}

void FormLogic::removeRepeatInstance(int repeatField, int index, const InstancePath& parent) {
  if (repeatField < 0 || repeatField >= fieldCount() || m_impl->fi[repeatField].ownScope < 0) return;
  Impl& im = *m_impl;
  const FieldInfo& info = im.fi[repeatField];
  Instance* in = im.find(info.scope, parent);
  if (!in) return;
  auto& list = in->repeats[im.scopes[info.ownScope].repeatSlot];
  if (index < 0 || index >= static_cast<int>(list.size())) return;
  list.erase(list.begin() + index);
  for (size_t i = 0; i < list.size(); ++i) list[i]->index = static_cast<int>(i);
  im.evaluateAll();
}

Value FormLogic::value(int field, const InstancePath& instance) const {
  if (field < 0 || field >= fieldCount()) return Value();
  Instance* in = m_impl->find(m_impl->fi[field].scope, instance);
  return in ? in->values[m_impl->fi[field].slot] : Value();
}

bool FormLogic::isRelevant(int field, const InstancePath& instance) const {
  if (field < 0 || field >= fieldCount()) return false;
  Instance* in = m_impl->find(m_impl->fi[field].scope, instance);
  return in ? in->relevant[m_impl->fi[field].slot] != 0 : false;
}

Validity FormLogic::validity(int field, const InstancePath& instance) const {
  if (field < 0 || field >= fieldCount()) return Validity::Ok;
  Instance* in = m_impl->find(m_impl->fi[field].scope, instance);
  return in ? static_cast<Validity>(in->valid[m_impl->fi[field].slot]) : Validity::Ok;
}

bool FormLogic::isRequired(int field, const InstancePath& instance) const {
  if (field < 0 || field >= fieldCount()) return false;
  const FieldInfo& info = m_impl->fi[field];
  Instance* in = m_impl->find(info.scope, instance);
  if (!in) return false;
  Impl::Ctx c;
  m_impl->makeCtx(c, in, info.scope);
  c.cur = &in->values[info.slot];
  return m_impl->requiredNow(field, in, c);
}

std::vector<const Choice*> FormLogic::visibleChoices(int field, const InstancePath& instance) const {
  std::vector<const Choice*> outList;
  if (field < 0 || field >= fieldCount()) return outList;
  const Field& fd = *m_fields[field];
  const ChoiceList* list = m_form.findChoices(fd.choices);
  if (!list) return outList;
  const FieldInfo& info = m_impl->fi[field];
  Instance* in = m_impl->find(info.scope, instance);
  if (!in) return outList;
  Impl::Ctx c;
  m_impl->makeCtx(c, in, info.scope);
  c.cur = &in->values[info.slot];
  for (const auto& ch : list->choices) {
    if (info.expr[kChoiceFilter]) {
      c.choice = &ch;
      auto v = m_impl->safeEval(*info.expr[kChoiceFilter], c);
      if (!v || !v->toBoolean()) continue;
    }
    outList.push_back(&ch);
  }
  return outList;
}

namespace {
void valuesOf(const FormLogic::Impl& im, const FormLogic& fl, const Instance* in, int scope, nlohmann::json& obj) {
  for (int f : im.scopes[scope].fields) {
    const Field& fd = fl.field(f);
    int slot = im.fi[f].slot;
    if (!in->relevant[slot]) continue;
    if (fd.type == FieldType::Repeat) {
      int cs = im.fi[f].ownScope;
      auto arr = nlohmann::json::array();
      for (const auto& inst : in->repeats[im.scopes[cs].repeatSlot]) {
        nlohmann::json o = nlohmann::json::object();
        valuesOf(im, fl, inst.get(), cs, o);
        arr.push_back(std::move(o));
      }
      obj[fd.name] = std::move(arr);
    } else if (holdsValue(fd.type) && !in->values[slot].isEmpty()) {
      obj[fd.name] = valueToJson(in->values[slot]);
    }
  }
}
}  // namespace

nlohmann::json FormLogic::values() const {
  nlohmann::json obj = nlohmann::json::object();
  valuesOf(*m_impl, *this, m_impl->root.get(), 0, obj);
  return obj;
}

size_t FormLogic::dependentCount(int field) const {
  if (field < 0 || field >= fieldCount()) return 0;
  return m_impl->dependents(field).size();
}

// ---- JSON conversion ----------------------------------------------------------

Value valueFromJson(const nlohmann::json& v, FieldType type) {
  if (v.is_null()) return Value();
  if (v.is_boolean()) return Value::boolean(v.get<bool>());
  if (v.is_number()) return Value::number(v.get<double>());
  if (!v.is_string()) return Value();
  const std::string& s = v.get_ref<const std::string&>();
  if (s.empty()) return Value();
  switch (type) {
    case FieldType::Date:
      if (auto d = parseDate(s)) return *d;
      if (auto dt = parseDateTime(s)) return Value::date(std::floor(dt->num));
      break;
    case FieldType::DateTime:
      if (auto dt = parseDateTime(s)) return *dt;
      break;
    case FieldType::Time:
      if (auto t = parseTime(s)) return *t;
      break;
    default:
      break;
  }
  return Value::string(s);
}

nlohmann::json valueToJson(const Value& v) {
  switch (v.type) {
    case Type::Number:
      if (std::isnan(v.num) || std::isinf(v.num)) return numberToString(v.num);
      if (v.num == std::floor(v.num) && std::fabs(v.num) < 9007199254740992.0)
        return static_cast<long long>(v.num);
      return v.num;
    case Type::String: return v.str;
    default: return v.toString();
  }
}

// ---- checker ---------------------------------------------------------------

void checkFormLogic(const Form& form, Diagnostics& diags) {
  FormLogic logic(form);
  for (const auto& e : logic.errors()) {
    SourcePos pos;
    std::string path;
    if (e.field >= 0) {
      const Field& f = logic.field(e.field);
      path = f.path.empty() ? f.name : f.path;
      pos = f.pos;
      auto it = f.propertyPos.find(e.property);
      if (it != f.propertyPos.end() && it->second.line > 0) {
        pos = it->second;
        if (e.column > 0) pos.column += e.column;
      }
    }
    std::string msg = e.property.empty() ? e.message : e.property + ": " + e.message;
    diags.error(form.sourceFile, pos, path, msg);
  }
}

}  // namespace skema::expr
