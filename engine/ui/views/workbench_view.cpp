// [SECTION] index
//  - settings, strings, forms, workspace
//  - records: new / open / draft autosave / finalise
//  - drawing: menu, layout, home, dialogs
#include "views/workbench_view.h"

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "expr/validate.h"
#include "form/form_catalog.h"
#include "app/paths.h"
#include "imgui.h"
#include "imgui_stdlib.h"
#include "keys.h"
#include "report/report.h"
#include "store/sqlite_store.h"
#include "util/text.h"
#include "views/designer_view.h"
#include "views/entry_logic.h"
#include "views/plugins_view.h"

namespace fs = std::filesystem;

namespace skema::ui {

// [SECTION] settings, strings, forms, workspace

bool UserSettings::load(const std::string& path) {
  std::string text;
  if (!readFile(path, text)) return false;
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return false;
  lang = j.value("lang", lang);
  lastWorkspace = j.value("last_workspace", lastWorkspace);
  userName = j.value("user_name", userName);
  userInitials = j.value("user_initials", userInitials);
  return true;
}

bool UserSettings::save(const std::string& path) const {
  nlohmann::json j = {{"lang", lang}, {"last_workspace", lastWorkspace}, {"user_name", userName},
                      {"user_initials", userInitials}};
  std::ofstream out(path + ".tmp");
  out << j.dump(2) << "\n";
  out.close();
  if (!out) return false;
  std::error_code ec;
  fs::rename(path + ".tmp", path, ec);
  return !ec;
}

Workbench::Workbench() : plugins(std::make_unique<PluginsUi>(&ctx.tr)) {}
Workbench::~Workbench() {
  entry.logic = nullptr;
}

void Workbench::loadStrings(const std::string& assetsDir) {
  if (!assetsDir.empty()) ctx.tr.loadDir(assetsDir + "/lang");
  ctx.setLanguage(ctx.lang);
  plugins->loader->setLanguage(ctx.lang);
}

void Workbench::setLanguage(const std::string& lang) {
  ctx.setLanguage(lang);
  plugins->loader->setLanguage(lang);
  settings.lang = lang;
  if (!settingsPath.empty()) settings.save(settingsPath);
}

void Workbench::loadShippedForms(const std::vector<std::string>& dirs) {
  formDirs = dirs;
  Diagnostics diags;
  FormCatalog cat = loadFormCatalog(dirs, diags);
  std::map<std::string, std::shared_ptr<const Form>> latest;
  shippedForms = cat.forms;
  for (const auto& f : shippedForms) {
    auto& slot = latest[f->id];
    if (!slot || slot->version < f->version) slot = f;
  }
  forms.clear();
  for (auto& [id, f] : latest) forms.push_back(f);
}

std::string Workbench::defaultWorkspacePath() const { return userDataDir() + "/workspace.skema"; }

store::Actor Workbench::actor() const {
  store::Actor a;
  a.user = !ctx.userInitials.empty() ? ctx.userInitials : ctx.userName;
  if (a.user.empty()) {
    const char* u = std::getenv("USER");
    a.user = u && !store::checkUserName(u) ? u : "skema";  // a $USER the store would refuse: "skema"
  }
  return a;
}

namespace {
// The UI thread waits at most a quarter second for another writer (another
// Skema on the same workspace, an import): a locked workspace then shows as
// an error with the values kept, and the draft save retries by itself,
// instead of the window freezing for the store's default five seconds.
store::OpenOptions uiOpenOptions() {
  store::OpenOptions o;
  o.busyTimeoutMs = 250;
  return o;
}
}  // namespace

bool Workbench::openWorkspace(const std::string& path, bool create) {
  workspaceError.clear();
  try {
    std::error_code ec;
    std::unique_ptr<store::SqliteStore> s;
    if (create && !fs::exists(path, ec)) {
      if (fs::path(path).has_parent_path()) fs::create_directories(fs::path(path).parent_path(), ec);
      s = store::SqliteStore::create(path, uiOpenOptions());
    } else {
      s = store::SqliteStore::open(path, uiOpenOptions());
    }
    // Publish shipped forms this workspace does not have yet (never
    // touching a published version).
    std::set<std::pair<std::string, int>> have;
    for (const auto& v : s->formVersions()) have.insert({v.formId, v.version});
    for (const auto& f : shippedForms) {
      if (have.count({f->id, f->version})) continue;
      try {
        s->publishForm(*f, actor());
        have.insert({f->id, f->version});
      } catch (const store::StoreError&) {
        // Conflict or read-only: the workspace keeps what it has.
      }
    }
    // Reports saved by earlier versions beside the workspace move into it
    // (once: the side file is renamed). A side file that does not read
    // stays where it is and is shown.
    try {
      report::importSavedReportsFile(*s, path, actor());
    } catch (const std::exception& e) {
      workspaceError = e.what();
    }
    // The shipped forms are parsed already: the store takes those whose
    // stored definition is identical instead of parsing it again.
    for (const auto& f : shippedForms) s->adoptForm(f);
    std::map<std::string, int> latest;  // `have` is every published version now
    for (const auto& [id, version] : have) latest[id] = std::max(latest[id], version);
    forms.clear();
    for (const auto& [id, ver] : latest)
      if (auto f = s->form(id, ver)) forms.push_back(f);
    store = std::move(s);
    workspacePath = path;
    browser.workspacePath = path;  // its counting thread opens its own connection
    settings.lastWorkspace = fs::absolute(path, ec).string();
    if (!settingsPath.empty()) settings.save(settingsPath);
    mode = Mode::Home;
    return true;
  } catch (const store::StoreError& e) {
    workspaceError = e.what();
  } catch (const std::exception& e) {
    workspaceError = e.what();
  }
  return false;
}

std::shared_ptr<const Form> Workbench::findForm(const std::string& id, int version) {
  if (store && version > 0) {
    try {
      return store->form(id, version);
    } catch (const store::StoreError&) {
      return nullptr;
    }
  }
  for (const auto& f : forms)
    if (f->id == id) return f;
  return nullptr;
}

bool Workbench::openView(const std::string& spec) {
  if (spec.empty() || spec == "home") {
    mode = Mode::Home;
    return true;
  }
  auto colon = spec.find(':');
  if (colon == std::string::npos) return false;
  const std::string kind = spec.substr(0, colon), id = spec.substr(colon + 1);
  if (kind == "workspace" && (id == "open" || id == "new")) {  // File → Open / New workspace…
    showWorkspaceDialog(id == "open" ? WorkspaceDialog::Kind::Open : WorkspaceDialog::Kind::Create);
    return true;
  }
  if (kind == "dashboard") {  // an area plugin's dashboard
    plugins->area = id;
    mode = Mode::Dashboard;
    return plugins->hasArea(id);
  }
  if (kind == "record") {
    openRecord(id);
    return mode == Mode::Entry && entry.recordId == id;
  }
  if (kind == "reports") {  // reports:FORMID[:freq:FIELD|:crosstab:ROW:COL|:series:PERIOD[:BY]]
    const auto c = id.find(':');
    if (!store || !reports.open(*store, id.substr(0, c), workspacePath)) return false;
    mode = Mode::Reports;
    return c == std::string::npos || reports.applySpec(id.substr(c + 1));
  }
  if (kind == "designer" && store) {  // designer:FORM_ID, designer:new
    if (!designer) designer = std::make_unique<DesignerView>();
    designer->tr = &ctx.tr;
    if (designer->open(*store, id, actor(), formDirs.empty() ? "forms" : formDirs.front())) mode = Mode::Designer;
    return mode == Mode::Designer;
  }
  if (kind == "browser") {  // browser:FORM_ID[:filter:FIELD=VALUE,FIELD>=N,FIELD~CHOICE]
    const auto c = id.find(':');
    const std::string fid = id.substr(0, c);
    if (!findForm(fid)) return false;
    nav.selectedForm = fid;
    browser.open(fid, findForm(fid));
    mode = Mode::Browser;
    if (c == std::string::npos) return true;
    const std::string rest = id.substr(c + 1);
    return rest.rfind("filter:", 0) == 0 && browser.applyFilterSpec(rest.substr(7));
  }
  if (!findForm(id)) return false;
  nav.selectedForm = id;
  if (kind == "entry") {
    newRecord(id);
    return true;
  }
  return false;
}

// [SECTION] records

void Workbench::newRecord(const std::string& formId) {
  auto f = findForm(formId);
  if (!f) return;
  current = store::Record{};
  nav.selectedForm = f->id;
  current.formId = f->id;
  current.formVersion = f->version;
  logic = makeEntryLogic(*f, ctx.lang, ctx.tr);
  entry.logic = logic.get();
  entry.open(f);
  mode = Mode::Entry;
  lastError.clear();
  connectPersonCodes();
  // Offer the user's latest draft of this form.
  if (store) {
    try {
      store::RecordQuery q;
      q.formId = formId;
      q.status = store::RecordStatus::Draft;
      q.filters.push_back({"_created_by", store::FieldFilter::Op::Equals, actor().user});
      q.sortBy = "_updated_at";
      q.descending = true;
      q.limit = 1;
      q.withTotal = false;
      auto page = store->query(q);
      if (!page.records.empty()) {
        entry.draftOfferId = page.records[0].id;
        std::string when = page.records[0].updatedAt.substr(0, 16);
        if (when.size() > 10) when[10] = ' ';
        entry.draftOfferWhen = when;
      }
    } catch (const store::StoreError&) {
    }
  }
}

void Workbench::connectPersonCodes() {
  entry.personCodePrefix.clear();
  entry.personCodeMatches.clear();
  entry.personCodeSource = [this](const std::string& prefix) -> std::vector<std::string> {
    if (!store) return {};
    try {
      return store->personCodes(prefix, 6);
    } catch (const store::StoreError&) {
      return {};  // completion is a help; the field works without it
    }
  };
}

void Workbench::openRecord(const std::string& recordId) {
  if (!store) return;
  try {
    auto r = store->get(recordId);
    if (!r) return;
    auto f = findForm(r->formId, r->formVersion);
    if (!f) return;
    current = *r;
    nav.selectedForm = r->formId;
    logic = makeEntryLogic(*f, ctx.lang, ctx.tr);
    entry.logic = logic.get();
    entry.open(f, r->values, r->id, r->status == store::RecordStatus::Final);
    mode = Mode::Entry;
    connectPersonCodes();
  } catch (const store::StoreError& e) {
    lastError = e.what();
  }
}

namespace {
// A store failure while saving, in words the user can act on; the values
// always stay in the form (saving retries on the next change or Ctrl+S).
std::string storeFailure(const UiContext& ctx, const store::StoreError& e) {
  using K = store::ErrorKind;
  switch (e.kind()) {
    case K::DiskFull: return ctx.t("entry.status.disk_full");
    case K::Busy: return ctx.t("entry.status.locked");
    case K::ReadOnly: return ctx.t("entry.status.read_only");
    case K::Conflict: return ctx.t("entry.status.conflict");
    case K::Invalid: return ctx.t("entry.status.refused");
    default:
      return ctx.tr.format("entry.status.save_failed", {e.what()});
  }
}

std::string clockNow() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%H:%M:%S", &tm);
  return buf;
}

// "people[2]/age" (validator) -> "people#1/age" (entry view keys).
std::string keyFromPath(const std::string& path) {
  std::string out;
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '[') {
      size_t close = path.find(']', i);
      if (close == std::string::npos) break;
      out += "#" + std::to_string(std::atoi(path.substr(i + 1, close - i - 1).c_str()) - 1);
      i = close;
    } else {
      out += path[i];
    }
  }
  // The entry view keys only carry the last name after the instance.
  return out;
}
}  // namespace

