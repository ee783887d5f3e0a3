#include "plugin/store_record_source.h"

#include <set>

#include <nlohmann/json.hpp>

#include "store/store.h"

namespace skema::plugin {

namespace {
// Thrown from inside the store's callback to stop a walk early; the store
// rolls back its read transaction as for any exception.
struct StopWalk {};
}  // namespace

std::string StoreRecordSource::recordJson(const store::Record& r) {
  nlohmann::json j = {{"id", r.id},
                      {"form", r.formId},
                      {"version", r.formVersion},
                      {"status", store::statusName(r.status)},
                      {"person", r.personCode},
                      {"created_at", r.createdAt},
                      {"values", r.values.is_object() ? r.values : nlohmann::json::object()}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void StoreRecordSource::forEachRecord(const std::string& formId,
                                      const std::function<bool(const std::string&)>& fn) const {
  std::vector<std::string> forms;
  if (!formId.empty()) {
    forms.push_back(formId);
  } else {
    std::set<std::string> ids;
    for (const auto& v : m_store.formVersions()) ids.insert(v.formId);
    forms.assign(ids.begin(), ids.end());
  }
  for (const auto& id : forms) {
    try {
      m_store.forEachRecord(id, false, [&](const store::Record& r) {
        if (r.deleted || r.status != store::RecordStatus::Final) return;
        if (!fn(recordJson(r))) throw StopWalk{};
      });
    } catch (const StopWalk&) {
      return;
    }
  }
}

}  // namespace skema::plugin
