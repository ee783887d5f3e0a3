// The designer's model (engine/core/design/form_editor.h): every edit
// operation on a real shipped form, re-checked with loadForm after each.
#include <doctest/doctest.h>

#include "design/form_editor.h"
#include "form/form_loader.h"

using namespace skema;
using namespace skema::design;
using nlohmann::json;

namespace {

json visitV1() {
  Diagnostics diags;
  auto f = loadFormFile(std::string(SKEMA_FORMS_DIR) + "/outreach/visit.v1.json", diags);
  REQUIRE(f);
  return f->definition;
}

void requireClean(const FormEditor& ed) {
  for (const auto& d : ed.diagnostics().items())
    if (d.severity == Severity::Error) MESSAGE(d.format());
  REQUIRE(!ed.hasErrors());
  REQUIRE(ed.form());
}

std::vector<std::string> topNames(const FormEditor& ed) {
  std::vector<std::string> out;
  for (const auto& f : ed.definition()["fields"]) out.push_back(f["name"]);
  return out;
}

}  // namespace

TEST_CASE("editor: a draft of the next version") {
  json v1 = visitV1();
  v1["fields"][0]["renamed_from"] = "old_date";  // a v1 rename must not carry into v2
  auto ed = FormEditor::nextVersionOf(v1);
  CHECK(ed.definition()["version"] == 2);
  CHECK(!ed.findField("date")->contains("renamed_from"));
  CHECK(ed.baseNames().count("place_type") == 1);
  requireClean(ed);
  CHECK(ed.form()->version == 2);
}

TEST_CASE("editor: add, duplicate, delete fields") {
  auto ed = FormEditor::nextVersionOf(visitV1());
  auto r = ed.addField("text", "interview_place");
  REQUIRE(r);
  requireClean(ed);
  CHECK(topNames(ed).back() == "interview_place");
  CHECK(ed.findField("interview_place")->at("label") == json({{"da", "interview_place"}, {"en", "interview_place"}}));

  // a free name when none is given; inside a repeat at an index
  r = ed.addField("integer", "", "persons", 0);
  REQUIRE(r);
  CHECK(r.name == "integer_1");
  CHECK(ed.parentOf("integer_1") == std::optional<std::string>("persons"));
  CHECK(ed.findField("persons")->at("fields")[0]["name"] == "integer_1");
  requireClean(ed);

  // refused: a taken name, an unknown type, a parent that is not a container
  CHECK(!ed.addField("text", "notes"));
  CHECK(!ed.addField("textt", "x"));
  CHECK(!ed.addField("text", "y", "notes"));
  CHECK(ed.addField("text", "notes").error.find("exists") != std::string::npos);

  // duplicating a repeat renames every copied field and its references
  r = ed.duplicateField("persons");
  REQUIRE(r);
  CHECK(r.name == "persons_copy");
  const json* copy = ed.findField("persons_copy");
  REQUIRE(copy);
  CHECK(ed.findField("topics_copy"));
  CHECK(ed.findField("topic_other_copy")->at("relevant") == "selected(${topics_copy}, 'other')");
  CHECK(ed.findField("topic_other")->at("relevant") == "selected(${topics}, 'other')");
  auto names = topNames(ed);
  CHECK(std::find(names.begin(), names.end(), "persons_copy") - std::find(names.begin(), names.end(), "persons") == 1);
  requireClean(ed);
  r = ed.duplicateField("persons");
  CHECK(r.name == "persons_copy_2");
  requireClean(ed);

  REQUIRE(ed.deleteField("persons_copy"));
  CHECK(!ed.findField("persons_copy"));
  CHECK(!ed.findField("topics_copy"));
  CHECK(!ed.deleteField("nope"));
  requireClean(ed);
  // deleting a field others refer to leaves an error to fix, reported by the checker
  REQUIRE(ed.deleteField("visit_kind"));
  CHECK(ed.hasErrors());
  bool mentions = false;
  for (const auto& d : ed.diagnostics().items()) mentions |= d.message.find("visit_kind") != std::string::npos;
  CHECK(mentions);
  REQUIRE(ed.undo());
  requireClean(ed);
}

