#include "report/dataset.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

#include "expr/value.h"

namespace skema::report {

using nlohmann::json;
using store::Record;

std::uint32_t TextIndex::find(std::string_view s) const {
  if (m_slots.empty()) return kNone;
  const std::uint64_t h = std::hash<std::string_view>{}(s);
  const auto tag = static_cast<std::uint32_t>(h >> 32);
  const std::size_t mask = m_slots.size() - 1;
  for (std::size_t i = h & mask;; i = (i + 1) & mask) {
    const Slot sl = m_slots[i];
    if (sl.entry == 0) return kNone;
    if (sl.tag == tag && m_keys[sl.entry - 1] == s) return m_values[sl.entry - 1];
  }
}

void TextIndex::place(std::uint64_t h, std::uint32_t entry) {
  const std::size_t mask = m_slots.size() - 1;
  std::size_t i = h & mask;
  while (m_slots[i].entry != 0) i = (i + 1) & mask;
  m_slots[i] = {entry, static_cast<std::uint32_t>(h >> 32)};
}

void TextIndex::add(std::string_view s, std::uint32_t value) {
  if ((m_keys.size() + 1) * 2 > m_slots.size()) {
    m_slots.assign(std::max<std::size_t>(16, m_slots.size() * 2), Slot{});
    for (std::size_t e = 0; e < m_keys.size(); ++e)
      place(std::hash<std::string_view>{}(m_keys[e]), static_cast<std::uint32_t>(e + 1));
  }
  m_keys.emplace_back(s);
  m_values.push_back(value);
  place(std::hash<std::string_view>{}(s), static_cast<std::uint32_t>(m_keys.size()));
}

std::uint32_t Column::intern(const json& v) {
  if (v.is_null()) return 0;
  if (v.is_string()) return internText(v.get_ref<const std::string&>());
  if (v.is_number()) return internNumber(v.get<double>(), v.dump());
  std::string key = "\x01" + v.dump();
  if (auto c = strIndex.find(key); c != TextIndex::kNone) return c;
  std::uint32_t code = size();
  strIndex.add(key, code);
  dict.push_back(v);
  return code;
}

std::uint32_t Column::internText(std::string_view s) {
  if (auto c = strIndex.find(s); c != TextIndex::kNone) return c;
  std::uint32_t code = size();
  strIndex.add(s, code);
  dict.emplace_back(std::string(s));
  return code;
}

std::uint32_t Column::internNumber(double d, std::string_view token) {
  if (d == 0) d = 0;  // -0 -> 0
  // Small whole numbers (counts, minutes, ratings) skip the hash map.
  const bool small = d >= 0 && d < kSmallInts && d == static_cast<double>(static_cast<int>(d));
  if (small && !smallInts.empty() && smallInts[static_cast<int>(d)]) return smallInts[static_cast<int>(d)] - 1;
  if (!small) {
    auto it = numIndex.find(d);
    if (it != numIndex.end()) return it->second;
  }
  std::uint32_t code = size();
  if (small) {
    if (smallInts.empty()) smallInts.assign(kSmallInts, 0);
    smallInts[static_cast<int>(d)] = code + 1;
  } else {
    numIndex.emplace(d, code);
  }
  // The dictionary keeps the number as JSON parses it (integer or not), as
  // a Record's values would have it.
  dict.push_back(json::parse(token.data(), token.data() + token.size()));
  return code;
}

namespace {

int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;  // upper case is kept as an odd id (it would not print back the same)
}

// "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (lowercase) <-> 16 bytes.
bool parseUuid(std::string_view s, RecordId& out) {
  if (s.size() != 36) return false;
  int k = 0;
  for (size_t i = 0; i < 36; ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') return false;
      continue;
    }
    int h = hexval(s[i]), l = hexval(s[i + 1]);
    if (h < 0 || l < 0) return false;
    out[k++] = static_cast<std::uint8_t>(h * 16 + l);
    ++i;
  }
  return k == 16;
}

