// The form loader and checker: every rule has a broken fixture in
// tests/data/forms/broken, asserting the message and where it points.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include <stdlib.h>

#include "form/form_catalog.h"
#include "form/form_loader.h"
#include "expr/functions.h"
#include "util/json_source.h"
#include "util/text.h"

using namespace skema;

namespace {

std::string fixture(const std::string& rel) { return std::string(SKEMA_TEST_DATA) + "/forms/" + rel; }

Diagnostics check(const std::string& rel) {
  Diagnostics d;
  loadFormFile(fixture(rel), d);
  return d;
}

// The first error's text, for readable failures.
std::string firstError(const Diagnostics& d) {
  for (const auto& x : d.items())
    if (x.severity == Severity::Error) return x.format();
  return "(no error)";
}

bool hasError(const Diagnostics& d, int line, const std::string& text) {
  for (const auto& x : d.items())
    if (x.severity == Severity::Error && x.pos.line == line && x.format().find(text) != std::string::npos)
      return true;
  return false;
}

}  // namespace

TEST_CASE("a valid form loads with its fields, choices and positions") {
  Diagnostics d;
  auto form = loadFormFile(fixture("good/minimal.v1.json"), d);
  REQUIRE_MESSAGE(form, firstError(d));
  CHECK(d.items().empty());
  CHECK(form->id == "test.minimal");
  CHECK(form->version == 1);
  CHECK(form->area() == "test");
  CHECK(localized(form->title, "da") == "Test");
  REQUIRE(form->fields.size() == 3);
  CHECK(form->fields[1].type == FieldType::SelectOne);
  CHECK(form->fields[1].pos.line == 8);
  CHECK(form->fields[1].propertyPos.at("choices").line == 8);
  CHECK(form->findChoices("places")->choices.at(0).name == "clinic");
  CHECK(form->findField("count")->path == "count");
}

TEST_CASE("shared choice lists resolve from the nearest choices folder and are embedded") {
  Diagnostics d;
  auto form = loadFormFile(fixture("good/shared.v1.json"), d);
  REQUIRE_MESSAGE(form, firstError(d));
  const ChoiceList* offices = form->findChoices("offices");
  REQUIRE(offices);
  CHECK(offices->choices.size() == 3);
  CHECK(localized(offices->find("copenhagen")->label, "da") == "København");
  // The canonical definition carries the list, so a workspace needs no files.
  CHECK(form->definition["choices"]["offices"].size() == 3);
  Diagnostics d2;
  auto again = loadForm(form->definition.dump(), "stored", d2);
  REQUIRE_MESSAGE(again, firstError(d2));
  CHECK(again->findChoices("offices")->choices.size() == 3);
  CHECK(again->definition.dump() == form->definition.dump());
  // Paths of fields inside repeats.
  CHECK(form->findField("wellbeing")->path == "people/wellbeing");
  CHECK(form->findField("wellbeing")->step == 1);
}

TEST_CASE("each checker rule reports its message at the right line") {
  struct Case {
    const char* file;
    int line;
    const char* text;
  };
  const Case cases[] = {
      {"invalid_json", 4, "invalid JSON"},
      {"unknown_format", 2, "unknown format 'skema-form/9'"},
      {"missing_id", 1, "missing id"},
      {"missing_version", 1, "missing version"},
      {"bad_version", 4, "version must be a whole number"},
      {"bad_id", 3, "invalid id 'Test Minimal'"},
      {"duplicate_field", 9, "duplicate field name 'when' (first defined at line 7)"},
      {"invalid_name", 9, "invalid field name '2count'"},
      {"unknown_type", 9, "unknown type 'integr'; did you mean 'integer'?"},
      {"unknown_property", 9, "unknown field property 'lable'; did you mean 'label'?"},
      {"missing_language", 9, "count: label has no 'en' text"},
      {"choice_list_not_found", 8, "choice list 'placez' not found; did you mean 'places'?"},
      {"empty_choice_list", 11, "choice list is empty"},
      {"duplicate_choice", 12, "duplicate choice name 'clinic' (first at line 11)"},
      {"select_without_choices", 8, "select_one field has no choices"},
      {"min_greater_than_max", 9, "min (10) is greater than max (2)"},
      {"range_without_bounds", 9, "range needs min and max"},
      {"empty_group", 9, "group has no fields"},
      {"empty_repeat", 9, "repeat has no fields"},
      {"duplicate_in_group", 10, "grp/place: duplicate field name 'place' (first defined at line 8)"},
      {"duplicate_key", 5, "duplicate key \"version\""},
      {"unknown_form_property", 5, "unknown form property 'titel'; did you mean 'title'?"},
      {"number_out_of_range", 4, "version: number out of range"},
      {"json_too_deep", 8, "count: lists and objects nested more than 100 deep"},
      {"groups_too_deep", 39, "g1/g2/g3/g4/g5/g6/g7/g8/g9/g10/g11/g12/g13/g14/g15/g16/g17/g18/g19/g20/g21/g22/g23/g24/"
                              "g25/g26/g27/g28/g29/g30/g31/g32/g33: groups and repeats nested more than 32 deep"},
      {"expression_too_long", 9, "total: constraint: expression too long: 29999 characters, at most 10000"},
      {"expression_too_deep", 9, "total: calculation: expression too deep: more than 500 operations"},
      {"regex_syntax", 8, "code: constraint: regex: missing closing parenthesis at offset 9"},
  };
  for (const auto& c : cases) {
    INFO(std::string(c.file));
    Diagnostics d = check(std::string("broken/") + c.file + ".json");
    CHECK_MESSAGE(hasError(d, c.line, c.text), firstError(d));
  }
}

