#include "report/variables.h"

#include <algorithm>
#include <set>

#include "store/store.h"

namespace skema::report {

int Variable::choiceIndex(const std::string& choiceName) const {
  for (size_t i = 0; i < choices.size(); ++i)
    if (choices[i].name == choiceName) return static_cast<int>(i);
  return -1;
}

std::vector<std::string> Variable::formerNames() const {
  std::vector<std::string> out;
  for (const auto& [v, n] : nameIn)
    if (n != name && std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
  return out;
}

int FormVariables::find(const std::string& name) const {
  for (size_t i = 0; i < vars.size(); ++i)
    if (vars[i].name == name) return static_cast<int>(i);
  for (size_t i = 0; i < vars.size(); ++i)
    for (const auto& [v, n] : vars[i].nameIn)
      if (n == name) return static_cast<int>(i);
  return -1;
}

int FormVariables::indexIn(int version, const std::string& fieldName) const {
  auto it = byVersion.find(version);
  if (it == byVersion.end()) return -1;
  auto jt = it->second.find(fieldName);
  return jt == it->second.end() ? -1 : jt->second;
}

const std::unordered_map<std::string, int>* FormVariables::namesOf(int version) const {
  auto it = byVersion.find(version);
  return it == byVersion.end() ? nullptr : &it->second;
}

namespace {

struct Flat {
  const Field* field;
  const Field* repeat;  // enclosing repeat or null
};

void flatten(const std::vector<Field>& fs, const Field* repeat, std::vector<Flat>& out) {
  for (const auto& f : fs) {
    if (f.type == FieldType::Repeat) {
      out.push_back({&f, repeat});
      flatten(f.fields, &f, out);
    } else if (f.type == FieldType::Group) {
      flatten(f.fields, repeat, out);
    } else if (holdsValue(f.type)) {
      out.push_back({&f, repeat});
    }
  }
}

}  // namespace

FormVariables unionVariables(const std::vector<std::shared_ptr<const Form>>& formsIn) {
  std::vector<std::shared_ptr<const Form>> forms;
  for (const auto& f : formsIn)
    if (f) forms.push_back(f);
  std::sort(forms.begin(), forms.end(), [](const auto& a, const auto& b) { return a->version < b->version; });
  FormVariables out;
  if (forms.empty()) return out;
  out.formId = forms.back()->id;
  out.title = forms.back()->title;

  std::vector<Variable> vars;              // in creation order
  std::vector<std::string> repeatOf;       // var -> enclosing repeat's name at its last version
  std::unordered_map<std::string, int> last;  // name -> variable, as of the versions seen so far
  for (const auto& form : forms) {
    const int v = form->version;
    out.versions.push_back(v);
    std::vector<Flat> flat;
    flatten(form->fields, nullptr, flat);
    auto& names = out.byVersion[v];
    std::set<int> claimed;
    std::vector<std::pair<std::string, int>> renamedAway;
    for (const auto& [f, rep] : flat) {
      int idx = -1;
      if (!f->renamedFrom.empty()) {
        auto it = last.find(f->renamedFrom);
        if (it != last.end() && !claimed.count(it->second)) {
          idx = it->second;
          renamedAway.push_back({f->renamedFrom, idx});
        }
      }
      if (idx < 0) {
        auto it = last.find(f->name);
        if (it != last.end() && !claimed.count(it->second)) idx = it->second;
      }
      if (idx < 0) {
        idx = static_cast<int>(vars.size());
        vars.emplace_back();
        repeatOf.emplace_back();
      }
      claimed.insert(idx);
      Variable& var = vars[idx];
      var.name = f->name;
      var.type = f->type;
      var.label = f->label;
      var.choiceList = f->choices;
      var.sensitive = var.sensitive || f->sensitive;
      var.versions.push_back(v);
      var.nameIn[v] = f->name;
      repeatOf[idx] = rep ? rep->name : std::string();
      names[f->name] = idx;
      if (isSelect(f->type)) {
        if (const ChoiceList* cl = form->findChoices(f->choices)) {
          for (const auto& c : cl->choices) {
            auto it = std::find_if(var.choices.begin(), var.choices.end(),
                                   [&](const VarChoice& x) { return x.name == c.name; });
            if (it == var.choices.end()) {
              var.choices.push_back({c.name, c.label, {v}});
            } else {
              it->label = c.label;
              it->versions.push_back(v);
            }
          }
        }
      }
    }
    for (const auto& [oldName, idx] : renamedAway) {
      auto it = last.find(oldName);
      if (it != last.end() && it->second == idx) last.erase(it);
    }
    for (const auto& [name, idx] : names) last[name] = idx;
  }
  // Enclosing repeat: the repeat's newest name.
  for (size_t i = 0; i < vars.size(); ++i) {
    if (repeatOf[i].empty()) continue;
    int v = vars[i].versions.back();
    int r = -1;
    if (auto it = out.byVersion[v].find(repeatOf[i]); it != out.byVersion[v].end()) r = it->second;
    vars[i].repeat = r >= 0 ? vars[r].name : repeatOf[i];
  }
  // Choices: newest version's order first, then choices only older versions had.
  for (auto& var : vars) {
    int newest = var.versions.back();
    std::stable_partition(var.choices.begin(), var.choices.end(), [&](const VarChoice& c) {
      return std::find(c.versions.begin(), c.versions.end(), newest) != c.versions.end();
    });
  }
  // Order: newest version's fields in form order, then the older-only ones
  // (newer versions first).
  std::vector<int> order;
  std::vector<char> placed(vars.size(), 0);
  for (auto it = forms.rbegin(); it != forms.rend(); ++it) {
    std::vector<Flat> flat;
    flatten((*it)->fields, nullptr, flat);
    for (const auto& fl : flat) {
      int idx = out.byVersion[(*it)->version][fl.field->name];
      if (!placed[idx]) {
        placed[idx] = 1;
        order.push_back(idx);
      }
    }
  }
  std::vector<int> newIndex(vars.size());
  for (size_t i = 0; i < order.size(); ++i) newIndex[order[i]] = static_cast<int>(i);
  for (size_t i = 0; i < order.size(); ++i) out.vars.push_back(std::move(vars[order[i]]));
  for (auto& [v, names] : out.byVersion)
    for (auto& [n, idx] : names) idx = newIndex[idx];
  return out;
}

FormVariables unionVariables(store::Store& store, const std::string& formId) {
  auto infos = store.formVersions(formId);
  if (infos.empty())
    throw store::StoreError(store::ErrorKind::NotFound, "form " + formId + " is not published in this workspace");
  std::vector<std::shared_ptr<const Form>> forms;
  for (const auto& i : infos) forms.push_back(store.form(formId, i.version));
  return unionVariables(forms);
}

}  // namespace skema::report
