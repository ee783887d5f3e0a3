#include "expr/functions.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <mutex>
#include <random>
#include <unordered_map>

#include "expr/regex.h"
#include "form/form.h"

namespace skema::expr {

Value EvalContext::ref(const Node&) const { return Value(); }
Value EvalContext::current() const { return Value(); }
Value EvalContext::name(const Node&) const { return Value(); }
const ChoiceList* EvalContext::choicesOf(const std::string&) const { return nullptr; }

std::string arityMessage(const std::string& name, int minArgs, int maxArgs, int got) {
  auto plural = [](int n) { return std::to_string(n) + (n == 1 ? " argument" : " arguments"); };
  std::string takes;
  if (minArgs == maxArgs) takes = plural(minArgs);
  else if (maxArgs < 0) takes = "at least " + plural(minArgs);
  else takes = std::to_string(minArgs) + " to " + plural(maxArgs);
  return "function " + name + "() takes " + takes + ", got " + std::to_string(got);
}

bool isSpecialForm(const std::string& name, int& minArgs, int& maxArgs) {
  if (name == "if") { minArgs = maxArgs = 3; return true; }
  if (name == "once") { minArgs = maxArgs = 1; return true; }
  if (name == "jr:choice-name") { minArgs = maxArgs = 2; return true; }
  if (name == "position") { minArgs = 0; maxArgs = 1; return true; }
  return false;
}

FunctionRegistry& FunctionRegistry::global() {
  static FunctionRegistry* reg = [] {
    auto* r = new FunctionRegistry();
    r->addBuiltins();
    return r;
  }();
  return *reg;
}

bool FunctionRegistry::add(FunctionDef def) {
  std::lock_guard lock(m_mutex);
  int a, b;
  if (isSpecialForm(def.name, a, b)) return false;
  auto name = def.name;
  const bool added = m_functions.emplace(name, std::make_shared<const FunctionDef>(std::move(def))).second;
  m_generation += added;
  return added;
}

int FunctionRegistry::unregisterOwner(const std::string& owner) {
  std::lock_guard lock(m_mutex);
  int n = 0;
  for (auto it = m_functions.begin(); it != m_functions.end();) {
    if (it->second->owner == owner) {
      it = m_functions.erase(it);
      ++n;
      ++m_generation;
    } else {
      ++it;
    }
  }
  return n;
}

bool FunctionRegistry::remove(const std::string& name) {
  std::lock_guard lock(m_mutex);
  const bool removed = m_functions.erase(name) > 0;
  m_generation += removed;
  return removed;
}

unsigned FunctionRegistry::generation() const {
  std::lock_guard lock(m_mutex);
  return m_generation;
}

std::shared_ptr<const FunctionDef> FunctionRegistry::find(const std::string& name) const {
  std::lock_guard lock(m_mutex);
  auto it = m_functions.find(name);
  return it == m_functions.end() ? nullptr : it->second;
}

std::vector<std::string> FunctionRegistry::names() const {
  std::lock_guard lock(m_mutex);
  std::vector<std::string> out;
  for (const auto& [k, v] : m_functions) out.push_back(k);
  return out;
}

std::vector<std::string> splitSelected(const std::string& s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
    size_t b = i;
    while (i < s.size() && !(s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
    if (i > b) out.emplace_back(s.substr(b, i - b));
  }
  return out;
}

namespace {

// ---- UTF-8 ------------------------------------------------------------------
std::u32string decode(const std::string& s) {
  std::u32string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) { out.push_back(c); ++i; continue; }
    char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1f) : n == 3 ? (c & 0x0f) : (c & 0x07);
    bool ok = true;
    for (int k = 1; k < n; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc >> 6) != 2) { ok = false; break; }
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (!ok) { out.push_back(c); ++i; continue; }
    out.push_back(cp);
    i += n;
  }
  return out;
}

std::string encode(const std::u32string& s) {
  std::string out;
  out.reserve(s.size());
  for (char32_t cp : s) {
    if (cp < 0x80) out.push_back(static_cast<char>(cp));
    else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    }
  }
  return out;
}

size_t utf8Length(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}


// ---- helpers ----------------------------------------------------------------
using Args = std::span<const Value>;

void flatten(Args args, size_t from, std::vector<Value>& out) {
  for (size_t i = from; i < args.size(); ++i) {
    if (args[i].type == Type::NodeSet) {
      if (args[i].nodes) out.insert(out.end(), args[i].nodes->begin(), args[i].nodes->end());
    } else {
      out.push_back(args[i]);
    }
  }
}

Value str(std::string s) { return Value::string(std::move(s)); }
Value num(double d) { return Value::number(d); }
Value boo(bool b) { return Value::boolean(b); }

