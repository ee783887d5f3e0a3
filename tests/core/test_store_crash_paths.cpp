// Crash tests of every writing path beside single saves (test_store_crash.cpp):
// bulk import, publish, init, migrate and its revert, and the command-line
// processes themselves, several at once. Each writer is SIGKILLed at random
// moments; after every kill the workspace must pass integrity_check and
// audit verify, hold every change reported as done, and hold each operation
// whole or not at all. SKEMA_CRASH_ROUNDS=N gives every test N kills
// (docs/testing.md); the defaults keep all of them to a few seconds.
#include <doctest/doctest.h>

#include <dirent.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "design/migration.h"
#include "store/import_export.h"
#include "test_crash_util.h"
#include "test_store_util.h"

using namespace skema;
using namespace skema::store;
using nlohmann::json;
using storetest::TempDir;

namespace {

using Rng = std::mt19937;

long uniform(Rng& rng, long lo, long hi) { return lo + long(rng() % std::uint64_t(hi - lo + 1)); }

bool exists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

// The report lines "begin X" / "done X" of a killed writer: what it reported
// done, and what it had begun and not reported done (empty if none).
struct Reports {
  std::vector<std::string> done;
  std::string inFlight;
};
Reports parseReports(const crashtest::Ended& e) {
  Reports r;
  for (const auto& line : e.lines()) {
    if (line.rfind("begin ", 0) == 0) r.inFlight = line.substr(6);
    else if (line.rfind("done ", 0) == 0) {
      r.done.push_back(line.substr(5));
      r.inFlight.clear();
    }
  }
  return r;
}

// The counts the store keeps (record_counts: totals and counts by status;
// field_value_counts of the indexed field `office`) against the records.
void checkCounts(SqliteStore& s, const std::string& formId) {
  std::map<RecordStatus, std::int64_t> byStatus{{RecordStatus::Draft, 0}, {RecordStatus::Final, 0}};
  std::map<std::string, std::int64_t> byOffice;
  std::int64_t live = 0;
  s.forEachRecord(formId, false, [&](const Record& r) {
    ++live;
    ++byStatus[r.status];
    if (r.values.contains("office")) ++byOffice[r.values["office"].get<std::string>()];
  });
  CHECK(s.countByStatus(formId) == byStatus);
  RecordQuery q;
  q.formId = formId;
  q.limit = 0;
  CHECK(s.query(q).total == live);
  for (const char* office : {"cph", "odense", "aarhus"}) {
    q.filters = {{"office", FieldFilter::Op::Equals, office}};
    CHECK_MESSAGE(s.query(q).total == byOffice[office], "office " << std::string(office));
  }
}

// A workspace with test.visit v1 (and v2 if asked), `office` indexed.
void makeWorkspace(const std::string& path, bool withV2 = false) {
  auto s = SqliteStore::create(path);
  s->publishForm(storetest::loadTestForm(storetest::kVisitV1), {"tester", ""});
  if (withV2) s->publishForm(storetest::loadTestForm(storetest::kVisitV2), {"tester", ""});
  s->ensureFieldIndex("test.visit", "office");
}

// --- imports -------------------------------------------------------------------

// An import's tag (the person code of all its rows) names its size: "I3-7-120".
std::string importTag(const std::string& prefix, int n) { return prefix + "-" + std::to_string(n); }
std::int64_t importSize(const std::string& tag) { return std::stoll(tag.substr(tag.rfind('-') + 1)); }

// The rows of one import of test.visit, all tagged `tag`, as CSV or JSON lines.
std::string importText(const std::string& tag, int n, bool csv, Rng& rng) {
  static const char* offices[] = {"cph", "odense", "aarhus"};
  std::string out = csv ? "date,office,person,people,notes,_status\n" : "";
  for (int i = 0; i < n; ++i) {
    const std::string date = "2024-05-" + std::to_string(10 + rng() % 18), office = offices[rng() % 3];
    const std::string notes(rng() % 100, 'n'), status = rng() % 4 ? "final" : "draft";
    const int people = int(rng() % 50);
    if (csv) out += date + "," + office + "," + tag + "," + std::to_string(people) + "," + notes + "," + status + "\n";
    else
      out += json{{"date", date}, {"office", office}, {"person", tag}, {"people", people}, {"notes", notes},
                  {"_status", status}}.dump() + "\n";
  }
  return out;
}

// The importer: imports of 1-600 rows (up to three of the import writer's
// batches), CSV and JSON lines in turn, as fast as it can, reporting each.
void importer(const std::string& path, int round) {
  auto s = SqliteStore::open(path);
  Rng rng(unsigned(round * 7919 + 3));
  for (int k = 0;; ++k) {
    const int n = 1 + int(rng() % 600);
    const std::string tag = importTag("I" + std::to_string(round) + "-" + std::to_string(k), n);
    std::string text = importText(tag, n, k % 2 == 0, rng);
    std::FILE* in = fmemopen(text.data(), text.size(), "r");
    std::unique_ptr<ImportSource> src;
    if (k % 2 == 0) src = std::make_unique<CsvImportSource>(*s, in, "test.visit");
    else src = std::make_unique<JsonlImportSource>(*s, in, "test.visit");
    crashtest::report("begin " + tag);
    auto res = s->importRecords(*src, {"importer", "crash test"}, {});
    std::fclose(in);
    if (!res.committed || res.imported != n) throw std::runtime_error("import " + tag + " was not committed");
    crashtest::report("done " + tag);
  }
}

// Records per import tag (person codes that look like one: `prefix`...).
std::map<std::string, std::int64_t> rowsPerTag(SqliteStore& s, char prefix) {
  std::map<std::string, std::int64_t> n;
  s.forEachRecord("test.visit", true, [&](const Record& r) {
    if (!r.personCode.empty() && r.personCode[0] == prefix) ++n[r.personCode];
  });
  return n;
}

// Every import is whole or absent; every one in `done` is there.
void checkImports(std::map<std::string, std::int64_t>& perTag, const std::set<std::string>& done) {
  for (const auto& [tag, n] : perTag)
    CHECK_MESSAGE(n == importSize(tag), "import " << tag << " is partial: " << n << " rows");
  for (const auto& tag : done) CHECK_MESSAGE(perTag[tag] == importSize(tag), "reported import " << tag << " is missing");
}

// --- publishing ----------------------------------------------------------------

// Version `v` of the form test.pub: its size varies with the version.
std::string pubFormText(const std::string& id, int v) {
  json fields = json::array();
  for (int i = 0; i <= v % 30; ++i)
    fields.push_back({{"name", "f" + std::to_string(i)},
                      {"type", "text"},
                      {"label", {{"en", "Field " + std::to_string(i) + " of v" + std::to_string(v) +
                                            std::string(size_t(v * 37 % 500), '.')}}}});
  return json{{"format", "skema-form/1"}, {"id", id},          {"version", v},
              {"title", {{"en", "Published"}}}, {"languages", {"en"}}, {"fields", fields}}
      .dump();
}

Form loadOrThrow(const std::string& text) {
  Diagnostics diags;
  auto f = loadForm(text, "generated.json", diags);
  if (!f) throw std::runtime_error("generated form does not load");
  return std::move(*f);
}

// The canonical definition publishForm stores for `text`.
std::string canonical(const std::string& text) { return loadOrThrow(text).definition.dump(); }

void publisher(const std::string& path) {
  auto s = SqliteStore::open(path);
  for (int v = s->latestFormVersion("test.pub").value_or(0) + 1;; ++v) {
    Form f = loadOrThrow(pubFormText("test.pub", v));
    crashtest::report("begin " + std::to_string(v));
    if (s->publishForm(f, {"publisher", ""}) != PublishResult::Published)
      throw std::runtime_error("version " + std::to_string(v) + " was there already");
    crashtest::report("done " + std::to_string(v));
  }
}

// A stored version is whole: its hash matches its text, the text is what
// was published, and it loads.
void checkPublished(SqliteStore& s, const FormVersionInfo& v) {
  CHECK_MESSAGE(v.hash == sha256Hex(v.definitionText), v.formId << " v" << v.version << ": hash does not match");
  CHECK_MESSAGE(v.definitionText == canonical(pubFormText(v.formId, v.version)),
                v.formId << " v" << v.version << ": not the text published");
  CHECK_MESSAGE(s.form(v.formId, v.version) != nullptr, v.formId << " v" << v.version << " does not load");
}

// --- commands --------------------------------------------------------------------

std::vector<std::string> command(std::vector<std::string> args) {
  args.insert(args.begin(), SKEMA_BINARY);
  return args;
}

// How long `argv` takes when nothing kills it (microseconds); fails unless it exits 0.
long timeRun(const std::vector<std::string>& argv) {
  auto t0 = std::chrono::steady_clock::now();
  auto e = crashtest::run(argv);
  REQUIRE_MESSAGE(e.exitedOk(), argv[1] << ": " << e.describe());
  return crashtest::usSince(t0);
}

void writeFile(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// Files in `dir` whose names start with `prefix`.
std::vector<std::string> filesStartingWith(const std::string& dir, const std::string& prefix) {
  std::vector<std::string> out;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* e = ::readdir(d))
      if (std::string(e->d_name).rfind(prefix, 0) == 0) out.push_back(e->d_name);
    ::closedir(d);
  }
  return out;
}

}  // namespace

