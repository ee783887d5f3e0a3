// [SECTION] index
//  - text and expression inputs (check as you type, ${ completion)
//  - tree of fields and groups
//  - property panel, choice list editor
//  - live preview (the entry renderer on the draft, a test record)
#include <algorithm>
#include <cstring>

#include "expr/functions.h"
#include "imgui.h"
#include "imgui_stdlib.h"
#include "keys.h"
#include "views/designer_util.h"
#include "views/designer_view.h"
#include "views/entry_logic.h"

namespace skema::ui {

using nlohmann::json;

// [SECTION] inputs

bool DesignerView::textInput(const char* label, const std::string& id, const std::string& current, std::string& out,
                             bool multiline, float width) {
  auto it = m_edit.find(id);
  if (it == m_edit.end()) it = m_edit.emplace(id, current).first;
  if (m_focusProp == id) {
    ImGui::SetKeyboardFocusHere();
    m_focusProp.clear();
  }
  ImGui::SetNextItemWidth(width);
  bool changed = multiline ? ImGui::InputTextMultiline(label, &it->second, ImVec2(width, ImGui::GetTextLineHeight() * 3.5f))
                           : ImGui::InputText(label, &it->second);
  out = it->second;
  if (!ImGui::IsItemActive()) m_edit.erase(it);
  return changed;
}

namespace {
// The `${partial` being typed before `cursor`, or npos.
size_t openRef(const std::string& text, size_t cursor, std::string& partial) {
  cursor = std::min(cursor, text.size());
  size_t start = text.rfind("${", cursor);
  if (start == std::string::npos || cursor < start + 2) return std::string::npos;
  partial = text.substr(start + 2, cursor - start - 2);
  for (char c : partial)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return std::string::npos;
  return start;
}

std::vector<std::string> completions(const std::vector<std::string>& names, const std::string& partial) {
  std::vector<std::string> out;
  for (const auto& n : names)
    if (n.compare(0, partial.size(), partial) == 0) out.push_back(n);
  return out;
}

struct CompleteState {
  DesignerView* v;
  int cursor = -1;
};

int completeCallback(ImGuiInputTextCallbackData* data) {
  auto* st = static_cast<CompleteState*>(data->UserData);
  DesignerView& v = *st->v;
  st->cursor = data->CursorPos;
  const bool accept = data->EventFlag == ImGuiInputTextFlags_CallbackCompletion ||
                      (data->EventFlag == ImGuiInputTextFlags_CallbackAlways && v.m_completeEnter);
  if (data->EventFlag == ImGuiInputTextFlags_CallbackHistory && v.m_completeShown) {
    v.m_completeIndex += data->EventKey == ImGuiKey_UpArrow ? -1 : 1;
    return 0;
  }
  if (!accept) return 0;
  v.m_completeEnter = false;
  const std::string text(data->Buf, static_cast<size_t>(data->BufTextLen));
  std::string partial;
  const size_t start = openRef(text, static_cast<size_t>(data->CursorPos), partial);
  if (start == std::string::npos) return 0;
  auto list = completions(v.m_names, partial);
  if (list.empty()) return 0;
  const std::string& pick = list[static_cast<size_t>(std::clamp(v.m_completeIndex, 0, static_cast<int>(list.size()) - 1))];
  data->DeleteChars(static_cast<int>(start), data->CursorPos - static_cast<int>(start));
  const std::string ins = "${" + pick + "}";
  data->InsertChars(static_cast<int>(start), ins.c_str());
  v.m_completeIndex = 0;
  return 0;
}
}  // namespace

bool DesignerView::exprInput(UiContext& ctx, const char* label, const std::string& id, const std::string& current,
                             std::string& out) {
  auto it = m_edit.find(id);
  if (it == m_edit.end()) it = m_edit.emplace(id, current).first;
  if (m_focusProp == id) {
    ImGui::SetKeyboardFocusHere();
    m_focusProp.clear();
  }
  // Enter accepts a shown completion (the callback inserts it this frame).
  static std::string s_lastActive;
  const bool wasShown = m_completeShown && s_lastActive == id;
  if (wasShown && (keyPressed(keys::kEnter, false) || keyPressed(keys::kKeypadEnter, false))) m_completeEnter = true;
  CompleteState st{this};
  ImGui::SetNextItemWidth(-1);
  const bool changed = ImGui::InputText(label, &it->second,
                                        ImGuiInputTextFlags_CallbackCompletion | ImGuiInputTextFlags_CallbackAlways |
                                            ImGuiInputTextFlags_CallbackHistory,
                                        completeCallback, &st);
  const bool active = ImGui::IsItemActive();
  const ImVec2 under(ImGui::GetItemRectMin().x, ImGui::GetItemRectMax().y);
  out = it->second;
  if (active) {
    s_lastActive = id;
    std::string partial;
    const size_t cursor = st.cursor >= 0 ? static_cast<size_t>(st.cursor) : it->second.size();
    bool shown = false;
    if (openRef(it->second, cursor, partial) != std::string::npos) {
      auto list = completions(m_names, partial);
      if (!list.empty()) {
        shown = true;
        m_completeIndex = std::clamp(m_completeIndex, 0, static_cast<int>(list.size()) - 1);
        ImGui::SetNextWindowPos(under);
        ImGui::BeginTooltip();
        for (size_t i = 0; i < list.size() && i < 12; ++i) {
          const bool cur = static_cast<int>(i) == m_completeIndex;
          if (cur) ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.05f, 0.3f, 0.7f, 1));
          ImGui::Text("%s%s", cur ? "▸ " : "  ", list[i].c_str());
          if (cur) ImGui::PopStyleColor();
        }
        ImGui::TextDisabled("%s", t("designer.props.complete_hint"));
        ImGui::EndTooltip();
      }
    }
    if (!shown) m_completeIndex = 0;
    m_completeShown = shown;
  } else {
    if (s_lastActive == id) m_completeShown = false;
    m_edit.erase(it);
  }
  m_completeEnter = false;
  const std::string problem = checkExpression(out, m_names, ctx.tr);
  if (!problem.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, kRed);
    ImGui::TextWrapped("%s", problem.c_str());
    ImGui::PopStyleColor();
  }
  return changed;
}

