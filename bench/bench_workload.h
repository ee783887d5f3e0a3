// The workload the store and report benchmarks share: a generated 20-field
// visit form (bench.visit) and random rows for it, so both measure the same
// data.
#pragma once
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace skema::bench {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

inline double msSince(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

inline const char* const kOffices[] = {"cph", "odense", "aarhus"};

inline std::string formJson() {
  json choices;
  for (const char* o : kOffices) choices["offices"].push_back({{"name", o}, {"label", {{"en", o}}}});
  for (int i = 1; i <= 98; ++i) {
    std::string n = "m" + std::to_string(i);
    choices["munis"].push_back({{"name", n}, {"label", {{"en", n}}}});
  }
  for (const char* t : {"health", "tax", "housing", "debt", "violence", "exit", "benefits", "other"})
    choices["topics"].push_back({{"name", t}, {"label", {{"en", t}}}});
  for (const char* t : {"street", "clinic", "bar", "escort", "internet", "phone"})
    choices["places"].push_back({{"name", t}, {"label", {{"en", t}}}});
  for (const char* t : {"yes", "no"}) choices["yn"].push_back({{"name", t}, {"label", {{"en", t}}}});
  auto f = [](const char* name, const char* type, json extra = json::object()) {
    json j = {{"name", name}, {"type", type}, {"label", {{"en", name}}}};
    j.update(extra);
    return j;
  };
  json fields = json::array({
      f("date", "date", {{"required", true}}),
      f("office", "select_one", {{"choices", "offices"}, {"required", true}}),
      f("municipality", "select_one", {{"choices", "munis"}, {"required", true}}),
      f("place", "select_one", {{"choices", "places"}}),
      f("person", "person_code"),
      f("start_time", "time"),
      f("people", "integer", {{"min", 0}, {"max", 30}}),
      f("duration", "integer", {{"min", 1}, {"max", 600}}),
      f("topics", "select_multiple", {{"choices", "topics"}}),
      f("interpreter", "select_one", {{"choices", "yn"}}),
      f("rating", "range", {{"min", 0}, {"max", 10}}),
      f("cost", "decimal", {{"min", 0}}),
      f("first_visit", "select_one", {{"choices", "yn"}}),
      f("referred", "select_one", {{"choices", "yn"}}),
      f("clinic", "text"),
      f("phase", "integer", {{"min", 1}, {"max", 4}}),
      f("contacts", "integer", {{"min", 0}, {"max", 99}}),
      f("age_band", "integer", {{"min", 1}, {"max", 8}}),
      f("follow_up", "date"),
      f("notes", "text", {{"sensitive", true}}),
  });
  json form = {{"format", "skema-form/1"}, {"id", "bench.visit"}, {"version", 1}, {"languages", {"en"}},
               {"title", {{"en", "Bench visit"}}}, {"fields", fields}, {"choices", choices}};
  return form.dump();
}

inline const std::vector<std::string> kHeader = {"date", "office", "municipality", "place", "person", "start_time", "people",
                                    "duration", "topics", "interpreter", "rating", "cost", "first_visit", "referred",
                                    "clinic", "phase", "contacts", "age_band", "follow_up", "notes"};

inline std::string date(std::mt19937_64& r) {
  char b[16];
  std::snprintf(b, sizeof b, "%04d-%02d-%02d", 2023 + int(r() % 2), 1 + int(r() % 12), 1 + int(r() % 28));
  return b;
}

inline std::vector<std::string> makeRow(std::mt19937_64& r) {
  static const char* topics[] = {"health", "tax", "housing", "debt", "violence", "exit", "benefits"};
  static const char* places[] = {"street", "clinic", "bar", "escort", "internet", "phone"};
  char t[16];
  std::snprintf(t, sizeof t, "%02d:%02d:00", int(r() % 24), int(r() % 60));
  std::string tp = topics[r() % 7];
  if (r() % 2) tp += std::string(" ") + topics[r() % 7 == 0 ? 0 : 1 + r() % 6];
  if (tp == "health health" || tp == "tax tax") tp = "health";
  char cost[16];
  std::snprintf(cost, sizeof cost, "%d.%d", int(r() % 500), int(r() % 10));
  return {date(r),
          kOffices[r() % 3],
          "m" + std::to_string(1 + r() % 98),
          places[r() % 6],
          "P-" + std::to_string(10000 + r() % 80000),
          t,
          std::to_string(r() % 31),
          std::to_string(1 + r() % 600),
          tp,
          r() % 2 ? "yes" : "no",
          std::to_string(r() % 11),
          cost,
          r() % 2 ? "yes" : "no",
          r() % 2 ? "yes" : "no",
          "Clinic " + std::to_string(r() % 500),
          std::to_string(1 + r() % 4),
          std::to_string(r() % 100),
          std::to_string(1 + r() % 8),
          date(r),
          r() % 5 == 0 ? "some notes about the visit" : ""};
}

inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace skema::bench
