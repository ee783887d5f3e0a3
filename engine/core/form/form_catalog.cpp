#include "form/form_catalog.h"

#include <algorithm>
#include <filesystem>
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

  // One library per choices folder, loaded (and so checked) once.
  std::map<std::string, std::unique_ptr<ChoiceLibrary>> libraries;
  auto libraryFor = [&](const std::string& formFile) -> const ChoiceLibrary* {
    std::string dir = findChoicesDir(formFile);
    if (dir.empty()) return nullptr;
    auto& lib = libraries[dir];
    if (!lib) {
      lib = std::make_unique<ChoiceLibrary>();
      std::vector<std::string> files;
      for (const auto& e : fs::directory_iterator(dir))
        if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path().string());
      std::sort(files.begin(), files.end());
      for (const auto& f : files) {
        lib->loadFile(f, diags);
        catalog.choiceFiles.push_back(f);
      }
    }
    return lib.get();
  };

  std::map<std::pair<std::string, int>, std::string> seen;  // (id, version) -> file
  for (const auto& file : formFiles) {
    catalog.files.push_back(file);
    std::string text;
    if (!readFile(file, text)) {
      diags.error(file, {}, "", "cannot read file");
      continue;
    }
    auto form = loadForm(text, file, diags, libraryFor(file));
    if (!form) continue;
    auto key = std::make_pair(form->id, form->version);
    if (auto it = seen.find(key); it != seen.end()) {
      diags.error(file, form->propertyPos["id"], "id", form->id + " version " + std::to_string(form->version) +
                                      " is also defined in " + it->second);
      continue;
    }
    seen[key] = file;
    catalog.forms.push_back(std::move(*form));
  }
  return catalog;
}

}  // namespace skema