TEST_CASE("store: crash test: a killed import is all or nothing") {
  TempDir t;
  const int rounds = crashtest::rounds(10);
  Rng rng(4242);
  std::string path;
  std::set<std::string> done;
  int midImport = 0, committedUnreported = 0;
  long imports = 0;
  for (int round = 0; round < rounds; ++round) {
    if (round % 5 == 0) {  // a fresh workspace now and then: long runs stay fast
      path = t.file("import" + std::to_string(round) + ".skema");
      makeWorkspace(path);
      done.clear();
    }
    auto end = crashtest::killAt(crashtest::forkChild([&] { importer(path, round); }), uniform(rng, 5000, 150000));
    CHECK_MESSAGE(end.killed, "importer: " << end.describe());
    auto rep = parseReports(end);
    done.insert(rep.done.begin(), rep.done.end());
    imports += long(rep.done.size());
    auto s = crashtest::openChecked(path);
    auto perTag = rowsPerTag(*s, 'I');
    checkImports(perTag, done);
    if (!rep.inFlight.empty()) {
      ++midImport;
      if (perTag.count(rep.inFlight)) ++committedUnreported;
    }
    checkCounts(*s, "test.visit");
  }
  MESSAGE(rounds << " kills, " << midImport << " during an import (" << committedUnreported
                 << " of those committed before the report); " << imports << " imports reported");
  CHECK(imports > 0);
  CHECK(midImport > 0);
}

