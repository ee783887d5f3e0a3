// [SECTION] index
//  - helpers: stops, labels, messages, choice filtering
//  - field dispatch, groups
//  - text, person_code, numbers, dates/times
//  - select_one (radio list / type-ahead combo), select_multiple, range
//  - notes, calculations, repeats
#include "views/entry_fields.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <random>
#include <sstream>

#include "imgui.h"
#include "imgui_internal.h"
#include "imgui_stdlib.h"
#include "keys.h"
#include "util/date_input.h"

namespace skema::ui {

namespace {
const ImVec4 kRed(0.78f, 0.12f, 0.12f, 1.0f);
const ImU32 kAccent = IM_COL32(40, 100, 200, 255);

std::string hidden(const std::string& key) { return "##" + key; }

std::vector<std::string> splitSpaces(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// Digits typed this frame ('1'..'9' -> 0..8), taken out of the input queue.
std::vector<int> takeDigits() {
  std::vector<int> out;
  ImGuiIO& io = ImGui::GetIO();
  for (int i = 0; i < io.InputQueueCharacters.Size;) {
    ImWchar c = io.InputQueueCharacters[i];
    if (c >= '1' && c <= '9') {
      out.push_back(c - '1');
      io.InputQueueCharacters.erase(io.InputQueueCharacters.Data + i);
    } else {
      ++i;
    }
  }
  return out;
}

std::string numberText(const nlohmann::json& v) {
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  if (v.is_number()) {
    std::ostringstream o;
    o.precision(15);
    o << v.get<double>();
    return o.str();
  }
  if (v.is_string()) return v.get<std::string>();
  return {};
}

}  // namespace

std::string foldCase(const std::string& s) {
  std::string out = s;
  for (size_t i = 0; i < out.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(out[i]);
    if (c < 0x80) {
      out[i] = static_cast<char>(std::tolower(c));
    } else if (c == 0xC3 && i + 1 < out.size()) {
      unsigned char d = static_cast<unsigned char>(out[i + 1]);
      if (d >= 0x80 && d <= 0x9E && d != 0x97) out[i + 1] = static_cast<char>(d + 0x20);
      ++i;
    }
  }
  return out;
}

std::string newPersonCode() {
  static const char kAlphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  static std::mt19937 rng{std::random_device{}()};
  std::uniform_int_distribution<int> pick(0, static_cast<int>(sizeof kAlphabet) - 2);
  std::string code;
  for (int i = 0; i < 8; ++i) {
    if (i == 4) code += '-';
    code += kAlphabet[pick(rng)];
  }
  return code;
}

// [SECTION] helpers

namespace {
// The shortcut digit before a choice (1-9), in a fixed-width column.
void choiceDigit(size_t i, float scale) {
  const float w = ImGui::CalcTextSize("9").x;
  ImGui::AlignTextToFramePadding();
  if (i < 9) ImGui::TextDisabled("%d", static_cast<int>(i + 1));
  else ImGui::Dummy(ImVec2(w, ImGui::GetTextLineHeight()));
  ImGui::SameLine(0, 6 * scale);
}
}  // namespace

float FieldDrawer::width() const {
  return std::min(ImGui::GetContentRegionAvail().x, 560.0f * ctx.scale);
}

bool FieldDrawer::stop(const std::string& key, EntryView::StopKind kind) {
  const int idx = static_cast<int>(v.stops.size());
  v.stops.push_back({key, kind});
  bool req = (!v.m_requestKey.empty() && v.m_requestKey == key) || v.m_requestIndex == idx;
  if (req) {
    v.m_focus = key;
    v.m_requestKey.clear();
    v.m_requestIndex = -1;
    // Text-like stops become active next frame: hold typed characters until then.
    if (kind == EntryView::StopKind::Text || kind == EntryView::StopKind::Multiline ||
        kind == EntryView::StopKind::Combo)
      v.m_holdFrames = 1;
  }
  return req;
}

void FieldDrawer::afterWidget(const std::string& key, bool requested) {
  if (ImGui::IsItemActive() || ImGui::IsItemClicked()) v.m_focus = key;
  if (requested) ImGui::SetScrollHereY(0.35f);
}

void FieldDrawer::focusFrame(const ImVec2& min, const ImVec2& max) {
  const float pad = 4.0f * ctx.scale;
  ImGui::GetWindowDrawList()->AddRect(ImVec2(min.x - pad, min.y - pad), ImVec2(max.x + pad, max.y + pad),
                                      kAccent, 4.0f * ctx.scale, 0, 2.0f * ctx.scale);
}

void FieldDrawer::label(const Field& f, const FieldStatus& st) {
  const std::string& text = localized(f.label, ctx.lang);
  ImGui::PushFont(ctx.fontBold);
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width());
  ImGui::TextUnformatted(text.empty() ? f.name.c_str() : text.c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopFont();
  if (st.required) {
    ImGui::SameLine(0, 4 * ctx.scale);
    ImGui::TextColored(kRed, "*");
  }
  const std::string& hint = localized(f.hint, ctx.lang);
  if (!hint.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.40f, 0.42f, 0.46f, 1.0f));
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width());
    ImGui::TextUnformatted(hint.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
  }
}

