// What the store lets into a record's values (docs/store.md, "Rules for
// records"): drafts are type-checked though they may be incomplete; one
// record with values SQLite cannot read does not break the queries of its
// form; times and user names as the store keeps them.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include "test_store_util.h"

using namespace skema;
using namespace skema::store;
using storetest::TempDir;
using nlohmann::json;

namespace {

const char* kHouse = R"({
  "format": "skema-form/1", "id": "test.house", "version": 1, "title": {"en": "House"}, "languages": ["en"],
  "fields": [
    {"name": "office", "type": "select_one", "label": {"en": "Office"}, "choices": "offices", "required": true},
    {"name": "note", "type": "text", "label": {"en": "Note"}},
    {"name": "size", "type": "integer", "label": {"en": "Size"}, "min": 1, "max": 20},
    {"name": "rent", "type": "decimal", "label": {"en": "Rent"}},
    {"name": "moved", "type": "date", "label": {"en": "Moved in"}},
    {"name": "needs", "type": "select_multiple", "label": {"en": "Needs"}, "choices": "needs"},
    {"name": "double", "type": "calculate", "label": {"en": "Double"}, "calculation": "${size} * 2"},
    {"name": "where", "type": "group", "label": {"en": "Where"}, "fields": [
      {"name": "street", "type": "text", "label": {"en": "Street"}}
    ]},
    {"name": "members", "type": "repeat", "label": {"en": "Members"}, "fields": [
      {"name": "age", "type": "integer", "label": {"en": "Age"}, "required": true},
      {"name": "pets", "type": "repeat", "label": {"en": "Pets"}, "fields": [
        {"name": "kind", "type": "text", "label": {"en": "Kind"}}
      ]}
    ]}
  ],
  "choices": {
    "offices": [{"name": "cph", "label": {"en": "Copenhagen"}}, {"name": "odense", "label": {"en": "Odense"}}],
    "needs": [{"name": "food", "label": {"en": "Food"}}, {"name": "bed", "label": {"en": "Bed"}}]
  }
})";

Record house(json values, RecordStatus st = RecordStatus::Draft) {
  Record r;
  r.formId = "test.house";
  r.formVersion = 1;
  r.status = st;
  r.values = std::move(values);
  return r;
}

// The field errors of saving `r`, as "field: message; ..." ("" = saved).
std::string saveErrors(Store& s, const Record& r) {
  try {
    s.save(r, {"tester", ""});
    return "";
  } catch (const StoreError& e) {
    REQUIRE(e.kind() == ErrorKind::Invalid);
    std::string out;
    for (const auto& f : e.fieldErrors()) out += (out.empty() ? "" : "; ") + f.field + ": " + f.message;
    return out;
  }
}

json nested(int depth) {
  json v = json::array();
  for (int i = 1; i < depth; ++i) v = json::array({std::move(v)});
  return v;
}

// Runs `sql` on the workspace file through a connection of its own.
void sqlExec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  if (err) MESSAGE(err);
  sqlite3_free(err);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
}

}  // namespace

TEST_CASE("store: a draft may be incomplete but not ill-typed") {
  TempDir t;
  auto s = SqliteStore::create(t.file("w.skema"));
  s->publishForm(storetest::loadTestForm(kHouse), {"tester", ""});
  // Incomplete: required values missing, a choice not (yet) in the list, out of bounds, calculation not run.
  CHECK(saveErrors(*s, house({{"size", 99}, {"office", "nowhere"}, {"double", "x"},
                              {"members", {{{"pets", {json::object()}}}}}})) == "");
  CHECK(saveErrors(*s, house({{"size", 3.0}, {"rent", 1}, {"note", ""}, {"needs", "food bed"}, {"street", "Vej 1"}})) ==
        "");
  // The issue's case: a text field holding an array 2,100 deep broke every query of the form.
  CHECK(saveErrors(*s, house({{"note", nested(2100)}})) == "note: must be text");
  CHECK(saveErrors(*s, house({{"size", "3"}, {"rent", "cheap"}, {"moved", 20240101}, {"needs", {"food"}},
                              {"street", {{"a", 1}}}, {"double", json::array()}})) ==
        "size: must be a whole number; rent: must be a number; moved: must be a date (YYYY-MM-DD); "
        "needs: must be the name of a choice; double: must be a single value; where/street: must be text");
  CHECK(saveErrors(*s, house({{"size", 2.5}})) == "size: must be a whole number");
  CHECK(saveErrors(*s, house({{"members", "two"}})) == "members: must be a list of entries");
  CHECK(saveErrors(*s, house({{"members", {1, {{"age", "x"}}, {{"pets", {{{"kind", nested(5)}}}}}, {{"cat", 1}}}}})) ==
        "members[1]: must be an object of values; members[2]/age: must be a whole number; "
        "members[3]/pets[1]/kind: must be text; members[4]/cat: no such field in members");
  CHECK(s->query({"test.house"}).records.size() == 2);
}

