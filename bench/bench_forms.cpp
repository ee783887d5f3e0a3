// Loading and checking every shipped form (what `skema forms check forms/`
// and the workbench's start do). Target: well under 100 ms.
// Two figures: parsing and checking the files (the first load in a process),
// and the catalog again in the same process with the files unchanged (the
// workbench's form list after its plugins registered the same files).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <vector>

#include "form/form_catalog.h"
#include "util/text.h"

namespace {

void report(const char* what, size_t forms, const std::function<void()>& run) {
  std::vector<double> ms;
  for (int i = 0; i < 20; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    run();
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  std::printf("%s %zu shipped forms: median %.2f ms, min %.2f ms, max %.2f ms (20 runs)\n", what, forms,
              ms[ms.size() / 2], ms.front(), ms.back());
}

}  // namespace

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  std::string dir = argc > 1 ? argv[1] : SKEMA_SOURCE_DIR "/forms";
  skema::Diagnostics first;
  const auto cat = skema::loadFormCatalog({dir}, first);
  std::vector<std::string> texts;
  for (const auto& f : cat.files) {
    std::string t;
    if (skema::readFile(f, t)) texts.push_back(std::move(t));
  }
  const std::string choices = (fs::path(dir) / "choices").string();

  report("parse + check", cat.forms.size(), [&] {
    skema::Diagnostics d;
    skema::ChoiceLibrary lib;
    lib.loadDirectory(choices, d);
    for (size_t i = 0; i < texts.size(); ++i) skema::loadForm(texts[i], cat.files[i], d, &lib);
  });
  report("catalog again, files unchanged,", cat.forms.size(), [&] {
    skema::Diagnostics d;
    skema::loadFormCatalog({dir}, d);
  });
}
