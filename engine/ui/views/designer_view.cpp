// [SECTION] index
//  - opening a draft, edit actions (tree operations), keep / publish
//  - top bar: version line, problems, diff, publish dialog; keys
// The panels (tree, properties, choices, preview) are in designer_panels.cpp.
#include "views/designer_view.h"

#include <algorithm>

#include "design/form_draft.h"
#include "expr/parser.h"
#include "imgui.h"
#include "keys.h"
#include "views/designer_util.h"
#include "views/entry_logic.h"

namespace skema::ui {

using nlohmann::json;

// [SECTION] opening

bool DesignerView::open(store::Store& st, const std::string& spec, const store::Actor& actor,
                        const std::string& root) {
  // "FORM_ID", "FORM_ID:FIELD" (the field selected, for screenshots) or
  // "FORM_ID:-" (none: the form's own properties).
  const auto colon = spec.find(':');
  const std::string formId = spec.substr(0, colon);
  if (colon != std::string::npos) {
    if (!open(st, formId, actor, root)) return false;
    if (spec.substr(colon + 1) == "-") selected.clear();
    else if (editor->findField(spec.substr(colon + 1))) selected = spec.substr(colon + 1);
    m_scrollToSelected = true;
    return true;
  }
  // The same form's draft is still open (e.g. back from another view): keep it.
  if (editor && store == &st && editor->definition().value("id", "") == formId &&
      editor->definition().value("version", 0) > st.latestFormVersion(formId).value_or(0))
    return true;
  store = &st;
  who = actor;
  formsRoot = root;
  if (formId == "new") {  // a new form: an id not used in the workspace
    std::string id = "new.form";
    for (int i = 2; st.latestFormVersion(id) || st.formDraft(id); ++i) id = "new.form_" + std::to_string(i);
    openNew(id, {{"da", "Ny formular"}, {"en", "New form"}});
    return true;
  }
  auto ed = design::openDraft(st, formId);
  if (!ed) return false;
  std::shared_ptr<const Form> base;
  if (auto latest = st.latestFormVersion(formId)) base = st.form(formId, *latest);
  openEditor(std::move(*ed), base);
  return true;
}

void DesignerView::openNew(const std::string& formId, const LocalizedText& title) {
  json def = {{"format", "skema-form/1"}, {"id", formId}, {"version", 1}, {"title", title},
              {"fields", json::array()}};
  openEditor(design::FormEditor(def), nullptr);
}

void DesignerView::openEditor(design::FormEditor ed, std::shared_ptr<const Form> base) {
  editor.emplace(std::move(ed));
  published = std::move(base);
  selected.clear();
  auto names = editor->fieldNames();
  if (!names.empty()) selected = names.front();
  statusLine.clear();
  statusIsError = false;
  diff.reset();
  diffGeneration = previewGeneration = -1;
  ++generation;
  preview.values = json::object();
  previewForm.reset();
  m_edit.clear();
  keptGeneration = generation;
}

// [SECTION] edit actions

bool DesignerView::apply(const design::EditResult& r) {
  if (!r) {
    statusLine = r.error;
    statusIsError = true;
    return false;
  }
  statusLine.clear();
  statusIsError = false;
  ++generation;
  if (!selected.empty() && !editor->findField(selected)) selected.clear();
  return true;
}

std::vector<std::string> DesignerView::treeOrder() const {
  return editor ? editor->fieldNames() : std::vector<std::string>{};
}

namespace {
// The index of `name` among its siblings, -1 if unknown.
int siblingIndex(const design::FormEditor& ed, const std::string& name, std::string* parentOut = nullptr) {
  auto parent = ed.parentOf(name);
  if (!parent) return -1;
  if (parentOut) *parentOut = *parent;
  const json* list = nullptr;
  if (parent->empty()) list = ed.definition().contains("fields") ? &ed.definition()["fields"] : nullptr;
  else if (const json* p = ed.findField(*parent); p && p->contains("fields")) list = &(*p)["fields"];
  if (!list || !list->is_array()) return -1;
  for (size_t i = 0; i < list->size(); ++i)
    if ((*list)[i].value("name", "") == name) return static_cast<int>(i);
  return -1;
}
bool isContainer(const json* f) {
  if (!f) return false;
  const std::string t = f->value("type", "");
  return t == "group" || t == "repeat";
}
}  // namespace

bool DesignerView::addField(const std::string& type) {
  if (!editor) return false;
  std::string parent;
  int index = -1;
  if (!selected.empty()) {
    int i = siblingIndex(*editor, selected, &parent);
    if (i >= 0) index = i + 1;
  }
  auto r = editor->addField(type, {}, parent, index);
  if (!apply(r)) return false;
  selected = r.name;
  // Convenience: a container gets a first field, a select its own list.
  if (type == "group" || type == "repeat") {
    apply(editor->addField("text", {}, r.name));
    selected = r.name;
  } else if (type == "select_one" || type == "select_multiple") {
    if (apply(editor->addChoiceList(r.name))) {
      apply(editor->addChoice(r.name, "option_1"));
      apply(editor->setProperty(r.name, "choices", r.name));
    }
    selected = r.name;
  }
  return true;
}

bool DesignerView::duplicateSelected() {
  if (!editor || selected.empty()) return false;
  auto r = editor->duplicateField(selected);
  if (!apply(r)) return false;
  selected = r.name;
  return true;
}

bool DesignerView::deleteSelected() {
  if (!editor || selected.empty()) return false;
  auto order = treeOrder();
  auto it = std::find(order.begin(), order.end(), selected);
  std::string next;
  if (it != order.end() && it + 1 != order.end()) next = *(it + 1);
  else if (it != order.end() && it != order.begin()) next = *(it - 1);
  const std::string gone = selected;
  if (!apply(editor->deleteField(gone))) return false;
  selected = editor->findField(next) ? next : std::string();
  if (selected.empty() && !editor->fieldNames().empty()) selected = editor->fieldNames().front();
  return true;
}

bool DesignerView::moveSelected(int delta) {
  if (!editor || selected.empty()) return false;
  return apply(delta < 0 ? editor->moveUp(selected) : editor->moveDown(selected));
}

bool DesignerView::moveIntoPrevious() {
  if (!editor || selected.empty()) return false;
  std::string parent;
  int i = siblingIndex(*editor, selected, &parent);
  if (i <= 0) return false;
  const json* list = parent.empty() ? &editor->definition()["fields"] : &(*editor->findField(parent))["fields"];
  const json& prev = (*list)[static_cast<size_t>(i - 1)];
  if (!isContainer(&prev)) {
    statusLine = t("designer.status.not_group");
    statusIsError = true;
    return false;
  }
  return apply(editor->moveInto(selected, prev.value("name", "")));
}

bool DesignerView::moveOut() {
  if (!editor || selected.empty()) return false;
  auto parent = editor->parentOf(selected);
  if (!parent || parent->empty()) return false;
  std::string grand;
  int i = siblingIndex(*editor, *parent, &grand);
  return apply(editor->moveInto(selected, grand, i + 1));
}

bool DesignerView::keepDraft() {
  if (!editor) return false;
  if (!store) {
    statusLine = t("designer.status.no_workspace_draft");
    statusIsError = true;
    return false;
  }
  try {
    design::keepDraft(*store, *editor, who);
    keptGeneration = generation;
    statusLine = t("designer.status.draft_kept");
    statusIsError = false;
    return true;
  } catch (const std::exception& e) {
    statusLine = e.what();
    statusIsError = true;
    return false;
  }
}

bool DesignerView::publish() {
  publishErrors.clear();
  if (!editor) return false;
  editor->recheck();
  for (const auto& d : editor->diagnostics().items())
    if (d.severity == Severity::Error) publishErrors.push_back(d);
  if (!publishErrors.empty()) {
    statusLine = format("designer.status.publish_errors", {std::to_string(publishErrors.size())});
    statusIsError = true;
    return false;
  }
  if (!store) {
    statusLine = t("designer.status.no_workspace");
    statusIsError = true;
    return false;
  }
  try {
    auto r = design::publishDraft(*store, *editor, formsRoot, who);
    publishErrors = r.errors;
    if (!r.published) {
      statusLine = r.message;
      statusIsError = true;
      return false;
    }
    const std::string id = editor->form()->id;
    const int version = editor->form()->version;
    const std::string keepSelected = selected;
    open(*store, id, who, formsRoot);
    if (editor->findField(keepSelected)) selected = keepSelected;
    statusLine = format("designer.status.published", {std::to_string(version)}) +
                 (r.file.empty() ? std::string() : " · " + r.file);
    statusIsError = false;
    return true;
  } catch (const std::exception& e) {
    statusLine = e.what();
    statusIsError = true;
    return false;
  }
}

void designerPublished(std::vector<std::shared_ptr<const Form>>& forms, const DesignerView& v) {
  if (!v.published) return;
  for (auto& f : forms)
    if (f->id == v.published->id) {
      f = v.published;
      return;
    }
  forms.push_back(v.published);
}

std::string designerVersionLine(const DesignerView& v, const Translator& tr) {
  if (!v.editor) return {};
  const std::string ver = std::to_string(v.editor->definition().value("version", 0));
  if (v.published) return tr.format("designer.version.revises", {ver, std::to_string(v.published->version)});
  return tr.format("designer.version.new_form", {ver});
}

std::string checkExpression(const std::string& text, const std::vector<std::string>& names, const Translator& tr) {
  if (text.empty()) return {};
  auto r = expr::parse(text);
  if (!r.ok())
    return tr.format("designer.expr.column", {std::to_string(r.error.column), r.error.message});
  std::vector<const expr::Node*> refs;
  expr::collectRefs(*r.root, refs);
  for (const auto* n : refs)
    if (std::find(names.begin(), names.end(), n->name) == names.end())
      return tr.format("designer.expr.unknown_field", {n->name});
  return {};
}

// [SECTION] drawing: layout, top bar, keys

DesignerView::Action DesignerView::draw(UiContext& ctx) {
  Action action = Action::None;
  tr = &ctx.tr;
  if (!editor) {
    ImGui::TextDisabled("%s", t("designer.view.no_form"));
    return action;
  }
  m_names = editor->fieldNames();
  handleKeys(action);
  drawTop(ctx, action);

  const float s = ctx.scale;
  const float statusH = ImGui::GetFrameHeightWithSpacing() + 4 * s;
  const float avail = ImGui::GetContentRegionAvail().x;
  const float treeW = std::max(220 * s, avail * 0.22f);
  const float previewW = std::max(300 * s, avail * 0.34f);
  ImGui::BeginChild("##dtree", ImVec2(treeW, -statusH), true);
  drawTree(ctx);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("##dprops", ImVec2(avail - treeW - previewW - 2 * ImGui::GetStyle().ItemSpacing.x, -statusH), true);
  drawProperties(ctx);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("##dpreview", ImVec2(0, -statusH), true);
  drawPreview(ctx);
  ImGui::EndChild();

  ImGui::Separator();
  if (!statusLine.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, statusIsError ? kRed : ImVec4(0.1f, 0.45f, 0.15f, 1));
    ImGui::TextUnformatted(statusLine.c_str());
    ImGui::PopStyleColor();
  } else {
    ImGui::TextDisabled("%s", t("designer.view.keys_hint"));
  }
  drawPublishDialog(ctx, action);
  // Leaving keeps unsaved edits as the workspace's draft.
  if (action == Action::Leave && generation != keptGeneration && store) keepDraft();
  return action;
}

