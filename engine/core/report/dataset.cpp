#include "report/dataset.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "expr/value.h"

namespace skema::report {

using nlohmann::json;
using store::Record;

std::uint32_t Column::intern(const json& v) {
  if (v.is_null()) return 0;
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    auto it = strIndex.find(s);
    if (it != strIndex.end()) return it->second;
    std::uint32_t code = size();
    strIndex.emplace(s, code);
    dict.push_back(v);
    return code;
  }
  if (v.is_number()) {
    double d = v.get<double>();
    if (d == 0) d = 0;  // -0 -> 0
    auto it = numIndex.find(d);
    if (it != numIndex.end()) return it->second;
    std::uint32_t code = size();
    numIndex.emplace(d, code);
    dict.push_back(v);
    return code;
  }
  std::string key = "\x01" + v.dump();
  auto it = strIndex.find(key);
  if (it != strIndex.end()) return it->second;
  std::uint32_t code = size();
  strIndex.emplace(std::move(key), code);
  dict.push_back(v);
  return code;
}

namespace {

int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (lowercase) <-> 16 bytes.
bool parseUuid(const std::string& s, RecordId& out) {
  if (s.size() != 36) return false;
  int k = 0;
  for (size_t i = 0; i < 36; ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') return false;
      continue;
    }
    int h = hexval(s[i]), l = hexval(s[i + 1]);
    if (h < 0 || l < 0 || (s[i] >= 'A' && s[i] <= 'F') || (s[i + 1] >= 'A' && s[i + 1] <= 'F')) return false;
    out[k++] = static_cast<std::uint8_t>(h * 16 + l);
    ++i;
  }
  return k == 16;
}

std::string formatUuid(const RecordId& id) {
  static const char* hx = "0123456789abcdef";
  std::string s;
  s.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s += '-';
    s += hx[id[i] >> 4];
    s += hx[id[i] & 15];
  }
  return s;
}

constexpr std::int64_t kOddTime = INT64_MIN;

// "YYYY-MM-DDTHH:MM:SS.mmmZ" <-> ms since 1970.
std::int64_t parseStamp(const std::string& s) {
  int y, mo, d, h, mi, sec, ms;
  char z;
  if (s.size() != 24 || std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3d%c", &y, &mo, &d, &h, &mi, &sec, &ms, &z) != 8 ||
      z != 'Z')
    return kOddTime;
  std::int64_t days = expr::daysFromCivil(y, mo, d);
  return ((days * 24 + h) * 60 + mi) * 60000LL + sec * 1000LL + ms;
}

std::string formatStamp(std::int64_t t) {
  std::int64_t days = t >= 0 ? t / 86400000 : -((-t + 86399999) / 86400000);
  std::int64_t rest = t - days * 86400000;
  int y, m, d;
  expr::civilFromDays(days, y, m, d);
  char b[32];
  std::snprintf(b, sizeof b, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", y, m, d, int(rest / 3600000),
                int(rest / 60000 % 60), int(rest / 1000 % 60), int(rest % 1000));
  return b;
}

}  // namespace

std::uint32_t Dataset::user(const std::string& u) {
  auto it = m_userIndex.find(u);
  if (it != m_userIndex.end()) return it->second;
  auto code = static_cast<std::uint32_t>(m_users.size());
  m_users.push_back(u);
  m_userIndex.emplace(u, code);
  return code;
}

std::unique_ptr<Dataset> Dataset::build(store::Store& store, const std::string& formId, const Progress& progress,
                                        const std::atomic<bool>* cancel) {
  auto ds = std::unique_ptr<Dataset>(new Dataset());
  ds->m_vars = unionVariables(store, formId);
  ds->m_versionCount = ds->m_vars.versions.size();
  ds->m_cols.resize(ds->m_vars.vars.size());
  for (size_t i = 0; i < ds->m_vars.vars.size(); ++i) {
    const Variable& v = ds->m_vars.vars[i];
    Column& c = ds->m_cols[i];
    c.dict.push_back(nullptr);
    c.active = v.repeat.empty() && v.type != FieldType::Repeat;
    if (isSelect(v.type))
      for (const auto& ch : v.choices) c.intern(ch.name);
    if (v.type == FieldType::SelectMultiple)
      for (std::uint32_t k = 0; k < c.size(); ++k) c.parts.push_back(k == 0 ? std::vector<int>{} : std::vector<int>{int(k - 1)});
  }
  ds->user("");
  std::int64_t total = 0;
  if (progress) {
    for (const auto& [st, n] : store.countByStatus(formId)) total += n;
  }
  std::int64_t done = 0;
  struct Stop {};
  try {
    store.forEachRecord(formId, true, [&](const Record& r) {
      if (cancel && cancel->load(std::memory_order_relaxed)) throw Stop{};
      ds->apply(r);
      if (progress && (++done & 0xFFFF) == 0) progress(done, total);
    });
  } catch (const Stop&) {
    ds->m_cancelled = true;
  }
  if (progress) progress(done, total);
  return ds;
}

