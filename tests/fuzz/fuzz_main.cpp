// The libFuzzer entry of every fuzz target: each is this file built with
// SKEMA_FUZZ_CASE naming its function in fuzz_targets.h (tests/fuzz/
// CMakeLists.txt). Built and run by scripts/fuzz.sh (docs/testing.md,
// "Fuzzing").
#include <cstddef>
#include <cstdint>
#include <cstdio>

#include "fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string broken = skema::fuzz::SKEMA_FUZZ_CASE({reinterpret_cast<const char*>(data), size});
  if (!broken.empty()) {
    std::fprintf(stderr, "invariant broken: %s\n", broken.c_str());
    __builtin_trap();
  }
  return 0;
}
