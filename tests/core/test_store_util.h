// Helpers shared by the store tests: a temporary folder, a small test form.
#pragma once
#include <doctest/doctest.h>
#include <sqlite3.h>

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

// One integer from `sql` run on the workspace at `path` (-1 if none).
// Read-only by default; a read-only connection cannot open a WAL
// workspace whose -shm is gone (closed cleanly), SQLITE_OPEN_READWRITE can.
inline std::int64_t sqlInt(const std::string& path, const std::string& sql, int flags = SQLITE_OPEN_READONLY) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  sqlite3_stmt* st = nullptr;
  std::int64_t v = -1;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return v;
}

// An import source over rows held in memory.
struct Rows : skema::store::ImportSource {
  std::vector<skema::store::ImportRow> rows;
  size_t i = 0;
  bool next(skema::store::ImportRow& r) override {
    if (i >= rows.size()) return false;
    r = rows[i++];
    return true;
  }
};

// A new workspace with test.visit v1 and one saved record (its audit rows
// come before anything a test adds).
inline std::unique_ptr<skema::store::SqliteStore> workspaceWithOneVisit(const std::string& path) {
  auto s = skema::store::SqliteStore::create(path);
  s->publishForm(loadTestForm(kVisitV1), {"tester", ""});
  s->save(visit("2023-01-01", "odense"), {"a", ""});
  return s;
}

}  // namespace storetest
