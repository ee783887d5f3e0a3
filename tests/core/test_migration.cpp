// Migration between form versions (engine/core/design/migration.h) and the
// store operations it needs (saveBatch, form drafts): renames, choice
// recoding, type changes with failures, dry run changes nothing, the real
// run is one audited transaction and can be reverted from the audit log.
#include <doctest/doctest.h>

#include <filesystem>

#include "design/form_draft.h"
#include "design/migration.h"
#include "test_store_util.h"

using namespace skema;
using namespace skema::design;
using namespace skema::store;
using nlohmann::json;
using storetest::TempDir;

namespace {

const char* kV1 = R"({
  "format": "skema-form/1", "id": "test.mig", "version": 1, "languages": ["en"],
  "title": {"en": "Migration"},
  "fields": [
    {"name": "date", "type": "date", "label": {"en": "Date"}, "required": true},
    {"name": "place", "type": "select_one", "label": {"en": "Place"}, "choices": "places", "required": true},
    {"name": "count", "type": "text", "label": {"en": "Count"}},
    {"name": "notes", "type": "text", "label": {"en": "Notes"}},
    {"name": "people", "type": "repeat", "label": {"en": "People"}, "fields": [
      {"name": "code", "type": "person_code", "label": {"en": "Code"}},
      {"name": "topics", "type": "select_multiple", "label": {"en": "Topics"}, "choices": "topics"}
    ]}
  ],
  "choices": {
    "places": [{"name": "clinic", "label": {"en": "Clinic"}}, {"name": "bar", "label": {"en": "Bar"}},
               {"name": "street", "label": {"en": "Street"}}, {"name": "other", "label": {"en": "Other"}}],
    "topics": [{"name": "health", "label": {"en": "Health"}}, {"name": "tax", "label": {"en": "Tax"}},
               {"name": "debt", "label": {"en": "Debt"}}]
  }
})";

// v2: place -> place_kind (renamed_from), choice bar removed, count text ->
// integer, a new required field, notes removed, topic debt removed.
const char* kV2 = R"({
  "format": "skema-form/1", "id": "test.mig", "version": 2, "languages": ["en"],
  "title": {"en": "Migration"},
  "fields": [
    {"name": "date", "type": "date", "label": {"en": "Date"}, "required": true},
    {"name": "place_kind", "renamed_from": "place", "type": "select_one", "label": {"en": "Place"},
     "choices": "places", "required": true},
    {"name": "count", "type": "integer", "label": {"en": "Count"}},
    {"name": "mode", "type": "select_one", "label": {"en": "Mode"}, "choices": "modes", "required": true},
    {"name": "people", "type": "repeat", "label": {"en": "People"}, "fields": [
      {"name": "code", "type": "person_code", "label": {"en": "Code"}},
      {"name": "topics", "type": "select_multiple", "label": {"en": "Topics"}, "choices": "topics"}
    ]}
  ],
  "choices": {
    "places": [{"name": "clinic", "label": {"en": "Clinic"}}, {"name": "street", "label": {"en": "Street"}},
               {"name": "hotel", "label": {"en": "Hotel"}}, {"name": "other", "label": {"en": "Other"}}],
    "topics": [{"name": "health", "label": {"en": "Health"}}, {"name": "tax", "label": {"en": "Tax"}}],
    "modes": [{"name": "in_person", "label": {"en": "In person"}}, {"name": "phone", "label": {"en": "Phone"}}]
  }
})";

struct Fixture {
  TempDir tmp;
  std::unique_ptr<SqliteStore> s;
  std::string good, bad, draft, plain;
  Fixture() {
    s = SqliteStore::create(tmp.file("w.skema"));
    s->publishForm(storetest::loadTestForm(kV1), {"tester", ""});
    s->publishForm(storetest::loadTestForm(kV2), {"tester", ""});
    good = add({{"date", "2025-03-01"}, {"place", "bar"}, {"count", "12"}, {"notes", "n"},
                {"people", json::array({{{"code", "AB12"}, {"topics", "health debt"}}})}});
    bad = add({{"date", "2025-03-02"}, {"place", "street"}, {"count", "a dozen"}});
    draft = add({{"place", "clinic"}}, RecordStatus::Draft);
    plain = add({{"date", "2025-03-03"}, {"place", "clinic"}});
  }
  std::string add(const json& values, RecordStatus st = RecordStatus::Final) {
    Record r;
    r.formId = "test.mig";
    r.formVersion = 1;
    r.status = st;
    r.values = values;
    return s->save(r, {"tester", ""}).id;
  }
  std::int64_t auditRows() { return s->verifyAudit().rows; }
};

