// Every input the fuzz targets found (tests/fuzz/regressions/<target>/) and
// every seed they start from, replayed through the same function the
// target runs (tests/fuzz/fuzz_targets.h), without libFuzzer: a crash or a
// hang here is the bug coming back.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "../fuzz/fuzz_targets.h"
#include "util/text.h"

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> filesUnder(const fs::path& dir, const std::string& extension = "") {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec))
    if (e.is_regular_file() && (extension.empty() || e.path().extension() == extension)) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

void replay(const std::vector<fs::path>& files, std::string (*run)(std::string_view)) {
  for (const auto& f : files) {
    std::string text;
    REQUIRE(skema::readFile(f.string(), text));
    INFO(f.string());
    CHECK(run(text) == "");
  }
}

const fs::path kFuzz = fs::path(SKEMA_SOURCE_DIR) / "tests" / "fuzz";

}  // namespace

TEST_CASE("fuzz regressions: the form loader") {
  const auto found = filesUnder(kFuzz / "regressions" / "form_loader");
  CHECK(found.size() >= 5);
  replay(found, skema::fuzz::formLoaderCase);
  // The seeds: every shipped and test form.
  auto seeds = filesUnder(fs::path(SKEMA_SOURCE_DIR) / "forms", ".json");
  const auto test = filesUnder(fs::path(SKEMA_TEST_DATA) / "forms", ".json");
  seeds.insert(seeds.end(), test.begin(), test.end());
  CHECK(seeds.size() > 40);
  replay(seeds, skema::fuzz::formLoaderCase);
}

TEST_CASE("fuzz regressions: the expression evaluator") {
  const auto found = filesUnder(kFuzz / "regressions" / "expr_parser");
  CHECK(found.size() >= 5);
  replay(found, skema::fuzz::expressionCase);
  replay(filesUnder(kFuzz / "corpus"), skema::fuzz::expressionCase);
}
