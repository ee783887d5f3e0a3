// Reads a `skema-form/1` definition into the form model, checking every rule
// of docs/form-format.md on the way and reporting all problems found, each
// with file:line:col and the field's path.
#include "form/form_loader.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>

#include "expr/form_logic.h"
#include "expr/functions.h"
#include "form/names.h"
#include "util/json_source.h"
#include "util/text.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace skema {

namespace {

const char* const kFormFormat = "skema-form/1";
const char* const kChoicesFormat = "skema-choices/1";

const std::vector<std::string> kFormKeys = {"format", "id",     "version", "title",
                                            "description", "languages", "fields", "choices"};
const std::vector<std::string> kFieldKeys = {
    "name",       "type",           "label",    "hint",       "required",  "required_message",
    "relevant",   "constraint",     "constraint_message",     "calculation", "default",
    "read_only",  "choices",        "choice_filter",          "sensitive", "min",
    "max",        "step",           "appearance", "renamed_from", "fields"};
const std::vector<std::string> kChoiceKeys = {"name", "label", "filter"};
const std::vector<std::string> kChoiceFileKeys = {"format", "name", "choices"};
const std::vector<std::string> kDefaultLanguages = {"da", "en"};

std::string didYouMean(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best = closestMatch(word, candidates);
  return best.empty() ? "" : "; did you mean '" + best + "'?";
}

std::string jsonTypeName(const json& v) {
  if (v.is_string()) return "a string";
  if (v.is_boolean()) return "true/false";
  if (v.is_number()) return "a number";
  if (v.is_object()) return "an object";
  if (v.is_array()) return "a list";
  return "null";
}

// A field's part of its path: its name when that is a valid one, else its
// position ("#3"). Valid names are short, so paths stay short however the
// names in a file look.
std::string fieldPathPart(const json& obj, size_t index) {
  if (obj.is_object())
    if (auto n = obj.find("name"); n != obj.end() && n->is_string() && names::isFieldName(n->get<std::string>()))
      return n->get<std::string>();
  return "#" + std::to_string(index + 1);
}

std::string joinFieldPath(const std::string& parentPath, const std::string& part) {
  return parentPath.empty() ? part : parentPath + "/" + part;
}

// The diagnostic path of a place in a form file given as a JSON pointer,
// named as the checker names it ("people/age", "choices/offices",
// "version"), from the part of the file parsed so far.
std::string formPathOfPointer(const json& root, const std::string& pointer) {
  const std::vector<std::string> tokens = jsonPointerTokens(pointer);
  if (tokens.empty()) return "";
  if (tokens[0] == "choices" && tokens.size() > 1) return "choices/" + tokens[1];
  if (tokens[0] != "fields" || !root.is_object()) return tokens[0];
  std::string path;
  const json* list = root.contains("fields") ? &root["fields"] : nullptr;
  for (size_t i = 1; i < tokens.size() && list && list->is_array(); i += 2) {
    size_t index = std::strtoul(tokens[i].c_str(), nullptr, 10);
    if (index >= list->size()) break;
    const json& f = (*list)[index];
    path = joinFieldPath(path, fieldPathPart(f, index));
    list = i + 1 < tokens.size() && tokens[i + 1] == "fields" && f.is_object() && f.contains("fields") ? &f["fields"] : nullptr;
  }
  return path.empty() ? "fields" : path;
}

// Reads a form or choice list file; one larger than kMaxFormFileBytes is
// refused before it is read. Returns the problem, or "" when read.
std::string readDefinitionFile(const std::string& path, std::string& text) {
  text.clear();
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (!ec && size > kMaxFormFileBytes)
    return "the file is " + std::to_string(size) + " bytes; form and choice list files may be at most " +
           std::to_string(kMaxFormFileBytes >> 20) + " MiB";
  if (!readFile(path, text)) return "cannot read file";
  return "";
}

// Shared state and helpers for reading one file.
class Reader {
 public:
  Reader(const JsonSource& src, std::string file, Diagnostics& diags, std::vector<std::string> languages)
      : m_src(src), m_file(std::move(file)), m_diags(diags), m_languages(std::move(languages)) {}

