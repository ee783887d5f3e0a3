// Form logic: compile once, dependency graph, incremental re-evaluation,
// repeats, choice filters, the checker's positions, and validateRecord.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>

#include "expr/form_logic.h"
#include "expr/validate.h"
#include "form/form_loader.h"

using namespace skema;
using namespace skema::expr;

namespace {

Form loadFixture(const std::string& name) {
  Diagnostics diags;
  auto f = loadFormFile(std::string(SKEMA_TEST_DATA) + "/expr/" + name, diags);
  REQUIRE_MESSAGE(f.has_value(), (diags.items().empty() ? std::string("?") : diags.items()[0].format()));
  return *f;
}

bool hasChange(const std::vector<Change>& cs, Change::Kind k, int field) {
  return std::any_of(cs.begin(), cs.end(), [&](const Change& c) { return c.kind == k && c.field == field; });
}

}  // namespace

TEST_CASE("form logic: the checker reports file:line:col and cycles") {
  Diagnostics diags;
  auto f = loadFormFile(std::string(SKEMA_TEST_DATA) + "/expr/logic_errors.json", diags);
  CHECK_FALSE(f.has_value());
  diags.sort();
  std::vector<std::string> lines;
  for (const auto& d : diags.items()) {
    std::string s = d.format();
    lines.push_back(s.substr(s.find("logic_errors.json")));
  }
  REQUIRE(lines.size() == 5);
  CHECK(lines[0] == "logic_errors.json:9:19: error: adult: relevant: unknown field ${agee}; did you mean ${age}?");
  CHECK(lines[1] == "logic_errors.json:10:55: error: a: calculation: calculation cycle: a -> b -> a");
  CHECK(lines[2] == "logic_errors.json:13:21: error: note1: constraint: function selected() takes 2 arguments, got 1");
  CHECK(lines[3] == "logic_errors.json:15:80: error: q: relevant: cycle through relevance: q (relevant) -> p (relevant) -> q (relevant)");
  CHECK(lines[4] == "logic_errors.json:17:28: error: bad: constraint: expected a value after '+'");
}

TEST_CASE("form logic: every shipped form compiles") {
  int n = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(SKEMA_FORMS_DIR)) {
    if (e.path().extension() != ".json" || e.path().parent_path().filename() == "choices") continue;
    Diagnostics diags;
    auto f = loadFormFile(e.path().string(), diags);
    CAPTURE(e.path().string());
    REQUIRE(f.has_value());
    FormLogic logic(*f);
    CHECK(logic.ok());
    ++n;
  }
  CHECK(n > 0);
}

TEST_CASE("form logic: incremental evaluation") {
  Form form = loadFixture("logic.json");
  FormLogic logic(form);
  REQUIRE(logic.ok());
  int age = logic.fieldIndex("age"), adult = logic.fieldIndex("adult"), job = logic.fieldIndex("job");
  int school = logic.fieldIndex("school"), details = logic.fieldIndex("details");
  REQUIRE(age >= 0);
  CHECK(logic.value(adult).toString() == "no");  // '' >= 18 is false
  CHECK_FALSE(logic.isRelevant(job));
  CHECK(logic.validity(age) == Validity::Required);
  CHECK_FALSE(logic.isRelevant(school));  // group relevant: ${age} > 10

  auto cs = logic.setValue(age, Value::number(30));
  CHECK(hasChange(cs, Change::Value, age));
  CHECK(hasChange(cs, Change::Value, adult));
  CHECK(hasChange(cs, Change::Relevance, job));
  CHECK(hasChange(cs, Change::Validity, job));
  CHECK(hasChange(cs, Change::Validity, age));
  CHECK(hasChange(cs, Change::Relevance, details));
  CHECK(hasChange(cs, Change::Relevance, school));  // inherited from the group
  CHECK(logic.value(adult).toString() == "yes");
  CHECK(logic.isRelevant(job));
  CHECK(logic.validity(job) == Validity::Required);
  CHECK(logic.isRequired(job));
  CHECK(logic.validity(age) == Validity::Ok);

  // Same value again: nothing changes.
  CHECK(logic.setValue(age, Value::number(30)).empty());
  // Another value on the same side: the calculation does not change.
  cs = logic.setValue(age, Value::number(31));
  CHECK_FALSE(hasChange(cs, Change::Value, adult));
  CHECK_FALSE(hasChange(cs, Change::Relevance, job));

  cs = logic.setValue(age, Value::number(200));
  CHECK(logic.validity(age) == Validity::Constraint);
  CHECK(hasChange(cs, Change::Validity, age));

  cs = logic.setValue("job", Value::string("baker"));
  CHECK(hasChange(cs, Change::Validity, job));
  CHECK(logic.validity(job) == Validity::Ok);
  int jobLabel = logic.fieldIndex("job_label");
  CHECK(logic.value(jobLabel).toString() == "job=baker");
  // A field that is not relevant reads as '' (as in JavaRosa).
  cs = logic.setValue(age, Value::number(5));
  CHECK(hasChange(cs, Change::Relevance, job));
  CHECK(hasChange(cs, Change::Value, jobLabel));
  CHECK(logic.value(jobLabel).toString() == "job=");
  CHECK(logic.value(job).toString() == "baker");  // kept while entering
  logic.setValue(age, Value::number(30));
  CHECK(logic.value(jobLabel).toString() == "job=baker");

  // Only dependents are re-evaluated.
  CHECK(logic.dependentCount(logic.fieldIndex("school")) == 1);  // its own validity
  CHECK(logic.dependentCount(age) > 5);

  // select_multiple, count-selected, jr:choice-name
  logic.lang = "da";
  logic.setValue("colours_liked", Value::string("blue red"));
  CHECK(logic.value(logic.fieldIndex("n_liked")).toString() == "2");
  CHECK(logic.value(logic.fieldIndex("first_name")).toString() == "Blå");

  // choice_filter over choice attributes
  auto vis = logic.visibleChoices(logic.fieldIndex("temp"));
  REQUIRE(vis.size() == 2);
  CHECK(vis[0]->name == "red");
  CHECK(vis[1]->name == "orange");
  CHECK(logic.visibleChoices(logic.fieldIndex("colours_liked")).size() == 3);

  // dates
  logic.setValue("born", *parseDate("2020-02-28"));
  CHECK(logic.value(logic.fieldIndex("next_day")).toString() == "2020-02-29");
  CHECK(logic.validity(logic.fieldIndex("born")) == Validity::Ok);
  logic.setValue("born", *parseDate("2999-01-01"));
  CHECK(logic.validity(logic.fieldIndex("born")) == Validity::Constraint);
}

