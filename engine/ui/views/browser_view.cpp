#include "views/browser_view.h"

#include <algorithm>
#include <chrono>

#include "imgui.h"
#include "imgui_stdlib.h"
#include "keys.h"

namespace skema::ui {

void BrowserView::open(const std::string& id, std::shared_ptr<const Form> f) {
  if (id != formId) {
    filter.clear();
    appliedFilter.clear();
    statusFilter.clear();
    sortBy.clear();
    descending = false;
    selected = -1;
  }
  formId = id;
  form = std::move(f);
  columns.clear();
  hasPersonCode = false;
  if (form)
    for (const auto& fl : form->fields) hasPersonCode = hasPersonCode || fl.type == FieldType::PersonCode;
  if (form) {
    form->forEachField([&](const Field& fl) {
      if (columns.size() >= 4) return;
      if (!holdsValue(fl.type) || fl.type == FieldType::PersonCode || fl.type == FieldType::Calculate) return;
      // Top-level fields only (not inside repeats).
      if (fl.path.find('/') != std::string::npos) {
        const Field* parent = form->findField(fl.path.substr(0, fl.path.find('/')));
        if (!parent || parent->type == FieldType::Repeat) return;
      }
      columns.push_back(&fl);
    });
  }
  stale = true;
  focusTable = true;
}

store::RecordQuery BrowserView::query() const {
  store::RecordQuery q;
  q.formId = formId;
  q.text = appliedFilter;
  q.sortBy = sortBy;
  q.descending = descending;
  if (auto st = store::statusFromName(statusFilter)) q.status = *st;
  return q;
}

const store::Record* BrowserView::row(store::Store& st, std::int64_t index, std::int64_t first, std::int64_t last) {
  if (index >= cacheOffset && index < cacheOffset + static_cast<std::int64_t>(cache.size()))
    return &cache[static_cast<size_t>(index - cacheOffset)];
  // Fetch a window around what is visible.
  store::RecordQuery q = query();
  q.offset = std::max<std::int64_t>(0, first - 64);
  q.limit = (last - first) + 192;
  q.withTotal = false;
  try {
    auto t0 = std::chrono::steady_clock::now();
    auto page = st.query(q);
    lastQueryMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    cacheOffset = q.offset;
    cache = std::move(page.records);
  } catch (const store::StoreError& e) {
    error = e.what();
    cache.clear();
  }
  if (index >= cacheOffset && index < cacheOffset + static_cast<std::int64_t>(cache.size()))
    return &cache[static_cast<size_t>(index - cacheOffset)];
  return nullptr;
}

namespace {
std::string cellText(const Field& f, const nlohmann::json& values, const Form& form, const std::string& lang) {
  if (!values.contains(f.name)) return {};
  const auto& v = values[f.name];
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    if (f.type == FieldType::SelectOne)
      if (const ChoiceList* l = form.findChoices(f.choices))
        if (const Choice* c = l->find(s)) return localized(c->label, lang);
    return s;
  }
  return v.dump();
}
}  // namespace

