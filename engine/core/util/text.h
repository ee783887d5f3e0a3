// Small text helpers shared across the engine.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace skema {

// Edit distance (insertions, deletions, substitutions, adjacent swaps), bytewise.
int editDistance(std::string_view a, std::string_view b);

// The candidate closest to `word`, if close enough to be a likely typo
// (for "did you mean ...?" hints); empty otherwise.
std::string closestMatch(std::string_view word, const std::vector<std::string>& candidates);

// Reads a whole file; returns false (and leaves `out` empty) when it cannot.
bool readFile(const std::string& path, std::string& out);

// The code point that starts at s[i], decoded strictly (no overlong forms,
// surrogates or values past U+10FFFF); `i` moves past it. nullopt for bytes
// that are not valid UTF-8 (`i` then moves past one byte).
std::optional<char32_t> nextCodePoint(std::string_view s, size_t& i);

// Characters that must not reach a terminal as they are, nor stand in a
// name: C0 controls, DEL, C1 controls (U+0080-009F: some terminals obey
// them), the line and paragraph separators U+2028/2029 and the
// bidirectional controls (U+061C, U+200E/200F, U+202A-202E, U+2066-2069),
// which make text read otherwise than it is stored.
bool isHiddenControl(char32_t cp);

// `s` made safe to print as text: each isHiddenControl() character written
// as \n, \r, \t, \xNN (other C0 and DEL) or \uNNNN (C1 and the others),
// bytes that are not UTF-8 as \xNN; everything else, backslashes
// included, unchanged (the text form is for reading, --json for the exact
// data).
std::string displayText(std::string_view s);
// displayText() that leaves '\n' as a line break: for multi-line output
// made by Skema itself around stored values.
std::string displayLines(std::string_view s);

}  // namespace skema
