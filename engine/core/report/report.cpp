#include "report/report.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include "expr/evaluator.h"
#include "expr/form_logic.h"
#include "expr/parser.h"
#include "expr/value.h"
#include "util/csv.h"
#include "util/text.h"

namespace skema::report {

using nlohmann::json;

const char* reportKindName(ReportKind k) {
  switch (k) {
    case ReportKind::Frequency: return "freq";
    case ReportKind::Crosstab: return "crosstab";
    case ReportKind::Series: return "series";
  }
  return "freq";
}

std::optional<ReportKind> reportKindFromName(const std::string& s) {
  if (s == "freq") return ReportKind::Frequency;
  if (s == "crosstab") return ReportKind::Crosstab;
  if (s == "series") return ReportKind::Series;
  return std::nullopt;
}

const char* periodName(Period p) {
  switch (p) {
    case Period::Week: return "week";
    case Period::Month: return "month";
    case Period::Quarter: return "quarter";
    case Period::Year: return "year";
  }
  return "month";
}

std::optional<Period> periodFromName(const std::string& s) {
  if (s == "week") return Period::Week;
  if (s == "month") return Period::Month;
  if (s == "quarter") return Period::Quarter;
  if (s == "year") return Period::Year;
  return std::nullopt;
}

json ReportSpec::toJson() const {
  json j = {{"kind", reportKindName(kind)}, {"field", field}, {"col_field", colField}, {"period", periodName(period)},
            {"by", byField}, {"date_field", dateField}, {"where", where}, {"from", from}, {"to", to},
            {"equals", equals}, {"drafts", includeDrafts}, {"lang", lang}};
  return j;
}

ReportSpec ReportSpec::fromJson(const json& j) {
  ReportSpec s;
  try {
    auto k = reportKindFromName(j.value("kind", "freq"));
    if (!k) throw std::runtime_error("unknown report kind");
    s.kind = *k;
    s.field = j.value("field", "");
    s.colField = j.value("col_field", "");
    auto p = periodFromName(j.value("period", "month"));
    if (!p) throw std::runtime_error("unknown period");
    s.period = *p;
    s.byField = j.value("by", "");
    s.dateField = j.value("date_field", "date");
    s.where = j.value("where", "");
    s.from = j.value("from", "");
    s.to = j.value("to", "");
    if (j.contains("equals")) s.equals = j["equals"].get<std::map<std::string, std::vector<std::string>>>();
    s.includeDrafts = j.value("drafts", false);
    s.lang = j.value("lang", "en");
  } catch (const json::exception& e) {
    throw std::runtime_error(std::string("invalid report: ") + e.what());
  }
  return s;
}

double ReportTable::rowPercent(size_t r, size_t c) const {
  return rowTotals[r] ? 100.0 * double(at(r, c)) / double(rowTotals[r]) : 0.0;
}
double ReportTable::colPercent(size_t r, size_t c) const {
  return colTotals[c] ? 100.0 * double(at(r, c)) / double(colTotals[c]) : 0.0;
}

std::string periodOf(long long days, Period p) {
  int y, m, d;
  expr::civilFromDays(days, y, m, d);
  char b[64];
  switch (p) {
    case Period::Year: std::snprintf(b, sizeof b, "%04d", y); break;
    case Period::Quarter: std::snprintf(b, sizeof b, "%04d-Q%d", y, (m - 1) / 3 + 1); break;
    case Period::Month: std::snprintf(b, sizeof b, "%04d-%02d", y, m); break;
    case Period::Week: {
      long long wd = ((days + 3) % 7 + 7) % 7;  // 0 = Monday (1970-01-01 was a Thursday)
      long long thu = days - wd + 3;
      int ty, tm, td;
      expr::civilFromDays(thu, ty, tm, td);
      long long week = (thu - expr::daysFromCivil(ty, 1, 1)) / 7 + 1;
      std::snprintf(b, sizeof b, "%04d-W%02lld", ty, week);
      break;
    }
  }
  return b;
}

namespace {

const char* kNoValue = "(no value)";

std::string valueText(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number()) return expr::numberToString(v.get<double>());
  return v.dump();
}

// `inRepeat`: a field of a top-level repeat is fine too (frequency and
// crosstab count its instances).
int requireVar(const Dataset& ds, const std::string& name, const char* what, bool inRepeat = false) {
  if (name.empty()) throw ReportError(std::string("no ") + what + " given");
  int i = ds.variables().find(name);
  if (i < 0) {
    std::vector<std::string> names;
    for (const auto& v : ds.variables().vars) names.push_back(v.name);
    std::string near = expr::closestName(name, names);
    throw ReportError("no field '" + name + "' in " + ds.formId() + (near.empty() ? "" : "; did you mean '" + near + "'?"));
  }
  const Variable& v = ds.variables().vars[i];
  if (inRepeat && ds.column(i).repeat >= 0) return i;
  if (!ds.column(i).active) {
    if (v.type == FieldType::Repeat)
      throw ReportError("field '" + name + "' is a repeat: report on one of its fields");
    if (inRepeat)
      throw ReportError("field '" + name + "' is inside a repeat inside a repeat: not reported on");
    throw ReportError("field '" + name + "' is inside a repeat: " + what + "s are top-level fields");
  }
  return i;
}

// How a column's codes map to the rows (or columns) of a table.
struct Axis {
  std::vector<std::string> keys, labels;
  std::vector<std::vector<int>> catsOf;  // code -> categories
  std::vector<char> keep;                // category shown even with no count (choices)
  int missing = -1;                      // category of "no value"
  bool multiple = false;
  std::string name, label;
};

Axis choiceAxis(const Dataset& ds, int vi, const std::string& lang) {
  const Variable& v = ds.variables().vars[vi];
  const Column& c = ds.column(vi);
  Axis a;
  a.name = v.name;
  a.label = localized(v.label, lang);
  if (a.label.empty()) a.label = v.name;
  a.multiple = v.type == FieldType::SelectMultiple;
  a.catsOf.resize(c.size());
  if (isSelect(v.type)) {
    for (const auto& ch : v.choices) {
      a.keys.push_back(ch.name);
      const std::string& l = localized(ch.label, lang);
      a.labels.push_back(l.empty() ? ch.name : l);
      a.keep.push_back(1);
    }
    if (a.multiple) {
      for (const auto& e : c.extraChoices) {
        a.keys.push_back(e);
        a.labels.push_back(e);
        a.keep.push_back(0);
      }
      for (std::uint32_t k = 1; k < c.size(); ++k) a.catsOf[k] = c.parts[k];
    } else {
      for (std::uint32_t k = 1; k < c.size(); ++k) {
        if (k <= v.choices.size()) {
          a.catsOf[k] = {int(k - 1)};
        } else {
          a.catsOf[k] = {int(a.keys.size())};
          a.keys.push_back(valueText(c.dict[k]));
          a.labels.push_back(a.keys.back());
          a.keep.push_back(0);
        }
      }
    }
  } else {
    // Distinct values, sorted: numbers numerically, then text.
    std::vector<std::uint32_t> order;
    for (std::uint32_t k = 1; k < c.size(); ++k) order.push_back(k);
    std::sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
      const json &a1 = c.dict[x], &b1 = c.dict[y];
      if (a1.is_number() != b1.is_number()) return a1.is_number();
      if (a1.is_number()) return a1.get<double>() < b1.get<double>();
      return valueText(a1) < valueText(b1);
    });
    for (auto k : order) {
      a.catsOf[k] = {int(a.keys.size())};
      a.keys.push_back(valueText(c.dict[k]));
      a.labels.push_back(a.keys.back());
      a.keep.push_back(0);
    }
  }
  a.missing = static_cast<int>(a.keys.size());
  a.keys.push_back("");
  a.labels.push_back(kNoValue);
  a.keep.push_back(0);
  for (auto& cats : a.catsOf)
    if (cats.empty()) cats = {a.missing};
  return a;
}