bool Workbench::saveDraft() {
  if (!store || !entry.form || entry.isFinal) return false;
  try {
    store::Record r = current;
    r.values = entry.values;
    r.status = store::RecordStatus::Draft;
    current = store->save(r, actor());
    entry.recordId = current.id;
    entry.dirty = false;
    entry.statusLine = ctx.tr.format("entry.status.draft_saved", {clockNow()});
    entry.statusIsError = false;
    lastError.clear();
    browser.invalidate();
    return true;
  } catch (const store::StoreError& e) {
    lastError = e.what();
    entry.statusLine = storeFailure(ctx, e);
    entry.statusIsError = true;
    return false;
  }
}

bool Workbench::finalise() {
  if (!entry.form) return false;
  int problems = entry.validate(ctx);
  nlohmann::json checked = entry.values;
  if (problems == 0) {
    auto errors = expr::validateRecord(*entry.form, checked, ctx.lang);
    for (const auto& e : errors) {
      entry.messages[keyFromPath(e.field)] = e.message;
      if (problems++ == 0) entry.focusField(keyFromPath(e.field));
    }
  }
  if (problems > 0) {
    entry.statusLine = ctx.tr.format("entry.status.problems", {std::to_string(problems)});
    entry.statusIsError = true;
    return false;
  }
  if (!store) {
    entry.statusLine = ctx.t("entry.status.no_workspace");
    entry.statusIsError = true;
    return false;
  }
  if (entry.isFinal && reasonInput.empty()) {
    askReason = true;
    return false;
  }
  try {
    store::Record r = current;
    r.values = checked;
    r.status = store::RecordStatus::Final;
    store::Actor who = actor();
    who.reason = reasonInput;
    current = store->save(r, who);
    reasonInput.clear();
    browser.invalidate();
    const std::string formId = current.formId;
    newRecord(formId);  // ready for the next registration
    entry.statusLine = ctx.tr.format("entry.status.finalised", {clockNow()});
    entry.statusIsError = false;
    return true;
  } catch (const store::StoreError& e) {
    for (const auto& fe : e.fieldErrors()) entry.messages[keyFromPath(fe.field)] = fe.message;
    lastError = e.what();
    entry.statusLine = storeFailure(ctx, e);
    entry.statusIsError = true;
    return false;
  }
}