TEST_CASE("editor: move up, down and into groups") {
  auto ed = FormEditor::nextVersionOf(visitV1());
  auto before = topNames(ed);
  REQUIRE(ed.moveDown("date"));
  CHECK(topNames(ed)[1] == "date");
  REQUIRE(ed.moveUp("date"));
  CHECK(topNames(ed) == before);
  CHECK(!ed.moveUp("date"));
  CHECK(!ed.moveDown("notes"));

  REQUIRE(ed.addField("group", "place_group", "", 5));
  REQUIRE(ed.moveInto("place_type", "place_group"));
  REQUIRE(ed.moveInto("place_type_other", "place_group"));
  CHECK(ed.parentOf("place_type") == std::optional<std::string>("place_group"));
  CHECK(ed.findField("place_group")->at("fields").size() == 2);
  requireClean(ed);
  // order inside the group, and back out to the top level at an index
  REQUIRE(ed.moveUp("place_type_other"));
  CHECK(ed.findField("place_group")->at("fields")[0]["name"] == "place_type_other");
  REQUIRE(ed.moveInto("place_type_other", "", 0));
  CHECK(topNames(ed)[0] == "place_type_other");
  // a group into itself or its own child: refused
  REQUIRE(ed.addField("group", "inner", "place_group"));
  CHECK(!ed.moveInto("place_group", "inner"));
  CHECK(!ed.moveInto("place_group", "place_group"));
  CHECK(!ed.moveInto("date", "notes"));  // not a container
  REQUIRE(ed.moveInto("inner", ""));
  REQUIRE(ed.deleteField("inner"));
  requireClean(ed);
}

TEST_CASE("editor: rename records renamed_from and follows references") {
  auto ed = FormEditor::nextVersionOf(visitV1());
  REQUIRE(ed.renameField("place_type", "place_kind"));
  requireClean(ed);
  const json* f = ed.findField("place_kind");
  REQUIRE(f);
  CHECK(f->at("renamed_from") == "place_type");
  CHECK(ed.findField("place_type_other")->at("relevant") == "${place_kind} = 'other'");
  CHECK(ed.findField("clinic_ref")->at("relevant") == "${place_kind} = 'massage_clinic'");
  CHECK(ed.form()->findField("place_kind")->renamedFrom == "place_type");
  // renamed twice: still from the base version's name
  REQUIRE(ed.renameField("place_kind", "place_kind2"));
  CHECK(ed.findField("place_kind2")->at("renamed_from") == "place_type");
  // renamed back: no rename any more
  REQUIRE(ed.renameField("place_kind2", "place_type"));
  CHECK(!ed.findField("place_type")->contains("renamed_from"));
  // a field new in this draft has no earlier name
  REQUIRE(ed.addField("text", "fresh"));
  REQUIRE(ed.renameField("fresh", "fresher"));
  CHECK(!ed.findField("fresher")->contains("renamed_from"));
  CHECK(!ed.renameField("fresher", "notes"));
  CHECK(!ed.renameField("nope", "x"));
  requireClean(ed);
}

