// Cold start of the workbench: launches `skema --screenshot --frames 1` on a
// demo workspace (5,000 records of the shipped forms, made once) again and
// again and reports, from the moment of launch, when each start-up phase
// ended (the host prints them with SKEMA_TIMING=1) and when the first frame
// was drawn. Needs a display: `xvfb-run -a build/bench/bench_start [RUNS] [SKEMA]`.
// Beside it, the same launches of a bare window: this program with --bare
// opens a GLFW window with the same GL 3.3 context, clears it once and
// waits for that (what any GLFW + OpenGL program pays on this machine).
#include <sys/wait.h>
#include <unistd.h>

#ifdef SKEMA_BENCH_BARE_WINDOW
#include <GLFW/glfw3.h>
#endif

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
bool launch(const std::vector<std::string>& argv, std::vector<std::pair<std::string, double>>& phases) {
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
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
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
    std::fprintf(stderr, "bench_start: %s failed:\n%s", argv[0].c_str(), text.c_str());
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

#ifdef SKEMA_BENCH_BARE_WINDOW
// --bare: the baseline. Prints its phases like the host does.
int bareWindow() {
  const char* at = std::getenv("SKEMA_LAUNCHED_AT");
  const auto t0 = std::chrono::steady_clock::time_point(std::chrono::nanoseconds(at ? std::atoll(at) : 0));
  auto phase = [&](const char* what) {
    std::fprintf(stderr, "skema: %-22s %7.1f ms\n", what,
                 std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  };
  phase("process started");
  if (!glfwInit()) return 1;
  phase("display");
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_DEPTH_BITS, 0);
  glfwWindowHint(GLFW_STENCIL_BITS, 0);
  GLFWwindow* w = glfwCreateWindow(1280, 800, "bare", nullptr, nullptr);
  if (!w) return 1;
  glfwMakeContextCurrent(w);
  phase("window");
  glClearColor(0.97f, 0.97f, 0.96f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  glFinish();
  phase("first frame");
  glfwDestroyWindow(w);
  glfwTerminate();
  return 0;
}
#endif

int main(int argc, char** argv) {
#ifdef SKEMA_BENCH_BARE_WINDOW
  if (argc > 1 && std::string(argv[1]) == "--bare") return bareWindow();
#endif
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
  std::vector<std::string> order, bareOrder;
  std::map<std::string, std::vector<double>> byPhase, bare;
  const std::vector<std::string> skemaArgs = {skema, "--screenshot", png, "--workspace", workspace, "--view",
                                              "entry:outreach.visit", "--frames", "1"};
  for (int i = 0; i < runs + 1; ++i) {  // the first run only warms the file cache
    // A start is measured on an idle display server, as a user's is: the
    // previous run's window is still being torn down for a moment after it exits.
    usleep(500 * 1000);
    std::vector<std::pair<std::string, double>> phases;
    if (!launch(skemaArgs, phases)) return 1;
    if (i > 0)
      for (const auto& [name, ms] : phases) {
        if (!byPhase.count(name)) order.push_back(name);
        byPhase[name].push_back(ms);
      }
#ifdef SKEMA_BENCH_BARE_WINDOW
    usleep(500 * 1000);
    phases.clear();
    if (!launch({argv[0], "--bare"}, phases)) return 1;
    if (i > 0)
      for (const auto& [name, ms] : phases) {
        if (!bare.count(name)) bareOrder.push_back(name);
        bare[name].push_back(ms);
      }
#endif
  }
  std::filesystem::remove(png);
  std::printf("bench_start: %d cold starts of %s on a 5,000-record workspace to the entry view of outreach.visit\n",
              runs, skema.c_str());
  std::printf("   (median ms from launch at the end of each phase)\n");
  for (const auto& name : order) std::printf("   %-24s %7.1f ms\n", name.c_str(), median(byPhase[name]));
  if (!bare.empty()) {
    std::printf("   baseline, a bare GLFW window with the same GL context, cleared once:\n");
    for (const auto& name : bareOrder) std::printf("   %-24s %7.1f ms\n", name.c_str(), median(bare[name]));
  }
  const auto& first = byPhase["first frame"];
  std::printf("start to first drawn frame: %.1f ms median (min %.1f, max %.1f)   target <= 300 ms", median(first),
              *std::min_element(first.begin(), first.end()), *std::max_element(first.begin(), first.end()));
  if (bare.count("first frame")) std::printf("   (bare GLFW window: %.1f ms)", median(bare["first frame"]));
  std::printf("\n");
  return 0;
}
