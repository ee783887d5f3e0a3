// A form's records in memory, column by column, as small integer codes:
// the cache reports and statistical exports run on (docs/reports.md).
//
// Every top-level variable of the form's union (report/variables.h) is a
// dictionary-encoded column with one code per record; every field of a
// top-level repeat has one code per repeat instance (Dataset::Instances
// says which record each instance belongs to). A column is code 0 = no value, code k = dict[k]. Select
// fields' dictionaries start with their choices in order (code i+1 = choice
// i), so counting is a pass over small integers and the labels come from
// the dictionary afterwards. A select_multiple's code stands for the whole
// combination of choices ("health debt"); `parts` lists its choices.
//
// Built once from Store::forEachRecordText (one pass over the stored JSON
// text, no Record or JSON objects built; reading and parsing overlap on two
// threads), then kept current with refresh() (records updated since the last
// build/refresh, via a query on _updated_at) or apply() (one record the
// caller just saved).
#pragma once
#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/variables.h"
#include "store/store.h"

namespace skema::report {

// Text -> number, open addressing: a lookup is one probe of a flat slot
// array and one comparison, with no node per entry (building the cache of
// a million records does ~13 million lookups; std::unordered_map spent a
// third of the time in them).
class TextIndex {
 public:
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;
  std::uint32_t find(std::string_view s) const;  // kNone when absent
  void add(std::string_view s, std::uint32_t value);  // `s` must be absent
  std::size_t size() const { return m_keys.size(); }

 private:
  struct Slot {
    std::uint32_t entry = 0;  // index into m_keys + 1; 0 = empty
    std::uint32_t tag = 0;    // high bits of the hash
  };
  void place(std::uint64_t h, std::uint32_t entry);
  std::vector<Slot> m_slots;  // a power of two, at most half full
  std::vector<std::string> m_keys;
  std::vector<std::uint32_t> m_values;
};

struct Column {
  std::vector<std::uint32_t> codes;   // one per row; 0 = no value
  std::vector<nlohmann::json> dict;   // dict[0] = null; else a string or a number
  // select_multiple: the choice indices (into Variable::choices; unknown
  // names are appended to `extraChoices` as index choices.size()+i) of each code.
  std::vector<std::vector<int>> parts;
  std::vector<std::string> extraChoices;
  bool active = false;                // a top-level field: codes[row]
  int repeat = -1;                    // >= 0: a field of that top-level repeat: codes[instance]
  bool cached() const { return active || repeat >= 0; }

  std::uint32_t intern(const nlohmann::json& v);
  // The same for a string / a number given as its JSON text (`token`, used
  // for the dictionary entry only when the value is new).
  std::uint32_t internText(std::string_view s);
  std::uint32_t internNumber(double d, std::string_view token);
  std::uint32_t size() const { return static_cast<std::uint32_t>(dict.size()); }

  TextIndex strIndex;
  std::unordered_map<double, std::uint32_t> numIndex;
  std::vector<std::uint32_t> smallInts;  // integers 0..kSmallInts-1: code + 1 (0 = none yet)
  static constexpr int kSmallInts = 4096;
};

using RecordId = std::array<std::uint8_t, 16>;

// The instances of one top-level repeat, in the order they were read.
struct Instances {
  static constexpr std::uint32_t kGone = 0xFFFFFFFFu;  // its record was read again since
  std::vector<std::uint32_t> row;                      // instance -> record row (or kGone)
  std::vector<std::uint32_t> first, count;             // record row -> its instances
};

class Dataset {
 public:
  using Progress = std::function<void(std::int64_t done, std::int64_t total)>;

  // Reads every record of `formId` (deleted ones as tombstones). Throws
  // StoreError NotFound when the form is not published. `cancel` (optional)
  // stops early: the result is then incomplete and `cancelled()` is true.
  // A record whose stored values do not read throws StoreError Corrupt,
  // unless `leaveOutDamaged` (exports): it is then a row without values,
  // damaged(row), listed in damagedRows().
  static std::unique_ptr<Dataset> build(store::Store& store, const std::string& formId,
                                        const Progress& progress = {}, const std::atomic<bool>* cancel = nullptr,
                                        bool leaveOutDamaged = false);

