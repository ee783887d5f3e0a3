#include "import_fuzz.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "form/form_loader.h"
#include "store/import_export.h"
#include "store/sqlite_store.h"

namespace skema::fuzz {

using namespace skema::store;
using nlohmann::json;

namespace {

const char* kForm = R"({
  "format": "skema-form/1", "id": "fuzz.visit", "version": 1, "title": {"en": "Fuzz"}, "languages": ["en"],
  "fields": [
    {"name": "date", "type": "date", "label": {"en": "Date"}, "required": true},
    {"name": "person", "type": "person_code", "label": {"en": "Person"}},
    {"name": "office", "type": "select_one", "label": {"en": "Office"}, "choices": "offices", "required": true},
    {"name": "topics", "type": "select_multiple", "label": {"en": "Topics"}, "choices": "topics"},
    {"name": "people", "type": "integer", "label": {"en": "People"}, "min": 0, "max": 50},
    {"name": "amount", "type": "decimal", "label": {"en": "Amount"}, "constraint": ". >= 0"},
    {"name": "score", "type": "range", "label": {"en": "Score"}, "min": 1, "max": 5, "step": 1},
    {"name": "at", "type": "time", "label": {"en": "At"}},
    {"name": "when", "type": "datetime", "label": {"en": "When"}},
    {"name": "notes", "type": "text", "label": {"en": "Notes"}, "relevant": "${people} > 0"},
    {"name": "twice", "type": "calculate", "label": {"en": "Twice"}, "calculation": "${people} * 2"},
    {"name": "info", "type": "note", "label": {"en": "Info"}},
    {"name": "where", "type": "group", "label": {"en": "Where"}, "fields": [
      {"name": "street", "type": "text", "label": {"en": "Street"}, "required": "${office} = 'cph'"}
    ]},
    {"name": "members", "type": "repeat", "label": {"en": "Members"}, "fields": [
      {"name": "age", "type": "integer", "label": {"en": "Age"}, "required": true},
      {"name": "role", "type": "select_one", "label": {"en": "Role"}, "choices": "roles"},
      {"name": "pets", "type": "repeat", "label": {"en": "Pets"}, "fields": [
        {"name": "kind", "type": "text", "label": {"en": "Kind"}}
      ]}
    ]}
  ],
  "choices": {
    "offices": [{"name": "cph", "label": {"en": "Copenhagen"}}, {"name": "odense", "label": {"en": "Odense"}}],
    "topics": [{"name": "health", "label": {"en": "Health"}}, {"name": "tax", "label": {"en": "Tax"}}],
    "roles": [{"name": "adult", "label": {"en": "Adult"}}, {"name": "child", "label": {"en": "Child"}}]
  }
})";

Form loadOrDie(const std::string& text) {
  Diagnostics diags;
  auto f = loadForm(text, "fuzz.json", diags);
  if (!f) {
    std::fprintf(stderr, "import fuzz: the form does not load\n");
    std::abort();
  }
  return std::move(*f);
}

// Version 2 drops `amount` and adds `extra`.
std::string formV2() {
  json d = json::parse(kForm);
  d["version"] = 2;
  auto& fields = d["fields"];
  for (auto it = fields.begin(); it != fields.end(); ++it)
    if ((*it)["name"] == "amount") {
      fields.erase(it);
      break;
    }
  fields.push_back({{"name", "extra"}, {"type", "text"}, {"label", {{"en", "Extra"}}}});
  return d.dump();
}