void formatUuid(const RecordId& id, std::string& s) {
  static const char* hx = "0123456789abcdef";
  s.resize(36);
  size_t k = 0;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s[k++] = '-';
    s[k++] = hx[id[i] >> 4];
    s[k++] = hx[id[i] & 15];
  }
}

constexpr std::int64_t kOddTime = INT64_MIN;

// "YYYY-MM-DDTHH:MM:SS.mmmZ" -> ms since 1970; kOddTime for any other text
// (also impossible dates), which is then kept as text, so every stamp
// prints back exactly as stored.
std::int64_t parseStamp(std::string_view s) {
  static const char kShape[] = "dddd-dd-ddTdd:dd:dd.dddZ";
  if (s.size() != 24) return kOddTime;
  for (size_t i = 0; i < 24; ++i) {
    char c = s[i];
    if (kShape[i] == 'd' ? (c < '0' || c > '9') : c != kShape[i]) return kOddTime;
  }
  auto num = [&](size_t at, size_t n) {
    int v = 0;
    for (size_t i = at; i < at + n; ++i) v = v * 10 + (s[i] - '0');
    return v;
  };
  int y = num(0, 4), mo = num(5, 2), d = num(8, 2), h = num(11, 2), mi = num(14, 2), sec = num(17, 2), ms = num(20, 3);
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59) return kOddTime;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > kDays[mo - 1] + (mo == 2 && leap ? 1 : 0)) return kOddTime;
  std::int64_t days = expr::daysFromCivil(y, mo, d);
  return ((days * 24 + h) * 60 + mi) * 60000LL + sec * 1000LL + ms;
}

void formatStamp(std::int64_t t, std::string& out) {
  std::int64_t days = t >= 0 ? t / 86400000 : -((-t + 86399999) / 86400000);
  std::int64_t rest = t - days * 86400000;
  int y, m, d;
  expr::civilFromDays(days, y, m, d);
  if (y < 0 || y > 9999) {  // outside what parseStamp accepts; not reached for stored stamps
    char b[48];
    std::snprintf(b, sizeof b, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", y, m, d, int(rest / 3600000),
                  int(rest / 60000 % 60), int(rest / 1000 % 60), int(rest % 1000));
    out = b;
    return;
  }
  // By hand: snprintf was a visible part of writing a million rows.
  out.resize(24);
  auto put = [&](size_t at, int v, int n) {
    for (int i = n - 1; i >= 0; --i, v /= 10) out[at + i] = char('0' + v % 10);
  };
  put(0, y, 4);
  out[4] = '-';
  put(5, m, 2);
  out[7] = '-';
  put(8, d, 2);
  out[10] = 'T';
  put(11, int(rest / 3600000), 2);
  out[13] = ':';
  put(14, int(rest / 60000 % 60), 2);
  out[16] = ':';
  put(17, int(rest / 1000 % 60), 2);
  out[19] = '.';
  put(20, int(rest % 1000), 3);
  out[23] = 'Z';
}

// --- a scanner for the stored values' JSON text -----------------------------
// Stored values are one flat JSON object (repeats are arrays of objects).
// The scanner finds each key and the extent of its value; only values of
// cached columns are looked at. Anything that is not JSON stops it (nullptr).

inline const char* skipWs(const char* p, const char* e) {
  while (p < e && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) ++p;
  return p;
}

// p at '"': the end of the string (past the closing quote); `escaped` when
// it has backslash escapes (the content is then not the raw bytes).
const char* scanString(const char* p, const char* e, bool& escaped) {
  const char* q = p + 1;
  auto* quote = static_cast<const char*>(std::memchr(q, '"', size_t(e - q)));
  if (!quote) return nullptr;
  if (!std::memchr(q, '\\', size_t(quote - q))) {
    escaped = false;
    return quote + 1;
  }
  escaped = true;
  while (q < e) {
    if (*q == '\\') {
      q += 2;
      continue;
    }
    if (static_cast<unsigned char>(*q) < 0x20) return nullptr;
    if (*q == '"') return q + 1;
    ++q;
  }
  return nullptr;
}