// [SECTION] tree

namespace {
void treeRows(DesignerView& v, const json& fields, int depth, const std::string& lang) {
  if (!fields.is_array()) return;
  for (const auto& f : fields) {
    const std::string name = f.value("name", "");
    const std::string type = f.value("type", "");
    std::string label;
    if (f.contains("label") && f["label"].is_object()) label = f["label"].value(lang, "");
    ImGui::PushID(name.c_str());
    ImGui::Indent(static_cast<float>(depth) * 14.0f + 1.0f);
    const bool sel = v.selected == name;
    const bool container = type == "group" || type == "repeat";
    const std::string text = (container ? "▾ " : "") + name;
    if (ImGui::Selectable(text.c_str(), sel, 0, ImVec2(0, 0))) v.selected = name;
    if (sel && v.m_scrollToSelected) {
      ImGui::SetScrollHereY();
      v.m_scrollToSelected = false;
    }
    // Drag and drop: drop a field onto another to place it before that one.
    if (ImGui::BeginDragDropSource()) {
      ImGui::SetDragDropPayload("SKEMA_FIELD", name.c_str(), name.size() + 1);
      ImGui::TextUnformatted(name.c_str());
      ImGui::EndDragDropSource();
    }
    if (ImGui::BeginDragDropTarget()) {
      if (const ImGuiPayload* p = ImGui::AcceptDragDropPayload("SKEMA_FIELD")) {
        const std::string moved(static_cast<const char*>(p->Data));
        if (moved != name && v.editor) {
          auto parent = v.editor->parentOf(name);
          std::string dummy;
          // index of `name` among its siblings
          const json* list = parent && !parent->empty() ? &(*v.editor->findField(*parent))["fields"]
                                                        : &v.editor->definition()["fields"];
          int idx = 0;
          for (size_t i = 0; i < list->size(); ++i)
            if ((*list)[i].value("name", "") == name) idx = static_cast<int>(i);
          if (container) v.apply(v.editor->moveInto(moved, name, 0));
          else if (parent) v.apply(v.editor->moveInto(moved, *parent, idx));
          v.selected = moved;
        }
      }
      ImGui::EndDragDropTarget();
    }
    ImGui::SameLine();
    ImGui::TextDisabled("%s", type.c_str());
    if (!label.empty()) {
      ImGui::SameLine();
      ImGui::TextDisabled("· %s", label.c_str());
    }
    ImGui::Unindent(static_cast<float>(depth) * 14.0f + 1.0f);
    if (container && f.contains("fields")) treeRows(v, f["fields"], depth + 1, lang);
    ImGui::PopID();
  }
}
}  // namespace

