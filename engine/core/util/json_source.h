// JSON with source positions. nlohmann/json parses the values; a second,
// small scanner records where every value and key starts, in a tree that
// mirrors the value, so errors found later can say file:line:col for a JSON
// pointer ("/fields/3/name"). The scanner also catches duplicate object
// keys, which JSON parsers silently collapse.
//
// Limits, so that no file can exhaust the stack or the memory: arrays and
// objects nest at most kMaxJsonDepth deep (checked while parsing, before the
// value is built), and the positions take memory in proportion to the
// number of values, however deep they are.
#pragma once
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/diagnostics.h"

namespace skema {

constexpr int kMaxJsonDepth = 100;

struct JsonSource {
  nlohmann::json value;

  // Position of the member's key if it is one, else of its value, else of
  // the nearest enclosing value that has a position.
  SourcePos at(const std::string& pointer) const;
  SourcePos valueAt(const std::string& pointer) const;

  // The positions of one value and of its children.
  struct PosNode {
    SourcePos value;
    SourcePos key;  // object members: where the (first) key is
    bool isArray = false;
    std::vector<int> items;                            // arrays: node per index
    std::map<std::string, int, std::less<>> members;  // objects: node per key
  };
  std::vector<PosNode> nodes;  // nodes[0] is the root once parsed

 private:
  // The deepest node on the pointer's path; `whole` tells whether every
  // token of the pointer was found. -1 when nothing was parsed.
  int find(std::string_view pointer, bool& whole) const;
};

// Appends a pointer token, escaping '~' and '/' as RFC 6901 says.
std::string jsonPointerJoin(const std::string& base, const std::string& token);
std::string jsonPointerJoin(const std::string& base, size_t index);
// The unescaped tokens of a pointer: "/fields/0/a~1b" -> fields, 0, a/b.
std::vector<std::string> jsonPointerTokens(std::string_view pointer);

// Names the place a JSON pointer points at for a diagnostic's path (e.g. a
// form's field path), given the value parsed up to that point.
using JsonPathNamer = std::function<std::string(const nlohmann::json& partial, const std::string& pointer)>;

// Parses `text`. On invalid JSON, a number out of the range of a double or
// nesting deeper than kMaxJsonDepth returns false and reports one
// diagnostic at the real line and column (its path from `namer`, when
// given); duplicate keys are reported as errors too (the parse still
// succeeds so that further checks can run).
bool parseJsonSource(std::string_view text, const std::string& fileName, JsonSource& out,
                     Diagnostics& diags, const JsonPathNamer& namer = {});

// Line and column (1-based, bytes) of a byte offset in `text`.
SourcePos positionOfOffset(std::string_view text, size_t offset);

}  // namespace skema
