#include "util/json_source.h"

#include <vector>

#include "util/json_strict.h"

using nlohmann::json;

namespace skema {

std::string jsonPointerJoin(const std::string& base, const std::string& token) {
  std::string out = base + "/";
  for (char c : token) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::string jsonPointerJoin(const std::string& base, size_t index) {
  return base + "/" + std::to_string(index);
}

std::vector<std::string> jsonPointerTokens(std::string_view pointer) {
  std::vector<std::string> tokens;
  size_t i = 0;
  while (i < pointer.size()) {
    size_t end = pointer.find('/', i + 1);
    if (end == std::string_view::npos) end = pointer.size();
    std::string token;
    for (size_t k = i + 1; k < end; ++k) {
      if (pointer[k] == '~' && k + 1 < end && (pointer[k + 1] == '0' || pointer[k + 1] == '1')) {
        token += pointer[k + 1] == '0' ? '~' : '/';
        ++k;
      } else {
        token += pointer[k];
      }
    }
    tokens.push_back(std::move(token));
    i = end;
  }
  return tokens;
}

int JsonSource::find(std::string_view pointer, bool& whole) const {
  whole = false;
  if (nodes.empty()) return -1;
  int node = 0;
  for (const std::string& token : jsonPointerTokens(pointer)) {
    const PosNode& n = nodes[node];
    int child = -1;
    if (n.isArray) {
      size_t index = 0;
      bool digits = !token.empty();
      for (char c : token) {
        if (c < '0' || c > '9' || index > n.items.size()) {
          digits = false;
          break;
        }
        index = index * 10 + static_cast<size_t>(c - '0');
      }
      if (digits && index < n.items.size()) child = n.items[index];
    } else if (auto it = n.members.find(token); it != n.members.end()) {
      child = it->second;
    }
    if (child < 0) return node;
    node = child;
  }
  whole = true;
  return node;
}

SourcePos JsonSource::at(const std::string& pointer) const {
  bool whole = false;
  int node = find(pointer, whole);
  if (node < 0) return {};
  if (whole && nodes[node].key.line > 0) return nodes[node].key;
  return nodes[node].value;
}

SourcePos JsonSource::valueAt(const std::string& pointer) const {
  bool whole = false;
  int node = find(pointer, whole);
  return node < 0 ? SourcePos{} : nodes[node].value;
}

SourcePos positionOfOffset(std::string_view text, size_t offset) {
  SourcePos pos{1, 1};
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++pos.line;
      pos.column = 1;
    } else {
      ++pos.column;
    }
  }
  return pos;
}

namespace {

// Walks text that nlohmann already accepted, recording positions.
class PositionScanner {
 public:
  PositionScanner(std::string_view text, const std::string& file, JsonSource& out, Diagnostics& diags)
      : m_text(text), m_file(file), m_out(out), m_diags(diags) {}

  void run() {
    skipSpace();
    value(newNode());
  }

 private:
  SourcePos here() const { return {m_line, m_col}; }

  void advance() {
    if (m_i >= m_text.size()) return;
    if (m_text[m_i] == '\n') {
      ++m_line;
      m_col = 1;
    } else {
      ++m_col;
    }
    ++m_i;
  }

  void skipSpace() {
    while (m_i < m_text.size() &&
           (m_text[m_i] == ' ' || m_text[m_i] == '\t' || m_text[m_i] == '\n' || m_text[m_i] == '\r'))
      advance();
  }

  // Skips a string; returns it as written, quotes included, and whether it
  // has escapes.
  std::string_view skipString(bool& escaped) {
    const size_t begin = m_i;
    escaped = false;
    advance();  // opening quote
    while (m_i < m_text.size() && m_text[m_i] != '"') {
      if (m_text[m_i] == '\\' && m_i + 1 < m_text.size()) {
        escaped = true;
        advance();
      }
      advance();
    }
    advance();  // closing quote
    return m_text.substr(begin, m_i - begin);
  }

  // A key, its escapes decoded as nlohmann decodes them (so that it names
  // the member of the parsed value, and duplicates written differently are
  // seen).
  std::string key() {
    bool escaped = false;
    std::string_view raw = skipString(escaped);
    if (!escaped) return std::string(raw.substr(1, raw.size() - 2));
    return json::parse(raw).get<std::string>();  // nlohmann accepted the text
  }

  int newNode() {
    m_out.nodes.emplace_back();
    return static_cast<int>(m_out.nodes.size()) - 1;
  }

  // Records the value starting here in `node` (and its children in new
  // nodes). Recursion is bounded: the text nests at most kMaxJsonDepth deep.
  void value(int node) {
    m_out.nodes[node].value = here();
    if (m_i >= m_text.size()) return;
    char c = m_text[m_i];
    if (c == '{') {
      advance();
      skipSpace();
      while (m_i < m_text.size() && m_text[m_i] != '}') {
        SourcePos keyAt = here();
        std::string key = this->key();
        int child;
        if (auto it = m_out.nodes[node].members.find(key); it != m_out.nodes[node].members.end()) {
          m_diags.error(m_file, keyAt, "", "duplicate key \"" + key + "\" (first at line " +
                                               std::to_string(m_out.nodes[it->second].key.line) + ")");
          // The last value is the one parsed (as nlohmann keeps it); its
          // key keeps pointing at the first.
          child = it->second;
          m_out.nodes[child].items.clear();
          m_out.nodes[child].members.clear();
        } else {
          child = newNode();
          m_out.nodes[child].key = keyAt;
          m_out.nodes[node].members.emplace(std::move(key), child);
        }
        skipSpace();
        advance();  // ':'
        skipSpace();
        value(child);
        skipSpace();
        if (m_i < m_text.size() && m_text[m_i] == ',') {
          advance();
          skipSpace();
        }
      }
      advance();
    } else if (c == '[') {
      m_out.nodes[node].isArray = true;
      advance();
      skipSpace();
      while (m_i < m_text.size() && m_text[m_i] != ']') {
        int child = newNode();
        m_out.nodes[node].items.push_back(child);
        value(child);
        skipSpace();
        if (m_i < m_text.size() && m_text[m_i] == ',') {
          advance();
          skipSpace();
        }
      }
      advance();
    } else if (c == '"') {
      bool escaped;
      skipString(escaped);
    } else {
      while (m_i < m_text.size() && m_text[m_i] != ',' && m_text[m_i] != '}' && m_text[m_i] != ']' &&
             m_text[m_i] != ' ' && m_text[m_i] != '\n' && m_text[m_i] != '\r' && m_text[m_i] != '\t')
        advance();
    }
  }