  void error(const std::string& ptr, const std::string& path, const std::string& msg) {
    m_diags.error(m_file, m_src.at(ptr), path, msg);
  }
  void warning(const std::string& ptr, const std::string& path, const std::string& msg) {
    m_diags.warning(m_file, m_src.at(ptr), path, msg);
  }
  SourcePos valuePos(const std::string& ptr) const { return m_src.valueAt(ptr); }
  const std::string& file() const { return m_file; }
  const std::vector<std::string>& languages() const { return m_languages; }
  void setLanguages(std::vector<std::string> l) { m_languages = std::move(l); }

  void unknownKeys(const json& obj, const std::string& ptr, const std::string& path,
                   const std::vector<std::string>& allowed, const char* what) {
    for (const auto& [key, _] : obj.items()) {
      if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
      error(jsonPointerJoin(ptr, key), path,
            std::string("unknown ") + what + " property '" + key + "'" + didYouMean(key, allowed));
    }
  }

  // A per-language text: {"da": "...", "en": "..."}. `needed`: every form
  // language must be present and non-empty.
  LocalizedText text(const json& obj, const std::string& ptr, const std::string& key,
                     const std::string& path, bool needed) {
    LocalizedText out;
    auto it = obj.find(key);
    std::string p = jsonPointerJoin(ptr, key);
    if (it == obj.end()) {
      if (needed) error(ptr, path, "missing " + key);
      return out;
    }
    if (!it->is_object()) {
      error(p, path, key + " must be an object of texts per language, e.g. {\"da\": \"...\", \"en\": \"...\"}");
      return out;
    }
    for (const auto& [lang, v] : it->items()) {
      if (!names::isLanguage(lang)) {
        error(jsonPointerJoin(p, lang), path, key + ": '" + lang + "' is not a language code (like \"da\" or \"en\")");
        continue;
      }
      if (!v.is_string()) {
        error(jsonPointerJoin(p, lang), path, key + "." + lang + " must be a string");
        continue;
      }
      out[lang] = v.get<std::string>();
      if (std::find(m_languages.begin(), m_languages.end(), lang) == m_languages.end())
        warning(jsonPointerJoin(p, lang), path, key + " has text in '" + lang + "', which is not one of the form's languages");
    }
    for (const auto& lang : m_languages) {
      auto t = out.find(lang);
      if (t == out.end() || t->second.empty()) error(p, path, key + " has no '" + lang + "' text");
    }
    return out;
  }

  bool string(const json& obj, const std::string& ptr, const std::string& key, const std::string& path,
              std::string& out) {
    auto it = obj.find(key);
    if (it == obj.end()) return false;
    if (!it->is_string()) {
      error(jsonPointerJoin(ptr, key), path, key + " must be a string, not " + jsonTypeName(*it));
      return false;
    }
    out = it->get<std::string>();
    return true;
  }

  bool boolean(const json& obj, const std::string& ptr, const std::string& key, const std::string& path) {
    auto it = obj.find(key);
    if (it == obj.end()) return false;
    if (!it->is_boolean()) {
      error(jsonPointerJoin(ptr, key), path, key + " must be true or false, not " + jsonTypeName(*it));
      return false;
    }
    return it->get<bool>();
  }

  std::optional<double> number(const json& obj, const std::string& ptr, const std::string& key,
                               const std::string& path) {
    auto it = obj.find(key);
    if (it == obj.end()) return std::nullopt;
    if (!it->is_number()) {
      error(jsonPointerJoin(ptr, key), path, key + " must be a number, not " + jsonTypeName(*it));
      return std::nullopt;
    }
    return it->get<double>();
  }