void Dataset::apply(const Record& r) {
  RecordId key{};
  std::size_t row;
  bool odd = !parseUuid(r.id, key);
  std::size_t n = m_version.size();
  if (!odd) {
    auto [it, inserted] = m_rowOf.try_emplace(key, static_cast<std::uint32_t>(n));
    row = it->second;
  } else {
    auto [it, inserted] = m_oddRowOf.try_emplace(r.id, static_cast<std::uint32_t>(n));
    row = it->second;
    if (inserted) m_oddIds[static_cast<std::uint32_t>(n)] = r.id;
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
  }
  put(row, r);
  if (r.updatedAt > m_watermark) m_watermark = r.updatedAt;
}

void Dataset::put(std::size_t row, const Record& r) {
  m_version[row] = static_cast<std::int16_t>(r.formVersion);
  m_flags[row] = (r.deleted ? kDeleted : 0) | (r.status == store::RecordStatus::Final ? kFinal : 0);
  auto stamp = [&](const std::string& s, bool updated) {
    std::int64_t t = parseStamp(s);
    if (t == kOddTime) m_oddTimes[(row << 1) | (updated ? 1 : 0)] = s;
    return t;
  };
  m_createdAt[row] = stamp(r.createdAt, false);
  m_updatedAt[row] = stamp(r.updatedAt, true);
  m_createdBy[row] = user(r.createdBy);
  m_updatedBy[row] = user(r.updatedBy);
  for (size_t i = 0; i < m_cols.size(); ++i)
    if (m_cols[i].active) m_cols[i].codes[row] = 0;
  const auto* names = m_vars.namesOf(r.formVersion);
  if (!names || !r.values.is_object()) return;
  for (auto it = r.values.begin(); it != r.values.end(); ++it) {
    auto nt = names->find(it.key());
    if (nt == names->end()) continue;
    Column& c = m_cols[nt->second];
    if (!c.active) continue;
    std::uint32_t before = c.size();
    std::uint32_t code = c.intern(it.value());
    c.codes[row] = code;
    if (code == before && m_vars.vars[nt->second].type == FieldType::SelectMultiple) {
      // A new combination: split it into choices.
      const Variable& var = m_vars.vars[nt->second];
      std::vector<int> parts;
      if (it.value().is_string()) {
        const std::string& s = it.value().get_ref<const std::string&>();
        size_t p = 0;
        while (p < s.size()) {
          size_t q = s.find(' ', p);
          if (q == std::string::npos) q = s.size();
          if (q > p) {
            std::string name = s.substr(p, q - p);
            int k = var.choiceIndex(name);
            if (k < 0) {
              auto e = std::find(c.extraChoices.begin(), c.extraChoices.end(), name);
              k = static_cast<int>(var.choices.size() + (e - c.extraChoices.begin()));
              if (e == c.extraChoices.end()) c.extraChoices.push_back(name);
            }
            if (std::find(parts.begin(), parts.end(), k) == parts.end()) parts.push_back(k);
          }
          p = q + 1;
        }
      }
      c.parts.push_back(std::move(parts));
    }
  }
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
  if (auto it = m_oddIds.find(static_cast<std::uint32_t>(row)); it != m_oddIds.end()) return it->second;
  return formatUuid(m_ids[row]);
}

std::string Dataset::createdAt(std::size_t row) const {
  if (m_createdAt[row] == kOddTime) return m_oddTimes.at(row << 1);
  return formatStamp(m_createdAt[row]);
}

std::string Dataset::updatedAt(std::size_t row) const {
  if (m_updatedAt[row] == kOddTime) return m_oddTimes.at((row << 1) | 1);
  return formatStamp(m_updatedAt[row]);
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
