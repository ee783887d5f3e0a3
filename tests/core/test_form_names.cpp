// The hand-written name rules against the patterns the published JSON
// Schema gives for the same names, on many generated strings.
#include <doctest/doctest.h>

#include <functional>
#include <random>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "form/names.h"
#include "util/text.h"

using namespace skema;

namespace {

// Strings made of the characters the rules care about, around each edge:
// empty, one character, 64 and 65 characters, dots at either end, doubled.
std::vector<std::string> candidates() {
  std::vector<std::string> out = {"",       "a",       "_",      "0",          "a.b",   "a..b",  ".a.b",
                                  "a.b.",   "da",      "eng",    "dans",       "D",     "x-1",   "1x",
                                  "a.b_c9", "a.B",     "a.9b",   "outreach.visit",        "æ",     "a b",
                                  std::string(64, 'a'), std::string(65, 'a'), "_" + std::string(63, '9')};
  const std::string alphabet = "azAZ09_.- \xc3\xa6";
  std::mt19937 rng(7);
  for (int i = 0; i < 5000; ++i) {
    std::string s;
    const int len = static_cast<int>(rng() % 8);
    for (int k = 0; k < len; ++k) s += alphabet[rng() % alphabet.size()];
    out.push_back(s);
  }
  return out;
}

}  // namespace

TEST_CASE("name rules match the schema's patterns") {
  std::string text;
  REQUIRE(readFile(std::string(SKEMA_SOURCE_DIR) + "/docs/skema-form.schema.json", text));
  const auto schema = nlohmann::json::parse(text);
  const auto& defs = schema["$defs"];
  const std::vector<std::pair<std::string, std::function<bool(const std::string&)>>> rules = {
      {schema["properties"]["id"]["pattern"], names::isFormId},
      {schema["properties"]["languages"]["items"]["pattern"], names::isLanguage},
      {schema["properties"]["choices"]["propertyNames"]["pattern"], names::isListName},
      {defs["choice"]["properties"]["name"]["pattern"], names::isChoiceName},
      {defs["field"]["properties"]["name"]["pattern"], names::isFieldName},
  };
  const auto strings = candidates();
  for (const auto& [pattern, rule] : rules) {
    const std::regex re(pattern);
    int accepted = 0;
    for (const auto& s : strings) {
      const bool expected = std::regex_search(s, re);  // the patterns carry ^ and $
      INFO("pattern " << pattern << ", name '" << s << "'");
      CHECK(rule(s) == expected);
      accepted += expected;
    }
    CHECK(accepted > 0);  // the generated names reach both answers of every rule
    CHECK(accepted < static_cast<int>(strings.size()));
  }
}