std::optional<long long> dayOf(const json& v) {
  if (!v.is_string()) return std::nullopt;
  const std::string& s = v.get_ref<const std::string&>();
  auto d = expr::parseDate(s.size() > 10 ? std::string_view(s).substr(0, 10) : std::string_view(s));
  if (!d) return std::nullopt;
  return static_cast<long long>(std::floor(d->num));
}

Axis periodAxis(const Dataset& ds, int vi, Period p) {
  const Column& c = ds.column(vi);
  Axis a;
  a.name = periodName(p);
  a.label = periodName(p);
  a.catsOf.resize(c.size());
  std::optional<long long> lo, hi;
  std::vector<std::optional<long long>> days(c.size());
  for (std::uint32_t k = 1; k < c.size(); ++k) {
    days[k] = dayOf(c.dict[k]);
    if (days[k]) {
      lo = lo ? std::min(*lo, *days[k]) : *days[k];
      hi = hi ? std::max(*hi, *days[k]) : *days[k];
    }
  }
  std::unordered_map<std::string, int> index;
  if (lo && *hi - *lo < 366LL * 200) {
    for (long long d = *lo; d <= *hi; ++d) {
      std::string key = periodOf(d, p);
      if (index.emplace(key, int(a.keys.size())).second) {
        a.keys.push_back(key);
        a.labels.push_back(key);
        a.keep.push_back(1);
      }
    }
  }
  a.missing = static_cast<int>(a.keys.size());
  a.keys.push_back("");
  a.labels.push_back(kNoValue);
  a.keep.push_back(0);
  for (std::uint32_t k = 1; k < c.size(); ++k) {
    if (days[k]) {
      auto it = index.find(periodOf(*days[k], p));
      a.catsOf[k] = {it == index.end() ? a.missing : it->second};
    } else {
      a.catsOf[k] = {a.missing};
    }
  }
  if (!a.catsOf.empty()) a.catsOf[0] = {a.missing};
  return a;
}

