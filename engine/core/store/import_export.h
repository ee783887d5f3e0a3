// Import and export of records as CSV and JSON lines (docs/cli.md):
// sources that feed Store::importRecords, and a writer that puts every
// version of a form in one table.
#pragma once
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "store/store.h"
#include "util/csv.h"
#include "util/sha256.h"

namespace skema {
struct Field;
}

namespace skema::store {

// Metadata columns understood on import and written on export.
extern const std::vector<std::string> kMetaColumns;  // _id, _form_version, _status, ...

// How deeply arrays and objects may nest in an imported JSON line or a
// repeat's CSV cell (a repeat in a repeat needs 5 levels in a line).
constexpr int kImportJsonMaxDepth = 64;

// Text (a CSV cell) -> the JSON value stored for a field of `type`
// (numbers for integer/decimal/range, arrays for repeats, else the string).
// Empty text = no value (null). On a problem returns null and sets `error`.
nlohmann::json valueFromText(const Form& form, const std::string& field, const std::string& text,
                             std::string& error);
// A stored value as CSV text: strings as they are, numbers as JSON numbers,
// repeats as JSON text.
std::string valueToText(const nlohmann::json& v);

// Reads CSV rows (header row = field names and metadata columns; ';' or ','
// detected) for `formId`. Rows without `_form_version` use the latest
// published version. Rejected rows are written to `rejectFile` (if set) as
// CSV with the same header.
class CsvImportSource : public ImportSource {
 public:
  CsvImportSource(Store& store, std::FILE* in, std::string formId, std::FILE* rejectFile = nullptr);
  bool next(ImportRow& row) override;
  void rejected(const ImportRow& row, const std::vector<FieldMessage>& errors) override;
  std::string contentDigest() const override { return m_digest; }
  // Problems with the header itself (line 1); importing should stop.
  const std::vector<FieldMessage>& headerErrors() const { return m_headerErrors; }

 private:
  Store& m_store;
  Sha256 m_sha;  // before m_reader, which feeds it
  std::string m_digest;
  CsvReader m_reader;
  std::string m_formId;
  std::FILE* m_reject;
  std::vector<std::string> m_header;
  std::vector<std::string> m_cells;
  std::vector<FieldMessage> m_headerErrors;
  bool m_rejectHeaderWritten = false;
  std::optional<int> m_latest;
  std::vector<char> m_isMeta;  // per column
  struct ColumnFields {
    std::shared_ptr<const Form> form;
    std::vector<const Field*> fields;  // per column; null = metadata or unknown
  };
  std::map<int, ColumnFields> m_columnFields;  // by form version
};

// Reads JSON lines: one object per line with field values and optional
// metadata keys (_id, _form_version, _status, ...). Blank lines are skipped.
// A line that is not one JSON object, nests deeper than
// kImportJsonMaxDepth or repeats a key is refused with the column (byte)
// of the problem: "column 12: duplicate key \"people\"".
class JsonlImportSource : public ImportSource {
 public:
  JsonlImportSource(Store& store, std::FILE* in, std::string formId, std::FILE* rejectFile = nullptr);
  ~JsonlImportSource() override;
  bool next(ImportRow& row) override;
  void rejected(const ImportRow& row, const std::vector<FieldMessage>& errors) override;
  std::string contentDigest() const override { return m_digest; }

 private:
  Store& m_store;
  std::FILE* m_in;
  std::string m_formId;
  std::FILE* m_reject;
  char* m_buf = nullptr;  // getline's
  std::size_t m_cap = 0;
  std::string_view m_line;
  int m_lineNo = 0;
  std::optional<int> m_latest;
  Sha256 m_sha;
  std::string m_digest;
};

enum class ExportFormat { Csv, Jsonl };

struct ExportOptions {
  ExportFormat format = ExportFormat::Csv;
  std::set<std::string> includeSensitive;  // sensitive fields to include, by name
  char delimiter = ',';
  std::set<int> versions;                  // form versions to export; empty = all
  // CSV: cells exactly as stored. Otherwise text cells starting with = + -
  // @ tab or CR get a leading ' (OWASP, CSV injection); numbers never do.
  bool raw = false;
};

struct ExportResult {
  std::int64_t records = 0;
  std::vector<std::string> columns;
  std::vector<std::string> leftOut;   // sensitive fields not exported
  std::vector<DamagedRecord> damaged;  // records left out: stored values damaged
};

// Writes every (not deleted) record of `formId` of the chosen versions (all
// by default) as one table with the union of those versions' columns. A
// record whose stored values are damaged is left out and listed in `damaged`.
// Throws StoreError (NotFound when the form has no published version;
// Invalid when includeSensitive names a field that is not a sensitive field
// of the form, or `versions` one that is not published).
ExportResult exportRecords(Store& store, const std::string& formId, std::FILE* out, const ExportOptions& o);
// Invalid (naming the published versions) unless every version in `wanted`
// is in `published`. Shared by every export.
void checkVersions(const std::string& formId, const std::vector<int>& published, const std::set<int>& wanted);

}  // namespace skema::store
