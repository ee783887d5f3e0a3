// The record browser: a form's records across versions in one table
// (ImGuiListClipper; rows fetched from the store page by page as they
// scroll into view), sortable columns, free-text filter, per-field filters
// (shown as removable chips), status and version columns. Enter or
// double-click opens a record; H (or the History button) shows the selected
// record's audit history.
//
// With a workspace path, pages and the total (a sort or a count over up to a
// million rows) are fetched on a background thread with its own store
// connection, so a frame never waits for them (at most half a frame): the
// header says "counting…" and rows not there yet show "…".
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "form/form.h"
#include "store/store.h"
#include "ui_context.h"

namespace skema::ui {

struct BrowserCounter;  // the background count (browser_view.cpp)

struct BrowserView {
  BrowserView();
  ~BrowserView();
  BrowserView(const BrowserView&) = delete;
  BrowserView& operator=(const BrowserView&) = delete;

  std::string formId;
  std::string workspacePath;           // for the worker's own connection; "" = query inline
  std::shared_ptr<const Form> form;    // latest version: column titles
  std::vector<const Field*> columns;   // value fields shown as columns
  std::vector<const Field*> filterable;  // top-level value fields offered by "+ Filter"
  bool hasPersonCode = false;          // a top-level person_code field
  std::string filter;                  // as typed
  std::string appliedFilter;           // as queried
  std::string statusFilter;            // "", "draft", "final"
  std::vector<store::FieldFilter> filters;  // per-field conditions (all must hold)
  std::string sortBy;                  // store sort key, "" = creation order
  bool descending = false;
  std::int64_t total = -1;             // -1 while counting
  bool counting = false;               // total is being counted in the background
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

  // The "+ Filter" popup's state.
  struct NewFilter {
    int field = 0;                     // index into filterable
    int op = 0;                        // index into the field's operators
    int choice = 0;                    // choice fields
    std::string value;                 // other fields, as typed
  } newFilter;

  struct Result {
    enum class Kind { None, Open, New, Leave, History } kind = Kind::None;
    std::string recordId;
  };
  void open(const std::string& id, std::shared_ptr<const Form> f);
  // Drops cached rows (after a save).
  void invalidate() { stale = true; }
  // Adds a per-field condition (as the "+ Filter" popup does).
  void addFilter(store::FieldFilter f);
  void removeFilter(size_t index);
  // "field=value", "field>=3", "field~choice" (has choice), ... joined by
  // ',' (the --view browser:FORM:filter:... spec). False if a part is not
  // understood.
  bool applyFilterSpec(const std::string& spec);
  // The record shown at row `index` if it is fetched, else nullptr.
  const store::Record* cachedRow(std::int64_t index) const;
  // A one-line description of a condition ("Kontor = København").
  std::string describe(const store::FieldFilter& f, const UiContext& ctx) const;
  // Blocks until a background count (if any) is done; for tests.
  void waitForCount();
  Result draw(UiContext& ctx, store::Store& store);
  store::RecordQuery query() const;

 private:
  const store::Record* row(store::Store& store, std::int64_t index, std::int64_t first, std::int64_t last);
  void refresh(store::Store& store);
  void pollCount(double waitMs);
  bool async() const;
  void ensureWorker();
  static constexpr std::int64_t kFirstPage = 256;
  std::int64_t m_pendingOffset = -1;   // a page asked of the worker (-1 = none)
  std::int64_t m_pendingLimit = 0;
  bool drawFilterPopup(UiContext& ctx);
  std::unique_ptr<BrowserCounter> m_counter;
  std::uint64_t m_generation = 0;      // of the current query (counts of older ones are dropped)
};

}  // namespace skema::ui
