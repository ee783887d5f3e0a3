// The record store as a plugin RecordSource: what skema_host_api.query_records
// reads in the program. Delivers the final, non-deleted records of a form
// (all form versions, creation order) as the compact JSON skema/plugin.h
// documents:
//   {"id","form","version","status","person","created_at","values"}
// Drafts and tombstoned records never reach a plugin. `formId` "" walks
// every form the workspace has published.
#pragma once
#include <string>

#include "plugin/record_source.h"

namespace skema::store {
class Store;
struct Record;
}  // namespace skema::store

namespace skema::plugin {

class StoreRecordSource : public RecordSource {
 public:
  // The store is not owned and must outlive this source. Store is not
  // const-correct for reads, hence the non-const reference.
  explicit StoreRecordSource(store::Store& store) : m_store(store) {}
  // Throws store::StoreError when the workspace cannot be read.
  void forEachRecord(const std::string& formId,
                     const std::function<bool(const std::string& recordJson)>& fn) const override;

  // The ABI's JSON for one record (compact).
  static std::string recordJson(const store::Record& r);

 private:
  store::Store& m_store;
};

}  // namespace skema::plugin
