// Small text helpers shared across the engine.
#pragma once
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

}  // namespace skema
