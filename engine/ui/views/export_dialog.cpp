#include "views/export_dialog.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "imgui.h"
#include "imgui_stdlib.h"
#include "report/export.h"
#include "report/variables.h"
#include "store/import_export.h"
#include "store/output_file.h"
#include "store/sqlite_store.h"

namespace fs = std::filesystem;

namespace skema::ui {

ExportDialog::~ExportDialog() {
  cancel = true;
  if (m_thread.joinable()) m_thread.join();
}

const std::vector<std::string>& ExportDialog::formats() {
  static const std::vector<std::string> f = {"csv", "jsonl", "xlsx", "sav", "dta", "codebook-html", "codebook-md"};
  return f;
}

std::string ExportDialog::extension(const std::string& format) {
  if (format == "codebook-html") return ".codebook.html";
  if (format == "codebook-md") return ".codebook.md";
  return "." + format;
}

std::string ExportDialog::documentsDir() {
  std::error_code ec;
  if (const char* d = std::getenv("XDG_DOCUMENTS_DIR"); d && *d && fs::is_directory(d, ec)) return d;
  const char* home = std::getenv("HOME");
  if (!home || !*home) return fs::temp_directory_path(ec).string();
  for (const char* sub : {"Dokumenter", "Documents"}) {
    const fs::path p = fs::path(home) / sub;
    if (fs::is_directory(p, ec)) return p.string();
  }
  return home;
}

void ExportDialog::open(store::Store& store, const std::string& id, const std::string& ws, const std::string& l) {
  poll();
  formId = id;
  workspacePath = ws;
  lang = l;
  visible = true;
  versions.clear();
  sensitive.clear();
  {
    std::lock_guard<std::mutex> lk(resultMutex);
    if (!running) outcome = Outcome::None;
  }
  try {
    const report::FormVariables fv = report::unionVariables(store, id);
    for (int v : fv.versions) versions.push_back({v, true});
    for (const auto& v : fv.vars)
      if (v.sensitive) sensitive.push_back({v.name, localized(v.label, lang), false});
  } catch (const std::exception& e) {
    std::lock_guard<std::mutex> lk(resultMutex);
    outcome = Outcome::Failed;
    error = e.what();
  }
  m_pathFormat = formats()[format];
  path = (fs::path(documentsDir()) / (id + extension(m_pathFormat))).string();
}

std::set<int> ExportDialog::chosenVersions() const {
  std::set<int> out;
  for (const auto& v : versions)
    if (v.include) out.insert(v.version);
  if (out.size() == versions.size()) out.clear();
  return out;
}

void ExportDialog::finish(Outcome o, std::int64_t n, const std::string& err, const std::vector<std::string>& left,
                          const std::vector<store::DamagedRecord>& damagedRecords) {
  {
    std::lock_guard<std::mutex> lk(resultMutex);
    outcome = o;
    records = n;
    error = err;
    leftOut = left;
    damaged.clear();
    for (const auto& d : damagedRecords) damaged.push_back(d.id);
  }
  running = false;
  finished = true;
}

void ExportDialog::start(store::Store& shared) {
  if (running) return;
  if (m_thread.joinable()) m_thread.join();
  if (!versions.empty() && std::none_of(versions.begin(), versions.end(), [](const Version& v) { return v.include; })) {
    // An empty choice would mean "all" to the engine.
    finish(Outcome::Failed, 0, "", {});
    m_noVersion = true;  // said in the UI language by resultMessage()
    return;
  }
  m_noVersion = false;
  cancel = false;
  done = 0;
  total = 0;
  finished = false;
  running = true;
  {
    std::lock_guard<std::mutex> lk(resultMutex);
    outcome = Outcome::None;
    error.clear();
    leftOut.clear();
    writtenPath = path;
  }
  std::set<std::string> include;
  for (const auto& s : sensitive)
    if (s.include) include.insert(s.name);
  const std::set<int> vers = chosenVersions();
  const std::string fmt = formats()[format], target = path, ws = workspacePath, id = formId, l = lang;
  const bool replaceIt = replace;
  m_exists = false;
  store::Store* sharedStore = &shared;
  m_thread = std::thread([this, fmt, target, ws, id, l, include, vers, sharedStore, replaceIt] {
    try {
      // Our own connection: the UI thread keeps using its store meanwhile.
      std::unique_ptr<store::SqliteStore> own;
      store::Store* st = sharedStore;
      std::error_code ec;
      if (!ws.empty() && fs::exists(ws, ec)) {
        own = store::SqliteStore::open(ws);
        st = own.get();
      }
      if (fmt == "csv" || fmt == "jsonl") {
        // The store's writer has no progress or cancel: a cancel meanwhile
        // drops the file (OutputFile removes its .part unless committed).
        store::OutputOptions out;
        out.replace = replaceIt;
        out.privateFile = !include.empty();
        store::OutputFile file(target, out);
        store::ExportOptions o;
        o.format = fmt == "csv" ? store::ExportFormat::Csv : store::ExportFormat::Jsonl;
        o.includeSensitive = include;
        o.versions = vers;
        const store::ExportResult res = store::exportRecords(*st, id, file.stream(), o);
        if (cancel) {
          finish(Outcome::Cancelled, 0, "", {});
          return;
        }
        file.commit();
        done = total = res.records;
        finish(Outcome::Ok, res.records, "", res.leftOut, res.damaged);
        return;
      }
      report::FileExportOptions o;
      o.format = *report::fileFormatFromName(fmt);
      o.includeSensitive = include;
      o.versions = vers;
      o.lang = l;
      o.progress = [this](std::int64_t d, std::int64_t t) {
        done = d;
        total = t;
      };
      o.cancel = &cancel;
      o.replace = replaceIt;
      const auto res = report::exportFile(*st, id, target, o);
      if (res.cancelled) finish(Outcome::Cancelled, 0, "", {});
      else finish(Outcome::Ok, res.records, "", res.leftOut, res.damaged);
    } catch (const store::OutputError& e) {
      // "exists; use --force" speaks of the command line: said in the UI's words.
      m_exists = e.kind() == store::ErrorKind::Exists;
      finish(Outcome::Failed, 0, m_exists ? std::string() : e.what(), {});
    } catch (const std::exception& e) {
      finish(Outcome::Failed, 0, e.what(), {});
    }
  });
}

bool ExportDialog::poll() {
  if (finished && m_thread.joinable()) {
    m_thread.join();
    return true;
  }
  return false;
}

ExportDialog::Outcome ExportDialog::lastOutcome() {
  std::lock_guard<std::mutex> lk(resultMutex);
  return outcome;
}

std::string ExportDialog::resultMessage(const UiContext& ctx) {
  std::lock_guard<std::mutex> lk(resultMutex);
  switch (outcome) {
    case Outcome::None: return "";
    case Outcome::Cancelled: return ctx.t("export.cancelled");
    case Outcome::Failed:
      return std::string(ctx.t("export.failed")) +
             (m_noVersion ? ctx.t("export.no_version") : m_exists ? ctx.t("export.exists") : error);
    case Outcome::Ok: {
      std::string s = std::to_string(records) + ctx.t("export.records_saved_to") + writtenPath;
      if (!leftOut.empty()) {
        s += ctx.t("export.sensitive_left_out");
        for (size_t i = 0; i < leftOut.size(); ++i) s += (i ? ", " : "") + leftOut[i];
      }
      if (!damaged.empty()) {
        s += ctx.t("export.damaged_left_out");
        for (size_t i = 0; i < damaged.size(); ++i) s += (i ? ", " : "") + damaged[i];
      }
      return s;
    }
  }
  return "";
}

void ExportDialog::draw(UiContext& ctx, store::Store& store) {
  poll();
  if (!visible) return;
  const float s = ctx.scale;
  ImGui::SetNextWindowSize(ImVec2(620 * s, 0), ImGuiCond_Appearing);
  const std::string title = std::string(ctx.t("export.export")) + " – " + formId + "###export";
  bool open = true;
  if (!ImGui::Begin(title.c_str(), &open, ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::End();
    if (!open && !busy()) visible = false;
    return;
  }
  const bool busyNow = busy();
  exportButton = cancelButton = ImVec2(-1, -1);
  auto centre = [] { return ImVec2((ImGui::GetItemRectMin().x + ImGui::GetItemRectMax().x) / 2,
                                   (ImGui::GetItemRectMin().y + ImGui::GetItemRectMax().y) / 2); };
  ImGui::BeginDisabled(busyNow);
  ImGui::Text("%s: %s", ctx.t("export.form"), formId.c_str());
  ImGui::TextUnformatted(ctx.t("export.versions"));
  for (auto& v : versions) {
    ImGui::SameLine();
    ImGui::Checkbox(("v" + std::to_string(v.version) + "##ver").c_str(), &v.include);
  }
  ImGui::SameLine();
  ImGui::TextDisabled("%s", ctx.t("export.renamed_fields_joined"));
  ImGui::SetNextItemWidth(220 * s);
  if (ImGui::BeginCombo(ctx.t("export.format"), formats()[format].c_str())) {
    for (int i = 0; i < static_cast<int>(formats().size()); ++i)
      if (ImGui::Selectable(formats()[i].c_str(), i == format)) format = i;
    ImGui::EndCombo();
  }
  // Follow the format in the default file name's extension.
  if (formats()[format] != m_pathFormat) {
    const std::string oldExt = extension(m_pathFormat), newExt = extension(formats()[format]);
    if (path.size() >= oldExt.size() && path.compare(path.size() - oldExt.size(), oldExt.size(), oldExt) == 0)
      path = path.substr(0, path.size() - oldExt.size()) + newExt;
    m_pathFormat = formats()[format];
  }
  if (!sensitive.empty()) {
    ImGui::Spacing();
    ImGui::TextUnformatted(ctx.t("export.sensitive_choice"));
    ImGui::Indent();
    for (auto& f : sensitive) {
      const std::string label = (f.label.empty() ? f.name : f.label) + " (" + f.name + ")";
      ImGui::Checkbox(label.c_str(), &f.include);
    }
    ImGui::Unindent();
  }
  ImGui::Spacing();
  ImGui::SetNextItemWidth(480 * s);
  ImGui::InputText(ctx.t("export.save_as"), &path);
  ImGui::Checkbox(ctx.t("export.replace"), &replace);
  ImGui::EndDisabled();
  ImGui::Spacing();
  if (busyNow) {
    const std::int64_t d = done, t = total;
    const float frac = t > 0 ? static_cast<float>(d) / static_cast<float>(t) : 0.0f;
    const std::string overlay = t > 0 ? std::to_string(d) + " / " + std::to_string(t) : std::string("…");
    ImGui::ProgressBar(frac, ImVec2(400 * s, 0), overlay.c_str());
    ImGui::SameLine();
    if (ImGui::Button(ctx.t("export.cancel"))) requestCancel();
    cancelButton = centre();
  } else {
    const bool anyVersion = std::any_of(versions.begin(), versions.end(), [](const Version& v) { return v.include; });
    ImGui::BeginDisabled(path.empty() || formId.empty() || !anyVersion);
    if (ImGui::Button(ctx.t("export.export"))) start(store);
    exportButton = centre();
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button(ctx.t("export.close"))) open = false;
  }
  const Outcome o = lastOutcome();
  if (o != Outcome::None && !busyNow) {
    const ImVec4 col = o == Outcome::Ok ? ImVec4(0.1f, 0.45f, 0.15f, 1) : ImVec4(0.75f, 0.1f, 0.1f, 1);
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + 580 * s);
    ImGui::TextColored(col, "%s", resultMessage(ctx).c_str());
    ImGui::PopTextWrapPos();
  }
  ImGui::End();
  if (!open && !busy()) visible = false;
}

}  // namespace skema::ui
