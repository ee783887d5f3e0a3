// Key indices as the host feeds them into io.KeysDown[] (GLFW key codes,
// which are ASCII for letters and digits). Headless tests use the same map
// (setupKeyMap), so views never include GLFW.
#pragma once

namespace skema::ui::keys {

constexpr int kSpace = 32;
constexpr int kDigit0 = 48;  // '0'..'9' = 48..57
constexpr int kA = 65;       // 'A'..'Z' = 65..90
constexpr int kB = 66, kC = 67, kD = 68, kF = 70, kH = 72, kL = 76, kN = 78, kO = 79, kQ = 81, kS = 83, kV = 86, kX = 88, kY = 89, kZ = 90;
constexpr int kEscape = 256, kEnter = 257, kTab = 258, kBackspace = 259, kInsert = 260, kDelete = 261;
constexpr int kRight = 262, kLeft = 263, kDown = 264, kUp = 265, kPageUp = 266, kPageDown = 267;
constexpr int kHome = 268, kEnd = 269, kF1 = 290, kF2 = 291, kF5 = 294, kKeypadEnter = 335;

}  // namespace skema::ui::keys

namespace skema::ui {
// Fills io.KeyMap with the codes above (the GLFW backend does the same).
void setupKeyMap();
bool keyPressed(int key, bool repeat = true);
bool ctrlDown();
bool shiftDown();
bool altDown();
}  // namespace skema::ui
