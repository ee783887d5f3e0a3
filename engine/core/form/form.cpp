#include "form/form.h"

#include <array>
#include <utility>

namespace skema {

const std::string& localized(const LocalizedText& text, const std::string& lang) {
  static const std::string empty;
  for (const std::string& l : {lang, std::string("en"), std::string("da")})
    if (auto it = text.find(l); it != text.end() && !it->second.empty()) return it->second;
  return text.empty() ? empty : text.begin()->second;
}

namespace {
constexpr std::array<std::pair<FieldType, const char*>, 14> kTypeNames = {{
    {FieldType::Text, "text"},
    {FieldType::Integer, "integer"},
    {FieldType::Decimal, "decimal"},
    {FieldType::Date, "date"},
    {FieldType::Time, "time"},
    {FieldType::DateTime, "datetime"},
    {FieldType::SelectOne, "select_one"},
    {FieldType::SelectMultiple, "select_multiple"},
    {FieldType::Range, "range"},
    {FieldType::Note, "note"},
    {FieldType::Calculate, "calculate"},
    {FieldType::Group, "group"},
    {FieldType::Repeat, "repeat"},
    {FieldType::PersonCode, "person_code"},
}};
}  // namespace

const char* fieldTypeName(FieldType t) {
  for (const auto& [type, name] : kTypeNames)
    if (type == t) return name;
  return "?";
}

std::optional<FieldType> fieldTypeFromName(const std::string& name) {
  for (const auto& [type, n] : kTypeNames)
    if (name == n) return type;
  return std::nullopt;
}

const std::vector<std::string>& fieldTypeNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& [type, name] : kTypeNames) v.emplace_back(name);
    return v;
  }();
  return names;
}

const Choice* ChoiceList::find(const std::string& choiceName) const {
  for (const auto& c : choices)
    if (c.name == choiceName) return &c;
  return nullptr;
}

const Field* Form::findField(const std::string& name) const {
  const Field* found = nullptr;
  forEachField([&](const Field& f) {
    if (!found && f.name == name) found = &f;
  });
  return found;
}

const ChoiceList* Form::findChoices(const std::string& listName) const {
  auto it = choices.find(listName);
  return it == choices.end() ? nullptr : &it->second;
}

std::string Form::area() const { return id.substr(0, id.find('.')); }

}  // namespace skema
