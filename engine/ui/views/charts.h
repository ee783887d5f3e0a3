// Charts drawn with ImGui draw lists (no plotting library): horizontal bars
// (frequencies), horizontal stacked bars (crosstabs) and lines (time
// series). Each has axes with tick labels and, where there is more than one
// series, a legend. Colours come from one fixed palette.
#pragma once
#include <string>
#include <vector>

#include "imgui.h"

namespace skema::ui::charts {

// The fixed palette (colour-blind friendly, Okabe-Ito + greys); wraps around.
ImU32 palette(int i);

struct Series {
  std::string label;
  std::vector<double> values;  // one per category / x position
};

// "Nice" tick step for a value range [0, max] with about `ticks` ticks.
double niceStep(double max, int ticks);
// Tick label: whole numbers without decimals, "%" appended when `percent`.
std::string tickLabel(double v, bool percent);
// `text` cut with "…" to fit `width` pixels.
std::string fitText(const std::string& text, float width);

// One bar per category; `values` aligned with `categories`. Draws into a
// region of `size` (x <= 0: the available width) at the cursor.
void barChart(const char* id, const std::vector<std::string>& categories, const std::vector<double>& values,
              ImVec2 size, const char* axisTitle = nullptr);
// One bar per category, one stacked segment per series (series[i].values
// aligned with `categories`); `percent`: the axis is 0..100 %.
void stackedBarChart(const char* id, const std::vector<std::string>& categories, const std::vector<Series>& series,
                     ImVec2 size, bool percent = false, const char* axisTitle = nullptr);
// One line per series over the x positions labelled `xLabels`; `axisTitle`
// under the x axis, `valueTitle` above the value axis.
void lineChart(const char* id, const std::vector<std::string>& xLabels, const std::vector<Series>& series,
               ImVec2 size, const char* axisTitle = nullptr, const char* valueTitle = nullptr);

}  // namespace skema::ui::charts