  // One choice list: an array of {name, label, filter}.
  std::optional<ChoiceList> choiceList(const json& arr, const std::string& ptr, const std::string& listName) {
    std::string path = "choices/" + listName;
    if (!arr.is_array()) {
      error(ptr, path, "a choice list must be a list of choices");
      return std::nullopt;
    }
    ChoiceList list;
    list.name = listName;
    list.sourceFile = m_file;
    list.pos = valuePos(ptr);
    if (arr.empty()) error(ptr, path, "choice list is empty");
    std::map<std::string, int> seen;
    for (size_t i = 0; i < arr.size(); ++i) {
      const json& c = arr[i];
      std::string cptr = jsonPointerJoin(ptr, i);
      std::string cpath = path + "[" + std::to_string(i + 1) + "]";
      if (!c.is_object()) {
        error(cptr, cpath, "a choice must be an object with name and label");
        continue;
      }
      unknownKeys(c, cptr, cpath, kChoiceKeys, "choice");
      Choice choice;
      choice.pos = valuePos(cptr);
      if (!string(c, cptr, "name", cpath, choice.name)) {
        if (!c.contains("name")) error(cptr, cpath, "choice has no name");
      } else {
        cpath = path + "/" + choice.name;
        if (!names::isChoiceName(choice.name))
          error(jsonPointerJoin(cptr, "name"), cpath,
                "invalid choice name '" + choice.name + "': use letters, digits, _ . - and no spaces");
        else if (auto it = seen.find(choice.name); it != seen.end())
          error(jsonPointerJoin(cptr, "name"), cpath,
                "duplicate choice name '" + choice.name + "' (first at line " + std::to_string(it->second) + ")");
        else
          seen[choice.name] = valuePos(jsonPointerJoin(cptr, "name")).line;
      }
      choice.label = text(c, cptr, "label", cpath, true);
      if (auto f = c.find("filter"); f != c.end()) {
        if (!f->is_object()) {
          error(jsonPointerJoin(cptr, "filter"), cpath, "filter must be an object of attributes, e.g. {\"region\": \"hovedstaden\"}");
        } else {
          for (const auto& [k, v] : f->items()) {
            if (v.is_string()) choice.attributes[k] = v.get<std::string>();
            else if (v.is_number() || v.is_boolean()) choice.attributes[k] = v.dump();
            else error(jsonPointerJoin(jsonPointerJoin(cptr, "filter"), k), cpath, "filter attribute '" + k + "' must be a string or number");
          }
        }
      }
      list.choices.push_back(std::move(choice));
    }
    return list;
  }

 private:
  const JsonSource& m_src;
  std::string m_file;
  Diagnostics& m_diags;
  std::vector<std::string> m_languages;
};

struct FieldContext {
  std::map<std::string, SourcePos> names;  // every field name in the form -> first position
  std::set<std::string> usedLists;
  int topLevelPersonCodes = 0;
  int unknownLists = 0;
};

// Unknown names get a "did you mean" up to this many times per form.
constexpr int kMaxSuggestions = 20;

class FormReader {
 public:
  FormReader(Reader& r, Form& form, const ChoiceLibrary* shared) : m_r(r), m_form(form), m_shared(shared) {}