TEST_CASE("editor: set properties") {
  auto ed = FormEditor::nextVersionOf(visitV1());
  REQUIRE(ed.setProperty("notes", "required", true));
  CHECK(ed.form()->findField("notes")->isRequiredAlways());
  REQUIRE(ed.setProperty("notes", "relevant", "${people_met} > 0"));
  CHECK(ed.form()->findField("notes")->relevant == "${people_met} > 0");
  REQUIRE(ed.setProperty("notes", "hint", json()));  // null removes
  CHECK(!ed.findField("notes")->contains("hint"));
  REQUIRE(ed.setProperty("duration_minutes", "type", "decimal"));
  CHECK(ed.form()->findField("duration_minutes")->type == FieldType::Decimal);
  CHECK(!ed.setProperty("notes", "lable", "x"));
  CHECK(!ed.setProperty("notes", "name", "x"));
  CHECK(!ed.setProperty("notes", "fields", json::array()));
  requireClean(ed);
  // an expression with an unknown reference is applied and reported
  REQUIRE(ed.setProperty("notes", "relevant", "${peple_met} > 0"));
  CHECK(ed.hasErrors());
  CHECK(ed.diagnostics().items().front().message.find("people_met") != std::string::npos);
  REQUIRE(ed.undo());
  requireClean(ed);
  REQUIRE(ed.redo());
  CHECK(ed.hasErrors());
  REQUIRE(ed.undo());
  REQUIRE(ed.setFormProperty("title", json({{"da", "Besøg"}, {"en", "Visit"}})));
  CHECK(ed.form()->title.at("en") == "Visit");
  CHECK(!ed.setFormProperty("format", "x"));
  requireClean(ed);
}

TEST_CASE("editor: choice lists") {
  auto ed = FormEditor::nextVersionOf(visitV1());
  REQUIRE(ed.addChoice("place_types", "hotel", {{"en", "Hotel"}, {"da", "Hotel"}}));
  const ChoiceList* l = ed.form()->findChoices("place_types");
  REQUIRE(l);
  CHECK(l->choices.back().name == "hotel");
  CHECK(!ed.addChoice("place_types", "hotel"));
  CHECK(!ed.addChoice("place_types", "with space"));
  REQUIRE(ed.moveChoice("place_types", "hotel", 0));
  CHECK(ed.form()->findChoices("place_types")->choices.front().name == "hotel");
  REQUIRE(ed.setChoiceLabel("place_types", "hotel", "da", "Hotel eller lejlighed"));
  CHECK(ed.form()->findChoices("place_types")->choices.front().label.at("da") == "Hotel eller lejlighed");
  REQUIRE(ed.removeChoice("place_types", "bar"));
  CHECK(!ed.form()->findChoices("place_types")->find("bar"));
  CHECK(!ed.removeChoice("place_types", "bar"));
  requireClean(ed);

  // import a pasted list into a new list, then use it
  auto r = ed.importChoices("visit_modes", "in_person\tFysisk\tIn person\n\nphone; Telefon; Phone\nVideo og chat\nphone\n");
  REQUIRE(r);
  CHECK(r.name == "4");
  const json& list = ed.definition()["choices"]["visit_modes"];
  REQUIRE(list.size() == 4);
  CHECK(list[0] == json({{"name", "in_person"}, {"label", {{"da", "Fysisk"}, {"en", "In person"}}}}));
  CHECK(list[1]["label"]["en"] == "Phone");
  CHECK(list[2]["name"] == "video_og_chat");
  CHECK(list[2]["label"]["en"] == "Video og chat");
  CHECK(list[3]["name"] == "phone_2");
  CHECK(!ed.hasErrors());  // an unused list is a warning only
  REQUIRE(ed.addField("select_one", "visit_mode"));
  REQUIRE(ed.setProperty("visit_mode", "choices", "visit_modes"));
  requireClean(ed);
  // replace
  REQUIRE(ed.importChoices("visit_modes", "Ude\nInde", true));
  CHECK(ed.definition()["choices"]["visit_modes"].size() == 2);
  CHECK(!ed.importChoices("visit_modes", "\n\n"));
  requireClean(ed);
  CHECK(slugName("Grøn Æble-å 2") == "groen_aeble_aa_2");
  CHECK(slugName("2 dage") == "_2_dage");
}

TEST_CASE("editor: a new select needs choices; the checker says so") {
  auto ed = FormEditor::nextVersionOf(visitV1());
  REQUIRE(ed.addField("select_one", "mood"));
  CHECK(ed.hasErrors());
  REQUIRE(ed.importChoices("moods", "Glad\nTrist"));
  REQUIRE(ed.setProperty("mood", "choices", "moods"));
  requireClean(ed);
}

