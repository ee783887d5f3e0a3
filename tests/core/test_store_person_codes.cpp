// Person-code completion: codes in use across the workspace, by prefix.
#include <doctest/doctest.h>

#include "test_store_util.h"

using namespace skema::store;
using storetest::TempDir;

TEST_CASE("store: person codes complete by prefix, distinct, sorted, without deleted records") {
  TempDir t;
  auto s = SqliteStore::create(t.file("w.skema"));
  s->publishForm(storetest::loadTestForm(storetest::kVisitV1), {"tester", ""});
  Actor who{"tester", ""};
  auto add = [&](const char* code) {
    Record r = storetest::visit("2024-03-01", "cph");
    if (code) r.values["person"] = code;
    return s->save(r, who);
  };
  add("KX-123");
  add("KX-123");  // a second contact: one code
  add("KX-077");
  add("KY-500");
  add("kx-999");  // codes compare exactly (the entry field types upper case)
  add(nullptr);
  Record gone = add("KX-450");

  CHECK(s->personCodes("KX", 10) == std::vector<std::string>{"KX-077", "KX-123", "KX-450"});
  CHECK(s->personCodes("KX-1", 10) == std::vector<std::string>{"KX-123"});
  CHECK(s->personCodes("KX", 2) == std::vector<std::string>{"KX-077", "KX-123"});
  CHECK(s->personCodes("K", 10).size() == 4);
  CHECK(s->personCodes("Q", 10).empty());

  s->remove(gone.id, {"tester", "entered by mistake"});
  CHECK(s->personCodes("KX", 10) == std::vector<std::string>{"KX-077", "KX-123"});
}
