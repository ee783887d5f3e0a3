#include "skema_area/area_views.h"

#include <cstring>

#include "imgui.h"

namespace skema::area {

bool bindImGui(const skema_ui_context* ui) {
  if (!ui || !ui->imgui_context || !ui->imgui_version || std::strcmp(ui->imgui_version, IMGUI_VERSION) != 0)
    return false;
  ImGui::SetCurrentContext(static_cast<ImGuiContext*>(ui->imgui_context));
  ImGui::SetAllocatorFunctions(reinterpret_cast<ImGuiMemAllocFunc>(ui->imgui_alloc),
                               reinterpret_cast<ImGuiMemFreeFunc>(ui->imgui_free), ui->imgui_alloc_user);
  return true;
}

namespace {
std::string cell(const json& v) {
  if (v.is_number_float()) {
    char b[32];
    std::snprintf(b, sizeof b, "%.2f", v.get<double>());
    std::string s = b;
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
  }
  return textOf(v);
}
}  // namespace

void drawTable(const char* id, const json& table, float maxHeight) {
  if (!table.is_object() || !table.contains("columns") || !table["columns"].is_array()) {
    ImGui::TextDisabled("%s", table.dump().c_str());
    return;
  }
  const auto& cols = table["columns"];
  const int n = static_cast<int>(cols.size());
  if (n == 0) return;
  ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_Borders;
  // Wide tables keep their columns readable and scroll sideways.
  const bool wide = n >= 5;
  flags |= wide ? ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_ScrollX : ImGuiTableFlags_SizingStretchProp;
  ImVec2 size(0, 0);
  const float rowH = ImGui::GetTextLineHeightWithSpacing() + 4;
  const float want = rowH * (static_cast<float>(table["rows"].size()) + 1.5f) + (wide ? ImGui::GetStyle().ScrollbarSize : 0);
  if (maxHeight > 0) {
    flags |= ImGuiTableFlags_ScrollY;
    size.y = want < maxHeight ? want : maxHeight;
  } else if (wide) {
    size.y = want;
  }
  if (ImGui::BeginTable(id, n, flags, size)) {
    ImGui::TableSetupScrollFreeze(0, 1);
    for (int i = 0; i < n; ++i) {
      // In a stretched table, columns of numbers keep their width and the
      // text columns (long labels) share the rest.
      bool numbers = !wide;
      for (const auto& row : table["rows"])
        if (row.is_array() && i < static_cast<int>(row.size()) && !row[i].is_number() && !row[i].is_null()) numbers = false;
      ImGui::TableSetupColumn(textOf(cols[i]).c_str(), numbers ? ImGuiTableColumnFlags_WidthFixed : 0);
    }
    ImGui::TableHeadersRow();
    for (const auto& row : table["rows"]) {
      ImGui::TableNextRow();
      for (int i = 0; i < n; ++i) {
        ImGui::TableNextColumn();
        if (!row.is_array() || i >= static_cast<int>(row.size())) continue;
        const std::string text = cell(row[i]);
        const float room = ImGui::GetContentRegionAvail().x;
        ImGui::TextUnformatted(text.c_str());
        // A long label cut at the column's edge is shown whole on hover.
        if (ImGui::IsItemHovered() && ImGui::CalcTextSize(text.c_str()).x > room)
          ImGui::SetTooltip("%s", text.c_str());
      }
    }
    ImGui::EndTable();
  }
}

void drawFigure(const char* label, const json& value) {
  ImGui::TextUnformatted(label);
  ImGui::SameLine(ImGui::GetFontSize() * 22);
  ImGui::Text("%s", cell(value).c_str());
}

void heading(const char* text) {
  ImGui::Spacing();
  ImGui::TextColored(ImVec4(0.15f, 0.35f, 0.6f, 1.0f), "%s", text);
  ImGui::Separator();
}

Filter DashboardState::filter() const {
  Filter f;
  f.from = from;
  f.to = to;
  f.office = office;
  return f;
}

bool DashboardState::drawBar(const skema_host_api* api, const skema_ui_context* ui,
                             const std::vector<std::string>& forms) {
  bool changed = false;
  const float w = ImGui::GetFontSize() * 7;
  ImGui::SetNextItemWidth(w);
  changed |= ImGui::InputTextWithHint("##from", text(api, "dashboard.bar.from"), from, sizeof from);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(w);
  changed |= ImGui::InputTextWithHint("##to", text(api, "dashboard.bar.to"), to, sizeof to);
  ImGui::SameLine();
  static const char* const offices[] = {"", "copenhagen", "odense", "aarhus"};
  // Every area's first form has the office field.
  auto officeLabel = [&](const char* o) {
    return o[0] ? choiceLabel(api, forms.front(), "office", o) : std::string(text(api, "dashboard.bar.all_offices"));
  };
  ImGui::SetNextItemWidth(w);
  if (ImGui::BeginCombo("##office", officeLabel(office).c_str())) {
    for (const char* o : offices) {
      const std::string label = officeLabel(o);
      if (ImGui::Selectable(label.c_str(), std::strcmp(o, office) == 0)) {
        std::snprintf(office, sizeof office, "%s", o);
        changed = true;
      }
    }
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  const bool refresh = ImGui::Button(text(api, "dashboard.bar.refresh"));
  const int frame = ImGui::GetFrameCount();
  const bool reappeared = frame - lastFrame > 1;
  lastFrame = frame;
  if (!loaded || refresh || reappeared) {
    error.clear();
    records = ui->query ? loadForms(api, ui->query, forms, error) : std::map<std::string, Records>{};
    if (!ui->query) error = text(api, "dashboard.bar.no_workspace");
    loaded = true;
    changed = true;
  }
  if (!error.empty()) ImGui::TextColored(ImVec4(0.75f, 0.1f, 0.1f, 1), "%s", error.c_str());
  if (const char* lang = api->language(api->host); language != lang) {
    language = lang;
    changed = true;
  }
  return changed;
}

int registerDashboard(const skema_host_api* api, const char* id, const skema_text* titles, skema_view_draw_fn draw) {
  skema_view_info v{};
  v.size = sizeof v;
  v.id = id;
  v.titles = titles;
  v.draw = draw;
  return skema_register_view(api, &v);
}

}  // namespace skema::area