void DesignerView::handleKeys(Action& action) {
  if (ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId)) return;
  if (!ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows)) return;
  if (ctrlDown() && keyPressed(keys::kS, false)) keepDraft();
  if (ImGui::IsAnyItemActive() || m_previewFocused) return;
  const bool ctrl = ctrlDown();
  if (ctrl && keyPressed(keys::kUp)) moveSelected(-1);
  else if (ctrl && keyPressed(keys::kDown)) moveSelected(+1);
  else if (ctrl && keyPressed(keys::kRight, false)) moveIntoPrevious();
  else if (ctrl && keyPressed(keys::kLeft, false)) moveOut();
  else if (ctrl && keyPressed(keys::kD, false)) duplicateSelected();
  else if (ctrl && keyPressed(keys::kZ, false)) {
    if (editor->undo()) ++generation;
  } else if (ctrl && keyPressed(keys::kY, false)) {
    if (editor->redo()) ++generation;
  } else if (!ctrl && keyPressed(keys::kInsert, false)) addField(addType);
  else if (!ctrl && keyPressed(keys::kDelete, false)) deleteSelected();
  else if (!ctrl && (keyPressed(keys::kUp) || keyPressed(keys::kDown))) {
    auto order = treeOrder();
    if (order.empty()) return;
    auto it = std::find(order.begin(), order.end(), selected);
    int i = it == order.end() ? 0 : static_cast<int>(it - order.begin()) + (keyPressed(keys::kUp) ? -1 : 1);
    selected = order[static_cast<size_t>(std::clamp(i, 0, static_cast<int>(order.size()) - 1))];
    m_scrollToSelected = true;
  } else if (!ctrl && keyPressed(keys::kEscape, false)) {
    action = Action::Leave;
  }
  if (editor && !selected.empty() && !editor->findField(selected)) selected.clear();
}