TEST_CASE("store: crash test: a killed publish leaves the version whole or absent") {
  TempDir t;
  const int rounds = crashtest::rounds(8);
  Rng rng(777);
  std::string path;
  int doneMax = 0, midPublish = 0, committedUnreported = 0;
  size_t checkedUpTo = 0;
  long published = 0;
  for (int round = 0; round < rounds; ++round) {
    if (round % 10 == 0) {
      path = t.file("publish" + std::to_string(round) + ".skema");
      makeWorkspace(path);
      doneMax = 0;
      checkedUpTo = 0;
    }
    auto end = crashtest::killAt(crashtest::forkChild([&] { publisher(path); }), uniform(rng, 5000, 100000));
    CHECK_MESSAGE(end.killed, "publisher: " << end.describe());
    auto rep = parseReports(end);
    for (const auto& v : rep.done) doneMax = std::max(doneMax, std::stoi(v));
    published += long(rep.done.size());
    auto s = crashtest::openChecked(path);
    auto versions = s->formVersions("test.pub");
    // Versions 1..n, each published whole (the text is loaded only once).
    for (size_t i = 0; i < versions.size(); ++i) {
      REQUIRE(versions[i].version == int(i) + 1);
      if (i >= checkedUpTo) checkPublished(*s, versions[i]);
      else CHECK(versions[i].hash == sha256Hex(versions[i].definitionText));
    }
    checkedUpTo = versions.size();
    CHECK_MESSAGE(int(versions.size()) >= doneMax, "reported version " << doneMax << " is missing");
    if (!rep.inFlight.empty()) {
      ++midPublish;
      const int v = std::stoi(rep.inFlight);
      CHECK(int(versions.size()) <= v);
      if (int(versions.size()) == v) ++committedUnreported;
    }
  }
  MESSAGE(rounds << " kills, " << midPublish << " during a publish (" << committedUnreported
                 << " of those committed before the report); " << published << " versions reported");
  CHECK(published > 0);
}

