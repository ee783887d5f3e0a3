// The record browser: a form's records across versions in one table
// (ImGuiListClipper; rows fetched from the store page by page as they
// scroll into view), sortable columns, free-text filter, status and
// version columns. Enter or double-click opens a record.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "form/form.h"
#include "store/store.h"
#include "ui_context.h"

namespace skema::ui {

struct BrowserView {
  std::string formId;
  std::shared_ptr<const Form> form;    // latest version: column titles
  std::vector<const Field*> columns;   // value fields shown as columns
  bool hasPersonCode = false;          // a top-level person_code field
  std::string filter;                  // as typed
  std::string appliedFilter;           // as queried
  std::string statusFilter;            // "", "draft", "final"
  std::string sortBy;                  // store sort key, "" = creation order
  bool descending = false;
  std::int64_t total = -1;
  std::int64_t selected = -1;          // row index
  double filterEditTime = 0;
  bool stale = true;
  bool focusFilter = false;
  bool focusTable = true;
  // Rows [cacheOffset, cacheOffset + cache.size()) of the current query.
  std::int64_t cacheOffset = 0;
  std::vector<store::Record> cache;
  std::string error;
  double lastQueryMs = 0;

  struct Result {
    enum class Kind { None, Open, New, Leave } kind = Kind::None;
    std::string recordId;
  };
  void open(const std::string& id, std::shared_ptr<const Form> f);
  // Drops cached rows (after a save).
  void invalidate() { stale = true; }
  Result draw(UiContext& ctx, store::Store& store);

 private:
  store::RecordQuery query() const;
  const store::Record* row(store::Store& store, std::int64_t index, std::int64_t first, std::int64_t last);
};

}  // namespace skema::ui