void DesignerView::drawTop(UiContext& ctx, Action& action) {
  const json& def = editor->definition();
  ImGui::PushFont(ctx.fontTitle);
  std::string title;
  if (def.contains("title") && def["title"].is_object())
    title = def["title"].value(ctx.lang, def["title"].empty() ? "" : def["title"].begin()->get<std::string>());
  ImGui::Text("%s %s", t("designer.top.title"), title.c_str());
  ImGui::PopFont();
  const bool unsaved = generation != keptGeneration;
  ImGui::TextDisabled("%s · %s%s%s", def.value("id", "").c_str(), designerVersionLine(*this, ctx.tr).c_str(),
                      unsaved ? " · " : "", unsaved ? t("designer.top.unsaved") : "");

  const int errors = editor->diagnostics().errorCount(), warnings = editor->diagnostics().warningCount();
  if (ImGui::Button(t("designer.top.keep_draft"))) keepDraft();
  ImGui::SameLine();
  if (ImGui::Button(t("designer.top.publish"))) {
    editor->recheck();
    publishErrors.clear();
    for (const auto& d : editor->diagnostics().items())
      if (d.severity == Severity::Error) publishErrors.push_back(d);
    confirmPublish = true;
    diffGeneration = -1;
  }
  ImGui::SameLine();
  ImGui::BeginDisabled(!editor->canUndo());
  if (ImGui::Button(t("designer.top.undo")) && editor->undo()) ++generation;
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(!editor->canRedo());
  if (ImGui::Button(t("designer.top.redo")) && editor->redo()) ++generation;
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::Checkbox(t("designer.top.diff"), &showDiff);
  ImGui::SameLine();
  std::string probs =
      format("designer.top.problems", {std::to_string(errors), std::to_string(warnings)}) + "###problems";
  ImGui::PushStyleColor(ImGuiCol_Text, errors ? kRed : (warnings ? kAmber : ImVec4(0.1f, 0.45f, 0.15f, 1)));
  ImGui::Checkbox(probs.c_str(), &showProblems);
  ImGui::PopStyleColor();
  ImGui::SameLine();
  if (ImGui::Button(t("designer.top.close"))) action = Action::Leave;

  const float s = ctx.scale;
  if (showProblems && (errors || warnings)) {
    ImGui::BeginChild("##dproblems", ImVec2(0, std::min(6, errors + warnings) * ImGui::GetTextLineHeightWithSpacing() + 10 * s), true);
    drawDiagnostics(editor->diagnostics().items(), "");
    ImGui::EndChild();
  }
  if (showDiff) {
    ImGui::BeginChild("##ddiff", ImVec2(0, 150 * s), true);
    drawDiff(ctx);
    ImGui::EndChild();
  }
  ImGui::Spacing();
}

