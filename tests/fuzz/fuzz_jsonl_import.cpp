// libFuzzer target: imports arbitrary bytes as a JSON-lines file into a scratch
// workspace (the whole import path: source, validation, store) and checks
// the results (import_fuzz.h). Built and run by scripts/fuzz.sh
// (docs/testing.md, "Fuzzing").
#include <cstdio>

#include "import_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string problem = skema::fuzz::importOne(skema::fuzz::ImportFormat::Jsonl, data, size);
  if (!problem.empty()) {
    std::fprintf(stderr, "fuzz_jsonl_import: %s\n", problem.c_str());
    __builtin_trap();
  }
  return 0;
}