// A workspace in /dev/shm when there is one (no disk syncs), made again
// after kImportsPerWorkspace committed imports or kRecordsPerWorkspace
// records, so that it stays small (every input exports all of it).
class Scratch {
 public:
  static constexpr int kImportsPerWorkspace = 25;
  static constexpr std::int64_t kRecordsPerWorkspace = 500;
  Scratch() {
    std::string base = ::access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    std::string tmpl = base + "/skema-import-fuzz-XXXXXX";
    if (!::mkdtemp(tmpl.data())) std::abort();
    m_dir = tmpl;
    m_forms[0] = std::make_shared<const Form>(loadOrDie(kForm));
    m_forms[1] = std::make_shared<const Form>(loadOrDie(formV2()));
  }
  ~Scratch() {
    m_store.reset();
    std::error_code ec;
    std::filesystem::remove_all(m_dir, ec);
  }
  SqliteStore& store() {
    if (!m_store || m_commits >= kImportsPerWorkspace || m_records > kRecordsPerWorkspace) {
      m_store.reset();
      std::error_code ec;
      const std::string path = m_dir + "/w.skema";
      for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix, ec);
      m_store = SqliteStore::create(path);
      for (const auto& f : m_forms) m_store->publishForm(*f, {"fuzz", ""});
      m_commits = 0;
      m_records = 0;
    }
    return *m_store;
  }
  void committed(std::int64_t records) {
    ++m_commits;
    m_records += records;
  }

 private:
  std::string m_dir;
  std::shared_ptr<const Form> m_forms[2];
  std::unique_ptr<SqliteStore> m_store;
  int m_commits = 0;
  std::int64_t m_records = 0;
};

Scratch& scratch() {
  static Scratch s;
  return s;
}

std::int64_t recordCount(Store& s) {
  std::int64_t n = 0;
  for (const auto& [status, k] : s.countByStatus("fuzz.visit")) n += k;
  return n;
}

bool storeTime(const std::string& t) {
  static const char* shape = "dddd-dd-ddTdd:dd:dd.dddZ";
  if (t.size() != 24) return false;
  for (size_t i = 0; i < t.size(); ++i)
    if (shape[i] == 'd' ? (t[i] < '0' || t[i] > '9') : t[i] != shape[i]) return false;
  return true;
}

// The checks of a committed import's records (the newest 100); "" when they hold.
std::string checkRecords(Store& s, std::int64_t imported) {
  RecordQuery newest;
  newest.formId = "fuzz.visit";
  newest.descending = true;
  newest.limit = std::min<std::int64_t>(imported, 100);
  for (const auto& r : s.query(newest).records) {
    const std::string who = "record " + r.id + ": ";
    if (r.formVersion != 1 && r.formVersion != 2) return who + "form version " + std::to_string(r.formVersion);
    if (!storeTime(r.createdAt) || !storeTime(r.updatedAt)) return who + "times " + r.createdAt + ", " + r.updatedAt;
    if (r.updatedAt < r.createdAt) return who + "updated before created";
    if (!userNameProblem(r.createdBy).empty() || !userNameProblem(r.updatedBy).empty())
      return who + "user names " + json(r.createdBy).dump() + ", " + json(r.updatedBy).dump();
    auto form = s.form("fuzz.visit", r.formVersion);
    if (!valueKindProblems(*form, r.values).empty()) return who + "values of the wrong kind: " + r.values.dump();
    if (r.status == RecordStatus::Final) {
      json v = r.values;
      auto errs = validateValues(*form, v);
      if (!errs.empty()) return who + "a final record that does not validate: " + errs[0].field + ": " + errs[0].message;
    }
    auto back = s.get(r.id);
    if (!back || back->values != r.values) return who + "reads back differently";
  }
  return "";
}

