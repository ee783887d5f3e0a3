// Small helpers shared by the designer's files (designer_view.cpp,
// designer_panels.cpp). Internal to the designer.
#pragma once
#include <string>
#include <vector>

#include "imgui.h"
#include "util/diagnostics.h"

namespace skema::ui {

inline const ImVec4 kRed(0.75f, 0.1f, 0.1f, 1.0f);
inline const ImVec4 kAmber(0.70f, 0.45f, 0.0f, 1.0f);

// Checker problems as red/amber lines; `onlyField` keeps those of one field.
void drawDiagnostics(const std::vector<Diagnostic>& items, const std::string& onlyField);

}  // namespace skema::ui
