// Reports: the union of variables across versions (renames), the columnar
// dataset and its refresh, frequency tables, crosstabs, series, filters.
#include <doctest/doctest.h>

#include "expr/value.h"
#include "report/report.h"
#include "test_report_util.h"

using namespace skema;
using namespace skema::report;
using namespace skema::store;
using reporttest::makeStore;

TEST_CASE("unionVariables follows renames and unions choices") {
  std::vector<std::shared_ptr<const Form>> forms = {std::make_shared<Form>(reporttest::load(reporttest::kV2)),
                                                    std::make_shared<Form>(reporttest::load(reporttest::kV1))};
  FormVariables fv = unionVariables(forms);
  CHECK(fv.versions == std::vector<int>{1, 2});
  std::vector<std::string> names;
  for (const auto& v : fv.vars) names.push_back(v.name);
  CHECK(names == std::vector<std::string>{"date", "office", "venue", "topics", "duration", "notes", "people"});
  int venue = fv.find("venue");
  REQUIRE(venue >= 0);
  CHECK(fv.find("place_kind") == venue);
  CHECK(fv.indexIn(1, "place_kind") == venue);
  CHECK(fv.indexIn(2, "venue") == venue);
  CHECK(fv.vars[venue].versions == std::vector<int>{1, 2});
  CHECK(fv.vars[venue].formerNames() == std::vector<std::string>{"place_kind"});
  CHECK(fv.vars[venue].choices.size() == 3);
  CHECK(fv.vars[fv.find("people")].versions == std::vector<int>{1});
  CHECK(fv.vars[fv.find("duration")].versions == std::vector<int>{2});
  CHECK(fv.vars[fv.find("notes")].sensitive);
}

TEST_CASE("a name reused after a rename is a new variable") {
  // v1: a; v2: b renamed_from a; v3: b and a new a.
  auto mk = [](int v, const std::string& fields) {
    std::string t = R"({"format":"skema-form/1","id":"x.y","version":)" + std::to_string(v) +
                    R"(,"title":{"en":"X"},"languages":["en"],"fields":[)" + fields + "]}";
    return std::make_shared<Form>(reporttest::load(t.c_str()));
  };
  auto f1 = mk(1, R"({"name":"a","type":"text","label":{"en":"A"}})");
  auto f2 = mk(2, R"({"name":"b","type":"text","label":{"en":"B"},"renamed_from":"a"})");
  auto f3 = mk(3, R"({"name":"b","type":"text","label":{"en":"B"}},{"name":"a","type":"integer","label":{"en":"new A"}})");
  auto fv = unionVariables({f1, f2, f3});
  REQUIRE(fv.vars.size() == 2);
  CHECK(fv.indexIn(1, "a") == fv.indexIn(3, "b"));
  CHECK(fv.indexIn(3, "a") != fv.indexIn(3, "b"));
  CHECK(fv.vars[fv.indexIn(3, "a")].versions == std::vector<int>{3});
}

