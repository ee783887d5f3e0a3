// SPSS .sav and Stata .dta through libreadstat: variable labels, value
// labels for choices, select_multiple as one 0/1 variable per choice,
// dates as dates.
#include <readstat.h>

#include <cmath>
#include <cstdio>
#include <memory>
#include <set>

#include "expr/value.h"
#include "report/export.h"
#include "store/output_file.h"
#include "store/store.h"

namespace skema::report::detail {

using nlohmann::json;

namespace {

struct Out {
  std::FILE* f = nullptr;
  bool failed = false;
};

ssize_t writeBytes(const void* data, size_t len, void* ctx) {
  auto* o = static_cast<Out*>(ctx);
  if (std::fwrite(data, 1, len, o->f) != len) {
    o->failed = true;
    return -1;
  }
  return static_cast<ssize_t>(len);
}

void check(readstat_error_t e, const std::string& what) {
  if (e != READSTAT_OK) throw ExportError(what + ": " + readstat_error_message(e));
}

// Days since 1970-01-01 -> the statistics package's date number.
double savDate(double days1970) { return (days1970 + 141428.0) * 86400.0; }  // seconds since 1582-10-14
double dtaDate(double days1970) { return days1970 + 3653.0; }                // days since 1960-01-01
double savDateTime(double days1970) { return (days1970 + 141428.0) * 86400.0; }
double dtaDateTime(double days1970) { return (days1970 + 3653.0) * 86400000.0; }  // %tc: ms since 1960

std::string text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number()) return expr::numberToString(v.get<double>());
  if (v.is_null()) return "";
  return v.dump();
}

std::string clip(std::string s, size_t max) {
  if (s.size() <= max) return s;
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;  // whole UTF-8 characters
  s.resize(n);
  return s;
}

enum class Kind { Code, Multi, Number, Date, DateTime, String };

struct Col {
  int var = -1;
  Kind kind = Kind::String;
  std::vector<readstat_variable_t*> rs;    // Multi: one per choice
  std::vector<std::int32_t> codeOf;        // Code: dict code -> value code (0 = missing)
  std::vector<double> num;                 // Number/Date/DateTime: dict code -> value (NaN = missing)
  std::vector<std::string> str;            // String: dict code -> text
  std::vector<std::vector<char>> chosen;   // Multi: dict code -> chosen flag per choice
};

}  // namespace

