// adoptForm: the store uses a form parsed elsewhere only when it is exactly
// the stored version.
#include <doctest/doctest.h>

#include "test_store_util.h"

using namespace skema::store;
using storetest::TempDir;

TEST_CASE("store: adoptForm takes an identical parsed form and declines a different one") {
  TempDir t;
  auto shipped = std::make_shared<const skema::Form>(storetest::loadTestForm(storetest::kVisitV1));
  SqliteStore::create(t.file("w.skema"))->publishForm(*shipped, {"tester", ""});

  auto s = SqliteStore::open(t.file("w.skema"));
  CHECK(s->adoptForm(shipped));
  CHECK(s->form("test.visit", 1) == shipped);  // no second parse: the same object

  // Same id and version, other content: declined; the stored text is parsed.
  auto s2 = SqliteStore::open(t.file("w.skema"));
  skema::Form changed = *shipped;
  changed.definition["title"]["en"] = "Another title";
  auto other = std::make_shared<const skema::Form>(changed);
  CHECK_FALSE(s2->adoptForm(other));
  auto stored = s2->form("test.visit", 1);
  REQUIRE(stored);
  CHECK(stored != other);
  CHECK(stored->definition == shipped->definition);

  // A version the workspace does not have: declined.
  skema::Form v9 = *shipped;
  v9.version = 9;
  CHECK_FALSE(s2->adoptForm(std::make_shared<const skema::Form>(v9)));
  CHECK(s2->form("test.visit", 9) == nullptr);
}
