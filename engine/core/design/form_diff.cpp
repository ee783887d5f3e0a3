#include "design/form_diff.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <map>
#include <set>

#include "store/store.h"

namespace skema::design {

using nlohmann::json;

const char* changeKindName(ChangeKind k) {
  switch (k) {
    case ChangeKind::FormProperty: return "form-property";
    case ChangeKind::FieldAdded: return "field-added";
    case ChangeKind::FieldRemoved: return "field-removed";
    case ChangeKind::FieldRenamed: return "field-renamed";
    case ChangeKind::FieldMoved: return "field-moved";
    case ChangeKind::TypeChanged: return "type-changed";
    case ChangeKind::ChoiceAdded: return "choice-added";
    case ChangeKind::ChoiceRemoved: return "choice-removed";
    case ChangeKind::ChoiceRelabelled: return "choice-relabelled";
    case ChangeKind::LogicChanged: return "logic-changed";
    case ChangeKind::LabelChanged: return "label-changed";
    case ChangeKind::PropertyChanged: return "property-changed";
  }
  return "?";
}

namespace {

std::string show(const json& v) {
  if (v.is_null()) return "(none)";
  if (v.is_string()) return "'" + v.get<std::string>() + "'";
  return v.dump();
}

json text(const LocalizedText& t) { return t.empty() ? json() : json(t); }
json str(const std::string& s) { return s.empty() ? json() : json(s); }
json num(const std::optional<double>& d) {
  if (!d) return json();
  if (std::floor(*d) == *d && std::fabs(*d) < 9e15) return json(static_cast<long long>(*d));
  return json(*d);
}

// Names of the enclosing repeats of each field, nearest first ("" = none).
void repeatOwners(const std::vector<Field>& fs, const std::string& owner, const std::string& parent,
                  std::map<std::string, std::pair<std::string, std::string>>& out) {
  for (const auto& f : fs) {
    out[f.name] = {owner, parent};
    if (isContainer(f.type)) repeatOwners(f.fields, f.type == FieldType::Repeat ? f.name : owner, f.name, out);
  }
}

std::string trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r\n"), b = s.find_last_not_of(" \t\r\n");
  return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

bool isDate(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(s[size_t(i)]))) return false;
  return true;
}

bool isTime(const std::string& s) {
  if (s.size() != 8 || s[2] != ':' || s[5] != ':') return false;
  for (int i : {0, 1, 3, 4, 6, 7})
    if (!std::isdigit(static_cast<unsigned char>(s[size_t(i)]))) return false;
  return true;
}

void addChoiceChanges(const Field& a, const Form& from, const Field& b, const Form& to,
                      std::vector<FieldChange>& out) {
  const ChoiceList* la = from.findChoices(a.choices);
  const ChoiceList* lb = to.findChoices(b.choices);
  if (!la || !lb) return;
  for (const auto& c : la->choices) {
    const Choice* n = lb->find(c.name);
    FieldChange ch;
    ch.field = b.name;
    ch.oldField = a.name;
    ch.property = "choices";
    ch.choice = c.name;
    if (!n) {
      ch.kind = ChangeKind::ChoiceRemoved;
      ch.before = c.label;
      out.push_back(std::move(ch));
    } else if (n->label != c.label) {
      ch.kind = ChangeKind::ChoiceRelabelled;
      ch.before = c.label;
      ch.after = n->label;
      out.push_back(std::move(ch));
    }
  }
  for (const auto& c : lb->choices)
    if (!la->find(c.name)) {
      FieldChange ch;
      ch.kind = ChangeKind::ChoiceAdded;
      ch.field = b.name;
      ch.oldField = a.name;
      ch.property = "choices";
      ch.choice = c.name;
      ch.after = c.label;
      out.push_back(std::move(ch));
    }
}

}  // namespace