// Filters, sorts and searches over every kind of field, and the exports
// while the workspace is small (they read all of it).
void queryAndExport(Store& s, std::int64_t records) {
  using Op = FieldFilter::Op;
  RecordQuery q;
  q.formId = "fuzz.visit";
  q.limit = 5;
  const std::vector<FieldFilter> filters = {
      {"office", Op::Equals, "cph"},   {"people", Op::Greater, 3},     {"topics", Op::HasChoice, "health"},
      {"members", Op::NotEquals, "x"}, {"notes", Op::LessEq, "m"},     {"_created_by", Op::Equals, "fuzz"},
      {"twice", Op::GreaterEq, 2.5},   {"_status", Op::Equals, "draft"}};
  for (const auto& f : filters) {
    q.filters = {f};
    s.query(q);
  }
  q.filters.clear();
  for (const char* field : {"date", "people", "members", "amount", "_created_at", "_person_code"}) {
    q.sortBy = field;
    q.descending = !q.descending;
    s.query(q);
  }
  q.sortBy.clear();
  q.text = "a";
  s.query(q);
  if (records > 200) return;
  std::FILE* null = std::fopen("/dev/null", "wb");
  for (auto format : {ExportFormat::Csv, ExportFormat::Jsonl}) {
    ExportOptions o;
    o.format = format;
    exportRecords(s, "fuzz.visit", null, o);
  }
  std::fclose(null);
}

std::string run(ImportFormat format, const std::uint8_t* data, std::size_t size) {
  SqliteStore& s = scratch().store();
  const std::int64_t before = recordCount(s);
  std::FILE* in = size ? ::fmemopen(const_cast<std::uint8_t*>(data), size, "rb") : std::fopen("/dev/null", "rb");
  if (!in) return "cannot read the input";
  struct Closer {
    std::FILE* f;
    ~Closer() { std::fclose(f); }
  } closer{in};
  std::unique_ptr<ImportSource> src;
  if (format == ImportFormat::Csv) {
    auto csv = std::make_unique<CsvImportSource>(s, in, "fuzz.visit");
    if (!csv->headerErrors().empty()) {  // the command stops here
      for (const auto& e : csv->headerErrors())
        if (e.message.empty()) return "a header error without a message";
      return "";
    }
    src = std::move(csv);
  } else {
    src = std::make_unique<JsonlImportSource>(s, in, "fuzz.visit");
  }
  ImportOptions o;
  o.skipInvalid = size % 2 == 1;
  ImportResult res = s.importRecords(*src, {"fuzz", "import fuzz"}, o);
  if (std::getenv("SKEMA_FUZZ_VERBOSE")) {  // what an input did, for looking into a finding
    std::fprintf(stderr, "committed %d, imported %lld, refused %zu\n", int(res.committed), (long long)res.imported,
                 res.rejected.size());
    for (const auto& r : res.rejected)
      for (const auto& e : r.errors) std::fprintf(stderr, "  %d: %s: %s\n", r.line, e.field.c_str(), e.message.c_str());
  }

  // Lines as the reader counts them: CSV rows may also end in a lone CR.
  std::int64_t lines = 1;
  for (std::size_t i = 0; i < size; ++i)
    lines += data[i] == '\n' || (format == ImportFormat::Csv && data[i] == '\r' && (i + 1 == size || data[i + 1] != '\n'));
  for (const auto& r : res.rejected) {
    if (r.line < 1 || r.line > lines) return "a refused row at line " + std::to_string(r.line);
    if (r.errors.empty()) return "a refused row without errors at line " + std::to_string(r.line);
    for (const auto& e : r.errors)
      if (e.message.empty()) return "an error without a message at line " + std::to_string(r.line);
  }
  const std::int64_t after = recordCount(s);
  if (!res.committed) return after == before ? "" : "a refused import changed the record count";
  if (after != before + res.imported) return "the record count does not match the import";
  scratch().committed(res.imported);
  if (res.imported > 0) {
    if (std::string p = checkRecords(s, res.imported); !p.empty()) return p;
  }
  queryAndExport(s, after);
  auto audit = s.verifyAudit();
  if (!audit.ok) return "the audit chain broke: " + audit.message;
  return "";
}

}  // namespace

std::string importOne(ImportFormat format, const std::uint8_t* data, std::size_t size) {
  try {
    return run(format, data, size);
  } catch (const std::exception& e) {
    return std::string("an exception: ") + e.what();
  }
}

}  // namespace skema::fuzz