void FieldDrawer::message(const std::string& key, const FieldStatus& st) {
  std::string msg;
  auto it = v.messages.find(key);
  if (it != v.messages.end()) msg = it->second;
  else msg = st.message;
  if (msg.empty()) return;
  ImGui::PushStyleColor(ImGuiCol_Text, kRed);
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width());
  ImGui::TextUnformatted(msg.c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
}

std::vector<const Choice*> FieldDrawer::visibleChoices(const Field& f) {
  std::vector<const Choice*> out;
  if (v.logic) return v.logic->visibleChoices(f, instance);
  const ChoiceList* list = v.form->findChoices(f.choices);
  if (!list) return out;
  for (const auto& c : list->choices) out.push_back(&c);
  return out;
}

void FieldDrawer::setValue(nlohmann::json& scope, const Field& f, nlohmann::json value) {
  const bool empty = value.is_null() || (value.is_string() && value.get_ref<const std::string&>().empty());
  if (empty) {
    if (!scope.contains(f.name)) return;
    scope.erase(f.name);
  } else {
    if (scope.contains(f.name) && scope[f.name] == value) return;
    scope[f.name] = std::move(value);
  }
  v.markChanged(&f, instance);
}

// [SECTION] dispatch, groups

void FieldDrawer::drawFields(const std::vector<Field>& fields, nlohmann::json& scope, const std::string& prefix) {
  for (const auto& f : fields) drawField(f, scope, prefix);
}

void FieldDrawer::drawField(const Field& f, nlohmann::json& scope, const std::string& prefix) {
  FieldStatus st;
  st.required = f.isRequiredAlways();
  if (v.logic) st = v.logic->status(f, instance);
  if (!st.relevant) return;
  const std::string key = fieldKey(prefix, f);
  ImGui::PushID(key.c_str());
  const float s = ctx.scale;

  switch (f.type) {
    case FieldType::Group: {
      ImGui::Dummy(ImVec2(0, 6 * s));
      ImGui::PushFont(ctx.fontTitle);
      ImGui::TextUnformatted(localized(f.label, ctx.lang).c_str());
      ImGui::PopFont();
      const ImVec2 p = ImGui::GetCursorScreenPos();
      ImGui::GetWindowDrawList()->AddLine(p, ImVec2(p.x + width(), p.y), IM_COL32(170, 176, 186, 255), 1.0f * s);
      ImGui::Dummy(ImVec2(0, 4 * s));
      const std::string& hint = localized(f.hint, ctx.lang);
      if (!hint.empty()) ImGui::TextDisabled("%s", hint.c_str());
      ImGui::Indent(12 * s);
      drawFields(f.fields, scope, prefix);
      ImGui::Unindent(12 * s);
      break;
    }
    case FieldType::Repeat:
      repeat(f, scope, key);
      break;
    case FieldType::Note: {
      const std::string& text = localized(f.label, ctx.lang);
      const ImVec2 p = ImGui::GetCursorScreenPos();
      ImGui::Indent(10 * s);
      ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width() - 10 * s);
      ImGui::TextUnformatted(text.c_str());
      const std::string& hint = localized(f.hint, ctx.lang);
      if (!hint.empty()) ImGui::TextDisabled("%s", hint.c_str());
      ImGui::PopTextWrapPos();
      ImGui::Unindent(10 * s);
      const float y1 = ImGui::GetItemRectMax().y;
      ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + 3 * s, y1), kAccent);
      break;
    }
    case FieldType::Calculate:
      if (!localized(f.label, ctx.lang).empty()) readOnlyValue(f, scope, key);
      break;
    default:
      if (f.readOnly || st.readOnly) {
        readOnlyValue(f, scope, key);
        break;
      }
      label(f, st);
      switch (f.type) {
        case FieldType::Text: text(f, scope, key); break;
        case FieldType::PersonCode: personCode(f, scope, key); break;
        case FieldType::Integer:
        case FieldType::Decimal: number(f, scope, key); break;
        case FieldType::Date:
        case FieldType::Time:
        case FieldType::DateTime: dateTime(f, scope, key); break;
        case FieldType::SelectOne: selectOne(f, scope, key); break;
        case FieldType::SelectMultiple: selectMultiple(f, scope, key); break;
        case FieldType::Range: range(f, scope, key); break;
        default: break;
      }
      message(key, st);
      break;
  }
  if (f.type != FieldType::Group) ImGui::Dummy(ImVec2(0, 6 * s));
  ImGui::PopID();
}

