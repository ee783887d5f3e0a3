#include "util/diagnostics.h"

#include <algorithm>
#include <tuple>

namespace skema {

std::string Diagnostic::format() const {
  std::string out = file;
  if (pos.line > 0) {
    out += ':';
    out += std::to_string(pos.line);
    if (pos.column > 0) {
      out += ':';
      out += std::to_string(pos.column);
    }
  }
  out += severity == Severity::Error ? ": error: " : ": warning: ";
  if (!path.empty()) out += path + ": ";
  out += message;
  return out;
}

void Diagnostics::error(std::string file, SourcePos pos, std::string path, std::string message) {
  m_items.push_back({Severity::Error, std::move(file), pos, std::move(path), std::move(message)});
}

void Diagnostics::warning(std::string file, SourcePos pos, std::string path, std::string message) {
  m_items.push_back({Severity::Warning, std::move(file), pos, std::move(path), std::move(message)});
}

int Diagnostics::errorCount() const {
  return static_cast<int>(std::count_if(m_items.begin(), m_items.end(),
                                        [](const Diagnostic& d) { return d.severity == Severity::Error; }));
}

int Diagnostics::warningCount() const { return static_cast<int>(m_items.size()) - errorCount(); }

void Diagnostics::sort() {
  std::stable_sort(m_items.begin(), m_items.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.file, a.pos.line, a.pos.column) < std::tie(b.file, b.pos.line, b.pos.column);
  });
}

}  // namespace skema