TEST_CASE("store: crash test: a killed `skema init` leaves a whole workspace or none") {
  TempDir t;
  const std::string dir = t.path.string();
  const int rounds = crashtest::rounds(24);
  Rng rng(99);
  int absent = 0, leftTemp = 0, whole = 0, finished = 0;
  long typical = 0;
  for (int round = 0; round < rounds; ++round) {
    // Aim the kills over the command's whole run: measure it (again in
    // long runs, as the machine's load changes).
    if (round % 50 == 0) {
      std::vector<long> runs;
      for (int i = 0; i < 5; ++i)
        runs.push_back(timeRun(command({"init", t.file("timing" + std::to_string(round + i) + ".skema")})));
      std::sort(runs.begin(), runs.end());
      typical = runs[runs.size() / 2];
    }
    const std::string name = "w" + std::to_string(round) + ".skema", path = dir + "/" + name;
    const std::string tempPrefix = "." + name + ".init-";
    auto end = crashtest::killAt(crashtest::spawn(command({"init", path})), uniform(rng, 0, typical * 6 / 5));
    CHECK_MESSAGE((end.killed || end.exitedOk()), "init: " << end.describe());
    if (end.exitedOk()) ++finished;
    if (!exists(path)) {
      REQUIRE_MESSAGE(!end.exitedOk(), "init reported " << path << " created, but it is not there");
      ++absent;
      if (!filesStartingWith(dir, tempPrefix).empty()) ++leftTemp;
      // A second init succeeds and removes what the killed one left.
      auto again = crashtest::run(command({"init", path}));
      CHECK_MESSAGE(again.exitedOk(), "second init: " << again.describe());
      CHECK(filesStartingWith(dir, tempPrefix).empty());
    } else {
      ++whole;
      // Read before a store opens it (which would bring an older schema up
      // to date): the file itself is complete.
      auto fileInt = [&](const char* sql) { return storetest::sqlInt(path, sql, SQLITE_OPEN_READWRITE); };
      CHECK(fileInt("PRAGMA application_id") == kApplicationId);
      CHECK(fileInt("PRAGMA user_version") == kSchemaVersion);
      CHECK(fileInt("SELECT count(*) FROM meta WHERE key='created_at'") == 1);
      CHECK(filesStartingWith(dir, tempPrefix).empty());
      auto again = crashtest::run(command({"init", path}));
      CHECK_MESSAGE(again.exitCode == 3, "init over a workspace: " << again.describe());
    }
    try {
      auto s = crashtest::openChecked(path);
      CHECK(s->formVersions().empty());
    } catch (const StoreError& e) {
      FAIL_CHECK(path << " is not a sound workspace: " << std::string(e.what()));
    }
  }
  MESSAGE(rounds << " kills over runs of about " << typical << " us: " << absent << " left no workspace (" << leftTemp
                 << " a temporary file, removed by the next init), " << whole - finished
                 << " killed after the rename, " << finished << " finished");
  CHECK(absent > 0);
  CHECK(whole > 0);
}

