#include "report/export.h"

#include <algorithm>
#include <cctype>

#include "store/import_export.h"
#include "store/output_file.h"
#include "store/store.h"

namespace skema::report {

std::optional<FileFormat> fileFormatFromName(const std::string& s) {
  if (s == "sav") return FileFormat::Sav;
  if (s == "dta") return FileFormat::Dta;
  if (s == "xlsx") return FileFormat::Xlsx;
  if (s == "codebook-html") return FileFormat::CodebookHtml;
  if (s == "codebook-md") return FileFormat::CodebookMd;
  return std::nullopt;
}

const char* fileFormatName(FileFormat f) {
  switch (f) {
    case FileFormat::Sav: return "sav";
    case FileFormat::Dta: return "dta";
    case FileFormat::Xlsx: return "xlsx";
    case FileFormat::CodebookHtml: return "codebook-html";
    case FileFormat::CodebookMd: return "codebook-md";
  }
  return "sav";
}

namespace detail {

std::vector<int> chosenVariables(const FormVariables& fv, const std::set<std::string>& includeSensitive,
                                 std::vector<std::string>& leftOut, bool withRepeats, const std::set<int>& versions) {
  for (const auto& name : includeSensitive) {
    int i = fv.find(name);
    if (i < 0) throw store::StoreError(store::ErrorKind::Invalid, "--include-sensitive: no field '" + name + "' in " + fv.formId);
    if (!fv.vars[i].sensitive)
      throw store::StoreError(store::ErrorKind::Invalid, "--include-sensitive: field '" + name + "' is not sensitive");
  }
  auto included = [&](const Variable& v) {
    if (!v.sensitive) return true;
    if (includeSensitive.count(v.name)) return true;
    for (const auto& n : v.formerNames())
      if (includeSensitive.count(n)) return true;
    return false;
  };
  std::vector<int> out;
  for (size_t i = 0; i < fv.vars.size(); ++i) {
    const Variable& v = fv.vars[i];
    bool inRepeat = !v.repeat.empty() || v.type == FieldType::Repeat;
    if (inRepeat && !withRepeats) continue;
    if (!versions.empty() &&
        std::none_of(v.versions.begin(), v.versions.end(), [&](int x) { return versions.count(x) > 0; }))
      continue;
    if (!included(v)) {
      leftOut.push_back(v.repeat.empty() ? v.name : v.repeat + "/" + v.name);
      continue;
    }
    out.push_back(static_cast<int>(i));
  }
  return out;
}

std::string statName(const std::string& want, size_t maxLen, std::set<std::string>& taken) {
  std::string s;
  for (char c : want) s += (std::isalnum(static_cast<unsigned char>(c)) || c == '_') ? c : '_';
  if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) s = "v" + s;
  if (s.size() > maxLen) s.resize(maxLen);
  std::string base = s;
  for (int k = 2; taken.count(s); ++k) {
    std::string suf = "_" + std::to_string(k);
    s = base.substr(0, std::min(base.size(), maxLen - suf.size())) + suf;
  }
  taken.insert(s);
  return s;
}

}  // namespace detail

FileExportResult exportFile(store::Store& store, const std::string& formId, const std::string& path,
                            const FileExportOptions& o) {
  if (!o.versions.empty()) {
    const FormVariables fv = o.dataset ? o.dataset->variables() : unionVariables(store, formId);
    store::checkVersions(formId, fv.versions, o.versions);
  }
  // The target is judged and its .part created before any of the work, so
  // a refused path costs nothing. A codebook holds no values.
  const bool codebook = o.format == FileFormat::CodebookHtml || o.format == FileFormat::CodebookMd;
  store::OutputOptions out;
  out.replace = o.replace;
  out.privateFile = !codebook && !o.includeSensitive.empty();
  store::OutputFile file(path, out);
  FileExportResult res;
  if (o.format == FileFormat::Xlsx) {
    FormVariables fv = o.dataset ? o.dataset->variables() : unionVariables(store, formId);
    res = detail::writeXlsx(store, fv, file, o);
  } else {
    std::unique_ptr<Dataset> own;
    const Dataset* ds = o.dataset;
    if (!ds) {
      // Reading the store is the first half of the work.
      auto prog = o.progress;
      own = Dataset::build(store, formId,
                           prog ? Dataset::Progress([&](std::int64_t d, std::int64_t t) { prog(d / 2, t); })
                                : Dataset::Progress(),
                           o.cancel, true);
      if (own->cancelled()) {
        res.cancelled = true;
        return res;
      }
      ds = own.get();
    }
    FileExportOptions w = o;
    if (own && o.progress) {
      auto prog = o.progress;
      w.progress = [prog](std::int64_t d, std::int64_t t) { prog(t / 2 + d / 2, t); };
    }
    res = o.format == FileFormat::Sav || o.format == FileFormat::Dta ? detail::writeStats(*ds, file, w)
                                                                       : detail::writeCodebook(*ds, file, w);
    for (const auto& d : ds->damagedRows())
      if (!ds->deleted(d.row) && detail::versionChosen(o.versions, ds->version(d.row)))
        res.damaged.push_back({ds->id(d.row), d.reason});
  }
  if (!res.cancelled) file.commit();
  return res;
}

}  // namespace skema::report
