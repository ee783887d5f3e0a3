// The format's rules for names (fields, choices, choice lists, form ids,
// languages). Checked by hand rather than with std::regex: every field and
// choice of a form goes through them on each load, and the workbench loads
// the shipped forms while it starts. The patterns are in the comments and in
// docs/skema-form.schema.json; tests/core/test_form_names.cpp holds the two
// together.
#pragma once
#include <string>

namespace skema::names {

// [A-Za-z_][A-Za-z0-9_]{0,63}: 64 bytes at most, the SPSS and Stata limit
// for variable names, which exports take from field names.
bool isFieldName(const std::string& s);
// [A-Za-z0-9_][A-Za-z0-9_.-]*
bool isChoiceName(const std::string& s);
// [A-Za-z_][A-Za-z0-9_.-]*
bool isListName(const std::string& s);
// [a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+ : "outreach.visit"
bool isFormId(const std::string& s);
// [a-z]{2,3}
bool isLanguage(const std::string& s);

}  // namespace skema::names