std::string FieldChange::describe() const {
  auto q = [](const std::string& s) { return "`" + s + "`"; };
  switch (kind) {
    case ChangeKind::FormProperty: return "form " + property + " changed: " + show(before) + " -> " + show(after);
    case ChangeKind::FieldAdded:
      return "field " + q(field) + " added (" + after.value("type", std::string("?")) +
             (after.value("required", false) ? ", required" : "") + ")";
    case ChangeKind::FieldRemoved: return "field " + q(field) + " removed";
    case ChangeKind::FieldRenamed: return "field " + q(oldField) + " renamed to " + q(field);
    case ChangeKind::FieldMoved:
      return "field " + q(field) + " moved from " + (before.get<std::string>().empty() ? "the top level" : q(before.get<std::string>())) +
             " to " + (after.get<std::string>().empty() ? "the top level" : q(after.get<std::string>()));
    case ChangeKind::TypeChanged:
      return "type of " + q(field) + " changed: " + before.get<std::string>() + " -> " + after.get<std::string>();
    case ChangeKind::ChoiceAdded: return "choice " + q(choice) + " added to " + q(field);
    case ChangeKind::ChoiceRemoved: return "choice " + q(choice) + " removed from " + q(field);
    case ChangeKind::ChoiceRelabelled:
      return "choice " + q(choice) + " of " + q(field) + " relabelled: " + show(before) + " -> " + show(after);
    case ChangeKind::LogicChanged:
    case ChangeKind::LabelChanged:
    case ChangeKind::PropertyChanged:
      return property + " of " + q(field) + " changed: " + show(before) + " -> " + show(after);
  }
  return {};
}

std::map<std::string, std::string> matchFields(const Form& from, const Form& to) {
  std::set<std::string> oldNames;
  std::vector<const Field*> newOrder;
  from.forEachField([&](const Field& f) { oldNames.insert(f.name); });
  to.forEachField([&](const Field& f) { newOrder.push_back(&f); });
  std::map<std::string, std::string> newToOld;
  std::set<std::string> oldMatched;
  for (const Field* f : newOrder)
    if (!f->renamedFrom.empty() && oldNames.count(f->renamedFrom) && !oldMatched.count(f->renamedFrom)) {
      newToOld[f->name] = f->renamedFrom;
      oldMatched.insert(f->renamedFrom);
    }
  for (const Field* f : newOrder)
    if (!newToOld.count(f->name) && oldNames.count(f->name) && !oldMatched.count(f->name)) {
      newToOld[f->name] = f->name;
      oldMatched.insert(f->name);
    }
  return newToOld;
}

std::map<std::string, std::string> matchFields(const std::vector<const Form*>& chain) {
  std::map<std::string, std::string> toFirst;  // name in the newest form so far -> name in chain[0]
  if (chain.empty()) return toFirst;
  chain.front()->forEachField([&](const Field& f) { toFirst[f.name] = f.name; });
  for (size_t i = 1; i < chain.size(); ++i) {
    std::map<std::string, std::string> next;
    for (const auto& [newName, oldName] : matchFields(*chain[i - 1], *chain[i]))
      if (auto it = toFirst.find(oldName); it != toFirst.end()) next[newName] = it->second;
    toFirst = std::move(next);
  }
  return toFirst;
}

