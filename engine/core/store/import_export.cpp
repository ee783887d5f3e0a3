#include "store/import_export.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <map>

#include <sys/types.h>

#include "form/form.h"
#include "util/json_strict.h"

namespace skema::store {

using nlohmann::json;

const std::vector<std::string> kMetaColumns = {"_id",         "_form_version", "_status",    "_created_at",
                                               "_created_by", "_updated_at",   "_updated_by"};

namespace {

bool isMeta(const std::string& c) {
  for (const auto& m : kMetaColumns)
    if (m == c) return true;
  return false;
}

// Top-level value names of a form (groups flattened, repeats as one), in order.
void topLevel(const std::vector<Field>& fields, std::vector<const Field*>& out) {
  for (const auto& f : fields) {
    if (f.type == FieldType::Group) topLevel(f.fields, out);
    else if (f.type == FieldType::Repeat || holdsValue(f.type)) out.push_back(&f);
  }
}

// Sets record metadata from a metadata column/key; returns an error message
// or "". The store checks the values (ids, times, user names).
std::string applyMeta(Record& r, const std::string& key, const json& v) {
  auto str = [&]() { return v.is_string() ? v.get<std::string>() : v.dump(); };
  if (v.is_null() || (v.is_string() && v.get<std::string>().empty())) return "";
  if (key != "_form_version" && !v.is_string()) return "must be a string, not " + jsonKindName(v);
  if (key == "_id") r.id = str();
  else if (key == "_form_version") {
    if (v.is_number_integer()) r.formVersion = v.get<int>();
    else {
      std::string s = str();
      char* end = nullptr;
      long n = std::strtol(s.c_str(), &end, 10);
      if (!end || *end || n <= 0) return "not a form version: '" + s + "'";
      r.formVersion = int(n);
    }
  } else if (key == "_status") {
    auto st = statusFromName(str());
    if (!st) return "status must be draft or final, not '" + str() + "'";
    r.status = *st;
  } else if (key == "_created_at") r.createdAt = str();
  else if (key == "_created_by") r.createdBy = str();
  else if (key == "_updated_at") r.updatedAt = str();
  else if (key == "_updated_by") r.updatedBy = str();
  return "";
}

}  // namespace

namespace {
// valueFromText for a field already looked up (`f` null = unknown field).
json valueFromFieldText(const Field* f, const std::string& text, std::string& error) {
  if (text.empty()) return nullptr;
  if (!f) return text;  // unknown: the store reports it
  switch (f->type) {
    case FieldType::Integer: {
      errno = 0;
      char* end = nullptr;
      long long n = std::strtoll(text.c_str(), &end, 10);
      if (errno || !end || *end) {
        error = "not a whole number: '" + text + "'";
        return nullptr;
      }
      return n;
    }
    case FieldType::Decimal:
    case FieldType::Range: {
      errno = 0;
      char* end = nullptr;
      double d = std::strtod(text.c_str(), &end);
      if (errno || !end || *end || !std::isfinite(d)) {
        error = "not a number: '" + text + "'";
        return nullptr;
      }
      // keep whole numbers integral so values round-trip unchanged
      if (text.find_first_of(".eE") == std::string::npos) return std::strtoll(text.c_str(), nullptr, 10);
      return d;
    }
    case FieldType::Repeat: {
      json v;
      JsonProblem p;
      if (!parseJsonStrict(text, v, p, kImportJsonMaxDepth)) {
        error = "a repeat must be a JSON array of objects; character " + std::to_string(p.offset + 1) + ": " +
                p.message;
        return nullptr;
      }
      if (!v.is_array()) {
        error = "a repeat must be a JSON array of objects, not " + jsonKindName(v);
        return nullptr;
      }
      return v;
    }
    default: return text;
  }
}
}  // namespace

json valueFromText(const Form& form, const std::string& field, const std::string& text, std::string& error) {
  if (text.empty()) return nullptr;
  return valueFromFieldText(form.findField(field), text, error);
}

std::string valueToText(const json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

// --- CSV --------------------------------------------------------------------

CsvImportSource::CsvImportSource(Store& store, std::FILE* in, std::string formId, std::FILE* reject)
    : m_store(store), m_reader(in, 0, &m_sha), m_formId(std::move(formId)), m_reject(reject) {
  m_latest = store.latestFormVersion(m_formId);
  if (!m_reader.next(m_header)) {
    m_headerErrors.push_back({"", "the file is empty (a header row of field names is needed)"});
    return;
  }
  // Known names: any field of any published version, or metadata.
  std::set<std::string> known;
  for (const auto& v : store.formVersions(m_formId))
    if (auto f = store.form(m_formId, v.version)) f->forEachField([&](const Field& fl) { known.insert(fl.name); });
  std::set<std::string> seen;
  for (auto& h : m_header) {
    while (!h.empty() && (h.back() == ' ' || h.back() == '\t')) h.pop_back();
    while (!h.empty() && (h.front() == ' ' || h.front() == '\t')) h.erase(0, 1);
    if (!seen.insert(h).second) m_headerErrors.push_back({h, "column appears twice"});
    if (!isMeta(h) && !known.count(h)) m_headerErrors.push_back({h, "no such field in " + m_formId});
  }
  for (const auto& h : m_header) m_isMeta.push_back(isMeta(h));
}

bool CsvImportSource::next(ImportRow& row) {
  if (!m_headerErrors.empty()) return false;
  for (;;) {
    if (!m_reader.next(m_cells)) {
      if (m_digest.empty()) m_digest = Sha256::hex(m_sha.finish());
      return false;
    }
    if (m_cells.size() == 1 && m_cells[0].empty()) continue;  // blank line
    break;
  }
  row = ImportRow();
  row.line = m_reader.line();
  Record& r = row.record;
  r.formId = m_formId;
  r.status = RecordStatus::Final;
  if (m_reader.unterminatedQuote()) row.errors.push_back({"", "unterminated quoted value"});
  if (m_cells.size() != m_header.size())
    row.errors.push_back({"", "has " + std::to_string(m_cells.size()) + " values, the header has " +
                                  std::to_string(m_header.size())});
  size_t n = std::min(m_cells.size(), m_header.size());
  for (size_t i = 0; i < n; ++i)
    if (m_isMeta[i]) {
      std::string e = applyMeta(r, m_header[i], m_cells[i]);
      if (!e.empty()) row.errors.push_back({m_header[i], e});
    }
  if (r.formVersion == 0 && m_latest) r.formVersion = *m_latest;
  std::shared_ptr<const Form> form = r.formVersion ? m_store.form(m_formId, r.formVersion) : nullptr;
  if (!form) return true;  // the store reports the missing version
  // The columns' fields in this version, looked up once per version.
  auto& cols = m_columnFields[r.formVersion];
  if (cols.form != form) {
    cols.form = form;
    cols.fields.assign(m_header.size(), nullptr);
    for (size_t i = 0; i < m_header.size(); ++i) cols.fields[i] = form->findField(m_header[i]);
  }
  std::string err;
  for (size_t i = 0; i < n; ++i) {
    if (m_isMeta[i] || m_cells[i].empty()) continue;
    err.clear();
    json v = valueFromFieldText(cols.fields[i], m_cells[i], err);
    if (!err.empty()) row.errors.push_back({m_header[i], err});
    else r.values[m_header[i]] = std::move(v);
  }
  return true;
}

void CsvImportSource::rejected(const ImportRow&, const std::vector<FieldMessage>&) {
  if (!m_reject) return;
  std::string out;
  if (!m_rejectHeaderWritten) {
    csvAppendRow(out, m_header, m_reader.delimiter());
    m_rejectHeaderWritten = true;
  }
  csvAppendRow(out, m_cells, m_reader.delimiter());
  std::fwrite(out.data(), 1, out.size(), m_reject);
}

// --- JSON lines ---------------------------------------------------------------

JsonlImportSource::JsonlImportSource(Store& store, std::FILE* in, std::string formId, std::FILE* reject)
    : m_store(store), m_in(in), m_formId(std::move(formId)), m_reject(reject) {
  m_latest = store.latestFormVersion(m_formId);
}

JsonlImportSource::~JsonlImportSource() { std::free(m_buf); }

bool JsonlImportSource::next(ImportRow& row) {
  for (;;) {
    ssize_t n = getline(&m_buf, &m_cap, m_in);
    if (n < 0) {
      if (m_digest.empty()) m_digest = Sha256::hex(m_sha.finish());
      return false;
    }
    m_sha.update(m_buf, size_t(n));
    ++m_lineNo;
    m_line = std::string_view(m_buf, size_t(n));
    if (!m_line.empty() && m_line.back() == '\n') m_line.remove_suffix(1);
    if (!m_line.empty() && m_line.back() == '\r') m_line.remove_suffix(1);
    if (m_line.find_first_not_of(" \t") == std::string::npos) continue;
    break;
  }
  row = ImportRow();
  row.line = m_lineNo;
  Record& r = row.record;
  r.formId = m_formId;
  r.status = RecordStatus::Final;
  json obj;
  JsonProblem p;
  auto refuse = [&](size_t offset, const std::string& message) {
    row.errors.push_back({"", "column " + std::to_string(offset + 1) + ": " + message});
    return true;
  };
  if (!parseJsonStrict(m_line, obj, p, kImportJsonMaxDepth)) return refuse(p.offset, p.message);
  if (!obj.is_object())
    return refuse(m_line.find_first_not_of(" \t\r"), "expected a JSON object, got " + jsonKindName(obj));
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (isMeta(it.key())) {
      std::string e = applyMeta(r, it.key(), *it);
      if (!e.empty()) row.errors.push_back({it.key(), e});
    } else if (!it->is_null()) {
      r.values[it.key()] = *it;
    }
  }
  if (r.formVersion == 0 && m_latest) r.formVersion = *m_latest;
  return true;
}

void JsonlImportSource::rejected(const ImportRow&, const std::vector<FieldMessage>&) {
  if (!m_reject) return;
  std::fwrite(m_line.data(), 1, m_line.size(), m_reject);
  std::fputc('\n', m_reject);
}

// --- export -----------------------------------------------------------------

void checkVersions(const std::string& formId, const std::vector<int>& published, const std::set<int>& wanted) {
  for (int v : wanted) {
    if (std::find(published.begin(), published.end(), v) != published.end()) continue;
    std::string list;
    for (int p : published) list += (list.empty() ? "" : ", ") + std::to_string(p);
    throw StoreError(ErrorKind::Invalid,
                     "--versions: " + formId + " has no version " + std::to_string(v) + " (published: " + list + ")");
  }
}

ExportResult exportRecords(Store& store, const std::string& formId, std::FILE* out, const ExportOptions& o) {
  auto versions = store.formVersions(formId);
  if (versions.empty()) throw StoreError(ErrorKind::NotFound, "form " + formId + " is not published in this workspace");
  std::vector<int> published;
  for (const auto& v : versions) published.push_back(v.version);
  checkVersions(formId, published, o.versions);
  auto chosen = [&](int v) { return o.versions.empty() || o.versions.count(v) > 0; };
  ExportResult res;
  std::vector<std::string> fields;
  std::set<std::string> seen, sensitive, allNames;
  std::map<std::string, std::set<std::string>> sensitiveChildren;  // repeat -> sensitive children
  for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
    auto f = store.form(formId, it->version);
    if (!f) continue;
    std::vector<const Field*> top;
    topLevel(f->fields, top);
    for (const Field* fl : top) {
      if (fl->sensitive) sensitive.insert(fl->name);
      if (chosen(it->version) && seen.insert(fl->name).second) fields.push_back(fl->name);
      if (fl->type == FieldType::Repeat)
        for (const auto& c : fl->fields)
          if (c.sensitive) sensitiveChildren[fl->name].insert(c.name);
    }
    f->forEachField([&](const Field& fl) {
      allNames.insert(fl.name);
      if (fl.sensitive) sensitive.insert(fl.name);
    });
  }
  for (const auto& name : o.includeSensitive) {
    if (!allNames.count(name)) throw StoreError(ErrorKind::Invalid, "--include-sensitive: no field '" + name + "' in " + formId);
    if (!sensitive.count(name))
      throw StoreError(ErrorKind::Invalid, "--include-sensitive: field '" + name + "' is not sensitive");
  }
  std::vector<std::string> cols = kMetaColumns;
  std::vector<std::string> valueCols;
  for (const auto& f : fields) {
    if (sensitive.count(f) && !o.includeSensitive.count(f)) {
      res.leftOut.push_back(f);
      continue;
    }
    valueCols.push_back(f);
    cols.push_back(f);
  }
  for (const auto& [rep, kids] : sensitiveChildren)
    for (const auto& k : kids)
      if (!o.includeSensitive.count(k)) res.leftOut.push_back(rep + "/" + k);
  res.columns = cols;

