// Values of the expression language, with ODK's XPath 1.0 conversions.
// A value is a number (double), a string, a boolean, a date, a date-time, a
// time, or a node-set (the values of a field inside a repeat, read from
// outside it). Unanswered fields are the empty string.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace skema::expr {

enum class Type : unsigned char { String, Number, Boolean, Date, DateTime, Time, NodeSet };

// "string", "number", "boolean", "date", "datetime", "time", "nodeset".
const char* typeName(Type t);

struct Value {
  Type type = Type::String;
  // Number: the number. Boolean: 0/1. Date: days since 1970-01-01.
  // DateTime: days since 1970-01-01T00:00Z (with fraction). Time: fraction of a day.
  double num = 0;
  // DateTime only: the zone offset in minutes the value is shown in;
  // kNoZone when written without a zone.
  int tzMinutes = kNoZone;
  std::string str;  // String only
  std::shared_ptr<const std::vector<Value>> nodes;  // NodeSet only

  static constexpr int kNoZone = -100000;

  Value() = default;
  static Value number(double d) { Value v; v.type = Type::Number; v.num = d; return v; }
  static Value boolean(bool b) { Value v; v.type = Type::Boolean; v.num = b ? 1 : 0; return v; }
  static Value string(std::string s) { Value v; v.str = std::move(s); return v; }
  static Value date(double days) { Value v; v.type = Type::Date; v.num = days; return v; }
  static Value dateTime(double days, int tz = kNoZone) {
    Value v; v.type = Type::DateTime; v.num = days; v.tzMinutes = tz; return v;
  }
  static Value time(double fraction) { Value v; v.type = Type::Time; v.num = fraction; return v; }
  static Value nodeSet(std::vector<Value> items) {
    Value v; v.type = Type::NodeSet;
    v.nodes = std::make_shared<const std::vector<Value>>(std::move(items));
    return v;
  }

  bool isString() const { return type == Type::String; }
  bool isNumber() const { return type == Type::Number; }
  bool isDateLike() const { return type == Type::Date || type == Type::DateTime || type == Type::Time; }
  // Empty string (unanswered) or empty node-set.
  bool isEmpty() const;

  // XPath conversions (ODK flavour).
  double toNumber() const;
  std::string toString() const;
  bool toBoolean() const;

  // Same type and same content (used to detect changes).
  bool sameAs(const Value& o) const;
};

// XPath number(string): optional '-', digits, optional fraction; surrounding
// whitespace allowed; anything else (and "") is NaN.
double stringToNumber(std::string_view s);
// XPath string(number): integers without fraction, "NaN", "Infinity",
// "-Infinity", otherwise the shortest decimal form that reads back exactly.
std::string numberToString(double d);

// ---- Dates and times -------------------------------------------------------
// Days from 1970-01-01 for a civil date (proleptic Gregorian).
long long daysFromCivil(int y, int m, int d);
void civilFromDays(long long z, int& y, int& m, int& d);

// "YYYY-MM-DD" (exactly), a valid calendar date.
std::optional<Value> parseDate(std::string_view s);
// "YYYY-MM-DDTHH:MM(:SS(.fff))(Z|+hh:mm|-hh:mm)"; a bare date is midnight.
std::optional<Value> parseDateTime(std::string_view s);
// "HH:MM(:SS(.fff))" with an optional zone (ignored).
std::optional<Value> parseTime(std::string_view s);

std::string formatDate(double days);
std::string formatDateTime(double days, int tzMinutes);
std::string formatTime(double fraction);

// The local zone offset in minutes at the given UTC instant (seconds).
int localOffsetMinutes(long long utcSeconds);

}  // namespace skema::expr