// The --where expression, evaluated once per distinct combination of the
// codes of the fields it reads.
class WhereEnv : public expr::CompileEnv, public expr::EvalContext {
 public:
  explicit WhereEnv(const Dataset& ds) : m_ds(ds) {}
  bool resolveRef(const std::string& name, expr::RefBinding& out, std::string& error) const override {
    int vi = m_ds.variables().find(name);
    if (vi < 0) {
      std::vector<std::string> names;
      for (const auto& v : m_ds.variables().vars) names.push_back(v.name);
      error = expr::unknownFieldMessage(name, names);
      return false;
    }
    if (!m_ds.column(vi).active) {
      error = "${" + name + "} is inside a repeat; --where reads top-level fields only";
      return false;
    }
    auto it = std::find(refs.begin(), refs.end(), vi);
    out.kind = expr::RefBinding::Var;
    out.field = vi;
    out.slot = static_cast<int>(it - refs.begin());
    if (it == refs.end()) refs.push_back(vi);
    return true;
  }
  expr::Value ref(const expr::Node& n) const override {
    return n.ref.slot >= 0 && n.ref.slot < int(current.size()) ? current[n.ref.slot] : expr::Value();
  }
  mutable std::vector<int> refs;  // variable index per slot
  std::vector<expr::Value> current;

 private:
  const Dataset& m_ds;
};

}  // namespace

