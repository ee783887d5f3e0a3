// Diagnostics: problems found in a user's file, reported with where they are.
// Printed as `file:line:col: error: <path>: <message>` (GCC style, so editors
// and CI logs can jump to them).
#pragma once
#include <string>
#include <vector>

namespace skema {

struct SourcePos {
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based; 0 when unknown
};

enum class Severity { Error, Warning };

struct Diagnostic {
  Severity severity = Severity::Error;
  std::string file;
  SourcePos pos;
  std::string path;     // field path (e.g. `people/age`) or property; may be empty
  std::string message;

  std::string format() const;
};

class Diagnostics {
 public:
  void error(std::string file, SourcePos pos, std::string path, std::string message);
  void warning(std::string file, SourcePos pos, std::string path, std::string message);
  void add(Diagnostic d) { m_items.push_back(std::move(d)); }

  const std::vector<Diagnostic>& items() const { return m_items; }
  int errorCount() const;
  int warningCount() const;
  bool hasErrors() const { return errorCount() > 0; }
  // Sorts by file, line, column so output reads top to bottom.
  void sort();

 private:
  std::vector<Diagnostic> m_items;
};

}  // namespace skema
