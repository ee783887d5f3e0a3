// JSON with source positions. nlohmann/json parses the values; a second,
// small scanner records where every value and key starts, keyed by JSON
// pointer ("/fields/3/name"), so errors found later can say file:line:col.
// The scanner also catches duplicate object keys, which JSON parsers
// silently collapse.
#pragma once
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "util/diagnostics.h"

namespace skema {

struct JsonSource {
  nlohmann::json value;
  std::map<std::string, SourcePos> valuePos;  // pointer -> start of the value
  std::map<std::string, SourcePos> keyPos;    // pointer -> start of its key (object members)

  // Position of the member's key if it is one, else of its value, else of
  // the nearest enclosing value that has a position.
  SourcePos at(const std::string& pointer) const;
  SourcePos valueAt(const std::string& pointer) const;
};

// Appends a pointer token, escaping '~' and '/' as RFC 6901 says.
std::string jsonPointerJoin(const std::string& base, const std::string& token);
std::string jsonPointerJoin(const std::string& base, size_t index);

// Parses `text`. On invalid JSON returns false and reports one diagnostic at
// the real line and column; duplicate keys are reported as errors too (the
// parse still succeeds so that further checks can run).
bool parseJsonSource(std::string_view text, const std::string& fileName, JsonSource& out,
                     Diagnostics& diags);

// Line and column (1-based, bytes) of a byte offset in `text`.
SourcePos positionOfOffset(std::string_view text, size_t offset);

}  // namespace skema
