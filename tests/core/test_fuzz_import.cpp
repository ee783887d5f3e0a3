// Replays, through the very function the import fuzz targets call, the
// inputs they found (tests/fuzz/regressions/<target>/) and their seeds
// (tests/fuzz/seeds/<target>/): the normal build has no libFuzzer.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "../fuzz/import_fuzz.h"
#include "util/text.h"

namespace fs = std::filesystem;
using skema::fuzz::ImportFormat;

TEST_CASE("fuzz: every input found by the import fuzz targets, and their seeds, imports with all checks holding") {
  const fs::path fuzzDir = fs::path(SKEMA_FUZZ_REGRESSIONS).parent_path();
  int replayed = 0;
  for (const auto& [target, format] : {std::pair{"fuzz_csv_import", ImportFormat::Csv},
                                       std::pair{"fuzz_jsonl_import", ImportFormat::Jsonl}})
    for (const char* kind : {"regressions", "seeds"}) {
      const fs::path dir = fuzzDir / kind / target;
      if (!fs::is_directory(dir)) continue;
      for (const auto& entry : fs::directory_iterator(dir)) {
        if (!entry.is_regular_file() || entry.path().filename() == "README") continue;
        std::string bytes;
        REQUIRE(skema::readFile(entry.path().string(), bytes));
        INFO(entry.path().string());
        CHECK(skema::fuzz::importOne(format, reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()) == "");
        ++replayed;
      }
    }
  CHECK(replayed >= 7);  // the seeds at least
}