// [SECTION] text, person_code, numbers, dates

void FieldDrawer::text(const Field& f, nlohmann::json& scope, const std::string& key) {
  const bool multiline = f.appearance.find("multiline") != std::string::npos;
  const bool req = stop(key, multiline ? EntryView::StopKind::Multiline : EntryView::StopKind::Text);
  if (req) ImGui::SetKeyboardFocusHere();
  std::string s = scope.contains(f.name) && scope[f.name].is_string() ? scope[f.name].get<std::string>() : "";
  bool changed;
  if (multiline) {
    changed = ImGui::InputTextMultiline(hidden(key).c_str(), &s,
                                        ImVec2(width(), ImGui::GetTextLineHeight() * 4.5f));
  } else {
    ImGui::SetNextItemWidth(width());
    changed = ImGui::InputText(hidden(key).c_str(), &s);
  }
  afterWidget(key, req);
  if (changed) setValue(scope, f, s);
}

void FieldDrawer::personCode(const Field& f, nlohmann::json& scope, const std::string& key) {
  const bool req = stop(key, EntryView::StopKind::Text);
  if (req) ImGui::SetKeyboardFocusHere();
  std::string s = scope.contains(f.name) && scope[f.name].is_string() ? scope[f.name].get<std::string>() : "";
  const float buttonW = ImGui::CalcTextSize(ctx.t("entry.person_code.new")).x + 2 * ImGui::GetStyle().FramePadding.x;
  ImGui::SetNextItemWidth(std::max(120.0f * ctx.scale, width() - buttonW - ImGui::GetStyle().ItemSpacing.x));
  const bool changed = ImGui::InputTextWithHint(hidden(key).c_str(), ctx.t("entry.person_code.hint"), &s,
                                                ImGuiInputTextFlags_CharsUppercase);
  const bool active = ImGui::IsItemActive();
  afterWidget(key, req);
  if (changed) setValue(scope, f, s);
  ImGui::SameLine();
  if (ImGui::Button(ctx.t("entry.person_code.new"))) {
    setValue(scope, f, newPersonCode());
    v.m_focus = key;
  }
  // Completion from the codes already in the workspace.
  if ((active || focused(key)) && !s.empty() && v.personCodeSource) {
    if (s != v.personCodePrefix) {
      v.personCodePrefix = s;
      v.personCodeMatches = v.personCodeSource(s);
    }
    for (const auto& code : v.personCodeMatches) {
      if (code == s) continue;  // already typed in full
      ImGui::Indent(8 * ctx.scale);
      if (ImGui::Selectable((code + "##pc").c_str(), false)) setValue(scope, f, code);
      ImGui::Unindent(8 * ctx.scale);
    }
  }
}