FormDiff diffForms(const Form& from, const Form& to, const std::map<std::string, std::string>* matches) {
  FormDiff d;
  d.formId = to.id;
  d.fromVersion = from.version;
  d.toVersion = to.version;
  auto& out = d.changes;

  auto formProp = [&](const char* name, const json& a, const json& b) {
    if (a == b) return;
    FieldChange c;
    c.kind = ChangeKind::FormProperty;
    c.property = name;
    c.before = a;
    c.after = b;
    out.push_back(std::move(c));
  };
  if (from.id != to.id) formProp("id", from.id, to.id);
  formProp("title", text(from.title), text(to.title));
  formProp("description", text(from.description), text(to.description));
  formProp("languages", from.languages, to.languages);

  // Match fields: renamed_from first, then the same name.
  std::map<std::string, const Field*> oldByName, newByName;
  std::vector<const Field*> oldOrder, newOrder;
  from.forEachField([&](const Field& f) { oldByName[f.name] = &f; oldOrder.push_back(&f); });
  to.forEachField([&](const Field& f) { newByName[f.name] = &f; newOrder.push_back(&f); });
  std::map<std::string, std::string> newToOld = matches ? *matches : matchFields(from, to);  // new -> old
  std::set<std::string> oldMatched;
  for (auto it = newToOld.begin(); it != newToOld.end();) {  // only names the two forms have
    if (!newByName.count(it->first) || !oldByName.count(it->second) || !oldMatched.insert(it->second).second)
      it = newToOld.erase(it);
    else
      ++it;
  }

  std::map<std::string, std::pair<std::string, std::string>> ownA, ownB;
  repeatOwners(from.fields, "", "", ownA);
  repeatOwners(to.fields, "", "", ownB);

  for (const Field* f : oldOrder)
    if (!oldMatched.count(f->name)) {
      FieldChange c;
      c.kind = ChangeKind::FieldRemoved;
      c.field = c.oldField = f->name;
      c.before = json{{"type", fieldTypeName(f->type)}};
      out.push_back(std::move(c));
    }

  for (const Field* b : newOrder) {
    auto m = newToOld.find(b->name);
    if (m == newToOld.end()) {
      FieldChange c;
      c.kind = ChangeKind::FieldAdded;
      c.field = c.oldField = b->name;
      c.after = json{{"type", fieldTypeName(b->type)}, {"required", b->isRequiredAlways()}};
      if (!b->defaultValue.empty()) c.after["default"] = b->defaultValue;
      out.push_back(std::move(c));
      continue;
    }
    const Field* a = oldByName[m->second];
    auto change = [&](ChangeKind k, const std::string& prop, const json& x, const json& y) {
      if (x == y) return;
      FieldChange c;
      c.kind = k;
      c.field = b->name;
      c.oldField = a->name;
      c.property = prop;
      c.before = x;
      c.after = y;
      out.push_back(std::move(c));
    };
    if (a->name != b->name) change(ChangeKind::FieldRenamed, "name", a->name, b->name);
    // Moved: a different parent (mapped through renames).
    std::string pa = ownA[a->name].second, pb = ownB[b->name].second;
    std::string pbOld = pb.empty() ? "" : (newToOld.count(pb) ? newToOld[pb] : "\x01" + pb);
    if (pa != pbOld) change(ChangeKind::FieldMoved, "parent", pa, pb);
    change(ChangeKind::TypeChanged, "type", fieldTypeName(a->type), fieldTypeName(b->type));
    change(ChangeKind::LabelChanged, "label", text(a->label), text(b->label));
    change(ChangeKind::LabelChanged, "hint", text(a->hint), text(b->hint));
    change(ChangeKind::LabelChanged, "required_message", text(a->requiredMessage), text(b->requiredMessage));
    change(ChangeKind::LabelChanged, "constraint_message", text(a->constraintMessage), text(b->constraintMessage));
    // Logic: the old expression with its references following the renames,
    // so a reference that only follows a rename is no change.
    auto logic = [&](const char* prop, const std::string& x, const std::string& y) {
      std::string mapped = x;
      for (const auto& [n, o] : newToOld)
        if (n != o) {
          const std::string from = "${" + o + "}", to = "${" + n + "}";
          for (size_t p = mapped.find(from); p != std::string::npos; p = mapped.find(from, p + to.size()))
            mapped.replace(p, from.size(), to);
        }
      if (mapped != y) change(ChangeKind::LogicChanged, prop, str(x), str(y));
    };
    logic("required", a->required, b->required);
    logic("relevant", a->relevant, b->relevant);
    logic("constraint", a->constraint, b->constraint);
    logic("calculation", a->calculation, b->calculation);
    logic("default", a->defaultValue, b->defaultValue);
    logic("choice_filter", a->choiceFilter, b->choiceFilter);
    change(ChangeKind::PropertyChanged, "read_only", a->readOnly, b->readOnly);
    change(ChangeKind::PropertyChanged, "sensitive", a->sensitive, b->sensitive);
    change(ChangeKind::PropertyChanged, "appearance", str(a->appearance), str(b->appearance));
    change(ChangeKind::PropertyChanged, "min", num(a->min), num(b->min));
    change(ChangeKind::PropertyChanged, "max", num(a->max), num(b->max));
    change(ChangeKind::PropertyChanged, "step", num(a->step), num(b->step));
    if (isSelect(a->type) || isSelect(b->type)) {
      change(ChangeKind::PropertyChanged, "choices", str(a->choices), str(b->choices));
      if (isSelect(a->type) && isSelect(b->type)) addChoiceChanges(*a, from, *b, to, out);
    }
  }
  return d;
}

std::vector<const json*> valuesOf(const json& values, const std::string& name) {
  std::vector<const json*> out;
  std::function<void(const json&)> walk = [&](const json& obj) {
    if (!obj.is_object()) return;
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      if (it.key() == name && !it->is_null()) out.push_back(&*it);
      else if (it->is_array())
        for (const auto& e : *it) walk(e);
    }
  };
  walk(values);
  return out;
}