void Workbench::tick(double now) {
  // Drafts: saved within a second of the last change (0.5 s of quiet).
  if (mode == Mode::Entry && entry.dirty && store && !entry.isFinal && now - entry.lastChangeTime >= 0.5) {
    if (!saveDraft()) entry.lastChangeTime = now + 2.0;  // retry in a few seconds
  }
}

// [SECTION] drawing

void Workbench::drawMenu() {
  if (!ImGui::BeginMenuBar()) return;
  if (ImGui::BeginMenu(ctx.t("workbench.menu.file"))) {
    if (ImGui::MenuItem(ctx.t("workbench.menu.new_record"), "Ctrl+N", false, !nav.selectedForm.empty()))
      newRecord(nav.selectedForm);
    if (ImGui::MenuItem(ctx.t("workbench.menu.design_form"), nullptr, false, store && !nav.selectedForm.empty()))
      openView("designer:" + nav.selectedForm);
    if (ImGui::MenuItem(ctx.t("workbench.menu.design_new"), nullptr, false, store != nullptr)) openView("designer:new");
    ImGui::Separator();
    if (ImGui::MenuItem(ctx.t("workspace.open.menu"), "Ctrl+O")) showWorkspaceDialog(WorkspaceDialog::Kind::Open);
    if (ImGui::MenuItem(ctx.t("workspace.new.menu"))) showWorkspaceDialog(WorkspaceDialog::Kind::Create);
    ImGui::Separator();
    if (ImGui::MenuItem(ctx.t("workbench.menu.quit"), "Ctrl+Q")) quit = true;
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu(ctx.t("workbench.menu.view"))) {
    if (ImGui::MenuItem(ctx.t("workbench.menu.home"), nullptr, mode == Mode::Home)) mode = Mode::Home;
    if (ImGui::MenuItem(ctx.t("workbench.menu.reports"), nullptr, mode == Mode::Reports, store != nullptr) &&
        reports.open(*store, reports.formId.empty() ? nav.selectedForm : reports.formId, workspacePath))
      mode = Mode::Reports;
    ImGui::Separator();
    if (ImGui::MenuItem("Dansk", nullptr, ctx.lang == "da")) setLanguage("da");
    if (ImGui::MenuItem("English", nullptr, ctx.lang == "en")) setLanguage("en");
    ImGui::EndMenu();
  }
  if (const std::string a = plugins->drawMenu(ctx); !a.empty()) openView("dashboard:" + a);
  if (ImGui::BeginMenu(ctx.t("workbench.menu.help"))) {
    if (ImGui::MenuItem(ctx.t("workbench.menu.keys"), "F1")) showKeys = true;
    if (ImGui::MenuItem(ctx.t("workbench.menu.plugins"))) plugins->showWindow = true;
    if (ImGui::MenuItem(ctx.t("workbench.menu.about"))) showAbout = true;
    ImGui::EndMenu();
  }
  // Workspace on the right.
  const std::string ws = workspacePath.empty() ? std::string(ctx.t("workbench.no_workspace"))
                                               : fs::path(workspacePath).filename().string();
  const float w = ImGui::CalcTextSize(ws.c_str()).x + 20 * ctx.scale;
  ImGui::SameLine(ImGui::GetWindowWidth() - w);
  ImGui::TextDisabled("%s", ws.c_str());
  ImGui::EndMenuBar();
}

