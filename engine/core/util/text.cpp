#include "util/text.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace skema {

int editDistance(std::string_view a, std::string_view b) {
  // Optimal string alignment: like Levenshtein, and a swap of two adjacent
  // letters ("lable") costs 1, the commonest typo.
  const size_t n = a.size(), m = b.size();
  std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1));
  for (size_t i = 0; i <= n; ++i) d[i][0] = static_cast<int>(i);
  for (size_t j = 0; j <= m; ++j) d[0][j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[n][m];
}

std::string closestMatch(std::string_view word, const std::vector<std::string>& candidates) {
  // A typo is at most a third of the word's letters away (and at least 1),
  // so short words do not "match" unrelated short words.
  int limit = std::max<int>(1, static_cast<int>(word.size()) / 3);
  std::string best;
  int bestDist = limit + 1;
  for (const auto& c : candidates) {
    // The distance is at least the difference in length: skip the long sum.
    if (std::abs(static_cast<int>(c.size()) - static_cast<int>(word.size())) >= bestDist) continue;
    int d = editDistance(word, c);
    if (d < bestDist && c != word) {
      bestDist = d;
      best = c;
    }
  }
  return best;
}

bool readFile(const std::string& path, std::string& out) {
  out.clear();
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return false;
  out = std::move(ss).str();
  return true;
}

}  // namespace skema
