// A built font atlas kept on disk between starts. Rasterising the
// workbench's ~1,250 glyphs costs ~20 ms of a start's CPU; reading the
// result back costs well under one. The file records the key it was built
// from (ImGui's version, the font files with their sizes and modification
// times, pixel sizes, oversampling, ranges: fonts.cpp makes it), so a
// change of any of them builds anew. A file that is short, of another key,
// or damaged anywhere (it carries a checksum of its contents: ImGui trusts
// the glyph data it is handed) is ignored and the atlas built as before.
#pragma once
#include <string>

struct ImFontAtlas;

namespace skema::ui {

// Saves a built atlas (fonts, glyphs, pixels) under `key`. Written to a
// temporary name and renamed, so a reader never sees half a file. False
// when the file cannot be written (the atlas is not affected).
bool writeAtlas(const ImFontAtlas& atlas, const std::string& key, const std::string& path);

// Fills an empty `atlas` from `path` when it holds an atlas saved under
// `key`; the atlas is then built (IsBuilt()) without rasterising. False,
// with the atlas left empty, otherwise. Needs no ImGui context.
bool readAtlas(ImFontAtlas& atlas, const std::string& key, const std::string& path);

}  // namespace skema::ui