bool endOfScalar(char c) { return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// The end of the value starting at p (nullptr: not JSON).
const char* skipValue(const char* p, const char* e) {
  if (p >= e) return nullptr;
  bool esc;
  if (*p == '"') return scanString(p, e, esc);
  if (*p != '{' && *p != '[') {
    const char* q = p;
    while (q < e && !endOfScalar(*q)) ++q;
    return q > p ? q : nullptr;
  }
  int depth = 0;
  while (p < e) {
    char c = *p;
    if (c == '"') {
      p = scanString(p, e, esc);
      if (!p) return nullptr;
      continue;
    }
    if (c == '{' || c == '[') ++depth;
    else if (c == '}' || c == ']') {
      if (--depth == 0) return p + 1;
    }
    ++p;
  }
  return nullptr;
}

json parseToken(std::string_view t, bool allowFail = false) {
  return json::parse(t.data(), t.data() + t.size(), nullptr, !allowFail);
}
[[noreturn]] void notJson(std::string_view id) {
  throw store::StoreError(store::ErrorKind::Corrupt,
                          "record " + std::string(id) + ": its stored values are not a JSON object");
}

std::string unescape(std::string_view quoted, std::string_view id) {
  json s = parseToken(quoted, true);
  if (!s.is_string()) notJson(id);
  return s.get<std::string>();
}

// Builds the cache on two threads: the caller reads the store (its
// connection stays on the caller's thread) and copies each row's text into
// a batch; a worker parses the batches into the columns.
class Pipeline {
 public:
  struct Row {
    int version;
    bool final, deleted;
    std::int64_t revision;
    std::uint32_t off[6], len[6];  // id, created_at, created_by, updated_at, updated_by, values
  };
  struct Batch {
    std::string text;
    std::vector<Row> rows;
  };
  static constexpr size_t kRows = 4096, kBatches = 4;

  explicit Pipeline(Dataset& ds) : m_ds(ds) {
    for (size_t i = 0; i < kBatches; ++i) m_free.push_back(std::make_unique<Batch>());
    m_worker = std::thread([this] { work(); });
  }
  ~Pipeline() { finish(); }

  // Adds a row; false once the worker failed (stop reading).
  bool add(const store::RecordText& r) {
    if (!m_cur) {
      m_cur = take(m_free, false);
      if (!m_cur) return false;
      m_cur->text.clear();
      m_cur->rows.clear();
    }
    Row row;
    row.version = r.formVersion;
    row.final = r.status == store::RecordStatus::Final;
    row.deleted = r.deleted;
    row.revision = r.revision;
    const std::string_view parts[6] = {r.id, r.createdAt, r.createdBy, r.updatedAt, r.updatedBy, r.values};
    for (int i = 0; i < 6; ++i) {
      row.off[i] = static_cast<std::uint32_t>(m_cur->text.size());
      row.len[i] = static_cast<std::uint32_t>(parts[i].size());
      m_cur->text.append(parts[i]);
    }
    m_cur->rows.push_back(row);
    if (m_cur->rows.size() >= kRows) return flush();
    return true;
  }
  // Waits for the worker; rethrows its error.
  void finish() {
    if (m_worker.joinable()) {
      flush();
      {
        std::lock_guard<std::mutex> lk(m_mutex);
        m_closed = true;
      }
      m_cv.notify_all();
      m_worker.join();
    }
  }
  void rethrow() {
    if (m_error) std::rethrow_exception(m_error);
  }
  void abandon() {
    std::lock_guard<std::mutex> lk(m_mutex);
    m_stop = true;
  }

 private:
  bool flush() {
    if (!m_cur || m_cur->rows.empty()) return !m_stop;
    {
      std::lock_guard<std::mutex> lk(m_mutex);
      m_full.push_back(std::move(m_cur));
    }
    m_cv.notify_all();
    std::lock_guard<std::mutex> lk(m_mutex);
    return !m_stop;
  }
  std::unique_ptr<Batch> take(std::deque<std::unique_ptr<Batch>>& q, bool worker) {
    std::unique_lock<std::mutex> lk(m_mutex);
    m_cv.wait(lk, [&] { return !q.empty() || m_stop || (worker && m_closed); });
    if (q.empty() || (m_stop && !worker)) return nullptr;
    if (m_stop && worker) return nullptr;
    auto b = std::move(q.front());
    q.pop_front();
    return b;
  }
  void work() {
    try {
      while (auto b = take(m_full, true)) {
        const char* base = b->text.data();
        for (const Row& row : b->rows) {
          auto v = [&](int i) { return std::string_view(base + row.off[i], row.len[i]); };
          store::RecordText t;
          t.id = v(0);
          t.createdAt = v(1);
          t.createdBy = v(2);
          t.updatedAt = v(3);
          t.updatedBy = v(4);
          t.values = v(5);
          t.formVersion = row.version;
          t.status = row.final ? store::RecordStatus::Final : store::RecordStatus::Draft;
          t.deleted = row.deleted;
          t.revision = row.revision;
          m_ds.apply(t);
        }
        {
          std::lock_guard<std::mutex> lk(m_mutex);
          m_free.push_back(std::move(b));
        }
        m_cv.notify_all();
      }
    } catch (...) {
      m_error = std::current_exception();
      {
        std::lock_guard<std::mutex> lk(m_mutex);
        m_stop = true;
      }
      m_cv.notify_all();
    }
  }

  Dataset& m_ds;
  std::mutex m_mutex;
  std::condition_variable m_cv;
  std::deque<std::unique_ptr<Batch>> m_free, m_full;
  std::unique_ptr<Batch> m_cur;
  bool m_closed = false, m_stop = false;
  std::exception_ptr m_error;
  std::thread m_worker;
};

}  // namespace

