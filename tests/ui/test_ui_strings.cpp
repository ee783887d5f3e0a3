// The UI strings live in assets/lang/{da,en}.json: both files have the same
// keys, and every key the UI sources (engine/ui, plugins) name literally is
// in both. The sources are read at test time, so a new ctx.t("...") without
// its texts fails here rather than showing the raw key in the workbench.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>

namespace fs = std::filesystem;

namespace {

void flatten(const nlohmann::json& j, const std::string& prefix, std::set<std::string>& out) {
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string key = prefix.empty() ? it.key() : prefix + "." + it.key();
    if (it->is_object()) flatten(*it, key, out);
    else out.insert(key);
  }
}

std::set<std::string> langKeys(const std::string& lang) {
  std::ifstream in(std::string(SKEMA_ASSETS_DIR) + "/lang/" + lang + ".json");
  REQUIRE(in);
  std::set<std::string> keys;
  flatten(nlohmann::json::parse(in), "", keys);
  return keys;
}

std::string diff(const std::set<std::string>& a, const std::set<std::string>& b) {
  std::string out;
  for (const auto& k : a)
    if (!b.count(k)) out += " " + k;
  return out;
}

// Keys named literally in the UI sources, with the file:line of their first use.
// A key is (1) the dotted literal of a translation call (ctx.t, tr.c, tr.tr,
// format, has, in, api->translate, the plugins' text(api, ...)), or (2) any
// dotted literal whose first part is a UI section of the language files
// ("designer.props.label" handed on to a helper); area sections are left to
// (1), as their names also start form ids ("outreach.visit").
std::map<std::string, std::string> sourceKeys(const std::set<std::string>& uiSections) {
  static const std::regex call(
      R"(\b(?:t|c|tr|format|has|in|text|translate)\(\s*(?:[A-Za-z_][\w\->.]*\s*,\s*)?"([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)\")");
  static const std::regex literal(R"("([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)\")");
  std::map<std::string, std::string> keys;
  const fs::path root(SKEMA_SOURCE_DIR);
  for (const char* dir : {"engine/ui", "plugins"}) {
    for (const auto& e : fs::recursive_directory_iterator(root / dir)) {
      const std::string ext = e.path().extension().string();
      if (!e.is_regular_file() || (ext != ".cpp" && ext != ".h")) continue;
      if (e.path().string().find("/tests/") != std::string::npos) continue;
      std::ifstream in(e.path());
      std::string line;
      for (int n = 1; std::getline(in, line); ++n) {
        if (line.rfind("#include", 0) == 0) continue;
        const std::string where = fs::relative(e.path(), root).string() + ":" + std::to_string(n);
        for (std::sregex_iterator m(line.begin(), line.end(), call), end; m != end; ++m)
          keys.emplace((*m)[1].str(), where);
        for (std::sregex_iterator m(line.begin(), line.end(), literal), end; m != end; ++m) {
          const std::string k = (*m)[1].str();
          if (uiSections.count(k.substr(0, k.find('.')))) keys.emplace(k, where);
        }
      }
    }
  }
  return keys;
}

}  // namespace

TEST_CASE("UI strings: da.json and en.json have the same keys") {
  const auto da = langKeys("da"), en = langKeys("en");
  INFO("only in da.json:" << diff(da, en));
  INFO("only in en.json:" << diff(en, da));
  CHECK(da == en);
  CHECK(en.size() > 200);
}

TEST_CASE("UI strings: every key the UI sources use is in both language files") {
  const auto da = langKeys("da"), en = langKeys("en");
  // Sections that are not areas: an area's name is also its plugin's folder.
  std::set<std::string> uiSections;
  for (const auto& k : en) uiSections.insert(k.substr(0, k.find('.')));
  for (const auto& e : fs::directory_iterator(fs::path(SKEMA_SOURCE_DIR) / "plugins"))
    if (e.is_directory()) uiSections.erase(e.path().filename().string());

  const auto used = sourceKeys(uiSections);
  CHECK(used.size() > 150);  // the scan found the sources
  CHECK(used.count("designer.props.label"));  // handed on, not a call
  CHECK(used.count("outreach.dashboard.visits"));  // a plugin's text(api, ...)
  // A key may also name a table of keys, handed on as a prefix
  // ("dashboard.kind" + "." + a value): then the table must have entries.
  auto has = [](const std::set<std::string>& keys, const std::string& key) {
    auto it = keys.lower_bound(key + ".");
    return keys.count(key) || (it != keys.end() && it->rfind(key + ".", 0) == 0);
  };
  std::string missing;
  for (const auto& [key, where] : used)
    if (!has(da, key) || !has(en, key))
      missing += "\n  " + key + " (" + where + ")" + (has(da, key) ? "" : " not in da.json") +
                 (has(en, key) ? "" : " not in en.json");
  INFO("keys used but missing:" << missing);
  CHECK(missing.empty());
}
