// skema import WORKSPACE FORM FILE, skema export WORKSPACE FORM.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>

#include "cli/cmd_store_common.h"
#include "report/export.h"
#include "store/import_export.h"
#include "store/open_workspaces.h"
#include "store/output_file.h"
#include "util/text.h"

namespace skema::cli {

using namespace skema::store;

namespace {

bool endsWith(const std::string& s, const std::string& suf) {
  return s.size() >= suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0;
}

void printRowErrors(const std::string& file, int line, const std::vector<FieldMessage>& errs) {
  for (const auto& e : errs) {
    // The messages quote the file's cells: escaped, like stored text.
    if (e.field.empty()) std::fprintf(stderr, "%s:%d: %s\n", file.c_str(), line, displayText(e.message).c_str());
    else
      std::fprintf(stderr, "%s:%d: %s: %s\n", file.c_str(), line, displayText(e.field).c_str(),
                   displayText(e.message).c_str());
  }
}

// After the row errors: when the same content was imported before, and
// what to do about rows whose _id exists.
void printImportHints(const std::string& file, const ImportResult& res) {
  if (const auto& e = res.sameContent)
    std::fprintf(stderr,
                 "skema: warning: %s has the same content as an earlier import (%s by %s, \"%s\", %lld records)%s\n",
                 file.c_str(), e->at.c_str(), e->user.c_str(), e->reason.c_str(), (long long)e->records,
                 res.committed && res.imported > 0 ? "; its records without an _id are now in the workspace twice"
                                                   : "");
  if (res.existingIds > 0)
    std::fprintf(stderr,
                 "skema: hint: %lld row(s) have the _id of a record already in the workspace; import only adds "
                 "records: leave out _id to add them as new records, or change records with skema records edit\n",
                 (long long)res.existingIds);
}

}  // namespace

int importCommand(const Args& args) {
  const char* use =
      "skema import WORKSPACE FORM FILE [--format csv|jsonl] [--skip-invalid REJECTFILE [--force]] [--user NAME]";
  auto a = parseArgs(args, {"--format", "--skip-invalid", "--user"}, {"--force"});
  if (!a.error.empty() || a.pos.size() != 3) {
    if (!a.error.empty()) std::fprintf(stderr, "skema: %s\n", a.error.c_str());
    return usage(use);
  }
  const auto user = actingUser(a);
  if (!user) return kUsage;
  const std::string& file = a.pos[2];
  std::string format = a.get("--format");
  if (format.empty())
    format = (endsWith(file, ".jsonl") || endsWith(file, ".ndjson") || endsWith(file, ".json")) ? "jsonl" : "csv";
  if (format != "csv" && format != "jsonl") return usage(use);
  try {
    auto s = openWorkspace(a.pos[0]);
    if (!s->latestFormVersion(a.pos[1])) {
      std::fprintf(stderr, "skema: form %s is not published in %s (skema forms publish)\n", a.pos[1].c_str(),
                   a.pos[0].c_str());
      return kFailed;
    }
    // Never read as text: closing our descriptor of an open workspace would drop its locks.
    if (const PathKind k = file == "-" ? PathKind::Special : pathKind(file);
        k == PathKind::OpenWorkspace || k == PathKind::Workspace) {
      std::fprintf(stderr, "skema: %s: is a Skema workspace, not a file to import\n", file.c_str());
      return kIoError;
    }
    // The reject file is judged, and its .part created, before anything is
    // read or imported. It holds whole rows: private (0600).
    std::optional<OutputFile> reject;
    const std::string rejectPath = a.get("--skip-invalid");
    if (a.has("--skip-invalid")) {
      OutputOptions out;
      out.replace = a.has("--force");
      out.privateFile = true;
      out.inputs.push_back({file == "-" ? "/dev/stdin" : file, "the file being imported"});
      reject.emplace(rejectPath, out);
    }
    std::FILE* in = file == "-" ? stdin : std::fopen(file.c_str(), "rb");
    if (!in) {
      std::fprintf(stderr, "skema: %s: %s\n", file.c_str(), std::strerror(errno));
      return kIoError;
    }
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> closeIn(in == stdin ? nullptr : in, std::fclose);
    std::FILE* rejectStream = reject ? reject->stream() : nullptr;
    std::unique_ptr<ImportSource> src;
    if (format == "csv") {
      auto csv = std::make_unique<CsvImportSource>(*s, in, a.pos[1], rejectStream);
      if (!csv->headerErrors().empty()) {
        printRowErrors(file, 1, csv->headerErrors());
        std::fprintf(stderr, "skema: nothing was imported\n");
        return kFailed;
      }
      src = std::move(csv);
    } else {
      src = std::make_unique<JsonlImportSource>(*s, in, a.pos[1], rejectStream);
    }
    ImportOptions opt;
    opt.skipInvalid = reject.has_value();
    ImportResult res = s->importRecords(*src, {*user, "import " + file}, opt);
    closeIn.reset();
    std::string rejectError;
    if (reject) {
      try {
        reject->commit();
      } catch (const OutputError& e) {
        rejectError = e.what();
      }
    }
    for (const auto& r : res.rejected) printRowErrors(file, r.line, r.errors);
    printImportHints(file, res);
    if (!res.committed) {
      std::fprintf(stderr, "skema: %zu invalid row(s); nothing was imported\n", res.rejected.size());
      return kFailed;
    }
    std::printf("imported %lld records into %s\n", (long long)res.imported, a.pos[1].c_str());
    if (!rejectError.empty()) {
      std::fprintf(stderr, "skema: %s; the %zu rejected row(s) were not saved\n", rejectError.c_str(), res.rejected.size());
      return kIoError;
    }
    if (!res.rejected.empty())
      std::fprintf(stderr, "skema: %zu invalid row(s) skipped, written to %s\n", res.rejected.size(),
                   rejectPath.c_str());
    return kOk;
  } catch (const StoreError& e) {
    std::fprintf(stderr, "skema: nothing was imported\n");
    return report(e);
  }
}

// Every export ends with a line on stderr (stdout may be the data), after
// one line per record left out as damaged; those make the exit code 1.
int finishExport(long long records, const std::string& formId, const std::vector<std::string>& leftOut,
                 const std::vector<DamagedRecord>& damaged) {
  for (const auto& d : damaged)
    std::fprintf(stderr, "skema: record %s: stored values are damaged (%s); left out of the export\n", d.id.c_str(),
                 d.reason.c_str());
  std::fprintf(stderr, "exported %lld records of %s", records, formId.c_str());
  if (!leftOut.empty()) {
    std::fprintf(stderr, "; sensitive fields left out:");
    for (const auto& f : leftOut) std::fprintf(stderr, " %s", f.c_str());
  }
  if (!damaged.empty()) std::fprintf(stderr, "; %zu damaged record(s) left out", damaged.size());
  std::fprintf(stderr, "\n");
  return damaged.empty() ? kOk : kFailed;
}
// The file formats of engine/core/report/export.h (always to --out FILE).
// "1,3" -> {1, 3}; false when it is not a list of version numbers.
bool parseVersions(const std::string& text, std::set<int>& out) {
  size_t p = 0;
  while (p <= text.size()) {
    size_t q = text.find(',', p);
    if (q == std::string::npos) q = text.size();
    const std::string item = text.substr(p, q - p);
    if (item.empty() || item.size() > 9 || item.find_first_not_of("0123456789") != std::string::npos) return false;
    int v = std::stoi(item);
    if (v < 1) return false;
    out.insert(v);
    p = q + 1;
  }
  return !out.empty();
}

int exportFileCommand(const ParsedArgs& a, report::FileFormat format, const std::set<int>& versions) {
  if (!a.has("--out")) {
    std::fprintf(stderr, "skema: --format %s needs --out FILE\n", report::fileFormatName(format));
    return kUsage;
  }
  report::FileExportOptions o;
  o.format = format;
  o.lang = a.get("--lang", "en");
  o.versions = versions;
  o.replace = a.has("--force");
  if (auto it = a.opts.find("--include-sensitive"); it != a.opts.end())
    o.includeSensitive.insert(it->second.begin(), it->second.end());
  try {
    auto s = openWorkspace(a.pos[0]);
    auto res = report::exportFile(*s, a.pos[1], a.get("--out"), o);
    return finishExport(res.records, a.pos[1], res.leftOut, res.damaged);
  } catch (const StoreError& e) {
    return report(e);
  } catch (const report::ExportError& e) {
    std::fprintf(stderr, "skema: %s\n", e.what());
    return kIoError;
  }
}

int exportCommand(const Args& args) {
  const char* use =
      "skema export WORKSPACE FORM [--format csv|jsonl|xlsx|sav|dta|codebook-html|codebook-md] [--out FILE]\n"
      "             [--force] [--delimiter ,|;] [--raw] [--lang da|en] "
      "[--include-sensitive FIELD...] [--versions N,M,...]";
  auto a = parseArgs(args, {"--format", "--out", "--delimiter", "--user", "--lang", "--versions"}, {"--force", "--raw"},
                     {"--include-sensitive"});
  if (!a.error.empty() || a.pos.size() != 2) {
    if (!a.error.empty()) std::fprintf(stderr, "skema: %s\n", a.error.c_str());
    return usage(use);
  }
  std::set<int> versions;
  if (a.has("--versions") && !parseVersions(a.get("--versions"), versions)) {
    std::fprintf(stderr, "skema: --versions takes form version numbers separated by commas, e.g. --versions 1,3\n");
    return usage(use);
  }
  ExportOptions o;
  o.versions = versions;
  std::string format = a.get("--format", "csv");
  if (a.has("--raw") && format != "csv") {
    std::fprintf(stderr, "skema: --raw applies to --format csv only\n");
    return usage(use);
  }
  if (auto ff = report::fileFormatFromName(format))
    return exportFileCommand(a, *ff, versions);  // sav, dta, xlsx, codebook-*
  if (format == "csv") o.format = ExportFormat::Csv;
  else if (format == "jsonl") o.format = ExportFormat::Jsonl;
  else return usage(use);
  std::string delim = a.get("--delimiter", ",");
  if (delim != "," && delim != ";") return usage(use);
  o.delimiter = delim[0];
  o.raw = a.has("--raw");
  if (auto it = a.opts.find("--include-sensitive"); it != a.opts.end())
    o.includeSensitive.insert(it->second.begin(), it->second.end());
  std::string outPath = a.get("--out");
  try {
    auto s = openWorkspace(a.pos[0]);
    std::optional<OutputFile> file;
    if (!outPath.empty()) {
      OutputOptions out;
      out.replace = a.has("--force");
      out.privateFile = !o.includeSensitive.empty();
      file.emplace(outPath, out);
    }
    ExportResult res = exportRecords(*s, a.pos[1], file ? file->stream() : stdout, o);
    if (file) file->commit();
    else if (std::fflush(stdout) != 0) return kIoError;
    return finishExport(res.records, a.pos[1], res.leftOut, res.damaged);
  } catch (const StoreError& e) {
    return report(e);
  }
}

}  // namespace skema::cli
