// [SECTION] index
//  - opening a form, specs (the --view syntax), running
//  - the table as text (what is drawn; the tests read it)
//  - drawing: controls, chart, table
#include "views/reports_view.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "expr/value.h"
#include "imgui.h"
#include "imgui_stdlib.h"
#include "views/charts.h"

namespace skema::ui {

using report::Period;
using report::ReportKind;

namespace {
std::string pct(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %%", v);
  return buf;
}

const char* periodLabel(const UiContext& ctx, Period p) {
  switch (p) {
    case Period::Week: return ctx.t("reports.week");
    case Period::Month: return ctx.t("reports.month");
    case Period::Quarter: return ctx.t("reports.quarter");
    case Period::Year: return ctx.t("reports.year");
  }
  return "";
}

std::string rowLabel(const UiContext& ctx, const std::string& key, const std::string& label) {
  if (key.empty()) return ctx.t("reports.no_value");
  return label.empty() ? key : label;
}
}  // namespace

// [SECTION] opening a form, specs, running

bool ReportsView::open(store::Store& store, const std::string& id, const std::string& ws) {
  const bool sameStore = builtFrom == &store && workspacePath == ws;
  workspacePath = ws;
  builtFrom = &store;
  if (id == formId && ds && sameStore) {
    try {
      if (ds->refresh(store) > 0) stale = true;
    } catch (const std::exception& e) {
      error = e.what();
    }
    return true;
  }
  formId = id;
  ds.reset();
  fields.clear();
  reportFields.clear();
  haveTable = false;
  stale = true;
  field = colField = byField = dateField = -1;
  filters.clear();
  office.clear();
  error.clear();
  if (id.empty()) return true;  // the form picker only
  try {
    ds = report::Dataset::build(store, id);
  } catch (const std::exception& e) {
    error = e.what();
    return false;
  }
  const auto& vars = ds->variables().vars;
  for (int i = 0; i < static_cast<int>(vars.size()); ++i) {
    const auto& v = vars[i];
    // Fields inside repeats count once per instance (frequency, crosstab);
    // filters and "split by" take record-level fields only.
    if (!v.repeat.empty() && ds->column(i).cached()) reportFields.push_back(i);
    if (!v.repeat.empty() || !ds->column(i).active) continue;
    fields.push_back(i);
    reportFields.push_back(i);
    if (v.type == FieldType::Date && (dateField < 0 || v.name == "date")) dateField = i;
  }
  // A sensible first report: the frequency of the first choice field.
  for (int i : fields)
    if (vars[i].type == FieldType::SelectOne || vars[i].type == FieldType::SelectMultiple) {
      field = i;
      break;
    }
  if (field < 0 && !fields.empty()) field = fields.front();
  for (int i : fields)
    if (i != field && (vars[i].type == FieldType::SelectOne)) {
      colField = i;
      break;
    }
  try {
    saved = report::loadSavedReports(store);
  } catch (const std::exception& e) {
    savedMessage = e.what();
  }
  return true;
}

int ReportsView::var(const std::string& name) const {
  if (!ds || name.empty()) return -1;
  return ds->variables().find(name);
}

std::string ReportsView::varLabel(int v, const std::string& lang) const {
  if (!ds || v < 0) return "";
  const auto& var = ds->variables().vars[v];
  const std::string& l = localized(var.label, lang);
  std::string label = l.empty() ? var.name : l;
  if (!var.repeat.empty())  // "People you talked with › Topics"
    for (const auto& r : ds->variables().vars)
      if (r.name == var.repeat && r.repeat.empty()) {
        const std::string& rl = localized(r.label, lang);
        label = (rl.empty() ? r.name : rl) + " › " + label;
        break;
      }
  return label;
}

bool ReportsView::applySpec(const std::string& text) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t c = text.find(':', start);
    parts.push_back(text.substr(start, c == std::string::npos ? std::string::npos : c - start));
    if (c == std::string::npos) break;
    start = c + 1;
  }
  if (parts.empty() || !ds) return false;
  if (parts[0] == "export") return openExporter = true;
  auto k = report::reportKindFromName(parts[0]);
  if (!k) return false;
  kind = *k;
  stale = true;
  if (kind == ReportKind::Frequency) {
    if (parts.size() < 2 || (field = var(parts[1])) < 0) return false;
  } else if (kind == ReportKind::Crosstab) {
    if (parts.size() < 3 || (field = var(parts[1])) < 0 || (colField = var(parts[2])) < 0) return false;
    if (parts.size() >= 4) cells = parts[3] == "row%" ? Cells::RowPercent : parts[3] == "col%" ? Cells::ColPercent : Cells::Counts;
  } else {
    if (parts.size() >= 2) {
      auto p = report::periodFromName(parts[1]);
      if (!p) return false;
      period = *p;
    }
    byField = parts.size() >= 3 ? var(parts[2]) : -1;
    if (parts.size() >= 3 && byField < 0) return false;
  }
  return true;
}

