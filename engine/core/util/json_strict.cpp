#include "util/json_strict.h"

#include <iterator>
#include <vector>

namespace skema {

using nlohmann::json;

namespace {

// A pointer into the text that also records, in *consumed, how far the
// parser has read: SAX events carry no position, and the lexer reads
// nothing past a '{', '[' or a string's closing quote before it reports
// them.
class CountingIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;
  CountingIterator(const char* p, const char** consumed) : m_p(p), m_consumed(consumed) {}
  reference operator*() const { return *m_p; }
  CountingIterator& operator++() {
    *m_consumed = ++m_p;
    return *this;
  }
  bool operator==(const CountingIterator& o) const { return m_p == o.m_p; }
  bool operator!=(const CountingIterator& o) const { return m_p != o.m_p; }

 private:
  const char* m_p;
  const char** m_consumed;
};

// Builds the value as nlohmann's DOM parser does, refusing what it lets through.
class StrictBuilder {
 public:
  StrictBuilder(std::string_view text, const char* const& consumed, json& root, JsonProblem& problem, int maxDepth)
      : m_text(text), m_consumed(consumed), m_root(root), m_problem(problem), m_maxDepth(maxDepth) {}

  bool null() { return value(nullptr); }
  bool boolean(bool b) { return value(b); }
  bool number_integer(json::number_integer_t n) { return value(n); }
  bool number_unsigned(json::number_unsigned_t n) { return value(n); }
  bool number_float(json::number_float_t d, const std::string&) { return value(d); }  // out of range: parse_error
  bool string(std::string& s) { return value(std::move(s)); }
  bool binary(json::binary_t&) { return fail(read(), "binary data"); }  // not produced by JSON text
  bool start_object(std::size_t) { return open(json::object()); }
  bool start_array(std::size_t) { return open(json::array()); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  bool key(std::string& k) {
    json& obj = *m_stack.back();
    if (obj.contains(k)) return fail(keyStart(), "duplicate key " + json(k).dump());
    m_member = &obj[k];
    return true;
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) {
    // `position` counts the characters read, the offending one included.
    return fail(position > 0 ? position - 1 : 0, jsonErrorMessage(ex.what()));
  }

 private:
  std::size_t read() const { return std::size_t(m_consumed - m_text.data()); }

  // The opening quote of the key just read (the parser stopped after its closing quote).
  std::size_t keyStart() const {
    std::size_t i = read() >= 2 ? read() - 2 : 0;
    for (; i > 0; --i) {
      if (m_text[i] != '"') continue;
      std::size_t slashes = 0;
      while (slashes < i && m_text[i - 1 - slashes] == '\\') ++slashes;
      if (slashes % 2 == 0) break;
    }
    return i;
  }

  bool fail(std::size_t offset, std::string message) {
    m_problem.offset = std::min(offset, m_text.size());
    m_problem.message = std::move(message);
    return false;
  }

  json* place(json&& v) {
    if (m_stack.empty()) {
      m_root = std::move(v);
      return &m_root;
    }
    json& top = *m_stack.back();
    if (top.is_array()) {
      top.push_back(std::move(v));
      return &top.back();
    }
    *m_member = std::move(v);
    return m_member;
  }

  bool value(json&& v) {
    place(std::move(v));
    return true;
  }

  bool open(json&& container) {
    if (int(m_stack.size()) >= m_maxDepth)
      return fail(read() > 0 ? read() - 1 : 0, "nested deeper than " + std::to_string(m_maxDepth) + " levels");
    m_stack.push_back(place(std::move(container)));
    return true;
  }

  bool close() {
    m_stack.pop_back();
    return true;
  }

  std::string_view m_text;
  const char* const& m_consumed;
  json& m_root;
  JsonProblem& m_problem;
  int m_maxDepth;
  std::vector<json*> m_stack;
  json* m_member = nullptr;
};

}  // namespace

bool parseJsonStrict(std::string_view text, json& out, JsonProblem& problem, int maxDepth) {
  out = json();
  const char* consumed = text.data();
  StrictBuilder b(text, consumed, out, problem, maxDepth);
  CountingIterator first(text.data(), &consumed), last(text.data() + text.size(), &consumed);
  if (json::sax_parse(first, last, &b)) return true;
  out = json();  // may hold a half-built value
  return false;
}

std::string jsonErrorMessage(const std::string& what) {
  if (auto col = what.find("column "); col != std::string::npos) {
    if (auto colon = what.find(": ", col); colon != std::string::npos) return what.substr(colon + 2);
  }
  if (auto bracket = what.find("] "); bracket != std::string::npos) return what.substr(bracket + 2);
  return what;
}

std::string jsonKindName(const json& v) {
  switch (v.type()) {
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "true or false";
    case json::value_t::null: return "null";
    default: return "a number";
  }
}

}  // namespace skema