// Argument 0, or the current value when the function was called without it.
Value argOrCurrent(const CallContext& c, Args a) { return a.empty() ? c.ctx.current() : a[0]; }

double roundAway(double x, double digits) {
  if (!std::isfinite(x)) return x;
  if (std::isnan(digits)) return NAN;
  double p = std::pow(10.0, digits);
  double r = std::floor(std::fabs(x) * p + 0.5) / p;
  // Guard against representation error (e.g. 1.005 * 100 = 100.49999...).
  double alt = std::floor(std::fabs(x) * p + 0.5 + 1e-9) / p;
  if (alt != r && std::fabs(std::fabs(x) * p - std::floor(std::fabs(x) * p) - 0.5) < 1e-9) r = alt;
  return x < 0 ? -r : r;
}

bool isWs(char32_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

Value nowValue() {
  using namespace std::chrono;
  auto ms = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  int tz = localOffsetMinutes(ms / 1000);
  return Value::dateTime(static_cast<double>(ms) / 86400000.0, tz);
}

// Converts to a date-time value (days since epoch UTC + zone); nullopt when empty.
std::optional<Value> toDateTime(const Value& v, const char* fn) {
  switch (v.type) {
    case Type::DateTime: return v;
    case Type::Date: return Value::dateTime(v.num);
    case Type::Time: return Value::dateTime(v.num);
    case Type::Number:
      if (std::isnan(v.num)) return std::nullopt;
      return Value::dateTime(v.num);
    case Type::Boolean: throw EvalError(std::string(fn) + "(): a boolean is not a date");
    case Type::String:
    case Type::NodeSet: {
      std::string s = v.toString();
      if (s.empty()) return std::nullopt;
      if (auto d = parseDateTime(s)) return d;
      if (auto t = parseTime(s)) return Value::dateTime(t->num);
      double n = stringToNumber(s);
      if (!std::isnan(n)) return Value::dateTime(n);
      throw EvalError(std::string(fn) + "(): '" + s + "' is not a date");
    }
  }
  return std::nullopt;
}

// Local days (with fraction) of a date-time value, in the zone it is shown in.
double localDays(const Value& dt) {
  if (dt.type == Type::DateTime && dt.tzMinutes != Value::kNoZone) return dt.num + dt.tzMinutes / 1440.0;
  return dt.num;
}

std::string randomUuid(int length) {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static const char* hex = "0123456789abcdef";
  static const char* alnum = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  std::string out;
  if (length > 0) {
    for (int i = 0; i < length; ++i) out.push_back(alnum[rng() % 62]);
    return out;
  }
  for (int i = 0; i < 36; ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) out.push_back('-');
    else if (i == 14) out.push_back('4');
    else if (i == 19) out.push_back(hex[8 + rng() % 4]);
    else out.push_back(hex[rng() % 16]);
  }
  return out;
}

std::string base64Decode(const std::string& in) {
  auto val = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    return -1;
  };
  std::string out;
  uint32_t buf = 0;
  int bits = 0;
  for (char c : in) {
    if (c == '=' || c == ' ' || c == '\n' || c == '\r') continue;
    int v = val(c);
    if (v < 0) throw EvalError("base64-decode(): not base64 text");
    buf = (buf << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buf >> bits) & 0xff));
    }
  }
  return out;
}

}  // namespace

std::string formatDateValue(const Value& v, const std::string& format, bool withTime) {
  auto dt = toDateTime(v, withTime ? "format-date-time" : "format-date");
  if (!dt) return "";
  double local = localDays(*dt);
  if (!std::isfinite(local)) return "";
  long long totalMs = std::llround(local * 86400000.0);
  long long day = static_cast<long long>(std::floor(static_cast<double>(totalMs) / 86400000.0));
  long long rem = totalMs - day * 86400000LL;
  int y, m, d;
  civilFromDays(day, y, m, d);
  int h = static_cast<int>(rem / 3600000), mi = static_cast<int>(rem / 60000 % 60),
      s = static_cast<int>(rem / 1000 % 60), ms = static_cast<int>(rem % 1000);
  long long wd = ((day % 7) + 7 + 4) % 7;  // 1970-01-01 was a Thursday (4)
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  std::string out;
  char buf[16];
  auto two = [&](int x) { std::snprintf(buf, sizeof buf, "%02d", x); out += buf; };
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%' || i + 1 >= format.size()) { out.push_back(format[i]); continue; }
    char f = format[++i];
    switch (f) {
      case 'Y': std::snprintf(buf, sizeof buf, "%04d", y); out += buf; break;
      case 'y': two(((y % 100) + 100) % 100); break;
      case 'm': two(m); break;
      case 'n': out += std::to_string(m); break;
      case 'b': out += kMonths[m - 1]; break;
      case 'd': two(d); break;
      case 'e': out += std::to_string(d); break;
      case 'a': out += kDays[wd]; break;
      case 'H': two(h); break;
      case 'h': out += std::to_string(h); break;
      case 'M': two(mi); break;
      case 'S': two(s); break;
      case '3': std::snprintf(buf, sizeof buf, "%03d", ms); out += buf; break;
      case '%': out.push_back('%'); break;
      default: out.push_back('%'); out.push_back(f); break;
    }
  }
  return out;
}