TEST_CASE("store: a final record cannot hide unknown names inside a repeat") {
  TempDir t;
  auto s = SqliteStore::create(t.file("w.skema"));
  s->publishForm(storetest::loadTestForm(kHouse), {"tester", ""});
  CHECK(saveErrors(*s, house({{"office", "cph"}, {"members", {{{"age", 30}, {"secret", nested(2100)}}}}},
                             RecordStatus::Final)) == "members[1]/secret: no such field in members");
  CHECK(saveErrors(*s, house({{"office", "cph"}, {"members", {{{"age", 30}}}}}, RecordStatus::Final)) == "");
}

TEST_CASE("store: one record whose values SQLite cannot read does not break filtering, sorting and search") {
  TempDir t;
  const auto path = t.file("w.skema");
  auto s = SqliteStore::create(path);
  s->publishForm(storetest::loadTestForm(kHouse), {"tester", ""});
  auto a = s->save(house({{"office", "cph"}, {"note", "alpha"}, {"size", 2}}), {"tester", ""});
  auto b = s->save(house({{"office", "odense"}, {"note", "beta"}, {"size", 1}}), {"tester", ""});
  auto bad = s->save(house({{"note", "x"}}), {"tester", ""});
  // Made outside Skema, as an older Skema let a draft through: nested
  // deeper than SQLite's JSON limit (nlohmann reads it).
  sqlExec(path, "UPDATE records SET data='{\"note\":" + nested(2100).dump() + "}' WHERE id='" + bad.id + "'");
  RecordQuery q;
  q.formId = "test.house";
  q.filters = {{"office", FieldFilter::Op::Equals, "cph"}};
  auto page = s->query(q);
  REQUIRE(page.records.size() == 1);
  CHECK(page.records[0].id == a.id);
  CHECK(page.total == 1);
  q.filters = {{"note", FieldFilter::Op::NotEquals, "alpha"}};
  page = s->query(q);
  REQUIRE(page.records.size() == 2);  // no value is not "alpha"
  CHECK(page.records[0].id == b.id);
  CHECK(page.records[1].id == bad.id);
  q.filters.clear();
  q.sortBy = "size";
  page = s->query(q);
  REQUIRE(page.records.size() == 3);
  CHECK(page.records[0].id == bad.id);  // no value sorts first
  CHECK(page.records[1].id == b.id);
  CHECK(page.records[2].id == a.id);
  CHECK(page.records[0].values["note"] == nested(2100));
  q.sortBy.clear();
  q.text = "bet";
  page = s->query(q);
  REQUIRE(page.records.size() == 1);
  CHECK(page.records[0].id == b.id);

  // Not JSON at all: the filters and searches still work; a page that
  // holds the record names it.
  sqlExec(path, "UPDATE records SET data='not json' WHERE id='" + bad.id + "'");
  page = s->query(q);
  REQUIRE(page.records.size() == 1);
  CHECK(page.records[0].id == b.id);
  q.text.clear();
  q.filters = {{"size", FieldFilter::Op::Greater, 1}};
  page = s->query(q);
  REQUIRE(page.records.size() == 1);
  CHECK(page.records[0].id == a.id);
  q.filters.clear();
  try {
    s->query(q);
    FAIL("no error");
  } catch (const StoreError& e) {
    CHECK(e.kind() == ErrorKind::Corrupt);
    CHECK(std::string(e.what()).rfind("record " + bad.id + ": its stored values are ", 0) == 0);
  }
}