std::uint32_t Dataset::user(std::string_view u) {
  if (auto c = m_userIndex.find(u); c != TextIndex::kNone) return c;
  auto code = static_cast<std::uint32_t>(m_users.size());
  m_users.emplace_back(u);
  m_userIndex.add(u, code);
  return code;
}

std::unique_ptr<Dataset> Dataset::build(store::Store& store, const std::string& formId, const Progress& progress,
                                        const std::atomic<bool>* cancel, bool leaveOutDamaged) {
  auto ds = std::unique_ptr<Dataset>(new Dataset());
  ds->m_leaveOutDamaged = leaveOutDamaged;
  ds->m_vars = unionVariables(store, formId);
  ds->m_versionCount = ds->m_vars.versions.size();
  ds->m_cols.resize(ds->m_vars.vars.size());
  for (size_t i = 0; i < ds->m_vars.vars.size(); ++i) {
    const Variable& v = ds->m_vars.vars[i];
    Column& c = ds->m_cols[i];
    c.dict.push_back(nullptr);
    c.active = v.repeat.empty() && v.type != FieldType::Repeat;
    if (v.type == FieldType::Repeat && v.repeat.empty()) ds->m_instances[static_cast<int>(i)];
    if (!v.repeat.empty() && v.type != FieldType::Repeat) {
      // Fields of a top-level repeat (not of a repeat inside a repeat).
      const int rep = ds->m_vars.find(v.repeat);
      if (rep >= 0 && ds->m_vars.vars[rep].repeat.empty()) {
        c.repeat = rep;
        ds->m_repeatCols[rep].push_back(static_cast<int>(i));
      }
    }
    if (isSelect(v.type))
      for (const auto& ch : v.choices) c.intern(ch.name);
    if (v.type == FieldType::SelectMultiple)
      for (std::uint32_t k = 0; k < c.size(); ++k) c.parts.push_back(k == 0 ? std::vector<int>{} : std::vector<int>{int(k - 1)});
  }
  ds->user("");
  std::int64_t total = 0;
  for (const auto& [st, n] : store.countByStatus(formId)) total += n;
  // Room for every record up front (the counts are kept, not counted).
  const auto expect = static_cast<std::size_t>(total);
  for (auto* v : {&ds->m_createdBy, &ds->m_updatedBy}) v->reserve(expect);
  for (auto* v : {&ds->m_createdAt, &ds->m_updatedAt}) v->reserve(expect);
  ds->m_version.reserve(expect);
  ds->m_flags.reserve(expect);
  ds->m_ids.reserve(expect);
  for (auto& c : ds->m_cols)
    if (c.active) c.codes.reserve(expect);
  std::int64_t done = 0;
  struct Stop {};
  ds->m_building = true;
  ds->m_rowsIndexed = false;
  {
    Pipeline pipe(*ds);
    try {
      store.forEachRecordText(formId, true, [&](const store::RecordText& r) {
        if (cancel && cancel->load(std::memory_order_relaxed)) throw Stop{};
        if (!pipe.add(r)) throw Stop{};
        if (progress && (++done & 0xFFFF) == 0) progress(done, total);
      });
    } catch (const Stop&) {
      if (cancel && cancel->load()) {
        pipe.abandon();
        ds->m_cancelled = true;
      }
    } catch (...) {
      pipe.abandon();
      pipe.finish();
      throw;
    }
    pipe.finish();
    ds->m_building = false;
    pipe.rethrow();
  }
  ds->m_building = false;
  if (progress) progress(done, total);
  return ds;
}

