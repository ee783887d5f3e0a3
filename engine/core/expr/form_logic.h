// The form's logic: every expression of a form compiled once, references
// resolved, the dependency graph built. Owned by the expression language.
#pragma once
#include "form/form.h"

namespace skema::expr {

// Checks every expression in `form` (syntax, unknown field references,
// calculation cycles) and reports problems with file:line:col.
void checkFormLogic(const Form& form, Diagnostics& diags);

}  // namespace skema::expr