MigrationPlan fullPlan() {
  std::string err;
  auto p = MigrationPlan::fromJson(json::parse(R"({
    "choices": {"place_kind": {"bar": "other"}, "topics": {"debt": "tax"}},
    "defaults": {"mode": "in_person"}
  })"), &err);
  REQUIRE(p);
  return *p;
}

const RecordMigration& recordIn(const MigrationReport& r, const std::string& id) {
  for (const auto& m : r.records)
    if (m.before.id == id) return m;
  FAIL("record not in the report");
  return r.records.front();
}

}  // namespace

TEST_CASE("migration plan: parsing") {
  std::string err;
  CHECK(!MigrationPlan::fromJson(json::parse(R"({"choises": {}})"), &err));
  CHECK(err.find("choises") != std::string::npos);
  CHECK(!MigrationPlan::fromJson(json::parse(R"({"on_invalid": "maybe"})"), &err));
  auto p = MigrationPlan::fromJson(json::parse(R"({"on_invalid": "draft", "defaults": {"a": 1}})"), &err);
  REQUIRE(p);
  CHECK(p->invalidToDraft);
  CHECK(p->defaults.at("a") == 1);
}

TEST_CASE("migration: dry run plans record by record and changes nothing") {
  Fixture fx;
  auto rowsBefore = fx.auditRows();
  auto rep = planMigration(*fx.s, "test.mig", 2, fullPlan());
  CHECK(fx.auditRows() == rowsBefore);
  CHECK(fx.s->get(fx.good)->formVersion == 1);
  REQUIRE(rep.records.size() == 4);
  CHECK(rep.migrating == 3);
  CHECK(rep.staying == 1);

  const auto& g = recordIn(rep, fx.good);
  CHECK(g.migrate);
  CHECK(g.after.formVersion == 2);
  CHECK(g.after.values["place_kind"] == "other");
  CHECK(!g.after.values.contains("place"));
  CHECK(g.after.values["count"] == 12);
  CHECK(g.after.values["mode"] == "in_person");
  CHECK(!g.after.values.contains("notes"));
  CHECK(g.after.values["people"][0]["topics"] == "health tax");
  bool renameNoted = false, recodeNoted = false, dropNoted = false;
  for (const auto& c : g.changes) {
    if (c.field == "place_kind") {
      renameNoted = c.note.find("renamed from place") != std::string::npos;
      recodeNoted = c.note.find("choice bar -> other") != std::string::npos;
    }
    if (c.field == "notes") dropNoted = !c.after && c.note.find("removed") != std::string::npos;
  }
  CHECK(renameNoted);
  CHECK(recodeNoted);
  CHECK(dropNoted);

  // the type change fails for one record: it stays on v1, with the reason
  const auto& b = recordIn(rep, fx.bad);
  CHECK(!b.migrate);
  REQUIRE(b.problems.size() == 1);
  CHECK(b.problems[0].find("count: 'a dozen' is not a whole number") != std::string::npos);

  const auto& d = recordIn(rep, fx.draft);
  CHECK(d.migrate);
  CHECK(d.after.status == RecordStatus::Draft);
  CHECK(rep.toText(true).find(fx.bad + "  v1 final: stays") != std::string::npos);
  CHECK(rep.toText(false).find("1 x stays: count: 'a dozen' is not a whole number") != std::string::npos);
}

TEST_CASE("migration: removed choice without a mapping, new required field without a default") {
  Fixture fx;
  auto rep = planMigration(*fx.s, "test.mig", 2, MigrationPlan{});
  const auto& g = recordIn(rep, fx.good);
  CHECK(!g.migrate);
  bool choice = false;
  for (const auto& p : g.problems) choice |= p.find("choice 'bar' is not in v2's list 'places'") != std::string::npos;
  CHECK(choice);
  // plain is valid except for the new required field
  const auto& p = recordIn(rep, fx.plain);
  CHECK(!p.migrate);
  REQUIRE(!p.problems.empty());
  CHECK(p.problems[0].find("mode") != std::string::npos);

  // on_invalid: draft -> migrated as a draft to complete
  MigrationPlan toDraft;
  toDraft.invalidToDraft = true;
  auto rep2 = planMigration(*fx.s, "test.mig", 2, toDraft);
  const auto& p2 = recordIn(rep2, fx.plain);
  CHECK(p2.migrate);
  CHECK(p2.reopened);
  CHECK(p2.after.status == RecordStatus::Draft);
  runMigration(*fx.s, rep2, "consultant");
  auto now = fx.s->get(fx.plain);
  CHECK(now->formVersion == 2);
  CHECK(now->status == RecordStatus::Draft);
  CHECK(fx.s->get(fx.good)->formVersion == 1);  // still unmapped choice: stays
  // and the revert makes it final again on v1
  auto rev = planRevert(*fx.s, "test.mig", 2);
  runRevert(*fx.s, rev, "consultant");
  now = fx.s->get(fx.plain);
  CHECK(now->formVersion == 1);
  CHECK(now->status == RecordStatus::Final);
}

