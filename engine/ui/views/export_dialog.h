// The export dialog: form, format (csv, jsonl, xlsx, sav, dta,
// codebook-html, codebook-md), the versions exported, sensitive fields to
// include (off by default), where to save, then a progress bar with Cancel
// and the result. The export runs on its own thread (with its own store
// connection when the workspace is a file); the UI polls atomics. The
// engine writes FILE.part and renames it, so a cancelled or failed export
// leaves no file. An existing file is replaced only when "Replace an
// existing file" is ticked; a workspace never (store/output_file.h).
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "imgui.h"
#include "store/store.h"
#include "ui_context.h"

namespace skema::ui {

struct ExportDialog {
  bool visible = false;
  std::string formId;
  std::string workspacePath;  // the export thread opens its own connection to it
  int format = 0;             // index into formats()
  struct Version {
    int version = 0;
    bool include = true;  // every version is ticked when the dialog opens
  };
  std::vector<Version> versions;  // published versions; the ticked ones are exported
  struct Sensitive {
    std::string name, label;
    bool include = false;
  };
  std::vector<Sensitive> sensitive;
  std::string path;  // where to save
  bool replace = false;  // an existing file at `path` may be replaced
  ImVec2 exportButton{-1, -1}, cancelButton{-1, -1};  // centres as last drawn (-1: not shown); for tests
  std::string lang = "da";

  // Progress and result (written by the export thread).
  std::atomic<std::int64_t> done{0}, total{0};
  std::atomic<bool> cancel{false}, running{false}, finished{false};
  enum class Outcome { None, Ok, Cancelled, Failed };
  std::mutex resultMutex;  // guards the five below
  Outcome outcome = Outcome::None;
  std::int64_t records = 0;
  std::string error, writtenPath;
  std::vector<std::string> leftOut;
  std::vector<std::string> damaged;  // ids of records left out: stored values damaged

  ExportDialog() = default;
  ~ExportDialog();
  ExportDialog(const ExportDialog&) = delete;
  ExportDialog& operator=(const ExportDialog&) = delete;

  static const std::vector<std::string>& formats();  // "csv", "jsonl", ...
  static std::string extension(const std::string& format);
  // The user's documents folder ($XDG_DOCUMENTS_DIR, ~/Dokumenter, ~/Documents, ~).
  static std::string documentsDir();

  // The ticked versions (empty when all are ticked: export everything).
  std::set<int> chosenVersions() const;
  // Prepares the dialog for `formId` (versions, sensitive fields, default path).
  void open(store::Store& store, const std::string& formId, const std::string& workspacePath, const std::string& lang);
  // Starts the export on a thread. `store` is used only when there is no
  // workspace file to open a second connection to.
  void start(store::Store& store);
  void requestCancel() { cancel = true; }
  // Joins a finished export thread; true when one was joined this call.
  bool poll();
  bool busy() const { return running.load(); }
  Outcome lastOutcome();
  // The result as a sentence in the UI language ("" while none).
  std::string resultMessage(const UiContext& ctx);
  // Draws the dialog (a window) when visible.
  void draw(UiContext& ctx, store::Store& store);

 private:
  std::thread m_thread;
  bool m_noVersion = false;  // the last start had no version ticked
  std::atomic<bool> m_exists{false};  // the last export found its file existing (and `replace` off)
  std::string m_pathFormat;  // the format the default path was made for
  void finish(Outcome o, std::int64_t n, const std::string& err, const std::vector<std::string>& left,
              const std::vector<store::DamagedRecord>& damagedRecords = {});
};

}  // namespace skema::ui