void DesignerView::drawDiff(UiContext&) {
  if (!published) {
    ImGui::TextDisabled("%s", t("designer.diff.new_form"));
    return;
  }
  if (diffGeneration != generation) {
    diffGeneration = generation;
    diff.reset();
    if (editor->form()) {
      diff = design::diffForms(*published, *editor->form());
      if (store) {
        try {
          design::measureImpact(*diff, *published, *editor->form(), *store);
        } catch (const std::exception&) {
        }
      }
    }
  }
  if (!diff) {
    ImGui::TextColored(kRed, "%s", t("designer.diff.draft_errors"));
    return;
  }
  ImGui::TextUnformatted(format("designer.diff.summary", {std::to_string(diff->fromVersion), std::to_string(diff->toVersion),
                                                          std::to_string(diff->changes.size())})
                             .c_str());
  if (diff->recordsMeasured >= 0) {
    ImGui::SameLine();
    ImGui::TextDisabled("· %s", format("designer.diff.records", {std::to_string(diff->recordsMeasured)}).c_str());
  }
  for (const auto& c : diff->changes) {
    ImGui::Bullet();
    ImGui::TextUnformatted(c.describe().c_str());
    if (!c.impact.empty()) {
      ImGui::Indent();
      ImGui::TextColored(c.records > 0 ? kAmber : ImVec4(0.4f, 0.4f, 0.4f, 1), "%s", c.impact.c_str());
      ImGui::Unindent();
    }
  }
}

