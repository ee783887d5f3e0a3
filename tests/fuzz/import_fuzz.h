// The one function behind the import fuzz targets (fuzz_csv_import,
// fuzz_jsonl_import; docs/testing.md, "Fuzzing"), also called by the
// doctest that replays tests/fuzz/regressions/ in the normal build.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace skema::fuzz {

enum class ImportFormat { Csv, Jsonl };

// Imports `data` as a CSV or JSON-lines file of the form "fuzz.visit" (two
// versions, every field type, a nested repeat, expressions) into a scratch
// workspace, as the CLI does (all-or-nothing, or skipping bad rows when the
// input's size is odd), then checks what must hold for any input: every
// refused row has a line inside the file and non-empty messages; no store
// error; a committed import's records (the newest 100) read back, are valid
// for their status, have times in the store's form and user names the store
// accepts, survive filtered, sorted and searched queries and (while the
// workspace is small) exports, and the audit chain verifies. Returns what
// did not hold, "" when all did.
std::string importOne(ImportFormat format, const std::uint8_t* data, std::size_t size);

}  // namespace skema::fuzz
