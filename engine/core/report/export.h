// File exports of a form's records (all versions, renames followed):
// SPSS .sav and Stata .dta (libreadstat), Excel .xlsx (libxlsxwriter) and
// codebooks (HTML, Markdown). CSV and JSON lines live in
// store/import_export.h. See docs/reports.md.
//
// Every export goes through store::OutputFile (store/output_file.h): never
// over a workspace or a database, an existing file only with `replace`,
// PATH.part renamed when complete, so a cancelled or failed export leaves
// no file behind (and an existing file at PATH untouched).
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "report/dataset.h"

namespace skema::store {
class OutputFile;
}

namespace skema::report {

enum class FileFormat { Sav, Dta, Xlsx, CodebookHtml, CodebookMd };
// "sav", "dta", "xlsx", "codebook-html", "codebook-md"
std::optional<FileFormat> fileFormatFromName(const std::string& s);
const char* fileFormatName(FileFormat f);

struct FileExportOptions {
  FileFormat format = FileFormat::Sav;
  std::set<std::string> includeSensitive;  // sensitive fields to include, by (any) name
  // Form versions to export; empty = all. Only their records, and only the
  // variables that exist in at least one of them.
  std::set<int> versions;
  std::string lang = "en";                 // labels
  // Called now and then with records done / total; may be called from the
  // exporting thread only.
  std::function<void(std::int64_t done, std::int64_t total)> progress;
  const std::atomic<bool>* cancel = nullptr;  // set to stop: nothing is written
  const Dataset* dataset = nullptr;           // reuse a cache (sav, dta, codebook) instead of reading the store
  bool replace = false;                       // an existing ordinary file at the path may be replaced (--force)
};

struct FileExportResult {
  std::int64_t records = 0;
  std::vector<std::string> leftOut;  // sensitive fields not exported
  bool cancelled = false;            // nothing was written
  std::vector<store::DamagedRecord> damaged;  // left out: stored values damaged
};

class ExportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws store::StoreError (NotFound: form not published; Invalid: an
// --include-sensitive name that is not a sensitive field, a version that is
// not published; store::OutputError: a path that may not be written) or
// ExportError. A record whose stored values are damaged is left out and
// listed in `damaged`. Data exports naming sensitive fields are written
// with mode 0600.
FileExportResult exportFile(store::Store& store, const std::string& formId, const std::string& path,
                            const FileExportOptions& o);

// Internals shared by the writers (export_*.cpp).
namespace detail {
// The variables exported: value-holding top-level fields (and, for xlsx,
// repeats) of the chosen versions (`versions`, empty = all), minus
// sensitive ones not asked for. Fills `leftOut`.
std::vector<int> chosenVariables(const FormVariables& fv, const std::set<std::string>& includeSensitive,
                                 std::vector<std::string>& leftOut, bool withRepeats,
                                 const std::set<int>& versions = {});
// Whether a record of `version` is exported.
inline bool versionChosen(const std::set<int>& versions, int version) {
  return versions.empty() || versions.count(version) > 0;
}
// A variable name valid in SPSS/Stata: letters, digits, _; starts with a
// letter; at most `maxLen` bytes; unique among `taken` (added to it).
std::string statName(const std::string& want, size_t maxLen, std::set<std::string>& taken);
// The writers write `file` (created by exportFile) and leave committing it
// to exportFile.
FileExportResult writeStats(const Dataset& ds, store::OutputFile& file, const FileExportOptions& o);
FileExportResult writeXlsx(store::Store& store, const FormVariables& fv, store::OutputFile& file,
                           const FileExportOptions& o);
FileExportResult writeCodebook(const Dataset& ds, store::OutputFile& file, const FileExportOptions& o);
}  // namespace detail

}  // namespace skema::report
