// A form's records in memory, column by column, as small integer codes:
// the cache reports and statistical exports run on (docs/reports.md).
//
// Every top-level variable of the form's union (report/variables.h) is a
// dictionary-encoded column: code 0 = no value, code k = dict[k]. Select
// fields' dictionaries start with their choices in order (code i+1 = choice
// i), so counting is a pass over small integers and the labels come from
// the dictionary afterwards. A select_multiple's code stands for the whole
// combination of choices ("health debt"); `parts` lists its choices.
//
// Built once from Store::forEachRecord (one pass), then kept current with
// refresh() (records updated since the last build/refresh, via a query on
// _updated_at) or apply() (one record the caller just saved).
#pragma once
#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/variables.h"
#include "store/store.h"

namespace skema::report {

struct Column {
  std::vector<std::uint32_t> codes;   // one per row; 0 = no value
  std::vector<nlohmann::json> dict;   // dict[0] = null; else a string or a number
  // select_multiple: the choice indices (into Variable::choices; unknown
  // names are appended to `extraChoices` as index choices.size()+i) of each code.
  std::vector<std::vector<int>> parts;
  std::vector<std::string> extraChoices;
  bool active = false;                // false: not cached (repeats and their children)

  std::uint32_t intern(const nlohmann::json& v);
  std::uint32_t size() const { return static_cast<std::uint32_t>(dict.size()); }

  std::unordered_map<std::string, std::uint32_t> strIndex;
  std::unordered_map<double, std::uint32_t> numIndex;
};

using RecordId = std::array<std::uint8_t, 16>;

class Dataset {
 public:
  using Progress = std::function<void(std::int64_t done, std::int64_t total)>;

  // Reads every record of `formId` (deleted ones as tombstones). Throws
  // StoreError NotFound when the form is not published. `cancel` (optional)
  // stops early: the result is then incomplete and `cancelled()` is true.
  static std::unique_ptr<Dataset> build(store::Store& store, const std::string& formId,
                                        const Progress& progress = {}, const std::atomic<bool>* cancel = nullptr);

  // Applies every record changed since the last build/refresh (new, edited,
  // deleted; also new form versions). Returns how many records were applied.
  std::int64_t refresh(store::Store& store);
  // Inserts or replaces one record (e.g. right after the UI saved it).
  void apply(const store::Record& r);

  const FormVariables& variables() const { return m_vars; }
  const std::string& formId() const { return m_vars.formId; }
  const Column& column(int var) const { return m_cols[var]; }
  std::size_t rows() const { return m_version.size(); }
  bool cancelled() const { return m_cancelled; }

  // Per row (in creation order; an edited record keeps its row).
  bool deleted(std::size_t row) const { return m_flags[row] & kDeleted; }
  bool final(std::size_t row) const { return m_flags[row] & kFinal; }
  int version(std::size_t row) const { return m_version[row]; }
  std::string id(std::size_t row) const;
  std::string createdAt(std::size_t row) const;
  std::string updatedAt(std::size_t row) const;
  const std::string& createdBy(std::size_t row) const { return m_users[m_createdBy[row]]; }
  const std::string& updatedBy(std::size_t row) const { return m_users[m_updatedBy[row]]; }
  std::int64_t liveRows() const;  // rows not deleted

  // The widest text (in bytes) among the values of a column / of the metadata.
  std::size_t maxTextBytes(int var) const;
  std::size_t maxUserBytes() const;

 private:
  enum : std::uint8_t { kDeleted = 1, kFinal = 2 };
  void put(std::size_t row, const store::Record& r);
  std::uint32_t user(const std::string& u);

  FormVariables m_vars;
  std::vector<Column> m_cols;
  std::vector<std::int16_t> m_version;
  std::vector<std::uint8_t> m_flags;
  std::vector<RecordId> m_ids;
  std::vector<std::int64_t> m_createdAt, m_updatedAt;  // ms since 1970 UTC
  std::vector<std::uint32_t> m_createdBy, m_updatedBy;
  std::vector<std::string> m_users;
  std::unordered_map<std::string, std::uint32_t> m_userIndex;
  struct IdHash {
    std::size_t operator()(const RecordId& a) const {
      std::uint64_t x;
      __builtin_memcpy(&x, a.data(), 8);
      return static_cast<std::size_t>(x * 0x9E3779B97F4A7C15ull);
    }
  };
  std::unordered_map<RecordId, std::uint32_t, IdHash> m_rowOf;  // record id -> row
  std::unordered_map<std::string, std::uint32_t> m_oddRowOf;    // ids that are not UUIDs
  std::unordered_map<std::uint32_t, std::string> m_oddIds;
  std::unordered_map<std::size_t, std::string> m_oddTimes;  // (row<<1|updated) -> text not in the usual form
  std::string m_watermark;  // newest updated_at seen
  std::size_t m_versionCount = 0;
  bool m_cancelled = false;
};

}  // namespace skema::report
