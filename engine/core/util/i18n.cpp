#include "util/i18n.h"

#include <filesystem>

#include <nlohmann/json.hpp>

#include "util/text.h"

namespace skema {
namespace {

void flatten(const nlohmann::json& j, const std::string& prefix, std::map<std::string, std::string>& out) {
  for (auto it = j.begin(); it != j.end(); ++it) {
    std::string key = prefix.empty() ? it.key() : prefix + "." + it.key();
    if (it->is_object()) flatten(*it, key, out);
    else if (it->is_string()) out[key] = it->get<std::string>();
  }
}

}  // namespace

bool Translator::loadFile(const std::string& lang, const std::string& path, std::string* error) {
  std::string text;
  if (!readFile(path, text)) {
    if (error) *error = "cannot read " + path;
    return false;
  }
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    if (error) *error = path + ": not a JSON object";
    return false;
  }
  flatten(j, "", m_tables[lang]);
  return true;
}

int Translator::loadDir(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  int n = 0;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().extension() != ".json") continue;
    if (loadFile(e.path().stem().string(), e.path().string())) ++n;
  }
  return n;
}

void Translator::add(const std::string& lang, const std::string& key, const std::string& text) {
  m_tables[lang][key] = text;
}

std::vector<std::string> Translator::languages() const {
  std::vector<std::string> out;
  for (const auto& [lang, table] : m_tables) out.push_back(lang);
  return out;
}

const std::string& Translator::tr(const std::string& key) const { return in(m_lang, key); }

const std::string& Translator::in(const std::string& lang, const std::string& key) const {
  for (const std::string& l : {lang, std::string("en")}) {
    auto t = m_tables.find(l);
    if (t == m_tables.end()) continue;
    auto it = t->second.find(key);
    if (it != t->second.end()) return it->second;
  }
  // Unknown key: show the key itself (kept so the reference stays valid).
  return *m_missing.insert(key).first;
}

bool Translator::has(const std::string& key) const {
  auto t = m_tables.find(m_lang);
  return t != m_tables.end() && t->second.count(key);
}

std::string Translator::format(const std::string& key, const std::vector<std::string>& args) const {
  return substitute(tr(key), args);
}

std::string substitute(const std::string& pattern, const std::vector<std::string>& args) {
  std::string out;
  out.reserve(pattern.size());
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{' && i + 2 < pattern.size() && pattern[i + 2] == '}' &&
        pattern[i + 1] >= '0' && pattern[i + 1] <= '9') {
      size_t k = static_cast<size_t>(pattern[i + 1] - '0');
      if (k < args.size()) {
        out += args[k];
        i += 2;
        continue;
      }
    }
    out += pattern[i];
  }
  return out;
}

}  // namespace skema
