// The designer's model: edit operations on a form definition (the JSON of
// docs/form-format.md), each followed by a full check with loadForm(), so
// the designer view, the command line and the tests share one set of rules.
// No UI here: engine/ui/views/designer_*.cpp draws on top of this class.
// See docs/designer.md.
#pragma once
#include <optional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "form/form.h"
#include "form/form_loader.h"
#include "util/diagnostics.h"

namespace skema::design {

// The outcome of one edit. A refused edit (unknown field, a name already
// taken, moving a group into itself, ...) changes nothing and says why. An
// applied edit may still leave the form with checker errors (e.g. a new
// select without choices yet): see FormEditor::diagnostics().
struct EditResult {
  bool applied = false;
  std::string error;        // why it was refused
  std::string name;         // the field or choice the edit created or touched
  explicit operator bool() const { return applied; }
};

class FormEditor {
 public:
  // `definition` is a form definition (usually a published version's
  // resolved definition, or a draft). `shared` resolves shared choice lists
  // the definition does not embed; it must outlive the editor.
  explicit FormEditor(nlohmann::json definition, const ChoiceLibrary* shared = nullptr,
                      std::string fileName = "draft");

  // A draft of the version after `published`: version + 1, and every
  // renamed_from cleared (they describe the step to `published`, not the
  // next one). Renames made in the draft are recorded against the names of
  // `published`.
  static FormEditor nextVersionOf(const nlohmann::json& published, const ChoiceLibrary* shared = nullptr);

  const nlohmann::json& definition() const { return m_def; }
  // The result of the last check: the loaded form when it has no errors.
  const std::optional<Form>& form() const { return m_form; }
  const Diagnostics& diagnostics() const { return m_diags; }
  bool hasErrors() const { return m_diags.hasErrors(); }
  // Field names of the version this draft revises (empty for a new form).
  const std::set<std::string>& baseNames() const { return m_baseNames; }
  void setBaseNames(std::set<std::string> names) { m_baseNames = std::move(names); }
  // Choice names of that version, by list: its records hold them.
  const std::map<std::string, std::set<std::string>>& baseChoices() const { return m_baseChoices; }
  // Both from the version this draft revises.
  void setBase(const Form& base);

  // ---- fields. `parent` is a group/repeat name, "" = the form's top level;
  // index -1 = at the end.
  // Adds a field of `type`; name "" = a free name derived from the type
  // ("text_1"). Labels start as the name in every language of the form.
  EditResult addField(const std::string& type, const std::string& name = {}, const std::string& parent = {},
                      int index = -1);
  // Inserts a copy right after the field; the copy and its children get free
  // names (name_copy, name_copy_2, ...) and no renamed_from.
  EditResult duplicateField(const std::string& name);
  EditResult deleteField(const std::string& name);
  EditResult moveUp(const std::string& name);
  EditResult moveDown(const std::string& name);
  // Moves the field into group/repeat `parent` ("" = top level) at `index`.
  EditResult moveInto(const std::string& name, const std::string& parent, int index = -1);
  // Renames a field: every `${old}` in the form's expressions follows, and
  // when the field exists in the base version, "renamed_from" records its
  // name there (renaming back to it removes the mark).
  EditResult renameField(const std::string& name, const std::string& newName);
  // Sets one property (docs/form-format.md); null removes it. Not for
  // "name" (renameField) or "fields" (the move operations).
  EditResult setProperty(const std::string& name, const std::string& key, const nlohmann::json& value);
  // Form-level properties: title, description, languages, id.
  EditResult setFormProperty(const std::string& key, const nlohmann::json& value);

  // ---- choice lists (the form's own; a shared list used by the form is
  // copied into the form on its first edit).
  EditResult addChoiceList(const std::string& list);
  // Adds a choice; label "" = the name, in every language.
  EditResult addChoice(const std::string& list, const std::string& name, const LocalizedText& label = {},
                       int index = -1);
  EditResult removeChoice(const std::string& list, const std::string& name);
  EditResult moveChoice(const std::string& list, const std::string& name, int newIndex);
  EditResult setChoiceLabel(const std::string& list, const std::string& name, const std::string& lang,
                            const std::string& text);
  // Renames a choice added in this draft ("option_3" -> "street"). A choice
  // of the base version is refused: its records hold the name, so it is
  // relabelled instead, or replaced and mapped in the migration plan.
  EditResult renameChoice(const std::string& list, const std::string& name, const std::string& newName);
  // Where `name` is written as a possible choice name (an expression, a
  // default, a filter attribute of a choice): "the relevant of 'x'", or "".
  std::string mentionOf(const std::string& name) const;
  // Pasted lines: "name<TAB>label da<TAB>label en" (or ';'-separated), or a
  // bare label per line (the name is derived: "Gade og park" -> gade_og_park).
  // Labels fill the form's languages in order; a missing one repeats the
  // first. Blank lines are skipped; names already in the list get a suffix.
  // `replace` empties the list first. Returns the number added in `name`.
  EditResult importChoices(const std::string& list, const std::string& pastedText, bool replace = false);

  // ---- history
  bool canUndo() const { return !m_undo.empty(); }
  bool canRedo() const { return !m_redo.empty(); }
  bool undo();
  bool redo();

  // Re-checks the definition (every edit does this already).
  void recheck();
  // All field names in the definition, depth first.
  std::vector<std::string> fieldNames() const;
  // The field's JSON object, or nullptr.
  const nlohmann::json* findField(const std::string& name) const;
  // Name of the group/repeat holding the field ("" = top level); nullopt if unknown.
  std::optional<std::string> parentOf(const std::string& name) const;
  // A name not used in the form, from `base` (base, base_2, base_3, ...).
  std::string freeName(const std::string& base) const;

 private:
  nlohmann::json* locate(const std::string& name, nlohmann::json** siblings, size_t* index);
  nlohmann::json* fieldsOf(const std::string& parent);  // the parent's "fields" array
  nlohmann::json* choiceList(const std::string& list, bool create);
  void snapshot();
  void rollback();  // undoes a snapshot() of an edit that is then refused
  EditResult done(std::string name = {});
  std::vector<std::string> languages() const;

  nlohmann::json m_def;
  const ChoiceLibrary* m_shared;
  std::string m_fileName;
  std::optional<Form> m_form;
  Diagnostics m_diags;
  std::set<std::string> m_baseNames;
  std::map<std::string, std::set<std::string>> m_baseChoices;
  std::vector<nlohmann::json> m_undo, m_redo;
};

// "Gade og park" -> "gade_og_park" (letters, digits, _; ASCII-folded æøå).
std::string slugName(const std::string& label);

}  // namespace skema::design