TEST_CASE("a file with two errors gets both, on their own lines") {
  Diagnostics d = check("broken/two_errors.json");
  CHECK(d.errorCount() == 2);
  CHECK(hasError(d, 8, "choice list 'plases' not found; did you mean 'places'?"));
  CHECK(hasError(d, 9, "unknown type 'number'"));
  // The format is file:line:col: error: path: message.
  d.sort();
  const std::string first = d.items().at(0).format();
  CHECK(first.find("two_errors.json:8:") != std::string::npos);
  CHECK(first.find(": error: place: ") != std::string::npos);
}

TEST_CASE("every fixture in broken/ fails and every fixture in good/ passes") {
  Diagnostics bad;
  auto broken = loadFormCatalog({fixture("broken")}, bad);
  CHECK(broken.forms.empty());
  CHECK(broken.files.size() >= 20);
  Diagnostics ok;
  auto good = loadFormCatalog({fixture("good")}, ok);
  CHECK_MESSAGE(!ok.hasErrors(), firstError(ok));
  CHECK(good.forms.size() == 2);
  CHECK(good.choiceFiles.size() == 1);
}

TEST_CASE("the same id and version in two files is refused") {
  Diagnostics d;
  auto cat = loadFormCatalog({fixture("good/minimal.v1.json"), fixture("good/minimal.v1.json")}, d);
  CHECK(cat.forms.size() == 1);
  CHECK(hasError(d, 3, "test.minimal version 1 is also defined in"));
}

TEST_CASE("did-you-mean only suggests near misses") {
  CHECK(closestMatch("lable", {"label", "hint"}) == "label");
  CHECK(closestMatch("zzz", {"label", "hint"}).empty());
  CHECK(editDistance("kitten", "sitting") == 3);
  CHECK(editDistance("lable", "label") == 1);
}

TEST_CASE("every shipped form passes the checker") {
  Diagnostics d;
  auto cat = loadFormCatalog({SKEMA_FORMS_DIR}, d);
  d.sort();
  for (const auto& x : d.items()) INFO(x.format());
  CHECK_MESSAGE(!d.hasErrors(), firstError(d));
  CHECK(cat.forms.size() == cat.files.size());
  CHECK(cat.forms.size() >= 8);
}

TEST_CASE("the published JSON Schema lists exactly the properties and types the loader knows") {
  std::string text;
  REQUIRE(readFile(std::string(SKEMA_SOURCE_DIR) + "/docs/skema-form.schema.json", text));
  auto schema = nlohmann::json::parse(text);
  auto keys = [](const nlohmann::json& obj) {
    std::vector<std::string> out;
    for (const auto& [k, _] : obj.items()) out.push_back(k);
    std::sort(out.begin(), out.end());
    return out;
  };
  auto sorted = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  CHECK(keys(schema["properties"]) == sorted(formPropertyNames()));
  CHECK(keys(schema["$defs"]["field"]["properties"]) == sorted(fieldPropertyNames()));
  CHECK(keys(schema["$defs"]["choice"]["properties"]) == sorted(choicePropertyNames()));
  CHECK(sorted(schema["$defs"]["field"]["properties"]["type"]["enum"].get<std::vector<std::string>>()) ==
        sorted(fieldTypeNames()));
}

