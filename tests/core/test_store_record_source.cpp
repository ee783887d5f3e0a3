// StoreRecordSource: the record store as the plugins' RecordSource, on a
// temporary workspace: final, non-deleted records of every form version, as
// the ABI's compact JSON; early stop; every form with "".
#include <doctest/doctest.h>

#include "plugin/plugin_registry.h"
#include "plugin/store_record_source.h"
#include "test_store_util.h"

using namespace skema::store;
using skema::plugin::StoreRecordSource;
using nlohmann::json;

TEST_CASE("StoreRecordSource: final, non-deleted records of all versions as compact JSON") {
  storetest::TempDir t;
  auto s = SqliteStore::create(t.file("w.skema"));
  s->publishForm(storetest::loadTestForm(storetest::kVisitV1), {"tester", ""});
  s->publishForm(storetest::loadTestForm(storetest::kVisitV2), {"tester", ""});

  auto make = [&](int version, RecordStatus st, const std::string& office) {
    Record r;
    r.formId = "test.visit";
    r.formVersion = version;
    r.status = st;
    r.values = {{"date", "2024-05-01"}, {"office", office}, {"person", "P-7F3K"}};
    return s->save(r, {"tester", ""});
  };
  Record a = make(1, RecordStatus::Final, "cph");
  make(1, RecordStatus::Draft, "odense");        // a draft: never delivered
  Record c = make(2, RecordStatus::Final, "aarhus");
  Record d = make(2, RecordStatus::Final, "odense");
  s->remove(d.id, {"tester", "duplicate"});      // tombstoned: never delivered

  StoreRecordSource src(*s);
  std::vector<std::string> texts;
  src.forEachRecord("test.visit", [&](const std::string& t) {
    texts.push_back(t);
    return true;
  });
  REQUIRE(texts.size() == 2);
  for (const auto& text : texts) CHECK(text.find(": ") == std::string::npos);  // compact
  json j0 = json::parse(texts[0]), j1 = json::parse(texts[1]);
  CHECK(j0["id"] == a.id);
  CHECK(j0["form"] == "test.visit");
  CHECK(j0["version"] == 1);
  CHECK(j0["status"] == "final");
  CHECK(j0["created_at"] == a.createdAt);
  CHECK(j0["values"]["office"] == "cph");
  CHECK(j1["id"] == c.id);
  CHECK(j1["version"] == 2);

  // Stopping early.
  int n = 0;
  src.forEachRecord("test.visit", [&](const std::string&) { return ++n < 1; });
  CHECK(n == 1);
  // "" = every form; an unknown form has no records.
  n = 0;
  src.forEachRecord("", [&](const std::string&) { return ++n, true; });
  CHECK(n == 2);
  n = 0;
  src.forEachRecord("no.such", [&](const std::string&) { return ++n, true; });
  CHECK(n == 0);
}
