// A set of form definitions read from files and folders: what
// `skema forms check` checks and what a workspace publishes.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "form/form_loader.h"

namespace skema {

struct FormCatalog {
  std::vector<std::shared_ptr<const Form>> forms;  // the forms without errors, in path order
  std::vector<std::string> files;   // every form file looked at
  std::vector<std::string> choiceFiles;  // every shared choice list file looked at
};

// Loads every form file under `paths` (files, or folders searched
// recursively for *.json). Folders named `choices` hold shared choice lists
// (format skema-choices/1); they are checked and used by the forms beside
// them. Reports every problem in every file, and the same id + version
// defined by two files. Files loaded before in this process and unchanged
// since are not parsed again (loadFormFileShared).
FormCatalog loadFormCatalog(const std::vector<std::string>& paths, Diagnostics& diags);

}  // namespace skema
