#include "design/migration.h"

#include <algorithm>
#include <functional>
#include <set>

#include "design/form_diff.h"
#include "form/form.h"

namespace skema::design {

using nlohmann::json;
using store::Record;
using store::RecordStatus;
using store::StoreError;
using store::ErrorKind;

namespace {

std::string show(const std::optional<json>& v) {
  if (!v) return "(none)";
  if (v->is_string()) return "'" + v->get<std::string>() + "'";
  std::string s = v->dump();
  if (s.size() > 80) s = s.substr(0, 77) + "...";
  return s;
}

std::vector<std::string> tokens(const std::string& s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    size_t j = s.find(' ', i);
    if (j == std::string::npos) j = s.size();
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

// Repeat owner of each field (nearest enclosing repeat, "" = none).
void owners(const std::vector<Field>& fs, const std::string& owner, std::map<std::string, std::string>& out) {
  for (const auto& f : fs) {
    out[f.name] = owner;
    if (isContainer(f.type)) owners(f.fields, f.type == FieldType::Repeat ? f.name : owner, out);
  }
}

// Changes between two value objects (top level; what the store will audit).
void diffTopLevel(const json& a, const json& b, const std::string& note, std::vector<ValueChange>& out) {
  for (auto it = a.begin(); it != a.end(); ++it) {
    auto n = b.find(it.key());
    if (n == b.end()) out.push_back({it.key(), *it, std::nullopt, note});
    else if (*n != *it) out.push_back({it.key(), *it, *n, note});
  }
  for (auto it = b.begin(); it != b.end(); ++it)
    if (!a.contains(it.key())) out.push_back({it.key(), std::nullopt, *it, note});
}

std::string statusText(const Record& r) { return store::statusName(r.status); }

// Saves the `after` of every row chosen to move, in one batch (final
// records may be reopened: that is what a migration or its undo does).
template <typename Rows>
void saveChosen(store::Store& st, const Rows& rows, const store::Actor& who) {
  std::vector<Record> batch;
  for (const auto& m : rows)
    if (m.migrate) batch.push_back(m.after);
  if (batch.empty()) return;
  store::BatchOptions o;
  o.allowReopen = true;
  st.saveBatch(batch, who, o);
}

}  // namespace

std::string migrationReason(int version) { return "migrated to v" + std::to_string(version); }

std::optional<MigrationPlan> MigrationPlan::fromJson(const json& j, std::string* error) {
  auto fail = [&](const std::string& m) -> std::optional<MigrationPlan> {
    if (error) *error = m;
    return std::nullopt;
  };
  if (!j.is_object()) return fail("a migration plan is a JSON object");
  MigrationPlan p;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& k = it.key();
    if (k == "choices") {
      if (!it->is_object()) return fail("\"choices\" must map field names to {old choice: new choice}");
      for (auto f = it->begin(); f != it->end(); ++f) {
        if (!f->is_object()) return fail("\"choices\"." + f.key() + " must map old choice names to new ones");
        for (auto c = f->begin(); c != f->end(); ++c) {
          if (!c->is_string()) return fail("\"choices\"." + f.key() + "." + c.key() + " must be a choice name or \"\"");
          p.choices[f.key()][c.key()] = c->get<std::string>();
        }
      }
    } else if (k == "defaults") {
      if (!it->is_object()) return fail("\"defaults\" must map field names to values");
      for (auto f = it->begin(); f != it->end(); ++f) p.defaults[f.key()] = *f;
    } else if (k == "on_invalid") {
      std::string v = it->is_string() ? it->get<std::string>() : "";
      if (v == "draft") p.invalidToDraft = true;
      else if (v == "skip") p.invalidToDraft = false;
      else return fail("\"on_invalid\" must be \"skip\" or \"draft\"");
    } else if (k == "comment" || k == "$comment") {
    } else {
      return fail("unknown key \"" + k + "\" in the migration plan (choices, defaults, on_invalid)");
    }
  }
  return p;
}

json migrateValues(const Form& a, const Form& b, const json& values, const MigrationPlan& plan,
                   std::vector<ValueChange>& changes, std::vector<std::string>& problems) {
  const std::string vb = "v" + std::to_string(b.version);
  // Old name -> new field: renamed_from first, then the same name.
  std::map<std::string, const Field*> oldToNew;
  std::set<std::string> taken;
  b.forEachField([&](const Field& f) {
    if (!f.renamedFrom.empty() && a.findField(f.renamedFrom) && !oldToNew.count(f.renamedFrom)) {
      oldToNew[f.renamedFrom] = &f;
      taken.insert(f.name);
    }
  });
  b.forEachField([&](const Field& f) {
    if (!taken.count(f.name) && a.findField(f.name) && !oldToNew.count(f.name)) oldToNew[f.name] = &f;
  });
  std::map<std::string, std::string> ownA, ownB;
  owners(a.fields, "", ownA);
  owners(b.fields, "", ownB);

  std::function<json(const json&, const std::string&)> scope = [&](const json& obj, const std::string& prefix) {
    json out = json::object();
    if (!obj.is_object()) return out;
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      const std::string& key = it.key();
      const json& v = *it;
      const Field* fa = a.findField(key);
      if (!fa) {
        problems.push_back(prefix + key + ": not a field of v" + std::to_string(a.version));
        continue;
      }
      auto m = oldToNew.find(key);
      if (m == oldToNew.end()) {
        changes.push_back({prefix + key, v, std::nullopt, "field removed in " + vb});
        continue;
      }
      const Field* fb = m->second;
      const std::string path = prefix + fb->name;
      std::string oa = ownA[key], ob = ownB[fb->name];
      std::string oaMapped = oa.empty() ? "" : (oldToNew.count(oa) ? oldToNew[oa]->name : "\x01");
      if (oaMapped != ob) {
        problems.push_back(path + ": moved into or out of a repeat in " + vb + "; its value cannot follow");
        continue;
      }
      std::vector<std::string> notes;
      if (fa->name != fb->name) notes.push_back("renamed from " + fa->name);
      if (fa->type == FieldType::Repeat) {
        if (fb->type != FieldType::Repeat) {
          problems.push_back(path + ": a repeat became a " + std::string(fieldTypeName(fb->type)));
          continue;
        }
        json arr = json::array();
        if (v.is_array())
          for (size_t i = 0; i < v.size(); ++i) arr.push_back(scope(v[i], path + "[" + std::to_string(i + 1) + "]/"));
        if (!notes.empty()) changes.push_back({path, std::nullopt, std::nullopt, notes.front()});
        out[fb->name] = std::move(arr);
        continue;
      }
      std::string why;
      auto conv = convertValue(v, fa->type, fb->type, &why);
      if (!conv) {
        problems.push_back(path + ": " + why + " (" + fieldTypeName(fa->type) + " -> " + fieldTypeName(fb->type) +
                           ")");
        continue;
      }
      if (fa->type != fb->type) notes.push_back(std::string(fieldTypeName(fa->type)) + " -> " + fieldTypeName(fb->type));
      json nv = std::move(*conv);
      if (isSelect(fb->type) && nv.is_string()) {
        const std::map<std::string, std::string>* map = nullptr;
        if (auto p = plan.choices.find(fb->name); p != plan.choices.end()) map = &p->second;
        else if (auto q = plan.choices.find(fa->name); q != plan.choices.end()) map = &q->second;
        const ChoiceList* list = b.findChoices(fb->choices);
        std::vector<std::string> kept;
        for (const auto& t : tokens(nv.get<std::string>())) {
          std::string r = t;
          if (map)
            if (auto c = map->find(t); c != map->end() && (!list || !list->find(t) || c->second != t)) {
              r = c->second;
              notes.push_back(r.empty() ? "choice " + t + " dropped" : "choice " + t + " -> " + r);
            }
          if (r.empty()) continue;
          if (list && !list->find(r)) {
            problems.push_back(path + ": choice '" + r + "' is not in " + vb + "'s list '" + fb->choices +
                               "'; map it in the plan: \"choices\": {\"" + fb->name + "\": {\"" + r +
                               "\": \"NEW\"}}");
            continue;
          }
          if (std::find(kept.begin(), kept.end(), r) == kept.end()) kept.push_back(r);
        }
        std::string joined;
        for (const auto& k : kept) joined += (joined.empty() ? "" : " ") + k;
        nv = joined;
      }
      std::string note;
      for (const auto& n : notes) note += (note.empty() ? "" : "; ") + n;
      if (nv.is_string() && nv.get<std::string>().empty()) {
        changes.push_back({path, v, std::nullopt, note.empty() ? "no value left" : note});
        continue;
      }
      if (nv != v || fa->name != fb->name) changes.push_back({path, v, nv, note});
      out[fb->name] = std::move(nv);
    }
    return out;
  };
  json out = scope(values, "");
  for (const auto& [name, value] : plan.defaults) {
    const Field* f = b.findField(name);
    if (!f || !holdsValue(f->type) || !ownB[name].empty() || out.contains(name) || value.is_null()) continue;
    out[name] = value;
    changes.push_back({name, std::nullopt, value, "default from the plan"});
  }
  return out;
}