  void read(const json& root) {
    if (!root.is_object()) {
      m_r.error("", "", "a form definition must be a JSON object");
      return;
    }
    m_r.unknownKeys(root, "", "", kFormKeys, "form");
    for (const auto& [key, _] : root.items()) m_form.propertyPos[key] = m_r.valuePos(jsonPointerJoin("", key));

    if (!m_r.string(root, "", "format", "format", m_form.format)) {
      if (!root.contains("format")) m_r.error("", "format", "missing format (expected \"" + std::string(kFormFormat) + "\")");
    } else if (m_form.format != kFormFormat) {
      m_r.error("/format", "format",
                "unknown format '" + m_form.format + "'; this version of Skema reads " + kFormFormat);
    }

    if (!m_r.string(root, "", "id", "id", m_form.id)) {
      if (!root.contains("id")) m_r.error("", "id", "missing id (e.g. \"outreach.visit\")");
    } else if (!names::isFormId(m_form.id)) {
      m_r.error("/id", "id", "invalid id '" + m_form.id + "': use area.name in lowercase, e.g. \"outreach.visit\"");
    }

    if (auto v = root.find("version"); v == root.end()) {
      m_r.error("", "version", "missing version (a whole number from 1)");
    } else if (!v->is_number_integer() || v->get<long long>() < 1 || v->get<long long>() > 1000000) {
      m_r.error("/version", "version", "version must be a whole number from 1, not " + v->dump());
    } else {
      m_form.version = v->get<int>();
    }

    if (auto l = root.find("languages"); l != root.end()) {
      std::vector<std::string> langs;
      if (!l->is_array() || l->empty()) {
        m_r.error("/languages", "languages", "languages must be a non-empty list like [\"da\", \"en\"]");
      } else {
        for (size_t i = 0; i < l->size(); ++i) {
          const json& x = (*l)[i];
          if (!x.is_string() || !names::isLanguage(x.get<std::string>()))
            m_r.error(jsonPointerJoin("/languages", i), "languages", "not a language code: " + x.dump());
          else
            langs.push_back(x.get<std::string>());
        }
      }
      if (!langs.empty()) m_r.setLanguages(langs);
    }
    m_form.languages = m_r.languages();

    m_form.title = m_r.text(root, "", "title", "title", true);
    m_form.description = m_r.text(root, "", "description", "description", false);

    // Choice lists first, so that fields can be checked against them.
    if (auto c = root.find("choices"); c != root.end()) {
      if (!c->is_object()) {
        m_r.error("/choices", "choices", "choices must be an object: list name -> list of choices");
      } else {
        for (const auto& [name, arr] : c->items()) {
          std::string ptr = jsonPointerJoin("/choices", name);
          if (!names::isListName(name))
            m_r.error(ptr, "choices/" + name, "invalid choice list name '" + name + "'");
          if (auto list = m_r.choiceList(arr, ptr, name)) m_form.choices[name] = std::move(*list);
        }
      }
    }

    auto f = root.find("fields");
    if (f == root.end()) {
      m_r.error("", "fields", "missing fields");
    } else if (!f->is_array()) {
      m_r.error("/fields", "fields", "fields must be a list of fields");
    } else {
      if (f->empty()) m_r.error("/fields", "fields", "the form has no fields");
      m_form.fields = fields(*f, "/fields", "", false, 0);
    }

    for (const auto& [name, list] : m_form.choices) {
      if (!m_ctx.usedLists.count(name) && root.contains("choices") && root["choices"].contains(name))
        m_r.warning(jsonPointerJoin("/choices", name), "choices/" + name, "choice list is not used by any field");
    }

    // The resolved definition embeds the shared lists this form uses.
    m_form.definition = root;
    for (const auto& name : m_ctx.usedLists) {
      if (m_form.definition.contains("choices") && m_form.definition["choices"].contains(name)) continue;
      if (!m_shared) continue;
      const ChoiceList* list = m_shared->find(name);
      if (!list) continue;
      m_form.choices[name] = *list;
      json arr = json::array();
      for (const auto& c : list->choices) {
        json jc = {{"name", c.name}, {"label", c.label}};
        if (!c.attributes.empty()) jc["filter"] = c.attributes;
        arr.push_back(std::move(jc));
      }
      m_form.definition["choices"][name] = std::move(arr);
    }
  }

 private:
  // `depth`: the number of groups and repeats the fields are in.
  std::vector<Field> fields(const json& arr, const std::string& ptr, const std::string& parentPath, bool inRepeat,
                            int depth) {
    std::vector<Field> out;
    for (size_t i = 0; i < arr.size(); ++i) {
      std::string fptr = jsonPointerJoin(ptr, i);
      if (!arr[i].is_object()) {
        m_r.error(fptr, parentPath, "a field must be an object with name, type and label");
        continue;
      }
      out.push_back(field(arr[i], fptr, parentPath, i, inRepeat, depth));
    }
    return out;
  }