namespace {

// The migration test's workspace: kRecords records of test.visit v1, and
// what each must look like on v1 and on v2 (v2 drops `people`).
struct MigrationWorld {
  static constexpr int kRecords = 300;
  std::string path;
  std::map<std::string, Record> v1;
  std::map<std::string, json> v2Values;
  explicit MigrationWorld(std::string p) : path(std::move(p)) {
    makeWorkspace(path, true);
    auto s = SqliteStore::open(path);
    Rng rng(5);
    std::vector<Record> batch;
    for (int i = 0; i < kRecords; ++i) {
      Record r = storetest::visit("2024-06-" + std::to_string(10 + i % 18), i % 3 ? "cph" : "odense",
                                  i % 5 ? RecordStatus::Final : RecordStatus::Draft);
      r.values["people"] = int(rng() % 50);
      r.values["notes"] = std::string(rng() % 200, 'm');
      batch.push_back(r);
    }
    for (auto& r : s->saveBatch(batch, {"tester", ""})) {
      json v = r.values;
      v.erase("people");
      v2Values[r.id] = v;
      v1[r.id] = std::move(r);
    }
  }
};

// Migrations to v2 and reverts, one after the other, as fast as it can.
void migrator(const std::string& path) {
  auto s = SqliteStore::open(path);
  for (;;) {
    RecordQuery q;
    q.formId = "test.visit";
    q.formVersion = 2;
    q.limit = 0;
    const bool onV2 = s->query(q).total > 0;
    // "begin" once planned: the kill then comes while the batch is written.
    if (onV2) {
      auto rep = design::planRevert(*s, "test.visit", 2);
      if (rep.reverting != MigrationWorld::kRecords) throw std::runtime_error("revert: " + rep.toText(false));
      crashtest::report("begin revert");
      design::runRevert(*s, rep, "migrator");
    } else {
      auto rep = design::planMigration(*s, "test.visit", 2, {});
      if (rep.migrating != MigrationWorld::kRecords) throw std::runtime_error("migrate: " + rep.toText(false));
      crashtest::report("begin migrate");
      design::runMigration(*s, rep, "migrator");
    }
    crashtest::report(onV2 ? "done revert" : "done migrate");
  }
}

// Migrations and reverts committed so far, from the audit log; every record
// must show the same numbers (a migration is all records or none).
std::pair<int, int> migrationsInAudit(SqliteStore& s, const MigrationWorld& w) {
  std::map<std::pair<int, int>, int> records;  // (migrations, reverts) -> records
  for (const auto& [id, r] : w.v1) {
    std::pair<int, int> n{0, 0};
    for (const auto& e : s.history(id))
      if (e.field == "_form_version") ++(e.newValue == "2" ? n.first : n.second);
    ++records[n];
  }
  std::string counts;
  for (const auto& [n, k] : records)
    counts += " " + std::to_string(k) + " migrated " + std::to_string(n.first) + " and reverted " +
              std::to_string(n.second) + " times;";
  CHECK_MESSAGE(records.size() == 1, "records differ:" << counts);
  return records.begin()->first;
}

// All records on v1 with their values, or all on v2 with theirs.
void checkMigrationState(SqliteStore& s, const MigrationWorld& w, int expectVersion) {
  int n = 0, wrong = 0;
  std::string example;
  s.forEachRecord("test.visit", true, [&](const Record& r) {
    ++n;
    const Record& orig = w.v1.at(r.id);
    const json& values = r.formVersion == 1 ? orig.values : w.v2Values.at(r.id);
    if (r.formVersion != expectVersion || r.status != orig.status || r.values != values) {
      if (!wrong++) example = r.id + " on v" + std::to_string(r.formVersion) + ": " + r.values.dump();
    }
  });
  CHECK(n == MigrationWorld::kRecords);
  CHECK_MESSAGE(wrong == 0, wrong << " records not as expected on v" << expectVersion << ", e.g. " << example);
}

}  // namespace