namespace {
// selectRows() into the caller's buffers: runReport keeps them per thread,
// as fresh megabytes for every report cost more in page faults than the
// counting itself (a million records: 20 ms instead of 2).
void selectInto(const Dataset& ds, const ReportSpec& spec, std::vector<char>& ok, std::vector<std::uint32_t>& rows) {
  const std::size_t n = ds.rows();
  ok.assign(n, 1);
  for (std::size_t r = 0; r < n; ++r) ok[r] = !ds.deleted(r) && (spec.includeDrafts || ds.final(r));

  // Per-code conditions: equals filters and the period.
  auto applyCodes = [&](int vi, const std::vector<char>& allow) {
    const auto& codes = ds.column(vi).codes;
    for (std::size_t r = 0; r < n; ++r)
      if (ok[r] && !allow[codes[r]]) ok[r] = 0;
  };
  for (const auto& [field, values] : spec.equals) {
    if (values.empty()) continue;
    int vi = requireVar(ds, field, "filter field");
    const Variable& v = ds.variables().vars[vi];
    const Column& c = ds.column(vi);
    std::vector<char> allow(c.size(), 0);
    for (std::uint32_t k = 1; k < c.size(); ++k) {
      if (v.type == FieldType::SelectMultiple) {
        for (int part : c.parts[k]) {
          std::string name = part < int(v.choices.size()) ? v.choices[part].name
                                                           : c.extraChoices[part - v.choices.size()];
          if (std::find(values.begin(), values.end(), name) != values.end()) allow[k] = 1;
        }
      } else {
        allow[k] = std::find(values.begin(), values.end(), valueText(c.dict[k])) != values.end();
      }
    }
    applyCodes(vi, allow);
  }
  if (!spec.from.empty() || !spec.to.empty()) {
    int vi = requireVar(ds, spec.dateField, "date field");
    const Column& c = ds.column(vi);
    std::optional<long long> from, to;
    if (!spec.from.empty()) {
      from = dayOf(json(spec.from));
      if (!from) throw ReportError("--from: not a date: " + spec.from);
    }
    if (!spec.to.empty()) {
      to = dayOf(json(spec.to));
      if (!to) throw ReportError("--to: not a date: " + spec.to);
    }
    std::vector<char> allow(c.size(), 0);
    for (std::uint32_t k = 1; k < c.size(); ++k) {
      auto d = dayOf(c.dict[k]);
      allow[k] = d && (!from || *d >= *from) && (!to || *d <= *to);
    }
    applyCodes(vi, allow);
  }

  if (!spec.where.empty()) {
    auto parsed = expr::parse(spec.where);
    if (!parsed.ok())
      throw ReportError("--where: column " + std::to_string(parsed.error.column) + ": " + parsed.error.message);
    expr::Node root = std::move(*parsed.root);
    WhereEnv env(ds);
    auto errs = expr::compile(root, env);
    if (!errs.empty())
      throw ReportError("--where: column " + std::to_string(errs[0].column) + ": " + errs[0].message);
    env.lang = spec.lang;
    const auto& refs = env.refs;
    env.current.resize(refs.size());
    auto eval = [&](const std::uint32_t* codes) {
      for (size_t i = 0; i < refs.size(); ++i) {
        const Variable& v = ds.variables().vars[refs[i]];
        env.current[i] = expr::valueFromJson(ds.column(refs[i]).dict[codes[i]], v.type);
      }
      try {
        return expr::evaluate(root, env).toBoolean();
      } catch (const std::exception&) {
        return false;  // a run-time error: the record does not match
      }
    };
    std::vector<const std::vector<std::uint32_t>*> cols;
    for (int vi : refs) cols.push_back(&ds.column(vi).codes);
    if (refs.empty()) {
      if (!eval(nullptr)) std::fill(ok.begin(), ok.end(), 0);
    } else if (refs.size() == 1) {
      // Direct table: one result per code.
      std::vector<signed char> memo(ds.column(refs[0]).size(), -1);
      const auto& codes = *cols[0];
      for (std::size_t r = 0; r < n; ++r) {
        if (!ok[r]) continue;
        std::uint32_t k = codes[r];
        if (memo[k] < 0) memo[k] = eval(&k) ? 1 : 0;
        ok[r] = memo[k];
      }
    } else {
      // Combination key: mixed radix over the dictionary sizes when it fits
      // in 64 bits, else the codes' bytes.
      long double space = 1;
      for (int vi : refs) space *= ds.column(vi).size();
      std::vector<std::uint32_t> key(refs.size());
      if (space < 1.8e19L) {
        std::unordered_map<std::uint64_t, bool> memo;
        for (std::size_t r = 0; r < n; ++r) {
          if (!ok[r]) continue;
          std::uint64_t k = 0;
          for (size_t i = 0; i < refs.size(); ++i) {
            key[i] = (*cols[i])[r];
            k = k * ds.column(refs[i]).size() + key[i];
          }
          auto it = memo.find(k);
          if (it == memo.end()) it = memo.emplace(k, eval(key.data())).first;
          ok[r] = it->second;
        }
      } else {
        std::unordered_map<std::string, bool> memo;
        for (std::size_t r = 0; r < n; ++r) {
          if (!ok[r]) continue;
          for (size_t i = 0; i < refs.size(); ++i) key[i] = (*cols[i])[r];
          std::string k(reinterpret_cast<const char*>(key.data()), key.size() * sizeof(std::uint32_t));
          auto it = memo.find(k);
          if (it == memo.end()) it = memo.emplace(std::move(k), eval(key.data())).first;
          ok[r] = it->second;
        }
      }
    }
  }
  rows.clear();
  rows.reserve(n);
  for (std::size_t r = 0; r < n; ++r)
    if (ok[r]) rows.push_back(static_cast<std::uint32_t>(r));
}
}  // namespace