void FunctionRegistry::addBuiltins() {
  auto def = [this](const char* name, int mn, int mx, Function fn, bool vol = false) {
    FunctionDef d;
    d.name = name;
    d.minArgs = mn;
    d.maxArgs = mx;
    d.fn = std::move(fn);
    d.owner = "core";
    d.isVolatile = vol;
    add(std::move(d));
  };
  using C = const CallContext&;
  auto math1 = [&](const char* name, double (*f)(double)) {
    def(name, 1, 1, [f](C, Args a) { return num(f(a[0].toNumber())); });
  };

  // ---- logic
  def("true", 0, 0, [](C, Args) { return boo(true); });
  def("false", 0, 0, [](C, Args) { return boo(false); });
  def("not", 1, 1, [](C, Args a) { return boo(!a[0].toBoolean()); });
  def("boolean", 1, 1, [](C, Args a) { return boo(a[0].toBoolean()); });
  def("boolean-from-string", 1, 1, [](C, Args a) {
    std::string s = a[0].toString();
    return boo(s == "true" || s == "1");
  });
  def("coalesce", 2, -1, [](C, Args a) {
    for (const auto& v : a)
      if (!v.toString().empty()) return v.type == Type::NodeSet ? str(v.toString()) : v;
    return str("");
  });
  def("checklist", 2, -1, [](C, Args a) {
    double mn = a[0].toNumber(), mx = a[1].toNumber();
    std::vector<Value> vs;
    flatten(a, 2, vs);
    int n = 0;
    for (const auto& v : vs) n += v.toBoolean() ? 1 : 0;
    return boo((mn < 0 || n >= mn) && (mx < 0 || n <= mx));
  });
  def("weighted-checklist", 2, -1, [](C, Args a) {
    if (a.size() % 2 != 0) throw EvalError("weighted-checklist() needs value/weight pairs after min and max");
    double mn = a[0].toNumber(), mx = a[1].toNumber(), sum = 0;
    for (size_t i = 2; i + 1 < a.size(); i += 2)
      if (a[i].toBoolean()) sum += a[i + 1].toNumber();
    return boo((mn < 0 || sum >= mn) && (mx < 0 || sum <= mx));
  });

  // ---- select values
  def("selected", 2, 2, [](C, Args a) {
    std::string want = a[1].toString();
    auto trimmed = splitSelected(want);
    if (trimmed.size() != 1) return boo(false);
    for (const auto& s : splitSelected(a[0].toString()))
      if (s == trimmed[0]) return boo(true);
    return boo(false);
  });
  def("selected-at", 2, 2, [](C, Args a) {
    auto items = splitSelected(a[0].toString());
    double i = a[1].toNumber();
    if (std::isnan(i) || i < 0 || i >= static_cast<double>(items.size())) return str("");
    return str(items[static_cast<size_t>(i)]);
  });
  def("count-selected", 1, 1, [](C, Args a) {
    return num(static_cast<double>(splitSelected(a[0].toString()).size()));
  });

  // ---- node-sets (repeats)
  def("count", 1, 1, [](C, Args a) {
    if (a[0].type == Type::NodeSet) return num(a[0].nodes ? static_cast<double>(a[0].nodes->size()) : 0);
    return num(1);
  });
  def("count-non-empty", 1, 1, [](C, Args a) {
    std::vector<Value> vs;
    flatten(a, 0, vs);
    double n = 0;
    for (const auto& v : vs) n += v.toString().empty() ? 0 : 1;
    return num(n);
  });
  def("sum", 1, 1, [](C, Args a) {
    std::vector<Value> vs;
    flatten(a, 0, vs);
    double s = 0;
    for (const auto& v : vs) s += v.toNumber();
    return num(s);
  });
  auto minmax = [](bool isMax) {
    return [isMax](C, Args a) {
      std::vector<Value> vs;
      flatten(a, 0, vs);
      if (vs.empty()) return num(NAN);
      double r = isMax ? -INFINITY : INFINITY;
      for (const auto& v : vs) {
        double d = v.toNumber();
        if (std::isnan(d)) return num(NAN);
        r = isMax ? std::max(r, d) : std::min(r, d);
      }
      return num(r);
    };
  };
  def("max", 1, -1, minmax(true));
  def("min", 1, -1, minmax(false));
  def("distinct-values", 1, 1, [](C, Args a) {
    std::vector<Value> vs, out;
    flatten(a, 0, vs);
    std::vector<std::string> seen;
    for (const auto& v : vs) {
      std::string s = v.toString();
      if (s.empty() || std::find(seen.begin(), seen.end(), s) != seen.end()) continue;
      seen.push_back(s);
      out.push_back(v);
    }
    return Value::nodeSet(std::move(out));
  });
  def("indexed-repeat", 3, 3, [](C, Args a) {
    double i = a[2].toNumber();
    if (a[0].type != Type::NodeSet) return i == 1 ? a[0] : str("");
    if (!a[0].nodes || std::isnan(i) || i < 1 || i > static_cast<double>(a[0].nodes->size())) return str("");
    return (*a[0].nodes)[static_cast<size_t>(i) - 1];
  });

  // ---- strings
  def("string", 0, 1, [](C c, Args a) { return str(argOrCurrent(c, a).toString()); });
  def("concat", 0, -1, [](C, Args a) {
    std::vector<Value> vs;
    flatten(a, 0, vs);
    std::string out;
    for (const auto& v : vs) out += v.toString();
    return str(std::move(out));
  });
  def("join", 1, -1, [](C, Args a) {
    std::string sep = a[0].toString(), out;
    std::vector<Value> vs;
    flatten(a, 1, vs);
    for (size_t i = 0; i < vs.size(); ++i) {
      if (i) out += sep;
      out += vs[i].toString();
    }
    return str(std::move(out));
  });
  def("substr", 2, 3, [](C, Args a) {
    auto s = decode(a[0].toString());
    double n = static_cast<double>(s.size());
    double b = a[1].toNumber(), e = a.size() > 2 ? a[2].toNumber() : n;
    if (std::isnan(b) || std::isnan(e)) return str("");
    if (b < 0) b = std::max(0.0, n + b);
    if (e < 0) e = std::max(0.0, n + e);
    b = std::min(std::floor(b), n);
    e = std::min(std::floor(e), n);
    if (b >= e) return str("");
    return str(encode(s.substr(static_cast<size_t>(b), static_cast<size_t>(e - b))));
  });
  def("substring", 2, 3, [](C, Args a) {
    auto s = decode(a[0].toString());
    double start = std::floor(a[1].toNumber() + 0.5);
    bool hasLen = a.size() > 2;
    double len = hasLen ? std::floor(a[2].toNumber() + 0.5) : 0;
    std::u32string out;
    for (size_t i = 0; i < s.size(); ++i) {
      double p = static_cast<double>(i + 1);
      if (p >= start && (!hasLen || p < start + len)) out.push_back(s[i]);
    }
    return str(encode(out));
  });
  def("substring-before", 2, 2, [](C, Args a) {
    std::string s = a[0].toString(), t = a[1].toString();
    auto p = s.find(t);
    return str(p == std::string::npos ? "" : s.substr(0, p));
  });
  def("substring-after", 2, 2, [](C, Args a) {
    std::string s = a[0].toString(), t = a[1].toString();
    auto p = s.find(t);
    return str(p == std::string::npos ? "" : s.substr(p + t.size()));
  });
  def("string-length", 0, 1, [](C c, Args a) {
    return num(static_cast<double>(utf8Length(argOrCurrent(c, a).toString())));
  });
  def("normalize-space", 0, 1, [](C c, Args a) {
    std::string s = argOrCurrent(c, a).toString(), out;
    bool space = false;
    for (char ch : s) {
      if (isWs(static_cast<unsigned char>(ch))) {
        space = !out.empty();
      } else {
        if (space) out.push_back(' ');
        space = false;
        out.push_back(ch);
      }
    }
    return str(std::move(out));
  });
  def("contains", 2, 2, [](C, Args a) { return boo(a[0].toString().find(a[1].toString()) != std::string::npos); });
  def("starts-with", 2, 2, [](C, Args a) {
    std::string s = a[0].toString(), t = a[1].toString();
    return boo(s.compare(0, t.size(), t) == 0 && s.size() >= t.size());
  });
  def("ends-with", 2, 2, [](C, Args a) {
    std::string s = a[0].toString(), t = a[1].toString();
    return boo(s.size() >= t.size() && s.compare(s.size() - t.size(), t.size(), t) == 0);
  });
  def("translate", 3, 3, [](C, Args a) {
    auto s = decode(a[0].toString()), from = decode(a[1].toString()), to = decode(a[2].toString());
    std::u32string out;
    for (char32_t ch : s) {
      auto p = from.find(ch);
      if (p == std::u32string::npos) out.push_back(ch);
      else if (p < to.size()) out.push_back(to[p]);
    }
    return str(encode(out));
  });
  def("regex", 2, 2, [](C, Args a) { return boo(regexSearch(a[0].toString(), a[1].toString())); });
  def("digest", 2, 3, [](C, Args a) {
    std::string err;
    std::string out = digest(a[0].toString(), a[1].toString(), a.size() > 2 ? a[2].toString() : "base64", err);
    if (!err.empty()) throw EvalError(err);
    return str(std::move(out));
  });
  def("base64-decode", 1, 1, [](C, Args a) { return str(base64Decode(a[0].toString())); });
  def("uuid", 0, 1, [](C, Args a) {
    int n = 0;
    if (!a.empty()) {
      double d = a[0].toNumber();
      if (std::isnan(d) || d < 1 || d > 10000) throw EvalError("uuid(): the length must be a number from 1 to 10000");
      n = static_cast<int>(d);
    }
    return str(randomUuid(n));
  }, true);

  // ---- numbers
  def("number", 0, 1, [](C c, Args a) { return num(argOrCurrent(c, a).toNumber()); });
  def("int", 1, 1, [](C, Args a) { return num(std::trunc(a[0].toNumber())); });
  def("round", 1, 2, [](C, Args a) {
    return num(roundAway(a[0].toNumber(), a.size() > 1 ? std::trunc(a[1].toNumber()) : 0));
  });
  def("pow", 2, 2, [](C, Args a) { return num(std::pow(a[0].toNumber(), a[1].toNumber())); });
  math1("abs", [](double x) { return std::fabs(x); });
  math1("sqrt", [](double x) { return std::sqrt(x); });
  math1("exp", [](double x) { return std::exp(x); });
  math1("exp10", [](double x) { return std::pow(10.0, x); });
  math1("log", [](double x) { return std::log(x); });
  math1("log10", [](double x) { return std::log10(x); });
  math1("floor", [](double x) { return std::floor(x); });
  math1("ceiling", [](double x) { return std::ceil(x); });
  math1("sin", [](double x) { return std::sin(x); });
  math1("cos", [](double x) { return std::cos(x); });
  math1("tan", [](double x) { return std::tan(x); });
  math1("asin", [](double x) { return std::asin(x); });
  math1("acos", [](double x) { return std::acos(x); });
  math1("atan", [](double x) { return std::atan(x); });
  def("atan2", 2, 2, [](C, Args a) { return num(std::atan2(a[0].toNumber(), a[1].toNumber())); });
  def("pi", 0, 0, [](C, Args) { return num(M_PI); });

  // ---- dates and times
  def("today", 0, 0, [](C, Args) {
    Value n = nowValue();
    return Value::date(std::floor(localDays(n)));
  }, true);
  def("now", 0, 0, [](C, Args) { return nowValue(); }, true);
  def("date", 1, 1, [](C, Args a) {
    if (a[0].type == Type::Date) return a[0];
    auto dt = toDateTime(a[0], "date");
    if (!dt) return str("");
    return Value::date(std::floor(localDays(*dt)));
  });
  def("date-time", 1, 1, [](C, Args a) {
    auto dt = toDateTime(a[0], "date-time");
    if (!dt) return str("");
    return *dt;
  });
  def("decimal-date-time", 1, 1, [](C, Args a) {
    auto dt = toDateTime(a[0], "decimal-date-time");
    return num(dt ? dt->num : NAN);
  });
  def("decimal-time", 1, 1, [](C, Args a) {
    if (a[0].type == Type::Time) return num(a[0].num);
    std::string s = a[0].toString();
    if (auto t = parseTime(s)) return num(t->num);
    if (a[0].type == Type::DateTime) {
      double l = localDays(a[0]);
      return num(l - std::floor(l));
    }
    if (auto dt = parseDateTime(s)) {
      double l = localDays(*dt);
      return num(l - std::floor(l));
    }
    return num(NAN);
  });
  def("format-date", 2, 2, [](C, Args a) { return str(formatDateValue(a[0], a[1].toString(), false)); });
  def("format-date-time", 2, 2, [](C, Args a) { return str(formatDateValue(a[0], a[1].toString(), true)); });
}

}  // namespace skema::expr
