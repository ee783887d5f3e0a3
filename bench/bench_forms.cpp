// Loading and checking every shipped form (what `skema forms check forms/`
// and the workbench's start do). Target: well under 100 ms.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "form/form_catalog.h"

int main(int argc, char** argv) {
  std::string dir = argc > 1 ? argv[1] : SKEMA_SOURCE_DIR "/forms";
  std::vector<double> ms;
  size_t forms = 0;
  for (int i = 0; i < 20; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    skema::Diagnostics d;
    auto cat = skema::loadFormCatalog({dir}, d);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    forms = cat.forms.size();
  }
  std::sort(ms.begin(), ms.end());
  std::printf("load + check %zu shipped forms: median %.2f ms, min %.2f ms, max %.2f ms (20 runs)\n", forms,
              ms[ms.size() / 2], ms.front(), ms.back());
}