TEST_CASE("migration: a plan that does not fit the version is refused") {
  Fixture fx;
  MigrationPlan p;
  p.choices["place"]["bar"] = "other";  // the old name
  CHECK_THROWS_AS(planMigration(*fx.s, "test.mig", 2, p), StoreError);
  MigrationPlan q;
  q.choices["place_kind"]["bar"] = "pub";  // not a choice of v2
  CHECK_THROWS_AS(planMigration(*fx.s, "test.mig", 2, q), StoreError);
  CHECK_THROWS_AS(planMigration(*fx.s, "test.mig", 3, MigrationPlan{}), StoreError);
}

TEST_CASE("migration: the real run is one audited transaction, reversible from the audit log") {
  Fixture fx;
  auto before = fx.s->get(fx.good);
  auto beforeDraft = fx.s->get(fx.draft);
  auto rep = planMigration(*fx.s, "test.mig", 2, fullPlan());
  runMigration(*fx.s, rep, "consultant");
  CHECK(rep.committed);
  auto after = fx.s->get(fx.good);
  CHECK(after->formVersion == 2);
  CHECK(after->status == RecordStatus::Final);
  CHECK(after->values == recordIn(rep, fx.good).after.values);
  CHECK(after->updatedBy == "consultant");
  CHECK(fx.s->get(fx.bad)->formVersion == 1);  // stays, readable and editable there
  CHECK(fx.s->verifyAudit().ok);

  // audited per changed value with the reason
  auto h = fx.s->history(fx.good);
  std::set<std::string> fields;
  for (const auto& e : h)
    if (e.revision == after->revision) {
      CHECK(e.reason == "migrated to v2");
      CHECK(e.user == "consultant");
      fields.insert(e.field);
    }
  CHECK(fields == std::set<std::string>{"_form_version", "place", "place_kind", "count", "mode", "notes", "people"});

  // the record stays editable on v1 after others migrated
  Record b = *fx.s->get(fx.bad);
  b.values["count"] = "twelve";
  CHECK_NOTHROW(fx.s->save(b, {"tester", "typo"}));

  // revert
  auto rev = planRevert(*fx.s, "test.mig", 2);
  CHECK(rev.reverting == 3);
  CHECK(rev.refused == 0);
  runRevert(*fx.s, rev, "consultant");
  auto back = fx.s->get(fx.good);
  CHECK(back->formVersion == 1);
  CHECK(back->values == before->values);
  CHECK(back->status == before->status);
  CHECK(fx.s->get(fx.draft)->values == beforeDraft->values);
  CHECK(fx.s->history(fx.good).back().reason == "reverted migration to v2");
  CHECK(fx.s->verifyAudit().ok);
  // nothing left to revert
  CHECK(planRevert(*fx.s, "test.mig", 2).reverting == 0);
}

TEST_CASE("migration: a record edited after the migration is not reverted") {
  Fixture fx;
  auto rep = planMigration(*fx.s, "test.mig", 2, fullPlan());
  runMigration(*fx.s, rep, "consultant");
  Record r = *fx.s->get(fx.plain);
  r.values["count"] = 5;
  fx.s->save(r, {"tester", "counted"});
  auto rev = planRevert(*fx.s, "test.mig", 2);
  CHECK(rev.refused == 1);
  CHECK(rev.reverting == 2);
  runRevert(*fx.s, rev, "consultant");
  CHECK(fx.s->get(fx.plain)->formVersion == 2);
  CHECK(fx.s->get(fx.good)->formVersion == 1);
  CHECK(rev.toText(false).find("changed after the migration") != std::string::npos);
}

