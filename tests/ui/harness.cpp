#include "harness.h"

#include "app/fonts.h"
#include "keys.h"

namespace skema::ui::test {

Harness::Harness(float width, float height) {
  m_ctx = ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.DisplaySize = ImVec2(width, height);
  io.DeltaTime = 1.0f / 60.0f;
  setupKeyMap();
  ctx.tr.loadDir(SKEMA_ASSETS_DIR "/lang");
  ctx.setLanguage("da");
  loadFonts(ctx, 1.0f);
  applyStyle(1.0f);
  unsigned char* px = nullptr;
  int w = 0, h = 0;
  io.Fonts->GetTexDataAsRGBA32(&px, &w, &h);  // builds the atlas; no texture upload
}

Harness::~Harness() { ImGui::DestroyContext(m_ctx); }

void Harness::begin() {
  ImGuiIO& io = ImGui::GetIO();
  io.DeltaTime = 1.0f / 60.0f;
  ImGui::NewFrame();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(io.DisplaySize);
  ImGui::Begin("##test", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoSavedSettings);
}

void Harness::end() {
  ImGui::End();
  ImGui::Render();
}

}  // namespace skema::ui::test
