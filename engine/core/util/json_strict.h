// Strict parsing of JSON that comes in from outside (import rows, repeat
// cells of a CSV): nlohmann/json's parser through a SAX handler that also
// refuses what its DOM parser lets through — nesting deeper than a limit
// (recursive code further on, dump() included, overflows the stack on deep
// values, and SQLite refuses them), duplicate object keys (the DOM parser
// silently keeps the last one) — and says where each problem is.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace skema {

struct JsonProblem {
  std::size_t offset = 0;  // 0-based byte offset in the text (text size = at its end)
  std::string message;     // e.g. "duplicate key \"people\"", "nested deeper than 64 levels"
};

// Parses `text` (one JSON value, surrounding white space allowed) into
// `out`. At most `maxDepth` arrays and objects may be open at once (the
// outermost counts as 1). On a problem returns false and fills `problem`.
bool parseJsonStrict(std::string_view text, nlohmann::json& out, JsonProblem& problem, int maxDepth);

// nlohmann's exception text without its prefix: "[json.exception.parse_error.101]
// parse error at line 1, column 5: syntax error ..." -> "syntax error ...".
std::string jsonErrorMessage(const std::string& what);

// "an array", "a number", ... for messages such as "expected a JSON object, got an array".
std::string jsonKindName(const nlohmann::json& v);

}  // namespace skema