void FieldDrawer::number(const Field& f, nlohmann::json& scope, const std::string& key) {
  const bool isInt = f.type == FieldType::Integer;
  const bool req = stop(key, EntryView::StopKind::Text);
  if (req) ImGui::SetKeyboardFocusHere();
  auto b = v.buffers.find(key);
  std::string s = b != v.buffers.end() ? b->second : (scope.contains(f.name) ? numberText(scope[f.name]) : "");
  ImGui::SetNextItemWidth(std::min(width(), 200.0f * ctx.scale));
  const bool changed = ImGui::InputText(hidden(key).c_str(), &s, ImGuiInputTextFlags_CharsDecimal);
  const bool active = ImGui::IsItemActive();
  afterWidget(key, req);
  if (changed) {
    std::string t = s;
    std::replace(t.begin(), t.end(), ',', '.');
    t.erase(std::remove(t.begin(), t.end(), ' '), t.end());
    v.messages.erase(key);
    if (t.empty()) {
      v.buffers.erase(key);
      setValue(scope, f, nullptr);
    } else {
      char* end = nullptr;
      nlohmann::json value;
      if (isInt) {
        long long n = std::strtoll(t.c_str(), &end, 10);
        if (end && *end == 0) value = n;
      } else {
        double d = std::strtod(t.c_str(), &end);
        if (end && *end == 0 && std::isfinite(d)) value = d;
      }
      if (value.is_null()) {
        v.buffers[key] = s;
        v.messages[key] = ctx.t(isInt ? "entry.error.not_integer" : "entry.error.not_number");
        setValue(scope, f, nullptr);
      } else {
        v.buffers[key] = s;  // keep the user's text while typing
        const double d = value.get<double>();
        if ((f.min && d < *f.min) || (f.max && d > *f.max))
          v.messages[key] = ctx.tr.format("entry.error.between",
                                          {f.min ? numberText(*f.min) : "…", f.max ? numberText(*f.max) : "…"});
        setValue(scope, f, value);
      }
    }
  }
  if (!active && !changed && v.buffers.count(key) && !v.messages.count(key)) v.buffers.erase(key);
}

void FieldDrawer::dateTime(const Field& f, nlohmann::json& scope, const std::string& key) {
  const bool req = stop(key, EntryView::StopKind::Text);
  if (req) ImGui::SetKeyboardFocusHere();
  auto b = v.buffers.find(key);
  std::string stored = scope.contains(f.name) && scope[f.name].is_string() ? scope[f.name].get<std::string>() : "";
  if (f.type == FieldType::DateTime) std::replace(stored.begin(), stored.end(), 'T', ' ');
  std::string s = b != v.buffers.end() ? b->second : stored;
  const char* hintKey = f.type == FieldType::Date ? "entry.date.hint"
                        : f.type == FieldType::Time ? "entry.time.hint" : "entry.datetime.hint";
  ImGui::SetNextItemWidth(std::min(width(), 240.0f * ctx.scale));
  const bool changed = ImGui::InputTextWithHint(hidden(key).c_str(), ctx.t(hintKey), &s);
  const bool active = ImGui::IsItemActive();
  afterWidget(key, req);
  auto parse = [&](const std::string& text) {
    switch (f.type) {
      case FieldType::Date: return parseDateInput(text);
      case FieldType::Time: return parseTimeInput(text);
      default: return parseDateTimeInput(text);
    }
  };
  if (changed) {
    v.buffers[key] = s;
    v.messages.erase(key);
    if (s.find_first_not_of(" \t") == std::string::npos) {
      v.buffers.erase(key);
      setValue(scope, f, nullptr);
    } else if (auto p = parse(s)) {
      setValue(scope, f, *p);
    } else {
      setValue(scope, f, nullptr);
    }
  }
  b = v.buffers.find(key);
  if (b != v.buffers.end()) {
    auto p = parse(b->second);
    if (p && active) {
      ImGui::SameLine();
      ImGui::TextDisabled("→ %s", p->c_str());
    } else if (p && !active) {
      v.buffers.erase(b);  // show the value in its stored form
    } else if (!p && !active) {
      v.messages[key] = ctx.t(f.type == FieldType::Date   ? "entry.error.bad_date"
                              : f.type == FieldType::Time ? "entry.error.bad_time"
                                                          : "entry.error.bad_datetime");
    }
  }
}

// [SECTION] choices