TEST_CASE("store: times are normalised to the store's UTC form") {
  using namespace std::chrono;
  const auto now = sys_days{year{2024} / 6 / 1} + hours{12};
  auto norm = [&](const std::string& text) {
    std::string error;
    auto t = normaliseUtcTime(text, now, error);
    return t ? *t : "error: " + error;
  };
  CHECK(norm("2024-02-03T04:05:06.789Z") == "2024-02-03T04:05:06.789Z");
  CHECK(norm("2024-02-03T04:05Z") == "2024-02-03T04:05:00.000Z");
  CHECK(norm("2024-02-03 04:05:06.1234567+02:00") == "2024-02-03T02:05:06.123Z");
  CHECK(norm("2024-01-01T00:30:00+0100") == "2023-12-31T23:30:00.000Z");
  CHECK(norm("2023-12-31T23:30:00-01") == "2024-01-01T00:30:00.000Z");
  CHECK(norm("2024-02-29T00:00:00Z") == "2024-02-29T00:00:00.000Z");
  CHECK(norm("2024-02-03T24:00:00Z") == "2024-02-04T00:00:00.000Z");
  CHECK(norm("2024-06-01T12:05:00Z") == "2024-06-01T12:05:00.000Z");  // within the clock tolerance
  CHECK(norm("2024-06-01T12:05:01Z") == "error: '2024-06-01T12:05:01Z' is in the future");
  CHECK(norm("2024-02-03T04:05:06") ==
        "error: '2024-02-03T04:05:06' has no time zone: end it with Z (UTC) or an offset such as +01:00");
  CHECK(norm("2024-02-03") == "error: '2024-02-03' has no time zone: end it with Z (UTC) or an offset such as +01:00");
  CHECK(norm("0000-01-01T00:30:00+01:00") == "error: '0000-01-01T00:30:00+01:00' is not a valid date and time");
  for (const char* bad : {"", "2023-02-29T00:00:00Z", "2024-02-03T25:00:00Z", "2024-2-3T04:05Z",
                          "2024-02-03T04:05:06.Z", "2024-02-03T04:05:06+1", "2024-02-03T04:05Z trailing"})
    CHECK(norm(bad) == "error: not a date and time: '" + std::string(bad) + "' (expected YYYY-MM-DDTHH:MM:SS.mmmZ)");
  CHECK(norm(std::string(100, '9')) == "error: not a date and time: '" + std::string(40, '9') +
                                           "...' (expected YYYY-MM-DDTHH:MM:SS.mmmZ)");
}

TEST_CASE("store: user names") {
  CHECK(userNameProblem("anne") == "");
  CHECK(userNameProblem("Anne Sørensen") == "");
  CHECK(userNameProblem(" spaced ") == "");
  CHECK(userNameProblem(std::string(64, 'a')) == "");
  CHECK(userNameProblem("") == "is empty");
  CHECK(userNameProblem(std::string(65, 'a')) == "is 65 bytes long (at most 64)");
  CHECK(userNameProblem("an\tne") == "contains the control character U+0009");
  CHECK(userNameProblem("an\x7fne") == "contains the control character U+007F");
  CHECK(userNameProblem("an\xc2\x85ne") == "contains the control character U+0085");      // next line
  CHECK(userNameProblem("an\xe2\x80\xaene") == "contains the control character U+202E");  // right-to-left override
  CHECK(userNameProblem("an\xe2\x80\xa8ne") == "contains the control character U+2028");  // line separator
  CHECK(userNameProblem("caf\xe9") == "is not valid UTF-8 (byte 4)");
  CHECK(userNameProblem("\xc0\xaf") == "is not valid UTF-8 (byte 1)");      // overlong '/'
  CHECK(userNameProblem("a\xed\xa0\x80") == "is not valid UTF-8 (byte 2)");  // a surrogate
  CHECK(userNameProblem(std::string_view("a\0b", 3)) == "contains the control character U+0000");
}