namespace {
// "key\twhat\n..." as a two-column table.
void drawKeyTable(UiContext& ctx) {
  const std::string& text = ctx.tr.tr("home.keys");
  if (!ImGui::BeginTable("##keys", 2, ImGuiTableFlags_SizingFixedFit)) return;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    const size_t tab = line.find('\t');
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::PushFont(ctx.fontBold);
    ImGui::TextUnformatted(line.substr(0, tab).c_str());
    ImGui::PopFont();
    ImGui::TableNextColumn();
    if (tab != std::string::npos) ImGui::TextUnformatted(line.substr(tab + 1).c_str());
    start = end + 1;
  }
  ImGui::EndTable();
}
}  // namespace

void Workbench::drawHome() {
  ImGui::PushFont(ctx.fontTitle);
  ImGui::TextUnformatted(ctx.t("home.title"));
  ImGui::PopFont();
  ImGui::Spacing();
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + 640 * ctx.scale);
  ImGui::TextUnformatted(ctx.t("home.intro"));
  ImGui::PopTextWrapPos();
  ImGui::Spacing();
  if (!workspacePath.empty()) ImGui::Text("%s: %s", ctx.t("home.workspace"), workspacePath.c_str());
  else ImGui::TextDisabled("%s", ctx.t("workbench.no_workspace"));
  if (!workspaceError.empty()) ImGui::TextColored(ImVec4(0.75f, 0.1f, 0.1f, 1), "%s", workspaceError.c_str());
  ImGui::Text("%s: %d", ctx.t("home.forms"), static_cast<int>(forms.size()));
  if (!ctx.userName.empty()) ImGui::Text("%s: %s (%s)", ctx.t("home.user"), ctx.userName.c_str(), ctx.userInitials.c_str());
  ImGui::Spacing();
  ImGui::Separator();
  ImGui::PushFont(ctx.fontBold);
  ImGui::TextUnformatted(ctx.t("home.keys_title"));
  ImGui::PopFont();
  drawKeyTable(ctx);
}