TEST_CASE("editor: a choice added in the draft can be renamed, one of the published version cannot") {
  auto ed = FormEditor::nextVersionOf(visitV1());
  REQUIRE(ed.baseChoices().count("place_types"));
  CHECK(ed.baseChoices().at("place_types").count("massage_clinic"));
  REQUIRE(ed.addChoice("place_types", "option_9"));
  requireClean(ed);

  auto r = ed.renameChoice("place_types", "option_9", "park");
  REQUIRE(r);
  requireClean(ed);
  auto names = [&] {
    std::vector<std::string> out;
    for (const auto& c : ed.form()->findChoices("place_types")->choices) out.push_back(c.name);
    return out;
  };
  CHECK(names().back() == "park");
  CHECK(ed.form()->findChoices("place_types")->find("park")->label.at("da") == "option_9");  // labels untouched

  // The published version's records hold "massage_clinic": refused, with the way out.
  auto kept = ed.renameChoice("place_types", "massage_clinic", "clinic");
  CHECK(!kept);
  CHECK(kept.error.find("migration plan") != std::string::npos);
  CHECK(!ed.renameChoice("place_types", "park", "street"));  // taken
  CHECK(!ed.renameChoice("place_types", "park", "two words"));  // not a name
  CHECK(!ed.renameChoice("place_types", "nothing", "x"));
  CHECK(names().back() == "park");

  REQUIRE(ed.undo());
  CHECK(names().back() == "option_9");
}

TEST_CASE("editor: a choice still written in an expression is not renamed; published choices are known without a clean parse") {
  auto ed = FormEditor::nextVersionOf(visitV1());
  REQUIRE(ed.addChoice("place_types", "option_9"));
  REQUIRE(ed.setProperty("place_type_other", "relevant", "${place_type} = 'option_9'"));
  auto r = ed.renameChoice("place_types", "option_9", "park");
  CHECK(!r);
  CHECK(r.error.find("place_type_other") != std::string::npos);
  // Other ways an expression names it: a word of several, a bare number,
  // a default; and a filter attribute of another list's choice.
  REQUIRE(ed.setProperty("place_type_other", "relevant", "${place_type} = 'other option_9'"));
  CHECK(!ed.renameChoice("place_types", "option_9", "park"));
  REQUIRE(ed.setProperty("place_type_other", "relevant", "${place_type} = 'other'"));
  REQUIRE(ed.addChoice("place_types", "7"));
  REQUIRE(ed.setProperty("people_met", "constraint", ". != 7"));
  CHECK(!ed.renameChoice("place_types", "7", "seven"));
  REQUIRE(ed.setProperty("people_met", "constraint", nullptr));
  REQUIRE(ed.setProperty("people_met", "default", 7));
  CHECK(!ed.renameChoice("place_types", "7", "seven"));
  REQUIRE(ed.setProperty("people_met", "default", nullptr));
  CHECK(ed.renameChoice("place_types", "7", "seven"));
  REQUIRE(ed.addChoiceList("regions_test"));
  REQUIRE(ed.addChoice("regions_test", "nord"));
  REQUIRE(ed.addChoiceList("towns_test"));
  REQUIRE(ed.addChoice("towns_test", "aalborg"));
  json def = ed.definition();
  def["choices"]["towns_test"][0]["filter"] = {{"region", "nord"}};
  FormEditor linked(def);
  CHECK(linked.mentionOf("nord").find("filter 'region'") != std::string::npos);
  CHECK(!linked.renameChoice("regions_test", "nord", "north"));
  CHECK(ed.renameChoice("place_types", "option_9", "park"));

  // A published definition that today's checker refuses (an unknown
  // function): its choices are still the published ones.
  json v1 = visitV1();
  v1["fields"][0]["constraint"] = "no_such_function(.)";
  auto broken = FormEditor::nextVersionOf(v1);
  CHECK(broken.hasErrors());
  REQUIRE(broken.baseChoices().count("place_types"));
  CHECK(!broken.renameChoice("place_types", "street", "road"));
}
