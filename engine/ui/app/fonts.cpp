#include "app/fonts.h"

#include <cstdio>
#include <filesystem>
#include <functional>

#include "app/font_cache.h"

#include "imgui.h"
#include "keys.h"

namespace skema::ui {
namespace {

std::string findFont(const char* name) {
  for (const char* dir : {"/usr/share/fonts/truetype/dejavu/", "/usr/share/fonts/dejavu/",
                          "/usr/local/share/fonts/"}) {
    std::string p = std::string(dir) + name;
    if (std::filesystem::exists(p)) return p;
  }
  return {};
}

// Latin-1 and Latin Extended-A (names in records), and of the rest only what
// the UI and the forms use: dashes, quotes, bullet, ellipsis, per mille, euro,
// arrows, minus, comparisons (≠ ≤ ≥), small triangles, check marks. Every
// range is rasterised in three fonts at start, so it is kept to what is drawn.
const ImWchar kRanges[] = {0x0020, 0x00FF, 0x0100, 0x017F, 0x2010, 0x2026, 0x2030, 0x203A, 0x20AC, 0x20AC,
                           0x2190, 0x2195, 0x2212, 0x2212, 0x2260, 0x2265, 0x25B2, 0x25C0, 0x2713, 0x2717, 0};

}  // namespace

void loadFonts(UiContext& ctx, float scale, const std::string& cacheDir) {
  loadFonts(*ImGui::GetIO().Fonts, ctx, scale, cacheDir);
  ImGui::GetIO().FontDefault = ctx.fontRegular;
}

void loadFonts(ImFontAtlas& atlas, UiContext& ctx, float scale, const std::string& cacheDir) {
  atlas.Clear();
  ctx.scale = scale;
  const float size = 17.0f * scale;
  ImFontConfig cfg;
  cfg.OversampleH = 2;
  cfg.OversampleV = 1;
  // Titles are large enough to look the same without horizontal
  // oversampling, which halves their share of the atlas.
  ImFontConfig titleCfg = cfg;
  titleCfg.OversampleH = 1;
  const std::string regular = findFont("DejaVuSans.ttf");
  std::string bold = findFont("DejaVuSans-Bold.ttf");
  if (bold.empty()) bold = regular;
  auto imguiFont = [&] {  // no DejaVu, or unreadable: ImGui's own font
    atlas.Clear();
    ImFontConfig def;
    def.SizePixels = 13.0f * scale;
    ctx.fontRegular = ctx.fontBold = ctx.fontTitle = atlas.AddFontDefault(&def);
  };
  if (regular.empty()) return imguiFont();

  // A saved atlas built from the same inputs is read back instead of built.
  std::string key, cacheFile;
  if (!cacheDir.empty()) {
    key = "imgui " IMGUI_VERSION "; fonts regular, bold, title; size " + std::to_string(size) + "; oversample " +
          std::to_string(cfg.OversampleH) + "," + std::to_string(titleCfg.OversampleH) + "; ranges";
    for (const ImWchar* r = kRanges; *r; ++r) key += " " + std::to_string(*r);
    for (const auto& file : {regular, bold}) {
      std::error_code ec;
      key += "; " + file + " " + std::to_string(std::filesystem::file_size(file, ec)) + " " +
             std::to_string(std::filesystem::last_write_time(file, ec).time_since_epoch().count());
    }
    char name[40];
    std::snprintf(name, sizeof name, "/fonts-%016zx.atlas", std::hash<std::string>{}(key));
    cacheFile = cacheDir + name;
    if (readAtlas(atlas, key, cacheFile) && atlas.Fonts.Size == 3) {  // the three fonts asked for
      ctx.fontRegular = atlas.Fonts[0];
      ctx.fontBold = atlas.Fonts[1];
      ctx.fontTitle = atlas.Fonts[2];
      return;
    }
    atlas.Clear();
  }
  ctx.fontRegular = atlas.AddFontFromFileTTF(regular.c_str(), size, &cfg, kRanges);
  ctx.fontBold = atlas.AddFontFromFileTTF(bold.c_str(), size, &cfg, kRanges);
  ctx.fontTitle = atlas.AddFontFromFileTTF(bold.c_str(), size * 1.35f, &titleCfg, kRanges);
  if (!ctx.fontRegular || !ctx.fontBold || !ctx.fontTitle) return imguiFont();
  if (!cacheFile.empty() && atlas.Build()) {
    // One saved atlas at a time: an older one (other fonts, scale) goes.
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(cacheDir, ec))
      if (e.path().extension() == ".atlas" && e.path().filename().string().rfind("fonts-", 0) == 0 &&
          e.path().string() != cacheFile)
        std::filesystem::remove(e.path(), ec);
    writeAtlas(atlas, key, cacheFile);
  }
}