void Dataset::apply(const Record& r) {
  const std::string values = r.values.is_object() ? r.values.dump() : std::string("{}");
  apply(store::recordText(r, values));
}

void Dataset::indexRows() {
  m_rowOf.reserve(m_ids.size());
  for (std::size_t row = 0; row < m_ids.size(); ++row) {
    if (auto it = m_oddIds.find(static_cast<std::uint32_t>(row)); it != m_oddIds.end())
      m_oddRowOf.emplace(it->second, static_cast<std::uint32_t>(row));
    else
      m_rowOf.emplace(m_ids[row], static_cast<std::uint32_t>(row));
  }
  m_rowsIndexed = true;
}

void Dataset::apply(const store::RecordText& r) {
  RecordId key{};
  std::size_t row;
  bool odd = !parseUuid(r.id, key);
  std::size_t n = m_version.size();
  if (m_building) {
    // Every stored record comes once: a new row, found by id only when
    // refresh() needs it (indexRows), not a million map insertions now.
    row = n;
    if (odd) m_oddIds[static_cast<std::uint32_t>(n)] = std::string(r.id);
  } else if (!m_rowsIndexed) {
    indexRows();
    apply(r);
    return;
  } else if (!odd) {
    auto [it, inserted] = m_rowOf.try_emplace(key, static_cast<std::uint32_t>(n));
    row = it->second;
  } else {
    auto [it, inserted] = m_oddRowOf.try_emplace(std::string(r.id), static_cast<std::uint32_t>(n));
    row = it->second;
    if (inserted) m_oddIds[static_cast<std::uint32_t>(n)] = std::string(r.id);
  }
  if (row == n) {
    m_version.push_back(0);
    m_flags.push_back(0);
    m_ids.push_back(key);
    m_createdAt.push_back(0);
    m_updatedAt.push_back(0);
    m_createdBy.push_back(0);
    m_updatedBy.push_back(0);
    for (auto& c : m_cols)
      if (c.active) c.codes.push_back(0);
    for (auto& [var, inst] : m_instances) {
      inst.first.push_back(0);
      inst.count.push_back(0);
    }
  }
  put(row, r);
  if (r.updatedAt > m_watermark) m_watermark = std::string(r.updatedAt);
}

