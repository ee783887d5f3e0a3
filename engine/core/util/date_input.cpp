#include "util/date_input.h"

#include <cctype>
#include <cstdio>
#include <ctime>
#include <vector>

namespace skema {
namespace {

std::string trimLower(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  std::string out;
  for (size_t i = b; i < e; ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    // Collapse runs of spaces so "i  dag" works.
    if (std::isspace(c)) {
      if (!out.empty() && out.back() != ' ') out += ' ';
      continue;
    }
    out += static_cast<char>(std::tolower(c));
  }
  return out;
}

bool allDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

int toInt(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

// Two-digit years: 00-69 -> 2000s, 70-99 -> 1900s.
int expandYear(std::string_view s) {
  int y = toInt(s);
  if (s.size() <= 2) y += (y < 70) ? 2000 : 1900;
  return y;
}

std::optional<std::string> make(int y, int m, int d) {
  if (!isValidDate(y, m, d)) return std::nullopt;
  return formatDate({y, m, d});
}

// Days since 1970-01-01 (Howard Hinnant's civil algorithms).
long daysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long>(doe) - 719468;
}

CivilDate civilFromDays(long z) {
  z += 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long y = static_cast<long>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}

std::vector<std::string_view> splitParts(std::string_view s) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == '-' || s[i] == '/' || s[i] == '.' || s[i] == ' ') {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

}  // namespace

int daysInMonth(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return (month == 2 && leap) ? 29 : kDays[month - 1];
}

bool isValidDate(int year, int month, int day) {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
         day <= daysInMonth(year, month);
}

CivilDate addDays(const CivilDate& d, int days) {
  return civilFromDays(daysFromCivil(d.year, d.month, d.day) + days);
}

CivilDate today() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  return {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

ClockTime nowClock() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  return {tm.tm_hour, tm.tm_min};
}

std::string formatDate(const CivilDate& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

std::string formatTime(const ClockTime& t) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", t.hour, t.minute);
  return buf;
}

std::optional<std::string> parseDateInput(std::string_view text, const CivilDate& ref) {
  std::string s = trimLower(text);
  if (s.empty()) return std::nullopt;
  if (s == "i dag" || s == "idag" || s == "today" || s == "d" || s == "t") return formatDate(ref);
  if (s == "i går" || s == "igår" || s == "i gaar" || s == "yesterday") return formatDate(addDays(ref, -1));
  if (s == "i morgen" || s == "imorgen" || s == "tomorrow") return formatDate(addDays(ref, 1));
  if ((s[0] == '+' || s[0] == '-') && s.size() <= 6 && allDigits(std::string_view(s).substr(1)))
    return formatDate(addDays(ref, (s[0] == '-' ? -1 : 1) * toInt(std::string_view(s).substr(1))));

  if (allDigits(s)) {
    // 8 digits: YYYYMMDD when it reads as one, else DDMMYYYY; 6: DDMMYY.
    if (s.size() == 8) {
      std::string_view v(s);
      if (auto iso = make(toInt(v.substr(0, 4)), toInt(v.substr(4, 2)), toInt(v.substr(6, 2)));
          iso && (v.substr(0, 2) == "19" || v.substr(0, 2) == "20"))
        return iso;
      return make(toInt(v.substr(4, 4)), toInt(v.substr(2, 2)), toInt(v.substr(0, 2)));
    }
    if (s.size() == 6) {
      std::string_view v(s);
      return make(expandYear(v.substr(4, 2)), toInt(v.substr(2, 2)), toInt(v.substr(0, 2)));
    }
    return std::nullopt;
  }

  auto parts = splitParts(s);
  for (auto p : parts)
    if (!allDigits(p) || p.size() > 4) return std::nullopt;
  if (parts.size() == 3) {
    if (parts[0].size() == 4)  // YYYY-MM-DD
      return make(toInt(parts[0]), toInt(parts[1]), toInt(parts[2]));
    if (parts[0].size() <= 2 && parts[1].size() <= 2 && parts[2].size() != 3)  // DD-MM-YYYY / DD-MM-YY
      return make(expandYear(parts[2]), toInt(parts[1]), toInt(parts[0]));
    return std::nullopt;
  }
  if (parts.size() == 2 && parts[0].size() <= 2 && parts[1].size() <= 2)  // DD-MM this year
    return make(ref.year, toInt(parts[1]), toInt(parts[0]));
  return std::nullopt;
}

std::optional<std::string> parseDateInput(std::string_view text) { return parseDateInput(text, today()); }

std::optional<std::string> parseTimeInput(std::string_view text, const ClockTime& ref) {
  std::string s = trimLower(text);
  if (s.empty()) return std::nullopt;
  if (s == "nu" || s == "now") return formatTime(ref);
  int h = -1, m = 0;
  if (allDigits(s)) {
    if (s.size() <= 2) h = toInt(s);
    else if (s.size() == 3) h = toInt(std::string_view(s).substr(0, 1)), m = toInt(std::string_view(s).substr(1));
    else if (s.size() == 4) h = toInt(std::string_view(s).substr(0, 2)), m = toInt(std::string_view(s).substr(2));
    else return std::nullopt;
  } else {
    size_t sep = s.find_first_of(":.");
    if (sep == std::string::npos) return std::nullopt;
    std::string_view hs = std::string_view(s).substr(0, sep), ms = std::string_view(s).substr(sep + 1);
    // Accept seconds ("14:30:00") and drop them.
    if (size_t sep2 = ms.find_first_of(":."); sep2 != std::string_view::npos) {
      if (!allDigits(ms.substr(sep2 + 1)) || ms.size() - sep2 - 1 != 2) return std::nullopt;
      ms = ms.substr(0, sep2);
    }
    if (!allDigits(hs) || !allDigits(ms) || hs.size() > 2 || ms.size() != 2) return std::nullopt;
    h = toInt(hs);
    m = toInt(ms);
  }
  if (h < 0 || h > 23 || m < 0 || m > 59) return std::nullopt;
  return formatTime({h, m});
}

std::optional<std::string> parseTimeInput(std::string_view text) { return parseTimeInput(text, nowClock()); }

std::optional<std::string> parseDateTimeInput(std::string_view text, const CivilDate& refDate,
                                              const ClockTime& refTime) {
  std::string s = trimLower(text);
  if (s.empty()) return std::nullopt;
  if (s == "nu" || s == "now") return formatDate(refDate) + "T" + formatTime(refTime);
  // Split at a 'T' or the last space; the date part may itself contain a
  // space ("i dag 14:30"), so try the last space first.
  if (size_t t = s.find('t'); t != std::string::npos && t >= 8 && t + 1 < s.size() &&
                              std::isdigit(static_cast<unsigned char>(s[t - 1]))) {
    auto d = parseDateInput(std::string_view(s).substr(0, t), refDate);
    auto c = parseTimeInput(std::string_view(s).substr(t + 1), refTime);
    if (d && c) return *d + "T" + *c;
  }
  if (size_t sp = s.rfind(' '); sp != std::string::npos) {
    auto d = parseDateInput(std::string_view(s).substr(0, sp), refDate);
    auto c = parseTimeInput(std::string_view(s).substr(sp + 1), refTime);
    if (d && c) return *d + "T" + *c;
  }
  if (auto d = parseDateInput(s, refDate)) return *d + "T00:00";
  return std::nullopt;
}

std::optional<std::string> parseDateTimeInput(std::string_view text) {
  return parseDateTimeInput(text, today(), nowClock());
}

}  // namespace skema
