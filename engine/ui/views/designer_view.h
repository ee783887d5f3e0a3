// The form designer: edits the draft of a form's next version on top of
// design::FormEditor (engine/core/design). Left: the tree of fields and
// groups; middle: the selected field's properties and its choice list;
// right: a live preview (the real entry renderer on the draft, with a test
// record that is never stored). Top: version line, checker problems, diff
// against the latest published version, Keep draft (Ctrl+S), Publish.
//
// Keyboard (outside text inputs): Up/Down select, Insert add a field after
// the selection, Ctrl+D duplicate, Delete delete, Ctrl+Up/Down move,
// Ctrl+Right into the group above, Ctrl+Left out of its group, Ctrl+Z/Y
// undo/redo, Ctrl+S keep the draft, Esc leave. In expression inputs `${`
// offers field names (Tab/Enter inserts). See docs/designer.md.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "design/form_diff.h"
#include "design/form_editor.h"
#include "store/store.h"
#include "ui_context.h"
#include "views/entry_view.h"

namespace skema::ui {

struct DesignerView {
  // --- model ---
  std::optional<design::FormEditor> editor;
  std::shared_ptr<const Form> published;  // latest published version (nullptr = new form)
  store::Store* store = nullptr;          // not owned; nullptr = no workspace
  std::string formsRoot;                  // where Publish writes <area>/<name>.vN.json
  store::Actor who;
  std::string selected;                   // selected field name
  const Translator* tr = nullptr;         // UI strings (draw() sets it; keys until then)
  std::string statusLine;
  bool statusIsError = false;

  // --- preview: the draft's last valid definition, a test record ---
  std::shared_ptr<const Form> previewForm;
  std::unique_ptr<EntryLogic> previewLogic;
  EntryView preview;
  std::string previewLang;  // "" = the UI language
  int generation = 0;       // bumped on every applied edit
  int previewGeneration = -1;
  int keptGeneration = 0;   // generation last kept in (or read from) the workspace

  // --- panels ---
  bool showDiff = false, showProblems = false, confirmPublish = false;
  std::optional<design::FormDiff> diff;
  int diffGeneration = -1;
  std::vector<Diagnostic> publishErrors;  // why Publish was refused
  std::string pasteText;                  // choice import
  std::string addType = "text";

  enum class Action { None, Leave, Published };

  // Opens the workspace's draft of `formId` (or a fresh draft of its next
  // version). False when the form is unknown. "FORM_ID:FIELD" selects a
  // field; "new" starts a new form.
  bool open(store::Store& st, const std::string& formId, const store::Actor& actor, const std::string& root);
  // Starts a new form (version 1) with no fields.
  void openNew(const std::string& formId, const LocalizedText& title);
  // Starts on any editor (tests); `base` = the published version it revises.
  void openEditor(design::FormEditor ed, std::shared_ptr<const Form> base);

  Action draw(UiContext& ctx);

  // --- the actions behind buttons and keys (tests call them too) ---
  bool apply(const design::EditResult& r);  // status line, generation, selection
  bool addField(const std::string& type);   // after the selection, same parent
  bool duplicateSelected();
  bool deleteSelected();
  bool moveSelected(int delta);
  bool moveIntoPrevious();  // into the group/repeat just above
  bool moveOut();
  bool keepDraft();
  // Checks, and publishes when there are no errors (no confirmation).
  bool publish();
  // Rebuilds the preview when the draft changed (draw() does this).
  void refreshPreview(const std::string& lang, const Translator& ui);
  // Focuses a property input of the selected field on the next frame:
  // "name", "label.da", "relevant", ...
  void focusProperty(const std::string& key) { m_focusProp = key; }
  // Field names in tree order; the siblings' of `name` and its index there.
  std::vector<std::string> treeOrder() const;

  // --- internals ---
  std::map<std::string, std::string> m_edit;  // text being typed, by input id
  std::string m_focusProp;
  int m_completeIndex = 0;
  bool m_completeEnter = false;   // Enter pressed while completions were shown
  bool m_completeShown = false;
  std::vector<std::string> m_names;  // the draft's field names (this frame)
  bool m_previewFocused = false;     // the preview has the keyboard (last frame)
  bool m_scrollToSelected = false;

  const char* t(const char* key) const { return tr ? tr->c(key) : key; }
  std::string format(const char* key, const std::vector<std::string>& args) const { return substitute(t(key), args); }
  void drawTop(UiContext& ctx, Action& action);
  void drawTree(UiContext& ctx);
  void drawProperties(UiContext& ctx);
  void drawChoices(UiContext& ctx, const std::string& list);
  void drawPreview(UiContext& ctx);
  void drawDiff(UiContext& ctx);
  void drawPublishDialog(UiContext& ctx, Action& action);
  void handleKeys(Action& action);
  // Text input bound to a value: returns true with `out` when edited.
  bool textInput(const char* label, const std::string& id, const std::string& current, std::string& out,
                 bool multiline = false, float width = -1.0f);
  bool exprInput(UiContext& ctx, const char* label, const std::string& id, const std::string& current,
                 std::string& out);
};

// After Action::Published: the workbench's list of latest versions follows.
void designerPublished(std::vector<std::shared_ptr<const Form>>& forms, const DesignerView& v);
// "Draft of version 3 (latest published: 2)", in the translator's language.
std::string designerVersionLine(const DesignerView& v, const Translator& tr);
// The problems of an expression typed in the designer: syntax errors and
// references to names not in `names` ("" = fine).
std::string checkExpression(const std::string& text, const std::vector<std::string>& names, const Translator& tr);

}  // namespace skema::ui
