// Loading form definitions from JSON, with every problem reported as a
// diagnostic that points at file:line:col.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "form/form.h"

namespace skema {

// Limits of the format (docs/form-format.md, "Limits"): a form or choice
// list file is read only up to this size, and groups and repeats nest at
// most this deep.
constexpr size_t kMaxFormFileBytes = size_t{16} << 20;
constexpr int kMaxFieldNesting = 32;

// Shared choice lists (forms/choices/*.json, format `skema-choices/1`),
// referenced from forms by name.
class ChoiceLibrary {
 public:
  // Loads every *.json in `dir`; problems go to `diags`.
  void loadDirectory(const std::string& dir, Diagnostics& diags);
  bool loadFile(const std::string& path, Diagnostics& diags);
  // The same for a file's text already read; `path` names it in messages.
  bool loadText(const std::string& text, const std::string& path, Diagnostics& diags);
  const ChoiceList* find(const std::string& name) const;
  const std::map<std::string, ChoiceList>& lists() const { return m_lists; }
  std::vector<std::string> names() const;

 private:
  std::map<std::string, ChoiceList> m_lists;
};

// Finds the shared choice folder for a form file: the nearest `choices/`
// folder in the file's directory or one of its parents. Empty when none.
std::string findChoicesDir(const std::string& formFile);

// Parses and checks one form definition. Returns the form when it has no
// errors (warnings allowed); every problem, not only the first, goes to
// `diags`. `shared` resolves choice lists the form does not define itself.
std::optional<Form> loadForm(std::string_view jsonText, const std::string& fileName,
                             Diagnostics& diags, const ChoiceLibrary* shared = nullptr);

// The property names the format allows (docs/skema-form.schema.json lists
// the same; a test keeps them in step).
const std::vector<std::string>& formPropertyNames();
const std::vector<std::string>& fieldPropertyNames();
const std::vector<std::string>& choicePropertyNames();

// The lists of a shared choice folder as loaded once per process, and again
// only when its files change (names, sizes, modification times), with the
// problems found in them and the files read (sorted).
struct SharedChoices {
  std::shared_ptr<const ChoiceLibrary> library;
  Diagnostics diags;
  std::vector<std::string> files;
};
std::shared_ptr<const SharedChoices> sharedChoices(const std::string& dir);

// Reads `path` and loads it, resolving shared lists from findChoicesDir().
std::optional<Form> loadFormFile(const std::string& path, Diagnostics& diags);

// The same, for files loaded more than once in a process (the workbench's
// plugins and its form list both load the shipped forms while it starts):
// a file loaded before and unchanged since (its text, its shared lists,
// the registered functions) is not parsed again. Null when the form has
// errors; `diags` gets the file's problems on every call.
std::shared_ptr<const Form> loadFormFileShared(const std::string& path, Diagnostics& diags);
// The same with the file's shared lists already looked up (nullptr: none).
std::shared_ptr<const Form> loadFormFileShared(const std::string& path, std::shared_ptr<const SharedChoices> choices,
                                               Diagnostics& diags);

}  // namespace skema