  Field field(const json& obj, const std::string& ptr, const std::string& parentPath, size_t index, bool inRepeat,
              int depth) {
    Field f;
    f.pos = m_r.valuePos(ptr);
    const std::string path = joinFieldPath(parentPath, fieldPathPart(obj, index));
    if (m_r.string(obj, ptr, "name", path, f.name)) {
      if (!names::isFieldName(f.name)) {
        m_r.error(ptr + "/name", path,
                  "invalid field name '" + f.name +
                      "': start with a letter or _, then letters, digits or _ (at most 64)");
      } else if (auto it = m_ctx.names.find(f.name); it != m_ctx.names.end()) {
        m_r.error(ptr + "/name", path,
                  "duplicate field name '" + f.name + "' (first defined at line " + std::to_string(it->second.line) +
                      "); names must be unique in the whole form");
      } else {
        m_ctx.names[f.name] = m_r.valuePos(ptr + "/name");
      }
    } else if (!obj.contains("name")) {
      m_r.error(ptr, path, "field has no name");
    }
    f.path = path;
    m_r.unknownKeys(obj, ptr, path, kFieldKeys, "field");
    for (const auto& [key, _] : obj.items()) f.propertyPos[key] = m_r.valuePos(jsonPointerJoin(ptr, key));

    std::string typeName;
    bool typeKnown = false;
    if (m_r.string(obj, ptr, "type", path, typeName)) {
      if (auto t = fieldTypeFromName(typeName)) {
        f.type = *t;
        typeKnown = true;
      } else {
        m_r.error(ptr + "/type", path, "unknown type '" + typeName + "'" + didYouMean(typeName, fieldTypeNames()));
      }
    } else if (!obj.contains("type")) {
      m_r.error(ptr, path, "field has no type");
    }

    bool needsLabel = !typeKnown || f.type != FieldType::Calculate;
    f.label = m_r.text(obj, ptr, "label", path, needsLabel);
    f.hint = m_r.text(obj, ptr, "hint", path, false);
    f.requiredMessage = m_r.text(obj, ptr, "required_message", path, false);
    f.constraintMessage = m_r.text(obj, ptr, "constraint_message", path, false);

    if (auto r = obj.find("required"); r != obj.end()) {
      if (r->is_boolean()) f.required = r->get<bool>() ? "true()" : "";
      else if (r->is_string()) f.required = r->get<std::string>();
      else m_r.error(ptr + "/required", path, "required must be true, false or an expression");
    }
    m_r.string(obj, ptr, "relevant", path, f.relevant);
    m_r.string(obj, ptr, "constraint", path, f.constraint);
    m_r.string(obj, ptr, "calculation", path, f.calculation);
    m_r.string(obj, ptr, "choice_filter", path, f.choiceFilter);
    m_r.string(obj, ptr, "appearance", path, f.appearance);
    m_r.string(obj, ptr, "renamed_from", path, f.renamedFrom);
    if (auto d = obj.find("default"); d != obj.end()) {
      // A default is an expression; plain numbers are accepted as literals.
      if (d->is_string()) f.defaultValue = d->get<std::string>();
      else if (d->is_number()) f.defaultValue = d->dump();
      else m_r.error(ptr + "/default", path, "default must be an expression (a string) or a number");
    }
    f.readOnly = m_r.boolean(obj, ptr, "read_only", path);
    f.sensitive = m_r.boolean(obj, ptr, "sensitive", path);
    f.min = m_r.number(obj, ptr, "min", path);
    f.max = m_r.number(obj, ptr, "max", path);
    f.step = m_r.number(obj, ptr, "step", path);

    if (!f.renamedFrom.empty() && !names::isFieldName(f.renamedFrom))
      m_r.error(ptr + "/renamed_from", path, "renamed_from '" + f.renamedFrom + "' is not a valid field name");

    if (typeKnown) typeRules(obj, ptr, path, f, inRepeat, depth);
    return f;
  }

