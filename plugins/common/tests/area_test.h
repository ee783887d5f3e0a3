// Shared by the area plugins' tests: a demo workspace made by the real
// `skema demo`, the built plugin loaded by the real loader, indicators
// computed through the registry over the store (StoreRecordSource), and the
// workspace's final records read straight from the store, for computing the
// expected values independently in each test.
#pragma once
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "skema_area/area.h"
#include "plugin/plugin_loader.h"
#include "plugin/plugin_registry.h"
#include "plugin/store_record_source.h"
#include "store/sqlite_store.h"

namespace areatest {

using nlohmann::json;

// A hand-made record with just these values.
inline skema::area::Record rec(json values) {
  skema::area::Record r;
  r.values = std::move(values);
  return r;
}

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    char tmpl[] = "/tmp/skema-area-test-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

// A final record as the test sees it: the store's values and main date.
struct Rec {
  std::string id, person;
  json v;
  std::string date() const { return v.value("date", std::string()); }
  std::string str(const char* k) const {
    if (!v.contains(k) || v[k].is_null()) return "";
    return v[k].is_string() ? v[k].get<std::string>() : v[k].dump();
  }
};

struct Fixture {
  TempDir dir;
  std::string path;
  std::unique_ptr<skema::store::SqliteStore> store;
  skema::plugin::PluginRegistry registry;
  std::unique_ptr<skema::plugin::PluginLoader> loader;
  std::unique_ptr<skema::plugin::StoreRecordSource> source;

  explicit Fixture(int records = 800, int seed = 11) {
    path = (dir.path / "demo.skema").string();
    const std::string cmd = std::string("\"") + SKEMA_BINARY + "\" demo \"" + path + "\" --records " +
                            std::to_string(records) + " --seed " + std::to_string(seed) +
                            " --today 2024-12-31 > /dev/null";
    REQUIRE(std::system(cmd.c_str()) == 0);
    store = skema::store::SqliteStore::open(path);
    source = std::make_unique<skema::plugin::StoreRecordSource>(*store);
    loader = std::make_unique<skema::plugin::PluginLoader>(registry);
    auto st = loader->loadFile(SKEMA_AREA_PLUGIN);
    INFO(st.line());
    for (const auto& l : loader->log()) MESSAGE(l.plugin << ": " << l.message);
    REQUIRE(st.loaded);
  }

  // Final, non-deleted records of `form`.
  std::vector<Rec> records(const std::string& form) {
    std::vector<Rec> out;
    store->forEachRecord(form, false, [&](const skema::store::Record& r) {
      if (r.status == skema::store::RecordStatus::Final) out.push_back({r.id, r.personCode, r.values});
    });
    return out;
  }

  json compute(const std::string& id, const std::string& from = "", const std::string& to = "",
               const std::string& office = "") {
    skema::plugin::IndicatorArgs a;
    a.periodFrom = from;
    a.periodTo = to;
    a.office = office;
    auto r = registry.computeIndicator(id, a, *source);
    INFO(id << ": " << r.error);
    REQUIRE(r.ok);
    return json::parse(r.value.text);
  }
};

inline bool inPeriod(const std::string& d, const std::string& from, const std::string& to) {
  return (from.empty() || d >= from) && (to.empty() || d <= to);
}

// The choice names of a select_multiple value.
inline std::vector<std::string> words(const json& v) {
  std::vector<std::string> out;
  if (!v.is_string()) return out;
  std::string s = v.get<std::string>(), w;
  for (char c : s) {
    if (c == ' ') {
      if (!w.empty()) out.push_back(w);
      w.clear();
    } else {
      w += c;
    }
  }
  if (!w.empty()) out.push_back(w);
  return out;
}

// A table's rows as key (first column) -> the row.
inline std::map<std::string, json> rowsByKey(const json& table) {
  std::map<std::string, json> out;
  for (const auto& r : table["rows"]) out[r[0].is_string() ? r[0].get<std::string>() : r[0].dump()] = r;
  return out;
}

}  // namespace areatest