  // Applies every record changed since the last build/refresh (new, edited,
  // deleted; also new form versions). Returns how many records were applied.
  std::int64_t refresh(store::Store& store);
  // Inserts or replaces one record (e.g. right after the UI saved it).
  void apply(const store::Record& r);
  // The same from the stored text (what build() uses). Throws StoreError
  // Corrupt when the values are not a JSON object.
  void apply(const store::RecordText& r);

  const FormVariables& variables() const { return m_vars; }
  const std::string& formId() const { return m_vars.formId; }
  const Column& column(int var) const { return m_cols[var]; }
  // The instances of top-level repeat `var` (nullptr for other variables).
  const Instances* instances(int var) const;
  std::size_t rows() const { return m_version.size(); }
  bool cancelled() const { return m_cancelled; }
  struct DamagedRow {
    std::size_t row;
    std::string reason;
  };
  const std::vector<DamagedRow>& damagedRows() const { return m_damaged; }

  // Per row (in creation order; an edited record keeps its row).
  bool deleted(std::size_t row) const { return m_flags[row] & kDeleted; }
  bool final(std::size_t row) const { return m_flags[row] & kFinal; }
  bool damaged(std::size_t row) const { return m_flags[row] & kDamaged; }  // see build()
  int version(std::size_t row) const { return m_version[row]; }
  std::string id(std::size_t row) const;
  std::string createdAt(std::size_t row) const;
  std::string updatedAt(std::size_t row) const;
  // The same into `out` (reused by exports that write a million rows).
  void id(std::size_t row, std::string& out) const;
  void createdAt(std::size_t row, std::string& out) const;
  void updatedAt(std::size_t row, std::string& out) const;
  const std::string& createdBy(std::size_t row) const { return m_users[m_createdBy[row]]; }
  const std::string& updatedBy(std::size_t row) const { return m_users[m_updatedBy[row]]; }
  std::int64_t liveRows() const;  // rows not deleted

  // The widest text (in bytes) among the values of a column / of the metadata.
  std::size_t maxTextBytes(int var) const;
  std::size_t maxUserBytes() const;

 private:
  enum : std::uint8_t { kDeleted = 1, kFinal = 2, kDamaged = 4 };
  void put(std::size_t row, const store::RecordText& r);
  void clearValues(std::size_t row);
  void putValues(std::size_t row, const store::RecordText& r);
  void splitChoices(Column& c, const Variable& var, std::string_view s);
  void internValue(int col, std::uint32_t at, const char* p, const char* ve, std::string_view id);
  const char* putInstances(int repeatVar, std::size_t row, const char* p, const char* e, const store::RecordText& r);
  std::uint32_t user(std::string_view u);
  void indexRows();  // fills m_rowOf / m_oddRowOf from the rows

  FormVariables m_vars;
  std::vector<Column> m_cols;
  std::vector<std::int16_t> m_version;
  std::vector<std::uint8_t> m_flags;
  std::vector<RecordId> m_ids;
  std::vector<std::int64_t> m_createdAt, m_updatedAt;  // ms since 1970 UTC
  std::vector<std::uint32_t> m_createdBy, m_updatedBy;
  std::vector<std::string> m_users;
  TextIndex m_userIndex;
  // Per form version: the keys in the order the last record had them, with
  // their column (-1: none or not cached). Stored values have their keys in
  // one (sorted) order, so a key is usually found by one comparison.
  std::unordered_map<int, std::vector<std::pair<std::string, int>>> m_keyOrder;
  std::unordered_map<int, Instances> m_instances;  // top-level repeat variable -> its instances
  std::unordered_map<int, std::vector<int>> m_repeatCols;  // top-level repeat variable -> its cached fields
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
  bool m_building = false;     // build(): every record is a new row
  bool m_rowsIndexed = true;   // m_rowOf is filled (after a build: on the first apply)
  std::string m_watermark;  // newest updated_at seen
  std::size_t m_versionCount = 0;
  bool m_cancelled = false;
  bool m_leaveOutDamaged = false;
  std::vector<DamagedRow> m_damaged;
};

}  // namespace skema::report
