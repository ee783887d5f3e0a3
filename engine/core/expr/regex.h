// regex(): PCRE2 in UTF-8 mode, with a bound on the work one match may do,
// so that no pattern and text can hang or crash an evaluation (a backtracking
// pattern like `(a+)+$` gives an error instead of running for minutes).
// Compiled patterns are cached per thread by their text.
#pragma once
#include <string>

namespace skema::expr {

constexpr size_t kMaxRegexPattern = 1000;  // bytes
// Longer texts are refused: single pattern items (like a possessive a*) do
// work that grows with the text at every start position without a step
// being counted, so the text's length bounds that.
constexpr size_t kMaxRegexText = 4000;     // bytes

// "" when `pattern` is a valid regex() pattern, else what is wrong, e.g.
// "missing closing parenthesis at offset 9" (offset in bytes).
std::string regexSyntaxError(const std::string& pattern);

// Whether `pattern` matches somewhere in `text` (anchor it with ^...$ to
// match the whole). Throws EvalError when the pattern is invalid, the text
// longer than kMaxRegexText or the match needs more work than allowed.
bool regexSearch(const std::string& text, const std::string& pattern);

}  // namespace skema::expr
