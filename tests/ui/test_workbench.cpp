// The whole workbench headless, on a real SQLite workspace: draft autosave,
// finalise, the record browser, reopening a record, the draft offer.
#include <doctest/doctest.h>

#include <filesystem>

#include "workbench_fixture.h"
#include "keys.h"
#include "store/store.h"
#include "views/workbench_view.h"

using namespace skema;
using namespace skema::ui;
namespace k = skema::ui::keys;
namespace fs = std::filesystem;

namespace {

struct WbFixture : test::WorkbenchFixture {
  WbFixture() : WorkbenchFixture("skema_ui_wb") {}
  store::Page records(std::optional<store::RecordStatus> st = {}) {
    store::RecordQuery q;
    q.formId = "uitest.visit";
    q.status = st;
    return wb.store->query(q);
  }
};

}  // namespace

TEST_CASE("workbench: the navigation lists the test form; a workspace is created with it published") {
  WbFixture f;
  REQUIRE(f.wb.forms.size() == 1);
  CHECK(f.wb.forms[0]->id == "uitest.visit");
  CHECK(f.wb.store->latestFormVersion("uitest.visit") == 1);
  f.frames(3);
}

TEST_CASE("workbench: a draft is saved within a second of a change, finalise saves the record") {
  WbFixture f;
  REQUIRE(f.wb.openView("entry:uitest.visit"));
  f.frames(3);
  f.type("26-11-2026");
  f.key(k::kTab);
  f.type("1");
  CHECK(f.records().total == 0);
  f.frames(60);  // one second at 60 fps
  auto drafts = f.records(store::RecordStatus::Draft);
  REQUIRE(drafts.total == 1);
  CHECK(drafts.records[0].values["office"] == "cph");
  CHECK(drafts.records[0].values["visit_date"] == "2026-11-26");
  CHECK(drafts.records[0].createdBy == "TP");

  f.key(k::kS, true);  // Ctrl+S
  auto finals = f.records(store::RecordStatus::Final);
  REQUIRE(finals.total == 1);
  CHECK(finals.records[0].id == drafts.records[0].id);  // the draft became final
  CHECK(f.records().total == 1);
  // Ready for the next record.
  CHECK(f.wb.mode == Workbench::Mode::Entry);
  CHECK(f.wb.entry.recordId.empty());
  CHECK_FALSE(f.wb.entry.statusIsError);
}

TEST_CASE("workbench: finalise refuses a record with a missing required field and keeps the values") {
  WbFixture f;
  REQUIRE(f.wb.openView("entry:uitest.visit"));
  f.frames(3);
  f.type("26-11-2026");
  f.key(k::kS, true);
  CHECK(f.records(store::RecordStatus::Final).total == 0);
  CHECK(f.wb.entry.statusIsError);
  CHECK(f.wb.entry.messages.count("office") == 1);
  CHECK(f.wb.entry.focusedKey() == "office");
  CHECK(f.wb.entry.values["visit_date"] == "2026-11-26");
}

TEST_CASE("workbench: the browser lists records; Enter opens the selected one; a draft is offered") {
  WbFixture f;
  store::Actor who{"TP", ""};
  for (int i = 0; i < 3; ++i) {
    store::Record r;
    r.formId = "uitest.visit";
    r.formVersion = 1;
    r.status = store::RecordStatus::Final;
    r.values = {{"visit_date", "2026-11-2" + std::to_string(i)}, {"office", "ode"}, {"contacts", i}};
    f.wb.store->save(r, who);
  }
  REQUIRE(f.wb.openView("browser:uitest.visit"));
  f.frames(3);
  CHECK(f.wb.browser.total == 3);
  f.key(k::kDown);
  f.key(k::kEnter);
  CHECK(f.wb.mode == Workbench::Mode::Entry);
  CHECK_FALSE(f.wb.entry.recordId.empty());
  CHECK(f.wb.entry.isFinal);
  // Free-text filter.
  REQUIRE(f.wb.openView("browser:uitest.visit"));
  f.wb.browser.filter = "2026-11-21";
  f.frames(30);
  CHECK(f.wb.browser.total == 1);

  // A draft left behind is offered when a new record opens.
  store::Record d;
  d.formId = "uitest.visit";
  d.formVersion = 1;
  d.values = {{"office", "aar"}};
  auto saved = f.wb.store->save(d, who);
  f.wb.newRecord("uitest.visit");
  f.frames(2);
  CHECK(f.wb.entry.draftOfferId == saved.id);
  f.key(k::kD, true);  // Ctrl+D opens it
  CHECK(f.wb.entry.recordId == saved.id);
  CHECK(f.wb.entry.values["office"] == "aar");
}