void Dataset::put(std::size_t row, const store::RecordText& r) {
  m_version[row] = static_cast<std::int16_t>(r.formVersion);
  m_flags[row] = (r.deleted ? kDeleted : 0) | (r.status == store::RecordStatus::Final ? kFinal : 0);
  auto stamp = [&](std::string_view s, bool updated) {
    std::int64_t t = parseStamp(s);
    const std::size_t key = (row << 1) | (updated ? 1 : 0);
    if (t == kOddTime) m_oddTimes[key] = std::string(s);
    else if (!m_oddTimes.empty()) m_oddTimes.erase(key);
    return t;
  };
  m_createdAt[row] = stamp(r.createdAt, false);
  m_updatedAt[row] = stamp(r.updatedAt, true);
  m_createdBy[row] = user(r.createdBy);
  m_updatedBy[row] = user(r.updatedBy);
  clearValues(row);
  if (!m_leaveOutDamaged) {
    putValues(row, r);
    return;
  }
  try {
    putValues(row, r);
  } catch (const store::StoreError& e) {
    if (e.kind() != store::ErrorKind::Corrupt) throw;
    clearValues(row);  // whatever was read before the damage
    m_flags[row] |= kDamaged;
    nlohmann::json ignored;
    std::string reason = "not read as a JSON object";
    store::parseStoredValues(r.values, ignored, reason);
    m_damaged.push_back({row, reason});
  }
}

void Dataset::clearValues(std::size_t row) {
  for (size_t i = 0; i < m_cols.size(); ++i)
    if (m_cols[i].active) m_cols[i].codes[row] = 0;
  for (auto& [var, inst] : m_instances) {  // a record read again: its old instances no longer count
    for (std::uint32_t k = 0; k < inst.count[row]; ++k) inst.row[inst.first[row] + k] = Instances::kGone;
    inst.count[row] = 0;
  }
}

namespace {

// The column of `key`, the pos-th key of an object: where the last object
// of its kind had that key, else looked up (`want` says which columns count).
template <class Want>
int keyColumn(std::vector<std::pair<std::string, int>>& order, std::size_t pos, std::string_view key,
              const std::unordered_map<std::string, int>& names, Want want) {
  if (pos < order.size() && order[pos].first == key) return order[pos].second;
  auto nt = names.find(std::string(key));
  int col = nt != names.end() && want(nt->second) ? nt->second : -1;
  if (pos < order.size()) order[pos] = {std::string(key), col};
  else order.emplace_back(std::string(key), col);
  return col;
}

// Walks the object at p ('{'), calling fn(col, valueStart, valueEnd) for
// each key whose column `want`s it. Returns the end of the object.
template <class Want, class Fn>
const char* scanObject(const char* p, const char* e, std::vector<std::pair<std::string, int>>& order,
                       const std::unordered_map<std::string, int>& names, std::string_view id, Want want, Fn fn) {
  p = skipWs(p, e);
  if (p >= e || *p != '{') notJson(id);
  p = skipWs(p + 1, e);
  if (p < e && *p == '}') return p + 1;
  std::string keyBuf;
  for (std::size_t pos = 0;; ++pos) {
    if (p >= e || *p != '"') notJson(id);
    bool esc;
    const char* ke = scanString(p, e, esc);
    if (!ke) notJson(id);
    std::string_view key(p + 1, size_t(ke - p - 2));
    if (esc) {
      keyBuf = unescape(std::string_view(p, size_t(ke - p)), id);
      key = keyBuf;
    }
    p = skipWs(ke, e);
    if (p >= e || *p != ':') notJson(id);
    p = skipWs(p + 1, e);
    const int col = keyColumn(order, pos, key, names, want);
    const char* ve = skipValue(p, e);
    if (!ve) notJson(id);
    if (col >= 0) fn(col, p, ve);
    p = skipWs(ve, e);
    if (p < e && *p == ',') {
      p = skipWs(p + 1, e);
      continue;
    }
    if (p < e && *p == '}') return p + 1;
    notJson(id);
  }
}

}  // namespace