std::optional<json> convertValue(const json& v, FieldType from, FieldType to, std::string* why) {
  auto fail = [&](std::string m) -> std::optional<json> {
    if (why) *why = std::move(m);
    return std::nullopt;
  };
  if (from == to) return v;
  if (from == FieldType::Repeat || to == FieldType::Repeat || to == FieldType::Group || to == FieldType::Note)
    return fail(std::string("a ") + fieldTypeName(from) + " value cannot become a " + fieldTypeName(to));
  if (to == FieldType::Calculate) return v;
  const std::string s = v.is_string() ? v.get<std::string>() : v.dump();
  switch (to) {
    case FieldType::Text:
    case FieldType::PersonCode: return json(s);
    case FieldType::Integer: {
      if (v.is_number_integer()) return v;
      if (v.is_number()) {
        double d = v.get<double>();
        if (std::floor(d) == d && std::fabs(d) < 9e15) return json(static_cast<long long>(d));
        return fail(s + " is not a whole number");
      }
      std::string t = trim(s);
      char* end = nullptr;
      errno = 0;
      long long n = t.empty() ? 0 : std::strtoll(t.c_str(), &end, 10);
      if (t.empty() || *end || errno) return fail("'" + s + "' is not a whole number");
      return json(n);
    }
    case FieldType::Decimal:
    case FieldType::Range: {
      if (v.is_number()) return v;
      std::string t = trim(s);
      if (auto c = t.find(','); c != std::string::npos && t.find('.') == std::string::npos) t[c] = '.';
      char* end = nullptr;
      double d = t.empty() ? 0 : std::strtod(t.c_str(), &end);
      if (t.empty() || *end || !std::isfinite(d)) return fail("'" + s + "' is not a number");
      if (std::floor(d) == d && std::fabs(d) < 9e15) return json(static_cast<long long>(d));
      return json(d);
    }
    case FieldType::Date: {
      std::string t = trim(s);
      if (t.size() > 10 && t[10] == 'T') t.resize(10);
      if (!isDate(t)) return fail("'" + s + "' is not a date (YYYY-MM-DD)");
      return json(t);
    }
    case FieldType::Time: {
      std::string t = trim(s);
      if (t.size() > 11 && t[10] == 'T') t = t.substr(11, 8);
      if (t.size() == 5) t += ":00";
      if (!isTime(t)) return fail("'" + s + "' is not a time (HH:MM:SS)");
      return json(t);
    }
    case FieldType::DateTime: {
      std::string t = trim(s);
      if (t.size() < 19 || !isDate(t.substr(0, 10)) || t[10] != 'T' || !isTime(t.substr(11, 8)))
        return fail("'" + s + "' is not a date and time");
      return json(t);
    }
    case FieldType::SelectOne: {
      std::string t = trim(s);
      if (t.find(' ') != std::string::npos) return fail("'" + s + "' holds more than one choice");
      return json(t);
    }
    case FieldType::SelectMultiple: return json(trim(s));
    default: break;
  }
  return fail(std::string("cannot convert ") + fieldTypeName(from) + " to " + fieldTypeName(to));
}

void measureImpact(FormDiff& diff, const Form& from, const Form& to, store::Store& store) {
  std::vector<RecordValues> records;
  store.forEachRecord(from.id, false, [&](const store::Record& r) {
    if (r.formVersion == from.version) records.push_back({r.values, r.status == store::RecordStatus::Final});
  });
  measureImpact(diff, from, to, records);
}