TEST_CASE("the full example in docs/form-format.md passes the checker") {
  std::string doc;
  REQUIRE(readFile(std::string(SKEMA_SOURCE_DIR) + "/docs/form-format.md", doc));
  auto start = doc.find("```json\n{\n  \"format\": \"skema-form/1\"");
  REQUIRE(start != std::string::npos);
  start += 8;
  auto end = doc.find("```", start);
  ChoiceLibrary shared;
  Diagnostics d;
  shared.loadDirectory(fixture("good/choices"), d);
  auto form = loadForm(doc.substr(start, end - start), "form-format.md", d, &shared);
  CHECK_MESSAGE(form, firstError(d));
  CHECK(d.warningCount() == 0);
}

TEST_CASE("a form file loaded again unchanged is not parsed again, a changed one is") {
  namespace fs = std::filesystem;
  char tmpl[] = "/tmp/skema-forms-XXXXXX";
  const fs::path dir = mkdtemp(tmpl);
  const std::string path = (dir / "shared.v1.json").string();
  auto write = [&](const std::string& title, const std::string& unusedList) {
    std::ofstream(path) << R"({"format": "skema-form/1", "id": "test.shared", "version": 1,
      "title": {"da": ")" << title << R"(", "en": "T"},
      "fields": [{"name": "n", "type": "integer", "label": {"da": "N", "en": "N"}}],
      "choices": {")" << unusedList << R"(": [{"name": "a", "label": {"da": "A", "en": "A"}}]}})";
  };
  write("Første", "unused");

  Diagnostics d1, d2;
  auto a = loadFormFileShared(path, d1);
  auto b = loadFormFileShared(path, d2);
  REQUIRE(a);
  CHECK(a == b);  // one parse, one object
  CHECK(a->title.at("da") == "Første");
  // The file's warning ("choice list is not used") reaches every caller.
  CHECK(d1.warningCount() == 1);
  CHECK(d2.warningCount() == 1);

  // Rewritten: parsed again. Same size and the same modification time, so
  // only the text tells.
  const auto written = fs::last_write_time(path);
  const auto size = fs::file_size(path);
  write("Anden.", "unused2");
  fs::last_write_time(path, written);
  REQUIRE(fs::file_size(path) == size);
  Diagnostics d3;
  auto c = loadFormFileShared(path, d3);
  REQUIRE(c);
  CHECK(c != a);
  CHECK(c->title.at("da") == "Anden.");
  CHECK(c->choices.count("unused2") == 1);

  // Functions registered or removed since: the expressions are checked again.
  expr::FunctionDef def;
  def.name = "test_cache_fn";
  def.owner = "test";
  def.fn = [](const expr::CallContext&, std::span<const expr::Value>) { return expr::Value(); };
  REQUIRE(expr::FunctionRegistry::global().add(def));
  Diagnostics d4;
  auto e = loadFormFileShared(path, d4);
  expr::FunctionRegistry::global().remove("test_cache_fn");
  CHECK(e != c);

  fs::remove(path);
  Diagnostics d5;
  CHECK_FALSE(loadFormFileShared(path, d5));
  CHECK(d5.hasErrors());
  fs::remove_all(dir);
}

namespace {

// A form whose fields are `fields` (JSON text).
std::string formWithFields(const std::string& fields) {
  return R"({"format": "skema-form/1", "id": "test.limits", "version": 1, "title": {"da": "T", "en": "T"},
"fields": [)" + fields + "]}";
}

// `depth` groups inside one another around one text field, on one line.
std::string nestedGroups(int depth) {
  std::string s = R"({"name": "leaf", "type": "text", "label": {"da": "L", "en": "L"}})";
  for (int i = depth; i >= 1; --i)
    s = R"({"name": "g)" + std::to_string(i) + R"(", "type": "group", "label": {"da": "G", "en": "G"}, "fields": [)" + s + "]}";
  return s;
}

}  // namespace

