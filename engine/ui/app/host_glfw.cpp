// The workbench host: GLFW window, OpenGL 3 renderer, ImGui backends, main
// loop, `--screenshot`. Everything drawn lives in views/.
#include <GLFW/glfw3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "app/fonts.h"
#include "app/heap_warmup.h"
#include "app/paths.h"
#include "backends/imgui_impl_glfw.h"
#include "backends/imgui_impl_opengl3.h"
#include "imgui.h"
#include "stb_image_write.h"
#include "views/workbench_view.h"
#include "workbench.h"

namespace skema::ui {
namespace {

struct Options {
  std::string screenshot;
  int width = 1280, height = 800;
  std::string view;
  int frames = 6;
  std::string workspace;
  std::string lang;
};

int usage(const char* msg) {
  std::fprintf(stderr, "skema: %s\n", msg);
  std::fprintf(stderr,
               "usage: skema [--workspace PATH] [--lang da|en]\n"
               "       skema --screenshot FILE.png [--size WxH] [--view VIEW] [--frames N]\n"
               "             [--workspace PATH] [--lang da|en]\n"
               "       skema open PATH\n"
               "       skema help        (headless commands)\n");
  return 2;
}

bool parseOptions(int argc, char** argv, Options& o, std::string& err) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](std::string& out) {
      if (i + 1 >= argc) {
        err = a + " needs a value";
        return false;
      }
      out = argv[++i];
      return true;
    };
    std::string v;
    if (a == "--screenshot") {
      if (!value(o.screenshot)) return false;
    } else if (a == "--size") {
      if (!value(v)) return false;
      if (std::sscanf(v.c_str(), "%dx%d", &o.width, &o.height) != 2 || o.width < 200 || o.height < 150 ||
          o.width > 8192 || o.height > 8192) {
        err = "--size wants WxH, e.g. 1280x800";
        return false;
      }
    } else if (a == "--view") {
      if (!value(o.view)) return false;
    } else if (a == "--frames") {
      if (!value(v)) return false;
      o.frames = std::atoi(v.c_str());
      if (o.frames < 1 || o.frames > 10000) {
        err = "--frames wants a number from 1";
        return false;
      }
    } else if (a == "--workspace") {
      if (!value(o.workspace)) return false;
    } else if (a == "--lang") {
      if (!value(o.lang)) return false;
      if (o.lang != "da" && o.lang != "en") {
        err = "--lang wants da or en";
        return false;
      }
    } else {
      err = "unknown option " + a;
      return false;
    }
  }
  return true;
}

bool writePng(const std::string& path, int w, int h) {
  std::vector<unsigned char> px(static_cast<size_t>(w) * h * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, px.data());
  // OpenGL rows run bottom-up; PNG rows top-down.
  std::vector<unsigned char> flipped(px.size());
  const size_t stride = static_cast<size_t>(w) * 4;
  for (int y = 0; y < h; ++y)
    std::memcpy(&flipped[static_cast<size_t>(y) * stride], &px[static_cast<size_t>(h - 1 - y) * stride], stride);
  for (size_t i = 3; i < flipped.size(); i += 4) flipped[i] = 255;
  return stbi_write_png(path.c_str(), w, h, 4, flipped.data(), static_cast<int>(stride)) != 0;
}

// ImGui 1.86 reads key state once per frame (io.KeysDown), so a key pressed
// and released between two frames (xdotool, fast typists, Ctrl+S as one
// chord) would never be seen. GLFW key and character events are queued here
// and fed to ImGui's callbacks at most one transition per key per frame,
// like the 1.87+ input queue.
struct InputEvent {
  bool isChar = false;
  int key = 0, scancode = 0, action = 0, mods = 0;
  unsigned int codepoint = 0;
};
std::vector<InputEvent> g_events;
GLFWkeyfun g_imguiKey = nullptr;
GLFWcharfun g_imguiChar = nullptr;

void queueKey(GLFWwindow*, int key, int scancode, int action, int mods) {
  g_events.push_back({false, key, scancode, action, mods, 0});
}
void queueChar(GLFWwindow*, unsigned int c) { g_events.push_back({true, 0, 0, 0, 0, c}); }

// Feeds queued events for this frame; true when some wait for the next one.
bool feedInput(GLFWwindow* w) {
  std::vector<int> changed;
  size_t i = 0;
  for (; i < g_events.size(); ++i) {
    const InputEvent& e = g_events[i];
    if (e.isChar) {
      if (g_imguiChar) g_imguiChar(w, e.codepoint);
      continue;
    }
    if (e.action != GLFW_REPEAT) {
      if (std::find(changed.begin(), changed.end(), e.key) != changed.end()) break;
      changed.push_back(e.key);
    }
    if (g_imguiKey) g_imguiKey(w, e.key, e.scancode, e.action, e.mods);
  }
  g_events.erase(g_events.begin(), g_events.begin() + static_cast<long>(i));
  return !g_events.empty();
}