void DesignerView::drawTree(UiContext& ctx) {
  const std::string& lang = ctx.lang;
  ImGui::PushFont(ctx.fontBold);
  ImGui::TextUnformatted(t("designer.tree.title"));
  ImGui::PopFont();
  // Add: type + button (Insert).
  ImGui::SetNextItemWidth(120 * ctx.scale);
  if (ImGui::BeginCombo("##addtype", addType.c_str())) {
    for (const auto& t : fieldTypeNames())
      if (ImGui::Selectable(t.c_str(), t == addType)) addType = t;
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  if (ImGui::Button(t("designer.tree.add"))) addField(addType);
  const bool has = !selected.empty();
  ImGui::BeginDisabled(!has);
  // Small buttons that wrap to the next line when the panel is narrow.
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  bool first = true;
  auto button = [&](const char* label) {
    const float w = ImGui::CalcTextSize(label).x + ImGui::GetStyle().FramePadding.x * 2;
    if (!first && ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + w <= right) ImGui::SameLine();
    first = false;
    return ImGui::SmallButton(label);
  };
  if (button("↑")) moveSelected(-1);
  if (button("↓")) moveSelected(+1);
  if (button(t("designer.tree.move_in"))) moveIntoPrevious();
  if (button(t("designer.tree.move_out"))) moveOut();
  if (button(t("designer.tree.duplicate"))) duplicateSelected();
  if (button(t("designer.tree.delete"))) deleteSelected();
  ImGui::EndDisabled();
  ImGui::Separator();
  ImGui::BeginChild("##dtreerows");
  treeRows(*this, editor->definition().value("fields", json::array()), 0, lang);
  if (editor->fieldNames().empty())
    ImGui::TextDisabled("%s", t("designer.tree.empty"));
  ImGui::EndChild();
}

// [SECTION] properties

namespace {
std::vector<std::string> formLanguages(const json& def) {
  std::vector<std::string> out;
  if (def.contains("languages") && def["languages"].is_array())
    for (const auto& l : def["languages"])
      if (l.is_string()) out.push_back(l.get<std::string>());
  if (out.empty()) out = {"da", "en"};
  return out;
}

std::string str(const json& f, const std::string& key) {
  if (!f.contains(key)) return {};
  const json& v = f[key];
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number()) return v.dump();
  return {};
}

void rowLabel(const char* text) {
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(text);
  ImGui::TableNextColumn();
}
}  // namespace

