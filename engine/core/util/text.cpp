#include "util/text.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "store/open_workspaces.h"

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
  // Closing our descriptor would drop this process's locks on a workspace
  // it holds open (store/open_workspaces.h); such a file is never text.
  if (store::isOpenWorkspace(path)) {
    errno = EBUSY;
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return false;
  out = std::move(ss).str();
  return true;
}

std::optional<char32_t> nextCodePoint(std::string_view s, size_t& i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  const size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > s.size()) {
    ++i;
    return std::nullopt;
  }
  char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
  for (size_t k = 1; k < n; ++k) {
    if ((byte(i + k) >> 6) != 0x2) {
      ++i;
      return std::nullopt;
    }
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  static constexpr char32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kSmallest[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return std::nullopt;
  }
  i += n;
  return cp;
}

bool isHiddenControl(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x061C || cp == 0x200E || cp == 0x200F ||
         cp == 0x2028 || cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

namespace {

std::string escapeHidden(std::string_view s, bool keepNewlines) {
  std::string out;
  out.reserve(s.size());
  char buf[12];
  for (size_t i = 0; i < s.size();) {
    const size_t start = i;
    const std::optional<char32_t> cp = nextCodePoint(s, i);
    if (!cp) {
      std::snprintf(buf, sizeof buf, "\\x%02x", unsigned(static_cast<unsigned char>(s[start])));
      out += buf;
    } else if (!isHiddenControl(*cp) || (keepNewlines && *cp == '\n')) {
      out.append(s.substr(start, i - start));
    } else if (*cp == '\n') {
      out += "\\n";
    } else if (*cp == '\r') {
      out += "\\r";
    } else if (*cp == '\t') {
      out += "\\t";
    } else {
      std::snprintf(buf, sizeof buf, *cp < 0x80 ? "\\x%02x" : "\\u%04x", unsigned(*cp));
      out += buf;
    }
  }
  return out;
}

}  // namespace

std::string displayText(std::string_view s) { return escapeHidden(s, false); }
std::string displayLines(std::string_view s) { return escapeHidden(s, true); }

}  // namespace skema
