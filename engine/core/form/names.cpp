#include "form/names.h"

#include <algorithm>

namespace skema::names {
namespace {

bool isLower(char c) { return c >= 'a' && c <= 'z'; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isLetter(char c) { return isLower(c) || (c >= 'A' && c <= 'Z'); }
bool isWordChar(char c) { return isLetter(c) || isDigit(c) || c == '_'; }
bool isIdChar(char c) { return isLower(c) || isDigit(c) || c == '_'; }

}  // namespace

bool isFieldName(const std::string& s) {
  if (s.empty() || s.size() > 64 || isDigit(s[0])) return false;
  return std::all_of(s.begin(), s.end(), isWordChar);
}

bool isChoiceName(const std::string& s) {
  return !s.empty() && isWordChar(s[0]) &&
         std::all_of(s.begin(), s.end(), [](char c) { return isWordChar(c) || c == '.' || c == '-'; });
}

bool isListName(const std::string& s) { return isChoiceName(s) && !isDigit(s[0]); }

bool isFormId(const std::string& s) {
  size_t parts = 0;
  for (size_t i = 0; i <= s.size(); ++parts) {
    size_t end = std::min(s.find('.', i), s.size());
    if (end == i || !isLower(s[i]) || !std::all_of(s.begin() + i + 1, s.begin() + end, isIdChar)) return false;
    i = end + 1;
  }
  return parts >= 2;
}

bool isLanguage(const std::string& s) {
  return (s.size() == 2 || s.size() == 3) && std::all_of(s.begin(), s.end(), isLower);
}

}  // namespace skema::names