TEST_CASE("form logic: repeats") {
  Form form = loadFixture("logic.json");
  FormLogic logic(form);
  int rep = logic.fieldIndex("children"), childAge = logic.fieldIndex("child_age");
  int older = logic.fieldIndex("child_older"), school = logic.fieldIndex("child_school");
  int n = logic.fieldIndex("n_children"), sum = logic.fieldIndex("sum_child_age");
  CHECK(logic.value(n).toString() == "0");
  CHECK(logic.value(sum).toString() == "0");
  CHECK(logic.addRepeatInstance(rep) == 0);
  CHECK(logic.addRepeatInstance(rep) == 1);
  CHECK(logic.repeatCount(rep) == 2);
  CHECK(logic.value(n).toString() == "2");
  CHECK(logic.value(logic.fieldIndex("child_pos"), {1}).toString() == "2");

  logic.setValue("age", Value::number(40));
  auto cs = logic.setValue(childAge, Value::number(8), {0});
  CHECK(logic.value(older, {0}).toString() == "48");
  CHECK(logic.value(older, {1}).toString() == "NaN");
  CHECK(logic.isRelevant(school, {0}));
  CHECK_FALSE(logic.isRelevant(school, {1}));
  CHECK(logic.value(sum).toString() == "NaN");  // the second child's age is empty
  logic.setValue(childAge, Value::number(3), {1});
  CHECK(logic.value(sum).toString() == "11");
  CHECK(logic.value(logic.fieldIndex("max_child_age")).toString() == "8");
  CHECK(logic.value(logic.fieldIndex("child_ages")).toString() == "8,3");
  // A top-level change reaches every instance.
  logic.setValue("age", Value::number(50));
  CHECK(logic.value(older, {0}).toString() == "58");
  CHECK(logic.value(older, {1}).toString() == "53");

  logic.removeRepeatInstance(rep, 0);
  CHECK(logic.repeatCount(rep) == 1);
  CHECK(logic.value(sum).toString() == "3");
  CHECK(logic.value(older, {0}).toString() == "53");

  auto values = logic.values();
  CHECK(values["children"].size() == 1);
  CHECK(values["children"][0]["child_age"] == 3);
  CHECK(values["sum_child_age"] == 3);
}

TEST_CASE("form logic: load a record") {
  Form form = loadFixture("logic.json");
  FormLogic logic(form);
  logic.load(nlohmann::json::parse(R"({"age": 12, "born": "2010-05-01",
      "children": [{"child_age": 7}, {"child_age": 2}]})"));
  CHECK(logic.value(logic.fieldIndex("born")).type == Type::Date);
  CHECK(logic.value(logic.fieldIndex("sum_child_age")).toString() == "9");
  CHECK(logic.isRelevant(logic.fieldIndex("child_school"), {0}));
  CHECK_FALSE(logic.isRelevant(logic.fieldIndex("child_school"), {1}));
}