TEST_CASE("store: crash test: a killed migration or revert moves every record or none") {
  TempDir t;
  const int rounds = crashtest::rounds(10);
  Rng rng(31337);
  std::unique_ptr<MigrationWorld> w;
  std::pair<int, int> committed{0, 0};  // migrations, reverts
  long cliMigrate = 0, cliRevert = 0;    // typical run times of the commands
  int midMigrate = 0, midRevert = 0, reported = 0;
  for (int round = 0; round < rounds; ++round) {
    if (round % 10 == 0) {
      w = std::make_unique<MigrationWorld>(t.file("migrate" + std::to_string(round) + ".skema"));
      cliMigrate = timeRun(command({"migrate", w->path, "test.visit", "--to", "2"}));
      cliRevert = timeRun(command({"migrate", w->path, "test.visit", "--to", "2", "--revert"}));
      committed = {1, 1};
    }
    // In turn a forked writer migrating and reverting, and one command.
    crashtest::Ended end;
    std::string inFlight;
    int migrations = 0, reverts = 0;
    if (round % 2 == 0) {
      end = crashtest::killAt(crashtest::forkChild([&] { migrator(w->path); }), uniform(rng, 5000, 200000));
      CHECK_MESSAGE(end.killed, "migrator: " << end.describe());
      auto rep = parseReports(end);
      for (const auto& d : rep.done) ++(d == "migrate" ? migrations : reverts);
      inFlight = rep.inFlight;
    } else {
      const bool revert = committed.first > committed.second;
      auto argv = command({"migrate", w->path, "test.visit", "--to", "2"});
      if (revert) argv.push_back("--revert");
      end = crashtest::killAt(crashtest::spawn(argv), uniform(rng, 0, (revert ? cliRevert : cliMigrate) * 3 / 2));
      CHECK_MESSAGE((end.killed || end.exitedOk()), "migrate command: " << end.describe());
      if (end.exitedOk()) ++(revert ? reverts : migrations);
      else inFlight = revert ? "revert" : "migrate";
    }
    reported += migrations + reverts;
    if (inFlight == "migrate") ++midMigrate;
    if (inFlight == "revert") ++midRevert;
    auto s = crashtest::openChecked(w->path);
    auto now = migrationsInAudit(*s, *w);
    // What was reported is committed; at most the one in flight besides.
    CHECK(now.first - committed.first >= migrations);
    CHECK(now.second - committed.second >= reverts);
    CHECK(now.first - committed.first <= migrations + (inFlight == "migrate"));
    CHECK(now.second - committed.second <= reverts + (inFlight == "revert"));
    CHECK((now.first == now.second || now.first == now.second + 1));
    committed = now;
    checkMigrationState(*s, *w, now.first > now.second ? 2 : 1);
    checkCounts(*s, "test.visit");
  }
  // A later migration and revert still work.
  auto s = SqliteStore::open(w->path);
  if (committed.first > committed.second) {
    auto rep = design::planRevert(*s, "test.visit", 2);
    REQUIRE(rep.reverting == MigrationWorld::kRecords);
    design::runRevert(*s, rep, "tester");
  }
  auto rep = design::planMigration(*s, "test.visit", 2, {});
  REQUIRE(rep.migrating == MigrationWorld::kRecords);
  design::runMigration(*s, rep, "tester");
  checkMigrationState(*s, *w, 2);
  auto back = design::planRevert(*s, "test.visit", 2);
  REQUIRE(back.reverting == MigrationWorld::kRecords);
  design::runRevert(*s, back, "tester");
  checkMigrationState(*s, *w, 1);
  auto v = s->verifyAudit();
  CHECK_MESSAGE(v.ok, v.message);
  MESSAGE(rounds << " kills: " << midMigrate << " during a migration, " << midRevert
                 << " during a revert (while a forked migrator wrote its batch, or while the command ran); "
                 << reported << " migrations and reverts reported");
  CHECK(midMigrate + midRevert > 0);
}

namespace {

// One command of the concurrent test and what it should leave.
struct Command {
  enum Kind { Add, Edit, Import, Publish } kind;
  std::vector<std::string> argv;
  std::string tag;      // Add: the new record's person code; Import: the rows' tag
  json values;          // Add: the values given
  std::string editId;   // Edit: the record edited
  std::string notes;    // Edit: the new notes
  std::string formId;   // Publish: a form id of its own, version 1
};

}  // namespace