std::vector<std::uint32_t> selectRows(const Dataset& ds, const ReportSpec& spec) {
  std::vector<char> ok;
  std::vector<std::uint32_t> rows;
  selectInto(ds, spec, ok, rows);
  return rows;
}

ReportTable runReport(const Dataset& ds, const ReportSpec& spec) {
  ReportTable t;
  t.kind = spec.kind;
  Axis rowAxis, colAxis;
  int rowVar = -1, colVar = -1;
  switch (spec.kind) {
    case ReportKind::Frequency:
      rowVar = requireVar(ds, spec.field, "field", true);
      rowAxis = choiceAxis(ds, rowVar, spec.lang);
      break;
    case ReportKind::Crosstab:
      rowVar = requireVar(ds, spec.field, "row field", true);
      colVar = requireVar(ds, spec.colField, "column field", true);
      rowAxis = choiceAxis(ds, rowVar, spec.lang);
      colAxis = choiceAxis(ds, colVar, spec.lang);
      break;
    case ReportKind::Series:
      rowVar = requireVar(ds, spec.dateField, "date field");
      rowAxis = periodAxis(ds, rowVar, spec.period);
      if (!spec.byField.empty()) {
        colVar = requireVar(ds, spec.byField, "--by field");
        colAxis = choiceAxis(ds, colVar, spec.lang);
      }
      break;
  }
  if (colVar < 0) {
    colAxis.keys = {"count"};
    colAxis.labels = {spec.lang == "da" ? "Antal" : "Count"};
    colAxis.keep = {1};
    colAxis.catsOf = {{0}};
  }
  // A field of a repeat counts its instances (of the records that pass the
  // filters); the other field, if top-level, gives each instance its
  // record's value.
  const int rowRep = ds.column(rowVar).repeat, colRep = colVar < 0 ? -1 : ds.column(colVar).repeat;
  if (rowRep >= 0 && colRep >= 0 && rowRep != colRep)
    throw ReportError("'" + spec.field + "' and '" + spec.colField + "' are in different repeats: cross them only within one");
  const int rep = rowRep >= 0 ? rowRep : colRep;
  thread_local std::vector<char> okBuf;
  thread_local std::vector<std::uint32_t> rowsBuf, units;  // units: the instances counted
  selectInto(ds, spec, okBuf, rowsBuf);
  const auto& rows = rowsBuf;
  t.records = static_cast<std::int64_t>(rows.size());
  units.clear();
  if (rep >= 0) {
    t.instancesOf = ds.variables().vars[rep].name;
    const Instances& inst = *ds.instances(rep);
    for (auto r : rows)
      for (std::uint32_t k = 0; k < inst.count[r]; ++k) units.push_back(inst.first[r] + k);
    t.instances = static_cast<std::int64_t>(units.size());
  }
  const std::vector<std::uint32_t>* instRow = rep >= 0 ? &ds.instances(rep)->row : nullptr;

  // Count (row code, column code) pairs, then spread them over categories.
  const auto& rc = ds.column(rowVar).codes;
  const std::uint32_t rn = ds.column(rowVar).size();
  const std::uint32_t cn = colVar < 0 ? 1 : ds.column(colVar).size();
  const std::vector<std::uint32_t>* cc = colVar < 0 ? nullptr : &ds.column(colVar).codes;
  // fn(row code, column code) once per record, or per instance.
  auto forEachUnit = [&](auto&& fn) {
    if (rep < 0) {
      if (!cc)
        for (auto r : rows) fn(rc[r], 0u);
      else
        for (auto r : rows) fn(rc[r], (*cc)[r]);
      return;
    }
    for (auto k : units) {
      const std::uint32_t r = (*instRow)[k];
      fn(rc[rowRep >= 0 ? k : r], cc ? (*cc)[colRep >= 0 ? k : r] : 0u);
    }
  };
  std::vector<std::pair<std::uint64_t, std::int64_t>> pairs;
  if (std::uint64_t(rn) * cn <= (1u << 24)) {
    std::vector<std::int64_t> dense(std::size_t(rn) * cn, 0);
    forEachUnit([&](std::uint32_t r, std::uint32_t c) { ++dense[std::size_t(r) * cn + c]; });
    for (std::size_t i = 0; i < dense.size(); ++i)
      if (dense[i]) pairs.push_back({i, dense[i]});
  } else {
    std::unordered_map<std::uint64_t, std::int64_t> sparse;
    forEachUnit([&](std::uint32_t r, std::uint32_t c) { ++sparse[std::uint64_t(r) * cn + c]; });
    pairs.assign(sparse.begin(), sparse.end());
  }
  const size_t R = rowAxis.keys.size(), C = colAxis.keys.size();
  std::vector<std::int64_t> cells(R * C, 0), rowTot(R, 0), colTot(C, 0);
  std::vector<std::int64_t> rowCode(rn, 0), colCode(cn, 0);
  for (const auto& [key, count] : pairs) {
    std::uint64_t r = key / cn, c = key % cn;
    rowCode[r] += count;
    colCode[c] += count;
    for (int rcat : rowAxis.catsOf[r])
      for (int ccat : colAxis.catsOf[c]) cells[size_t(rcat) * C + size_t(ccat)] += count;
  }
  for (std::uint32_t r = 0; r < rn; ++r)
    for (int cat : rowAxis.catsOf[r]) rowTot[cat] += rowCode[r];
  for (std::uint32_t c = 0; c < cn; ++c)
    for (int cat : colAxis.catsOf[c]) colTot[cat] += colCode[c];

  // Rows and columns shown: choices and periods always, other values and
  // "no value" only when they occur.
  std::vector<size_t> rs, cs;
  if (spec.kind == ReportKind::Series) {
    // Periods from the first to the last that has records (gaps kept).
    size_t first = R, last = 0;
    for (size_t r = 0; r < R; ++r)
      if (rowTot[r] && int(r) != rowAxis.missing) {
        first = std::min(first, r);
        last = r;
      }
    for (size_t r = 0; r < R; ++r)
      if (r < first || r > last) rowAxis.keep[r] = 0;
  }
  for (size_t r = 0; r < R; ++r)
    if (rowAxis.keep[r] || rowTot[r]) rs.push_back(r);
  for (size_t c = 0; c < C; ++c)
    if (colAxis.keep[c] || colTot[c]) cs.push_back(c);
  for (size_t r : rs) {
    t.rowKeys.push_back(rowAxis.keys[r]);
    t.rowLabels.push_back(rowAxis.labels[r]);
    t.rowTotals.push_back(rowTot[r]);
  }
  for (size_t c : cs) {
    t.colKeys.push_back(colAxis.keys[c]);
    t.colLabels.push_back(colAxis.labels[c]);
    t.colTotals.push_back(colTot[c]);
  }
  for (size_t r : rs)
    for (size_t c : cs) t.counts.push_back(cells[r * C + c]);
  t.rowField = spec.kind == ReportKind::Series ? spec.dateField : rowAxis.name;
  t.rowLabel = rowAxis.label;
  t.colField = colVar < 0 ? "" : colAxis.name;
  t.colLabel = colVar < 0 ? "" : colAxis.label;
  t.rowMultiple = rowAxis.multiple;
  t.colMultiple = colAxis.multiple;
  const std::string& title = localized(ds.variables().title, spec.lang);
  switch (spec.kind) {
    case ReportKind::Frequency: t.title = title + ": " + rowAxis.label; break;
    case ReportKind::Crosstab: t.title = title + ": " + rowAxis.label + " x " + colAxis.label; break;
    case ReportKind::Series:
      t.title = title + ": " + periodName(spec.period) + (colVar < 0 ? "" : " x " + colAxis.label);
      break;
  }
  return t;
}