TEST_CASE("validateRecord: types, required, constraints, calculations, relevance") {
  Form form = loadFixture("logic.json");
  auto v = nlohmann::json::parse(R"({
    "age": 30, "temp": "purple", "colours_liked": "red pink", "born": "2020-13-01",
    "school": "X", "children": [{"child_age": 2.5, "child_school": "kept?"}, {"child_age": 9, "child_school": "Y"}]
  })");
  auto errs = validateRecord(form, v, "en");
  auto msg = [&](const std::string& field) {
    for (const auto& e : errs)
      if (e.field == field) return e.message;
    return std::string("<none>");
  };
  CHECK(msg("job") == "Enter a job");
  CHECK(msg("temp") == "'purple' is not a choice of list 'colours'");
  CHECK(msg("colours_liked") == "'pink' is not a choice of list 'colours'");
  CHECK(msg("born") == "must be a date (YYYY-MM-DD)");
  CHECK(msg("children[1]/child_age") == "must be a whole number");
  CHECK(msg("children[2]/child_age") == "<none>");
  CHECK(errs.size() == 5);
  // calculations written, non-relevant removed
  CHECK(v["adult"] == "yes");
  CHECK(v["children"][1]["child_older"] == 39);
  CHECK(v["children"][1]["child_pos"] == 2);
  CHECK(v["n_children"] == 2);
  CHECK(v["children"][0].contains("child_school") == false);  // 2.5 < 6: not relevant
  CHECK(v["children"][1]["child_school"] == "Y");
  CHECK(v["school"] == "X");

  auto w = nlohmann::json::parse(R"({"age": 5, "school": "gone", "job": "gone too"})");
  errs = validateRecord(form, w, "da");
  CHECK(errs.empty());
  CHECK_FALSE(w.contains("school"));  // group not relevant at age 5
  CHECK_FALSE(w.contains("job"));
  CHECK(w["adult"] == "no");

  // Validation is a fixed point: validating the result again changes nothing.
  auto again = v;
  auto errs2 = validateRecord(form, again, "en");
  CHECK(again == v);
  CHECK(errs2.size() == 5);

  auto x = nlohmann::json::parse(R"({"age": 500})");
  errs = validateRecord(form, x, "da");
  REQUIRE(errs.size() >= 1);
  CHECK(errs[0].field == "age");
  CHECK(errs[0].message == "must be at most 120");

  auto y = nlohmann::json::parse(R"({})");
  errs = validateRecord(form, y, "en");
  REQUIRE(errs.size() == 1);
  CHECK(errs[0].field == "age");
  CHECK(errs[0].message == "required");
}

TEST_CASE("form logic: incremental state equals a full re-evaluation") {
  Form form = loadFixture("logic.json");
  FormLogic logic(form);
  int rep = logic.fieldIndex("children");
  logic.addRepeatInstance(rep);
  logic.addRepeatInstance(rep);
  logic.addRepeatInstance(rep);
  auto snapshot = [&] {
    std::string s;
    for (int i = 0; i < logic.fieldCount(); ++i) {
      bool inRepeat = logic.field(i).path.rfind("children/", 0) == 0;
      int n = inRepeat ? logic.repeatCount(rep) : 1;
      for (int k = 0; k < n; ++k) {
        InstancePath p = inRepeat ? InstancePath{k} : InstancePath{};
        s += logic.field(i).name + "=" + logic.value(i, p).toString() + "|" +
             (logic.isRelevant(i, p) ? "R" : "-") + std::to_string(static_cast<int>(logic.validity(i, p))) + "\n";
      }
    }
    return s;
  };
  const char* inputs[] = {"age", "job", "colours_liked", "born", "school", "child_age", "child_school"};
  const char* values[] = {"", "3", "17", "18", "40", "200", "red", "blue red", "2020-02-28", "x"};
  unsigned seed = 12345;
  auto next = [&] { return seed = seed * 1103515245u + 12345u, (seed >> 16) & 0x7fff; };
  for (int step = 0; step < 400; ++step) {
    std::string name = inputs[next() % 7];
    int f = logic.fieldIndex(name);
    REQUIRE(f >= 0);
    std::string text = values[next() % 10];
    Value v = valueFromJson(nlohmann::json(text), logic.field(f).type);
    if (name == "age" || name == "child_age") v = text.empty() ? Value() : Value::number(expr::stringToNumber(text));
    InstancePath p;
    if (name.rfind("child_", 0) == 0) p = {static_cast<int>(next() % 3)};
    logic.setValue(f, v, p);
    std::string incremental = snapshot();
    logic.evaluateAll();
    std::string full = snapshot();
    CAPTURE(step);
    REQUIRE(incremental == full);
  }
}