MigrationReport planMigration(store::Store& st, const std::string& formId, int toVersion, const MigrationPlan& plan,
                              std::optional<int> fromVersion) {
  auto target = st.form(formId, toVersion);
  if (!target)
    throw StoreError(ErrorKind::NotFound, formId + " version " + std::to_string(toVersion) + " is not published");
  // The plan must name fields of the target version.
  std::vector<store::FieldMessage> bad;
  for (const auto& [field, map] : plan.choices) {
    const Field* f = target->findField(field);
    if (!f || !isSelect(f->type)) bad.push_back({field, "\"choices\" names no select field of v" + std::to_string(toVersion)});
    else if (const ChoiceList* l = target->findChoices(f->choices))
      for (const auto& [from, to] : map)
        if (!to.empty() && !l->find(to)) bad.push_back({field, "replacement '" + to + "' for '" + from + "' is not a choice of '" + f->choices + "'"});
  }
  std::map<std::string, std::string> own;
  owners(target->fields, "", own);
  for (const auto& [field, value] : plan.defaults) {
    const Field* f = target->findField(field);
    if (!f || !holdsValue(f->type) || !own[field].empty())
      bad.push_back({field, "\"defaults\" names no top-level field of v" + std::to_string(toVersion)});
  }
  if (!bad.empty()) {
    std::string m = "the migration plan does not fit " + formId + " v" + std::to_string(toVersion) + ": " +
                    bad.front().field + ": " + bad.front().message;
    throw StoreError(ErrorKind::Invalid, m, bad);
  }

  std::vector<int> versions;
  for (const auto& v : st.formVersions(formId)) versions.push_back(v.version);
  std::sort(versions.begin(), versions.end());

  MigrationReport rep;
  rep.formId = formId;
  rep.toVersion = toVersion;
  rep.reason = migrationReason(toVersion);
  std::vector<Record> records;
  st.forEachRecord(formId, false, [&](const Record& r) {
    if (r.formVersion < toVersion && (!fromVersion || r.formVersion == *fromVersion)) records.push_back(r);
  });
  for (auto& r : records) {
    RecordMigration m;
    m.before = r;
    json values = r.values;
    for (size_t i = 0; i + 1 < versions.size(); ++i) {
      if (versions[i] < r.formVersion || versions[i] >= toVersion) continue;
      auto a = st.form(formId, versions[i]);
      auto b = st.form(formId, versions[i + 1]);
      values = migrateValues(*a, *b, values, plan, m.changes, m.problems);
    }
    m.after = r;
    m.after.formVersion = toVersion;
    m.after.values = values;
    if (m.problems.empty() && r.status == RecordStatus::Final) {
      json checked = values;
      auto errs = store::validateValues(*target, checked);
      if (errs.empty()) {
        diffTopLevel(values, checked, "recalculated or not relevant in v" + std::to_string(toVersion), m.changes);
        m.after.values = checked;
      } else if (plan.invalidToDraft) {
        m.after.status = RecordStatus::Draft;
        m.reopened = true;
        for (const auto& e : errs) m.problems.push_back(e.field + ": " + e.message);
      } else {
        for (const auto& e : errs) m.problems.push_back(e.field + ": " + e.message);
      }
    }
    m.migrate = m.problems.empty() || m.reopened;
    if (!m.migrate) ++rep.staying;
    else ++rep.migrating;
    if (m.reopened) ++rep.reopened;
    rep.records.push_back(std::move(m));
  }
  return rep;
}

