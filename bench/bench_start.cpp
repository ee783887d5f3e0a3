// Cold start of the workbench: launches `skema --screenshot --frames 1` on a
// demo workspace (5,000 records of the shipped forms, made once) again and
// again and reports, from the moment of launch, when each start-up phase
// ended (the host prints them with SKEMA_TIMING=1) and when the first frame
// was drawn. Needs a display: `xvfb-run -a build/bench/bench_start [RUNS] [SKEMA]`.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

// One launch; fills `phases` (name -> ms from launch) from the host's lines.
bool launch(const std::string& skema, const std::string& workspace, const std::string& png,
            std::vector<std::pair<std::string, double>>& phases) {
  int out[2];
  if (pipe(out) != 0) return false;
  const auto at = std::chrono::steady_clock::now().time_since_epoch();
  const std::string atNs = std::to_string(std::chrono::duration_cast<std::chrono::nanoseconds>(at).count());
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], 2);
    close(out[0]);
    if (std::FILE* null = std::fopen("/dev/null", "w")) dup2(fileno(null), 1);
    setenv("SKEMA_TIMING", "1", 1);
    setenv("SKEMA_LAUNCHED_AT", atNs.c_str(), 1);
    execl(skema.c_str(), skema.c_str(), "--screenshot", png.c_str(), "--workspace", workspace.c_str(), "--view",
          "entry:outreach.visit", "--frames", "1", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  std::string text;
  char buf[4096];
  for (ssize_t n; (n = read(out[0], buf, sizeof buf)) > 0;) text.append(buf, static_cast<size_t>(n));
  close(out[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "bench_start: skema failed:\n%s", text.c_str());
    return false;
  }
  // Lines look like "skema: window                   201.3 ms".
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.rfind("skema: ", 0) != 0 || line.size() < 11 || line.compare(line.size() - 3, 3, " ms") != 0) continue;
    std::string body = line.substr(7, line.size() - 10);
    size_t num = body.find_last_of(' ');
    std::string name = body.substr(0, num);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    phases.emplace_back(name, std::atof(body.c_str() + num + 1));
  }
  return !phases.empty();
}

}  // namespace

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 11;
  const std::string skema = argc > 2 ? argv[2]
                                     : (std::filesystem::path(argv[0]).parent_path().parent_path() / "skema").string();
  if (!std::getenv("DISPLAY")) {
    std::fprintf(stderr, "bench_start needs a display: xvfb-run -a %s\n", argv[0]);
    return 2;
  }
  const auto tmp = std::filesystem::temp_directory_path();
  const std::string png = tmp / ("skema-bench-start-" + std::to_string(getpid()) + ".png");
  const std::string workspace = tmp / "skema-bench-start.skema";
  if (!std::filesystem::exists(workspace)) {
    const std::string cmd = "'" + skema + "' demo '" + workspace + "' --records 5000 --seed 1 >/dev/null";
    if (std::system(cmd.c_str()) != 0) {
      std::fprintf(stderr, "bench_start: cannot make the demo workspace: %s\n", cmd.c_str());
      return 1;
    }
  }
  std::vector<std::string> order;
  std::map<std::string, std::vector<double>> byPhase;
  for (int i = 0; i < runs + 1; ++i) {  // the first run only warms the file cache
    // A start is measured on an idle display server, as a user's is: the
    // previous run's window is still being torn down for a moment after it exits.
    usleep(500 * 1000);
    std::vector<std::pair<std::string, double>> phases;
    if (!launch(skema, workspace, png, phases)) return 1;
    if (i == 0) continue;
    for (const auto& [name, ms] : phases) {
      if (!byPhase.count(name)) order.push_back(name);
      byPhase[name].push_back(ms);
    }
  }
  std::filesystem::remove(png);
  std::printf("bench_start: %d cold starts of %s on a 5,000-record workspace to the entry view of outreach.visit\n",
              runs, skema.c_str());
  std::printf("   (median ms from launch at the end of each phase)\n");
  for (const auto& name : order) std::printf("   %-24s %7.1f ms\n", name.c_str(), median(byPhase[name]));
  const auto& first = byPhase["first frame"];
  std::printf("start to first drawn frame: %.1f ms median (min %.1f, max %.1f)   target <= 300 ms\n", median(first),
              *std::min_element(first.begin(), first.end()), *std::max_element(first.begin(), first.end()));
  return 0;
}
