// File → Open workspace… / New workspace…: a small chooser (ImGui has no
// file dialog) that lists folders and .skema files and also takes a typed
// path. It only picks a path; the workbench opens or creates it and, when
// that fails, puts the reason back into `error` with the dialog still open.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "ui_context.h"

namespace skema::ui {

// A folder's subfolders and workspaces, folders first, each sorted by name;
// hidden entries are left out.
struct FolderEntry {
  std::string name;
  bool isFolder = false;
};
std::vector<FolderEntry> listWorkspaceFolder(const std::string& dir);

struct WorkspaceDialog {
  enum class Kind { Open, Create };
  struct Choice {
    Kind kind;
    std::string path;
  };

  // Shows the dialog on `dir` (a folder; "" = the home folder).
  void show(Kind kind, const std::string& dir);
  // Draws it while shown; returns the path the user picked, once.
  std::optional<Choice> draw(const UiContext& ctx);
  // Closes it on the next frame (the workbench, after opening the choice).
  void close() { m_closing = true; }
  // The path that the typed text names (relative to the folder shown, `~`
  // for the home folder; a new workspace gets ".skema" if it has no extension).
  std::string resolvedPath() const;

  bool visible = false;
  Kind kind = Kind::Open;
  std::string dir;    // the folder listed
  std::string typed;  // a name in `dir`, or a path
  std::string error;  // why the last choice could not be opened

 private:
  void enter(const std::string& folder);
  std::vector<FolderEntry> m_entries;
  std::string m_listError;
  bool m_open = false;     // the popup is open (OpenPopup called)
  bool m_closing = false;  // close() was called
  bool m_refocus = false;  // focus the path field again
};

}  // namespace skema::ui
