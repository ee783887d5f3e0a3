// Excel .xlsx through libxlsxwriter: one sheet for the form's records, one
// sheet per repeat (rows linked to their record by record_id), and a
// codebook sheet.
#include <xlsxwriter.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <string_view>

#include "expr/value.h"
#include "report/export.h"
#include "store/output_file.h"
#include "store/store.h"

namespace skema::report::detail {

using nlohmann::json;

namespace {

std::string sheetName(std::string s, std::set<std::string>& taken) {
  for (char& c : s)
    if (std::string("[]:*?/\\").find(c) != std::string::npos) c = '_';
  if (s.size() > 31) s.resize(31);
  std::string base = s;
  for (int k = 2; taken.count(s); ++k) {
    std::string suf = "~" + std::to_string(k);
    s = base.substr(0, std::min(base.size(), 31 - suf.size())) + suf;
  }
  taken.insert(s);
  return s;
}

}  // namespace

FileExportResult writeXlsx(store::Store& store, const FormVariables& fv, store::OutputFile& file,
                           const FileExportOptions& o) {
  const std::string& path = file.path();
  FileExportResult res;
  std::vector<int> vars = chosenVariables(fv, o.includeSensitive, res.leftOut, true, o.versions);
  std::vector<int> top;
  std::map<std::string, std::vector<int>> kids;  // repeat (newest name) -> children
  std::vector<int> repeats;
  for (int vi : vars) {
    const Variable& v = fv.vars[vi];
    if (v.type == FieldType::Repeat) repeats.push_back(vi);
    if (!v.repeat.empty()) kids[v.repeat].push_back(vi);
    else if (v.type != FieldType::Repeat) top.push_back(vi);
  }
  std::int64_t total = 0;
  if (o.versions.empty()) {
    for (const auto& [st, n] : store.countByStatus(fv.formId)) total += n;
  } else {
    for (int v : o.versions) {  // only the chosen versions count against the sheet's limit
      store::RecordQuery q;
      q.formId = fv.formId;
      q.formVersion = v;
      q.limit = 1;
      total += store.query(q).total;
    }
  }
  if (total > 1048575) throw ExportError("xlsx holds at most 1,048,575 records per sheet; this form has " + std::to_string(total));

  // libxlsxwriter opens a file name itself: our file through /proc/self/fd.
  // It seeks while writing the zip, so a device or pipe gets the workbook
  // built in a temporary file and copied.
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> spool(nullptr, std::fclose);
  std::string name = file.reopenName();
  if (file.direct()) {
    spool.reset(std::tmpfile());
    if (!spool) throw ExportError(path + ": cannot create a temporary file");
    name = "/proc/self/fd/" + std::to_string(fileno(spool.get()));
  }
  lxw_workbook_options opt{};
  opt.constant_memory = LXW_TRUE;
  lxw_workbook* wb = workbook_new_opt(name.c_str(), &opt);
  if (!wb) throw ExportError(path + ": cannot create the file");
  struct Closer {
    lxw_workbook*& wb;
    ~Closer() {
      if (wb) workbook_close(wb);
    }
  } closer{wb};
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  std::set<std::string> names;
  lxw_worksheet* main = workbook_add_worksheet(wb, sheetName("records", names).c_str());
  const std::vector<std::string> meta = {"record_id", "form_version", "status", "created_at", "created_by", "updated_at", "updated_by"};
  lxw_col_t col = 0;
  for (const auto& m : meta) worksheet_write_string(main, 0, col++, m.c_str(), bold);
  for (int vi : top) worksheet_write_string(main, 0, col++, fv.vars[vi].name.c_str(), bold);
  struct RepSheet {
    lxw_worksheet* ws;
    lxw_row_t row = 1;
    std::vector<int> kids;
  };
  std::map<int, RepSheet> repSheets;
  for (int r : repeats) {
    RepSheet rs{workbook_add_worksheet(wb, sheetName(fv.vars[r].name, names).c_str()), 1, kids[fv.vars[r].name]};
    worksheet_write_string(rs.ws, 0, 0, "record_id", bold);
    worksheet_write_string(rs.ws, 0, 1, "instance", bold);
    lxw_col_t c = 2;
    for (int k : rs.kids) worksheet_write_string(rs.ws, 0, c++, fv.vars[k].name.c_str(), bold);
    repSheets.emplace(r, std::move(rs));
  }
  auto cell = [](lxw_worksheet* ws, lxw_row_t r, lxw_col_t c, const json& v) {
    if (v.is_null()) return;
    if (v.is_number()) worksheet_write_number(ws, r, c, v.get<double>(), nullptr);
    else if (v.is_string()) worksheet_write_string(ws, r, c, v.get_ref<const std::string&>().c_str(), nullptr);
    else worksheet_write_string(ws, r, c, v.dump().c_str(), nullptr);
  };
  lxw_row_t row = 1;
  struct Stop {};
  json values;
  std::string id, reason;
  // Text cells: worksheet_write_string never makes a formula of "=...".
  auto text = [](lxw_worksheet* ws, lxw_row_t r, lxw_col_t c, std::string_view s) {
    worksheet_write_string(ws, r, c, std::string(s).c_str(), nullptr);
  };
  try {
    store.forEachRecordText(fv.formId, false, [&](const store::RecordText& rec) {
      if (!versionChosen(o.versions, rec.formVersion)) return;
      if (!store::parseStoredValues(rec.values, values, reason)) {
        res.damaged.push_back({std::string(rec.id), reason});
        return;
      }
      if ((res.records & 0x3FF) == 0) {
        if (o.cancel && o.cancel->load(std::memory_order_relaxed)) throw Stop{};
        if (o.progress) o.progress(res.records, total);
      }
      const auto* namesIn = fv.namesOf(rec.formVersion);
      std::vector<const json*> byVar(fv.vars.size(), nullptr);
      if (namesIn)
        for (auto it = values.begin(); it != values.end(); ++it)
          if (auto nt = namesIn->find(it.key()); nt != namesIn->end()) byVar[nt->second] = &it.value();
      id = rec.id;
      lxw_col_t c = 0;
      text(main, row, c++, id);
      worksheet_write_number(main, row, c++, rec.formVersion, nullptr);
      text(main, row, c++, store::statusName(rec.status));
      text(main, row, c++, rec.createdAt);
      text(main, row, c++, rec.createdBy);
      text(main, row, c++, rec.updatedAt);
      text(main, row, c++, rec.updatedBy);
      for (int vi : top) {
        if (byVar[vi]) cell(main, row, c, *byVar[vi]);
        ++c;
      }
      ++row;
      for (auto& [r, rs] : repSheets) {
        if (!byVar[r] || !byVar[r]->is_array()) continue;
        int inst = 0;
        for (const auto& entry : *byVar[r]) {
          ++inst;
          text(rs.ws, rs.row, 0, id);
          worksheet_write_number(rs.ws, rs.row, 1, inst, nullptr);
          lxw_col_t k = 2;
          for (int kv : rs.kids) {
            const json* v = nullptr;
            if (entry.is_object()) {
              // the child's name in the record's version
              auto nt = fv.vars[kv].nameIn.find(rec.formVersion);
              if (nt != fv.vars[kv].nameIn.end())
                if (auto it = entry.find(nt->second); it != entry.end()) v = &*it;
            }
            if (v) cell(rs.ws, rs.row, k, *v);
            ++k;
          }
          ++rs.row;
        }
      }
      ++res.records;
    });
  } catch (const Stop&) {
    res.cancelled = true;
    res.records = 0;
    return res;  // the closer closes the workbook; OutputFile removes it
  }
  // Codebook sheet.
  lxw_worksheet* cb = workbook_add_worksheet(wb, sheetName("codebook", names).c_str());
  const char* head[] = {"variable", "sheet", "label", "type", "choices", "versions", "former names"};
  for (int i = 0; i < 7; ++i) worksheet_write_string(cb, 0, i, head[i], bold);
  lxw_row_t cr = 1;
  for (int vi : vars) {
    const Variable& v = fv.vars[vi];
    std::string choices, versions, former;
    for (const auto& c : v.choices) choices += (choices.empty() ? "" : "\n") + c.name + " = " + localized(c.label, o.lang);
    for (int x : v.versions) versions += (versions.empty() ? "" : ", ") + std::to_string(x);
    for (const auto& n : v.formerNames()) former += (former.empty() ? "" : ", ") + n;
    worksheet_write_string(cb, cr, 0, v.name.c_str(), nullptr);
    worksheet_write_string(cb, cr, 1, v.repeat.empty() ? "records" : v.repeat.c_str(), nullptr);
    worksheet_write_string(cb, cr, 2, localized(v.label, o.lang).c_str(), nullptr);
    worksheet_write_string(cb, cr, 3, fieldTypeName(v.type), nullptr);
    worksheet_write_string(cb, cr, 4, choices.c_str(), nullptr);
    worksheet_write_string(cb, cr, 5, versions.c_str(), nullptr);
    worksheet_write_string(cb, cr, 6, former.c_str(), nullptr);
    ++cr;
  }
  lxw_error err = workbook_close(wb);
  wb = nullptr;
  if (err != LXW_NO_ERROR) throw ExportError(path + ": " + lxw_strerror(err));
  if (spool) {
    std::rewind(spool.get());
    std::vector<char> buf(1 << 16);
    for (size_t n; (n = std::fread(buf.data(), 1, buf.size(), spool.get())) > 0;)
      if (std::fwrite(buf.data(), 1, n, file.stream()) != n) throw ExportError(path + ": cannot write the file");
    if (std::ferror(spool.get())) throw ExportError(path + ": cannot read the temporary file");
  }
  if (o.progress) o.progress(total, total);
  return res;
}

}  // namespace skema::report::detail
