// Fonts and style: DejaVu Sans with Latin-1 + Latin Extended-A (æøå and
// more), built at the DPI scale. Used by the host and the headless tests.
#pragma once
#include <string>

#include "ui_context.h"

struct ImFontAtlas;

namespace skema::ui {

// Adds the workbench fonts to `atlas` (does not upload a texture). Falls
// back to ImGui's own font when DejaVu is missing. Needs no ImGui context,
// so the host builds the atlas while its window is being created. With a
// `cacheDir`, the built atlas is saved there and read back on the next
// call with the same fonts, sizes and ranges (app/font_cache.h).
void loadFonts(ImFontAtlas& atlas, UiContext& ctx, float scale, const std::string& cacheDir = {});
// The same, into the current ImGui context's atlas.
void loadFonts(UiContext& ctx, float scale, const std::string& cacheDir = {});
// The workbench colours and sizes, scaled.
void applyStyle(float scale);

}  // namespace skema::ui