TEST_CASE("limits: deep nesting is refused while parsing, with its position") {
  // 18,000 nested arrays once overflowed the stack; the limit stops the
  // parse at the 101st level, before any of it is built.
  Diagnostics d;
  const std::string deep = formWithFields(R"({"name": "n", "type": "integer", "label": {"da": "N", "en": "N"}, "hint": )" +
                                          std::string(18000, '[') + std::string(18000, ']') + "}");
  CHECK_FALSE(loadForm(deep, "deep.json", d));
  REQUIRE(d.errorCount() == 1);
  const Diagnostic& e = d.items()[0];
  CHECK(e.message == "lists and objects nested more than 100 deep");
  CHECK(e.path == "n");
  CHECK(e.pos.line == 2);
  // The root, "fields", the field and 97 brackets are the first 100 levels.
  const size_t line2 = deep.find('\n') + 1;
  const size_t tooDeep = deep.find('[', deep.find("\"hint\"")) + 97;
  CHECK(e.pos.column == static_cast<int>(tooDeep - line2 + 1));

  // 5,000 nested groups once took 2 GB and crashed.
  Diagnostics g;
  CHECK_FALSE(loadForm(formWithFields(nestedGroups(5000)), "groups.json", g));
  REQUIRE(g.errorCount() == 1);
  CHECK(g.items()[0].message == "lists and objects nested more than 100 deep");

  // Within the JSON limit, groups and repeats nest at most 32 deep.
  Diagnostics ok;
  CHECK_MESSAGE(loadForm(formWithFields(nestedGroups(kMaxFieldNesting)), "ok.json", ok), firstError(ok));
  Diagnostics over;
  CHECK_FALSE(loadForm(formWithFields(nestedGroups(kMaxFieldNesting + 1)), "over.json", over));
  CHECK(firstError(over).find(": groups and repeats nested more than 32 deep") != std::string::npos);
}