  std::string buf;
  auto flush = [&](bool force) {
    if (force || buf.size() > (1 << 16)) {
      if (std::fwrite(buf.data(), 1, buf.size(), out) != buf.size())
        throw StoreError(ErrorKind::Io, "cannot write the export");
      buf.clear();
    }
  };
  // Text cells a spreadsheet would take for a formula get a leading quote;
  // numbers (JSON numbers in the store) are written as they are.
  auto text = [&](std::string s) {
    if (!o.raw && csvFormulaLike(s)) s.insert(s.begin(), '\'');
    return s;
  };
  if (o.format == ExportFormat::Csv) csvAppendRow(buf, cols, o.delimiter);
  std::vector<std::string> row;
  json vals;
  std::string reason;
  // As text, parsed here: a record whose stored values are damaged is left
  // out (and listed) instead of stopping the export.
  store.forEachRecordText(formId, false, [&](const RecordText& r) {
    if (!chosen(r.formVersion)) return;
    if (!parseStoredValues(r.values, vals, reason)) {
      res.damaged.push_back({std::string(r.id), reason});
      return;
    }
    for (const auto& [rep, kids] : sensitiveChildren) {
      auto it = vals.find(rep);
      if (it == vals.end() || !it->is_array()) continue;
      for (auto& inst : *it)
        if (inst.is_object())
          for (const auto& k : kids)
            if (!o.includeSensitive.count(k)) inst.erase(k);
    }
    if (o.format == ExportFormat::Csv) {
      row.clear();
      row.push_back(text(std::string(r.id)));
      row.push_back(std::to_string(r.formVersion));
      row.push_back(statusName(r.status));
      row.push_back(text(std::string(r.createdAt)));
      row.push_back(text(std::string(r.createdBy)));
      row.push_back(text(std::string(r.updatedAt)));
      row.push_back(text(std::string(r.updatedBy)));
      for (const auto& c : valueCols) {
        auto it = vals.find(c);
        if (it == vals.end()) row.emplace_back();
        else row.push_back(it->is_number() ? valueToText(*it) : text(valueToText(*it)));
      }
      csvAppendRow(buf, row, o.delimiter);
    } else {
      json j = json::object();
      j["_id"] = r.id;
      j["_form_version"] = r.formVersion;
      j["_status"] = statusName(r.status);
      j["_created_at"] = r.createdAt;
      j["_created_by"] = r.createdBy;
      j["_updated_at"] = r.updatedAt;
      j["_updated_by"] = r.updatedBy;
      for (const auto& c : valueCols) {
        auto it = vals.find(c);
        if (it != vals.end()) j[c] = *it;
      }
      buf += j.dump();
      buf += '\n';
    }
    ++res.records;
    flush(false);
  });
  flush(true);
  return res;
}

}  // namespace skema::store