void Workbench::drawDialogs() {
  if (askUser) ImGui::OpenPopup("##user");
  if (ImGui::BeginPopupModal("##user", nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoTitleBar)) {
    ImGui::PushFont(ctx.fontTitle);
    ImGui::TextUnformatted(ctx.t("user.welcome"));
    ImGui::PopFont();
    ImGui::TextUnformatted(ctx.t("user.explain"));
    static std::string name, initials;
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    ImGui::InputText(ctx.t("user.name"), &name);
    ImGui::InputText(ctx.t("user.initials"), &initials, ImGuiInputTextFlags_CharsUppercase);
    const bool ok = !name.empty() && !initials.empty();
    if ((ImGui::Button(ctx.t("user.ok")) || (ok && keyPressed(keys::kEnter, false))) && ok) {
      ctx.userName = settings.userName = name;
      ctx.userInitials = settings.userInitials = initials;
      if (!settingsPath.empty()) settings.save(settingsPath);
      askUser = false;
      ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
  }
  if (askReason) ImGui::OpenPopup("##reason");
  if (ImGui::BeginPopupModal("##reason", nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoTitleBar)) {
    ImGui::TextUnformatted(ctx.t("entry.reason.ask"));
    static std::string reason;
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    ImGui::SetNextItemWidth(420 * ctx.scale);
    ImGui::InputText("##reasontext", &reason);
    bool done = false;
    if ((ImGui::Button(ctx.t("entry.reason.save")) || keyPressed(keys::kEnter, false)) && !reason.empty()) {
      reasonInput = reason;
      reason.clear();
      done = true;
    }
    ImGui::SameLine();
    if (ImGui::Button(ctx.t("entry.reason.cancel")) || keyPressed(keys::kEscape, false)) {
      askReason = false;
      ImGui::CloseCurrentPopup();
    }
    if (done) {
      askReason = false;
      ImGui::CloseCurrentPopup();
      ImGui::EndPopup();
      finalise();
      return;
    }
    ImGui::EndPopup();
  }
  if (showKeys) {
    ImGui::SetNextWindowSize(ImVec2(560 * ctx.scale, 0), ImGuiCond_Appearing);
    if (ImGui::Begin(ctx.t("workbench.menu.keys"), &showKeys, ImGuiWindowFlags_NoCollapse)) drawKeyTable(ctx);
    ImGui::End();
  }
  if (showHistory) drawHistory();
  if (auto choice = workspaceDialog.draw(ctx)) takeWorkspaceChoice(*choice);
  plugins->drawWindow(ctx);
  if (showAbout) {
    if (ImGui::Begin(ctx.t("workbench.menu.about"), &showAbout, ImGuiWindowFlags_AlwaysAutoResize))
      ImGui::Text("Skema · Dear ImGui %s", ImGui::GetVersion());
    ImGui::End();
  }
}

void Workbench::showWorkspaceDialog(WorkspaceDialog::Kind kind) {
  std::error_code ec;
  const std::string folder = workspacePath.empty() ? "" : fs::absolute(workspacePath, ec).parent_path().string();
  workspaceDialog.show(kind, folder);
}

// Opens or creates the chosen workspace; on failure the dialog stays open
// with the reason, and the current workspace stays as it was.
void Workbench::takeWorkspaceChoice(const WorkspaceDialog::Choice& choice) {
  std::error_code ec;
  const bool create = choice.kind == WorkspaceDialog::Kind::Create;
  if (create && fs::exists(choice.path, ec)) {
    workspaceDialog.error = ctx.tr.format("workspace.dialog.exists", {choice.path});
    return;
  }
  if (!create && !fs::exists(choice.path, ec)) {  // the store's words point to `skema init`
    workspaceDialog.error = ctx.tr.format("workspace.dialog.missing", {choice.path});
    return;
  }
  if (entry.dirty) saveDraft();  // into the workspace it belongs to
  if (!openWorkspace(choice.path, create)) {
    workspaceDialog.error = workspaceError;
    workspaceError.clear();
    return;
  }
  workspaceDialog.close();
}

void Workbench::drawHistory() {
  ImGui::SetNextWindowSize(ImVec2(820 * ctx.scale, 420 * ctx.scale), ImGuiCond_Appearing);
  if (ImGui::Begin(ctx.t("history.title"), &showHistory, ImGuiWindowFlags_NoCollapse)) {
    if (keyPressed(keys::kEscape, false) && ImGui::IsWindowFocused()) showHistory = false;
    if (ImGui::BeginTable("##history", 6, ImGuiTableFlags_RowBg | ImGuiTableFlags_Borders | ImGuiTableFlags_ScrollY |
                                              ImGuiTableFlags_Resizable)) {
      ImGui::TableSetupScrollFreeze(0, 1);
      for (const char* k : {"history.when", "history.who", "history.action", "history.field", "history.change",
                            "history.reason"})
        ImGui::TableSetupColumn(ctx.t(k));
      ImGui::TableHeadersRow();
      for (const auto& h : historyRows) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        std::string when = h.at.substr(0, 19);
        if (when.size() > 10) when[10] = ' ';
        ImGui::TextUnformatted(when.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(h.user.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(h.action.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(h.field.c_str());
        ImGui::TableNextColumn();
        const std::string change = h.oldValue.value_or("–") + " → " + h.newValue.value_or("–");
        ImGui::TextWrapped("%s", change.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(h.reason.c_str());
      }
      ImGui::EndTable();
    }
  }
  ImGui::End();
}

void Workbench::draw() {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0.0f);
  ImGui::Begin("##workbench", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_MenuBar | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoSavedSettings);
  ImGui::PopStyleVar();
  drawMenu();

  if (ctrlDown() && keyPressed(keys::kQ, false)) quit = true;
  if (ctrlDown() && keyPressed(keys::kO, false)) showWorkspaceDialog(WorkspaceDialog::Kind::Open);
  if (keyPressed(keys::kF1, false)) showKeys = !showKeys;

  const float s = ctx.scale;
  const float navW = 300 * s;
  ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(0.92f, 0.93f, 0.94f, 1.0f));
  ImGui::BeginChild("##nav", ImVec2(navW, 0), true);
  ImGui::PopStyleColor();
  auto pick = nav.draw(ctx, forms, store != nullptr);
  ImGui::EndChild();
  if (pick.pick == NavView::Pick::NewRecord) newRecord(pick.formId);
  if (pick.pick == NavView::Pick::Records && store) {
    browser.open(pick.formId, findForm(pick.formId));
    mode = Mode::Browser;
  }

  ImGui::SameLine();
  ImGui::BeginChild("##main", ImVec2(0, 0), false, ImGuiWindowFlags_NoScrollbar);
  switch (mode) {
    case Mode::Home: drawHome(); break;
    case Mode::Dashboard: plugins->drawDashboard(ctx, store.get()); break;
    case Mode::Reports: if (store) reports.draw(ctx, *store, forms); break;
    case Mode::Designer:
      if (auto a = designer->draw(ctx); a == DesignerView::Action::Leave) mode = Mode::Home;
      else if (a == DesignerView::Action::Published) designerPublished(forms, *designer);
      break;
    case Mode::Entry: {
      EntryAction a = entry.draw(ctx);
      if (a == EntryAction::Finalise) finalise();
      else if (a == EntryAction::New) {
        if (entry.dirty) saveDraft();
        newRecord(current.formId);
      } else if (a == EntryAction::OpenDraft) {
        const std::string id = entry.draftOfferId;
        openRecord(id);
      } else if (a == EntryAction::History && store && !entry.recordId.empty()) {
        try {
          historyRows = store->history(entry.recordId);
          showHistory = true;
        } catch (const store::StoreError& e) {
          lastError = e.what();
        }
      } else if (a == EntryAction::Leave) {
        if (entry.dirty) saveDraft();
        if (store) {
          browser.open(current.formId, findForm(current.formId));
          mode = Mode::Browser;
        } else {
          mode = Mode::Home;
        }
      }
      break;
    }
    case Mode::Browser:
      if (store) {
        auto r = browser.draw(ctx, *store);
        if (r.kind == BrowserView::Result::Kind::Open) openRecord(r.recordId);
        else if (r.kind == BrowserView::Result::Kind::New) newRecord(browser.formId);
        else if (r.kind == BrowserView::Result::Kind::Leave) mode = Mode::Home;
        else if (r.kind == BrowserView::Result::Kind::History) {
          try {
            historyRows = store->history(r.recordId);
            showHistory = true;
          } catch (const store::StoreError& e) {
            lastError = e.what();
          }
        }
      }
      break;
  }
  ImGui::EndChild();
  drawDialogs();
  ImGui::End();
}

}  // namespace skema::ui
