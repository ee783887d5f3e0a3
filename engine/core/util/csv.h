// CSV reading and writing (RFC 4180 style: quoted fields may hold the
// delimiter, quotes ("") and line breaks). UTF-8 in, UTF-8 out; a leading
// UTF-8 byte-order mark is skipped.
#pragma once
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace skema {

class Sha256;

class CsvReader {
 public:
  // Reads from `file` (not owned). `delimiter` 0 = detect from the first
  // line: ';' when it has more semicolons than commas, else ','. Every byte
  // read is also fed to `digest` when given (not owned).
  explicit CsvReader(std::FILE* file, char delimiter = 0, Sha256* digest = nullptr);
  // Next row into `row`; false at end of input. Line number (1-based) of
  // the row's first line is in line().
  bool next(std::vector<std::string>& row);
  int line() const { return m_rowLine; }
  char delimiter() const { return m_delim; }
  // Set when the last row ended inside an unterminated quote.
  bool unterminatedQuote() const { return m_badQuote; }

 private:
  int get();
  int peek();
  bool fill();
  std::FILE* m_file;
  Sha256* m_digest;
  char m_delim;
  std::string m_buf;
  size_t m_pos = 0;
  bool m_eof = false;
  int m_line = 1;
  int m_rowLine = 0;
  bool m_badQuote = false;
};

// Appends one field, quoted when needed.
void csvAppendField(std::string& out, std::string_view value, char delimiter = ',');
// Appends a whole row followed by "\n".
void csvAppendRow(std::string& out, const std::vector<std::string>& row, char delimiter = ',');
// Whether a spreadsheet would take the cell for a formula: it starts with
// = + - @ tab or CR (OWASP, "CSV Injection"). Exports put a ' in front.
bool csvFormulaLike(std::string_view cell);

}  // namespace skema