report::ReportSpec ReportsView::spec(const std::string& lang) const {
  report::ReportSpec s;
  s.kind = kind;
  const auto name = [&](int v) { return ds && v >= 0 ? ds->variables().vars[v].name : std::string(); };
  if (kind != ReportKind::Series) s.field = name(field);
  if (kind == ReportKind::Crosstab) s.colField = name(colField);
  if (kind == ReportKind::Series) s.byField = name(byField);
  s.period = period;
  if (dateField >= 0) s.dateField = name(dateField);
  s.from = from;
  s.to = to;
  if (!office.empty()) s.equals["office"].push_back(office);
  for (const auto& f : filters)
    if (f.var >= 0 && !f.value.empty()) s.equals[name(f.var)].push_back(f.value);
  s.includeDrafts = includeDrafts;
  s.lang = lang;
  return s;
}

void ReportsView::setSpec(const report::ReportSpec& s) {
  kind = s.kind;
  field = var(s.field);
  colField = var(s.colField);
  byField = var(s.byField);
  if (int d = var(s.dateField); d >= 0) dateField = d;
  period = s.period;
  from = s.from;
  to = s.to;
  office.clear();
  filters.clear();
  for (const auto& [name, values] : s.equals) {
    for (const auto& v : values) {
      if (name == "office" && office.empty()) office = v;
      else filters.push_back({var(name), v});
    }
  }
  includeDrafts = s.includeDrafts;
  stale = true;
}

void ReportsView::run(const std::string& lang) {
  stale = false;
  ranLang = lang;
  error.clear();
  haveTable = false;
  if (!ds) return;
  if (kind != ReportKind::Series && field < 0) return;
  if (kind == ReportKind::Crosstab && colField < 0) return;
  try {
    table = report::runReport(*ds, spec(lang));
    haveTable = true;
  } catch (const std::exception& e) {
    error = e.what();
  }
}

// [SECTION] the table as text

