#include "expr/value.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace skema::expr {

const char* typeName(Type t) {
  switch (t) {
    case Type::String: return "string";
    case Type::Number: return "number";
    case Type::Boolean: return "boolean";
    case Type::Date: return "date";
    case Type::DateTime: return "datetime";
    case Type::Time: return "time";
    case Type::NodeSet: return "nodeset";
  }
  return "string";
}

bool Value::isEmpty() const {
  if (type == Type::String) return str.empty();
  if (type == Type::NodeSet) return !nodes || nodes->empty();
  return false;
}

double Value::toNumber() const {
  switch (type) {
    case Type::String: return stringToNumber(str);
    case Type::NodeSet: return (nodes && !nodes->empty()) ? (*nodes)[0].toNumber() : NAN;
    default: return num;
  }
}

std::string Value::toString() const {
  switch (type) {
    case Type::String: return str;
    case Type::Number: return numberToString(num);
    case Type::Boolean: return num != 0 ? "true" : "false";
    case Type::Date: return formatDate(num);
    case Type::DateTime: return formatDateTime(num, tzMinutes);
    case Type::Time: return formatTime(num);
    case Type::NodeSet: return (nodes && !nodes->empty()) ? (*nodes)[0].toString() : std::string();
  }
  return str;
}

bool Value::toBoolean() const {
  switch (type) {
    case Type::String: return !str.empty();
    case Type::Number: return num != 0 && !std::isnan(num);
    case Type::Boolean: return num != 0;
    case Type::NodeSet: return nodes && !nodes->empty();
    default: return true;
  }
}

bool Value::sameAs(const Value& o) const {
  if (type != o.type) return false;
  switch (type) {
    case Type::String: return str == o.str;
    case Type::NodeSet: {
      size_t n = nodes ? nodes->size() : 0, m = o.nodes ? o.nodes->size() : 0;
      if (n != m) return false;
      for (size_t i = 0; i < n; ++i)
        if (!(*nodes)[i].sameAs((*o.nodes)[i])) return false;
      return true;
    }
    default:
      if (std::isnan(num) && std::isnan(o.num)) return true;
      return num == o.num && tzMinutes == o.tzMinutes;
  }
}

static bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

double stringToNumber(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && isSpace(s[b])) ++b;
  while (e > b && isSpace(s[e - 1])) --e;
  s = s.substr(b, e - b);
  if (s.empty()) return NAN;
  size_t i = 0;
  bool neg = false;
  if (s[0] == '-') { neg = true; ++i; }
  size_t digits = 0, start = i;
  bool dot = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') ++digits;
    else if (c == '.' && !dot) dot = true;
    else return NAN;
  }
  if (digits == 0) return NAN;
  double v = 0;
  auto body = s.substr(start);
  auto r = std::from_chars(body.data(), body.data() + body.size(), v, std::chars_format::fixed);
  if (r.ec != std::errc() && r.ec != std::errc::result_out_of_range) return NAN;
  if (r.ec == std::errc::result_out_of_range) v = HUGE_VAL;
  return neg ? -v : v;
}

std::string numberToString(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  if (d == 0) return "0";
  if (d == std::floor(d) && std::fabs(d) < 1e18) {
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(d));
    return std::string(buf, r.ptr);
  }
  char buf[400];
  auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
  return std::string(buf, r.ptr);
}

// Howard Hinnant's days_from_civil / civil_from_days.
long long daysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

void civilFromDays(long long z, int& y, int& m, int& d) {
  z += 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long long yy = static_cast<long long>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(yy + (m <= 2));
}

static bool digitsAt(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

static bool validDate(int y, int m, int d) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  int md = kDays[m - 1] + (m == 2 && leap ? 1 : 0);
  return d <= md;
}

// Parses "HH:MM(:SS(.fff))" at s; returns characters used, 0 on failure.
static size_t parseClock(std::string_view s, double& seconds) {
  int h, mi, se = 0;
  if (!digitsAt(s, 0, 2, h) || s.size() < 5 || s[2] != ':' || !digitsAt(s, 3, 2, mi)) return 0;
  if (h > 24 || mi > 59) return 0;
  size_t i = 5;
  double frac = 0;
  if (i < s.size() && s[i] == ':') {
    if (!digitsAt(s, i + 1, 2, se) || se > 60) return 0;
    i += 3;
    if (i < s.size() && s[i] == '.') {
      size_t j = i + 1;
      double scale = 0.1;
      while (j < s.size() && s[j] >= '0' && s[j] <= '9') {
        frac += (s[j] - '0') * scale;
        scale /= 10;
        ++j;
      }
      if (j == i + 1) return 0;
      i = j;
    }
  }
  if (h == 24 && (mi || se || frac > 0)) return 0;
  seconds = h * 3600.0 + mi * 60.0 + se + frac;
  return i;
}