BrowserView::Result BrowserView::draw(UiContext& ctx, store::Store& st) {
  Result result;
  const float s = ctx.scale;
  if (stale) {
    // One count per change of filter/sort; rows come in pages.
    try {
      store::RecordQuery q = query();
      q.limit = 0;
      q.withTotal = true;
      total = st.query(q).total;
      error.clear();
    } catch (const store::StoreError& e) {
      error = e.what();
      total = 0;
    }
    cache.clear();
    cacheOffset = 0;
    stale = false;
    if (selected >= total) selected = total - 1;
  }

  ImGui::PushFont(ctx.fontTitle);
  ImGui::TextUnformatted(form ? localized(form->title, ctx.lang).c_str() : formId.c_str());
  ImGui::PopFont();
  ImGui::TextDisabled("%s · %s", formId.c_str(), ctx.tr.format("browser.count", {std::to_string(total)}).c_str());

  // Filter row.
  if ((ctrlDown() && keyPressed(keys::kF, false)) || focusFilter) {
    ImGui::SetKeyboardFocusHere();
    focusFilter = false;
  }
  ImGui::SetNextItemWidth(320 * s);
  if (ImGui::InputTextWithHint("##filter", ctx.t("browser.filter_hint"), &filter)) filterEditTime = ImGui::GetTime();
  const bool filterActive = ImGui::IsItemActive();
  if (filter != appliedFilter && ImGui::GetTime() - filterEditTime > 0.25) {
    appliedFilter = filter;
    stale = true;
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(150 * s);
  const char* statusLabels[] = {ctx.t("browser.status_all"), ctx.t("entry.status.draft"), ctx.t("entry.status.final")};
  const char* statusNames[] = {"", "draft", "final"};
  int si = statusFilter == "draft" ? 1 : statusFilter == "final" ? 2 : 0;
  if (ImGui::Combo("##status", &si, statusLabels, 3)) {
    statusFilter = statusNames[si];
    stale = true;
  }
  ImGui::SameLine();
  if (ImGui::Button(ctx.t("entry.action.new"))) result.kind = Result::Kind::New;
  if (!error.empty()) ImGui::TextColored(ImVec4(0.75f, 0.1f, 0.1f, 1), "%s", error.c_str());

  // Keyboard: Up/Down select, Enter open, Ctrl+N new, Esc leave.
  const bool typing = ImGui::IsAnyItemActive() && !filterActive;
  bool scrollToSelected = false;
  if (!typing && ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows)) {
    if (keyPressed(keys::kDown)) selected = std::min(selected + 1, total - 1), scrollToSelected = true;
    if (keyPressed(keys::kUp)) selected = std::max<std::int64_t>(selected - 1, 0), scrollToSelected = true;
    if (keyPressed(keys::kPageDown)) selected = std::min(selected + 20, total - 1), scrollToSelected = true;
    if (keyPressed(keys::kPageUp)) selected = std::max<std::int64_t>(selected - 20, 0), scrollToSelected = true;
    if (ctrlDown() && keyPressed(keys::kN, false)) result.kind = Result::Kind::New;
    if (keyPressed(keys::kEscape, false) && !filterActive) result.kind = Result::Kind::Leave;
  }
  const bool enter = keyPressed(keys::kEnter, false) || keyPressed(keys::kKeypadEnter, false);

  const int ncols = 4 + static_cast<int>(columns.size());
  const ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_RowBg | ImGuiTableFlags_Borders |
                                ImGuiTableFlags_ScrollY | ImGuiTableFlags_Resizable | ImGuiTableFlags_Reorderable |
                                ImGuiTableFlags_Hideable | ImGuiTableFlags_SizingStretchProp;
  if (ImGui::BeginTable("##records", ncols, flags, ImVec2(0, -ImGui::GetFrameHeightWithSpacing()))) {
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn(ctx.t("browser.col.status"), ImGuiTableColumnFlags_WidthFixed, 80 * s, 0);
    ImGui::TableSetupColumn(ctx.t("browser.col.person"),
                            ImGuiTableColumnFlags_WidthFixed | (hasPersonCode ? 0 : ImGuiTableColumnFlags_DefaultHide),
                            100 * s, 1);
    for (size_t i = 0; i < columns.size(); ++i)
      ImGui::TableSetupColumn(localized(columns[i]->label, ctx.lang).c_str(), 0, 1.0f, static_cast<ImGuiID>(10 + i));
    ImGui::TableSetupColumn(ctx.t("browser.col.version"), ImGuiTableColumnFlags_WidthFixed | ImGuiTableColumnFlags_NoSort, 50 * s, 2);
    ImGui::TableSetupColumn(ctx.t("browser.col.updated"), ImGuiTableColumnFlags_WidthFixed | ImGuiTableColumnFlags_DefaultSort | ImGuiTableColumnFlags_PreferSortDescending, 150 * s, 3);
    ImGui::TableHeadersRow();

    if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs && specs->SpecsDirty) {
      if (specs->SpecsCount > 0) {
        const ImGuiTableColumnSortSpecs& c = specs->Specs[0];
        const ImGuiID id = c.ColumnUserID;
        std::string key = id == 0 ? "_status" : id == 1 ? "_person_code" : id == 3 ? "_updated_at"
                          : (id >= 10 && id - 10 < columns.size()) ? columns[id - 10]->name : "";
        sortBy = key;
        descending = c.SortDirection == ImGuiSortDirection_Descending;
        // Sorting a big form by a field needs an index (made once, kept).
        if (!key.empty() && key[0] != '_') {
          try {
            st.ensureFieldIndex(formId, key);
          } catch (const store::StoreError& e) {
            error = e.what();
          }
        }
      }
      specs->SpecsDirty = false;
      stale = true;
    }

    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(std::min<std::int64_t>(total, 2000000000)));
    if (scrollToSelected && selected >= 0) clipper.ForceDisplayRangeByIndices(static_cast<int>(selected), static_cast<int>(selected) + 1);
    while (clipper.Step()) {
      for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
        const store::Record* rec = row(st, r, clipper.DisplayStart, clipper.DisplayEnd);
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        if (!rec) {
          ImGui::TextDisabled("…");
          continue;
        }
        ImGui::PushID(r);
        const bool sel = selected == r;
        const bool isFinal = rec->status == store::RecordStatus::Final;
        if (ImGui::Selectable(isFinal ? ctx.t("entry.status.final") : ctx.t("entry.status.draft"), sel,
                              ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowDoubleClick)) {
          selected = r;
          if (ImGui::IsMouseDoubleClicked(0)) result = {Result::Kind::Open, rec->id};
        }
        if (sel && scrollToSelected) ImGui::SetScrollHereY(0.5f);
        if (sel && enter && !typing) result = {Result::Kind::Open, rec->id};
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(rec->personCode.c_str());
        for (const Field* f : columns) {
          ImGui::TableNextColumn();
          ImGui::TextUnformatted(cellText(*f, rec->values, *form, ctx.lang).c_str());
        }
        ImGui::TableNextColumn();
        ImGui::Text("%d", rec->formVersion);
        ImGui::TableNextColumn();
        std::string when = rec->updatedAt.substr(0, 16);
        if (when.size() > 10) when[10] = ' ';
        ImGui::TextUnformatted(when.c_str());
        ImGui::PopID();
      }
    }
    ImGui::EndTable();
  }
  ImGui::TextDisabled("%s", ctx.t("browser.keys_hint"));
  return result;
}

}  // namespace skema::ui