std::vector<std::vector<std::string>> ReportsView::cellsText(const UiContext& ctx) const {
  std::vector<std::vector<std::string>> out;
  if (!haveTable) return out;
  const auto& t = table;
  const size_t nr = t.rowKeys.size(), nc = t.colKeys.size();
  const bool plain = t.kind == ReportKind::Frequency || (t.kind == ReportKind::Series && t.colField.empty());
  const std::int64_t units = t.units();  // records, or instances for a field inside a repeat
  std::vector<std::string> head;
  head.push_back(t.kind == ReportKind::Series ? periodLabel(ctx, period) : t.rowLabel);
  if (plain) {
    head.push_back(ctx.t("reports.count"));
    head.push_back(ctx.t("reports.percent"));
    out.push_back(head);
    std::int64_t sum = 0;
    for (size_t r = 0; r < nr; ++r) {
      const std::int64_t n = t.at(r, 0);
      sum += n;
      out.push_back({t.kind == ReportKind::Series ? t.rowKeys[r] : rowLabel(ctx, t.rowKeys[r], t.rowLabels[r]),
                     std::to_string(n), pct(units > 0 ? 100.0 * static_cast<double>(n) / static_cast<double>(units) : 0.0)});
    }
    out.push_back({ctx.t(t.instancesOf.empty() ? "reports.total_records" : "reports.total_instances"),
                   std::to_string(units), units > 0 ? pct(100.0) : ""});
    (void)sum;
    return out;
  }
  for (size_t c = 0; c < nc; ++c) head.push_back(rowLabel(ctx, t.colKeys[c], t.colLabels[c]));
  head.push_back(ctx.t("reports.total"));
  out.push_back(head);
  const bool series = t.kind == ReportKind::Series;
  for (size_t r = 0; r < nr; ++r) {
    std::vector<std::string> row = {series ? t.rowKeys[r] : rowLabel(ctx, t.rowKeys[r], t.rowLabels[r])};
    for (size_t c = 0; c < nc; ++c) {
      if (cells == Cells::RowPercent && !series) row.push_back(pct(t.rowPercent(r, c)));
      else if (cells == Cells::ColPercent && !series) row.push_back(pct(t.colPercent(r, c)));
      else row.push_back(std::to_string(t.at(r, c)));
    }
    row.push_back(std::to_string(t.rowTotals[r]));
    out.push_back(row);
  }
  std::vector<std::string> tot = {ctx.t("reports.total")};
  for (size_t c = 0; c < nc; ++c) tot.push_back(std::to_string(t.colTotals[c]));
  tot.push_back(std::to_string(units));
  out.push_back(tot);
  return out;
}

// [SECTION] drawing