namespace {

std::string pct(double p) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f", p);
  return b;
}

size_t textWidth(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string pad(const std::string& s, size_t w, bool right) {
  size_t n = textWidth(s);
  if (n >= w) return s;
  return right ? std::string(w - n, ' ') + s : s + std::string(w - n, ' ');
}

}  // namespace

std::string formatText(const ReportTable& t) {
  std::vector<std::vector<std::string>> grid;
  bool freq = t.colField.empty();
  std::vector<std::string> head = {t.kind == ReportKind::Series ? t.rowLabel : t.rowLabel};
  if (freq) {
    head.push_back("count");
    head.push_back("%");
  } else {
    for (const auto& l : t.colLabels) head.push_back(l);
    head.push_back("total");
  }
  grid.push_back(head);
  for (size_t r = 0; r < t.rowKeys.size(); ++r) {
    std::vector<std::string> row = {t.rowLabels[r]};
    if (freq) {
      row.push_back(std::to_string(t.at(r, 0)));
      row.push_back(pct(t.units() ? 100.0 * double(t.at(r, 0)) / double(t.units()) : 0.0));
    } else {
      for (size_t c = 0; c < t.colKeys.size(); ++c) row.push_back(std::to_string(t.at(r, c)));
      row.push_back(std::to_string(t.rowTotals[r]));
    }
    grid.push_back(row);
  }
  std::vector<std::string> tot = {"total"};
  if (freq) {
    tot.push_back(std::to_string(t.units()));
    tot.push_back("");
  } else {
    for (auto v : t.colTotals) tot.push_back(std::to_string(v));
    tot.push_back(std::to_string(t.units()));
  }
  grid.push_back(tot);
  for (auto& row : grid)
    for (auto& cell : row) cell = displayText(cell);  // stored values and labels, escaped
  std::vector<size_t> w(head.size(), 0);
  for (const auto& row : grid)
    for (size_t i = 0; i < row.size(); ++i) w[i] = std::max(w[i], textWidth(row[i]));
  std::string out = displayText(t.title) + "\n";
  for (const auto& row : grid) {
    for (size_t i = 0; i < row.size(); ++i) {
      if (i) out += "  ";
      out += pad(row[i], w[i], i > 0);
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += '\n';
  }
  out += std::to_string(t.records) + " records";
  if (!t.instancesOf.empty())
    out += ", " + std::to_string(t.instances) + " instances of " + displayText(t.instancesOf);
  if (t.rowMultiple || t.colMultiple) out += " (multiple choice: a record counts once for each choice)";
  out += '\n';
  return out;
}

namespace {
// A value or label as a CSV cell; text a spreadsheet would run as a formula
// gets a leading quote (docs/cli.md), a plain number such as -3 stays one.
std::string csvCell(const std::string& s) {
  std::string cell = s;
  if (csvFormulaLike(s)) {
    char* end = nullptr;
    std::strtod(s.c_str(), &end);
    const bool number = !s.empty() && !std::isspace((unsigned char)s[0]) && end == s.c_str() + s.size();
    if (!number) cell.insert(cell.begin(), '\'');
  }
  std::string out;
  csvAppendField(out, cell);
  return out;
}
}  // namespace

std::string formatCsv(const ReportTable& t) {
  // Long format: one line per cell, with the totals and both percentages.
  std::string out;
  bool two = !t.colField.empty();
  out += two ? "row,row_label,col,col_label,count,row_total,col_total,row_percent,col_percent\n"
             : "value,label,count,percent\n";
  for (size_t r = 0; r < t.rowKeys.size(); ++r) {
    if (!two) {
      out += csvCell(t.rowKeys[r]) + "," + csvCell(t.rowLabels[r]) + "," + std::to_string(t.at(r, 0)) + "," +
             pct(t.units() ? 100.0 * double(t.at(r, 0)) / double(t.units()) : 0.0) + "\n";
      continue;
    }
    for (size_t c = 0; c < t.colKeys.size(); ++c)
      out += csvCell(t.rowKeys[r]) + "," + csvCell(t.rowLabels[r]) + "," + csvCell(t.colKeys[c]) + "," +
             csvCell(t.colLabels[c]) + "," + std::to_string(t.at(r, c)) + "," + std::to_string(t.rowTotals[r]) + "," +
             std::to_string(t.colTotals[c]) + "," + pct(t.rowPercent(r, c)) + "," + pct(t.colPercent(r, c)) + "\n";
  }
  return out;
}

json formatJson(const ReportTable& t) {
  json j = {{"kind", reportKindName(t.kind)}, {"title", t.title}, {"records", t.records},
            {"row_field", t.rowField}, {"row_label", t.rowLabel}};
  if (!t.instancesOf.empty()) {
    j["instances_of"] = t.instancesOf;
    j["instances"] = t.instances;
  }
  if (!t.colField.empty()) {
    j["col_field"] = t.colField;
    j["col_label"] = t.colLabel;
  }
  json rows = json::array();
  for (size_t r = 0; r < t.rowKeys.size(); ++r) rows.push_back({{"key", t.rowKeys[r]}, {"label", t.rowLabels[r]}, {"total", t.rowTotals[r]}});
  json cols = json::array();
  for (size_t c = 0; c < t.colKeys.size(); ++c) cols.push_back({{"key", t.colKeys[c]}, {"label", t.colLabels[c]}, {"total", t.colTotals[c]}});
  json counts = json::array();
  for (size_t r = 0; r < t.rowKeys.size(); ++r) {
    json row = json::array();
    for (size_t c = 0; c < t.colKeys.size(); ++c) row.push_back(t.at(r, c));
    counts.push_back(row);
  }
  j["rows"] = rows;
  j["cols"] = cols;
  j["counts"] = counts;
  j["multiple"] = t.rowMultiple || t.colMultiple;
  return j;
}

// --- saved reports --------------------------------------------------------

namespace {
SavedReport fromStored(const store::SavedReportInfo& info) {
  SavedReport r;
  r.name = info.name;
  r.formId = info.formId;
  try {
    json def = json::parse(info.definitionText);
    r.spec = ReportSpec::fromJson(def.value("spec", json::object()));
  } catch (const std::exception& e) {
    throw ReportError("saved report '" + info.name + "' does not read: " + e.what());
  }
  return r;
}
}  // namespace

std::vector<SavedReport> loadSavedReports(store::Store& store) {
  std::vector<SavedReport> out;
  for (const auto& info : store.savedReports()) out.push_back(fromStored(info));
  return out;
}

std::optional<SavedReport> loadSavedReport(store::Store& store, const std::string& name) {
  auto info = store.savedReport(name);
  if (!info) return std::nullopt;
  return fromStored(*info);
}

void saveReport(store::Store& store, const SavedReport& r, const store::Actor& who) {
  if (r.name.empty()) throw ReportError("a saved report needs a name");
  store.saveReport({r.name, r.formId, json{{"spec", r.spec.toJson()}}.dump(), "", ""}, who);
}

bool deleteSavedReport(store::Store& store, const std::string& name) { return store.deleteSavedReport(name); }

std::string savedReportsFilePath(const std::string& workspacePath) { return workspacePath + ".reports.json"; }

int importSavedReportsFile(store::Store& store, const std::string& ws, const store::Actor& who) {
  const std::string path = savedReportsFilePath(ws);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ReportError(path + ": cannot read the saved reports");
  json j;
  std::vector<SavedReport> found;
  try {
    j = json::parse(in);
    if (!j.is_object()) throw ReportError(path + ": not a file of saved reports (expected {name: {\"form\", \"spec\"}})");
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (!it.value().is_object()) throw ReportError(path + ": saved report '" + it.key() + "' is not an object");
      SavedReport r;
      r.name = it.key();
      r.formId = it.value().value("form", "");
      r.spec = ReportSpec::fromJson(it.value().value("spec", json::object()));
      found.push_back(std::move(r));
    }
  } catch (const ReportError&) {
    throw;
  } catch (const std::exception& e) {
    throw ReportError(path + ": the saved reports do not read (" + std::string(e.what()) + "); the file is left as it is");
  }
  int added = 0;
  for (const auto& r : found) {
    if (r.name.empty() || store.savedReport(r.name)) continue;
    saveReport(store, r, who);
    ++added;
  }
  in.close();
  std::filesystem::rename(path, path + ".imported", ec);
  if (ec) throw ReportError(path + ": imported into the workspace, but cannot be renamed: " + ec.message());
  return added;
}

}  // namespace skema::report