void glfwError(int code, const char* desc) {
  if (std::getenv("SKEMA_DEBUG_GLFW")) std::fprintf(stderr, "glfw error %d: %s\n", code, desc);
}

int noDisplay() {
  std::fprintf(stderr,
               "skema: the workbench needs a display (no X11/Wayland display found; DISPLAY is %s).\n"
               "  Headless work runs through subcommands: see `skema help`.\n"
               "  To render the workbench without a screen: xvfb-run -a skema --screenshot out.png\n",
               std::getenv("DISPLAY") ? std::getenv("DISPLAY") : "unset");
  return 3;
}

}  // namespace

int runWorkbench(int argc, char** argv) {
  auto t0 = std::chrono::steady_clock::now();
  // bench_start passes the moment it launched us, so the phases count from there.
  if (const char* at = std::getenv("SKEMA_LAUNCHED_AT"))
    t0 = std::chrono::steady_clock::time_point(std::chrono::nanoseconds(std::atoll(at)));
  Options opt;
  std::string err;
  if (!parseOptions(argc, argv, opt, err)) return usage(err.c_str());
  const bool shot = !opt.screenshot.empty();
  const bool timing = std::getenv("SKEMA_TIMING") != nullptr;
  auto phase = [&](const char* what) {
    if (timing)
      std::fprintf(stderr, "skema: %-22s %7.1f ms\n", what,
                   std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  };
  phase("process started");

  if (!std::getenv("DISPLAY") && !std::getenv("WAYLAND_DISPLAY")) return noDisplay();
  // Before the second thread exists (app/heap_warmup.h).
  HeapWarmup heap(24 << 20);

  // Creating the window and its GL context is the longest part of a start
  // (most of 200 ms under a software renderer) and needs none of the rest:
  // plugins, strings, the font atlas, the shipped forms and the workspace
  // are prepared on a second thread meanwhile; the atlas waits only for the
  // monitor's scale. No ImGui context exists until the thread is joined, so
  // the two threads share nothing but what the join hands over.
  std::unique_ptr<Workbench> wb;
  auto atlas = std::make_unique<ImFontAtlas>();  // shared with the context, freed after it
  std::promise<float> scaleKnown;
  double prepMs = 0;
  std::string atlasSize;
  std::thread prep([&, scaleFuture = scaleKnown.get_future()]() mutable {
    const auto p0 = std::chrono::steady_clock::now();
    wb = std::make_unique<Workbench>();  // loads the plugins
    phase("  prep: plugins");
    if (!shot) {
      wb->settingsPath = userConfigDir() + "/settings.json";
      wb->settings.load(wb->settingsPath);
    }
    wb->ctx.lang = !opt.lang.empty() ? opt.lang : wb->settings.lang;
    wb->ctx.userName = wb->settings.userName;
    wb->ctx.userInitials = wb->settings.userInitials;
    wb->loadStrings(findDataDir("assets"));
    std::vector<std::string> formDirs;
    if (auto d = findDataDir("forms"); !d.empty()) formDirs.push_back(d);
    wb->loadShippedForms(formDirs);
    phase("  prep: strings, forms");
    loadFonts(*atlas, wb->ctx, scaleFuture.get(), userCacheDir());
    unsigned char* px = nullptr;
    int w = 0, h = 0;
    atlas->GetTexDataAsRGBA32(&px, &w, &h);  // rasterised here, uploaded by the GL backend
    atlasSize = std::to_string(w) + "x" + std::to_string(h);
    phase("  prep: fonts");
    std::string ws = opt.workspace;
    if (ws.empty() && !shot) ws = wb->settings.lastWorkspace;
    if (!ws.empty()) {
      if (!wb->openWorkspace(ws, false))
        std::fprintf(stderr, "skema: cannot open workspace %s: %s\n", ws.c_str(), wb->workspaceError.c_str());
    } else if (!shot) {
      wb->openWorkspace(wb->defaultWorkspacePath(), true);
    }
    // Last, as the window is still being created: what the GL driver will
    // allocate once it exists is made present here, not there.
    if (heap.populate()) phase("  prep: heap");
    prepMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - p0).count();
  });
  glfwSetErrorCallback(glfwError);
  if (!glfwInit()) {
    scaleKnown.set_value(1.0f);
    prep.join();
    return noDisplay();
  }
  phase("display");
  // The window opens on the primary monitor and takes its scale (SCALE_TO_MONITOR).
  float xs = 1.0f, ys = 1.0f;
  if (GLFWmonitor* m = glfwGetPrimaryMonitor()) glfwGetMonitorContentScale(m, &xs, &ys);
  float scale = std::max(1.0f, std::max(xs, ys));
  scaleKnown.set_value(scale);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
  glfwWindowHint(GLFW_DEPTH_BITS, 0);  // ImGui draws without depth or stencil tests
  glfwWindowHint(GLFW_STENCIL_BITS, 0);
  GLFWwindow* window = glfwCreateWindow(opt.width, opt.height, "Skema", nullptr, nullptr);
  if (!window) {
    prep.join();
    glfwTerminate();
    return noDisplay();
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(shot ? 0 : 1);
  phase("window");
  prep.join();
  phase("prepared beside it");
  if (timing)
    std::fprintf(stderr, "skema:   (plugins, strings, forms, font atlas %s, workspace: %.1f ms on the second thread)\n",
                 atlasSize.c_str(), prepMs);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext(atlas.get());
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // layout is fixed; UI settings live in settings.json
  io.FontDefault = wb->ctx.fontRegular;
  glfwGetWindowContentScale(window, &xs, &ys);
  if (float actual = std::max(1.0f, std::max(xs, ys)); actual != scale) {
    scale = actual;  // another monitor after all: fonts again at its scale
    loadFonts(wb->ctx, scale, userCacheDir());
  }
  applyStyle(scale);
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 130");
  phase("ImGui, backends");
  g_imguiKey = glfwSetKeyCallback(window, queueKey);
  g_imguiChar = glfwSetCharCallback(window, queueChar);

  if (!shot && wb->ctx.userName.empty()) wb->askUser = true;
  if (!opt.view.empty() && !wb->openView(opt.view)) {
    std::fprintf(stderr, "skema: unknown view '%s' (use home, entry:FORM_ID, browser:FORM_ID, designer:FORM_ID or record:RECORD_ID)\n", opt.view.c_str());
    if (shot) return 2;
  }

  int frame = 0, rc = 0;
  double firstFrameMs = -1;
  while (!glfwWindowShouldClose(window) && !wb->quit) {
    if (shot || !g_events.empty()) glfwPollEvents();
    else glfwWaitEventsTimeout(0.1);
    feedInput(window);
    ImGui_ImplOpenGL3_NewFrame();  // the first one compiles shaders, uploads the font texture
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    if (frame == 0) phase("GL objects");
    wb->draw();
    wb->tick(ImGui::GetTime());
    ImGui::Render();
    if (frame == 0) phase("first frame built");
    int fbw = 0, fbh = 0;
    glfwGetFramebufferSize(window, &fbw, &fbh);
    glViewport(0, 0, fbw, fbh);
    glClearColor(0.97f, 0.97f, 0.96f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    ++frame;
    if (firstFrameMs < 0) {
      if (timing) glFinish();  // "drawn" means the pixels are there, not just queued
      firstFrameMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      phase("first frame");
      heap.finish();
    }
    // F12: save a screenshot of the window (for bug reports and end-to-end tests).
    if (!shot && ImGui::IsKeyPressed(GLFW_KEY_F12, false)) {
      const char* dir = std::getenv("SKEMA_SCREENSHOT_DIR");
      static int n = 0;
      std::string path = std::string(dir ? dir : userDataDir().c_str()) + "/skema-" + std::to_string(++n) + ".png";
      glFinish();
      if (writePng(path, fbw, fbh)) std::fprintf(stderr, "skema: screenshot %s\n", path.c_str());
    }
    if (shot && frame >= opt.frames) {
      glFinish();
      if (!writePng(opt.screenshot, fbw, fbh)) {
        std::fprintf(stderr, "skema: cannot write %s\n", opt.screenshot.c_str());
        rc = 3;
      } else {
        std::printf("%s (%dx%d)\n", opt.screenshot.c_str(), fbw, fbh);
      }
      break;
    }
    glfwSwapBuffers(window);
  }
  if (wb->entry.dirty) wb->saveDraft();
  wb.reset();
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  atlas.reset();
  glfwDestroyWindow(window);
  glfwTerminate();
  return rc;
}

int openCommand(const std::vector<std::string>& args) {
  if (args.size() != 1 || args[0].rfind("--", 0) == 0) return usage("open wants one workspace path: skema open PATH");
  std::error_code ec;
  if (!std::filesystem::exists(args[0], ec)) {
    std::fprintf(stderr, "skema: no workspace at %s\n", args[0].c_str());
    return 3;
  }
  std::string prog = "skema", flag = "--workspace", path = args[0];
  std::vector<char*> argv = {prog.data(), flag.data(), path.data()};
  return runWorkbench(static_cast<int>(argv.size()), argv.data());
}

}  // namespace skema::ui