std::vector<std::pair<std::string, std::string>> ReportsView::valuesOf(int v, const std::string& lang) const {
  std::vector<std::pair<std::string, std::string>> out;
  if (!ds || v < 0) return out;
  const auto& var = ds->variables().vars[v];
  if (!var.choices.empty()) {
    for (const auto& c : var.choices) {
      const std::string& l = localized(c.label, lang);
      out.push_back({c.name, l.empty() ? c.name : l});
    }
    return out;
  }
  const auto& col = ds->column(v);
  for (std::uint32_t code = 1; code < col.size() && out.size() < 300; ++code) {
    const auto& j = col.dict[code];
    const std::string s = j.is_string() ? j.get<std::string>() : j.is_number() ? expr::numberToString(j.get<double>()) : j.dump();
    out.push_back({s, s});
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool ReportsView::fieldCombo(const char* label, int& v, const UiContext& ctx, bool allowNone,
                             const std::vector<int>& list) {
  bool changed = false;
  const std::string preview = v >= 0 ? varLabel(v, ctx.lang) : std::string(ctx.t("reports.none"));
  if (ImGui::BeginCombo(label, preview.c_str(), ImGuiComboFlags_HeightLarge)) {
    if (allowNone && ImGui::Selectable(ctx.t("reports.none"), v < 0)) {
      v = -1;
      changed = true;
    }
    for (int i : list) {
      ImGui::PushID(i);
      const std::string text = varLabel(i, ctx.lang) + "  ·  " + ds->variables().vars[i].name;
      if (ImGui::Selectable(text.c_str(), v == i)) {
        v = i;
        changed = true;
      }
      ImGui::PopID();
    }
    ImGui::EndCombo();
  }
  return changed;
}

void ReportsView::drawControls(UiContext& ctx, store::Store& store) {
  const float s = ctx.scale;
  const float w = ImGui::GetContentRegionAvail().x;
  auto heading = [&](const char* text) {
    ImGui::Spacing();
    ImGui::PushFont(ctx.fontBold);
    ImGui::TextUnformatted(text);
    ImGui::PopFont();
  };
  heading(ctx.t("reports.report"));
  int k = static_cast<int>(kind);
  if (ImGui::RadioButton(ctx.t("reports.frequency"), &k, 0)) stale = true;
  ImGui::SameLine();
  if (ImGui::RadioButton(ctx.t("reports.crosstab"), &k, 1)) stale = true;
  ImGui::SameLine();
  if (ImGui::RadioButton(ctx.t("reports.series"), &k, 2)) stale = true;
  kind = static_cast<ReportKind>(k);
  ImGui::PushItemWidth(w * 0.62f);
  if (kind == ReportKind::Frequency) {
    if (fieldCombo(ctx.t("reports.field"), field, ctx, false, reportFields)) stale = true;
  } else if (kind == ReportKind::Crosstab) {
    if (fieldCombo(ctx.t("reports.rows"), field, ctx, false, reportFields)) stale = true;
    if (fieldCombo(ctx.t("reports.columns"), colField, ctx, false, reportFields)) stale = true;
    int c = static_cast<int>(cells);
    if (ImGui::RadioButton(ctx.t("reports.counts"), &c, 0)) cells = Cells::Counts;
    ImGui::SameLine();
    if (ImGui::RadioButton(ctx.t("reports.row"), &c, 1)) cells = Cells::RowPercent;
    ImGui::SameLine();
    if (ImGui::RadioButton(ctx.t("reports.column"), &c, 2)) cells = Cells::ColPercent;
  } else {
    if (ImGui::BeginCombo(ctx.t("reports.period"), periodLabel(ctx, period))) {
      for (Period p : {Period::Week, Period::Month, Period::Quarter})
        if (ImGui::Selectable(periodLabel(ctx, p), p == period)) {
          period = p;
          stale = true;
        }
      ImGui::EndCombo();
    }
    if (fieldCombo(ctx.t("reports.split_by"), byField, ctx, true, fields)) stale = true;
  }

  heading(ctx.t("reports.filters"));
  ImGui::TextUnformatted(ctx.t("reports.period_yyyy_mm_dd"));
  ImGui::SetNextItemWidth(w * 0.30f);
  if (ImGui::InputTextWithHint("##from", ctx.t("reports.from"), &from)) stale = true;
  ImGui::SameLine();
  ImGui::TextUnformatted("–");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(w * 0.30f);
  if (ImGui::InputTextWithHint("##to", ctx.t("reports.to"), &to)) stale = true;
  if (int ov = var("office"); ov >= 0) {
    const auto values = valuesOf(ov, ctx.lang);
    std::string preview = ctx.t("reports.all");
    for (const auto& [val, label] : values)
      if (val == office) preview = label;
    if (ImGui::BeginCombo(ctx.t("reports.office"), preview.c_str())) {
      if (ImGui::Selectable(ctx.t("reports.all"), office.empty())) {
        office.clear();
        stale = true;
      }
      for (const auto& [val, label] : values)
        if (ImGui::Selectable(label.c_str(), val == office)) {
          office = val;
          stale = true;
        }
      ImGui::EndCombo();
    }
  }
  for (size_t i = 0; i < filters.size(); ++i) {
    ImGui::PushID(static_cast<int>(i));
    auto& f = filters[i];
    ImGui::SetNextItemWidth(w * 0.36f);
    if (fieldCombo("##fv", f.var, ctx, false, fields)) {
      f.value.clear();
      stale = true;
    }
    ImGui::SameLine();
    ImGui::TextUnformatted("=");
    ImGui::SameLine();
    const auto values = valuesOf(f.var, ctx.lang);
    std::string preview = f.value;
    for (const auto& [val, label] : values)
      if (val == f.value) preview = label;
    ImGui::SetNextItemWidth(w * 0.36f);
    if (ImGui::BeginCombo("##fval", preview.c_str(), ImGuiComboFlags_HeightLarge)) {
      for (const auto& [val, label] : values)
        if (ImGui::Selectable(label.c_str(), val == f.value)) {
          f.value = val;
          stale = true;
        }
      ImGui::EndCombo();
    }
    ImGui::SameLine();
    bool remove = ImGui::SmallButton("x");
    ImGui::PopID();
    if (remove) {
      filters.erase(filters.begin() + static_cast<long>(i));
      stale = true;
      break;
    }
  }
  if (ImGui::SmallButton(ctx.t("reports.filter_on_a_field"))) filters.push_back({});
  if (ImGui::Checkbox(ctx.t("reports.include_drafts"), &includeDrafts)) stale = true;
  ImGui::PopItemWidth();

  heading(ctx.t("reports.saved_reports"));
  ImGui::SetNextItemWidth(w * 0.62f);
  ImGui::InputTextWithHint("##savename", ctx.t("reports.name"), &saveName);
  ImGui::SameLine();
  ImGui::BeginDisabled(saveName.empty());
  if (ImGui::Button(ctx.t("reports.save"))) {
    try {
      store::Actor who{!ctx.userInitials.empty() ? ctx.userInitials : ctx.userName, ""};
      report::saveReport(store, {saveName, formId, spec(ctx.lang)}, who);
      saved = report::loadSavedReports(store);
      savedMessage = std::string(ctx.t("reports.saved")) + saveName;
    } catch (const std::exception& e) {
      savedMessage = e.what();
    }
  }
  ImGui::EndDisabled();
  std::string openName;
  for (const auto& r : saved) {
    if (r.formId != formId) continue;
    if (ImGui::Selectable((r.name + "##saved").c_str(), false)) openName = r.name;
  }
  if (!savedMessage.empty()) ImGui::TextDisabled("%s", savedMessage.c_str());
  if (!openName.empty())
    for (const auto& r : saved)
      if (r.name == openName) {
        setSpec(r.spec);
        saveName = r.name;
      }
  (void)s;
}

void ReportsView::drawChart(UiContext& ctx, float height) {
  if (!haveTable) return;
  const auto& t = table;
  const size_t nr = t.rowKeys.size(), nc = t.colKeys.size();
  std::vector<std::string> cats;
  for (size_t r = 0; r < nr; ++r)
    cats.push_back(t.kind == ReportKind::Series ? t.rowKeys[r] : rowLabel(ctx, t.rowKeys[r], t.rowLabels[r]));
  // Many categories: the chart keeps readable rows and scrolls.
  float chartH = height;
  const float th = ImGui::GetTextLineHeight();
  const bool scroll = t.kind != ReportKind::Series && static_cast<float>(nr) * th * 1.2f + 90 * ctx.scale > height;
  if (scroll) chartH = static_cast<float>(nr) * th * 1.2f + 90 * ctx.scale + (t.kind == ReportKind::Crosstab ? 3 * th : 0);
  struct ChildScope {
    bool on;
    ChildScope(bool o, float h) : on(o) {
      if (on) ImGui::BeginChild("##chartscroll", ImVec2(0, h), false);
    }
    ~ChildScope() {
      if (on) ImGui::EndChild();
    }
  } child(scroll, height);
  const ImVec2 size(0, chartH);
  const std::string axis = ctx.t(table.instancesOf.empty() ? "reports.number_of_records" : "reports.number_of_instances");
  if (t.kind == ReportKind::Frequency) {
    std::vector<double> v;
    for (size_t r = 0; r < nr; ++r) v.push_back(static_cast<double>(t.at(r, 0)));
    charts::barChart("##freq", cats, v, size, axis.c_str());
    return;
  }
  std::vector<charts::Series> series;
  for (size_t c = 0; c < nc; ++c) {
    charts::Series s;
    s.label = t.colField.empty() ? axis : rowLabel(ctx, t.colKeys[c], t.colLabels[c]);
    for (size_t r = 0; r < nr; ++r) {
      double v = static_cast<double>(t.at(r, c));
      if (t.kind == ReportKind::Crosstab && cells == Cells::RowPercent) v = t.rowPercent(r, c);
      s.values.push_back(v);
    }
    series.push_back(std::move(s));
  }
  if (t.kind == ReportKind::Crosstab) {
    const bool percent = cells == Cells::RowPercent;
    const std::string title = percent ? std::string(ctx.t("reports.percent_of_the_row")) : axis;
    charts::stackedBarChart("##cross", cats, series, size, percent, title.c_str());
  } else {
    charts::lineChart("##series", cats, series, size, periodLabel(ctx, period), axis.c_str());
  }
}

void ReportsView::drawTable(UiContext& ctx) {
  const auto rows = cellsText(ctx);
  if (rows.empty()) return;
  const int ncol = static_cast<int>(rows[0].size());
  if (ncol > 63) {
    ImGui::TextDisabled("%s", ctx.t("reports.too_many_columns"));
    return;
  }
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_Borders | ImGuiTableFlags_ScrollY |
                                ImGuiTableFlags_ScrollX | ImGuiTableFlags_SizingFixedFit;
  const float rowH = ImGui::GetTextLineHeight() + 2 * ImGui::GetStyle().CellPadding.y;
  const float want = rowH * static_cast<float>(rows.size()) + 8 + ImGui::GetStyle().ScrollbarSize;
  const ImVec2 outer(0, std::min(want, std::max(ImGui::GetContentRegionAvail().y, rowH * 4)));
  if (!ImGui::BeginTable("##reporttable", ncol, flags, outer)) return;
  ImGui::TableSetupScrollFreeze(1, 1);
  // Long headers (choice labels) are cut to share the width; the chart's
  // legend and the tooltip give them in full.
  float firstW = 0;
  for (const auto& r : rows) firstW = std::max(firstW, ImGui::CalcTextSize(r[0].c_str()).x);
  const float pad = 2 * ImGui::GetStyle().CellPadding.x + 2;
  const float colMax = std::max(70.0f * ctx.scale, (ImGui::GetContentRegionAvail().x - firstW - pad) / static_cast<float>(ncol - 1) - pad);
  std::vector<std::string> heads;
  for (int c = 0; c < ncol; ++c) heads.push_back(c == 0 ? rows[0][0] : charts::fitText(rows[0][c], colMax));
  for (int c = 0; c < ncol; ++c) ImGui::TableSetupColumn(heads[c].c_str());
  ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
  for (int c = 0; c < ncol; ++c) {
    ImGui::TableSetColumnIndex(c);
    ImGui::TableHeader(heads[c].c_str());
    if (heads[c] != rows[0][c] && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", rows[0][c].c_str());
  }
  for (size_t r = 1; r < rows.size(); ++r) {
    const bool total = r + 1 == rows.size();
    ImGui::TableNextRow();
    if (total) ImGui::PushFont(ctx.fontBold);
    for (int c = 0; c < ncol; ++c) {
      ImGui::TableNextColumn();
      const std::string& cell = rows[r][c];
      if (c > 0) {  // numbers right-aligned
        const float cw = ImGui::GetContentRegionAvail().x, tw = ImGui::CalcTextSize(cell.c_str()).x;
        if (cw > tw) ImGui::SetCursorPosX(ImGui::GetCursorPosX() + cw - tw);
      }
      ImGui::TextUnformatted(cell.c_str());
    }
    if (total) ImGui::PopFont();
  }
  ImGui::EndTable();
}

void ReportsView::draw(UiContext& ctx, store::Store& store, const std::vector<std::shared_ptr<const Form>>& forms) {
  const float s = ctx.scale;
  ImGui::PushFont(ctx.fontTitle);
  ImGui::TextUnformatted(ctx.t("reports.reports"));
  ImGui::PopFont();
  ImGui::SameLine(0, 24 * s);
  std::string preview = formId;
  for (const auto& f : forms)
    if (f->id == formId) preview = localized(f->title, ctx.lang);
  if (preview.empty()) preview = ctx.t("reports.pick_a_form");
  ImGui::SetNextItemWidth(360 * s);
  ImGui::SetCursorPosY(ImGui::GetCursorPosY() + 4 * s);
  if (ImGui::BeginCombo("##form", preview.c_str(), ImGuiComboFlags_HeightLarge)) {
    for (const auto& f : forms) {
      const std::string text = localized(f->title, ctx.lang) + "  ·  " + f->id;
      if (ImGui::Selectable(text.c_str(), f->id == formId)) open(store, f->id, workspacePath);
    }
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  ImGui::BeginDisabled(formId.empty());
  if (ImGui::Button(ctx.t("reports.refresh"))) open(store, formId, workspacePath);
  ImGui::SameLine();
  if (ImGui::Button(ctx.t("reports.export"))) exporter.open(store, formId, workspacePath, ctx.lang);
  ImGui::EndDisabled();
  if (ds) {
    ImGui::SameLine();
    std::string vs;
    for (size_t i = 0; i < ds->variables().versions.size(); ++i)
      vs += (i ? ", " : "") + std::to_string(ds->variables().versions[i]);
    ImGui::TextDisabled("%s %s · %lld %s", ctx.t("reports.versions"), vs.c_str(),
                        static_cast<long long>(ds->liveRows()), ctx.t("reports.records"));
  }
  ImGui::Separator();

  if (ds && (stale || ranLang != ctx.lang)) run(ctx.lang);
  if (openExporter && ds) {
    openExporter = false;
    exporter.open(store, formId, workspacePath, ctx.lang);
  }

  if (!ds) {
    ImGui::TextDisabled("%s", ctx.t("reports.pick_a_form_above"));
    if (!error.empty()) ImGui::TextColored(ImVec4(0.75f, 0.1f, 0.1f, 1), "%s", error.c_str());
    exporter.draw(ctx, store);
    return;
  }
  const float controlsW = 360 * s;
  ImGui::BeginChild("##rcontrols", ImVec2(controlsW, 0), false);
  drawControls(ctx, store);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("##rresult", ImVec2(0, 0), false);
  if (!error.empty()) ImGui::TextColored(ImVec4(0.75f, 0.1f, 0.1f, 1), "%s", error.c_str());
  if (haveTable) {
    ImGui::PushFont(ctx.fontBold);
    std::string title;
    if (table.kind == ReportKind::Frequency) title = table.rowLabel;
    else if (table.kind == ReportKind::Crosstab) title = table.rowLabel + " × " + table.colLabel;
    else {
      std::string p = periodLabel(ctx, period);
      p[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(p[0])));  // all ASCII first letters
      title = std::string(ctx.t("reports.records_per")) + p;
      if (!table.colField.empty()) title += std::string(ctx.t("reports.by")) + table.colLabel;
    }
    ImGui::TextUnformatted(title.c_str());
    ImGui::PopFont();
    ImGui::SameLine();
    if (table.instancesOf.empty())
      ImGui::TextDisabled("(%lld %s)", static_cast<long long>(table.records), ctx.t("reports.records"));
    else
      ImGui::TextDisabled("(%s)", ctx.tr.format("reports.instances_in_records", {std::to_string(table.instances),
                                                                                   std::to_string(table.records)}).c_str());
    const float avail = ImGui::GetContentRegionAvail().y;
    const float th = ImGui::GetTextLineHeightWithSpacing();
    float chartH = avail * 0.58f;
    if (table.kind != ReportKind::Series) {
      const float want = static_cast<float>(table.rowKeys.size()) * th * 1.25f + 90 * s;
      chartH = std::clamp(want, 300 * s, avail * 0.62f);
    }
    drawChart(ctx, chartH);
    ImGui::Spacing();
    drawTable(ctx);
  }
  ImGui::EndChild();
  exporter.draw(ctx, store);
}

}  // namespace skema::ui