void FieldDrawer::selectOne(const Field& f, nlohmann::json& scope, const std::string& key) {
  auto choices = visibleChoices(f);
  const bool long_ = choices.size() > 12 || f.appearance.find("minimal") != std::string::npos ||
                     f.appearance.find("autocomplete") != std::string::npos;
  if (long_) {
    combo(f, scope, key, choices);
    return;
  }
  const bool req = stop(key, EntryView::StopKind::Choice);
  if (req) ImGui::ClearActiveID();
  const std::string cur = scope.contains(f.name) && scope[f.name].is_string() ? scope[f.name].get<std::string>() : "";
  bool horizontal = f.appearance.find("horizontal") != std::string::npos;
  if (!horizontal && choices.size() <= 4) {
    horizontal = true;
    for (const Choice* c : choices) horizontal = horizontal && localized(c->label, ctx.lang).size() <= 24;
  }
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(ImGui::GetStyle().ItemSpacing.x, 2 * ctx.scale));
  ImGui::BeginGroup();
  int selected = -1;
  for (size_t i = 0; i < choices.size(); ++i) {
    const Choice& c = *choices[i];
    if (c.name == cur) selected = static_cast<int>(i);
    if (horizontal && i > 0) ImGui::SameLine(0, 18 * ctx.scale);
    ImGui::PushID(static_cast<int>(i));
    choiceDigit(i, ctx.scale);
    if (ImGui::RadioButton(localized(c.label, ctx.lang).c_str(), c.name == cur)) {
      setValue(scope, f, c.name == cur ? nlohmann::json() : nlohmann::json(c.name));
    }
    if (ImGui::IsItemClicked()) v.m_focus = key;
    ImGui::PopID();
  }
  ImGui::EndGroup();
  ImGui::PopStyleVar();
  if (req) ImGui::SetScrollHereY(0.35f);
  if (focused(key)) {
    focusFrame(ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
    if (!ImGui::IsAnyItemActive()) {
      for (int d : takeDigits())
        if (d < static_cast<int>(choices.size())) setValue(scope, f, choices[static_cast<size_t>(d)]->name);
      const int n = static_cast<int>(choices.size());
      if (n > 0 && (keyPressed(horizontal ? keys::kRight : keys::kDown) ||
                    keyPressed(horizontal ? keys::kLeft : keys::kUp))) {
        const bool fwd = keyPressed(horizontal ? keys::kRight : keys::kDown);
        int next = selected < 0 ? (fwd ? 0 : n - 1) : std::clamp(selected + (fwd ? 1 : -1), 0, n - 1);
        setValue(scope, f, choices[static_cast<size_t>(next)]->name);
      }
      if (keyPressed(keys::kDelete) || keyPressed(keys::kBackspace)) setValue(scope, f, nullptr);
    }
  }
}