void runMigration(store::Store& st, MigrationReport& rep, const std::string& user) {
  saveChosen(st, rep.records, {user, rep.reason});
  rep.committed = true;
}

std::string MigrationReport::toText(bool verbose) const {
  std::string out = formId + " -> v" + std::to_string(toVersion) + ": " + std::to_string(records.size()) +
                    " record(s) on older versions: " + std::to_string(migrating) + " migrate" +
                    (reopened ? " (" + std::to_string(reopened) + " of them as drafts to complete)" : "") + ", " +
                    std::to_string(staying) + " stay on their version\n";
  if (verbose) {
    for (const auto& m : records) {
      out += "  " + m.before.id + "  v" + std::to_string(m.before.formVersion) + " " + statusText(m.before);
      if (m.migrate) out += " -> v" + std::to_string(m.after.formVersion) + " " + statusText(m.after) + "\n";
      else out += ": stays\n";
      for (const auto& c : m.changes) {
        bool same = c.before && c.after && *c.before == *c.after;  // a rename only
        out += "      " + c.field + ": " + (same ? show(c.after) : show(c.before) + " -> " + show(c.after)) +
               (c.note.empty() ? "" : "  (" + c.note + ")") + "\n";
      }
      for (const auto& p : m.problems) out += std::string("      ") + (m.reopened ? "to complete: " : "problem: ") + p + "\n";
    }
  } else {
    // Changed values per field, and the problems, counted.
    std::map<std::string, int> perField, perProblem;
    for (const auto& m : records) {
      if (m.migrate)
        for (const auto& c : m.changes) {
          std::string f = c.field;
          for (size_t b; (b = f.find('[')) != std::string::npos;) f.erase(b, f.find(']', b) - b + 1);
          ++perField[f + (c.note.empty() ? "" : "  (" + c.note + ")")];
        }
      for (const auto& p : m.problems) ++perProblem[(m.reopened ? "to complete: " : "stays: ") + p];
    }
    for (const auto& [f, n] : perField) out += "  " + std::to_string(n) + " x " + f + "\n";
    for (const auto& [p, n] : perProblem) out += "  " + std::to_string(n) + " x " + p + "\n";
  }
  return out;
}

