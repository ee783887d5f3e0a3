// Drives the real entry view headless: keyboard input frame by frame, then
// checks the values JSON the store would receive.
#include <doctest/doctest.h>

#include <memory>

#include "form/form_catalog.h"
#include "harness.h"
#include "imgui_internal.h"
#include "keys.h"
#include "views/entry_logic.h"
#include "views/entry_view.h"

using namespace skema;
using namespace skema::ui;
namespace k = skema::ui::keys;

namespace {

std::shared_ptr<const Form> loadTestForm() {
  Diagnostics diags;
  auto cat = loadFormCatalog({SKEMA_UI_TEST_DATA "/visit_test.v1.json"}, diags);
  REQUIRE(cat.forms.size() == 1);
  return cat.forms[0];
}

struct Fixture {
  test::Harness h;
  std::shared_ptr<const Form> form = loadTestForm();
  std::unique_ptr<EntryLogic> logic;
  EntryView view;
  EntryAction last = EntryAction::None;
  explicit Fixture(bool withLogic = true) {
    if (withLogic) {
      logic = makeEntryLogic(*form, "da", h.ctx.tr);
      view.logic = logic.get();
    }
    view.open(form);
    draw();
    draw();
  }
  void draw() {
    h.frame([&] { step(); });
  }
  void step() {
    auto a = view.draw(h.ctx);
    if (a != EntryAction::None) last = a;
  }
  void key(int kk, bool ctrl = false, bool shift = false) {
    h.key(kk, [&] { step(); }, ctrl, shift);
  }
  void type(const std::string& s) {
    h.type(s, [&] { step(); });
  }
};

}  // namespace

TEST_CASE("entry: the first field has the focus on open") {
  Fixture f;
  CHECK(f.view.focusedKey() == "visit_date");
  CHECK(ImGui::GetActiveID() != 0);  // the date input is active: typing goes there
}

TEST_CASE("entry: a record typed by keyboard only") {
  Fixture f;
  f.type("26-11-2026");
  CHECK(f.view.values["visit_date"] == "2026-11-26");
  f.key(k::kTab);
  CHECK(f.view.focusedKey() == "office");
  f.type("2");
  CHECK(f.view.values["office"] == "ode");
  f.key(k::kTab);
  CHECK(f.view.focusedKey() == "municipality");
  f.type("brø");  // type-ahead over the long list
  f.key(k::kEnter);
  CHECK(f.view.values["municipality"] == "153");
  CHECK(f.view.focusedKey() == "contacts");
  f.type("12");
  f.key(k::kEnter);
  CHECK(f.view.values["contacts"] == 12);
  CHECK(f.view.values["total"] == 24);  // calculation, live
  CHECK(f.view.focusedKey() == "topics");
  f.type("1");
  f.type("3");
  f.type("3");
  f.type("3");
  CHECK(f.view.values["topics"] == "health money");
  f.key(k::kTab);
  CHECK(f.view.focusedKey() == "referred");
  f.type("1");
  CHECK(f.view.values["referred"] == "yes");
  f.key(k::kTab);
  CHECK(f.view.focusedKey() == "referral_to");
  f.type("Kommunens sagsbehandler");
  f.key(k::kEnter);
  CHECK(f.view.values["referral_to"] == "Kommunens sagsbehandler");
  CHECK(f.view.focusedKey() == "wellbeing");
  f.type("7");
  CHECK(f.view.values["wellbeing"] == 7);
  f.key(k::kRight);
  CHECK(f.view.values["wellbeing"] == 8);
  f.key(k::kTab);
  CHECK(f.view.focusedKey() == "notes");
  f.type("Første linje");
  f.key(k::kEnter);  // Enter in a multiline note is a new line, not "next field"
  CHECK(f.view.focusedKey() == "notes");
  f.type("Anden linje");
  CHECK(f.view.values["notes"] == "Første linje\nAnden linje");
  f.key(k::kTab);
  CHECK(f.view.focusedKey() == "people#add");
  f.key(k::kEnter);  // adds an instance and focuses its first field
  CHECK(f.view.focusedKey() == "people#0/code");
  f.type("ABCD-1234");
  f.key(k::kTab);
  CHECK(f.view.focusedKey() == "people#0/age");
  f.type("34");
  f.key(k::kTab);
  CHECK(f.view.focusedKey() == "people#add");

  nlohmann::json expected = {
      {"visit_date", "2026-11-26"}, {"office", "ode"},       {"municipality", "153"},
      {"contacts", 12},             {"total", 24},           {"topics", "health money"},
      {"referred", "yes"},          {"referral_to", "Kommunens sagsbehandler"},
      {"wellbeing", 8},             {"notes", "Første linje\nAnden linje"},
      {"people", {{{"code", "ABCD-1234"}, {"age", 34}}}}};
  CHECK(f.view.values == expected);
  CHECK(f.view.dirty);

  // Shift+Tab walks back.
  f.key(k::kTab, false, true);
  CHECK(f.view.focusedKey() == "people#0/age");

  // Ctrl+S asks the workbench to finalise.
  f.key(k::kS, true);
  CHECK(f.last == EntryAction::Finalise);
}

