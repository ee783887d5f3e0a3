// A form's draft in a workspace: the designer edits the next version of a
// form as a draft kept in the workspace (Store::saveFormDraft), so it
// survives restarts; publishing checks it, freezes it as a new version in
// the store and writes its definition file. See docs/designer.md.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "design/form_editor.h"
#include "store/store.h"

namespace skema::design {

// The workspace's draft of `formId`, or a fresh draft of the version after
// the latest published one (nullopt when the form is not published and has
// no draft). Renames are recorded against the draft's base version.
std::optional<FormEditor> openDraft(store::Store& store, const std::string& formId,
                                    const ChoiceLibrary* shared = nullptr);
// Keeps the editor's definition as the workspace's draft of its form.
void keepDraft(store::Store& store, const FormEditor& draft, const store::Actor& who);

struct PublishDraftResult {
  bool published = false;
  std::string message;               // why not, or what was done
  std::vector<Diagnostic> errors;    // checker errors: nothing published
  std::vector<Diagnostic> warnings;  // shown, allowed
  std::string file;                  // the definition file written
};

// Publishes the draft as its version (which must be the next one after the
// latest published), writes `formsRoot/<area>/<name>.v<N>.json` (never
// overwriting a different file) and discards the workspace's draft. A draft
// with checker errors is refused and nothing changes.
PublishDraftResult publishDraft(store::Store& store, FormEditor& draft, const std::string& formsRoot,
                                const store::Actor& who);

// "outreach.visit", 2 -> "outreach/visit.v2.json"
std::string definitionFileName(const std::string& formId, int version);

}  // namespace skema::design
