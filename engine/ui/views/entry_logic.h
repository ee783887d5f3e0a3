// EntryLogic backed by the expression engine's FormLogic: relevance hides
// fields live, constraints give inline messages, calculations and choice
// filters update as the user types.
#pragma once
#include <memory>
#include <string>

#include "views/entry_view.h"

namespace skema::ui {

// `lang` is read at each call (messages follow a language switch); `tr`
// (not owned) gives the default constraint message in that language.
std::unique_ptr<EntryLogic> makeEntryLogic(const Form& form, const std::string& lang, const Translator& tr);

}  // namespace skema::ui
