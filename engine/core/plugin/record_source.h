// Where the plugin query API reads records from. The host side of
// skema_host_api.query_records calls a RecordSource; the record store
// provides one, tests and headless tools use MemoryRecordSource.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace skema::plugin {

class RecordSource {
 public:
  virtual ~RecordSource() = default;
  // Calls `fn` with each record of `formId` ("" = every form) as JSON text
  //   {"id", "form", "version", "status", "person", "created_at", "values"}
  // until `fn` returns false. Throws (any std::exception) when the records
  // cannot be read; the plugin then sees SKEMA_ERROR.
  virtual void forEachRecord(const std::string& formId,
                             const std::function<bool(const std::string& recordJson)>& fn) const = 0;
};

// Records kept in memory, in insertion order.
class MemoryRecordSource : public RecordSource {
 public:
  void add(nlohmann::json record) { m_records.push_back(std::move(record)); }
  size_t size() const { return m_records.size(); }
  void forEachRecord(const std::string& formId,
                     const std::function<bool(const std::string&)>& fn) const override {
    for (const auto& r : m_records) {
      if (!formId.empty() && r.value("form", std::string()) != formId) continue;
      if (!fn(r.dump())) return;
    }
  }

 private:
  std::vector<nlohmann::json> m_records;
};

}  // namespace skema::plugin
