// What the fuzz targets do with one input, shared by the libFuzzer targets
// (fuzz_*.cpp, built by scripts/fuzz.sh) and by the unit test that replays
// every input found so far (tests/fuzz/regressions/<target>/, run by
// ./test.sh). Each returns "" when every invariant held, else what broke;
// a crash, hang or leak is a finding by itself.
#pragma once
#include <string>
#include <string_view>

namespace skema::fuzz {

// A form file's text: loaded and checked as a form and as a shared choice
// list file. A form that loads must load again from its stored definition
// unchanged, and take a record through its logic and validation (what
// publishing and a final save do).
std::string formLoaderCase(std::string_view text);

// An expression: parsed, compiled against a few variables and evaluated,
// regex() included. Input starting with byte 0x01 is instead
// "\x01PATTERN\0TEXT" for regex() directly.
std::string expressionCase(std::string_view text);

}  // namespace skema::fuzz
