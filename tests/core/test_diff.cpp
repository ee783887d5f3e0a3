// Form version diffs (engine/core/design/form_diff.h): every kind of change,
// renames only when renamed_from says so, and the impact on existing data.
#include <doctest/doctest.h>

#include "design/form_diff.h"
#include "design/form_editor.h"
#include "form/form_loader.h"

using namespace skema;
using namespace skema::design;
using nlohmann::json;

namespace {

Form load(const json& def) {
  Diagnostics diags;
  auto f = loadForm(def.dump(), "test.json", diags);
  for (const auto& d : diags.items()) MESSAGE(d.format());
  REQUIRE(f);
  return std::move(*f);
}

Form loadFile(const std::string& path) {
  Diagnostics diags;
  auto f = loadFormFile(path, diags);
  for (const auto& d : diags.items())
    if (d.severity == Severity::Error) MESSAGE(d.format());
  REQUIRE(f);
  return std::move(*f);
}

json base() {
  return json::parse(R"({
    "format": "skema-form/1", "id": "test.diff", "version": 1, "languages": ["en"],
    "title": {"en": "Diff"},
    "fields": [
      {"name": "place", "type": "select_one", "label": {"en": "Place"}, "choices": "places"},
      {"name": "count", "type": "text", "label": {"en": "Count"}},
      {"name": "notes", "type": "text", "label": {"en": "Notes"}, "relevant": "${place} = 'bar'"},
      {"name": "section", "type": "group", "label": {"en": "Section"}, "fields": [
        {"name": "inner", "type": "integer", "label": {"en": "Inner"}}
      ]}
    ],
    "choices": {"places": [{"name": "clinic", "label": {"en": "Clinic"}}, {"name": "bar", "label": {"en": "Bar"}},
                           {"name": "street", "label": {"en": "Street"}}]}
  })");
}

const FieldChange* find(const FormDiff& d, ChangeKind k, const std::string& field = {}) {
  for (const auto& c : d.changes)
    if (c.kind == k && (field.empty() || c.field == field)) return &c;
  return nullptr;
}

}  // namespace

TEST_CASE("diff: identical versions have no changes") {
  Form a = load(base());
  json b = base();
  b["version"] = 2;
  auto d = diffForms(a, load(b));
  CHECK(d.empty());
  CHECK(d.fromVersion == 1);
  CHECK(d.toVersion == 2);
}

TEST_CASE("diff: every kind of change") {
  Form a = load(base());
  FormEditor ed = FormEditor::nextVersionOf(a.definition);
  REQUIRE(ed.renameField("place", "place_kind"));
  REQUIRE(ed.setProperty("count", "type", "integer"));
  REQUIRE(ed.removeChoice("places", "bar"));
  REQUIRE(ed.addChoice("places", "hotel"));
  REQUIRE(ed.setChoiceLabel("places", "street", "en", "Street or park"));
  REQUIRE(ed.setProperty("notes", "label", json({{"en", "Remarks"}})));
  REQUIRE(ed.setProperty("notes", "relevant", "${place_kind} = 'hotel'"));
  REQUIRE(ed.setProperty("notes", "appearance", "multiline"));
  REQUIRE(ed.addField("integer", "visitors"));
  REQUIRE(ed.setProperty("visitors", "required", true));
  REQUIRE(ed.moveInto("inner", ""));
  REQUIRE(ed.deleteField("section"));
  REQUIRE(ed.setFormProperty("title", json({{"en", "Diff 2"}})));
  REQUIRE(!ed.hasErrors());
  auto d = diffForms(a, *ed.form());

  auto* ren = find(d, ChangeKind::FieldRenamed);
  REQUIRE(ren);
  CHECK(ren->oldField == "place");
  CHECK(ren->field == "place_kind");
  CHECK(ren->describe() == "field `place` renamed to `place_kind`");
  CHECK(!find(d, ChangeKind::FieldRemoved, "place"));
  CHECK(!find(d, ChangeKind::FieldAdded, "place_kind"));

  auto* ty = find(d, ChangeKind::TypeChanged, "count");
  REQUIRE(ty);
  CHECK(ty->before == "text");
  CHECK(ty->after == "integer");

  auto* rm = find(d, ChangeKind::ChoiceRemoved, "place_kind");
  REQUIRE(rm);
  CHECK(rm->choice == "bar");
  CHECK(rm->describe() == "choice `bar` removed from `place_kind`");
  auto* add = find(d, ChangeKind::ChoiceAdded, "place_kind");
  REQUIRE(add);
  CHECK(add->choice == "hotel");
  auto* rel = find(d, ChangeKind::ChoiceRelabelled, "place_kind");
  REQUIRE(rel);
  CHECK(rel->choice == "street");

  auto* lbl = find(d, ChangeKind::LabelChanged, "notes");
  REQUIRE(lbl);
  CHECK(lbl->property == "label");
  // The relevant changed ('bar' -> 'hotel'); the reference that only follows
  // the rename is not a change by itself.
  auto* logic = find(d, ChangeKind::LogicChanged, "notes");
  REQUIRE(logic);
  CHECK(logic->before == "${place} = 'bar'");
  CHECK(logic->after == "${place_kind} = 'hotel'");
  auto* prop = find(d, ChangeKind::PropertyChanged, "notes");
  REQUIRE(prop);
  CHECK(prop->property == "appearance");

  auto* added = find(d, ChangeKind::FieldAdded, "visitors");
  REQUIRE(added);
  CHECK(added->after["required"] == true);
  auto* removed = find(d, ChangeKind::FieldRemoved, "section");
  REQUIRE(removed);
  auto* moved = find(d, ChangeKind::FieldMoved, "inner");
  REQUIRE(moved);
  CHECK(moved->before == "section");
  CHECK(moved->after == "");
  auto* title = find(d, ChangeKind::FormProperty);
  REQUIRE(title);
  CHECK(title->property == "title");

  auto j = d.toJson();
  CHECK(j["changes"].size() == d.changes.size());
  CHECK(d.toText().find("field `place` renamed to `place_kind`") != std::string::npos);
}