TEST_CASE("limits: a number out of a double's range is an error at its position, not an abort") {
  Diagnostics d;
  CHECK_FALSE(loadForm(formWithFields(R"({"name": "n", "type": "integer", "label": {"da": "N", "en": "N"},
  "max": -2e999})"), "range.json", d));
  REQUIRE(d.errorCount() == 1);
  CHECK(d.items()[0].format() == "range.json:3:10: error: n: number out of range (beyond ±1.8e308)");
  // In a choice list file too (no field path there).
  ChoiceLibrary lib;
  Diagnostics c;
  CHECK_FALSE(lib.loadText(R"({"format": "skema-choices/1", "name": "l", "choices": 1e400})", "l.json", c));
  CHECK(firstError(c) == "l.json:1:55: error: number out of range (beyond ±1.8e308)");
}

TEST_CASE("limits: positions take memory in proportion to the file, however deep it nests") {
  // 45 objects inside one another under 2,000-byte keys, 2,000 numbers at the
  // bottom: as pointer strings the positions would hold 2,000 * 90 KB.
  std::string text, close;
  for (int i = 0; i < 45; ++i) {
    text += "{\"" + std::string(2000, static_cast<char>('a' + i % 26)) + "\":\n";
    close += "}";
  }
  text += "[";
  for (int i = 0; i < 2000; ++i) text += (i ? ",\n" : "") + std::to_string(i);
  text += "]" + close;
  JsonSource src;
  Diagnostics d;
  REQUIRE(parseJsonSource(text, "deep.json", src, d));
  CHECK(src.nodes.size() == 45 + 1 + 2000);
  size_t keyBytes = 0;
  for (const auto& n : src.nodes)
    for (const auto& [k, _] : n.members) keyBytes += k.size();
  CHECK(keyBytes <= text.size());
  // Positions still resolve by pointer.
  std::string ptr;
  for (int i = 0; i < 45; ++i) ptr = jsonPointerJoin(ptr, std::string(2000, static_cast<char>('a' + i % 26)));
  CHECK(src.valueAt(jsonPointerJoin(ptr, size_t{1999})).line == 45 + 2000);
  CHECK(src.at(ptr).line == 45);           // the last key
  CHECK(src.valueAt(ptr + "/x").line == 46);  // the nearest value that exists: the list
}

TEST_CASE("limits: a field's path holds its name only when the name is valid") {
  Diagnostics d;
  const std::string longName(100000, 'x');
  CHECK_FALSE(loadForm(formWithFields(R"({"name": "g", "type": "group", "label": {"da": "G", "en": "G"}, "fields": [
    {"name": ")" + longName + R"(", "type": "text", "label": {"da": "L", "en": "L"}}]})"), "names.json", d));
  REQUIRE(d.errorCount() == 1);
  CHECK(d.items()[0].path == "g/#1");
  CHECK(d.items()[0].message.find("invalid field name") == 0);
}

TEST_CASE("limits: form and choice list files over 16 MiB are refused unread") {
  namespace fs = std::filesystem;
  char tmpl[] = "/tmp/skema-limits-XXXXXX";
  const fs::path dir = mkdtemp(tmpl);
  fs::create_directories(dir / "choices");
  const std::string form = (dir / "big.v1.json").string();
  const std::string choices = (dir / "choices" / "big.json").string();
  for (const auto& path : {form, choices}) {
    std::ofstream out(path);
    out << formWithFields("");
    out << std::string(kMaxFormFileBytes, ' ');
  }
  const std::string expected = "the file is " + std::to_string(fs::file_size(form)) +
                               " bytes; form and choice list files may be at most 16 MiB";
  Diagnostics a, b, c;
  CHECK_FALSE(loadFormFile(form, a));
  CHECK_FALSE(loadFormFileShared(form, b));
  CHECK(firstError(a) == form + ": error: " + expected);
  CHECK(firstError(b) == form + ": error: " + expected);
  ChoiceLibrary lib;
  CHECK_FALSE(lib.loadFile(choices, c));
  CHECK(firstError(c) == choices + ": error: " + expected);
  auto shared = sharedChoices((dir / "choices").string());
  CHECK(firstError(shared->diags) == choices + ": error: " + expected);
  CHECK(shared->files.size() == 1);
  fs::remove_all(dir);
}

TEST_CASE("json positions: keys with escapes are the parsed keys") {
  JsonSource src;
  Diagnostics d;
  REQUIRE(parseJsonSource("{\"a\": 1,\n \"\\u0061\": 2,\n \"\\u00e6\\\"\": [\n3]}", "k.json", src, d));
  // "\u0061" is "a" again: nlohmann keeps the last, and it is a duplicate.
  REQUIRE(d.errorCount() == 1);
  CHECK(d.items()[0].format() == "k.json:2:2: error: duplicate key \"a\" (first at line 1)");
  CHECK(src.value["a"] == 2);
  CHECK(src.valueAt("/a").line == 2);
  CHECK(src.at("/a").line == 1);
  CHECK(src.valueAt(jsonPointerJoin("", "\xc3\xa6\"") + "/0").line == 4);
}

TEST_CASE("limits: only the first 20 unknown fields and lists get a suggestion") {
  // Each suggestion compares the name with every field's: a 16 MiB file of
  // unknown references took hours.
  std::string fields;
  for (int i = 0; i < 150; ++i)
    fields += std::string(i ? "," : "") + R"({"name": "field_)" + std::to_string(i) + R"(", "type": "calculate", "calculation": "${feild_)" +
              std::to_string(i) + R"(}"})";
  Diagnostics d;
  CHECK_FALSE(loadForm(formWithFields(fields), "refs.json", d));
  REQUIRE(d.errorCount() == 150);
  int suggested = 0;
  for (const auto& e : d.items()) suggested += e.message.find("; did you mean ${field_") != std::string::npos;
  CHECK(suggested == 20);
  CHECK(d.items().back().message == "calculation: unknown field ${feild_149}");

  // The same for choice lists.
  std::string selects;
  for (int i = 0; i < 150; ++i)
    selects += std::string(i ? "," : "") + R"({"name": "s)" + std::to_string(i) +
               R"(", "type": "select_one", "choices": "plases", "label": {"da": "S", "en": "S"}})";
  const std::string form = formWithFields(selects);
  Diagnostics lists;
  CHECK_FALSE(loadForm(form.substr(0, form.size() - 1) + R"(, "choices": {"places": [{"name": "a", "label": {"da": "A", "en": "A"}}]}})",
                       "lists.json", lists));
  REQUIRE(lists.errorCount() == 150);
  suggested = 0;
  for (const auto& e : lists.items()) suggested += e.message.find("did you mean 'places'?") != std::string::npos;
  CHECK(suggested == 20);
}