FileExportResult writeStats(const Dataset& ds, store::OutputFile& file, const FileExportOptions& o) {
  const std::string& path = file.path();
  const bool dta = o.format == FileFormat::Dta;
  const size_t maxName = dta ? 32 : 64;
  const size_t maxStr = dta ? 2045 : 32767;
  const FormVariables& fv = ds.variables();
  FileExportResult res;
  std::vector<int> vars = chosenVariables(fv, o.includeSensitive, res.leftOut, false, o.versions);

  std::unique_ptr<readstat_writer_t, void (*)(readstat_writer_t*)> w(readstat_writer_init(), readstat_writer_free);
  readstat_set_data_writer(w.get(), writeBytes);
  if (dta) check(readstat_writer_set_file_format_version(w.get(), 118), "stata version");
  std::string title = clip(localized(fv.title, o.lang), 80);
  readstat_writer_set_file_label(w.get(), title.c_str());

  std::set<std::string> taken;
  auto addVar = [&](const std::string& name, readstat_type_t type, size_t width, const std::string& label) {
    std::string n = statName(name, maxName, taken);
    readstat_variable_t* v = readstat_add_variable(w.get(), n.c_str(), type, width);
    std::string l = clip(label, dta ? 80 : 255);
    if (!l.empty()) readstat_variable_set_label(v, l.c_str());
    return v;
  };
  // Metadata.
  auto* vId = addVar("record_id", READSTAT_TYPE_STRING, 36, "Record id");
  auto* vVer = addVar("form_version", READSTAT_TYPE_INT32, 0, "Form version");
  auto* vStatus = addVar("status", READSTAT_TYPE_STRING, 5, "Status (draft, final)");
  auto* vCreated = addVar("created_at", READSTAT_TYPE_STRING, 24, "Created at (UTC)");
  auto* vCreatedBy = addVar("created_by", READSTAT_TYPE_STRING, std::max<size_t>(1, ds.maxUserBytes()), "Created by");
  auto* vUpdated = addVar("updated_at", READSTAT_TYPE_STRING, 24, "Updated at (UTC)");
  auto* vUpdatedBy = addVar("updated_by", READSTAT_TYPE_STRING, std::max<size_t>(1, ds.maxUserBytes()), "Updated by");

  readstat_label_set_t* yesNo = nullptr;
  std::vector<Col> cols;
  int setNo = 0;
  for (int vi : vars) {
    const Variable& v = fv.vars[vi];
    const Column& c = ds.column(vi);
    Col col;
    col.var = vi;
    std::string label = localized(v.label, o.lang);
    if (v.type == FieldType::SelectOne) {
      col.kind = Kind::Code;
      std::string setName = "lbl" + std::to_string(++setNo);
      readstat_label_set_t* ls = readstat_add_label_set(w.get(), READSTAT_TYPE_INT32, setName.c_str());
      col.codeOf.assign(c.size(), 0);
      for (std::uint32_t k = 1; k < c.size(); ++k) {
        col.codeOf[k] = static_cast<std::int32_t>(k);
        std::string l = k <= v.choices.size() ? localized(v.choices[k - 1].label, o.lang) : text(c.dict[k]);
        if (l.empty()) l = text(c.dict[k]);
        readstat_label_int32_value(ls, static_cast<std::int32_t>(k), clip(l, dta ? 32000 : 120).c_str());
      }
      auto* rv = addVar(v.name, READSTAT_TYPE_INT32, 0, label);
      readstat_variable_set_label_set(rv, ls);
      col.rs.push_back(rv);
    } else if (v.type == FieldType::SelectMultiple) {
      col.kind = Kind::Multi;
      if (!yesNo) {
        yesNo = readstat_add_label_set(w.get(), READSTAT_TYPE_INT32, "chosen");
        readstat_label_int32_value(yesNo, 0, o.lang == "da" ? "Ikke valgt" : "Not chosen");
        readstat_label_int32_value(yesNo, 1, o.lang == "da" ? "Valgt" : "Chosen");
      }
      size_t n = v.choices.size() + c.extraChoices.size();
      for (size_t k = 0; k < n; ++k) {
        std::string cname = k < v.choices.size() ? v.choices[k].name : c.extraChoices[k - v.choices.size()];
        std::string clabel = k < v.choices.size() ? localized(v.choices[k].label, o.lang) : cname;
        auto* rv = addVar(v.name + "_" + cname, READSTAT_TYPE_INT32, 0, label + ": " + clabel);
        readstat_variable_set_label_set(rv, yesNo);
        col.rs.push_back(rv);
      }
      col.chosen.resize(c.size());
      for (std::uint32_t k = 1; k < c.size(); ++k) {
        col.chosen[k].assign(n, 0);
        for (int part : c.parts[k]) col.chosen[k][part] = 1;
      }
    } else {
      bool numeric = v.type == FieldType::Integer || v.type == FieldType::Decimal || v.type == FieldType::Range;
      bool allNumbers = true;
      for (std::uint32_t k = 1; k < c.size(); ++k) allNumbers = allNumbers && c.dict[k].is_number();
      if (v.type == FieldType::Calculate && allNumbers && c.size() > 1) numeric = true;
      if (numeric && allNumbers) {
        col.kind = Kind::Number;
        col.num.assign(c.size(), NAN);
        for (std::uint32_t k = 1; k < c.size(); ++k) col.num[k] = c.dict[k].get<double>();
        col.rs.push_back(addVar(v.name, READSTAT_TYPE_DOUBLE, 0, label));
      } else if (v.type == FieldType::Date || v.type == FieldType::DateTime) {
        bool dt = v.type == FieldType::DateTime;
        col.kind = dt ? Kind::DateTime : Kind::Date;
        col.num.assign(c.size(), NAN);
        for (std::uint32_t k = 1; k < c.size(); ++k) {
          if (!c.dict[k].is_string()) continue;
          auto val = dt ? expr::parseDateTime(c.dict[k].get<std::string>()) : expr::parseDate(c.dict[k].get<std::string>());
          if (!val) continue;
          col.num[k] = dt ? (dta ? dtaDateTime(val->num) : savDateTime(val->num))
                          : (dta ? dtaDate(std::floor(val->num)) : savDate(std::floor(val->num)));
        }
        auto* rv = addVar(v.name, READSTAT_TYPE_DOUBLE, 0, label);
        readstat_variable_set_format(rv, dt ? (dta ? "%tc" : "DATETIME20") : (dta ? "%td" : "EDATE10"));
        col.rs.push_back(rv);
      } else {
        col.kind = Kind::String;
        col.str.assign(c.size(), std::string());
        size_t width = 1;
        for (std::uint32_t k = 1; k < c.size(); ++k) {
          col.str[k] = clip(text(c.dict[k]), maxStr);
          width = std::max(width, col.str[k].size());
        }
        col.rs.push_back(addVar(v.name, READSTAT_TYPE_STRING, width, label));
      }
    }
    cols.push_back(std::move(col));
  }

  // Rows: records not deleted of the chosen versions, in creation order.
  std::vector<std::uint32_t> rows;
  rows.reserve(ds.rows());
  for (size_t r = 0; r < ds.rows(); ++r)
    if (!ds.deleted(r) && !ds.damaged(r) && versionChosen(o.versions, ds.version(r)))
      rows.push_back(static_cast<std::uint32_t>(r));

  Out out;
  out.f = file.stream(1 << 20);
  auto ok = [&](readstat_error_t e) {
    if (out.failed) throw ExportError(path + ": cannot write (disk full?)");
    check(e, path);
  };
  ok(dta ? readstat_begin_writing_dta(w.get(), &out, static_cast<long>(rows.size()))
         : readstat_begin_writing_sav(w.get(), &out, static_cast<long>(rows.size())));
  const std::int64_t total = static_cast<std::int64_t>(rows.size());
  std::int64_t done = 0;
  std::string id, created, updated;
  for (auto r : rows) {
    if ((done & 0x3FFF) == 0) {
      if (o.cancel && o.cancel->load(std::memory_order_relaxed)) {
        res.cancelled = true;
        return res;  // not committed: OutputFile removes the temp file
      }
      if (o.progress) o.progress(done, total);
    }
    ok(readstat_begin_row(w.get()));
    ds.id(r, id);
    ds.createdAt(r, created);
    ds.updatedAt(r, updated);
    ok(readstat_insert_string_value(w.get(), vId, id.c_str()));
    ok(readstat_insert_int32_value(w.get(), vVer, ds.version(r)));
    ok(readstat_insert_string_value(w.get(), vStatus, ds.final(r) ? "final" : "draft"));
    ok(readstat_insert_string_value(w.get(), vCreated, created.c_str()));
    ok(readstat_insert_string_value(w.get(), vCreatedBy, ds.createdBy(r).c_str()));
    ok(readstat_insert_string_value(w.get(), vUpdated, updated.c_str()));
    ok(readstat_insert_string_value(w.get(), vUpdatedBy, ds.updatedBy(r).c_str()));
    for (const auto& col : cols) {
      std::uint32_t k = ds.column(col.var).codes[r];
      switch (col.kind) {
        case Kind::Code:
          ok(k ? readstat_insert_int32_value(w.get(), col.rs[0], col.codeOf[k])
               : readstat_insert_missing_value(w.get(), col.rs[0]));
          break;
        case Kind::Multi:
          for (size_t j = 0; j < col.rs.size(); ++j)
            ok(k ? readstat_insert_int32_value(w.get(), col.rs[j], col.chosen[k][j])
                 : readstat_insert_missing_value(w.get(), col.rs[j]));
          break;
        case Kind::Number:
        case Kind::Date:
        case Kind::DateTime:
          ok(std::isnan(col.num[k]) ? readstat_insert_missing_value(w.get(), col.rs[0])
                                    : readstat_insert_double_value(w.get(), col.rs[0], col.num[k]));
          break;
        case Kind::String:
          ok(readstat_insert_string_value(w.get(), col.rs[0], col.str[k].c_str()));
          break;
      }
    }
    ok(readstat_end_row(w.get()));
    ++done;
  }
  ok(readstat_end_writing(w.get()));
  if (std::fflush(out.f) != 0) out.failed = true;
  if (out.failed) throw ExportError(path + ": cannot write (disk full?)");
  if (o.progress) o.progress(total, total);
  res.records = total;
  return res;
}

}  // namespace skema::report::detail
