#include "design/form_editor.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>

#include "expr/functions.h"

namespace skema::design {

using nlohmann::json;

namespace {

const char* kExprKeys[] = {"relevant", "constraint", "calculation", "default", "choice_filter", "required"};

// Replaces every `${from}` with `${to}` in `text`.
bool replaceRef(std::string& text, const std::string& from, const std::string& to) {
  const std::string a = "${" + from + "}", b = "${" + to + "}";
  bool changed = false;
  for (size_t pos = text.find(a); pos != std::string::npos; pos = text.find(a, pos + b.size())) {
    text.replace(pos, a.size(), b);
    changed = true;
  }
  return changed;
}

void forEachFieldJson(json& fields, const std::function<void(json&)>& fn) {
  if (!fields.is_array()) return;
  for (auto& f : fields) {
    if (!f.is_object()) continue;
    fn(f);
    if (f.contains("fields")) forEachFieldJson(f["fields"], fn);
  }
}

void forEachFieldJson(const json& fields, const std::function<void(const json&)>& fn) {
  if (!fields.is_array()) return;
  for (const auto& f : fields) {
    if (!f.is_object()) continue;
    fn(f);
    if (f.contains("fields")) forEachFieldJson(f.at("fields"), fn);
  }
}

std::string nameOf(const json& f) {
  auto it = f.find("name");
  return it != f.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool containsField(const json& f, const std::string& name) {
  bool found = false;
  if (f.contains("fields"))
    forEachFieldJson(f.at("fields"), [&](const json& c) { found = found || nameOf(c) == name; });
  return found;
}

std::vector<std::string> splitLine(const std::string& line) {
  char sep = line.find('\t') != std::string::npos ? '\t' : line.find(';') != std::string::npos ? ';' : '\0';
  std::vector<std::string> out;
  if (!sep) {
    out.push_back(line);
    return out;
  }
  size_t start = 0;
  for (;;) {
    size_t p = line.find(sep, start);
    out.push_back(line.substr(start, p == std::string::npos ? std::string::npos : p - start));
    if (p == std::string::npos) break;
    start = p + 1;
  }
  return out;
}

std::string trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r\n"), b = s.find_last_not_of(" \t\r\n");
  return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

bool validChoiceName(const std::string& n) {
  if (n.empty()) return false;
  for (unsigned char c : n)
    if (!(std::isalnum(c) || c == '_' || c == '.' || c == '-')) return false;
  return true;
}

}  // namespace

std::string slugName(const std::string& label) {
  static const std::pair<const char*, const char*> kFold[] = {
      {"æ", "ae"}, {"ø", "oe"}, {"å", "aa"}, {"Æ", "ae"}, {"Ø", "oe"}, {"Å", "aa"},
      {"é", "e"},  {"ü", "u"},  {"ö", "o"},  {"ä", "a"},  {"Ü", "u"},  {"Ö", "o"}, {"Ä", "a"}};
  std::string out;
  for (size_t i = 0; i < label.size();) {
    bool folded = false;
    for (const auto& [from, to] : kFold) {
      size_t n = std::char_traits<char>::length(from);
      if (label.compare(i, n, from) == 0) {
        out += to;
        i += n;
        folded = true;
        break;
      }
    }
    if (folded) continue;
    unsigned char c = static_cast<unsigned char>(label[i++]);
    if (std::isalnum(c) && c < 128) out.push_back(char(std::tolower(c)));
    else if (!out.empty() && out.back() != '_') out.push_back('_');
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  if (out.empty()) out = "choice";
  if (std::isdigit(static_cast<unsigned char>(out[0]))) out = "_" + out;
  if (out.size() > 64) out.resize(64);
  return out;
}

FormEditor::FormEditor(json definition, const ChoiceLibrary* shared, std::string fileName)
    : m_def(std::move(definition)), m_shared(shared), m_fileName(std::move(fileName)) {
  if (!m_def.is_object()) m_def = json::object();
  recheck();
}

FormEditor FormEditor::nextVersionOf(const json& published, const ChoiceLibrary* shared) {
  json def = published;
  std::set<std::string> names;
  if (def.contains("fields")) {
    forEachFieldJson(def["fields"], [&](json& f) {
      f.erase("renamed_from");
      names.insert(nameOf(f));
    });
  }
  def["version"] = published.value("version", 0) + 1;
  // The published version's choices, read from the definition itself (and
  // the shared lists it names), so they are known even when the published
  // form no longer passes today's checks.
  std::map<std::string, std::set<std::string>> baseChoices;
  if (def.contains("choices") && def["choices"].is_object())
    for (const auto& [list, items] : def["choices"].items())
      for (const auto& c : items)
        if (c.is_object()) baseChoices[list].insert(c.value("name", ""));
  if (def.contains("fields"))
    forEachFieldJson(def.at("fields"), [&](const json& f) {
      const std::string list = f.contains("choices") && f["choices"].is_string() ? f["choices"].get<std::string>() : "";
      if (!list.empty() && !baseChoices.count(list) && shared)
        if (const ChoiceList* cl = shared->find(list))
          for (const auto& c : cl->choices) baseChoices[list].insert(c.name);
    });
  FormEditor ed(std::move(def), shared);
  if (ed.m_form) ed.setBase(*ed.m_form);  // the published content, one version up
  ed.m_baseNames = std::move(names);
  for (auto& [list, items] : baseChoices) ed.m_baseChoices[list].insert(items.begin(), items.end());
  return ed;
}

void FormEditor::setBase(const Form& base) {
  m_baseNames.clear();
  base.forEachField([&](const Field& f) { m_baseNames.insert(f.name); });
  m_baseChoices.clear();
  for (const auto& [name, list] : base.choices)
    for (const auto& c : list.choices) m_baseChoices[name].insert(c.name);
}

void FormEditor::recheck() {
  m_diags = Diagnostics();
  m_form = loadForm(m_def.dump(2), m_fileName, m_diags, m_shared);
}

std::vector<std::string> FormEditor::languages() const {
  std::vector<std::string> langs;
  if (auto it = m_def.find("languages"); it != m_def.end() && it->is_array())
    for (const auto& l : *it)
      if (l.is_string()) langs.push_back(l.get<std::string>());
  if (langs.empty()) langs = {"da", "en"};
  return langs;
}

std::vector<std::string> FormEditor::fieldNames() const {
  std::vector<std::string> out;
  if (m_def.contains("fields")) forEachFieldJson(m_def.at("fields"), [&](const json& f) { out.push_back(nameOf(f)); });
  return out;
}

std::string FormEditor::freeName(const std::string& base) const {
  auto names = fieldNames();
  std::set<std::string> used(names.begin(), names.end());
  if (!used.count(base)) return base;
  for (int i = 2;; ++i) {
    std::string n = base + "_" + std::to_string(i);
    if (!used.count(n)) return n;
  }
}

json* FormEditor::locate(const std::string& name, json** siblings, size_t* index) {
  std::function<json*(json&)> find = [&](json& arr) -> json* {
    if (!arr.is_array()) return nullptr;
    for (size_t i = 0; i < arr.size(); ++i) {
      json& f = arr[i];
      if (!f.is_object()) continue;
      if (nameOf(f) == name) {
        if (siblings) *siblings = &arr;
        if (index) *index = i;
        return &f;
      }
      if (f.contains("fields"))
        if (json* r = find(f["fields"])) return r;
    }
    return nullptr;
  };
  if (!m_def.contains("fields")) return nullptr;
  return find(m_def["fields"]);
}

const json* FormEditor::findField(const std::string& name) const {
  return const_cast<FormEditor*>(this)->locate(name, nullptr, nullptr);
}

std::optional<std::string> FormEditor::parentOf(const std::string& name) const {
  std::optional<std::string> out;
  std::function<void(const json&, const std::string&)> walk = [&](const json& arr, const std::string& parent) {
    if (!arr.is_array()) return;
    for (const auto& f : arr) {
      if (!f.is_object()) continue;
      if (nameOf(f) == name) out = parent;
      if (f.contains("fields")) walk(f.at("fields"), nameOf(f));
    }
  };
  if (m_def.contains("fields")) walk(m_def.at("fields"), "");
  return out;
}

json* FormEditor::fieldsOf(const std::string& parent) {
  if (parent.empty()) {
    if (!m_def.contains("fields") || !m_def["fields"].is_array()) m_def["fields"] = json::array();
    return &m_def["fields"];
  }
  json* p = locate(parent, nullptr, nullptr);
  if (!p) return nullptr;
  auto t = fieldTypeFromName(p->value("type", ""));
  if (!t || !isContainer(*t)) return nullptr;
  if (!p->contains("fields") || !(*p)["fields"].is_array()) (*p)["fields"] = json::array();
  return &(*p)["fields"];
}

void FormEditor::snapshot() {
  m_undo.push_back(m_def);
  if (m_undo.size() > 200) m_undo.erase(m_undo.begin());
  m_redo.clear();
}

void FormEditor::rollback() {
  m_def = std::move(m_undo.back());
  m_undo.pop_back();
}

EditResult FormEditor::done(std::string name) {
  recheck();
  EditResult r;
  r.applied = true;
  r.name = std::move(name);
  return r;
}

static EditResult refuse(std::string why) {
  EditResult r;
  r.error = std::move(why);
  return r;
}

bool FormEditor::undo() {
  if (m_undo.empty()) return false;
  m_redo.push_back(std::move(m_def));
  m_def = std::move(m_undo.back());
  m_undo.pop_back();
  recheck();
  return true;
}

bool FormEditor::redo() {
  if (m_redo.empty()) return false;
  m_undo.push_back(std::move(m_def));
  m_def = std::move(m_redo.back());
  m_redo.pop_back();
  recheck();
  return true;
}

// ---- fields -----------------------------------------------------------------

EditResult FormEditor::addField(const std::string& type, const std::string& name, const std::string& parent,
                                int index) {
  auto t = fieldTypeFromName(type);
  if (!t) return refuse("unknown type '" + type + "'");
  std::string n = name.empty() ? freeName(type + "_1") : name;
  if (findField(n)) return refuse("a field named '" + n + "' exists already");
  if (!parent.empty() && !fieldsOf(parent)) return refuse("'" + parent + "' is not a group or repeat");
  snapshot();
  json f = {{"name", n}, {"type", type}};
  if (*t != FieldType::Calculate) {
    json label = json::object();
    for (const auto& l : languages()) label[l] = n;
    f["label"] = label;
  } else {
    f["calculation"] = "''";
  }
  if (isContainer(*t)) f["fields"] = json::array();
  json* arr = fieldsOf(parent);
  size_t at = index < 0 || size_t(index) > arr->size() ? arr->size() : size_t(index);
  arr->insert(arr->begin() + std::ptrdiff_t(at), std::move(f));
  return done(n);
}

EditResult FormEditor::duplicateField(const std::string& name) {
  json* siblings = nullptr;
  size_t index = 0;
  json* f = locate(name, &siblings, &index);
  if (!f) return refuse("no field named '" + name + "'");
  json copy = *f;
  snapshot();
  std::set<std::string> taken;
  for (const auto& n : fieldNames()) taken.insert(n);
  auto fresh = [&](const std::string& base) {
    std::string n = base + "_copy";
    for (int i = 2; taken.count(n); ++i) n = base + "_copy_" + std::to_string(i);
    taken.insert(n);
    return n;
  };
  std::map<std::string, std::string> renames;
  std::function<void(json&)> rename = [&](json& g) {
    std::string old = nameOf(g);
    g["name"] = renames[old] = fresh(old);
    g.erase("renamed_from");
    if (g.contains("fields") && g["fields"].is_array())
      for (auto& c : g["fields"]) rename(c);
  };
  rename(copy);
  // References between the copied fields follow the copies.
  std::function<void(json&)> fixRefs = [&](json& g) {
    for (const char* k : kExprKeys)
      if (g.contains(k) && g[k].is_string()) {
        std::string text = g[k];
        for (const auto& [from, to] : renames) replaceRef(text, from, to);
        g[k] = text;
      }
    if (g.contains("fields") && g["fields"].is_array())
      for (auto& c : g["fields"]) fixRefs(c);
  };
  if (copy.contains("fields")) fixRefs(copy);
  std::string newName = nameOf(copy);
  siblings->insert(siblings->begin() + std::ptrdiff_t(index + 1), std::move(copy));
  return done(newName);
}

EditResult FormEditor::deleteField(const std::string& name) {
  json* siblings = nullptr;
  size_t index = 0;
  if (!locate(name, &siblings, &index)) return refuse("no field named '" + name + "'");
  snapshot();
  siblings->erase(siblings->begin() + std::ptrdiff_t(index));
  return done(name);
}

EditResult FormEditor::moveUp(const std::string& name) {
  json* siblings = nullptr;
  size_t index = 0;
  if (!locate(name, &siblings, &index)) return refuse("no field named '" + name + "'");
  if (index == 0) return refuse("'" + name + "' is first already");
  snapshot();
  std::swap((*siblings)[index], (*siblings)[index - 1]);
  return done(name);
}

EditResult FormEditor::moveDown(const std::string& name) {
  json* siblings = nullptr;
  size_t index = 0;
  if (!locate(name, &siblings, &index)) return refuse("no field named '" + name + "'");
  if (index + 1 >= siblings->size()) return refuse("'" + name + "' is last already");
  snapshot();
  std::swap((*siblings)[index], (*siblings)[index + 1]);
  return done(name);
}

EditResult FormEditor::moveInto(const std::string& name, const std::string& parent, int index) {
  json* siblings = nullptr;
  size_t at = 0;
  json* f = locate(name, &siblings, &at);
  if (!f) return refuse("no field named '" + name + "'");
  if (!parent.empty()) {
    if (parent == name || containsField(*f, parent)) return refuse("a group cannot be moved into itself");
    if (!fieldsOf(parent)) return refuse("'" + parent + "' is not a group or repeat");
  }
  snapshot();
  json moved = std::move(*f);
  siblings->erase(siblings->begin() + std::ptrdiff_t(at));
  json* arr = fieldsOf(parent);
  size_t pos = index < 0 || size_t(index) > arr->size() ? arr->size() : size_t(index);
  arr->insert(arr->begin() + std::ptrdiff_t(pos), std::move(moved));
  return done(name);
}

EditResult FormEditor::renameField(const std::string& name, const std::string& newName) {
  json* f = locate(name, nullptr, nullptr);
  if (!f) return refuse("no field named '" + name + "'");
  if (newName == name) return refuse("the name is unchanged");
  if (findField(newName)) return refuse("a field named '" + newName + "' exists already");
  snapshot();
  f = locate(name, nullptr, nullptr);
  std::string original = f->contains("renamed_from") ? (*f)["renamed_from"].get<std::string>() : name;
  (*f)["name"] = newName;
  if (original == newName) f->erase("renamed_from");
  else if (m_baseNames.count(original)) (*f)["renamed_from"] = original;
  else f->erase("renamed_from");
  // Keep "renamed_from" right after "name" is not possible with nlohmann's
  // sorted objects; the key order of the file is not significant.
  if (m_def.contains("fields"))
    forEachFieldJson(m_def["fields"], [&](json& g) {
      for (const char* k : kExprKeys)
        if (g.contains(k) && g[k].is_string()) {
          std::string text = g[k];
          if (replaceRef(text, name, newName)) g[k] = text;
        }
    });
  return done(newName);
}

EditResult FormEditor::setProperty(const std::string& name, const std::string& key, const json& value) {
  if (key == "name") return refuse("use rename to change a field's name");
  if (key == "fields") return refuse("use the move operations to change a group's fields");
  const auto& allowed = fieldPropertyNames();
  if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
    return refuse("unknown field property '" + key + "'");
  json* f = locate(name, nullptr, nullptr);
  if (!f) return refuse("no field named '" + name + "'");
  if (value.is_null() && !f->contains(key)) return refuse("'" + key + "' is not set");
  if (!value.is_null() && f->contains(key) && (*f)[key] == value) return refuse("unchanged");
  snapshot();
  f = locate(name, nullptr, nullptr);
  if (value.is_null()) f->erase(key);
  else (*f)[key] = value;
  if (key == "type") {  // a container keeps a fields array; a non-container loses it
    auto t = fieldTypeFromName(value.is_string() ? value.get<std::string>() : "");
    if (t && isContainer(*t) && !f->contains("fields")) (*f)["fields"] = json::array();
  }
  return done(name);
}

EditResult FormEditor::setFormProperty(const std::string& key, const json& value) {
  if (key == "fields" || key == "choices") return refuse("'" + key + "' is edited with its own operations");
  if (key == "format") return refuse("the format is fixed");
  const auto& allowed = formPropertyNames();
  if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
    return refuse("unknown form property '" + key + "'");
  snapshot();
  if (value.is_null()) m_def.erase(key);
  else m_def[key] = value;
  return done(key);
}

// ---- choices -----------------------------------------------------------------

json* FormEditor::choiceList(const std::string& list, bool create) {
  if (!m_def.contains("choices") || !m_def["choices"].is_object()) {
    if (!create) return nullptr;
    m_def["choices"] = json::object();
  }
  json& lists = m_def["choices"];
  if (lists.contains(list)) return &lists[list];
  if (!create) return nullptr;
  // First edit of a shared list: copy it into the form.
  json copy = json::array();
  if (m_shared)
    if (const ChoiceList* cl = m_shared->find(list)) {
      for (const auto& c : cl->choices) {
        json j = {{"name", c.name}, {"label", c.label}};
        if (!c.attributes.empty()) j["filter"] = c.attributes;
        copy.push_back(std::move(j));
      }
    }
  lists[list] = std::move(copy);
  return &lists[list];
}

EditResult FormEditor::addChoiceList(const std::string& list) {
  if (!validChoiceName(list)) return refuse("invalid list name '" + list + "'");
  if (choiceList(list, false)) return refuse("the form has a list named '" + list + "' already");
  snapshot();
  choiceList(list, true);
  return done(list);
}

EditResult FormEditor::addChoice(const std::string& list, const std::string& name, const LocalizedText& label,
                                 int index) {
  if (!validChoiceName(name)) return refuse("invalid choice name '" + name + "' (letters, digits, _ . -)");
  snapshot();
  json* arr = choiceList(list, true);
  for (const auto& c : *arr)
    if (c.value("name", "") == name) {
      rollback();
      return refuse("the list '" + list + "' has a choice '" + name + "' already");
    }
  json lbl = json::object();
  for (const auto& l : languages()) {
    auto it = label.find(l);
    lbl[l] = it != label.end() && !it->second.empty() ? it->second : name;
  }
  size_t at = index < 0 || size_t(index) > arr->size() ? arr->size() : size_t(index);
  arr->insert(arr->begin() + std::ptrdiff_t(at), json{{"name", name}, {"label", lbl}});
  return done(name);
}

EditResult FormEditor::removeChoice(const std::string& list, const std::string& name) {
  json* arr = choiceList(list, false);
  if (!arr && !(m_shared && m_shared->find(list))) return refuse("no choice list '" + list + "'");
  snapshot();
  arr = choiceList(list, true);
  for (size_t i = 0; i < arr->size(); ++i)
    if ((*arr)[i].value("name", "") == name) {
      arr->erase(arr->begin() + std::ptrdiff_t(i));
      return done(name);
    }
  rollback();
  return refuse("no choice '" + name + "' in '" + list + "'");
}

EditResult FormEditor::moveChoice(const std::string& list, const std::string& name, int newIndex) {
  snapshot();
  json* arr = choiceList(list, true);
  for (size_t i = 0; i < arr->size(); ++i)
    if ((*arr)[i].value("name", "") == name) {
      size_t to = newIndex < 0 ? 0 : std::min(size_t(newIndex), arr->size() - 1);
      if (to == i) break;
      json c = std::move((*arr)[i]);
      arr->erase(arr->begin() + std::ptrdiff_t(i));
      arr->insert(arr->begin() + std::ptrdiff_t(to), std::move(c));
      return done(name);
    }
  rollback();
  return refuse("no choice '" + name + "' in '" + list + "' to move");
}

EditResult FormEditor::setChoiceLabel(const std::string& list, const std::string& name, const std::string& lang,
                                      const std::string& text) {
  snapshot();
  json* arr = choiceList(list, true);
  for (auto& c : *arr)
    if (c.value("name", "") == name) {
      c["label"][lang] = text;
      return done(name);
    }
  rollback();
  return refuse("no choice '" + name + "' in '" + list + "'");
}

namespace {

// The words of an expression that can stand for a choice name: the
// space-separated words inside quoted text, and the bare tokens outside.
bool mentions(const std::string& text, const std::string& name) {
  auto isWord = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-'; };
  for (size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (c == '\'' || c == '"') {
      const size_t close = text.find(c, i + 1);
      const std::string quoted = text.substr(i + 1, close == std::string::npos ? std::string::npos : close - i - 1);
      for (const auto& w : expr::splitSelected(quoted))
        if (w == name) return true;
      i = close == std::string::npos ? text.size() : close + 1;
    } else if (isWord(c)) {
      size_t e = i;
      while (e < text.size() && isWord(text[e])) ++e;
      if (text.compare(i, e - i, name) == 0 && e - i == name.size()) return true;
      i = e;
    } else {
      ++i;
    }
  }
  return false;
}

}  // namespace

std::string FormEditor::mentionOf(const std::string& name) const {
  std::string where;
  if (m_def.contains("fields"))
    forEachFieldJson(m_def.at("fields"), [&](const json& f) {
      for (const char* k : kExprKeys) {
        if (!where.empty() || !f.contains(k)) continue;
        const json& v = f[k];
        const std::string text = v.is_string() ? v.get<std::string>() : v.is_number() ? v.dump() : "";
        if (mentions(text, name)) where = "the " + std::string(k) + " of '" + nameOf(f) + "'";
      }
    });
  if (where.empty() && m_def.contains("choices") && m_def["choices"].is_object())
    for (const auto& [list, items] : m_def["choices"].items())
      for (const auto& c : items)
        if (where.empty() && c.is_object() && c.contains("filter") && c["filter"].is_object())
          for (const auto& [attr, value] : c["filter"].items())
            if ((value.is_string() && value.get<std::string>() == name) || (value.is_number() && value.dump() == name))
              where = "the filter '" + attr + "' of choice '" + c.value("name", "") + "' in '" + list + "'";
  return where;
}

EditResult FormEditor::renameChoice(const std::string& list, const std::string& name, const std::string& newName) {
  if (newName == name) return refuse("the choice is called '" + name + "' already");
  if (!validChoiceName(newName)) return refuse("invalid choice name '" + newName + "' (letters, digits, _ . -)");
  if (auto it = m_baseChoices.find(list); it != m_baseChoices.end() && it->second.count(name))
    return refuse("'" + name + "' is in the published version's records: relabel it, or add a new choice and "
                  "map '" + name + "' to it in the migration plan");
  // A choice is named in expressions as text ('bar', or a word of 'a b' for
  // several), as a bare number (${rating} = 5), in defaults, and in other
  // lists' filter attributes ({"region": "nord"}). Which of those mean this
  // list's choice cannot be told apart from another list's choice or an
  // attribute of the same name, so while the name is written anywhere the
  // choice is not renamed.
  if (std::string where = mentionOf(name); !where.empty())
    return refuse("'" + name + "' is written in " + where + ": a rename would change what that means, so the "
                  "choice keeps its name (change it there first, or add a new choice)");
  snapshot();
  json* arr = choiceList(list, true);
  json* found = nullptr;
  for (auto& c : *arr) {
    const std::string n = c.value("name", "");
    if (n == newName) {
      rollback();
      return refuse("the list '" + list + "' has a choice '" + newName + "' already");
    }
    if (n == name) found = &c;
  }
  if (!found) {
    rollback();
    return refuse("no choice '" + name + "' in '" + list + "'");
  }
  (*found)["name"] = newName;
  return done(newName);
}

EditResult FormEditor::importChoices(const std::string& list, const std::string& pastedText, bool replace) {
  if (!validChoiceName(list)) return refuse("invalid list name '" + list + "'");
  snapshot();
  json* arr = choiceList(list, true);
  if (replace) arr->clear();
  std::set<std::string> used;
  for (const auto& c : *arr) used.insert(c.value("name", ""));
  const auto langs = languages();
  int added = 0;
  size_t start = 0;
  while (start <= pastedText.size()) {
    size_t nl = pastedText.find('\n', start);
    std::string line = pastedText.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    start = nl == std::string::npos ? pastedText.size() + 1 : nl + 1;
    if (trim(line).empty()) continue;
    auto cols = splitLine(line);
    for (auto& c : cols) c = trim(c);
    std::string name;
    std::vector<std::string> labels;
    if (cols.size() == 1) {
      name = validChoiceName(cols[0]) && cols[0].find('.') == std::string::npos ? cols[0] : slugName(cols[0]);
      labels.push_back(cols[0]);
    } else {
      name = validChoiceName(cols[0]) ? cols[0] : slugName(cols[0]);
      labels.assign(cols.begin() + 1, cols.end());
    }
    std::string unique = name;
    for (int i = 2; used.count(unique); ++i) unique = name + "_" + std::to_string(i);
    used.insert(unique);
    json lbl = json::object();
    for (size_t i = 0; i < langs.size(); ++i) {
      std::string t = i < labels.size() && !labels[i].empty() ? labels[i] : (labels.empty() ? unique : labels[0]);
      lbl[langs[i]] = t;
    }
    arr->push_back(json{{"name", unique}, {"label", lbl}});
    ++added;
  }
  if (added == 0 && !replace) {
    rollback();
    return refuse("no lines to import");
  }
  return done(std::to_string(added));
}

}  // namespace skema::design