json MigrationReport::toJson() const {
  json j = {{"form", formId},       {"to", toVersion},       {"migrating", migrating}, {"staying", staying},
            {"reopened", reopened}, {"committed", committed}, {"records", json::array()}};
  for (const auto& m : records) {
    json r = {{"id", m.before.id},
              {"from", m.before.formVersion},
              {"migrate", m.migrate},
              {"status", store::statusName(m.after.status)},
              {"changes", json::array()},
              {"problems", m.problems}};
    for (const auto& c : m.changes) {
      json e = {{"field", c.field}, {"note", c.note}};
      if (c.before) e["before"] = *c.before;
      if (c.after) e["after"] = *c.after;
      r["changes"].push_back(std::move(e));
    }
    j["records"].push_back(std::move(r));
  }
  return j;
}

// ---- revert ------------------------------------------------------------------

RevertReport planRevert(store::Store& st, const std::string& formId, int toVersion) {
  RevertReport rep;
  rep.formId = formId;
  rep.toVersion = toVersion;
  const std::string reason = migrationReason(toVersion);
  std::vector<Record> records;
  st.forEachRecord(formId, false, [&](const Record& r) {
    if (r.formVersion == toVersion) records.push_back(r);
  });
  for (auto& r : records) {
    auto h = st.history(r.id);
    int mig = -1;
    for (int i = int(h.size()) - 1; i >= 0; --i)
      if (h[size_t(i)].field == "_form_version" && h[size_t(i)].reason == reason &&
          h[size_t(i)].newValue == std::to_string(toVersion)) {
        mig = i;
        break;
      }
    if (mig < 0) continue;  // entered under this version, not migrated
    const auto rev = h[size_t(mig)].revision;
    std::int64_t firstSeq = h[size_t(mig)].seq;
    for (const auto& e : h)
      if (e.revision == rev) firstSeq = std::min(firstSeq, e.seq);
    RecordMigration m;
    m.before = r;
    m.after = r;
    if (r.revision != rev) {
      const auto& last = h.back();
      m.problems.push_back("changed after the migration (revision " + std::to_string(last.revision) + " by " +
                           last.user + " at " + last.at + "); revert it by hand");
      ++rep.refused;
      rep.records.push_back(std::move(m));
      continue;
    }
    auto prior = st.rebuildFromAudit(r.id, firstSeq - 1);
    if (!prior) {
      m.problems.push_back("its state before the migration is not in the audit log");
      ++rep.refused;
      rep.records.push_back(std::move(m));
      continue;
    }
    m.after.formVersion = prior->formVersion;
    m.after.status = prior->status;
    m.after.values = prior->values;
    diffTopLevel(r.values, prior->values, "", m.changes);
    m.migrate = true;
    ++rep.reverting;
    rep.records.push_back(std::move(m));
  }
  return rep;
}

void runRevert(store::Store& st, RevertReport& rep, const std::string& user) {
  saveChosen(st, rep.records, {user, "reverted migration to v" + std::to_string(rep.toVersion)});
  rep.committed = true;
}

std::string RevertReport::toText(bool verbose) const {
  std::string out = formId + ": undo migration to v" + std::to_string(toVersion) + ": " +
                    std::to_string(reverting) + " record(s) go back, " + std::to_string(refused) +
                    " changed since and left as they are\n";
  for (const auto& m : records) {
    if (!verbose && m.migrate) continue;
    out += "  " + m.before.id + "  v" + std::to_string(m.before.formVersion) + " " + statusText(m.before);
    if (m.migrate) out += " -> v" + std::to_string(m.after.formVersion) + " " + statusText(m.after) + "\n";
    else out += ": left as it is\n";
    if (verbose)
      for (const auto& c : m.changes) out += "      " + c.field + ": " + show(c.before) + " -> " + show(c.after) + "\n";
    for (const auto& p : m.problems) out += "      problem: " + p + "\n";
  }
  return out;
}

}  // namespace skema::design
