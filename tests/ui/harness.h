// Headless ImGui for UI tests: a context with a built font atlas and no
// window or renderer; input is simulated frame by frame.
#pragma once
#include <string>

#include "imgui.h"
#include "ui_context.h"

namespace skema::ui::test {

class Harness {
 public:
  explicit Harness(float width = 1280, float height = 800);
  ~Harness();
  UiContext ctx;
  // Runs one frame: `draw` is called inside a full-screen window.
  template <typename F> void frame(F&& draw) {
    begin();
    draw();
    end();
  }
  // One frame without the harness's window (for views that make their own).
  template <typename F> void rawFrame(F&& draw) {
    ImGui::GetIO().DeltaTime = 1.0f / 60.0f;
    ImGui::NewFrame();
    draw();
    ImGui::Render();
  }
  // Key down for one frame, then up for one frame (draw runs both times).
  template <typename F> void key(int k, F&& draw, bool ctrl = false, bool shift = false, bool alt = false) {
    ImGuiIO& io = ImGui::GetIO();
    io.KeyCtrl = ctrl;
    io.KeyShift = shift;
    io.KeyAlt = alt;
    io.KeysDown[k] = true;
    frame(draw);
    io.KeysDown[k] = false;
    io.KeyCtrl = io.KeyShift = io.KeyAlt = false;
    frame(draw);
  }
  // Types UTF-8 text as characters (one frame), then an idle frame.
  template <typename F> void type(const std::string& text, F&& draw) {
    ImGui::GetIO().AddInputCharactersUTF8(text.c_str());
    frame(draw);
    frame(draw);
  }

 private:
  void begin();
  void end();
  ImGuiContext* m_ctx = nullptr;
};

}  // namespace skema::ui::test
