// [SECTION] index
//  - open / focus / validate
//  - the frame: keyboard navigation, toolbar, fields, status line
//  - one draw function per field type (entry_fields.cpp holds the widgets)
#include "views/entry_view.h"

#include <algorithm>

#include "imgui.h"
#include "imgui_internal.h"
#include "keys.h"
#include "util/date_input.h"
#include "views/entry_fields.h"

namespace skema::ui {

std::string fieldKey(const std::string& prefix, const Field& f) { return prefix + f.name; }

// [SECTION] open / focus / validate

void EntryView::open(std::shared_ptr<const Form> f, nlohmann::json v, std::string id, bool final) {
  form = std::move(f);
  values = v.is_object() ? std::move(v) : nlohmann::json::object();
  recordId = std::move(id);
  isFinal = final;
  messages.clear();
  buffers.clear();
  comboFilter.clear();
  comboHighlight.clear();
  stops.clear();
  prevStops.clear();
  statusLine.clear();
  statusIsError = false;
  dirty = false;
  changeCount = 0;
  m_focus.clear();
  m_requestKey.clear();
  m_requestIndex = 0;  // first field focused on open
  m_holdFrames = 0;
  m_heldChars.clear();
  draftOfferId.clear();
  draftOfferWhen.clear();
  if (logic) logic->reset(values);
}

void EntryView::focusField(const std::string& key) {
  m_requestKey = key;
  m_requestIndex = -1;
}

void EntryView::markChanged(const Field* field, const std::vector<int>& instance) {
  dirty = true;
  ++changeCount;
  lastChangeTime = ImGui::GetCurrentContext() ? ImGui::GetTime() : 0.0;
  if (logic) logic->changed(values, field, instance);
}

namespace {

bool emptyValue(const nlohmann::json* v) {
  return !v || v->is_null() || (v->is_string() && v->get_ref<const std::string&>().empty()) ||
         (v->is_array() && v->empty());
}

void validateFields(EntryView& view, UiContext& ctx, const std::vector<Field>& fields,
                    const nlohmann::json& scope, const std::string& prefix, std::vector<int>& instance,
                    std::string& first) {
  for (const auto& f : fields) {
    std::string key = fieldKey(prefix, f);
    FieldStatus st;
    st.required = f.isRequiredAlways();
    if (view.logic) st = view.logic->status(f, instance);
    if (!st.relevant) continue;
    const nlohmann::json* v = scope.contains(f.name) ? &scope[f.name] : nullptr;
    std::string msg;
    if (f.type == FieldType::Group) {
      validateFields(view, ctx, f.fields, scope, prefix, instance, first);
      continue;
    }
    if (f.type == FieldType::Repeat) {
      if (v && v->is_array()) {
        for (size_t i = 0; i < v->size(); ++i) {
          instance.push_back(static_cast<int>(i));
          validateFields(view, ctx, f.fields, (*v)[i], key + "#" + std::to_string(i) + "/", instance, first);
          instance.pop_back();
        }
      }
      continue;
    }
    if (!holdsValue(f.type) || f.type == FieldType::Calculate) continue;
    // Typed text that did not become a value (a parsed buffer is fine).
    if (view.buffers.count(key) && !view.buffers[key].empty() && emptyValue(v) && !view.messages.count(key))
      msg = ctx.t("entry.error.unparsed");
    else if (view.buffers.count(key) && view.messages.count(key))
      msg = view.messages[key];
    else if (st.required && emptyValue(v)) {
      msg = localized(f.requiredMessage, ctx.lang);
      if (msg.empty()) msg = ctx.t("entry.error.required");
    } else if (!st.message.empty())
      msg = st.message;
    if (!msg.empty()) {
      view.messages[key] = msg;
      if (first.empty()) first = key;
    }
  }
}

}  // namespace

int EntryView::validate(UiContext& ctx) {
  if (!form) return 0;
  auto keep = messages;
  messages.clear();
  // Keep parse errors of fields still holding unparsed text.
  for (auto& [k, m] : keep)
    if (buffers.count(k)) messages[k] = m;
  std::string first;
  std::vector<int> instance;
  validateFields(*this, ctx, form->fields, values, "", instance, first);
  if (!first.empty()) focusField(first);
  return static_cast<int>(messages.size());
}

// [SECTION] the frame

EntryAction EntryView::draw(UiContext& ctx) {
  EntryAction action = EntryAction::None;
  if (!form) {
    ImGui::TextDisabled("%s", ctx.t("entry.no_form"));
    return action;
  }

  if (logic) logic->setLanguage(ctx.lang);

  // Characters typed while a text field is being focused (it becomes
  // active a frame after the request) are held back and replayed, so fast
  // typing right after Tab/Enter is not lost.
  {
    ImGuiIO& io = ImGui::GetIO();
    if (m_holdFrames > 0) {
      for (ImWchar c : io.InputQueueCharacters) m_heldChars.push_back(c);
      io.InputQueueCharacters.resize(0);
      --m_holdFrames;
    } else if (!m_heldChars.empty()) {
      ImVector<ImWchar> q;
      for (auto c : m_heldChars) q.push_back(static_cast<ImWchar>(c));
      for (ImWchar c : io.InputQueueCharacters) q.push_back(c);
      io.InputQueueCharacters.swap(q);
      m_heldChars.clear();
    }
  }

  // Keyboard navigation, decided on last frame's focus order.
  prevStops.swap(stops);
  stops.clear();
  m_enterPressed = false;
  int cur = -1;
  for (size_t i = 0; i < prevStops.size(); ++i)
    if (prevStops[i].key == m_focus) cur = static_cast<int>(i);
  const bool popupOpen = ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId);
  const bool windowFocused = ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows);
  if (!popupOpen && windowFocused) {
    auto request = [&](int idx) {
      if (prevStops.empty()) return;
      idx = std::clamp(idx, 0, static_cast<int>(prevStops.size()) - 1);
      m_requestKey = prevStops[static_cast<size_t>(idx)].key;
      m_requestIndex = -1;
    };
    const StopKind kind = cur >= 0 ? prevStops[static_cast<size_t>(cur)].kind : StopKind::Text;
    if (keyPressed(keys::kTab)) {
      request(cur < 0 ? 0 : cur + (shiftDown() ? -1 : 1));
    } else if ((keyPressed(keys::kEnter, false) || keyPressed(keys::kKeypadEnter, false)) && !ctrlDown()) {
      if (kind == StopKind::Button || kind == StopKind::Combo) {
        m_enterPressed = true;  // the widget acts (and moves on itself)
      } else if (kind != StopKind::Multiline) {
        request(cur < 0 ? 0 : cur + (shiftDown() ? -1 : 1));
      }
    }
    if (ctrlDown() && keyPressed(keys::kS, false)) action = EntryAction::Finalise;
    if (ctrlDown() && keyPressed(keys::kN, false)) action = EntryAction::New;
    if (keyPressed(keys::kEscape, false) && !ImGui::IsAnyItemActive() && comboFilter.empty())
      action = EntryAction::Leave;
  }

  // Toolbar: title, version/status, actions.
  const float s = ctx.scale;
  ImGui::PushFont(ctx.fontTitle);
  ImGui::TextUnformatted(localized(form->title, ctx.lang).c_str());
  ImGui::PopFont();
  ImGui::TextDisabled("%s · %s %d · %s", form->id.c_str(), ctx.t("entry.version"), form->version,
                      recordId.empty() ? ctx.t("entry.status.new")
                                       : (isFinal ? ctx.t("entry.status.final") : ctx.t("entry.status.draft")));
  if (!localized(form->description, ctx.lang).empty()) {
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + 720 * s);
    ImGui::TextUnformatted(localized(form->description, ctx.lang).c_str());
    ImGui::PopTextWrapPos();
  }
  if (ImGui::Button(ctx.t("entry.action.finalise"))) action = EntryAction::Finalise;
  ImGui::SameLine();
  if (ImGui::Button(ctx.t("entry.action.new"))) action = EntryAction::New;
  ImGui::SameLine();
  if (ImGui::Button(ctx.t("entry.action.leave"))) action = EntryAction::Leave;
  if (!recordId.empty()) {
    ImGui::SameLine();
    if (ImGui::Button(ctx.t("entry.action.history"))) action = EntryAction::History;
  }
  if (ctrlDown() && keyPressed(keys::kH, false) && !recordId.empty()) action = EntryAction::History;
  // The draft offer: a banner until the user types or answers.
  if (!draftOfferId.empty() && changeCount == 0) {
    ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(1.0f, 0.96f, 0.80f, 1.0f));
    ImGui::BeginChild("##draftoffer", ImVec2(0, ImGui::GetFrameHeightWithSpacing() + 14 * s), true);
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(ctx.tr.format("entry.draft.offer", {draftOfferWhen}).c_str());
    ImGui::SameLine();
    if (ImGui::Button(ctx.t("entry.draft.open")) || (ctrlDown() && keyPressed(keys::kD, false)))
      action = EntryAction::OpenDraft;
    ImGui::SameLine();
    if (ImGui::Button(ctx.t("entry.draft.ignore"))) draftOfferId.clear();
    ImGui::EndChild();
    ImGui::PopStyleColor();
  } else if (changeCount > 0) {
    draftOfferId.clear();
  }
  ImGui::Separator();

  // Fields: our own focus order replaces ImGui's Tab handling (which in
  // 1.86 only visits text inputs), so everything is drawn without tab stops.
  const float statusH = ImGui::GetFrameHeightWithSpacing() + 4 * s;
  ImGui::BeginChild("##entry_fields", ImVec2(0, -statusH), false);
  ImGui::PushAllowKeyboardFocus(false);
  ImGui::Indent(6 * s);  // room for the focus frame
  ImGui::Dummy(ImVec2(0, 2 * s));
  FieldDrawer drawer{*this, ctx, {}};
  drawer.drawFields(form->fields, values, "");
  ImGui::Unindent(6 * s);
  ImGui::PopAllowKeyboardFocus();
  ImGui::Dummy(ImVec2(0, 40 * s));
  ImGui::EndChild();

  // A focused field that disappeared (no longer relevant): move to the stop
  // that now stands where it was.
  bool found = false;
  for (const auto& st : stops) found = found || st.key == m_focus;
  if (!found && !m_focus.empty() && !stops.empty() && m_requestKey.empty() && m_requestIndex < 0) {
    int idx = std::max(cur, 0);
    idx = std::min(idx, static_cast<int>(stops.size()) - 1);
    m_requestKey = stops[static_cast<size_t>(idx)].key;
  }
  if (m_requestIndex >= static_cast<int>(stops.size())) m_requestIndex = -1;

  // Status line.
  ImGui::Separator();
  if (!statusLine.empty()) {
    if (statusIsError) ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.75f, 0.1f, 0.1f, 1));
    ImGui::TextUnformatted(statusLine.c_str());
    if (statusIsError) ImGui::PopStyleColor();
  } else {
    ImGui::TextDisabled("%s", ctx.t("entry.keys_hint"));
  }
  return action;
}

}  // namespace skema::ui
