#include "util/json_source.h"

#include <vector>

#include "util/json_strict.h"

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

SourcePos JsonSource::at(const std::string& pointer) const {
  if (auto it = keyPos.find(pointer); it != keyPos.end()) return it->second;
  return valueAt(pointer);
}

SourcePos JsonSource::valueAt(const std::string& pointer) const {
  std::string p = pointer;
  while (true) {
    if (auto it = valuePos.find(p); it != valuePos.end()) return it->second;
    if (p.empty()) return {};
    p.erase(p.rfind('/'));
  }
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
    value("");
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

  // Returns the raw (escaped) content of a string; keys in our files are
  // plain names, so unescaping \" and \\ is enough to form pointers.
  std::string string() {
    std::string s;
    advance();  // opening quote
    while (m_i < m_text.size() && m_text[m_i] != '"') {
      if (m_text[m_i] == '\\' && m_i + 1 < m_text.size()) {
        advance();
        s += m_text[m_i];
      } else {
        s += m_text[m_i];
      }
      advance();
    }
    advance();  // closing quote
    return s;
  }

  void value(const std::string& pointer) {
    m_out.valuePos[pointer] = here();
    if (m_i >= m_text.size()) return;
    char c = m_text[m_i];
    if (c == '{') {
      advance();
      skipSpace();
      std::map<std::string, SourcePos> seen;
      while (m_i < m_text.size() && m_text[m_i] != '}') {
        SourcePos keyAt = here();
        std::string key = string();
        std::string child = jsonPointerJoin(pointer, key);
        if (auto it = seen.find(key); it != seen.end()) {
          m_diags.error(m_file, keyAt, "", "duplicate key \"" + key + "\" (first at line " +
                                               std::to_string(it->second.line) + ")");
        } else {
          seen[key] = keyAt;
          m_out.keyPos[child] = keyAt;
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
      advance();
      skipSpace();
      size_t index = 0;
      while (m_i < m_text.size() && m_text[m_i] != ']') {
        value(jsonPointerJoin(pointer, index++));
        skipSpace();
        if (m_i < m_text.size() && m_text[m_i] == ',') {
          advance();
          skipSpace();
        }
      }
      advance();
    } else if (c == '"') {
      string();
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

bool parseJsonSource(std::string_view text, const std::string& fileName, JsonSource& out,
                     Diagnostics& diags) {
  out = JsonSource{};
  try {
    out.value = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte is 1-based: the offending byte is at e.byte - 1.
    size_t offset = e.byte > 0 ? e.byte - 1 : 0;
    diags.error(fileName, positionOfOffset(text, offset), "", "invalid JSON: " + jsonErrorMessage(e.what()));
    return false;
  }
  PositionScanner(text, fileName, out, diags).run();
  return true;
}

}  // namespace skema
