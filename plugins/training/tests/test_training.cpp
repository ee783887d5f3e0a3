// The training plugin: figures on hand-made records, then the built
// training.so on a `skema demo` workspace against an independent count.
#include <doctest/doctest.h>

#include "area_test.h"
#include "training_logic.h"

using namespace skema::training;
using areatest::json;
using areatest::rec;


TEST_CASE("training figures on hand-made records") {
  Records events = {
      rec({{"date", "2024-03-01"}, {"status", "held"}, {"event_type", "theme_day"}, {"office", "aarhus"},
           {"municipality", "aarhus"}, {"participants", 20}, {"booking_calls", 8}, {"booking_mails", 1},
           {"event_code", "E1"}}),
      rec({{"date", "2024-04-01"}, {"status", "planned"}, {"event_type", "course"}, {"office", "odense"},
           {"municipality", "odense"}, {"booking_calls", 3}, {"booking_mails", 2}}),
      rec({{"date", "2024-05-01"}, {"status", "cancelled"}, {"event_type", "course"}, {"office", "odense"},
           {"municipality", "odense"}, {"booking_calls", 30}, {"booking_mails", 0}}),
  };
  Records evals = {rec({{"date", "2024-03-01"}, {"event_code", "E1"}, {"overall", 5}, {"relevance", 3}}),
                   rec({{"date", "2024-03-01"}, {"event_code", "E1"}, {"overall", 4}}),
                   rec({{"date", "2024-03-01"}, {"event_code", "E9"}, {"overall", 1}})};
  Filter all;
  CHECK(participants(events, all) == 20);
  CHECK(bookingEffort(events, all) == doctest::Approx(7.0));  // (9 + 5) / 2; cancelled not booked
  auto bt = areatest::rowsByKey(eventsByType(events, all).toJson());
  CHECK(bt["course"][2] == 1);
  CHECK(bt["course"][3] == 1);
  auto ev = evaluationSummary(evals, events, all);
  CHECK(ev.rows[0][1] == 3);
  CHECK(ev.rows[0][2].get<double>() == doctest::Approx(3.33));
  CHECK(ev.rows[0][3].get<double>() == doctest::Approx(66.7));
  Filter aarhus;
  aarhus.office = "aarhus";
  CHECK(evaluationSummary(evals, events, aarhus).rows[0][1] == 2);  // E9 is unknown
}

TEST_CASE("training.so on a demo workspace: indicators match an independent count") {
  areatest::Fixture fx(1500, 3);
  const auto events = fx.records("training.event");
  const auto evals = fx.records("training.evaluation");
  REQUIRE(events.size() > 10);
  for (const std::string& off : {std::string(), std::string("copenhagen")}) {
    for (const auto& [from, to] : {std::pair<std::string, std::string>{"", ""}, {"2024-01-01", "2024-12-31"}}) {
      CAPTURE(off);
      CAPTURE(from);
      long people = 0, booked = 0;
      double contacts = 0;
      std::map<std::string, long> byType;
      std::map<std::string, std::string> office;
      for (const auto& e : events) office[e.str("event_code")] = e.str("office");
      for (const auto& e : events) {
        if (!areatest::inPeriod(e.date(), from, to) || (!off.empty() && e.str("office") != off)) continue;
        ++byType[e.str("event_type")];
        if (e.str("status") == "held") people += e.v.value("participants", 0L);
        if (e.str("status") == "held" || e.str("status") == "planned") {
          ++booked;
          contacts += e.v.value("booking_calls", 0.0) + e.v.value("booking_mails", 0.0);
        }
      }
      CHECK(fx.compute("training.participants", from, to, off) == people);
      CHECK(fx.compute("training.booking_effort", from, to, off).get<double>() ==
            doctest::Approx(booked ? contacts / double(booked) : 0.0).epsilon(0.001));
      auto got = areatest::rowsByKey(fx.compute("training.events_by_type", from, to, off));
      for (const auto& [t, n] : byType) CHECK(got[t][1].get<long>() + got[t][2].get<long>() + got[t][3].get<long>() == n);

      long answers = 0;
      double sum = 0;
      for (const auto& e : evals) {
        if (!areatest::inPeriod(e.date(), from, to)) continue;
        if (!off.empty() && (!office.count(e.str("event_code")) || office[e.str("event_code")] != off)) continue;
        if (e.v.contains("overall") && e.v["overall"].is_number()) ++answers, sum += e.v["overall"].get<double>();
      }
      auto ev = areatest::rowsByKey(fx.compute("training.evaluation_summary", from, to, off));
      CHECK(ev["overall"][1] == answers);
      if (answers) CHECK(ev["overall"][2].get<double>() == doctest::Approx(sum / double(answers)).epsilon(0.01));
      if (off.empty() && from.empty())
        MESSAGE("demo: " << events.size() << " events, " << people << " participants, booking effort "
                         << (booked ? contacts / double(booked) : 0.0) << ", overall mean "
                         << (answers ? sum / double(answers) : 0.0));
    }
  }
}
