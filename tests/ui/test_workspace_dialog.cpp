// File → Open workspace… / New workspace…, driven by keyboard through the
// whole workbench: a typed name opens or creates a workspace; a file that
// is not a workspace gives the store's reason in the dialog and leaves the
// open workspace as it was.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "keys.h"
#include "store/sqlite_store.h"
#include "workbench_fixture.h"

using namespace skema;
using namespace skema::ui;
namespace k = skema::ui::keys;
namespace fs = std::filesystem;

TEST_CASE("workspace dialog: lists folders and workspaces, folders first, hidden ones left out") {
  test::WorkbenchFixture f("skema_ui_wsdlg_list");
  fs::create_directories(f.dir / "zeta");
  fs::create_directories(f.dir / ".hidden");
  std::ofstream(f.dir / "notes.txt") << "x";
  std::ofstream(f.dir / "b.skema") << "";
  auto entries = listWorkspaceFolder(f.dir.string());
  REQUIRE(entries.size() == 3);
  CHECK((entries[0].name == "zeta" && entries[0].isFolder));
  CHECK((entries[1].name == "b.skema" && !entries[1].isFolder));
  CHECK(entries[2].name == "ws.skema");
}

TEST_CASE("workspace dialog: Ctrl+O, a typed name and Enter open another workspace") {
  test::WorkbenchFixture f("skema_ui_wsdlg_open");
  const std::string other = (f.dir / "other.skema").string();
  store::SqliteStore::create(other);
  std::ofstream(f.dir / "notes.skema") << "not a workspace";
  f.frames(2);
  f.key(k::kO, true);
  f.frames(2);
  REQUIRE(f.wb.workspaceDialog.visible);
  CHECK(f.wb.workspaceDialog.dir == fs::weakly_canonical(f.dir).string());

  // Not a workspace: the reason shows, the dialog and the workspace stay.
  f.type("notes");
  f.key(k::kEnter);
  f.frames(1);
  CHECK(f.wb.workspaceDialog.visible);
  INFO(f.wb.workspaceDialog.error);
  CHECK(f.wb.workspaceDialog.error.find("Opret et med Filer") != std::string::npos);  // no file "notes" (no extension added)
  for (int i = 0; i < 5; ++i) f.key(k::kBackspace);
  f.type("notes.skema");
  f.key(k::kEnter);
  f.frames(1);
  CHECK(f.wb.workspaceDialog.visible);
  CHECK_FALSE(f.wb.workspaceDialog.error.empty());
  CHECK(f.wb.workspacePath == f.path);

  for (int i = 0; i < 11; ++i) f.key(k::kBackspace);
  f.type("other.skema");
  f.key(k::kEnter);
  f.frames(2);
  CHECK_FALSE(f.wb.workspaceDialog.visible);
  CHECK(f.wb.workspacePath == other);
  // The shipped (test) form was published into it on open.
  CHECK(f.wb.store->latestFormVersion("uitest.visit") == 1);
}

TEST_CASE("workspace dialog: New workspace creates one with the forms, and refuses an existing file") {
  test::WorkbenchFixture f("skema_ui_wsdlg_new");
  REQUIRE(f.wb.openView("workspace:new"));
  f.frames(2);
  f.type("ws");  // ws.skema exists: refused
  f.key(k::kEnter);
  f.frames(1);
  CHECK(f.wb.workspaceDialog.visible);
  CHECK(f.wb.workspaceDialog.error.find("ws.skema") != std::string::npos);
  f.key(k::kBackspace);
  f.key(k::kBackspace);
  f.type("second");
  f.key(k::kEnter);
  f.frames(2);
  CHECK_FALSE(f.wb.workspaceDialog.visible);
  CHECK(f.wb.workspacePath == (f.dir / "second.skema").string());
  CHECK(fs::exists(f.dir / "second.skema"));
  CHECK(f.wb.store->latestFormVersion("uitest.visit") == 1);

  // Esc closes the dialog and changes nothing.
  f.wb.openView("workspace:open");
  f.frames(2);
  CHECK(f.wb.workspaceDialog.visible);
  f.key(k::kEscape);
  f.frames(1);
  CHECK_FALSE(f.wb.workspaceDialog.visible);
  CHECK(f.wb.workspacePath == (f.dir / "second.skema").string());
}