void Dataset::putValues(std::size_t row, const store::RecordText& r) {
  const auto* names = m_vars.namesOf(r.formVersion);
  if (!names) return;
  auto& order = m_keyOrder[r.formVersion];
  const char* e = r.values.data() + r.values.size();
  const char* end = scanObject(
      r.values.data(), e, order, *names, r.id,
      [&](int col) { return m_cols[col].active || m_instances.count(col) > 0; },
      [&](int col, const char* p, const char* ve) {
        if (m_cols[col].active) internValue(col, static_cast<std::uint32_t>(row), p, ve, r.id);
        else putInstances(col, row, p, ve, r);
      });
  if (skipWs(end, e) != e) notJson(r.id);
}

void Dataset::internValue(int col, std::uint32_t at, const char* p, const char* ve, std::string_view id) {
  Column& c = m_cols[col];
  const std::uint32_t before = c.size();
  std::uint32_t code;
  std::string_view str;
  bool isStr = false;
  std::string strBuf;
  if (*p == '"') {
    isStr = true;
    bool esc;
    scanString(p, ve, esc);
    if (esc) {
      strBuf = unescape(std::string_view(p, size_t(ve - p)), id);
      str = strBuf;
    } else {
      str = std::string_view(p + 1, size_t(ve - p - 2));
    }
    code = c.internText(str);
  } else if (*p == '-' || (*p >= '0' && *p <= '9')) {
    double d;
    auto [end, ec] = std::from_chars(p, ve, d);
    if (ec != std::errc() || end != ve) notJson(id);
    code = c.internNumber(d, std::string_view(p, size_t(ve - p)));
  } else {
    json v = parseToken(std::string_view(p, size_t(ve - p)), true);
    if (v.is_discarded()) notJson(id);
    code = c.intern(v);
  }
  c.codes[at] = code;
  // A new select_multiple combination: split it into choices.
  if (code == before && m_vars.vars[col].type == FieldType::SelectMultiple)
    splitChoices(c, m_vars.vars[col], isStr ? str : std::string_view());
}

// A top-level repeat's value: an array of objects, one instance each.
// Anything else (not an array, an element that is not an object) has no instances.
const char* Dataset::putInstances(int repeatVar, std::size_t row, const char* p, const char* e,
                                  const store::RecordText& r) {
  if (*p != '[') return e;
  Instances& inst = m_instances[repeatVar];
  const auto& kids = m_repeatCols[repeatVar];
  const auto* names = m_vars.namesOf(r.formVersion);
  auto& order = m_keyOrder[-(r.formVersion * 4096 + repeatVar + 1)];  // instance objects' key order
  p = skipWs(p + 1, e);
  if (p < e && *p == ']') return p + 1;
  for (;;) {
    const char* ve = skipValue(p, e);
    if (!ve) notJson(r.id);
    if (*p == '{') {
      const auto k = static_cast<std::uint32_t>(inst.row.size());
      inst.row.push_back(static_cast<std::uint32_t>(row));
      for (int c : kids) m_cols[c].codes.push_back(0);
      if (inst.count[row]++ == 0) inst.first[row] = k;
      scanObject(
          p, ve, order, *names, r.id, [&](int col) { return m_cols[col].repeat == repeatVar; },
          [&](int col, const char* vp, const char* vend) { internValue(col, k, vp, vend, r.id); });
    }
    p = skipWs(ve, e);
    if (p < e && *p == ',') {
      p = skipWs(p + 1, e);
      continue;
    }
    if (p < e && *p == ']') return p + 1;
    notJson(r.id);
  }
}

