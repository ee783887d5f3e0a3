// Dashboard tables in the user's words (skema_area's presentTable), over a
// host table whose translate and choice_label are stand-ins.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "skema_area/area.h"

using namespace skema::area;
using nlohmann::json;

namespace {

std::map<std::string, std::string> g_strings = {
    {"dashboard.col.phase", "fase"}, {"dashboard.col.kind", "type"}, {"dashboard.kind.visit", "besøg"}};

const char* translate(skema_host*, const char* key) {
  auto it = g_strings.find(key);
  return it == g_strings.end() ? key : it->second.c_str();
}

std::string g_label;
const char* choiceLabelOf(skema_host*, const char* form, const char* field, const char* choice) {
  static const std::map<std::string, std::string> labels = {
      {"f|phase|contact", "Kontakt"}, {"f|phase|change", "Forandring"}, {"f|channel|phone", "Telefon"}};
  auto it = labels.find(std::string(form) + "|" + field + "|" + choice);
  g_label = it == labels.end() ? choice : it->second;
  return g_label.c_str();
}

const char* fieldLabelOf(skema_host*, const char*, const char* field) {
  g_label = std::string(field) == "wellbeing" ? "Trivsel" : field;
  return g_label.c_str();
}

skema_host_api hostTable() {
  skema_host_api api{};
  api.size = sizeof api;
  api.translate = translate;
  api.choice_label = choiceLabelOf;
  api.field_label = fieldLabelOf;
  return api;
}

const json kTable = {{"columns", {"phase", "kind", "outcome", "scale", "visits"}},
                     {"rows",
                      {{"contact", "visit", "phone", "wellbeing", 3},
                       {"change contact", "call", "unknown_name", "stress", 1},
                       {"contact, change", "visit", "", "wellbeing", 2}}}};

}  // namespace

TEST_CASE("dashboard tables show headings and values in the user's words") {
  const skema_host_api api = hostTable();
  const json shown = presentTable(&api, kTable,
                                  {{"phase", "f", "phase"},
                                   {"kind", "", "dashboard.kind"},
                                   {"outcome", "f", "contact_outcome"},  // knows none of them
                                   {"outcome", "f", "channel"},          // the next one does
                                   {"scale", "f", ""}});
  CHECK(shown["columns"] == json({"fase", "type", "outcome", "scale", "visits"}));  // no string: the name
  CHECK(shown["rows"][0] == json({"Kontakt", "besøg", "Telefon", "Trivsel", 3}));
  CHECK(shown["rows"][1] == json({"Forandring, Kontakt", "call", "unknown_name", "stress", 1}));
  CHECK(shown["rows"][2] == json({"Kontakt, Forandring", "besøg", "", "Trivsel", 2}));
  CHECK(kTable["rows"][0][0] == "contact");  // the result itself keeps the stored names
}

TEST_CASE("a host without choice_label (ABI 1.0) shows the stored names") {
  skema_host_api api = hostTable();
  api.size = offsetof(skema_host_api, choice_label);  // an older host's table ends before it
  const json shown = presentTable(&api, kTable, {{"phase", "f", "phase"}, {"scale", "f", ""}});
  CHECK(shown["columns"][0] == "fase");  // headings come from translate, which 1.0 has
  CHECK(shown["rows"][0][0] == "contact");
  CHECK(shown["rows"][0][3] == "wellbeing");
}
