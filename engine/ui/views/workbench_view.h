// The workbench's main window content: menu bar, left navigation, and the
// current view (home, data entry, record browser). No GLFW here: the host
// (app/host_glfw.cpp) and the headless tests both drive this.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "form/form.h"
#include "store/store.h"
#include "ui_context.h"
#include "views/browser_view.h"
#include "views/entry_view.h"
#include "views/nav_view.h"
#include "views/reports_view.h"
#include "views/workspace_dialog.h"

namespace skema::ui {

struct PluginsUi;  // views/plugins_view.h
struct DesignerView;  // views/designer_view.h

// UI-only settings, saved apart from data ($XDG_CONFIG_HOME/skema/settings.json).
struct UserSettings {
  std::string lang = "da";
  std::string lastWorkspace;
  std::string userName, userInitials;
  bool load(const std::string& path);
  bool save(const std::string& path) const;
};

struct Workbench {
  UiContext ctx;
  UserSettings settings;
  std::string settingsPath;  // "" = do not save settings (tests, screenshots)
  std::vector<std::shared_ptr<const Form>> forms;  // latest version of each form
  std::vector<std::string> formDirs;               // shipped forms (published into new workspaces)
  std::vector<std::shared_ptr<const Form>> shippedForms;  // every shipped version
  std::unique_ptr<store::Store> store;
  std::string workspacePath, workspaceError;

  enum class Mode { Home, Entry, Browser, Dashboard, Reports, Designer };
  Mode mode = Mode::Home;
  NavView nav;
  std::unique_ptr<PluginsUi> plugins;  // loaded at construction; Help → Plugins, dashboards
  EntryView entry;
  BrowserView browser;
  std::unique_ptr<DesignerView> designer;  // File → Design form; --view designer:FORM_ID
  ReportsView reports;  // View → Reports; --view reports:FORM[:freq:F|:crosstab:R:C|:series:P[:BY]]
  store::Record current;   // the record shown in the entry view
  std::unique_ptr<EntryLogic> logic;
  bool quit = false;
  bool askUser = false;    // first start: ask name and initials
  bool showKeys = false, showAbout = false;
  WorkspaceDialog workspaceDialog;  // File → Open workspace… / New workspace…
  std::string lastError;   // last store error (kept values; retry possible)

  Workbench();
  ~Workbench();
  // Loads the UI strings from `assetsDir`/lang.
  void loadStrings(const std::string& assetsDir);
  // Loads the shipped forms (without a workspace, the navigation shows them).
  void loadShippedForms(const std::vector<std::string>& dirs);
  // Opens (or, with create, creates and publishes the shipped forms into) a workspace.
  bool openWorkspace(const std::string& path, bool create);
  // The default workspace under the user's data directory, created on first start.
  std::string defaultWorkspacePath() const;
  // "home", "entry:FORM_ID", "browser:FORM_ID".
  bool openView(const std::string& spec);

  std::shared_ptr<const Form> findForm(const std::string& id, int version = 0);
  void newRecord(const std::string& formId);
  void openRecord(const std::string& recordId);
  // Saves the entry's values as a draft now (no-op without a store).
  bool saveDraft();
  // Validates and saves the entry's record as final.
  bool finalise();
  // Per-frame work outside drawing: draft autosave (1 s after a change).
  void tick(double now);

  // Draws the whole workbench into the main viewport.
  void draw();

 private:
  void drawMenu();
  void drawHome();
  void drawDialogs();
  void setLanguage(const std::string& lang);
  store::Actor actor() const;
  void drawHistory();
  void showWorkspaceDialog(WorkspaceDialog::Kind kind);
  void takeWorkspaceChoice(const WorkspaceDialog::Choice& choice);
  void connectPersonCodes();
  std::string reasonInput;
  bool showHistory = false;
  std::vector<store::AuditEntry> historyRows;
  bool askReason = false;
};

}  // namespace skema::ui