void DesignerView::drawPublishDialog(UiContext& ctx, Action& action) {
  if (confirmPublish) {
    ImGui::OpenPopup("##dpublish");
    confirmPublish = false;
  }
  const float s = ctx.scale;
  ImGui::SetNextWindowSize(ImVec2(640 * s, 0), ImGuiCond_Appearing);
  if (!ImGui::BeginPopupModal("##dpublish", nullptr, ImGuiWindowFlags_NoTitleBar)) return;
  ImGui::PushFont(ctx.fontBold);
  ImGui::TextUnformatted(t("designer.publish.title"));
  ImGui::PopFont();
  ImGui::TextUnformatted(designerVersionLine(*this, ctx.tr).c_str());
  bool close = keyPressed(keys::kEscape, false);
  if (!publishErrors.empty()) {
    ImGui::TextColored(kRed, "%s", t("designer.publish.has_errors"));
    ImGui::BeginChild("##perr", ImVec2(0, 160 * s), true);
    drawDiagnostics(publishErrors, "");
    ImGui::EndChild();
    if (ImGui::Button(t("designer.publish.close"))) close = true;
  } else {
    ImGui::BeginChild("##pdiff", ImVec2(0, 220 * s), true);
    drawDiff(ctx);
    ImGui::EndChild();
    int warnings = editor->diagnostics().warningCount();
    if (warnings)
      ImGui::TextColored(kAmber, "%s", format("designer.publish.warnings", {std::to_string(warnings)}).c_str());
    if (ImGui::Button(t("designer.publish.confirm")) || keyPressed(keys::kEnter, false)) {
      if (publish()) action = Action::Published;
      close = true;
    }
    ImGui::SameLine();
    if (ImGui::Button(t("designer.publish.cancel"))) close = true;
  }
  if (close) ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
}

void drawDiagnostics(const std::vector<Diagnostic>& items, const std::string& onlyField) {
  for (const auto& d : items) {
    if (!onlyField.empty()) {
      const auto slash = d.path.rfind('/');
      const std::string last = slash == std::string::npos ? d.path : d.path.substr(slash + 1);
      if (last != onlyField) continue;
    }
    const bool err = d.severity == Severity::Error;
    ImGui::PushStyleColor(ImGuiCol_Text, err ? kRed : kAmber);
    ImGui::TextWrapped("%s%s%s%s", err ? "error: " : "warning: ", d.path.c_str(), d.path.empty() ? "" : ": ",
                       d.message.c_str());
    ImGui::PopStyleColor();
  }
}

}  // namespace skema::ui
