// Two programs on one workspace: a process that holds a connection and opens
// a second store on the same file (as the record browser does) must keep its
// POSIX locks, so another program opening and closing the workspace does not
// take itself for the last user and delete the WAL under the first. Every
// save of the first must then be visible to a third program, also after the
// first is killed.
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <sstream>

#include "store/open_workspaces.h"
#include "test_store_util.h"

using namespace skema::store;
using storetest::TempDir;

namespace {

// Reads one line from `fd` (blocking).
std::string readLine(int fd) {
  std::string line;
  char c;
  while (read(fd, &c, 1) == 1 && c != '\n') line.push_back(c);
  return line;
}

void writeLine(int fd, const std::string& s) {
  std::string l = s + "\n";
  REQUIRE(write(fd, l.data(), l.size()) == ssize_t(l.size()));
}

// Files of process `pid` that are open but deleted, among those of `path`.
int deletedWorkspaceFiles(pid_t pid, const std::string& path) {
  int n = 0;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec)) {
    auto target = std::filesystem::read_symlink(e.path(), ec).string();
    if (target.rfind(path, 0) == 0 && target.find("(deleted)") != std::string::npos) ++n;
  }
  return n;
}

}  // namespace

TEST_CASE("store: another program opening and closing the workspace keeps every save of a program holding it") {
  TempDir t;
  const std::string path = t.file("shared.skema");
  {
    auto s = SqliteStore::create(path);
    s->publishForm(storetest::loadTestForm(storetest::kVisitV1), {"t", ""});
  }
  int toChild[2], fromChild[2];
  REQUIRE(pipe(toChild) == 0);
  REQUIRE(pipe(fromChild) == 0);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    // The workbench: its main store, and a second one on the same file (the
    // browser's worker).
    close(toChild[1]);
    close(fromChild[0]);
    try {
      auto main = SqliteStore::open(path);
      auto browser = SqliteStore::open(path);
      browser->query({"test.visit"});
      writeLine(fromChild[1], "open");
      readLine(toChild[0]);  // the other program has come and gone
      for (int i = 0; i < 5; ++i) {
        auto r = main->save(storetest::visit("2024-05-0" + std::to_string(i + 1), "cph", RecordStatus::Final),
                            {"worker", ""});
        writeLine(fromChild[1], r.id);
      }
      writeLine(fromChild[1], "saved");
      for (;;) pause();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "holder: %s\n", e.what());
      _exit(2);
    }
  }
  close(toChild[0]);
  close(fromChild[1]);
  REQUIRE(readLine(fromChild[0]) == "open");

  // Another program opens the workspace, reads and closes it.
  const std::string cmd = std::string("\"") + SKEMA_BINARY + "\" records list \"" + path + "\" test.visit >/dev/null 2>&1";
  REQUIRE(std::system(cmd.c_str()) == 0);
  writeLine(toChild[1], "go");

  std::vector<std::string> saved;
  for (std::string l; (l = readLine(fromChild[0])) != "saved";) {
    REQUIRE_MESSAGE(!l.empty(), "the holding process ended early");
    saved.push_back(l);
  }
  REQUIRE(saved.size() == 5);
  CHECK_MESSAGE(deletedWorkspaceFiles(pid, path) == 0, "the holder's -wal or -shm was deleted under it");

  auto allPresent = [&](const std::string& when) {
    auto s = SqliteStore::open(path);
    for (const auto& id : saved) CHECK_MESSAGE(s->get(id), "record " << id << " missing " << when);
    CHECK(s->integrityCheck() == "ok");
    auto v = s->verifyAudit();
    CHECK_MESSAGE(v.ok, v.message);
  };
  allPresent("for a third program while the holder runs");
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  allPresent("after the holder was killed");
  close(toChild[1]);
  close(fromChild[0]);
}

TEST_CASE("store: open workspaces are known by inode, through links and ./ paths") {
  TempDir t;
  const std::string path = t.file("ws.skema");
  std::filesystem::create_symlink(path, t.file("link.skema"));
  CHECK(pathKind(path) == PathKind::Missing);
  {
    auto s = SqliteStore::create(path);
    CHECK(isOpenWorkspace(path));
    CHECK(isOpenWorkspace(t.file("link.skema")));
    CHECK(isOpenWorkspace(t.path.string() + "/./ws.skema"));
    CHECK(pathKind(t.file("link.skema")) == PathKind::OpenWorkspace);
    {
      auto second = SqliteStore::open(path);
      CHECK(isOpenWorkspace(path));
    }
    CHECK(isOpenWorkspace(path));  // the first connection is still open
  }
  CHECK(!isOpenWorkspace(path));
  CHECK(pathKind(path) == PathKind::Workspace);
  CHECK(pathKind(t.path.string()) == PathKind::Directory);
  CHECK(pathKind("/dev/null") == PathKind::Special);
}