TEST_CASE("frequency, crosstab and series across versions") {
  storetest::TempDir dir;
  auto s = makeStore(dir.file("w.skema"));
  auto ds = Dataset::build(*s, "rep.visit");
  CHECK(ds->rows() == 7);
  CHECK(ds->liveRows() == 6);

  ReportSpec f;
  f.field = "venue";
  auto t = runReport(*ds, f);
  CHECK(t.records == 5);  // final, not deleted
  CHECK(t.rowKeys == std::vector<std::string>{"street", "clinic", "bar"});
  CHECK(t.at(0, 0) == 2);
  CHECK(t.at(1, 0) == 2);
  CHECK(t.at(2, 0) == 1);

  f.field = "place_kind";  // a former name finds the same variable
  CHECK(runReport(*ds, f).at(0, 0) == 2);

  f.field = "topics";
  t = runReport(*ds, f);
  CHECK(t.rowKeys == std::vector<std::string>{"health", "tax", "debt", ""});
  CHECK(t.at(0, 0) == 3);
  CHECK(t.at(1, 0) == 2);
  CHECK(t.at(2, 0) == 1);
  CHECK(t.at(3, 0) == 1);  // no value
  CHECK(t.rowMultiple);

  f.includeDrafts = true;
  f.field = "venue";
  CHECK(runReport(*ds, f).at(2, 0) == 2);

  ReportSpec x;
  x.kind = ReportKind::Crosstab;
  x.field = "office";
  x.colField = "topics";
  t = runReport(*ds, x);
  // cph: health tax | (none) | debt health -> health 2, tax 1, debt 1, none 1
  CHECK(t.rowKeys == std::vector<std::string>{"cph", "odense"});
  CHECK(t.colKeys == std::vector<std::string>{"health", "tax", "debt", ""});
  CHECK(t.at(0, 0) == 2);
  CHECK(t.at(0, 1) == 1);
  CHECK(t.at(0, 2) == 1);
  CHECK(t.at(0, 3) == 1);
  CHECK(t.at(1, 0) == 1);
  CHECK(t.at(1, 1) == 1);
  CHECK(t.rowTotals == std::vector<std::int64_t>{3, 2});
  CHECK(t.colTotals[0] == 3);
  CHECK(t.rowPercent(0, 0) == doctest::Approx(200.0 / 3));

  x.where = "${people} >= 1 or ${duration} > 40";
  t = runReport(*ds, x);
  CHECK(t.records == 3);
  x.where = "selected(${topics}, 'health') and ${office} = 'cph'";
  CHECK(runReport(*ds, x).records == 2);
  x.where = "${peple} > 1";
  CHECK_THROWS_AS(runReport(*ds, x), ReportError);
  x.where = "${people} >";
  CHECK_THROWS_AS(runReport(*ds, x), ReportError);
  x.where = "";
  x.equals["office"] = {"odense"};
  CHECK(runReport(*ds, x).records == 2);

  ReportSpec ser;
  ser.kind = ReportKind::Series;
  ser.period = Period::Month;
  ser.byField = "office";
  t = runReport(*ds, ser);
  CHECK(t.rowKeys == std::vector<std::string>{"2024-01", "2024-02", "2024-03", "2024-04", "2024-05"});
  CHECK(t.at(2, 0) == 0);
  CHECK(t.at(4, 0) == 1);
  CHECK(t.at(4, 1) == 1);
  ser.period = Period::Quarter;
  ser.byField = "";
  ser.from = "2024-02-01";
  t = runReport(*ds, ser);
  CHECK(t.rowKeys == std::vector<std::string>{"2024-Q1", "2024-Q2"});
  CHECK(t.at(0, 0) == 1);
  CHECK(t.at(1, 0) == 3);
}

TEST_CASE("labels in the chosen language") {
  storetest::TempDir dir;
  auto s = makeStore(dir.file("w.skema"));
  auto ds = Dataset::build(*s, "rep.visit");
  ReportSpec f;
  f.field = "topics";
  f.lang = "da";
  auto t = runReport(*ds, f);
  CHECK(t.rowLabel == "Emner");
  CHECK(t.rowLabels[2] == "Gæld");
}

TEST_CASE("periods") {
  auto day = [](int y, int m, int d) { return expr::daysFromCivil(y, m, d); };
  CHECK(periodOf(day(2024, 1, 1), Period::Week) == "2024-W01");
  CHECK(periodOf(day(2021, 1, 3), Period::Week) == "2020-W53");
  CHECK(periodOf(day(2024, 12, 30), Period::Week) == "2025-W01");
  CHECK(periodOf(day(2024, 5, 31), Period::Quarter) == "2024-Q2");
  CHECK(periodOf(day(2024, 5, 31), Period::Month) == "2024-05");
}

TEST_CASE("dataset refresh and apply keep the cache current") {
  storetest::TempDir dir;
  auto s = makeStore(dir.file("w.skema"));
  auto ds = Dataset::build(*s, "rep.visit");
  ReportSpec f;
  f.field = "office";
  CHECK(runReport(*ds, f).at(0, 0) == 3);
  // New record, an edit and a delete behind the dataset's back.
  Record r;
  r.formId = "rep.visit";
  r.formVersion = 2;
  r.status = RecordStatus::Final;
  r.values = {{"date", "2024-07-01"}, {"office", "cph"}};
  s->save(r, {"t", ""});
  RecordQuery q;
  q.formId = "rep.visit";
  Page p = s->query(q);
  Record first = p.records.front();
  first.values["office"] = "odense";
  s->save(first, {"t", "fix office"});
  s->remove(p.records[1].id, {"t", "dup"});
  ds->refresh(*s);
  auto t = runReport(*ds, f);
  CHECK(t.at(0, 0) == 3);  // 3 - 1 (moved to odense) + 1 (new)
  CHECK(t.at(1, 0) == 2);  // 2 + 1 (moved) - 1 (deleted)
  // Rebuilding from scratch gives the same numbers.
  auto fresh = Dataset::build(*s, "rep.visit");
  auto u = runReport(*fresh, f);
  CHECK(u.counts == t.counts);
  CHECK(u.records == t.records);
  // apply() takes one saved record directly.
  r.values["office"] = "odense";
  ds->apply(s->save(r, {"t", ""}));
  CHECK(runReport(*ds, f).at(1, 0) == t.at(1, 0) + 1);
}