void applyStyle(float scale) {
  ImGuiStyle& s = ImGui::GetStyle();
  s = ImGuiStyle();
  ImGui::StyleColorsLight(&s);
  s.WindowRounding = 0.0f;
  s.FrameRounding = 4.0f;
  s.GrabRounding = 4.0f;
  s.ChildRounding = 4.0f;
  s.PopupRounding = 4.0f;
  s.FramePadding = ImVec2(8, 5);
  s.ItemSpacing = ImVec2(10, 8);
  s.ItemInnerSpacing = ImVec2(8, 6);
  s.WindowPadding = ImVec2(14, 12);
  s.ScrollbarSize = 16;
  s.FrameBorderSize = 1.0f;
  s.CellPadding = ImVec2(8, 4);
  ImVec4* c = s.Colors;
  c[ImGuiCol_WindowBg] = ImVec4(0.97f, 0.97f, 0.96f, 1.0f);
  c[ImGuiCol_ChildBg] = ImVec4(0.0f, 0.0f, 0.0f, 0.0f);
  c[ImGuiCol_MenuBarBg] = ImVec4(0.90f, 0.91f, 0.92f, 1.0f);
  c[ImGuiCol_FrameBg] = ImVec4(1.0f, 1.0f, 1.0f, 1.0f);
  c[ImGuiCol_FrameBgHovered] = ImVec4(0.93f, 0.96f, 1.0f, 1.0f);
  c[ImGuiCol_FrameBgActive] = ImVec4(0.88f, 0.93f, 1.0f, 1.0f);
  c[ImGuiCol_Border] = ImVec4(0.75f, 0.77f, 0.80f, 1.0f);
  c[ImGuiCol_Header] = ImVec4(0.80f, 0.87f, 0.97f, 1.0f);
  c[ImGuiCol_HeaderHovered] = ImVec4(0.86f, 0.91f, 0.99f, 1.0f);
  c[ImGuiCol_HeaderActive] = ImVec4(0.74f, 0.83f, 0.97f, 1.0f);
  c[ImGuiCol_Button] = ImVec4(0.88f, 0.90f, 0.93f, 1.0f);
  c[ImGuiCol_ButtonHovered] = ImVec4(0.80f, 0.87f, 0.97f, 1.0f);
  c[ImGuiCol_ButtonActive] = ImVec4(0.70f, 0.80f, 0.95f, 1.0f);
  c[ImGuiCol_CheckMark] = ImVec4(0.12f, 0.38f, 0.75f, 1.0f);
  c[ImGuiCol_SliderGrab] = ImVec4(0.20f, 0.45f, 0.80f, 1.0f);
  c[ImGuiCol_SliderGrabActive] = ImVec4(0.12f, 0.38f, 0.75f, 1.0f);
  c[ImGuiCol_TableHeaderBg] = ImVec4(0.90f, 0.91f, 0.93f, 1.0f);
  c[ImGuiCol_PopupBg] = ImVec4(1.0f, 1.0f, 1.0f, 1.0f);  // dialogs over text stay readable
  s.ScaleAllSizes(scale);
}

void setupKeyMap() {
  ImGuiIO& io = ImGui::GetIO();
  using namespace keys;
  io.KeyMap[ImGuiKey_Tab] = kTab;
  io.KeyMap[ImGuiKey_LeftArrow] = kLeft;
  io.KeyMap[ImGuiKey_RightArrow] = kRight;
  io.KeyMap[ImGuiKey_UpArrow] = kUp;
  io.KeyMap[ImGuiKey_DownArrow] = kDown;
  io.KeyMap[ImGuiKey_PageUp] = kPageUp;
  io.KeyMap[ImGuiKey_PageDown] = kPageDown;
  io.KeyMap[ImGuiKey_Home] = kHome;
  io.KeyMap[ImGuiKey_End] = kEnd;
  io.KeyMap[ImGuiKey_Insert] = kInsert;
  io.KeyMap[ImGuiKey_Delete] = kDelete;
  io.KeyMap[ImGuiKey_Backspace] = kBackspace;
  io.KeyMap[ImGuiKey_Space] = kSpace;
  io.KeyMap[ImGuiKey_Enter] = kEnter;
  io.KeyMap[ImGuiKey_Escape] = kEscape;
  io.KeyMap[ImGuiKey_KeyPadEnter] = kKeypadEnter;
  io.KeyMap[ImGuiKey_A] = 'A';
  io.KeyMap[ImGuiKey_C] = 'C';
  io.KeyMap[ImGuiKey_V] = 'V';
  io.KeyMap[ImGuiKey_X] = 'X';
  io.KeyMap[ImGuiKey_Y] = 'Y';
  io.KeyMap[ImGuiKey_Z] = 'Z';
}

bool keyPressed(int key, bool repeat) { return ImGui::IsKeyPressed(key, repeat); }
bool ctrlDown() { return ImGui::GetIO().KeyCtrl; }
bool shiftDown() { return ImGui::GetIO().KeyShift; }
bool altDown() { return ImGui::GetIO().KeyAlt; }

}  // namespace skema::ui