  void typeRules(const json& obj, const std::string& ptr, const std::string& path, Field& f, bool inRepeat,
                 int depth) {
    const std::string type = fieldTypeName(f.type);

    // Choices belong to selects, and selects need them.
    if (isSelect(f.type)) {
      if (!m_r.string(obj, ptr, "choices", path, f.choices)) {
        if (!obj.contains("choices")) m_r.error(ptr, path, type + " field has no choices (name a choice list)");
      } else {
        resolveList(ptr + "/choices", path, f.choices);
      }
    } else {
      for (const char* key : {"choices", "choice_filter"})
        if (obj.contains(key)) m_r.error(jsonPointerJoin(ptr, key), path, std::string(key) + " is only for select_one and select_multiple fields");
    }

    // Containers have fields; nothing else has.
    if (isContainer(f.type)) {
      auto it = obj.find("fields");
      if (it == obj.end() || (it->is_array() && it->empty())) {
        m_r.error(ptr, path, type + " has no fields");
      } else if (!it->is_array()) {
        m_r.error(ptr + "/fields", path, "fields must be a list of fields");
      } else if (depth >= kMaxFieldNesting) {
        m_r.error(ptr, path, "groups and repeats nested more than " + std::to_string(kMaxFieldNesting) + " deep");
      } else {
        f.fields = fields(*it, ptr + "/fields", path, inRepeat || f.type == FieldType::Repeat, depth + 1);
      }
      for (const char* key : {"calculation", "default", "constraint"})
        if (obj.contains(key)) m_r.error(jsonPointerJoin(ptr, key), path, std::string(key) + " does not apply to a " + type);
    } else if (obj.contains("fields")) {
      m_r.error(ptr + "/fields", path, "only group and repeat fields contain fields, not " + type);
    }

    // Bounds.
    bool numeric = f.type == FieldType::Integer || f.type == FieldType::Decimal || f.type == FieldType::Range;
    if (!numeric) {
      for (const char* key : {"min", "max", "step"})
        if (obj.contains(key)) m_r.error(jsonPointerJoin(ptr, key), path, std::string(key) + " is only for range, integer and decimal fields");
    }
    if (f.type == FieldType::Range) {
      if (!f.min || !f.max) m_r.error(ptr, path, "range needs min and max");
      if (!f.step) f.step = 1;
      if (*f.step <= 0) m_r.error(ptr + "/step", path, "step must be greater than 0");
    }
    if (f.min && f.max && *f.min > *f.max)
      m_r.error(ptr + "/min", path, "min (" + obj["min"].dump() + ") is greater than max (" + obj["max"].dump() + ")");

    if (f.type == FieldType::Calculate && f.calculation.empty())
      m_r.error(ptr, path, "calculate field has no calculation");
    if (f.type == FieldType::Note) {
      for (const char* key : {"required", "default", "constraint"})
        if (obj.contains(key)) m_r.warning(jsonPointerJoin(ptr, key), path, std::string(key) + " has no effect on a note (it holds no value)");
    }
    if (f.type == FieldType::PersonCode && !inRepeat && ++m_ctx.topLevelPersonCodes > 1)
      m_r.error(ptr, path, "a form has at most one person_code outside repeats (the person the record is about)");
  }

  void resolveList(const std::string& ptr, const std::string& path, const std::string& name) {
    m_ctx.usedLists.insert(name);
    if (m_form.choices.count(name)) return;
    if (m_shared && m_shared->find(name)) return;
    // A suggestion compares the name with every list's; past the first few
    // a file full of unknown lists would take hours to check.
    std::string hint;
    if (++m_ctx.unknownLists <= kMaxSuggestions) {
      std::vector<std::string> known;
      for (const auto& [n, _] : m_form.choices) known.push_back(n);
      if (m_shared)
        for (const auto& n : m_shared->names()) known.push_back(n);
      hint = didYouMean(name, known);
    }
    m_r.error(ptr, path, "choice list '" + name + "' not found" + hint);
  }

  Reader& m_r;
  Form& m_form;
  const ChoiceLibrary* m_shared;
  FieldContext m_ctx;
};

}  // namespace

// ---------------------------------------------------------------------------
// ChoiceLibrary

bool ChoiceLibrary::loadFile(const std::string& path, Diagnostics& diags) {
  std::string text;
  if (std::string problem = readDefinitionFile(path, text); !problem.empty()) {
    diags.error(path, {}, "", problem);
    return false;
  }
  return loadText(text, path, diags);
}