TEST_CASE("diff: a rename is never guessed") {
  json b = base();
  b["version"] = 2;
  b["fields"][0]["name"] = "place_kind";  // no renamed_from
  b["fields"][2]["relevant"] = "${place_kind} = 'bar'";
  auto d = diffForms(load(base()), load(b));
  CHECK(find(d, ChangeKind::FieldRemoved, "place"));
  CHECK(find(d, ChangeKind::FieldAdded, "place_kind"));
  CHECK(!find(d, ChangeKind::FieldRenamed));
}

TEST_CASE("diff: impact on existing records") {
  Form a = load(base());
  FormEditor ed = FormEditor::nextVersionOf(a.definition);
  REQUIRE(ed.renameField("place", "place_kind"));
  REQUIRE(ed.setProperty("count", "type", "integer"));
  REQUIRE(ed.removeChoice("places", "bar"));
  REQUIRE(ed.addField("integer", "visitors"));
  REQUIRE(ed.setProperty("visitors", "required", true));
  REQUIRE(ed.deleteField("section"));
  REQUIRE(!ed.hasErrors());
  std::vector<RecordValues> recs = {
      {{{"place", "bar"}, {"count", "12"}, {"notes", "x"}}, true},
      {{{"place", "bar"}, {"count", "a dozen"}, {"inner", 3}}, true},
      {{{"place", "clinic"}, {"count", " 7 "}}, false},
      {json::object(), true},
  };
  auto d = diffForms(a, *ed.form());
  measureImpact(d, a, *ed.form(), recs);
  CHECK(d.recordsMeasured == 4);
  auto* rm = find(d, ChangeKind::ChoiceRemoved);
  REQUIRE(rm);
  CHECK(rm->records == 2);
  CHECK(rm->impact.rfind("2 records have it", 0) == 0);
  auto* ty = find(d, ChangeKind::TypeChanged);
  REQUIRE(ty);
  CHECK(ty->records == 3);
  CHECK(ty->failures == 1);
  auto* ren = find(d, ChangeKind::FieldRenamed);
  CHECK(ren->records == 3);
  auto* req = find(d, ChangeKind::FieldAdded, "visitors");
  CHECK(req->records == 3);  // final records without a value
  auto* gone = find(d, ChangeKind::FieldRemoved, "inner");
  REQUIRE(gone);
  CHECK(gone->records == 1);
  CHECK(d.toText().find("impact: 2 records have it") != std::string::npos);
}

