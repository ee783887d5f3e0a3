// The designer view headless: a new small form built by keyboard, a label
// and a relevant expression typed (with ${ completion), the live preview
// hiding and showing the field, Keep draft and Publish into a temporary
// workspace (the stored version and the written file).
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "harness.h"
#include "keys.h"
#include "store/sqlite_store.h"
#include "views/designer_view.h"
#include "views/workbench_view.h"

using namespace skema;
using namespace skema::ui;
namespace k = skema::ui::keys;
namespace fs = std::filesystem;

namespace {

bool hasStop(const EntryView& v, const std::string& key) {
  for (const auto& s : v.stops)
    if (s.key == key) return true;
  return false;
}

// The workbench's strings in English (the harness starts in Danish).
Translator english(const UiContext& ctx) {
  Translator t = ctx.tr;
  t.setLanguage("en");
  return t;
}

struct DvFixture {
  test::Harness h{1500, 900};
  fs::path dir;
  std::unique_ptr<store::SqliteStore> st;
  DesignerView dv;
  DvFixture() {
    dir = fs::temp_directory_path() / ("skema_ui_dv_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    st = store::SqliteStore::create((dir / "ws.skema").string());
    dv.store = st.get();
    dv.formsRoot = (dir / "forms").string();
    dv.who.user = "TP";
  }
  ~DvFixture() {
    dv.preview.logic = nullptr;
    fs::remove_all(dir);
  }
  void frames(int n = 1) {
    for (int i = 0; i < n; ++i) h.frame([&] { dv.draw(h.ctx); });
  }
  void key(int kk, bool ctrl = false) {
    h.key(kk, [&] { dv.draw(h.ctx); }, ctrl);
  }
  void type(const std::string& s) {
    h.type(s, [&] { dv.draw(h.ctx); });
  }
  const nlohmann::json& field(const std::string& name) { return *dv.editor->findField(name); }
};

}  // namespace

TEST_CASE("designer: a new form by keyboard, a label and a relevant expression, preview, keep, publish") {
  DvFixture f;
  f.dv.openNew("test.small", {{"da", "Lille"}, {"en", "Small"}});
  f.frames(2);
  CHECK(designerVersionLine(f.dv, english(f.h.ctx)) == "Draft of version 1 (new form)");
  CHECK(designerVersionLine(f.dv, f.h.ctx.tr) == "Udkast til version 1 (ny formular)");
  CHECK(f.dv.editor->hasErrors());  // no fields yet

  // Two fields with Insert: an integer, then a text after it.
  f.dv.addType = "integer";
  f.key(k::kInsert);
  REQUIRE(f.dv.editor->fieldNames().size() == 1);
  const std::string age = f.dv.selected;
  CHECK(f.field(age)["type"] == "integer");
  f.dv.addType = "text";
  f.key(k::kInsert);
  REQUIRE(f.dv.editor->fieldNames().size() == 2);
  const std::string note = f.dv.selected;
  CHECK(f.dv.editor->fieldNames() == std::vector<std::string>{age, note});
  CHECK_FALSE(f.dv.editor->hasErrors());

  // Ctrl+D duplicates, Delete deletes; Ctrl+Up moves.
  f.key(k::kD, true);
  CHECK(f.dv.editor->fieldNames().size() == 3);
  f.key(k::kDelete);
  CHECK(f.dv.editor->fieldNames().size() == 2);
  f.dv.selected = note;
  f.key(k::kUp, true);
  CHECK(f.dv.editor->fieldNames() == std::vector<std::string>{note, age});
  f.key(k::kDown, true);
  CHECK(f.dv.editor->fieldNames() == std::vector<std::string>{age, note});

  // The Danish label, typed into the property panel.
  f.dv.focusProperty("label.da");
  f.frames(2);
  f.type("Bemærkning");
  f.key(k::kEnter);
  CHECK(f.field(note)["label"]["da"] == "Bemærkning");

  // The relevant expression: `${` offers names, Tab inserts one.
  f.dv.focusProperty("relevant");
  f.frames(2);
  f.type("${" + age.substr(0, 3));
  CHECK(f.dv.m_completeShown);
  f.key(k::kTab);
  f.type(" > 17 and ${" + note.substr(0, 2));
  CHECK(f.dv.m_completeShown);
  f.key(k::kEnter);  // Enter inserts too
  CHECK(f.field(note)["relevant"] == "${" + age + "} > 17 and ${" + note + "}");
  f.dv.focusProperty("relevant");
  f.frames(2);
  for (int i = 0; i < 8 + static_cast<int>(note.size()); ++i) f.key(k::kBackspace);
  CHECK(f.field(note)["relevant"] == "${" + age + "} > 17");
  f.key(k::kEnter);
  CHECK(f.field(note)["relevant"] == "${" + age + "} > 17");
  CHECK_FALSE(f.dv.editor->hasErrors());

  // The preview: the text is hidden until the age is over 17.
  f.frames(2);
  REQUIRE(f.dv.previewForm);
  CHECK(hasStop(f.dv.preview, age));
  CHECK_FALSE(hasStop(f.dv.preview, note));
  f.dv.preview.values[age] = 20;
  f.dv.preview.markChanged(f.dv.previewForm->findField(age));
  f.frames(2);
  CHECK(hasStop(f.dv.preview, note));
  f.dv.preview.values[age] = 12;
  f.dv.preview.markChanged(f.dv.previewForm->findField(age));
  f.frames(2);
  CHECK_FALSE(hasStop(f.dv.preview, note));

  // An edit rebuilds the preview; the test record is kept, never stored.
  f.dv.selected = note;
  f.dv.focusProperty("relevant");
  f.frames(2);
  f.key(k::kEnd);
  f.key(k::kBackspace);
  f.key(k::kBackspace);
  f.type("10");
  f.key(k::kEnter);
  CHECK(f.field(note)["relevant"] == "${" + age + "} > 10");
  f.frames(2);
  CHECK(hasStop(f.dv.preview, note));
  store::RecordQuery q;
  q.formId = "test.small";
  CHECK(f.st->query(q).total == 0);

  // Keep draft (Ctrl+S): the workspace holds the draft.
  f.key(k::kS, true);
  auto draft = f.st->formDraft("test.small");
  REQUIRE(draft);
  CHECK_FALSE(f.dv.statusIsError);

  // Publish through the dialog (Enter confirms).
  f.dv.confirmPublish = true;
  f.frames(2);
  f.key(k::kEnter);
  CHECK_FALSE(f.dv.statusIsError);
  REQUIRE(f.st->latestFormVersion("test.small"));
  CHECK(*f.st->latestFormVersion("test.small") == 1);
  auto stored = f.st->form("test.small", 1);
  REQUIRE(stored);
  REQUIRE(stored->findField(note));
  CHECK(stored->findField(note)->relevant == "${" + age + "} > 10");
  const fs::path file = f.dir / "forms" / "test" / "small.v1.json";
  REQUIRE(fs::exists(file));
  std::ifstream in(file);
  std::stringstream ss;
  ss << in.rdbuf();
  auto written = nlohmann::json::parse(ss.str());
  CHECK(written["id"] == "test.small");
  CHECK(written["fields"][1]["label"]["da"] == "Bemærkning");
  CHECK_FALSE(f.st->formDraft("test.small"));
  // The designer goes on with the draft of version 2.
  CHECK(designerVersionLine(f.dv, english(f.h.ctx)) == "Draft of version 2 (latest published: 1)");
  f.frames(2);
}

TEST_CASE("designer: a draft with errors is refused; expressions are checked as typed") {
  DvFixture f;
  f.dv.openNew("test.bad", {{"da", "Fejl"}, {"en", "Bad"}});
  f.dv.addType = "text";
  f.key(k::kInsert);
  const std::string name = f.dv.selected;
  f.dv.focusProperty("relevant");
  f.frames(2);
  f.type("${nope} = 1");
  f.key(k::kEnter);
  CHECK(f.dv.editor->hasErrors());
  CHECK_FALSE(f.dv.publish());
  CHECK_FALSE(f.dv.publishErrors.empty());
  CHECK_FALSE(f.st->latestFormVersion("test.bad"));
  const auto names = f.dv.editor->fieldNames();
  CHECK(checkExpression("${nope} = 1", names, english(f.h.ctx)) == "unknown field ${nope}");
  CHECK(checkExpression("${" + name + "} = ", names, english(f.h.ctx)).rfind("column", 0) == 0);
  CHECK(checkExpression("${" + name + "} = 'x'", names, english(f.h.ctx)).empty());
  f.frames(2);
}

TEST_CASE("designer: opened from the workbench on a published form, with a diff") {
  test::Harness h{1500, 900};
  Workbench wb;
  fs::path dir = fs::temp_directory_path() / ("skema_ui_dvwb_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  wb.ctx = h.ctx;
  wb.loadShippedForms({SKEMA_UI_TEST_DATA});
  REQUIRE(wb.openWorkspace((dir / "ws.skema").string(), true));
  REQUIRE(wb.openView("designer:uitest.visit"));
  CHECK(wb.mode == Workbench::Mode::Designer);
  auto frames = [&](int n) {
    for (int i = 0; i < n; ++i) h.rawFrame([&] { wb.draw(); });
  };
  frames(3);
  CHECK(designerVersionLine(*wb.designer, english(wb.ctx)) == "Draft of version 2 (latest published: 1)");
  REQUIRE(wb.designer->addField("decimal"));
  const size_t withAdded = wb.designer->editor->fieldNames().size();
  wb.designer->showDiff = true;
  frames(3);
  REQUIRE(wb.designer->diff);
  bool added = false;
  for (const auto& c : wb.designer->diff->changes) added = added || c.kind == design::ChangeKind::FieldAdded;
  CHECK(added);
  // Esc leaves and keeps the unsaved draft; opening again finds it.
  ImGui::GetIO().KeysDown[k::kEscape] = true;
  frames(1);
  ImGui::GetIO().KeysDown[k::kEscape] = false;
  frames(1);
  CHECK(wb.mode == Workbench::Mode::Home);
  REQUIRE(wb.store->formDraft("uitest.visit"));
  REQUIRE(wb.openView("designer:uitest.visit"));
  CHECK(wb.designer->editor->fieldNames().size() == withAdded);
  // File → Design new form: a new form, version 1, under a free id.
  REQUIRE(wb.openView("designer:new"));
  CHECK(wb.designer->editor->definition()["id"] == "new.form");
  CHECK(designerVersionLine(*wb.designer, english(wb.ctx)) == "Draft of version 1 (new form)");
  frames(2);
  wb.designer->preview.logic = nullptr;
  wb.entry.logic = nullptr;
  fs::remove_all(dir);
}

TEST_CASE("designer: a new choice is named in the choice table, the form panel sets description and languages") {
  DvFixture f;
  f.dv.openNew("test.choices", {{"da", "Valg"}, {"en", "Choices"}});
  f.frames(2);
  f.dv.addType = "select_one";
  f.key(k::kInsert);
  const std::string field = f.dv.selected;
  const std::string list = f.field(field)["choices"];
  const nlohmann::json* choices = &f.dv.editor->definition()["choices"][list];
  REQUIRE(choices->size() == 1);
  const std::string first = (*choices)[0]["name"];

  // The name cell of a choice new in this draft is an input: type a real name.
  f.dv.focusProperty("choice." + list + "." + first + ".name");
  f.frames(2);
  f.key(k::kA, true);  // select the old name
  f.type("street");
  f.key(k::kEnter);
  choices = &f.dv.editor->definition()["choices"][list];
  CHECK((*choices)[0]["name"] == "street");
  CHECK_FALSE(f.dv.editor->hasErrors());

  // The form's own properties: no field selected.
  f.dv.selected.clear();
  f.frames(2);
  f.dv.focusProperty("form.description.da");
  f.frames(2);
  f.type("Kort");
  f.frames(1);
  CHECK(f.dv.editor->definition()["description"]["da"] == "Kort");
  f.dv.focusProperty("form.languages");
  f.frames(2);
  f.key(k::kA, true);
  f.type("da");
  f.key(k::kEnter);
  CHECK(f.dv.editor->definition()["languages"] == nlohmann::json::array({"da"}));
}