bool ChoiceLibrary::loadText(const std::string& text, const std::string& path, Diagnostics& diags) {
  int before = diags.errorCount();
  JsonSource src;
  if (!parseJsonSource(text, path, src, diags)) return false;
  Reader r(src, path, diags, kDefaultLanguages);
  const json& root = src.value;
  if (!root.is_object()) {
    r.error("", "", "a choice list file must be a JSON object");
    return false;
  }
  r.unknownKeys(root, "", "", kChoiceFileKeys, "choice list file");
  std::string format, name;
  if (!r.string(root, "", "format", "format", format) || format != kChoicesFormat)
    r.error(root.contains("format") ? "/format" : "", "format",
            std::string("a choice list file needs \"format\": \"") + kChoicesFormat + "\"");
  if (!r.string(root, "", "name", "name", name)) {
    if (!root.contains("name")) r.error("", "name", "missing name");
    return false;
  }
  if (!names::isListName(name)) r.error("/name", "name", "invalid choice list name '" + name + "'");
  if (m_lists.count(name)) {
    r.error("/name", "name", "choice list '" + name + "' is already defined in " + m_lists[name].sourceFile);
    return false;
  }
  auto c = root.find("choices");
  if (c == root.end()) {
    r.error("", "choices", "missing choices");
    return false;
  }
  auto list = r.choiceList(*c, "/choices", name);
  if (!list || diags.errorCount() > before) return false;
  m_lists[name] = std::move(*list);
  return true;
}

namespace {
struct JsonFile {
  std::string path, text;
  std::string problem;  // why it was not read ("" = read)
};

// A folder's *.json files, sorted, with their texts.
std::vector<JsonFile> jsonFiles(const std::string& dir) {
  std::vector<JsonFile> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_regular_file() && e.path().extension() == ".json") files.push_back({e.path().string(), "", ""});
  std::sort(files.begin(), files.end(), [](const JsonFile& a, const JsonFile& b) { return a.path < b.path; });
  for (auto& f : files) f.problem = readDefinitionFile(f.path, f.text);
  return files;
}

void loadJsonFile(ChoiceLibrary& lib, const JsonFile& f, Diagnostics& diags) {
  if (!f.problem.empty()) diags.error(f.path, {}, "", f.problem);
  else lib.loadText(f.text, f.path, diags);
}
}  // namespace

void ChoiceLibrary::loadDirectory(const std::string& dir, Diagnostics& diags) {
  for (const auto& f : jsonFiles(dir)) loadJsonFile(*this, f, diags);
}

const ChoiceList* ChoiceLibrary::find(const std::string& name) const {
  auto it = m_lists.find(name);
  return it == m_lists.end() ? nullptr : &it->second;
}

std::vector<std::string> ChoiceLibrary::names() const {
  std::vector<std::string> out;
  for (const auto& [n, _] : m_lists) out.push_back(n);
  return out;
}

std::string findChoicesDir(const std::string& formFile) {
  std::error_code ec;
  fs::path dir = fs::absolute(formFile, ec).parent_path();
  for (int depth = 0; depth < 4 && !dir.empty(); ++depth) {
    fs::path candidate = dir / "choices";
    if (fs::is_directory(candidate, ec)) return candidate.string();
    if (dir == dir.parent_path()) break;
    dir = dir.parent_path();
  }
  return "";
}

// ---------------------------------------------------------------------------
// Forms

std::optional<Form> loadForm(std::string_view jsonText, const std::string& fileName, Diagnostics& diags,
                             const ChoiceLibrary* shared) {
  int before = diags.errorCount();
  JsonSource src;
  if (!parseJsonSource(jsonText, fileName, src, diags, formPathOfPointer)) return std::nullopt;
  Form form;
  form.sourceFile = fileName;
  Reader r(src, fileName, diags, kDefaultLanguages);
  FormReader(r, form, shared).read(src.value);
  // Logic is checked even when the structure has errors: a consultant
  // wants every problem of the file in one run.
  expr::checkFormLogic(form, diags);
  if (diags.errorCount() > before) return std::nullopt;
  return form;
}