// Parses a zone at s: "Z", "+hh:mm", "+hhmm", "+hh". Returns chars used (0 = none).
static size_t parseZone(std::string_view s, int& minutes, bool& ok) {
  ok = true;
  if (s.empty()) return 0;
  if (s[0] == 'Z') { minutes = 0; return 1; }
  if (s[0] != '+' && s[0] != '-') { ok = false; return 0; }
  int hh, mm = 0;
  if (!digitsAt(s, 1, 2, hh)) { ok = false; return 0; }
  size_t i = 3;
  if (i < s.size() && s[i] == ':') {
    if (!digitsAt(s, 4, 2, mm)) { ok = false; return 0; }
    i = 6;
  } else if (i < s.size()) {
    if (!digitsAt(s, 3, 2, mm)) { ok = false; return 0; }
    i = 5;
  }
  if (hh > 14 || mm > 59) { ok = false; return 0; }
  minutes = (hh * 60 + mm) * (s[0] == '-' ? -1 : 1);
  return i;
}

std::optional<Value> parseDate(std::string_view s) {
  int y, m, d;
  if (s.size() != 10 || !digitsAt(s, 0, 4, y) || s[4] != '-' || !digitsAt(s, 5, 2, m) ||
      s[7] != '-' || !digitsAt(s, 8, 2, d) || !validDate(y, m, d))
    return std::nullopt;
  return Value::date(static_cast<double>(daysFromCivil(y, m, d)));
}

std::optional<Value> parseDateTime(std::string_view s) {
  if (s.size() < 10) return std::nullopt;
  auto date = parseDate(s.substr(0, 10));
  if (!date) return std::nullopt;
  if (s.size() == 10) return Value::dateTime(date->num);
  if (s[10] != 'T' && s[10] != ' ') return std::nullopt;
  double secs = 0;
  auto rest = s.substr(11);
  size_t used = parseClock(rest, secs);
  if (!used) return std::nullopt;
  rest = rest.substr(used);
  int tz = Value::kNoZone;
  bool ok = true;
  size_t zu = parseZone(rest, tz, ok);
  if (!ok || zu != rest.size()) return std::nullopt;
  double days = date->num + secs / 86400.0;
  if (tz != Value::kNoZone) days -= tz / 1440.0;
  return Value::dateTime(days, tz);
}

std::optional<Value> parseTime(std::string_view s) {
  double secs = 0;
  size_t used = parseClock(s, secs);
  if (!used) return std::nullopt;
  int tz = 0;
  bool ok = true;
  size_t zu = parseZone(s.substr(used), tz, ok);
  if (!ok || used + zu != s.size()) return std::nullopt;
  return Value::time(secs / 86400.0);
}

std::string formatDate(double days) {
  if (!std::isfinite(days)) return "";
  int y, m, d;
  civilFromDays(static_cast<long long>(std::floor(days)), y, m, d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

static void clockParts(double fraction, int& h, int& mi, int& s, int& ms) {
  long long totalMs = std::llround(fraction * 86400000.0);
  if (totalMs >= 86400000LL) totalMs = 86400000LL - 1;
  if (totalMs < 0) totalMs = 0;
  h = static_cast<int>(totalMs / 3600000);
  mi = static_cast<int>(totalMs / 60000 % 60);
  s = static_cast<int>(totalMs / 1000 % 60);
  ms = static_cast<int>(totalMs % 1000);
}

std::string formatDateTime(double days, int tzMinutes) {
  if (!std::isfinite(days)) return "";
  double local = days + (tzMinutes == Value::kNoZone ? 0 : tzMinutes / 1440.0);
  long long totalMs = std::llround(local * 86400000.0);
  long long day = totalMs >= 0 ? totalMs / 86400000LL : -((-totalMs + 86400000LL - 1) / 86400000LL);
  long long rem = totalMs - day * 86400000LL;
  int h, mi, s, ms;
  clockParts(rem / 86400000.0, h, mi, s, ms);
  std::string out = formatDate(static_cast<double>(day));
  char buf[48];
  std::snprintf(buf, sizeof buf, "T%02d:%02d:%02d.%03d", h, mi, s, ms);
  out += buf;
  if (tzMinutes == 0) {
    out += "Z";
  } else if (tzMinutes != Value::kNoZone) {
    int a = tzMinutes < 0 ? -tzMinutes : tzMinutes;
    std::snprintf(buf, sizeof buf, "%c%02d:%02d", tzMinutes < 0 ? '-' : '+', a / 60, a % 60);
    out += buf;
  }
  return out;
}

std::string formatTime(double fraction) {
  if (!std::isfinite(fraction)) return "";
  fraction -= std::floor(fraction);
  int h, mi, s, ms;
  clockParts(fraction, h, mi, s, ms);
  char buf[32];
  if (ms)
    std::snprintf(buf, sizeof buf, "%02d:%02d:%02d.%03d", h, mi, s, ms);
  else
    std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", h, mi, s);
  return buf;
}

int localOffsetMinutes(long long utcSeconds) {
  std::time_t t = static_cast<std::time_t>(utcSeconds);
  std::tm tm{};
  localtime_r(&t, &tm);
  return static_cast<int>(tm.tm_gmtoff / 60);
}

}  // namespace skema::expr
