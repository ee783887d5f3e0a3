// Codebooks (HTML and Markdown): every variable of every version of a form,
// its label, type, choices and the versions it exists in.
#include <cstdio>

#include "report/export.h"
#include "store/output_file.h"

namespace skema::report::detail {

namespace {

std::string html(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '<') o += "&lt;";
    else if (c == '>') o += "&gt;";
    else if (c == '&') o += "&amp;";
    else if (c == '"') o += "&quot;";
    else o += c;
  }
  return o;
}

std::string md(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '|' || c == '*' || c == '_' || c == '`' || c == '\\') o += '\\';
    o += c == '\n' ? ' ' : c;
  }
  return o;
}

std::string versionsText(const std::vector<int>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s;
}

}  // namespace

FileExportResult writeCodebook(const Dataset& ds, store::OutputFile& file, const FileExportOptions& o) {
  const FormVariables& fv = ds.variables();
  FileExportResult res;
  std::vector<int> vars = chosenVariables(fv, o.includeSensitive, res.leftOut, true, o.versions);
  std::vector<int> versions;
  for (int v : fv.versions)
    if (versionChosen(o.versions, v)) versions.push_back(v);
  std::int64_t records = 0;
  for (size_t r = 0; r < ds.rows(); ++r)
    records += !ds.deleted(r) && !ds.damaged(r) && versionChosen(o.versions, ds.version(r));
  const bool isHtml = o.format == FileFormat::CodebookHtml;
  auto esc = [&](const std::string& s) { return isHtml ? html(s) : md(s); };
  const std::string title = localized(fv.title, o.lang);
  std::string out;
  if (isHtml) {
    out += "<!DOCTYPE html>\n<html lang=\"" + html(o.lang) + "\"><head><meta charset=\"utf-8\"><title>" + html(title) +
           " – codebook</title>\n<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
           "td,th{border:1px solid #bbb;padding:4px 8px;vertical-align:top;text-align:left}"
           "ul{margin:0;padding-left:1.2em}</style></head><body>\n";
    out += "<h1>" + html(title) + " (" + html(fv.formId) + ")</h1>\n<p>Versions: " + versionsText(versions) +
           ". Records: " + std::to_string(records) + ".</p>\n";
    out += "<table>\n<tr><th>Variable</th><th>Label</th><th>Type</th><th>Choices</th><th>Versions</th><th>Notes</th></tr>\n";
  } else {
    out += "# " + md(title) + " (" + md(fv.formId) + ")\n\nVersions: " + versionsText(versions) +
           ". Records: " + std::to_string(records) + ".\n\n";
    out += "| Variable | Label | Type | Choices | Versions | Notes |\n|---|---|---|---|---|---|\n";
  }
  for (int vi : vars) {
    const Variable& v = fv.vars[vi];
    std::string name = v.repeat.empty() ? v.name : v.repeat + "/" + v.name;
    std::string type = fieldTypeName(v.type);
    if (isSelect(v.type)) type += " (" + v.choiceList + ")";
    std::string choices;
    for (const auto& c : v.choices) {
      std::string item = esc(c.name) + " = " + esc(localized(c.label, o.lang));
      if (c.versions.size() != v.versions.size()) item += " (v" + versionsText(c.versions) + ")";
      choices += isHtml ? "<li>" + item + "</li>" : (choices.empty() ? "" : "<br>") + item;
    }
    if (isHtml && !choices.empty()) choices = "<ul>" + choices + "</ul>";
    std::string notes;
    auto former = v.formerNames();
    if (!former.empty()) {
      notes += "renamed from ";
      for (size_t i = 0; i < former.size(); ++i) notes += (i ? ", " : "") + former[i];
    }
    if (v.sensitive) notes += std::string(notes.empty() ? "" : "; ") + "sensitive";
    if (isHtml)
      out += "<tr><td><code>" + html(name) + "</code></td><td>" + html(localized(v.label, o.lang)) + "</td><td>" +
             html(type) + "</td><td>" + choices + "</td><td>" + versionsText(v.versions) + "</td><td>" + html(notes) +
             "</td></tr>\n";
    else
      out += "| `" + name + "` | " + md(localized(v.label, o.lang)) + " | " + md(type) + " | " + choices + " | " +
             versionsText(v.versions) + " | " + md(notes) + " |\n";
  }
  if (isHtml) out += "</table>\n</body></html>\n";
  if (std::fwrite(out.data(), 1, out.size(), file.stream()) != out.size())
    throw ExportError(file.path() + ": cannot write the file");
  res.records = records;
  return res;
}

}  // namespace skema::report::detail
