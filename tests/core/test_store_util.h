// Helpers shared by the store tests: a temporary folder, a small test form.
#pragma once
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "form/form_loader.h"
#include "store/sqlite_store.h"
#include "util/sha256.h"
#include "util/uuid.h"

namespace storetest {

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    char tmpl[] = "/tmp/skema-test-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::permissions(path, std::filesystem::perms::owner_all, ec);
    std::filesystem::remove_all(path, ec);
  }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

inline const char* kVisitV1 = R"({
  "format": "skema-form/1",
  "id": "test.visit",
  "version": 1,
  "title": {"en": "Visit"},
  "languages": ["en"],
  "fields": [
    {"name": "date", "type": "date", "label": {"en": "Date"}, "required": true},
    {"name": "person", "type": "person_code", "label": {"en": "Person"}},
    {"name": "office", "type": "select_one", "label": {"en": "Office"}, "choices": "offices", "required": true},
    {"name": "topics", "type": "select_multiple", "label": {"en": "Topics"}, "choices": "topics"},
    {"name": "people", "type": "integer", "label": {"en": "People met"}, "min": 0, "max": 50},
    {"name": "notes", "type": "text", "label": {"en": "Notes"}, "sensitive": true}
  ],
  "choices": {
    "offices": [{"name": "cph", "label": {"en": "Copenhagen"}}, {"name": "odense", "label": {"en": "Odense"}},
                {"name": "aarhus", "label": {"en": "Aarhus"}}],
    "topics": [{"name": "health", "label": {"en": "Health"}}, {"name": "tax", "label": {"en": "Tax"}},
               {"name": "housing", "label": {"en": "Housing"}}]
  }
})";

// Version 2 adds a field and drops `people`.
inline const char* kVisitV2 = R"({
  "format": "skema-form/1",
  "id": "test.visit",
  "version": 2,
  "title": {"en": "Visit"},
  "languages": ["en"],
  "fields": [
    {"name": "date", "type": "date", "label": {"en": "Date"}, "required": true},
    {"name": "person", "type": "person_code", "label": {"en": "Person"}},
    {"name": "office", "type": "select_one", "label": {"en": "Office"}, "choices": "offices", "required": true},
    {"name": "topics", "type": "select_multiple", "label": {"en": "Topics"}, "choices": "topics"},
    {"name": "interpreter", "type": "select_one", "label": {"en": "Interpreter"}, "choices": "yn"},
    {"name": "notes", "type": "text", "label": {"en": "Notes"}, "sensitive": true}
  ],
  "choices": {
    "offices": [{"name": "cph", "label": {"en": "Copenhagen"}}, {"name": "odense", "label": {"en": "Odense"}},
                {"name": "aarhus", "label": {"en": "Aarhus"}}],
    "topics": [{"name": "health", "label": {"en": "Health"}}, {"name": "tax", "label": {"en": "Tax"}},
               {"name": "housing", "label": {"en": "Housing"}}],
    "yn": [{"name": "yes", "label": {"en": "Yes"}}, {"name": "no", "label": {"en": "No"}}]
  }
})";

inline skema::Form loadTestForm(const char* text) {
  skema::Diagnostics diags;
  auto f = skema::loadForm(text, "test.json", diags);
  for (const auto& d : diags.items()) MESSAGE(d.format());
  REQUIRE(f);
  return std::move(*f);
}

inline skema::store::Record visit(const std::string& date, const std::string& office,
                                  skema::store::RecordStatus st = skema::store::RecordStatus::Final) {
  skema::store::Record r;
  r.formId = "test.visit";
  r.formVersion = 1;
  r.status = st;
  r.values = {{"date", date}, {"office", office}};
  return r;
}

}  // namespace storetest
