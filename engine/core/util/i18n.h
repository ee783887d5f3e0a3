// A tiny translator for the workbench's own strings (form labels carry
// their own languages). Tables are JSON files, one per language
// (assets/lang/da.json, assets/lang/en.json), keyed `area.view.name`,
// either flat ({"workbench.menu.file": "Filer"}) or nested
// ({"workbench": {"menu": {"file": "Filer"}}}). No UI dependency.
#pragma once
#include <map>
#include <set>
#include <string>
#include <vector>

namespace skema {

class Translator {
 public:
  // Loads `path` as the table for `lang`, merging into what is there.
  bool loadFile(const std::string& lang, const std::string& path, std::string* error = nullptr);
  // Loads every `<lang>.json` in `dir`. Returns how many files loaded.
  int loadDir(const std::string& dir);
  void add(const std::string& lang, const std::string& key, const std::string& text);

  void setLanguage(const std::string& lang) { m_lang = lang; }
  const std::string& language() const { return m_lang; }
  std::vector<std::string> languages() const;

  // The text for `key` in the current language, else English, else the key.
  const std::string& tr(const std::string& key) const;
  const char* c(const std::string& key) const { return tr(key).c_str(); }
  // tr() in `lang` rather than the current language.
  const std::string& in(const std::string& lang, const std::string& key) const;
  // tr() with "{0}", "{1}", ... replaced by `args`.
  std::string format(const std::string& key, const std::vector<std::string>& args) const;
  bool has(const std::string& key) const;

 private:
  std::string m_lang = "da";
  std::map<std::string, std::map<std::string, std::string>> m_tables;  // lang -> key -> text
  mutable std::set<std::string> m_missing;
};

// Replaces "{0}", "{1}", ... in `pattern` by `args`.
std::string substitute(const std::string& pattern, const std::vector<std::string>& args);

}  // namespace skema
