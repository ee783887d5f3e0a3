#include "form/form_catalog.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>

#include "util/text.h"

namespace fs = std::filesystem;

namespace skema {

namespace {

bool inChoicesFolder(const fs::path& p) { return p.parent_path().filename() == "choices"; }

}  // namespace

FormCatalog loadFormCatalog(const std::vector<std::string>& paths, Diagnostics& diags) {
  FormCatalog catalog;
  std::vector<std::string> formFiles;
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (const auto& e : fs::recursive_directory_iterator(p, ec))
        if (e.is_regular_file() && e.path().extension() == ".json" && !inChoicesFolder(e.path()))
          found.push_back(e.path().lexically_normal().string());
      std::sort(found.begin(), found.end());
      formFiles.insert(formFiles.end(), found.begin(), found.end());
    } else if (fs::exists(p, ec)) {
      formFiles.push_back(fs::path(p).lexically_normal().string());
    } else {
      diags.error(p, {}, "", "no such file or folder");
    }
  }

  // Each choices folder is looked up, checked and reported once.
  std::map<std::string, std::shared_ptr<const SharedChoices>> choiceDirs;
  std::map<std::pair<std::string, int>, std::string> seen;  // (id, version) -> file
  for (const auto& file : formFiles) {
    catalog.files.push_back(file);
    std::shared_ptr<const SharedChoices> shared;
    if (std::string dir = findChoicesDir(file); !dir.empty()) {
      auto& known = choiceDirs[dir];
      if (!known) {
        known = sharedChoices(dir);
        for (const auto& d : known->diags.items()) diags.add(d);
        catalog.choiceFiles.insert(catalog.choiceFiles.end(), known->files.begin(), known->files.end());
      }
      shared = known;
    }
    auto form = loadFormFileShared(file, shared, diags);
    if (!form) continue;
    auto key = std::make_pair(form->id, form->version);
    if (auto it = seen.find(key); it != seen.end()) {
      auto pos = form->propertyPos.find("id");
      diags.error(file, pos != form->propertyPos.end() ? pos->second : SourcePos{}, "id", form->id + " version " + std::to_string(form->version) +
                                      " is also defined in " + it->second);
      continue;
    }
    seen[key] = file;
    catalog.forms.push_back(std::move(form));
  }
  return catalog;
}

}  // namespace skema
