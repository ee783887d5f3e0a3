// store::OutputFile: the checks every written file goes through, including
// the races the command line cannot show (a file or a workspace that
// appears at the target while the export runs), and the report cache's
// leaving out of damaged records.
#include <doctest/doctest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "report/dataset.h"
#include "store/output_file.h"
#include "test_store_util.h"

using namespace skema::store;
using storetest::TempDir;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void spit(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

unsigned mode(const std::string& path) {
  struct stat st;
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

void write(OutputFile& f, const std::string& text) { std::fputs(text.c_str(), f.stream()); }

}  // namespace

TEST_CASE("output file: a file that appears at the target meanwhile is not replaced") {
  TempDir d;
  const std::string path = d.file("out.csv");
  {
    OutputFile f(path, {});
    write(f, "new");
    spit(path, "theirs");  // another program, while we export
    CHECK_THROWS_AS(f.commit(), OutputError);
  }
  CHECK(slurp(path) == "theirs");
  CHECK_FALSE(std::filesystem::exists(path + ".part"));
}

TEST_CASE("output file: with replace, a workspace that appears meanwhile is still refused") {
  TempDir d;
  const std::string path = d.file("out.csv");
  spit(path, "old");
  OutputOptions o;
  o.replace = true;
  OutputFile f(path, o);
  write(f, "new");
  std::filesystem::remove(path);
  SqliteStore::create(path);  // closed again: a workspace of nobody's, on disk
  const std::string before = slurp(path);
  try {
    f.commit();
    FAIL("committed over a workspace");
  } catch (const OutputError& e) {
    CHECK(std::string(e.what()).find("is a Skema workspace") != std::string::npos);
  }
  CHECK(slurp(path) == before);
  SqliteStore::open(path);  // still opens
}

TEST_CASE("output file: an open workspace is refused before anything is created") {
  TempDir d;
  const std::string path = d.file("w.skema");
  auto s = storetest::workspaceWithOneVisit(path);
  for (const std::string& target : {path, d.file("./w.skema"), path + "-wal", path + "-shm"}) {
    CAPTURE(target);
    OutputOptions o;
    o.replace = true;
    CHECK_THROWS_AS(OutputFile(target, o), OutputError);
    CHECK_FALSE(std::filesystem::exists(target + ".part"));
  }
  RecordQuery q;
  q.formId = "test.visit";
  CHECK(s->query(q).total == 1);  // the connection still works
}

TEST_CASE("output file: the .part has its final mode from the start, and is gone without a commit") {
  TempDir d;
  ::umask(022);
  const std::string path = d.file("s.csv");
  {
    OutputOptions o;
    o.privateFile = true;
    OutputFile f(path, o);
    CHECK(mode(path + ".part") == 0600);  // before a byte is written
    write(f, "secret");
  }
  CHECK_FALSE(std::filesystem::exists(path));
  CHECK_FALSE(std::filesystem::exists(path + ".part"));
  {
    OutputFile f(path, {});
    CHECK(mode(path + ".part") == 0644);
    write(f, "plain");
    f.commit();
  }
  CHECK(slurp(path) == "plain");
  CHECK_FALSE(std::filesystem::exists(path + ".part"));
}

TEST_CASE("output file: an input of the command is refused, by inode") {
  TempDir d;
  const std::string in = d.file("in.csv");
  spit(in, "a,b\n");
  std::filesystem::create_hard_link(in, d.file("same.csv"));
  OutputOptions o;
  o.replace = true;
  o.inputs.push_back({in, "the file being imported"});
  try {
    OutputFile f(d.file("same.csv"), o);
    FAIL("accepted an input");
  } catch (const OutputError& e) {
    CHECK(std::string(e.what()) == d.file("same.csv") + ": is the file being imported; not overwriting it");
  }
  CHECK(slurp(in) == "a,b\n");
}

TEST_CASE("report cache: a record with damaged stored values is left out only when asked") {
  TempDir d;
  const std::string path = d.file("w.skema");
  std::string damagedId;
  {
    auto s = storetest::workspaceWithOneVisit(path);
    damagedId = s->save(storetest::visit("2023-02-01", "cph"), {"a", ""}).id;
    s->save(storetest::visit("2023-03-01", "cph"), {"a", ""});
  }
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, ("UPDATE records SET data='{\"date\": \"2023-02-01\", \"office\": ' WHERE id='" +
                            damagedId + "'").c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
  auto s = SqliteStore::open(path);
  CHECK_THROWS_AS(skema::report::Dataset::build(*s, "test.visit"), StoreError);
  auto ds = skema::report::Dataset::build(*s, "test.visit", {}, nullptr, true);
  REQUIRE(ds->rows() == 3);
  REQUIRE(ds->damagedRows().size() == 1);
  const auto row = ds->damagedRows()[0].row;
  CHECK(ds->id(row) == damagedId);
  CHECK(ds->damaged(row));
  CHECK(ds->damagedRows()[0].reason.find("parse error") == 0);
  const int date = ds->variables().find("date");
  CHECK(ds->column(date).codes[row] == 0);  // what was read before the damage is not kept
  CHECK_FALSE(ds->damaged(row == 0 ? 1 : 0));
}