const Instances* Dataset::instances(int var) const {
  auto it = m_instances.find(var);
  return it == m_instances.end() ? nullptr : &it->second;
}

void Dataset::splitChoices(Column& c, const Variable& var, std::string_view s) {
  std::vector<int> parts;
  size_t p = 0;
  while (p < s.size()) {
    size_t q = s.find(' ', p);
    if (q == std::string_view::npos) q = s.size();
    if (q > p) {
      std::string name(s.substr(p, q - p));
      int k = var.choiceIndex(name);
      if (k < 0) {
        auto ex = std::find(c.extraChoices.begin(), c.extraChoices.end(), name);
        k = static_cast<int>(var.choices.size() + (ex - c.extraChoices.begin()));
        if (ex == c.extraChoices.end()) c.extraChoices.push_back(name);
      }
      if (std::find(parts.begin(), parts.end(), k) == parts.end()) parts.push_back(k);
    }
    p = q + 1;
  }
  c.parts.push_back(std::move(parts));
}

std::int64_t Dataset::refresh(store::Store& store) {
  // New form versions: rebuild the variables, keeping the columns (a new
  // version only adds variables or names; existing indices may move, so
  // rebuild everything in that rare case).
  if (store.formVersions(m_vars.formId).size() != m_versionCount) {
    auto fresh = build(store, m_vars.formId);
    std::int64_t n = static_cast<std::int64_t>(fresh->rows());
    *this = std::move(*fresh);
    return n;
  }
  store::RecordQuery q;
  q.formId = m_vars.formId;
  q.includeDeleted = true;
  q.withTotal = false;
  q.sortBy = "_updated_at";
  q.limit = 1000;
  if (!m_watermark.empty()) q.filters.push_back({"_updated_at", store::FieldFilter::Op::GreaterEq, m_watermark});
  std::int64_t applied = 0;
  for (;;) {
    auto page = store.query(q);
    for (const auto& r : page.records) apply(r);
    applied += static_cast<std::int64_t>(page.records.size());
    if (page.records.size() < static_cast<size_t>(q.limit)) break;
    q.offset += q.limit;
  }
  return applied;
}

std::string Dataset::id(std::size_t row) const {
  std::string s;
  id(row, s);
  return s;
}

std::string Dataset::createdAt(std::size_t row) const {
  std::string s;
  createdAt(row, s);
  return s;
}

std::string Dataset::updatedAt(std::size_t row) const {
  std::string s;
  updatedAt(row, s);
  return s;
}

void Dataset::id(std::size_t row, std::string& out) const {
  if (!m_oddIds.empty())
    if (auto it = m_oddIds.find(static_cast<std::uint32_t>(row)); it != m_oddIds.end()) {
      out = it->second;
      return;
    }
  formatUuid(m_ids[row], out);
}

void Dataset::createdAt(std::size_t row, std::string& out) const {
  if (m_createdAt[row] == kOddTime) out = m_oddTimes.at(row << 1);
  else formatStamp(m_createdAt[row], out);
}

void Dataset::updatedAt(std::size_t row, std::string& out) const {
  if (m_updatedAt[row] == kOddTime) out = m_oddTimes.at((row << 1) | 1);
  else formatStamp(m_updatedAt[row], out);
}

std::int64_t Dataset::liveRows() const {
  std::int64_t n = 0;
  for (auto f : m_flags) n += !(f & kDeleted);
  return n;
}

std::size_t Dataset::maxTextBytes(int var) const {
  std::size_t w = 0;
  for (const auto& v : m_cols[var].dict) {
    if (v.is_string()) w = std::max(w, v.get_ref<const std::string&>().size());
    else if (!v.is_null()) w = std::max(w, v.dump().size());
  }
  return w;
}

std::size_t Dataset::maxUserBytes() const {
  std::size_t w = 0;
  for (const auto& u : m_users) w = std::max(w, u.size());
  return w;
}

}  // namespace skema::report
