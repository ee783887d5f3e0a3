// The data entry view: ONE renderer that draws any skema::Form from its
// definition (every field type, groups, repeats), keyboard first.
//
// Values live in a JSON object exactly as the store holds them: text,
// select_one, person_code -> string; integer, decimal, range -> number;
// date "YYYY-MM-DD"; time "HH:MM"; datetime "YYYY-MM-DDTHH:MM";
// select_multiple -> space-separated choice names; repeat -> array of
// objects. Empty fields are absent.
//
// Keyboard: Tab / Enter next field, Shift+Tab previous; digits 1-9 pick a
// choice (select_one) or toggle one (select_multiple); Up/Down move within a
// choice list; Ctrl+S finalise, Ctrl+N new record, Esc leave. In a repeat:
// Enter on "Add" adds an instance, Alt+Up/Down moves the current instance,
// Ctrl+Delete removes it.
//
// A view is a state struct + draw(); the workbench acts on the returned
// action (saving is not the view's business).
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "form/form.h"
#include "ui_context.h"

namespace skema::ui {

enum class EntryAction { None, Finalise, New, Leave, OpenDraft, History };

// What the form logic says about one field (one repeat instance of it).
struct FieldStatus {
  bool relevant = true;
  bool required = false;
  bool readOnly = false;
  std::string message;  // constraint/required message to show, "" = fine
};

// The bridge to the expression engine. The view works without one (all
// relevant, required = "true()", built-in type checks only).
class EntryLogic {
 public:
  virtual ~EntryLogic() = default;
  // A new set of values (open/new record); may fill defaults/calculations.
  virtual void reset(nlohmann::json& values) = 0;
  // After an edit: `field` changed in repeat `instance` (nullptr = the
  // structure changed, e.g. a repeat instance added); recomputes
  // calculations in `values`.
  virtual void changed(nlohmann::json& values, const Field* field, const std::vector<int>& instance) = 0;
  // The language of messages (follows the UI language).
  virtual void setLanguage(const std::string& lang) { (void)lang; }
  // `instance` is the repeat index path ({} outside repeats).
  virtual FieldStatus status(const Field& field, const std::vector<int>& instance) = 0;
  // Choices of a select field that pass its choice_filter.
  virtual std::vector<const Choice*> visibleChoices(const Field& field, const std::vector<int>& instance) = 0;
};

struct EntryView {
  // --- model ---
  std::shared_ptr<const Form> form;
  nlohmann::json values = nlohmann::json::object();
  std::string recordId;     // "" = not saved yet
  bool isFinal = false;
  std::string statusLine;   // shown at the bottom ("Kladde gemt 14:02")
  bool statusIsError = false;
  // Completion for person_code fields: codes in use that start with a
  // prefix (the workbench asks the store). Asked again only when the typed
  // text changes.
  std::function<std::vector<std::string>(const std::string& prefix)> personCodeSource;
  std::string personCodePrefix;
  std::vector<std::string> personCodeMatches;
  EntryLogic* logic = nullptr;                // not owned
  // A draft of this form the user left earlier: offered when a new record opens.
  std::string draftOfferId, draftOfferWhen;

  // Messages from validation (Ctrl+S or the store), by field key.
  std::map<std::string, std::string> messages;

  // --- change tracking (for draft autosave) ---
  bool dirty = false;
  double lastChangeTime = 0.0;  // ImGui::GetTime() of the last edit
  int changeCount = 0;

  // Starts entering `values` (a new record when empty) for `form`.
  void open(std::shared_ptr<const Form> f, nlohmann::json v = nlohmann::json::object(),
            std::string id = {}, bool final = false);
  // Draws the view into the current window region.
  EntryAction draw(UiContext& ctx);
  // Built-in checks before finalising: required fields, unparsed input.
  // Fills `messages`, focuses the first problem; returns the problem count.
  int validate(UiContext& ctx);
  // Focuses the field with this key (see fieldKey) on the next frame.
  void focusField(const std::string& key);
  const std::string& focusedKey() const { return m_focus; }

  // --- internals, public for the renderer's helpers and tests ---
  enum class StopKind { Text, Multiline, Choice, Combo, Slider, Button };
  struct Stop {
    std::string key;
    StopKind kind;
  };
  std::vector<Stop> stops, prevStops;  // focus order this frame / last frame
  std::map<std::string, std::string> buffers;  // typed text not yet a value
  std::map<std::string, std::string> comboFilter;
  std::map<std::string, int> comboHighlight;
  std::string m_focus;
  std::string m_requestKey;
  int m_requestIndex = -1;
  bool m_enterPressed = false;  // Enter this frame, on the focused stop
  int m_holdFrames = 0;         // frames to hold typed characters back
  std::vector<unsigned short> m_heldChars;  // typed while a text field was being focused

  void markChanged(const Field* field = nullptr, const std::vector<int>& instance = {});
};

// Key of a field in a given repeat instance: "name", "people#0/age".
std::string fieldKey(const std::string& prefix, const Field& f);

}  // namespace skema::ui