void DesignerView::drawProperties(UiContext& ctx) {
  const json* fp = selected.empty() ? nullptr : editor->findField(selected);
  if (!fp) {
    // Form-level properties.
    ImGui::PushFont(ctx.fontBold);
    ImGui::TextUnformatted(t("designer.props.form"));
    ImGui::PopFont();
    const json& def = editor->definition();
    if (ImGui::BeginTable("##formprops", 2, ImGuiTableFlags_SizingStretchProp)) {
      ImGui::TableSetupColumn("k", ImGuiTableColumnFlags_WidthFixed, 150 * ctx.scale);
      ImGui::TableSetupColumn("v", ImGuiTableColumnFlags_WidthStretch);
      std::string out;
      rowLabel("Id");
      textInput("##formid", "form.id", def.value("id", ""), out);
      if (ImGui::IsItemDeactivatedAfterEdit() && out != def.value("id", "")) apply(editor->setFormProperty("id", out));
      // Title and description in each of the form's languages.
      for (const char* key : {"title", "description"}) {
        for (const auto& l : formLanguages(def)) {
          rowLabel((std::string(t(key[0] == 't' ? "designer.props.title" : "designer.props.description")) + " (" + l +
                    ")").c_str());
          std::string cur = def.contains(key) && def[key].is_object() ? def[key].value(l, "") : "";
          if (textInput(("##" + std::string(key) + "." + l).c_str(), std::string("form.") + key + "." + l, cur, out,
                        key[0] == 'd')) {
            json text = def.value(key, json::object());
            text[l] = out;
            apply(editor->setFormProperty(key, text));
          }
        }
      }
      // Languages every label must have, e.g. "da, en": the checker then
      // lists each text that lacks one.
      rowLabel(t("designer.props.languages"));
      std::string langs;
      for (const auto& l : formLanguages(def)) langs += (langs.empty() ? "" : ", ") + l;
      textInput("##languages", "form.languages", langs, out);
      if (ImGui::IsItemDeactivatedAfterEdit() && out != langs) {
        std::replace(out.begin(), out.end(), ',', ' ');
        apply(editor->setFormProperty("languages", expr::splitSelected(out)));
      }
      ImGui::EndTable();
    }
    ImGui::TextDisabled("%s", t("designer.props.select_field"));
    return;
  }
  const json f = *fp;  // a copy: edits below change the definition
  const std::string type = f.value("type", "");
  ImGui::PushFont(ctx.fontBold);
  ImGui::Text("%s  ·  %s", selected.c_str(), type.c_str());
  ImGui::PopFont();
  drawDiagnostics(editor->diagnostics().items(), selected);

  const std::string name = selected;
  auto set = [&](const std::string& key, const json& value) { apply(editor->setProperty(name, key, value)); };
  const auto langs = formLanguages(editor->definition());
  const float s = ctx.scale;
  std::string out;
  if (!ImGui::BeginTable("##props", 2, ImGuiTableFlags_SizingStretchProp)) return;
  ImGui::TableSetupColumn("k", ImGuiTableColumnFlags_WidthFixed, 190 * s);
  ImGui::TableSetupColumn("v", ImGuiTableColumnFlags_WidthStretch);

  rowLabel(t("designer.props.name"));
  {
    std::string cur = name;
    textInput("##name", "name", cur, out);
    if (ImGui::IsItemDeactivatedAfterEdit() && out != name) {
      auto r = editor->renameField(name, out);
      if (apply(r)) selected = out;
    }
  }
  rowLabel("Type");
  ImGui::SetNextItemWidth(-1);
  if (ImGui::BeginCombo("##type", type.c_str())) {
    for (const auto& t : fieldTypeNames())
      if (ImGui::Selectable(t.c_str(), t == type)) set("type", t);
    ImGui::EndCombo();
  }
  auto localizedRows = [&](const char* key, const char* text, bool multiline) {
    std::string codes;
    for (const auto& l : langs) codes += (codes.empty() ? "" : "/") + l;
    rowLabel((std::string(t(text)) + " (" + codes + ")").c_str());
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float w = (ImGui::GetContentRegionAvail().x - spacing * static_cast<float>(langs.size() - 1)) /
                    static_cast<float>(langs.size());
    for (size_t li = 0; li < langs.size(); ++li) {
      const std::string& l = langs[li];
      if (li > 0) ImGui::SameLine();
      std::string cur = f.contains(key) && f[key].is_object() ? f[key].value(l, "") : "";
      const std::string id = std::string(key) + "." + l;
      if (textInput(("##" + id).c_str(), id, cur, out, multiline, w)) {
        json t = f.contains(key) && f[key].is_object() ? f[key] : json::object();
        t[l] = out;
        bool empty = true;
        for (auto itv = t.begin(); itv != t.end(); ++itv)
          empty = empty && itv->is_string() && itv->get<std::string>().empty();
        set(key, empty ? json() : t);
      }
    }
  };
  const bool isContainer = type == "group" || type == "repeat";
  if (type != "calculate") localizedRows("label", "designer.props.label", false);
  if (type != "calculate") localizedRows("hint", "designer.props.hint", false);

  auto exprRow = [&](const char* key, const char* text) {
    rowLabel(t(text));
    if (exprInput(ctx, ("##" + std::string(key)).c_str(), key, str(f, key), out))
      set(key, out.empty() ? json() : json(out));
  };
  if (!isContainer && type != "note" && type != "calculate") {
    rowLabel(t("designer.props.required"));
    bool req = f.contains("required") && f["required"].is_boolean() && f["required"].get<bool>();
    if (ImGui::Checkbox("##required", &req)) set("required", req ? json(true) : json());
    ImGui::SameLine();
    ImGui::TextDisabled("%s", t("designer.props.or_when"));
    rowLabel(t("designer.props.required_when"));
    if (exprInput(ctx, "##requiredexpr", "required", f.contains("required") && f["required"].is_string() ? str(f, "required") : "", out))
      set("required", out.empty() ? json() : json(out));
    localizedRows("required_message", "designer.props.required_message", false);
  }
  exprRow("relevant", "designer.props.relevant");
  if (!isContainer && type != "note") {
    if (type != "calculate") {
      exprRow("constraint", "designer.props.constraint");
      localizedRows("constraint_message", "designer.props.constraint_message", false);
    }
    exprRow("calculation", "designer.props.calculation");
    if (type != "calculate") exprRow("default", "designer.props.default");
  }
  const bool isSelect = type == "select_one" || type == "select_multiple";
  if (isSelect) {
    rowLabel(t("designer.props.choice_list"));
    const std::string list = str(f, "choices");
    ImGui::SetNextItemWidth(-1);
    if (ImGui::BeginCombo("##choices", list.c_str())) {
      const json& lists = editor->definition().value("choices", json::object());
      for (auto& [ln, _] : lists.items())
        if (ImGui::Selectable(ln.c_str(), ln == list)) set("choices", ln);
      if (ImGui::Selectable(t("designer.props.new_list"))) {
        const std::string ln = editor->freeName(name);
        if (apply(editor->addChoiceList(ln))) {
          apply(editor->addChoice(ln, "option_1"));
          set("choices", ln);
        }
      }
      ImGui::EndCombo();
    }
    exprRow("choice_filter", "designer.props.choice_filter");
  }
  if (!isContainer) {
    rowLabel(t("designer.props.sensitive"));
    bool b = f.value("sensitive", false);
    if (ImGui::Checkbox("##sensitive", &b)) set("sensitive", b ? json(true) : json());
    rowLabel(t("designer.props.read_only"));
    b = f.value("read_only", false);
    if (ImGui::Checkbox("##read_only", &b)) set("read_only", b ? json(true) : json());
  }
  if (type == "range" || type == "integer" || type == "decimal") {
    for (const char* key : {"min", "max", "step"}) {
      rowLabel(key);
      if (textInput((std::string("##") + key).c_str(), key, str(f, key), out)) {
        if (out.empty()) set(key, json());
        else {
          char* end = nullptr;
          double d = std::strtod(out.c_str(), &end);
          if (end && *end == '\0') set(key, d == static_cast<long long>(d) ? json(static_cast<long long>(d)) : json(d));
        }
      }
    }
  }
  if (!isContainer) {
    rowLabel(t("designer.props.appearance"));
    const std::string ap = str(f, "appearance");
    ImGui::SetNextItemWidth(-1);
    if (ImGui::BeginCombo("##appearance", ap.empty() ? "–" : ap.c_str())) {
      for (const char* a : {"", "multiline", "minimal", "likert"})
        if (ImGui::Selectable(*a ? a : "–", ap == a)) set("appearance", *a ? json(a) : json());
      ImGui::EndCombo();
    }
  }
  ImGui::EndTable();
  if (isSelect && !str(f, "choices").empty()) drawChoices(ctx, str(f, "choices"));
}

