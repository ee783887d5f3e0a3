#include "views/charts.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace skema::ui::charts {

namespace {
constexpr ImU32 kAxis = IM_COL32(90, 90, 90, 255);
constexpr ImU32 kGrid = IM_COL32(215, 218, 222, 255);
constexpr ImU32 kText = IM_COL32(30, 30, 30, 255);
constexpr ImU32 kBg = IM_COL32(255, 255, 255, 255);

struct Region {
  ImVec2 pos;
  float w, h;
};

Region begin(const char* id, ImVec2 size) {
  ImGui::PushID(id);
  Region r{ImGui::GetCursorScreenPos(), size.x > 0 ? size.x : ImGui::GetContentRegionAvail().x, size.y};
  r.w = std::max(r.w, 120.0f);
  r.h = std::max(r.h, 120.0f);
  ImGui::GetWindowDrawList()->AddRectFilled(r.pos, ImVec2(r.pos.x + r.w, r.pos.y + r.h), kBg, 4.0f);
  return r;
}

void end(const Region& r) {
  ImGui::SetCursorScreenPos(r.pos);
  ImGui::Dummy(ImVec2(r.w, r.h));
  ImGui::PopID();
}

double maxOf(const std::vector<double>& v) {
  double m = 0;
  for (double x : v) m = std::max(m, x);
  return m;
}

// Legend entries flowed left to right, wrapping at `width`. Returns the
// height used; draws only when `dl` is not null.
float legend(ImDrawList* dl, ImVec2 pos, float width, const std::vector<Series>& series) {
  const float th = ImGui::GetTextLineHeight(), sw = th * 0.8f, gap = th * 0.9f;
  float x = 0, y = 0;
  for (size_t i = 0; i < series.size(); ++i) {
    const std::string label = fitText(series[i].label.empty() ? "–" : series[i].label, width * 0.5f);
    const float itemW = sw + 4 + ImGui::CalcTextSize(label.c_str()).x;
    if (x > 0 && x + itemW > width) {
      x = 0;
      y += th + 4;
    }
    if (dl) {
      const ImVec2 p(pos.x + x, pos.y + y);
      dl->AddRectFilled(ImVec2(p.x, p.y + (th - sw) / 2), ImVec2(p.x + sw, p.y + (th + sw) / 2),
                        palette(static_cast<int>(i)), 2.0f);
      dl->AddText(ImVec2(p.x + sw + 4, p.y), kText, label.c_str());
    }
    x += itemW + gap;
  }
  return series.empty() ? 0 : y + th + 6;
}

// Value axis along the bottom of [x0, x1] at y; returns the axis maximum.
void valueAxisX(ImDrawList* dl, float x0, float x1, float yTop, float yAxis, double max, double step, bool percent) {
  const float th = ImGui::GetTextLineHeight();
  for (double v = 0; v <= max + step * 1e-6; v += step) {
    const float x = x0 + static_cast<float>(v / max) * (x1 - x0);
    dl->AddLine(ImVec2(x, yTop), ImVec2(x, yAxis), kGrid);
    dl->AddLine(ImVec2(x, yAxis), ImVec2(x, yAxis + 4), kAxis);
    const std::string t = tickLabel(v, percent);
    const float tw = ImGui::CalcTextSize(t.c_str()).x;
    dl->AddText(ImVec2(std::min(x - tw / 2, x1 - tw + 2), yAxis + 5), kText, t.c_str());
  }
  (void)th;
  dl->AddLine(ImVec2(x0, yAxis), ImVec2(x1, yAxis), kAxis);
}

float maxWidth(const std::vector<std::string>& v) {
  float m = 0;
  for (const auto& s : v) m = std::max(m, ImGui::CalcTextSize(s.empty() ? "–" : s.c_str()).x);
  return m;
}

// Category bars: shared by barChart and stackedBarChart.
// values[s][c]; one segment per s stacked left to right.
void hbars(const char* id, const std::vector<std::string>& categories, const std::vector<Series>& series,
           ImVec2 size, bool percent, const char* axisTitle, bool showLegend) {
  Region r = begin(id, size);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float th = ImGui::GetTextLineHeight(), pad = 8;
  const size_t n = categories.size();
  float top = r.pos.y + pad;
  if (showLegend) {
    top += legend(dl, ImVec2(r.pos.x + pad, top), r.w - 2 * pad, series);
  }
  std::vector<double> totals(n, 0.0);
  for (const auto& s : series)
    for (size_t c = 0; c < n && c < s.values.size(); ++c) totals[c] += s.values[c];
  double max = percent ? 100.0 : maxOf(totals);
  if (max <= 0) max = 1;
  const double step = niceStep(max, std::max(2, static_cast<int>((r.w - 200) / 90)));
  if (!percent) max = std::ceil(max / step) * step;
  const float labelW = std::min(maxWidth(categories) + 10, r.w * 0.34f);
  const std::string maxText = tickLabel(maxOf(totals), false);
  const float valueW = percent ? 6 : ImGui::CalcTextSize(maxText.c_str()).x + 12;
  const float x0 = r.pos.x + pad + labelW, x1 = r.pos.x + r.w - pad - valueW;
  const float bottom = r.pos.y + r.h - pad - th - 6 - (axisTitle ? th + 2 : 0);
  if (n == 0 || x1 <= x0 || bottom <= top) {
    end(r);
    return;
  }
  valueAxisX(dl, x0, x1, top, bottom, max, step, percent);
  if (axisTitle) {
    const float tw = ImGui::CalcTextSize(axisTitle).x;
    dl->AddText(ImVec2((x0 + x1 - tw) / 2, bottom + th + 6), kAxis, axisTitle);
  }
  dl->AddLine(ImVec2(x0, top), ImVec2(x0, bottom), kAxis);
  const float rowH = (bottom - top) / static_cast<float>(n);
  const float barH = std::max(2.0f, std::min(rowH * 0.72f, th * 1.6f));
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const bool hoverRegion = ImGui::IsWindowHovered() && mouse.x >= r.pos.x && mouse.x < r.pos.x + r.w;
  int hovered = -1;
  for (size_t c = 0; c < n; ++c) {
    const float cy = top + rowH * (static_cast<float>(c) + 0.5f);
    if (rowH >= th * 0.8f || c % static_cast<size_t>(std::ceil(th / rowH)) == 0) {
      const std::string label = fitText(categories[c].empty() ? "–" : categories[c], labelW - 10);
      const float lw = ImGui::CalcTextSize(label.c_str()).x;
      dl->AddText(ImVec2(x0 - 6 - lw, cy - th / 2), kText, label.c_str());
    }
    float x = x0;
    for (size_t s = 0; s < series.size(); ++s) {
      const double v = c < series[s].values.size() ? series[s].values[c] : 0.0;
      const float w = static_cast<float>(v / max) * (x1 - x0);
      if (w > 0)
        dl->AddRectFilled(ImVec2(x, cy - barH / 2), ImVec2(x + w, cy + barH / 2),
                          palette(series.size() == 1 ? 0 : static_cast<int>(s)));
      x += w;
    }
    if (!percent && rowH >= th * 0.8f) {
      const std::string t = tickLabel(totals[c], false);
      dl->AddText(ImVec2(x + 4, cy - th / 2), kText, t.c_str());
    }
    if (hoverRegion && mouse.y >= cy - rowH / 2 && mouse.y < cy + rowH / 2) hovered = static_cast<int>(c);
  }
  if (hovered >= 0) {
    ImGui::BeginTooltip();
    ImGui::TextUnformatted(categories[hovered].empty() ? "–" : categories[hovered].c_str());
    for (size_t s = 0; s < series.size(); ++s) {
      const double v = static_cast<size_t>(hovered) < series[s].values.size() ? series[s].values[hovered] : 0.0;
      if (series.size() > 1) {
        ImGui::ColorButton("##c", ImGui::ColorConvertU32ToFloat4(palette(static_cast<int>(s))),
                           ImGuiColorEditFlags_NoTooltip, ImVec2(th * 0.7f, th * 0.7f));
        ImGui::SameLine();
        ImGui::Text("%s: %s", series[s].label.empty() ? "–" : series[s].label.c_str(), tickLabel(v, percent).c_str());
      } else {
        ImGui::TextUnformatted(tickLabel(v, percent).c_str());
      }
    }
    ImGui::EndTooltip();
  }
  end(r);
}
}  // namespace