TEST_CASE("store: crash test: killed `skema` commands running at once lose nothing reported") {
  TempDir t;
  const std::string ws = t.file("cli.skema");
  makeWorkspace(ws);
  std::vector<std::string> seeds;  // records the edits pick from
  {
    auto s = SqliteStore::open(ws);
    for (int i = 0; i < 12; ++i) seeds.push_back(s->save(storetest::visit("2024-07-01", "cph"), {"tester", ""}).id);
  }
  Rng rng(2718);
  int counter = 0;
  auto make = [&](Command::Kind kind) {
    Command c;
    c.kind = kind;
    const std::string n = std::to_string(++counter);
    switch (kind) {
      case Command::Add:
        c.tag = "A" + n;
        c.values = {{"date", "2024-07-02"}, {"office", rng() % 2 ? "odense" : "aarhus"}, {"person", c.tag},
                    {"people", int(rng() % 50)}};
        c.argv = command({"records", "add", ws, "test.visit", c.values.dump()});
        break;
      case Command::Edit:
        c.editId = seeds[rng() % seeds.size()];
        c.notes = "edit " + n;
        c.argv = command({"records", "edit", ws, c.editId, json{{"notes", c.notes}}.dump(), "--reason", "crash test"});
        break;
      case Command::Import: {
        c.tag = importTag("M" + n, 20 + int(rng() % 200));
        const std::string file = t.file(c.tag + ".csv");
        writeFile(file, importText(c.tag, int(importSize(c.tag)), true, rng));
        c.argv = command({"import", ws, "test.visit", file});
        break;
      }
      case Command::Publish: {
        c.formId = "test.p" + n;
        const std::string file = t.file(c.formId + ".json");
        writeFile(file, pubFormText(c.formId, 1));
        c.argv = command({"forms", "publish", ws, file});
        break;
      }
    }
    return c;
  };
  // What each command must leave: checked after every round.
  std::vector<std::pair<Command, bool>> all;  // command, reported done (exit 0)
  auto checkAll = [&](SqliteStore& s) {
    std::map<std::string, std::vector<Record>> byPerson;
    s.forEachRecord("test.visit", true, [&](const Record& r) { byPerson[r.personCode].push_back(r); });
    std::set<std::string> doneImports;
    for (const auto& [c, done] : all) {
      switch (c.kind) {
        case Command::Add: {
          auto& found = byPerson[c.tag];
          CHECK(found.size() <= 1);
          if (done) CHECK_MESSAGE(found.size() == 1, "reported add " << c.tag << " is missing");
          for (const auto& r : found) CHECK(r.values == c.values);
          break;
        }
        case Command::Edit:
          if (done) {
            bool found = false;
            for (const auto& e : s.history(c.editId))
              found |= e.field == "notes" && e.newValue == json(c.notes).dump();
            CHECK_MESSAGE(found, "reported edit '" << c.notes << "' of " << c.editId << " is missing");
          }
          break;
        case Command::Import:
          if (done) doneImports.insert(c.tag);
          break;
        case Command::Publish: {
          auto versions = s.formVersions(c.formId);
          if (done) CHECK_MESSAGE(versions.size() == 1, "reported publish of " << c.formId << " is missing");
          for (const auto& v : versions) checkPublished(s, v);
          break;
        }
      }
    }
    auto perTag = rowsPerTag(s, 'M');
    checkImports(perTag, doneImports);
    checkCounts(s, "test.visit");
  };

  // Typical run times, to aim the kills (these runs are checked too).
  std::map<Command::Kind, long> typical;
  for (auto kind : {Command::Add, Command::Edit, Command::Import, Command::Publish}) {
    Command c = make(kind);
    typical[kind] = timeRun(c.argv);
    all.push_back({c, true});
  }
  const int rounds = crashtest::rounds(8);
  const int kAtOnce = 4;
  int killed = 0, done = 0, refused = 0;
  for (int round = 0; round < rounds; ++round) {
    std::vector<Command> cmds;
    std::vector<crashtest::Child> kids;
    std::vector<long> at;
    for (int i = 0; i < kAtOnce; ++i) {
      const unsigned k = rng() % 20;
      cmds.push_back(make(k < 7 ? Command::Add : k < 12 ? Command::Edit : k < 17 ? Command::Import : Command::Publish));
      kids.push_back(crashtest::spawn(cmds.back().argv));
      // Several at once run slower than one alone: up to twice the time.
      at.push_back(uniform(rng, 0, typical[cmds.back().kind] * 2));
    }
    auto ends = crashtest::killAt(kids, at);
    for (size_t i = 0; i < cmds.size(); ++i) {
      const auto& e = ends[i];
      if (e.killed) ++killed;
      else if (e.exitedOk()) ++done;
      else if (cmds[i].kind == Command::Edit && e.exitCode == 1) ++refused;  // edited by another meanwhile
      else FAIL_CHECK(cmds[i].argv[1] << " " << cmds[i].argv[2] << ": " << e.describe());
      all.push_back({cmds[i], e.exitedOk()});
    }
    auto s = crashtest::openChecked(ws);
    checkAll(*s);
  }
  MESSAGE((rounds * kAtOnce) << " commands, " << kAtOnce << " at a time: " << killed << " killed, " << done
                           << " finished, " << refused << " edits refused (changed meanwhile)");
  CHECK(killed > 0);
}
