#include "expr/regex.h"

#include <memory>
#include <unordered_map>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "expr/functions.h"

namespace skema::expr {

namespace {

// PCRE2 backtracks on the heap (not the stack). Its own match limit counts
// afresh at each start position in the text, so the work of one regex() is
// bounded by counting steps in a callout before every pattern item instead:
// kMaxSteps for the whole text. Reaching a limit is an error, never a hang.
constexpr uint64_t kMaxSteps = 1'000'000;
constexpr uint32_t kDepthLimit = 100'000;
constexpr uint32_t kHeapLimitKiB = 16 * 1024;
constexpr uint32_t kParensNestLimit = 100;
// `$` matches only at the very end (as ECMAScript's did before), \C is
// refused (it could split a UTF-8 character), invalid UTF-8 in a text
// simply does not match.
constexpr uint32_t kCompileOptions = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_DOLLAR_ENDONLY |
                                     PCRE2_NEVER_BACKSLASH_C | PCRE2_AUTO_CALLOUT;
constexpr int kOutOfSteps = PCRE2_ERROR_CALLOUT;

std::string pcre2Message(int code) {
  PCRE2_UCHAR buf[256];
  if (pcre2_get_error_message(code, buf, sizeof buf) < 0) return "error " + std::to_string(code);
  return reinterpret_cast<const char*>(buf);
}

struct Compiled {
  pcre2_code* code = nullptr;
  std::string error;  // when !code
  ~Compiled() { pcre2_code_free(code); }
};

const Compiled& compiled(const std::string& pattern) {
  static thread_local std::unordered_map<std::string, std::unique_ptr<Compiled>> cache;
  if (auto it = cache.find(pattern); it != cache.end()) return *it->second;
  if (cache.size() > 256) cache.clear();
  static const std::unique_ptr<pcre2_compile_context, void (*)(pcre2_compile_context*)> context = [] {
    std::unique_ptr<pcre2_compile_context, void (*)(pcre2_compile_context*)> c(pcre2_compile_context_create(nullptr),
                                                                               pcre2_compile_context_free);
    pcre2_set_parens_nest_limit(c.get(), kParensNestLimit);
    return c;
  }();
  auto c = std::make_unique<Compiled>();
  if (pattern.size() > kMaxRegexPattern) {
    c->error = "the pattern is longer than " + std::to_string(kMaxRegexPattern) + " characters";
  } else {
    int code = 0;
    PCRE2_SIZE offset = 0;
    c->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), kCompileOptions, &code,
                            &offset, context.get());
    if (!c->code) c->error = pcre2Message(code) + " at offset " + std::to_string(offset);
  }
  return *cache.emplace(pattern, std::move(c)).first->second;
}

struct StepCounter {
  uint64_t steps = 0;
};

int countStep(pcre2_callout_block*, void* data) {
  return ++static_cast<StepCounter*>(data)->steps > kMaxSteps ? kOutOfSteps : 0;
}

// A context per thread: it carries the counter of the match under way.
pcre2_match_context* matchContext(StepCounter& counter) {
  static thread_local const std::unique_ptr<pcre2_match_context, void (*)(pcre2_match_context*)> context = [] {
    std::unique_ptr<pcre2_match_context, void (*)(pcre2_match_context*)> c(pcre2_match_context_create(nullptr),
                                                                           pcre2_match_context_free);
    pcre2_set_depth_limit(c.get(), kDepthLimit);
    pcre2_set_heap_limit(c.get(), kHeapLimitKiB);
    return c;
  }();
  pcre2_set_callout(context.get(), countStep, &counter);
  return context.get();
}

}  // namespace

std::string regexSyntaxError(const std::string& pattern) { return compiled(pattern).error; }

bool regexSearch(const std::string& text, const std::string& pattern) {
  const Compiled& re = compiled(pattern);
  if (!re.code) throw EvalError("regex(): invalid regular expression: " + re.error);
  if (text.size() > kMaxRegexText)
    throw EvalError("regex(): the text is longer than " + std::to_string(kMaxRegexText) + " characters");
  std::unique_ptr<pcre2_match_data, void (*)(pcre2_match_data*)> match(pcre2_match_data_create(1, nullptr),
                                                                       pcre2_match_data_free);
  StepCounter counter;
  int rc = pcre2_match(re.code, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), 0, 0, match.get(),
                       matchContext(counter));
  if (rc >= 0) return true;
  if (rc == PCRE2_ERROR_NOMATCH) return false;
  if (rc == kOutOfSteps || rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
      rc == PCRE2_ERROR_HEAPLIMIT)
    throw EvalError("regex(): regex too complex for the input (it backtracks too much; simplify the pattern)");
  throw EvalError("regex(): " + pcre2Message(rc));
}

}  // namespace skema::expr
