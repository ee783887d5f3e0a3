#include "views/workspace_dialog.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "imgui.h"
#include "imgui_stdlib.h"
#include "keys.h"

namespace fs = std::filesystem;

namespace skema::ui {

namespace {
std::string homeDir() {
  const char* h = std::getenv("HOME");
  return h && *h ? h : "/";
}
}  // namespace

std::vector<FolderEntry> listWorkspaceFolder(const std::string& dir) {
  std::vector<FolderEntry> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end; !ec && it != end;
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    std::error_code e2;
    if (it->is_directory(e2)) out.push_back({name, true});
    else if (it->path().extension() == ".skema") out.push_back({name, false});
  }
  std::sort(out.begin(), out.end(), [](const FolderEntry& a, const FolderEntry& b) {
    return a.isFolder != b.isFolder ? a.isFolder : a.name < b.name;
  });
  return out;
}

void WorkspaceDialog::show(Kind k, const std::string& folder) {
  kind = k;
  typed.clear();
  error.clear();
  visible = true;
  m_open = m_closing = false;
  enter(folder.empty() ? homeDir() : folder);
}

void WorkspaceDialog::enter(const std::string& folder) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(folder, ec), ec);
  dir = p.empty() ? folder : p.string();
  m_entries = listWorkspaceFolder(dir);
  m_listError = fs::is_directory(dir, ec) ? "" : dir;
}

std::string WorkspaceDialog::resolvedPath() const {
  std::string t = typed;
  while (!t.empty() && t.back() == ' ') t.pop_back();
  if (t.empty()) return "";
  fs::path p;
  if (t == "~" || t.rfind("~/", 0) == 0) p = fs::path(homeDir()) / t.substr(std::min<size_t>(2, t.size()));
  else if (t[0] == '/') p = t;
  else p = fs::path(dir) / t;
  if (kind == Kind::Create && !p.has_extension()) p += ".skema";
  return p.lexically_normal().string();
}

std::optional<WorkspaceDialog::Choice> WorkspaceDialog::draw(const UiContext& ctx) {
  if (!visible) return std::nullopt;
  const char* title = ctx.t(kind == Kind::Open ? "workspace.open.title" : "workspace.new.title");
  const std::string id = std::string(title) + "###workspace_dialog";
  if (!m_open) {
    ImGui::OpenPopup(id.c_str());
    m_open = true;
  }
  const float s = ctx.scale;
  ImGui::SetNextWindowSize(ImVec2(640 * s, 460 * s), ImGuiCond_Appearing);
  std::optional<Choice> picked;
  bool keepOpen = true;
  if (!ImGui::BeginPopupModal(id.c_str(), &keepOpen, ImGuiWindowFlags_NoSavedSettings)) {
    visible = m_open = false;
    return std::nullopt;
  }
  ImGui::TextDisabled("%s", ctx.t("workspace.dialog.folder"));
  ImGui::SameLine();
  ImGui::TextUnformatted(dir.c_str());
  ImGui::SameLine();
  if (ImGui::SmallButton(ctx.t("workspace.dialog.up"))) enter(fs::path(dir).parent_path().string());

  // Folders and workspaces: a click picks a workspace, a double click opens
  // a folder or the workspace.
  const float listH = ImGui::GetContentRegionAvail().y - 3.6f * ImGui::GetFrameHeightWithSpacing();
  if (ImGui::BeginChild("##entries", ImVec2(0, std::max(80 * s, listH)), true)) {
    if (!m_listError.empty()) ImGui::TextDisabled("%s", ctx.t("workspace.dialog.no_folder"));
    else if (m_entries.empty()) ImGui::TextDisabled("%s", ctx.t("workspace.dialog.empty"));
    std::string into;
    for (const auto& e : m_entries) {
      const std::string label = (e.isFolder ? "[" + e.name + "]" : e.name) + "##" + e.name;
      if (ImGui::Selectable(label.c_str(), !e.isFolder && typed == e.name, ImGuiSelectableFlags_AllowDoubleClick)) {
        if (e.isFolder && ImGui::IsMouseDoubleClicked(0)) into = e.name;
        else if (!e.isFolder) {
          typed = e.name;
          if (ImGui::IsMouseDoubleClicked(0)) picked = Choice{kind, resolvedPath()};
        }
      }
    }
    if (!into.empty()) enter((fs::path(dir) / into).string());
  }
  ImGui::EndChild();

  ImGui::TextUnformatted(ctx.t(kind == Kind::Open ? "workspace.dialog.path" : "workspace.dialog.new_name"));
  // Focus on the path on opening, and back on it after a choice (Enter
  // leaves the field), so a refused name is corrected without the mouse.
  if (ImGui::IsWindowAppearing() || m_refocus) ImGui::SetKeyboardFocusHere();
  m_refocus = false;
  ImGui::SetNextItemWidth(-1);
  if (ImGui::InputText("##path", &typed, ImGuiInputTextFlags_EnterReturnsTrue) && !typed.empty())
    picked = Choice{kind, resolvedPath()};
  if (ImGui::IsItemEdited()) error.clear();
  if (!error.empty()) ImGui::TextColored(ImVec4(0.75f, 0.1f, 0.1f, 1), "%s", error.c_str());

  ImGui::BeginDisabled(typed.empty());
  if (ImGui::Button(ctx.t(kind == Kind::Open ? "workspace.dialog.open" : "workspace.dialog.create")))
    picked = Choice{kind, resolvedPath()};
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button(ctx.t("workspace.dialog.cancel")) || ImGui::IsKeyPressed(keys::kEscape, false)) keepOpen = false;
  if (!keepOpen || m_closing) {
    visible = m_open = false;
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
  if (picked) m_refocus = true;
  return picked;
}

}  // namespace skema::ui
