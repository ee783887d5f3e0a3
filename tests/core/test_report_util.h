// A form in two versions with a rename, for the report and export tests.
#pragma once
#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "form/form_loader.h"
#include "store/sqlite_store.h"
#include "test_store_util.h"

namespace reporttest {

// v1: place_kind (select_one), topics (select_multiple), people, notes (sensitive)
inline const char* kV1 = R"({
  "format": "skema-form/1", "id": "rep.visit", "version": 1,
  "title": {"en": "Visit", "da": "Besøg"}, "languages": ["en", "da"],
  "fields": [
    {"name": "date", "type": "date", "label": {"en": "Date", "da": "Dato"}, "required": true},
    {"name": "office", "type": "select_one", "label": {"en": "Office", "da": "Kontor"}, "choices": "offices", "required": true},
    {"name": "place_kind", "type": "select_one", "label": {"en": "Place", "da": "Sted"}, "choices": "places"},
    {"name": "topics", "type": "select_multiple", "label": {"en": "Topics", "da": "Emner"}, "choices": "topics"},
    {"name": "people", "type": "integer", "label": {"en": "People met", "da": "Personer mødt"}},
    {"name": "notes", "type": "text", "label": {"en": "Notes", "da": "Noter"}, "sensitive": true}
  ],
  "choices": {
    "offices": [{"name": "cph", "label": {"en": "Copenhagen", "da": "København"}}, {"name": "odense", "label": {"en": "Odense", "da": "Odense"}}],
    "places": [{"name": "street", "label": {"en": "Street", "da": "Gade"}}, {"name": "clinic", "label": {"en": "Clinic", "da": "Klinik"}}],
    "topics": [{"name": "health", "label": {"en": "Health", "da": "Sundhed"}}, {"name": "tax", "label": {"en": "Tax", "da": "Skat"}}]
  }
})";

// v2: place_kind renamed to venue (new choice "bar"), topics gets "debt",
// people dropped, duration added.
inline const char* kV2 = R"({
  "format": "skema-form/1", "id": "rep.visit", "version": 2,
  "title": {"en": "Visit", "da": "Besøg"}, "languages": ["en", "da"],
  "fields": [
    {"name": "date", "type": "date", "label": {"en": "Date", "da": "Dato"}, "required": true},
    {"name": "office", "type": "select_one", "label": {"en": "Office", "da": "Kontor"}, "choices": "offices", "required": true},
    {"name": "venue", "type": "select_one", "label": {"en": "Venue", "da": "Sted"}, "choices": "places", "renamed_from": "place_kind"},
    {"name": "topics", "type": "select_multiple", "label": {"en": "Topics", "da": "Emner"}, "choices": "topics"},
    {"name": "duration", "type": "integer", "label": {"en": "Minutes", "da": "Minutter"}},
    {"name": "notes", "type": "text", "label": {"en": "Notes", "da": "Noter"}, "sensitive": true}
  ],
  "choices": {
    "offices": [{"name": "cph", "label": {"en": "Copenhagen", "da": "København"}}, {"name": "odense", "label": {"en": "Odense", "da": "Odense"}}],
    "places": [{"name": "street", "label": {"en": "Street", "da": "Gade"}}, {"name": "clinic", "label": {"en": "Clinic", "da": "Klinik"}}, {"name": "bar", "label": {"en": "Bar", "da": "Bar"}}],
    "topics": [{"name": "health", "label": {"en": "Health", "da": "Sundhed"}}, {"name": "tax", "label": {"en": "Tax", "da": "Skat"}}, {"name": "debt", "label": {"en": "Debt", "da": "Gæld"}}]
  }
})";

inline skema::Form load(const char* text) {
  skema::Diagnostics d;
  auto f = skema::loadForm(text, "rep.json", d);
  REQUIRE(f);
  return *f;
}

// Six records: 3 under v1, 3 under v2 (one of them later deleted), one draft.
inline std::unique_ptr<skema::store::SqliteStore> makeStore(const std::string& path) {
  using namespace skema::store;
  auto s = SqliteStore::create(path);
  s->publishForm(load(kV1), {"t", ""});
  s->publishForm(load(kV2), {"t", ""});
  auto add = [&](int v, nlohmann::json vals, bool final = true) {
    Record r;
    r.formId = "rep.visit";
    r.formVersion = v;
    r.status = final ? RecordStatus::Final : RecordStatus::Draft;
    r.values = std::move(vals);
    return s->save(r, {"t", ""});
  };
  add(1, {{"date", "2024-01-15"}, {"office", "cph"}, {"place_kind", "street"}, {"topics", "health tax"}, {"people", 3}, {"notes", "n1"}});
  add(1, {{"date", "2024-02-20"}, {"office", "odense"}, {"place_kind", "clinic"}, {"topics", "tax"}, {"people", 1}});
  add(1, {{"date", "2024-04-02"}, {"office", "cph"}, {"place_kind", "clinic"}});
  add(2, {{"date", "2024-05-05"}, {"office", "cph"}, {"venue", "bar"}, {"topics", "debt health"}, {"duration", 30}});
  add(2, {{"date", "2024-05-06"}, {"office", "odense"}, {"venue", "street"}, {"topics", "health"}, {"duration", 45}});
  auto gone = add(2, {{"date", "2024-06-01"}, {"office", "odense"}, {"venue", "street"}});
  s->remove(gone.id, {"t", "mistake"});
  add(2, {{"date", "2024-06-02"}, {"office", "cph"}, {"venue", "bar"}}, false);
  return s;
}

}  // namespace reporttest
