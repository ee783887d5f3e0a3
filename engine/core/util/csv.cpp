#include "util/csv.h"

#include <algorithm>

#include "util/sha256.h"

namespace skema {

CsvReader::CsvReader(std::FILE* file, char delimiter, Sha256* digest)
    : m_file(file), m_digest(digest), m_delim(delimiter) {
  fill();
  if (m_buf.size() >= 3 && (unsigned char)m_buf[0] == 0xEF && (unsigned char)m_buf[1] == 0xBB &&
      (unsigned char)m_buf[2] == 0xBF)
    m_pos = 3;
  if (!m_delim) {
    // Look at the first line (the header) only.
    size_t end = m_buf.find('\n', m_pos);
    std::string_view first(m_buf.data() + m_pos, (end == std::string::npos ? m_buf.size() : end) - m_pos);
    auto semis = std::count(first.begin(), first.end(), ';');
    auto commas = std::count(first.begin(), first.end(), ',');
    m_delim = semis > commas ? ';' : ',';
  }
}

bool CsvReader::fill() {
  if (m_eof) return false;
  if (m_pos > 0) {
    m_buf.erase(0, m_pos);
    m_pos = 0;
  }
  size_t old = m_buf.size();
  m_buf.resize(old + (1 << 16));
  size_t n = std::fread(m_buf.data() + old, 1, 1 << 16, m_file);
  m_buf.resize(old + n);
  if (m_digest) m_digest->update(m_buf.data() + old, n);
  if (n == 0) m_eof = true;
  return n > 0;
}

int CsvReader::peek() {
  if (m_pos >= m_buf.size() && !fill()) return -1;
  return (unsigned char)m_buf[m_pos];
}

int CsvReader::get() {
  int c = peek();
  if (c >= 0) ++m_pos;
  return c;
}

bool CsvReader::next(std::vector<std::string>& row) {
  row.clear();
  m_badQuote = false;
  if (peek() < 0) return false;
  m_rowLine = m_line;
  std::string field;
  bool quotedField = false;
  for (;;) {
    // Fast path: copy unquoted run within the buffer.
    if (m_pos < m_buf.size() && !quotedField) {
      size_t i = m_pos;
      const size_t n = m_buf.size();
      while (i < n) {
        char ch = m_buf[i];
        if (ch == m_delim || ch == '\n' || ch == '\r' || ch == '"') break;
        ++i;
      }
      field.append(m_buf, m_pos, i - m_pos);
      m_pos = i;
    }
    int c = get();
    if (c < 0) {
      row.push_back(std::move(field));
      return true;
    }
    if (c == '"' && field.empty() && !quotedField) {
      quotedField = true;
      for (;;) {
        int q = get();
        if (q < 0) {
          m_badQuote = true;
          row.push_back(std::move(field));
          return true;
        }
        if (q == '"') {
          if (peek() == '"') {
            get();
            field += '"';
            continue;
          }
          break;
        }
        if (q == '\n') ++m_line;
        field += char(q);
      }
      continue;
    }
    if (c == m_delim) {
      row.push_back(std::move(field));
      field.clear();
      quotedField = false;
      continue;
    }
    if (c == '\r' || c == '\n') {
      if (c == '\r' && peek() == '\n') get();
      ++m_line;
      row.push_back(std::move(field));
      return true;
    }
    field += char(c);  // stray quote inside an unquoted field, or text after a closing quote
  }
}

void csvAppendField(std::string& out, std::string_view v, char delim) {
  bool quote = v.find_first_of(std::string{'"', '\n', '\r', delim}) != std::string_view::npos ||
               (!v.empty() && (v.front() == ' ' || v.back() == ' '));
  if (!quote) {
    out.append(v);
    return;
  }
  out += '"';
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void csvAppendRow(std::string& out, const std::vector<std::string>& row, char delim) {
  for (size_t i = 0; i < row.size(); ++i) {
    if (i) out += delim;
    csvAppendField(out, row[i], delim);
  }
  out += '\n';
}

bool csvFormulaLike(std::string_view cell) {
  if (cell.empty()) return false;
  const char c = cell.front();
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

}  // namespace skema
