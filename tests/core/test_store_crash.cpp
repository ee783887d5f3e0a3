// Crash test: a writer process is killed (SIGKILL) at random moments while
// saving; afterwards every save it reported as done must be there, every
// record must match what its audit rows rebuild, and the file must be sound.
// SKEMA_CRASH_ROUNDS=N runs N kill rounds (default 20, a few hundred saves; SKEMA_CRASH_ROUNDS=400 gives thousands).
#include <doctest/doctest.h>

#include <map>
#include <random>
#include <sstream>

#include "test_crash_util.h"
#include "test_store_util.h"

using namespace skema::store;
using storetest::TempDir;

namespace {

// The writer: saves new records and edits of earlier ones as fast as it
// can, reporting "id revision" after each save returned.
void writer(const std::string& path, unsigned seed) {
  auto s = SqliteStore::open(path);
  std::mt19937 rng(seed);
  std::vector<Record> mine;
  for (;;) {
    Record r;
    if (!mine.empty() && rng() % 3 == 0) {
      Record& e = mine[rng() % mine.size()];
      e.values["people"] = int(rng() % 50);
      e.values["topics"] = (rng() % 2) ? "health" : "tax housing";
      r = s->save(e, {"writer", "crash test edit"});
      e = r;
    } else {
      r = storetest::visit("2024-04-" + std::to_string(10 + rng() % 18), (rng() % 2) ? "cph" : "aarhus",
                           rng() % 4 == 0 ? RecordStatus::Draft : RecordStatus::Final);
      r.values["person"] = "P-" + std::to_string(rng() % 1000);
      r.values["notes"] = std::string(rng() % 2000, 'x');
      r = s->save(r, {"writer", ""});
      mine.push_back(r);
    }
    crashtest::report(r.id + " " + std::to_string(r.revision));
  }
}

}  // namespace

TEST_CASE("store: crash test: SIGKILL during saves loses nothing reported as saved") {
  TempDir t;
  std::string path = t.file("crash.skema");
  {
    auto s = SqliteStore::create(path);
    s->publishForm(storetest::loadTestForm(storetest::kVisitV1), {"t", ""});
  }
  const int rounds = crashtest::rounds(20);
  std::mt19937 rng(12345);
  std::map<std::string, std::int64_t> reported;  // id -> highest revision reported saved
  long totalSaves = 0;
  int killedMidway = 0;
  for (int round = 0; round < rounds; ++round) {
    auto child = crashtest::forkChild([&] { writer(path, unsigned(round * 7919 + 1)); });
    auto end = crashtest::killAt(child, long(20000 + rng() % 180000));
    if (end.killed) ++killedMidway;
    else FAIL_CHECK("writer ended by itself: " << end.describe());
    for (const auto& line : end.lines()) {
      std::istringstream ls(line);
      std::string id;
      std::int64_t rev = 0;
      ls >> id >> rev;
      auto& r = reported[id];
      r = std::max(r, rev);
      ++totalSaves;
    }
  }
  MESSAGE(totalSaves << " saves reported over " << rounds << " kills");
  CHECK(killedMidway == rounds);
  CHECK(totalSaves > 100);

  auto s = crashtest::openChecked(path);
  for (const auto& [id, rev] : reported) {
    auto r = s->get(id);
    REQUIRE_MESSAGE(r, "reported record " << id << " is missing");
    CHECK(r->revision >= rev);
  }
  // Every record (also any saved but not yet reported) matches its audit rows.
  RecordQuery q;
  q.formId = "test.visit";
  q.limit = 1000000;
  auto page = s->query(q);
  CHECK(page.total >= std::int64_t(reported.size()));
  for (const auto& r : page.records) {
    auto rb = s->rebuildFromAudit(r.id);
    REQUIRE(rb);
    CHECK(rb->values == r.values);
    CHECK(rb->status == r.status);
    CHECK(rb->revision == r.revision);
    CHECK(rb->personCode == r.personCode);
    CHECK(rb->deleted == r.deleted);
  }
}
