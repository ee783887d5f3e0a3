// Drawing helpers for the area plugins' views (ImGui from the host's
// skema_ui: the one copy). Only the views include this.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "skema_area/area.h"

namespace skema::area {

// Binds this plugin to the host's ImGui context and allocator; false (draw
// nothing) when the host's ImGui version differs from the one built against.
bool bindImGui(const skema_ui_context* ui);

// A table result ({"columns","rows"}) as an ImGui table; `maxHeight` 0 = all rows.
void drawTable(const char* id, const json& table, float maxHeight = 0);

// A figure: label and value (number or short text) on one line.
void drawFigure(const char* label, const json& value);
// A section heading.
void heading(const char* text);

// The filter bar every dashboard shows (period and office), and the records
// it reads, reloaded on "Refresh" and whenever the dashboard is shown again
// (a frame without it in between).
struct DashboardState {
  char from[11] = "", to[11] = "", office[16] = "";
  std::map<std::string, Records> records;
  std::string error;
  bool loaded = false;
  int lastFrame = -10;  // reloads when the dashboard is shown again
  std::string language;  // the UI language the tables were made in
  Filter filter() const;
  // Draws the bar; loads the records when needed. Returns true when the
  // filter, the records or the UI language changed (the tables are made again).
  bool drawBar(const skema_host_api* api, const skema_ui_context* ui, const std::vector<std::string>& forms);
};

// Registers the area's dashboard: a view `id` with its per-language titles.
int registerDashboard(const skema_host_api* api, const char* id, const skema_text* titles, skema_view_draw_fn draw);

// The workbench's text for `key` (assets/lang/*.json) in the UI language.
inline const char* text(const skema_host_api* api, const char* key) { return api->translate(api->host, key); }

}  // namespace skema::area