ImU32 palette(int i) {
  static const ImU32 colours[] = {
      IM_COL32(0, 114, 178, 255),   IM_COL32(230, 159, 0, 255),  IM_COL32(0, 158, 115, 255),
      IM_COL32(204, 121, 167, 255), IM_COL32(86, 180, 233, 255), IM_COL32(213, 94, 0, 255),
      IM_COL32(240, 228, 66, 255),  IM_COL32(120, 94, 240, 255), IM_COL32(110, 110, 110, 255),
      IM_COL32(160, 200, 120, 255), IM_COL32(150, 60, 60, 255),  IM_COL32(60, 60, 150, 255),
  };
  constexpr int n = sizeof colours / sizeof colours[0];
  return colours[((i % n) + n) % n];
}

double niceStep(double max, int ticks) {
  if (max <= 0 || ticks < 1) return 1;
  const double raw = max / ticks;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * mag >= raw) {
      step = m * mag;
      break;
    }
  return std::max(step, 1.0);  // counts: whole steps
}

std::string tickLabel(double v, bool percent) {
  char buf[32];
  if (percent) std::snprintf(buf, sizeof buf, "%.0f %%", v);
  else if (std::fabs(v - std::round(v)) < 1e-9) std::snprintf(buf, sizeof buf, "%.0f", v);
  else std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string fitText(const std::string& text, float width) {
  if (ImGui::CalcTextSize(text.c_str()).x <= width) return text;
  std::string s = text;
  while (!s.empty()) {
    // Drop one UTF-8 character.
    size_t cut = s.size() - 1;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    s.erase(cut);
    if (ImGui::CalcTextSize((s + "…").c_str()).x <= width) return s + "…";
  }
  return "…";
}

void barChart(const char* id, const std::vector<std::string>& categories, const std::vector<double>& values,
              ImVec2 size, const char* axisTitle) {
  hbars(id, categories, {Series{"", values}}, size, false, axisTitle, false);
}

void stackedBarChart(const char* id, const std::vector<std::string>& categories, const std::vector<Series>& series,
                     ImVec2 size, bool percent, const char* axisTitle) {
  hbars(id, categories, series, size, percent, axisTitle, true);
}

void lineChart(const char* id, const std::vector<std::string>& xLabels, const std::vector<Series>& series,
               ImVec2 size, const char* axisTitle, const char* valueTitle) {
  Region r = begin(id, size);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float th = ImGui::GetTextLineHeight(), pad = 8;
  float top = r.pos.y + pad;
  if (series.size() > 1) top += legend(dl, ImVec2(r.pos.x + pad, top), r.w - 2 * pad, series);
  if (valueTitle) {  // the value axis' title, above it
    dl->AddText(ImVec2(r.pos.x + pad, top), kAxis, valueTitle);
    top += th + 2;
  }
  top += th / 2;  // room for the top tick label
  double max = 0;
  for (const auto& s : series) max = std::max(max, maxOf(s.values));
  if (max <= 0) max = 1;
  const float bottom = r.pos.y + r.h - pad - th - 8 - (axisTitle ? th + 2 : 0);
  const int yTicks = std::max(2, static_cast<int>((bottom - top) / (th * 2.5f)));
  const double step = niceStep(max, yTicks);
  max = std::ceil(max / step) * step;
  const float yLabelW = ImGui::CalcTextSize(tickLabel(max, false).c_str()).x + 10;
  const float x0 = r.pos.x + pad + yLabelW, x1 = r.pos.x + r.w - pad - 10;
  const size_t n = xLabels.size();
  if (n == 0 || bottom <= top || x1 <= x0) {
    end(r);
    return;
  }
  auto yOf = [&](double v) { return bottom - static_cast<float>(v / max) * (bottom - top); };
  for (double v = 0; v <= max + step * 1e-6; v += step) {
    const float y = yOf(v);
    dl->AddLine(ImVec2(x0, y), ImVec2(x1, y), kGrid);
    const std::string t = tickLabel(v, false);
    const float tw = ImGui::CalcTextSize(t.c_str()).x;
    dl->AddText(ImVec2(x0 - 6 - tw, y - th / 2), kText, t.c_str());
  }
  dl->AddLine(ImVec2(x0, top), ImVec2(x0, bottom), kAxis);
  dl->AddLine(ImVec2(x0, bottom), ImVec2(x1, bottom), kAxis);
  const float dx = n > 1 ? (x1 - x0) / static_cast<float>(n - 1) : 0.0f;
  auto xOf = [&](size_t i) { return n > 1 ? x0 + dx * static_cast<float>(i) : (x0 + x1) / 2; };
  // x tick labels: every k-th, so they never overlap.
  const float labelW = maxWidth(xLabels) + 14;
  size_t every = 1;
  if (n > 1) every = static_cast<size_t>(std::max(1.0f, std::ceil(labelW / std::max(dx, 1.0f))));
  for (size_t i = 0; i < n; i += every) {
    const float x = xOf(i);
    dl->AddLine(ImVec2(x, bottom), ImVec2(x, bottom + 4), kAxis);
    const float tw = ImGui::CalcTextSize(xLabels[i].c_str()).x;
    const float tx = std::clamp(x - tw / 2, r.pos.x + 2, r.pos.x + r.w - tw - 2);
    dl->AddText(ImVec2(tx, bottom + 6), kText, xLabels[i].c_str());
  }
  if (axisTitle) {
    const float tw = ImGui::CalcTextSize(axisTitle).x;
    dl->AddText(ImVec2((x0 + x1 - tw) / 2, bottom + th + 8), kAxis, axisTitle);
  }
  const float thick = series.size() > 6 ? 1.5f : 2.5f;
  for (size_t s = 0; s < series.size(); ++s) {
    const ImU32 col = palette(static_cast<int>(s));
    std::vector<ImVec2> pts;
    for (size_t i = 0; i < n && i < series[s].values.size(); ++i) pts.emplace_back(xOf(i), yOf(series[s].values[i]));
    // Segments, not one thick polyline: its miter joins spike at sharp turns.
    for (size_t i = 1; i < pts.size(); ++i) dl->AddLine(pts[i - 1], pts[i], col, thick);
    if (dx >= 10 || pts.size() == 1)
      for (const auto& p : pts) dl->AddCircleFilled(p, thick + 1.5f, col);
  }
  // Hover: the nearest period, with every series' value.
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  if (ImGui::IsWindowHovered() && mouse.x >= x0 - dx / 2 && mouse.x <= x1 + dx / 2 && mouse.y >= r.pos.y &&
      mouse.y < r.pos.y + r.h) {
    const size_t i = n > 1 ? std::min(n - 1, static_cast<size_t>(std::lround((mouse.x - x0) / dx))) : 0;
    dl->AddLine(ImVec2(xOf(i), top), ImVec2(xOf(i), bottom), IM_COL32(0, 0, 0, 90));
    ImGui::BeginTooltip();
    ImGui::TextUnformatted(xLabels[i].c_str());
    for (size_t s = 0; s < series.size(); ++s) {
      const double v = i < series[s].values.size() ? series[s].values[i] : 0.0;
      ImGui::ColorButton("##c", ImGui::ColorConvertU32ToFloat4(palette(static_cast<int>(s))),
                         ImGuiColorEditFlags_NoTooltip, ImVec2(th * 0.7f, th * 0.7f));
      ImGui::SameLine();
      ImGui::Text("%s: %s", series[s].label.empty() ? "–" : series[s].label.c_str(), tickLabel(v, false).c_str());
    }
    ImGui::EndTooltip();
  }
  end(r);
}

}  // namespace skema::ui::charts