  std::string_view m_text;
  const std::string& m_file;
  JsonSource& m_out;
  Diagnostics& m_diags;
  size_t m_i = 0;
  int m_line = 1, m_col = 1;
};

}  // namespace

namespace {

// Builds the value like nlohmann's own parser, but refuses to open an array
// or object deeper than kMaxJsonDepth and keeps what went wrong, with the
// JSON pointer of the value that failed.
class DomBuilder final : public nlohmann::json_sax<json> {
 public:
  explicit DomBuilder(json& root) : m_root(root) {}

  bool null() override { return put(nullptr); }
  bool boolean(bool v) override { return put(v); }
  bool number_integer(number_integer_t v) override { return put(v); }
  bool number_unsigned(number_unsigned_t v) override { return put(v); }
  bool number_float(number_float_t v, const string_t&) override { return put(v); }
  bool string(string_t& v) override { return put(std::move(v)); }
  bool binary(binary_t&) override { return false; }  // not in JSON text
  bool start_object(std::size_t) override { return open(json::object()); }
  bool key(string_t& k) override {
    m_keys.back() = k;
    m_member = &(*m_stack.back())[k];
    return true;
  }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(json::array()); }
  bool end_array() override { return close(); }
  bool parse_error(std::size_t position, const std::string& lastToken, const nlohmann::detail::exception& ex) override {
    failure = Failure::Syntax;
    if (const auto* pe = dynamic_cast<const json::parse_error*>(&ex)) {
      // byte is 1-based: the offending byte is at byte - 1.
      offset = pe->byte > 0 ? pe->byte - 1 : 0;
      message = ex.what();
    } else {
      // A number out of range (nlohmann's out_of_range 406): `position` is
      // just past it.
      failure = Failure::NumberRange;
      offset = position >= lastToken.size() ? position - lastToken.size() : 0;
      failedPointer = pointerOfNext();
    }
    return false;
  }

  enum class Failure { None, Syntax, NumberRange, TooDeep } failure = Failure::None;
  size_t offset = 0;
  std::string message;
  std::string failedPointer;

 private:
  // The pointer of the value about to be added.
  std::string pointerOfNext() const {
    std::string p;
    for (size_t i = 0; i < m_stack.size(); ++i) {
      const json& c = *m_stack[i];
      bool last = i + 1 == m_stack.size();
      if (c.is_array()) p = jsonPointerJoin(p, c.size() - (last || c.empty() ? 0 : 1));
      else p = jsonPointerJoin(p, m_keys[i]);
    }
    return p;
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
  bool put(json&& v) {
    place(std::move(v));
    return true;
  }
  bool open(json&& container) {
    if (m_stack.size() >= static_cast<size_t>(kMaxJsonDepth)) {
      failure = Failure::TooDeep;
      failedPointer = pointerOfNext();
      return false;
    }
    json* c = place(std::move(container));
    m_stack.push_back(c);
    m_keys.emplace_back();
    return true;
  }
  bool close() {
    m_stack.pop_back();
    m_keys.pop_back();
    return true;
  }

  json& m_root;
  std::vector<json*> m_stack;        // the open arrays and objects
  std::vector<std::string> m_keys;  // per open object: the key being read
  json* m_member = nullptr;
};

// The offset of the first '[' or '{' that opens level `limit + 1`, in text
// that is valid JSON up to there.
size_t offsetOfDepth(std::string_view text, int limit) {
  int depth = 0;
  bool inString = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (inString) {
      if (c == '\\') ++i;
      else if (c == '"') inString = false;
    } else if (c == '"') {
      inString = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return i;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return text.size();
}

}  // namespace

bool parseJsonSource(std::string_view text, const std::string& fileName, JsonSource& out,
                     Diagnostics& diags, const JsonPathNamer& namer) {
  out = JsonSource{};
  DomBuilder builder(out.value);
  if (!json::sax_parse(text.begin(), text.end(), &builder)) {
    auto path = [&] { return namer ? namer(out.value, builder.failedPointer) : std::string(); };
    switch (builder.failure) {
      case DomBuilder::Failure::NumberRange:
        diags.error(fileName, positionOfOffset(text, builder.offset), path(),
                    "number out of range (beyond ±1.8e308)");
        break;
      case DomBuilder::Failure::TooDeep:
        diags.error(fileName, positionOfOffset(text, offsetOfDepth(text, kMaxJsonDepth)), path(),
                    "lists and objects nested more than " + std::to_string(kMaxJsonDepth) + " deep");
        break;
      default:
        diags.error(fileName, positionOfOffset(text, builder.offset), "",
                    "invalid JSON: " + jsonErrorMessage(builder.message));
        break;
    }
    out = JsonSource{};
    return false;
  }
  PositionScanner(text, fileName, out, diags).run();
  return true;
}

}  // namespace skema
