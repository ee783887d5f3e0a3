// The widgets of the entry view, one function per field type. Internal to
// entry_view.cpp (split out to keep each file about one thing).
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "imgui.h"

#include "form/form.h"
#include "views/entry_view.h"

namespace skema::ui {

struct FieldDrawer {
  EntryView& v;
  UiContext& ctx;
  std::vector<int> instance;  // repeat indices of the fields being drawn

  void drawFields(const std::vector<Field>& fields, nlohmann::json& scope, const std::string& prefix);
  void drawField(const Field& f, nlohmann::json& scope, const std::string& prefix);

 private:
  float width() const;
  // Registers a focus stop; true when it is to take the focus this frame.
  bool stop(const std::string& key, EntryView::StopKind kind);
  bool focused(const std::string& key) const { return v.m_focus == key; }
  // After the stop's main widget: clicks focus it, requested ones scroll in.
  void afterWidget(const std::string& key, bool requested);
  void label(const Field& f, const FieldStatus& st);
  void message(const std::string& key, const FieldStatus& st);
  void focusFrame(const ImVec2& min, const ImVec2& max);

  void text(const Field& f, nlohmann::json& scope, const std::string& key);
  void number(const Field& f, nlohmann::json& scope, const std::string& key);
  void dateTime(const Field& f, nlohmann::json& scope, const std::string& key);
  void selectOne(const Field& f, nlohmann::json& scope, const std::string& key);
  void combo(const Field& f, nlohmann::json& scope, const std::string& key,
             const std::vector<const Choice*>& choices);
  void selectMultiple(const Field& f, nlohmann::json& scope, const std::string& key);
  void range(const Field& f, nlohmann::json& scope, const std::string& key);
  void personCode(const Field& f, nlohmann::json& scope, const std::string& key);
  void readOnlyValue(const Field& f, const nlohmann::json& scope, const std::string& key);
  void repeat(const Field& f, nlohmann::json& scope, const std::string& key);

  std::vector<const Choice*> visibleChoices(const Field& f);
  void setValue(nlohmann::json& scope, const Field& f, nlohmann::json value);
};

// Lowercases ASCII and the Latin-1 letters (Æ -> æ) of UTF-8 text.
std::string foldCase(const std::string& s);
// "ABCD-1234"-style random pseudonymous person code.
std::string newPersonCode();

}  // namespace skema::ui