TEST_CASE("entry: Tab skips a field that is not relevant, and relevance hides it live") {
  Fixture f;
  f.view.focusField("referred");
  f.draw();
  f.type("2");  // no
  CHECK(f.view.values["referred"] == "no");
  f.key(k::kTab);
  CHECK(f.view.focusedKey() == "wellbeing");
  // Back to yes: the field appears and Tab reaches it.
  f.key(k::kTab, false, true);
  CHECK(f.view.focusedKey() == "referred");
  f.type("1");
  f.key(k::kTab);
  CHECK(f.view.focusedKey() == "referral_to");
}

TEST_CASE("entry: dates are typed the way people write them") {
  Fixture f;
  f.type("i dag");
  CHECK(f.view.values["visit_date"].is_string());
  CHECK(f.view.values["visit_date"].get<std::string>().size() == 10);
  f.key(k::kTab);  // leaving the field shows the stored form
  f.key(k::kTab, false, true);
  CHECK(f.view.focusedKey() == "visit_date");
}

TEST_CASE("entry: an unreadable number gives an inline message and no value") {
  Fixture f;
  f.view.focusField("contacts");
  f.draw();
  f.type("1.5");  // not a whole number
  CHECK_FALSE(f.view.values.contains("contacts"));
  CHECK(f.view.messages.count("contacts") == 1);
  // Validation before finalising: required date and the bad number.
  f.view.values.erase("visit_date");
  CHECK(f.view.validate(f.h.ctx) >= 2);
  CHECK(f.view.messages.count("visit_date") == 1);
}

TEST_CASE("entry: Ctrl+N and Esc") {
  Fixture f;
  f.key(k::kN, true);
  CHECK(f.last == EntryAction::New);
  f.key(k::kTab);  // leave the text field so Esc is not an edit cancel
  f.last = EntryAction::None;
  f.key(k::kEscape);
  CHECK(f.last == EntryAction::Leave);
}

TEST_CASE("entry: repeat instances are added, reordered and removed") {
  Fixture f;
  f.view.focusField("people#add");
  f.draw();
  f.key(k::kEnter);
  f.type("AAAA-1111");
  f.key(k::kTab);
  f.key(k::kTab);
  CHECK(f.view.focusedKey() == "people#add");
  f.key(k::kEnter);
  f.type("BBBB-2222");
  REQUIRE(f.view.values["people"].size() == 2);
  // Alt+Up moves the current instance up.
  f.h.key(k::kUp, [&] { f.step(); }, false, false, true);
  CHECK(f.view.values["people"][0]["code"] == "BBBB-2222");
  CHECK(f.view.values["people"][1]["code"] == "AAAA-1111");
  // Ctrl+Delete removes the instance with the focus.
  f.key(k::kDelete, true);
  REQUIRE(f.view.values["people"].size() == 1);
  CHECK(f.view.values["people"][0]["code"] == "AAAA-1111");
}

TEST_CASE("entry: works without form logic (all fields shown)") {
  Fixture f(false);
  f.view.focusField("referral_to");
  f.draw();
  CHECK(f.view.focusedKey() == "referral_to");
}