TEST_CASE("diff: the revised outreach visit against the shipped v1") {
  Form v1 = loadFile(std::string(SKEMA_FORMS_DIR) + "/outreach/visit.v1.json");
  Form v2 = loadFile(std::string(SKEMA_TEST_DATA) + "/forms/revised/outreach/visit.v2.json");
  auto d = diffForms(v1, v2);
  auto* ren = find(d, ChangeKind::FieldRenamed, "place_kind");
  REQUIRE(ren);
  CHECK(ren->oldField == "place_type");
  auto* rm = find(d, ChangeKind::ChoiceRemoved, "place_kind");
  REQUIRE(rm);
  CHECK(rm->choice == "bar");
  CHECK(find(d, ChangeKind::ChoiceAdded, "place_kind"));
  auto* ty = find(d, ChangeKind::TypeChanged, "clinic_ref");
  REQUIRE(ty);
  CHECK(ty->after == "integer");
  auto* add = find(d, ChangeKind::FieldAdded, "visit_mode");
  REQUIRE(add);
  CHECK(add->after["required"] == true);
  CHECK(find(d, ChangeKind::LabelChanged, "notes"));
  // references that only follow the rename are not logic changes
  CHECK(!find(d, ChangeKind::LogicChanged, "place_type_other"));
  CHECK(!find(d, ChangeKind::FieldRemoved));
}

TEST_CASE("convertValue") {
  std::string why;
  CHECK(convertValue("12", FieldType::Text, FieldType::Integer) == json(12));
  CHECK(!convertValue("12x", FieldType::Text, FieldType::Integer, &why));
  CHECK(why.find("not a whole number") != std::string::npos);
  CHECK(!convertValue(2.5, FieldType::Decimal, FieldType::Integer));
  CHECK(convertValue(3.0, FieldType::Decimal, FieldType::Integer) == json(3));
  CHECK(convertValue("2,5", FieldType::Text, FieldType::Decimal) == json(2.5));
  CHECK(convertValue(7, FieldType::Integer, FieldType::Text) == json("7"));
  CHECK(convertValue("2025-01-02T10:00:00+01:00", FieldType::DateTime, FieldType::Date) == json("2025-01-02"));
  CHECK(!convertValue("2. jan", FieldType::Text, FieldType::Date));
  CHECK(convertValue("a", FieldType::SelectMultiple, FieldType::SelectOne) == json("a"));
  CHECK(!convertValue("a b", FieldType::SelectMultiple, FieldType::SelectOne));
  CHECK(convertValue("a", FieldType::SelectOne, FieldType::SelectMultiple) == json("a"));
  CHECK(!convertValue(json::array(), FieldType::Repeat, FieldType::Text));
}

TEST_CASE("a field renamed in two steps is traced through the version in between") {
  auto version = [](int v, const char* name, const char* renamedFrom) {
    json f = {{"name", name}, {"type", "text"}, {"label", {{"en", "Where"}}}};
    if (renamedFrom) f["renamed_from"] = renamedFrom;
    return load({{"format", "skema-form/1"}, {"id", "test.chain"}, {"version", v}, {"languages", {"en"}},
                 {"title", {{"en", "Chain"}}},
                 {"fields", {f, {{"name", "kept"}, {"type", "integer"}, {"label", {{"en", "Kept"}}}}}}});
  };
  const Form v1 = version(1, "place", nullptr), v2 = version(2, "venue", "place"), v3 = version(3, "site", "venue");

  // v3 alone names only v2's field: straight from v1 it looks removed + added.
  auto direct = diffForms(v1, v3);
  auto kinds = [](const FormDiff& d) {
    std::vector<ChangeKind> k;
    for (const auto& c : d.changes) k.push_back(c.kind);
    return k;
  };
  CHECK(kinds(direct) == std::vector<ChangeKind>{ChangeKind::FieldRemoved, ChangeKind::FieldAdded});

  const auto matches = matchFields(std::vector<const Form*>{&v1, &v2, &v3});
  CHECK(matches == std::map<std::string, std::string>{{"site", "place"}, {"kept", "kept"}});
  auto traced = diffForms(v1, v3, &matches);
  REQUIRE(traced.changes.size() == 1);
  CHECK(traced.changes[0].kind == ChangeKind::FieldRenamed);
  CHECK(traced.changes[0].oldField == "place");
  CHECK(traced.changes[0].field == "site");

  // A field dropped in between is not brought back by a later same name.
  const Form v2b = version(2, "venue", nullptr);  // "place" removed, "venue" new
  const auto broken = matchFields(std::vector<const Form*>{&v1, &v2b, &v3});
  CHECK(broken.count("site") == 0);
}