TEST_CASE("store: saveBatch is all or nothing") {
  Fixture fx;
  auto rows = fx.auditRows();
  Record a = *fx.s->get(fx.plain);
  a.values["count"] = "3";
  Record b = *fx.s->get(fx.good);
  b.values["place"] = "nowhere";  // invalid choice
  try {
    fx.s->saveBatch({a, b}, {"tester", "batch"});
    FAIL("expected Invalid");
  } catch (const StoreError& e) {
    CHECK(e.kind() == ErrorKind::Invalid);
    REQUIRE(!e.fieldErrors().empty());
    CHECK(e.fieldErrors()[0].field == fx.good + ": place");
  }
  CHECK(fx.auditRows() == rows);
  CHECK(fx.s->get(fx.plain)->revision == 1);
  // final -> draft only with allowReopen
  Record c = *fx.s->get(fx.plain);
  c.status = RecordStatus::Draft;
  CHECK_THROWS_AS(fx.s->saveBatch({c}, {"tester", "x"}), StoreError);
  BatchOptions o;
  o.allowReopen = true;
  Record d = *fx.s->get(fx.bad);
  d.values["notes"] = "checked";
  auto out = fx.s->saveBatch({d, c}, {"tester", "x"}, o);
  CHECK(out.size() == 2);
  CHECK(fx.s->get(fx.plain)->status == RecordStatus::Draft);
  CHECK(fx.s->get(fx.bad)->values["notes"] == "checked");
  // the same record twice: the second copy is stale, so nothing is saved
  Record e1 = *fx.s->get(fx.bad), e2 = e1;
  e1.values["notes"] = "one";
  e2.values["notes"] = "two";
  CHECK_THROWS_AS(fx.s->saveBatch({e1, e2}, {"tester", "x"}), StoreError);
  CHECK(fx.s->get(fx.bad)->values["notes"] == "checked");
}

TEST_CASE("store: form drafts survive reopening") {
  TempDir t;
  {
    auto s = SqliteStore::create(t.file("w.skema"));
    CHECK(!s->formDraft("test.mig"));
    s->saveFormDraft({"test.mig", 1, "{\"a\": 1}", "", ""}, {"designer", ""});
    s->saveFormDraft({"test.mig", 1, "{\"a\": 2}", "", ""}, {"designer", ""});
  }
  auto s = SqliteStore::open(t.file("w.skema"));
  auto d = s->formDraft("test.mig");
  REQUIRE(d);
  CHECK(d->definitionText == "{\"a\": 2}");
  CHECK(d->baseVersion == 1);
  CHECK(d->updatedBy == "designer");
  CHECK(s->formDrafts().size() == 1);
  CHECK(s->discardFormDraft("test.mig"));
  CHECK(!s->discardFormDraft("test.mig"));
  CHECK(!s->formDraft("test.mig"));
}

TEST_CASE("drafts: edit, keep, reopen, publish") {
  TempDir t;
  auto s = SqliteStore::create(t.file("w.skema"));
  s->publishForm(storetest::loadTestForm(kV1), {"tester", ""});
  CHECK(!openDraft(*s, "test.nothing"));
  {
    auto ed = openDraft(*s, "test.mig");
    REQUIRE(ed);
    CHECK(ed->definition()["version"] == 2);
    REQUIRE(ed->renameField("place", "place_kind"));
    REQUIRE(ed->addField("select_one", "mode"));  // no choices yet: an error
    keepDraft(*s, *ed, {"designer", ""});
  }
  s.reset();
  s = SqliteStore::open(t.file("w.skema"));
  auto ed = openDraft(*s, "test.mig");
  REQUIRE(ed);
  CHECK(ed->findField("place_kind")->at("renamed_from") == "place");
  CHECK(ed->baseNames().count("place"));
  CHECK(ed->hasErrors());
  std::string forms = t.file("forms");
  auto r = publishDraft(*s, *ed, forms, {"designer", ""});
  CHECK(!r.published);
  CHECK(!r.errors.empty());
  CHECK(s->latestFormVersion("test.mig") == 1);
  CHECK(!std::filesystem::exists(forms));

  REQUIRE(ed->importChoices("modes", "In person\nPhone"));
  REQUIRE(ed->setProperty("mode", "choices", "modes"));
  REQUIRE(!ed->hasErrors());
  r = publishDraft(*s, *ed, forms, {"designer", ""});
  CHECK(r.published);
  CHECK(r.message.find("published test.mig version 2") == 0);
  CHECK(s->latestFormVersion("test.mig") == 2);
  CHECK(!s->formDraft("test.mig"));
  CHECK(r.file == forms + "/test/mig.v2.json");
  Diagnostics diags;
  auto f = loadFormFile(r.file, diags);
  REQUIRE(f);
  CHECK(f->findField("place_kind")->renamedFrom == "place");
  // a second publish of the same version is refused
  auto again = publishDraft(*s, *ed, forms, {"designer", ""});
  CHECK(!again.published);
}
