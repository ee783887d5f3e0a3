// What every view gets: the translator, the UI language, fonts and scale.
// Plain data; the host (or a headless test) fills it in.
#pragma once
#include <string>

#include "util/i18n.h"

struct ImFont;

namespace skema::ui {

struct UiContext {
  Translator tr;
  std::string lang = "da";  // UI language; form labels follow it
  float scale = 1.0f;       // DPI scale (fonts are built at this scale)
  ImFont* fontRegular = nullptr;
  ImFont* fontBold = nullptr;
  ImFont* fontTitle = nullptr;
  std::string userName, userInitials;  // user settings (audit log)

  const char* t(const std::string& key) const { return tr.c(key); }
  void setLanguage(const std::string& l) {
    lang = l;
    tr.setLanguage(l);
  }
};

}  // namespace skema::ui
