// The whole workbench, headless, on a fresh SQLite workspace in a temporary
// folder, with frame-by-frame key and text input. Shared by the workbench
// and browser tests.
#pragma once
#include <unistd.h>

#include <filesystem>
#include <string>

#include <doctest/doctest.h>

#include "harness.h"
#include "views/workbench_view.h"

namespace skema::ui::test {

struct WorkbenchFixture {
  Harness h;
  Workbench wb;
  std::filesystem::path dir;
  std::string path;  // the workspace file

  explicit WorkbenchFixture(const std::string& name) {
    dir = std::filesystem::temp_directory_path() / (name + "_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    path = (dir / "ws.skema").string();
    wb.ctx = h.ctx;
    wb.ctx.userName = "Test Person";
    wb.ctx.userInitials = "TP";
    wb.loadShippedForms({SKEMA_UI_TEST_DATA});
    REQUIRE(wb.openWorkspace(path, true));
  }
  ~WorkbenchFixture() {
    wb.entry.logic = nullptr;
    wb.store.reset();
    std::filesystem::remove_all(dir);
  }
  void frames(int n = 1) {
    for (int i = 0; i < n; ++i) h.rawFrame([&] {
        wb.draw();
        wb.tick(ImGui::GetTime());
      });
  }
  void key(int kk, bool ctrl = false) {
    ImGuiIO& io = ImGui::GetIO();
    io.KeyCtrl = ctrl;
    io.KeysDown[kk] = true;
    frames(1);
    io.KeysDown[kk] = false;
    io.KeyCtrl = false;
    frames(1);
  }
  void type(const std::string& s) {
    ImGui::GetIO().AddInputCharactersUTF8(s.c_str());
    frames(2);
  }
};

}  // namespace skema::ui::test