void measureImpact(FormDiff& diff, const Form& from, const Form& to, const std::vector<RecordValues>& records) {
  diff.recordsMeasured = std::int64_t(records.size());
  auto withValue = [&](const std::string& name) {
    std::int64_t n = 0;
    for (const auto& r : records) n += valuesOf(r.values, name).empty() ? 0 : 1;
    return n;
  };
  auto plural = [](std::int64_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
  };
  for (auto& c : diff.changes) {
    switch (c.kind) {
      case ChangeKind::FieldRemoved: {
        c.records = withValue(c.oldField);
        c.impact = c.records ? plural(c.records, "record has a value", "records have a value") +
                                   "; kept under v" + std::to_string(from.version) + ", dropped if migrated"
                             : "no record has a value";
        break;
      }
      case ChangeKind::FieldRenamed: {
        c.records = withValue(c.oldField);
        c.impact = plural(c.records, "record has a value", "records have a value") + "; it follows the rename";
        break;
      }
      case ChangeKind::FieldMoved: {
        const Field* a = from.findField(c.oldField);
        c.records = withValue(c.oldField);
        std::map<std::string, std::pair<std::string, std::string>> oa, ob;
        repeatOwners(from.fields, "", "", oa);
        repeatOwners(to.fields, "", "", ob);
        bool repeatChange = (oa[c.oldField].first.empty()) != (ob[c.field].first.empty());
        c.impact = repeatChange && c.records && a && holdsValue(a->type)
                       ? plural(c.records, "record has a value", "records have a value") +
                             " that cannot follow a move into or out of a repeat"
                       : "no data change";
        break;
      }
      case ChangeKind::TypeChanged: {
        const Field* a = from.findField(c.oldField);
        const Field* b = to.findField(c.field);
        if (!a || !b) break;
        c.records = 0;
        c.failures = 0;
        for (const auto& r : records) {
          auto vs = valuesOf(r.values, c.oldField);
          if (vs.empty()) continue;
          ++c.records;
          for (const json* v : vs)
            if (!convertValue(*v, a->type, b->type)) {
              ++c.failures;
              break;
            }
        }
        c.impact = plural(c.records, "record has a value", "records have a value") + "; " +
                   (c.failures ? plural(c.failures, "would not convert", "would not convert")
                               : std::string("all convert"));
        break;
      }
      case ChangeKind::ChoiceRemoved: {
        c.records = 0;
        for (const auto& r : records) {
          bool has = false;
          for (const json* v : valuesOf(r.values, c.oldField)) {
            if (!v->is_string()) continue;
            std::string s = " " + v->get<std::string>() + " ";
            if (s.find(" " + c.choice + " ") != std::string::npos) has = true;
          }
          c.records += has ? 1 : 0;
        }
        c.impact = c.records ? plural(c.records, "record has it", "records have it") +
                                   " (map it to a replacement to migrate them)"
                             : "no record has it";
        break;
      }
      case ChangeKind::FieldAdded: {
        const Field* b = to.findField(c.field);
        if (b && holdsValue(b->type) && b->isRequiredAlways() && b->calculation.empty() && b->defaultValue.empty()) {
          c.records = 0;
          for (const auto& r : records) c.records += r.final ? 1 : 0;
          c.impact = c.records ? plural(c.records, "final record has", "final records have") +
                                     " no value (give a default in the migration plan or they become drafts)"
                               : "no final records to fill";
        }
        break;
      }
      case ChangeKind::LogicChanged: {
        if (c.property == "required" || c.property == "constraint" || c.property == "relevant") {
          c.records = withValue(c.oldField);
          c.impact = "existing values are kept; checked again only when a record is migrated or edited";
        }
        break;
      }
      default: break;
    }
  }
}

nlohmann::json FormDiff::toJson() const {
  json j = {{"form", formId}, {"from", fromVersion}, {"to", toVersion}, {"changes", json::array()}};
  if (recordsMeasured >= 0) j["records_measured"] = recordsMeasured;
  for (const auto& c : changes) {
    json e = {{"kind", changeKindName(c.kind)}, {"field", c.field}, {"text", c.describe()}};
    if (c.oldField != c.field && !c.oldField.empty()) e["old_field"] = c.oldField;
    if (!c.property.empty()) e["property"] = c.property;
    if (!c.choice.empty()) e["choice"] = c.choice;
    if (!c.before.is_null()) e["before"] = c.before;
    if (!c.after.is_null()) e["after"] = c.after;
    if (c.records >= 0) e["records"] = c.records;
    if (c.failures >= 0) e["failures"] = c.failures;
    if (!c.impact.empty()) e["impact"] = c.impact;
    j["changes"].push_back(std::move(e));
  }
  return j;
}

std::string FormDiff::toText() const {
  std::string out = formId + " v" + std::to_string(fromVersion) + " -> v" + std::to_string(toVersion) + ": " +
                    std::to_string(changes.size()) + " change(s)";
  if (recordsMeasured >= 0) out += ", impact measured on " + std::to_string(recordsMeasured) + " record(s) of v" +
                                   std::to_string(fromVersion);
  out += "\n";
  for (const auto& c : changes) {
    out += "  " + c.describe() + "\n";
    if (!c.impact.empty()) out += "      impact: " + c.impact + "\n";
  }
  return out;
}

}  // namespace skema::design