void DesignerView::drawChoices(UiContext& ctx, const std::string& list) {
  ImGui::Spacing();
  ImGui::Separator();
  ImGui::PushFont(ctx.fontBold);
  ImGui::Text("%s: %s", t("designer.choices.title"), list.c_str());
  ImGui::PopFont();
  const json& lists = editor->definition().value("choices", json::object());
  const json choices = lists.contains(list) && lists[list].is_array() ? lists[list] : json::array();
  if (!lists.contains(list))
    ImGui::TextDisabled("%s", t("designer.choices.shared"));
  const auto langs = formLanguages(editor->definition());
  std::string out;
  if (ImGui::BeginTable("##choicetable", static_cast<int>(langs.size()) + 2,
                        ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH)) {
    ImGui::TableSetupColumn(t("designer.choices.name"), ImGuiTableColumnFlags_WidthFixed, 110 * ctx.scale);
    for (const auto& l : langs) ImGui::TableSetupColumn(l.c_str(), ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("##ops", ImGuiTableColumnFlags_WidthFixed, 118 * ctx.scale);
    ImGui::TableHeadersRow();
    for (size_t i = 0; i < choices.size(); ++i) {
      const json& c = choices[i];
      const std::string cname = c.value("name", "");
      ImGui::PushID(static_cast<int>(i));
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      // A choice of the published version keeps its name (its records hold
      // it); one added in this draft can be given a real one.
      const auto base = editor->baseChoices().find(list);
      if (base != editor->baseChoices().end() && base->second.count(cname)) {
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(cname.c_str());
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", t("designer.choices.name_kept"));
      } else {
        textInput("##name", "choice." + list + "." + cname + ".name", cname, out, false, -1);
        if (ImGui::IsItemDeactivatedAfterEdit() && out != cname) apply(editor->renameChoice(list, cname, out));
      }
      for (const auto& l : langs) {
        ImGui::TableNextColumn();
        std::string cur = c.contains("label") && c["label"].is_object() ? c["label"].value(l, "") : "";
        const std::string id = "choice." + list + "." + cname + "." + l;
        if (textInput(("##" + l).c_str(), id, cur, out)) apply(editor->setChoiceLabel(list, cname, l, out));
      }
      ImGui::TableNextColumn();
      if (ImGui::SmallButton("↑") && i > 0) apply(editor->moveChoice(list, cname, static_cast<int>(i) - 1));
      ImGui::SameLine();
      if (ImGui::SmallButton("↓")) apply(editor->moveChoice(list, cname, static_cast<int>(i) + 1));
      ImGui::SameLine();
      if (ImGui::SmallButton("×")) apply(editor->removeChoice(list, cname));
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  if (ImGui::Button(t("designer.choices.add"))) {
    std::string base = "option_" + std::to_string(choices.size() + 1);
    apply(editor->addChoice(list, base));
  }
  ImGui::TextDisabled("%s", t("designer.choices.paste_hint"));
  ImGui::InputTextMultiline("##paste", &pasteText, ImVec2(-1, ImGui::GetTextLineHeight() * 4));
  static bool replace = false;
  if (ImGui::Button(t("designer.choices.import")) && !pasteText.empty()) {
    if (apply(editor->importChoices(list, pasteText, replace))) pasteText.clear();
  }
  ImGui::SameLine();
  ImGui::Checkbox(t("designer.choices.replace"), &replace);
}

// [SECTION] preview

void DesignerView::refreshPreview(const std::string& lang, const Translator& ui) {
  if (!editor || previewGeneration == generation) return;
  previewGeneration = generation;
  if (!editor->form()) return;  // errors: keep the last valid preview
  auto f = std::make_shared<const Form>(*editor->form());
  auto logic = makeEntryLogic(*f, lang, ui);
  json values = preview.values;
  const std::string focus = preview.m_focus;
  preview.logic = logic.get();
  preview.open(f, values);
  preview.m_requestIndex = -1;  // never take the keyboard from the designer
  preview.m_focus = focus;
  previewLogic = std::move(logic);
  previewForm = std::move(f);
}

void DesignerView::drawPreview(UiContext& ctx) {
  const std::string uiLang = ctx.lang;
  if (previewLang.empty()) previewLang = uiLang;
  ImGui::PushFont(ctx.fontBold);
  ImGui::TextUnformatted(t("designer.preview.title"));
  ImGui::PopFont();
  ImGui::SameLine();
  if (ImGui::RadioButton("da", previewLang == "da")) previewLang = "da";
  ImGui::SameLine();
  if (ImGui::RadioButton("en", previewLang == "en")) previewLang = "en";
  ImGui::SameLine();
  if (ImGui::SmallButton(t("designer.preview.reset"))) {
    preview.values = json::object();
    ++generation;
    previewGeneration = -1;
  }
  refreshPreview(previewLang, ctx.tr);
  if (!editor->form())
    ImGui::TextColored(kAmber, "%s", t("designer.preview.draft_errors"));
  ImGui::TextDisabled("%s", t("designer.preview.test_record"));
  ImGui::Separator();
  if (!previewForm) {
    ImGui::TextDisabled("%s", t("designer.preview.empty"));
    return;
  }
  // The entry view reacts to keys only when the preview has the keyboard.
  ImGui::BeginChild("##previewentry");
  m_previewFocused = ImGui::IsWindowFocused(ImGuiFocusedFlags_ChildWindows);
  ImGuiIO& io = ImGui::GetIO();
  bool saved[IM_ARRAYSIZE(io.KeysDown)];
  float savedDur[IM_ARRAYSIZE(io.KeysDownDuration)];
  if (!m_previewFocused) {
    std::memcpy(saved, io.KeysDown, sizeof saved);
    std::memcpy(savedDur, io.KeysDownDuration, sizeof savedDur);
    std::memset(io.KeysDown, 0, sizeof io.KeysDown);
    for (float& d : io.KeysDownDuration) d = -1.0f;
  }
  ctx.lang = previewLang;
  EntryAction a = preview.draw(ctx);
  ctx.lang = uiLang;
  if (!m_previewFocused) {
    std::memcpy(io.KeysDown, saved, sizeof saved);
    std::memcpy(io.KeysDownDuration, savedDur, sizeof savedDur);
  }
  if (a == EntryAction::Finalise) {
    int n = preview.validate(ctx);
    preview.statusLine = n ? format("designer.preview.problems", {std::to_string(n)}) : t("designer.preview.valid");
    preview.statusIsError = n > 0;
  } else if (a == EntryAction::New) {
    preview.values = json::object();
    previewGeneration = -1;
  }
  ImGui::EndChild();
}

}  // namespace skema::ui
