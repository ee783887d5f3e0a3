// Crash tests: child processes (forked writers, or the real `skema` binary)
// killed with SIGKILL at chosen moments, and what each reported before it
// died. A child reports an operation as done by writing a line after it
// returned (a forked writer) or by exiting 0 (a command); a torn last line
// is no report. Fork only while this process holds no workspace open (a
// child must not inherit a live SQLite connection).
#pragma once
#include <doctest/doctest.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "store/sqlite_store.h"

namespace crashtest {

// Kill rounds of one crash test: SKEMA_CRASH_ROUNDS when set (long runs by
// hand, docs/testing.md), else `dflt`.
inline int rounds(int dflt) {
  if (const char* e = std::getenv("SKEMA_CRASH_ROUNDS")) return std::max(1, std::atoi(e));
  return dflt;
}

// A running child: its pid and the read ends of its stdout and stderr.
struct Child {
  pid_t pid = -1;
  int out = -1, err = -1;
};

namespace detail {
struct Pipes {
  int out[2], err[2];
  Pipes() {
    REQUIRE(pipe2(out, O_CLOEXEC) == 0);
    REQUIRE(pipe2(err, O_CLOEXEC) == 0);
  }
  // In the child: stdout and stderr become the write ends.
  void becomeChild() {
    dup2(out[1], 1);
    dup2(err[1], 2);
  }
  Child parent(pid_t pid) {
    close(out[1]);
    close(err[1]);
    return {pid, out[0], err[0]};
  }
};
}  // namespace detail

// Forks; the child runs body() (its stdout and stderr are the pipes), then
// _exit(0), or _exit(2) after printing an exception to stderr.
inline Child forkChild(const std::function<void()>& body) {
  detail::Pipes p;
  std::fflush(nullptr);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    p.becomeChild();
    try {
      body();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "crash-test child: %s\n", e.what());
      std::fflush(stderr);
      _exit(2);
    }
    std::fflush(nullptr);
    _exit(0);
  }
  return p.parent(pid);
}

// Writes one report line to the child's stdout unbuffered (nothing may sit
// in a buffer when the kill comes).
inline void report(const std::string& line) {
  std::string l = line + "\n";
  if (write(1, l.data(), l.size()) != ssize_t(l.size())) _exit(3);
}

// Starts `argv` (argv[0] = the program) with its stdout and stderr on pipes.
inline Child spawn(const std::vector<std::string>& argv) {
  detail::Pipes p;
  std::vector<char*> av;
  for (const auto& a : argv) av.push_back(const_cast<char*>(a.c_str()));
  av.push_back(nullptr);
  std::fflush(nullptr);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    p.becomeChild();
    execv(av[0], av.data());
    _exit(127);
  }
  return p.parent(pid);
}

struct Ended {
  std::string out, err;
  bool killed = false;  // ended by our SIGKILL
  int exitCode = -1;    // when it ended by itself
  bool exitedOk() const { return !killed && exitCode == 0; }
  // The complete lines of stdout: the reports.
  std::vector<std::string> lines() const {
    std::vector<std::string> v;
    size_t start = 0;
    for (size_t nl; (nl = out.find('\n', start)) != std::string::npos; start = nl + 1)
      v.push_back(out.substr(start, nl - start));
    return v;
  }
  std::string describe() const {
    return killed ? std::string("killed") : "exit " + std::to_string(exitCode) + (err.empty() ? "" : ": " + err);
  }
};

// Lets every child run until its moment in `killAfterUs` (microseconds from
// now), SIGKILLs it then unless it has ended, and waits for all of them.
// Their output is read meanwhile, so none stalls on a full pipe.
inline std::vector<Ended> killAt(const std::vector<Child>& kids, const std::vector<long>& killAfterUs) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  std::vector<Ended> ended(kids.size());
  std::vector<bool> sent(kids.size(), false);
  struct Open {
    int fd;
    std::string* to;
  };
  std::vector<Open> open;
  for (size_t i = 0; i < kids.size(); ++i) {
    open.push_back({kids[i].out, &ended[i].out});
    open.push_back({kids[i].err, &ended[i].err});
  }
  while (!open.empty()) {
    long waitUs = -1;
    const long nowUs = long(std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count());
    for (size_t i = 0; i < kids.size(); ++i) {
      if (sent[i]) continue;
      if (killAfterUs[i] <= nowUs) {
        kill(kids[i].pid, SIGKILL);  // harmless on a child that has exited: it is not reaped yet
        sent[i] = true;
      } else if (waitUs < 0 || killAfterUs[i] - nowUs < waitUs) {
        waitUs = killAfterUs[i] - nowUs;
      }
    }
    std::vector<pollfd> fds;
    for (const auto& o : open) fds.push_back({o.fd, POLLIN, 0});
    timespec ts{waitUs / 1000000, (waitUs % 1000000) * 1000};
    if (ppoll(fds.data(), fds.size(), waitUs < 0 ? nullptr : &ts, nullptr) <= 0) continue;
    for (size_t j = fds.size(); j-- > 0;) {
      if (!fds[j].revents) continue;
      char buf[8192];
      ssize_t n = read(fds[j].fd, buf, sizeof buf);
      if (n > 0) {
        open[j].to->append(buf, size_t(n));
      } else if (n == 0 || errno != EINTR) {
        close(fds[j].fd);
        open.erase(open.begin() + long(j));
      }
    }
  }
  for (size_t i = 0; i < kids.size(); ++i) {
    int status = 0;
    waitpid(kids[i].pid, &status, 0);
    ended[i].killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
    if (WIFEXITED(status)) ended[i].exitCode = WEXITSTATUS(status);
  }
  return ended;
}

inline Ended killAt(const Child& kid, long killAfterUs) { return killAt(std::vector<Child>{kid}, {killAfterUs})[0]; }

// Runs `argv` to its end: what it printed and how it ended.
inline Ended run(const std::vector<std::string>& argv) { return killAt(spawn(argv), 3600L * 1000000); }

// Opens the workspace a killed writer left and checks the file and the
// audit log (the chain, and every record against what its rows rebuild).
inline std::unique_ptr<skema::store::SqliteStore> openChecked(const std::string& path) {
  auto s = skema::store::SqliteStore::open(path);
  CHECK(s->integrityCheck() == "ok");
  auto v = s->verifyAudit();
  CHECK_MESSAGE(v.ok, v.message);
  return s;
}

// Microseconds since `t0`: how long an operation took, to aim the kills.
inline long usSince(std::chrono::steady_clock::time_point t0) {
  return long(std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0).count());
}

}  // namespace crashtest
