// libFuzzer target: imports arbitrary bytes as a CSV file into a scratch
// workspace (the whole import path: source, validation, store) and checks
// the results (import_fuzz.h). Built and run by scripts/fuzz.sh
// (docs/testing.md, "Fuzzing").
#include <cstdio>

#include "import_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string problem = skema::fuzz::importOne(skema::fuzz::ImportFormat::Csv, data, size);
  if (!problem.empty()) {
    std::fprintf(stderr, "fuzz_csv_import: %s\n", problem.c_str());
    __builtin_trap();
  }
  return 0;
}
