// libFuzzer targets fuzz_csv_import and fuzz_jsonl_import (this file built
// twice, SKEMA_FUZZ_IMPORT_FORMAT = Csv or Jsonl): import arbitrary bytes as
// a CSV or JSON-lines file into a scratch workspace, the whole import path
// (source, validation, store), and check the results (import_fuzz.h).
// Built and run by scripts/fuzz.sh (docs/testing.md, "Fuzzing").
#include <cstdio>

#include "import_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using skema::fuzz::ImportFormat;
  const std::string problem = skema::fuzz::importOne(ImportFormat::SKEMA_FUZZ_IMPORT_FORMAT, data, size);
  if (!problem.empty()) {
    std::fprintf(stderr, "import fuzz: %s\n", problem.c_str());
    __builtin_trap();
  }
  return 0;
}