void FieldDrawer::combo(const Field& f, nlohmann::json& scope, const std::string& key,
                        const std::vector<const Choice*>& choices) {
  const bool req = stop(key, EntryView::StopKind::Combo);
  if (req) ImGui::SetKeyboardFocusHere();
  const std::string cur = scope.contains(f.name) && scope[f.name].is_string() ? scope[f.name].get<std::string>() : "";
  std::string curLabel;
  for (const Choice* c : choices)
    if (c->name == cur) curLabel = localized(c->label, ctx.lang);
  auto fit = v.comboFilter.find(key);
  const bool filtering = fit != v.comboFilter.end();
  std::string s = filtering ? fit->second : curLabel;
  ImGui::SetNextItemWidth(std::min(width(), 360.0f * ctx.scale));
  const bool changed = ImGui::InputTextWithHint(hidden(key).c_str(), ctx.t("entry.combo.hint"), &s,
                                                ImGuiInputTextFlags_AutoSelectAll);
  afterWidget(key, req);
  if (changed) {
    v.comboFilter[key] = s;
    v.comboHighlight[key] = 0;
  }
  if (!focused(key)) {
    v.comboFilter.erase(key);
    return;
  }
  focusFrame(ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
  fit = v.comboFilter.find(key);
  if (fit == v.comboFilter.end()) {
    if (v.m_enterPressed) {
      // Enter with nothing typed: on to the next field.
      for (size_t i = 0; i + 1 < v.prevStops.size(); ++i)
        if (v.prevStops[i].key == key) v.m_requestKey = v.prevStops[i + 1].key;
    }
    return;
  }
  const std::string want = foldCase(fit->second);
  std::vector<const Choice*> matches;
  for (const Choice* c : choices) {
    const std::string l = foldCase(localized(c->label, ctx.lang));
    if (want.empty() || l.find(want) != std::string::npos || foldCase(c->name).rfind(want, 0) == 0)
      matches.push_back(c);
  }
  // Matches that start with the text come first.
  std::stable_partition(matches.begin(), matches.end(), [&](const Choice* c) {
    return foldCase(localized(c->label, ctx.lang)).rfind(want, 0) == 0;
  });
  int& hi = v.comboHighlight[key];
  if (keyPressed(keys::kDown)) ++hi;
  if (keyPressed(keys::kUp)) --hi;
  hi = std::clamp(hi, 0, std::max(0, static_cast<int>(matches.size()) - 1));
  auto pick = [&](const Choice* c) {
    setValue(scope, f, c->name);
    v.comboFilter.erase(key);
    for (size_t i = 0; i + 1 < v.prevStops.size(); ++i)
      if (v.prevStops[i].key == key) v.m_requestKey = v.prevStops[i + 1].key;
  };
  if (keyPressed(keys::kEscape, false)) {
    v.comboFilter.erase(key);
    ImGui::ClearActiveID();
    return;
  }
  if (v.m_enterPressed && !matches.empty()) {
    pick(matches[static_cast<size_t>(hi)]);
    return;
  }
  const int shown = std::min(static_cast<int>(matches.size()), 8);
  if (matches.empty()) {
    ImGui::TextDisabled("%s", ctx.t("entry.combo.no_match"));
    return;
  }
  const float rowH = ImGui::GetTextLineHeightWithSpacing();
  ImGui::BeginChild("##matches", ImVec2(std::min(width(), 360.0f * ctx.scale), rowH * shown + 10 * ctx.scale), true);
  for (int i = 0; i < static_cast<int>(matches.size()); ++i) {
    if (ImGui::Selectable(localized(matches[static_cast<size_t>(i)]->label, ctx.lang).c_str(), i == hi)) {
      pick(matches[static_cast<size_t>(i)]);
      break;
    }
    if (i == hi && (keyPressed(keys::kDown) || keyPressed(keys::kUp))) ImGui::SetScrollHereY(0.5f);
  }
  ImGui::EndChild();
}

void FieldDrawer::selectMultiple(const Field& f, nlohmann::json& scope, const std::string& key) {
  auto choices = visibleChoices(f);
  const bool req = stop(key, EntryView::StopKind::Choice);
  if (req) ImGui::ClearActiveID();
  std::vector<std::string> sel =
      splitSpaces(scope.contains(f.name) && scope[f.name].is_string() ? scope[f.name].get<std::string>() : "");
  auto has = [&](const std::string& n) { return std::find(sel.begin(), sel.end(), n) != sel.end(); };
  auto toggle = [&](const Choice* c) {
    if (has(c->name)) sel.erase(std::find(sel.begin(), sel.end(), c->name));
    else sel.push_back(c->name);
    // Stored in choice order.
    std::string out;
    const ChoiceList* list = v.form->findChoices(f.choices);
    if (list)
      for (const auto& ch : list->choices)
        if (has(ch.name)) out += (out.empty() ? "" : " ") + ch.name;
    setValue(scope, f, out);
  };
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(ImGui::GetStyle().ItemSpacing.x, 2 * ctx.scale));
  // Long lists flow into columns so the form stays short.
  const int ncols = choices.size() > 10 ? (width() > 500 * ctx.scale ? 3 : 2) : 1;
  const size_t perCol = (choices.size() + static_cast<size_t>(ncols) - 1) / static_cast<size_t>(ncols);
  auto item = [&](size_t i) {
    ImGui::PushID(static_cast<int>(i));
    choiceDigit(i, ctx.scale);
    bool on = has(choices[i]->name);
    if (ImGui::Checkbox(localized(choices[i]->label, ctx.lang).c_str(), &on)) toggle(choices[i]);
    if (ImGui::IsItemClicked()) v.m_focus = key;
    ImGui::PopID();
  };
  ImGui::BeginGroup();
  if (ncols == 1) {
    for (size_t i = 0; i < choices.size(); ++i) item(i);
  } else if (ImGui::BeginTable("##cols", ncols, ImGuiTableFlags_SizingStretchSame, ImVec2(width(), 0))) {
    // Column-major, so the digits 1-9 run down the first column.
    for (size_t r = 0; r < perCol; ++r) {
      ImGui::TableNextRow();
      for (int c = 0; c < ncols; ++c) {
        ImGui::TableNextColumn();
        const size_t i = static_cast<size_t>(c) * perCol + r;
        if (i < choices.size()) item(i);
      }
    }
    ImGui::EndTable();
  }
  ImGui::Dummy(ImVec2(0, 0));
  ImGui::EndGroup();
  ImGui::PopStyleVar();
  if (req) ImGui::SetScrollHereY(0.35f);
  if (focused(key)) {
    focusFrame(ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
    if (!ImGui::IsAnyItemActive())
      for (int d : takeDigits())
        if (d < static_cast<int>(choices.size())) toggle(choices[static_cast<size_t>(d)]);
  }
}

void FieldDrawer::range(const Field& f, nlohmann::json& scope, const std::string& key) {
  const bool req = stop(key, EntryView::StopKind::Slider);
  if (req) ImGui::ClearActiveID();
  const double lo = f.min.value_or(0), hi = f.max.value_or(10), step = f.step.value_or(1);
  const bool integral = std::floor(lo) == lo && std::floor(hi) == hi && std::floor(step) == step;
  const bool has = scope.contains(f.name) && scope[f.name].is_number();
  double value = has ? scope[f.name].get<double>() : lo;
  ImGui::SetNextItemWidth(std::min(width(), 360.0f * ctx.scale));
  bool changed = false;
  if (integral) {
    int iv = static_cast<int>(value);
    changed = ImGui::SliderInt(hidden(key).c_str(), &iv, static_cast<int>(lo), static_cast<int>(hi),
                               has ? "%d" : ctx.t("entry.range.unset"));
    value = iv;
  } else {
    float fv = static_cast<float>(value);
    changed = ImGui::SliderFloat(hidden(key).c_str(), &fv, static_cast<float>(lo), static_cast<float>(hi),
                                 has ? "%.2f" : ctx.t("entry.range.unset"));
    value = std::round(fv / step) * step;
  }
  afterWidget(key, req);
  ImGui::SameLine();
  ImGui::TextDisabled("%s–%s", numberText(lo).c_str(), numberText(hi).c_str());
  if (focused(key)) {
    focusFrame(ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
    if (!ImGui::IsAnyItemActive()) {
      if (keyPressed(keys::kRight) || keyPressed(keys::kUp)) value = has ? value + step : lo, changed = true;
      if (keyPressed(keys::kLeft) || keyPressed(keys::kDown)) value = has ? value - step : lo, changed = true;
      ImGuiIO& io = ImGui::GetIO();
      for (int i = 0; i < io.InputQueueCharacters.Size; ++i) {
        ImWchar c = io.InputQueueCharacters[i];
        if (c >= '0' && c <= '9' && c - '0' >= lo && c - '0' <= hi) value = c - '0', changed = true;
      }
      io.InputQueueCharacters.resize(0);
      if (keyPressed(keys::kDelete) || keyPressed(keys::kBackspace)) {
        setValue(scope, f, nullptr);
        return;
      }
    }
  }
  if (changed) {
    value = std::clamp(value, lo, hi);
    setValue(scope, f, integral ? nlohmann::json(static_cast<long long>(std::llround(value))) : nlohmann::json(value));
  }
}

// [SECTION] read-only values, repeats

void FieldDrawer::readOnlyValue(const Field& f, const nlohmann::json& scope, const std::string& key) {
  (void)key;
  std::string text;
  if (scope.contains(f.name)) {
    const auto& val = scope[f.name];
    text = val.is_string() ? val.get<std::string>() : (val.is_number() ? numberText(val) : val.dump());
    if (text == "NaN" || text == "nan" || text == "-nan") text.clear();  // a calculation over empty fields
  }
  ImGui::PushFont(ctx.fontBold);
  ImGui::TextUnformatted(localized(f.label, ctx.lang).c_str());
  ImGui::PopFont();
  ImGui::SameLine();
  ImGui::TextDisabled("%s", text.empty() ? "–" : text.c_str());
}

namespace {
// The first field of `fields` that takes the focus (for "add instance").
const Field* firstInput(const std::vector<Field>& fields) {
  for (const auto& f : fields) {
    if (f.type == FieldType::Group) {
      if (const Field* g = firstInput(f.fields)) return g;
    } else if (holdsValue(f.type) && f.type != FieldType::Calculate && !f.readOnly) {
      return &f;
    }
  }
  return nullptr;
}
}  // namespace

void FieldDrawer::repeat(const Field& f, nlohmann::json& scope, const std::string& key) {
  const float s = ctx.scale;
  ImGui::Dummy(ImVec2(0, 6 * s));
  ImGui::PushFont(ctx.fontTitle);
  const std::string title = localized(f.label, ctx.lang);
  ImGui::TextUnformatted(title.c_str());
  ImGui::PopFont();
  const std::string& hint = localized(f.hint, ctx.lang);
  if (!hint.empty()) ImGui::TextDisabled("%s", hint.c_str());
  if (!scope.contains(f.name) || !scope[f.name].is_array()) {
    if (scope.contains(f.name)) scope.erase(f.name);
  }
  nlohmann::json empty = nlohmann::json::array();
  nlohmann::json& arr = scope.contains(f.name) ? scope[f.name] : empty;
  const std::string prefixBase = key + "#";
  auto clearState = [&] {
    for (auto* m : {&v.buffers, &v.messages, &v.comboFilter})
      for (auto it = m->lower_bound(prefixBase); it != m->end() && it->first.rfind(prefixBase, 0) == 0;)
        it = m->erase(it);
  };
  int moveFrom = -1, moveTo = -1, removeAt = -1;
  for (size_t i = 0; i < arr.size(); ++i) {
    const std::string prefix = prefixBase + std::to_string(i) + "/";
    const bool inThis = v.m_focus.rfind(prefix, 0) == 0;
    ImGui::PushID(static_cast<int>(i));
    const ImVec2 top = ImGui::GetCursorScreenPos();
    ImGui::Dummy(ImVec2(0, 2 * s));
    ImGui::Indent(10 * s);
    ImGui::PushFont(ctx.fontBold);
    ImGui::Text("%s %d", title.c_str(), static_cast<int>(i + 1));
    ImGui::PopFont();
    ImGui::SameLine(0, 16 * s);
    if (ImGui::SmallButton("↑") && i > 0) moveFrom = static_cast<int>(i), moveTo = static_cast<int>(i) - 1;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", ctx.t("entry.repeat.up"));
    ImGui::SameLine();
    if (ImGui::SmallButton("↓") && i + 1 < arr.size()) moveFrom = static_cast<int>(i), moveTo = static_cast<int>(i) + 1;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", ctx.t("entry.repeat.down"));
    ImGui::SameLine();
    if (ImGui::SmallButton(ctx.t("entry.repeat.remove"))) removeAt = static_cast<int>(i);
    if (inThis && altDown() && keyPressed(keys::kUp, false) && i > 0)
      moveFrom = static_cast<int>(i), moveTo = static_cast<int>(i) - 1;
    if (inThis && altDown() && keyPressed(keys::kDown, false) && i + 1 < arr.size())
      moveFrom = static_cast<int>(i), moveTo = static_cast<int>(i) + 1;
    if (inThis && ctrlDown() && keyPressed(keys::kDelete, false)) removeAt = static_cast<int>(i);
    if (!arr[i].is_object()) arr[i] = nlohmann::json::object();
    instance.push_back(static_cast<int>(i));
    drawFields(f.fields, arr[i], prefix);
    instance.pop_back();
    ImGui::Unindent(10 * s);
    const ImVec2 bottom = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddRect(top, ImVec2(top.x + width() + 20 * s, bottom.y),
                                        inThis ? kAccent : IM_COL32(190, 196, 206, 255), 4 * s);
    ImGui::Dummy(ImVec2(0, 4 * s));
    ImGui::PopID();
  }
  const std::string addKey = key + "#add";
  const bool req = stop(addKey, EntryView::StopKind::Button);
  if (req) ImGui::ClearActiveID();
  const std::string addLabel = ctx.tr.format("entry.repeat.add", {title});
  bool add = ImGui::Button(addLabel.c_str());
  if (req) ImGui::SetScrollHereY(0.35f);
  if (focused(addKey)) {
    focusFrame(ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
    add = add || v.m_enterPressed;
  }
  if (add) {
    scope[f.name] = arr;  // creates the array when absent
    scope[f.name].push_back(nlohmann::json::object());
    if (const Field* first = firstInput(f.fields))
      v.focusField(prefixBase + std::to_string(scope[f.name].size() - 1) + "/" + first->name);
    v.markChanged();
  } else if (moveFrom >= 0) {
    std::swap(arr[static_cast<size_t>(moveFrom)], arr[static_cast<size_t>(moveTo)]);
    clearState();
    // An active text input would write its buffer into the instance now at
    // its index: deactivate it, and refocus the same field of the moved instance.
    ImGui::ClearActiveID();
    const std::string from = prefixBase + std::to_string(moveFrom) + "/";
    if (v.m_focus.rfind(from, 0) == 0)
      v.focusField(prefixBase + std::to_string(moveTo) + "/" + v.m_focus.substr(from.size()));
    v.markChanged();
  } else if (removeAt >= 0) {
    arr.erase(static_cast<size_t>(removeAt));
    clearState();
    ImGui::ClearActiveID();
    if (arr.empty()) scope.erase(f.name);
    v.focusField(addKey);
    v.markChanged();
  }
}

}  // namespace skema::ui