const std::vector<std::string>& formPropertyNames() { return kFormKeys; }
const std::vector<std::string>& fieldPropertyNames() { return kFieldKeys; }
const std::vector<std::string>& choicePropertyNames() { return kChoiceKeys; }

std::shared_ptr<const SharedChoices> sharedChoices(const std::string& dir) {
  // The files' names and texts say whether a loaded copy is still current
  // (compared whole, so no rewrite goes unnoticed; the shared lists are
  // small), and are what a new copy is loaded from.
  const auto files = jsonFiles(dir);
  std::string signature;
  for (const auto& f : files)
    signature += f.path + '\x1f' + f.problem + '\x1f' + std::to_string(f.text.size()) + '\x1f' + f.text + '\x1e';
  static std::mutex mutex;
  static std::map<std::string, std::pair<std::string, std::shared_ptr<const SharedChoices>>> cache;
  std::lock_guard<std::mutex> lock(mutex);
  auto& slot = cache[dir];
  if (!slot.second || slot.first != signature) {
    auto loaded = std::make_shared<SharedChoices>();
    auto lib = std::make_shared<ChoiceLibrary>();
    for (const auto& f : files) {
      loadJsonFile(*lib, f, loaded->diags);
      loaded->files.push_back(f.path);
    }
    loaded->library = std::move(lib);
    slot = {std::move(signature), std::move(loaded)};
  }
  return slot.second;
}

std::optional<Form> loadFormFile(const std::string& path, Diagnostics& diags) {
  std::string text;
  if (std::string problem = readDefinitionFile(path, text); !problem.empty()) {
    diags.error(path, {}, "", problem);
    return std::nullopt;
  }
  std::shared_ptr<const SharedChoices> shared;
  if (std::string dir = findChoicesDir(path); !dir.empty()) shared = sharedChoices(dir);
  return loadForm(text, path, diags, shared ? shared->library.get() : nullptr);
}

std::shared_ptr<const Form> loadFormFileShared(const std::string& path, Diagnostics& diags) {
  std::shared_ptr<const SharedChoices> choices;
  if (std::string dir = findChoicesDir(path); !dir.empty()) choices = sharedChoices(dir);
  return loadFormFileShared(path, std::move(choices), diags);
}

std::shared_ptr<const Form> loadFormFileShared(const std::string& path, std::shared_ptr<const SharedChoices> choices,
                                               Diagnostics& diags) {
  // What the result depends on: the file's text (compared whole, so no
  // rewrite can go unnoticed), the shared lists it may use and the functions
  // its expressions may call. Reading a form file costs little; parsing and
  // checking it is what is saved.
  struct Loaded {
    std::string text;
    std::shared_ptr<const SharedChoices> choices;
    unsigned functions = 0;
    std::shared_ptr<const Form> form;
    Diagnostics diags;
  };
  Loaded now;
  if (std::string problem = readDefinitionFile(path, now.text); !problem.empty()) {
    diags.error(path, {}, "", problem);
    return nullptr;
  }
  now.choices = std::move(choices);
  now.functions = expr::FunctionRegistry::global().generation();

  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const Loaded>> cache;
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (auto it = cache.find(path); it != cache.end()) {
      const Loaded& c = *it->second;
      if (c.text == now.text && c.choices == now.choices && c.functions == now.functions) {
        for (const auto& d : c.diags.items()) diags.add(d);
        return c.form;
      }
    }
  }
  if (auto form = loadForm(now.text, path, now.diags, now.choices ? now.choices->library.get() : nullptr))
    now.form = std::make_shared<const Form>(std::move(*form));
  for (const auto& d : now.diags.items()) diags.add(d);
  auto loaded = std::make_shared<const Loaded>(std::move(now));
  std::lock_guard<std::mutex> lock(mutex);
  cache[path] = loaded;
  return loaded->form;
}

}  // namespace skema
