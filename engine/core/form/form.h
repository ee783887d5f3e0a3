// The form model: a registration form as loaded from its JSON definition
// (format `skema-form/1`, docs/form-format.md). Concepts and names follow
// XLSForm so that import/export with ODK and KoboToolbox is a mapping.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/diagnostics.h"

namespace skema {

// Text per language code ("da", "en").
using LocalizedText = std::map<std::string, std::string>;

// Returns the text in `lang`, else English, else Danish, else any, else "".
const std::string& localized(const LocalizedText& text, const std::string& lang);

enum class FieldType {
  Text,
  Integer,
  Decimal,
  Date,
  Time,
  DateTime,
  SelectOne,
  SelectMultiple,
  Range,       // rating scale: min/max/step
  Note,        // read-only text shown to the user; holds no value
  Calculate,   // hidden computed value
  Group,       // a section of fields
  Repeat,      // a group entered zero or more times
  PersonCode,  // pseudonymous person code (XLSForm: text, appearance person-code)
};

// "select_one" <-> FieldType::SelectOne, ...
const char* fieldTypeName(FieldType t);
std::optional<FieldType> fieldTypeFromName(const std::string& name);
const std::vector<std::string>& fieldTypeNames();

inline bool isContainer(FieldType t) { return t == FieldType::Group || t == FieldType::Repeat; }
inline bool isSelect(FieldType t) { return t == FieldType::SelectOne || t == FieldType::SelectMultiple; }
// Fields that hold a value in a record (not notes, groups or repeats).
inline bool holdsValue(FieldType t) { return t != FieldType::Note && !isContainer(t); }

struct Choice {
  std::string name;
  LocalizedText label;
  // Extra attributes for choice_filter (XLSForm's extra choice columns),
  // e.g. {"region": "hovedstaden"}; referenced in filters by their name.
  std::map<std::string, std::string> attributes;
  SourcePos pos;
};

struct ChoiceList {
  std::string name;
  std::vector<Choice> choices;
  std::string sourceFile;  // where it was defined (form or forms/choices/x.json)
  SourcePos pos;

  const Choice* find(const std::string& choiceName) const;
};

struct Field {
  std::string name;
  FieldType type = FieldType::Text;
  LocalizedText label;
  LocalizedText hint;
  // "" = optional, "true()" = always required, or an expression.
  std::string required;
  LocalizedText requiredMessage;
  std::string relevant;        // expression; "" = always relevant
  std::string constraint;      // expression over `.`; "" = none
  LocalizedText constraintMessage;
  std::string calculation;     // expression (type calculate, or any read-only field)
  std::string defaultValue;    // expression evaluated when a record is created
  bool readOnly = false;
  std::string choices;         // choice list name (select_one/select_multiple)
  std::string choiceFilter;    // expression over the choice's attributes
  bool sensitive = false;      // protected at rest, left out of exports unless named
  std::optional<double> min, max, step;  // range (and integer/decimal bounds hint)
  std::string appearance;      // rendering hint, e.g. "multiline", "minimal"
  std::string renamedFrom;     // explicit rename from the previous version
  std::vector<Field> fields;   // children of a group or repeat

  SourcePos pos;               // position of the field's object in its file
  // Position of each property's value ("relevant" -> line:col of its string),
  // so expression errors can point into the file.
  std::map<std::string, SourcePos> propertyPos;
  std::string path;            // slash-joined names from the form root, e.g. "people/age"

  bool isRequiredAlways() const { return required == "true()"; }
};

struct Form {
  std::string format;          // "skema-form/1"
  std::string id;              // "outreach.visit"
  int version = 0;
  LocalizedText title;
  LocalizedText description;
  std::vector<std::string> languages;  // languages the form provides labels in
  std::vector<Field> fields;
  std::map<std::string, ChoiceList> choices;  // own and referenced shared lists
  std::string sourceFile;
  std::map<std::string, SourcePos> propertyPos;  // top-level key -> position of its value
  // The resolved definition: the file's JSON with every shared choice list it
  // uses embedded. `definition.dump()` is the canonical text a workspace
  // stores and hashes; loading it again gives the same form.
  nlohmann::json definition;

  // Depth-first walk over every field, groups and repeats included.
  template <typename F> void forEachField(F&& fn) const { walk(fields, fn); }
  // Finds a field by name anywhere in the form (names are unique form-wide).
  const Field* findField(const std::string& name) const;
  const ChoiceList* findChoices(const std::string& listName) const;
  // The area is the id's prefix: "outreach.visit" -> "outreach".
  std::string area() const;

 private:
  template <typename F> static void walk(const std::vector<Field>& fs, F& fn) {
    for (const auto& f : fs) {
      fn(f);
      walk(f.fields, fn);
    }
  }
};

}  // namespace skema
