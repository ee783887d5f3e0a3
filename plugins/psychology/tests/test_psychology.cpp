// The psychology plugin: figures on hand-made records, then the built
// psychology.so on a `skema demo` workspace against an independent count.
#include <doctest/doctest.h>

#include <set>

#include "area_test.h"
#include "psychology_logic.h"

using namespace skema::psychology;
using areatest::json;
using areatest::rec;


TEST_CASE("psychology figures on hand-made records") {
  Records sessions = {
      rec({{"person_code", "K-1"}, {"psychologist", "PA"}, {"session_number", 1}, {"date", "2024-01-01"},
           {"office", "aarhus"}, {"status", "attended"}, {"wellbeing", 3}, {"stress", 8}}),
      rec({{"person_code", "K-1"}, {"psychologist", "PA"}, {"session_number", 2}, {"date", "2024-01-08"},
           {"status", "no_show"}}),
      rec({{"person_code", "K-1"}, {"psychologist", "PA"}, {"session_number", 3}, {"date", "2024-01-15"},
           {"status", "attended"}, {"wellbeing", 6}, {"stress", 5}}),
      rec({{"person_code", "K-2"}, {"psychologist", "PA"}, {"session_number", 1}, {"date", "2024-02-01"},
           {"office", "odense"}, {"status", "cancelled"}}),
  };
  Records outcomes = {rec({{"person_code", "K-1"}, {"psychologist", "PA"}, {"date", "2024-03-01"},
                           {"office", "aarhus"}, {"outcome", "large"}})};
  Filter all;
  auto cl = caseload(sessions, outcomes, all);
  REQUIRE(cl.rows.size() == 1);
  CHECK(cl.rows[0][1] == 2);  // clients
  CHECK(cl.rows[0][2] == 1);  // open: K-2
  CHECK(cl.rows[0][3] == 2);
  CHECK(cl.rows[0][4] == 1);
  CHECK(cl.rows[0][5] == 1);
  auto co = courses(sessions, outcomes, all);
  REQUIRE(co.rows.size() == 2);
  CHECK(co.rows[0][3] == "ANA........");
  CHECK(co.rows[0][7] == "yes");
  auto sc = scaleChange(sessions, outcomes, all);
  CHECK(sc.rows[0][1] == 1);
  CHECK(sc.rows[0][4].get<double>() == doctest::Approx(3));
  CHECK(sc.rows[1][4].get<double>() == doctest::Approx(-3));
  CHECK(sc.rows[2][1] == 0);  // hope never rated
  Filter odense;
  odense.office = "odense";
  CHECK(courses(sessions, outcomes, odense).rows.size() == 1);
  CHECK(outcomeSummary(outcomes, all).rows[0][1] == 1);
}

TEST_CASE("psychology.so on a demo workspace: indicators match an independent count") {
  areatest::Fixture fx(900, 9);
  const auto sessions = fx.records("psychology.session");
  const auto outcomes = fx.records("psychology.outcome");
  REQUIRE(sessions.size() > 50);

  // Independent: the course's office from session 1, else from the outcome.
  std::map<std::string, std::string> office;
  auto key = [](const areatest::Rec& r) { return r.str("person_code") + "|" + r.str("psychologist"); };
  for (const auto& o : outcomes)
    if (!o.str("office").empty()) office[key(o)] = o.str("office");
  for (const auto& s : sessions)
    if (s.str("session_number") == "1" && !s.str("office").empty()) office[key(s)] = s.str("office");
  std::set<std::string> ended;
  for (const auto& o : outcomes) ended.insert(key(o));

  for (const std::string& off : {std::string(), std::string("odense")}) {
    for (const auto& [from, to] : {std::pair<std::string, std::string>{"", ""}, {"2024-01-01", "2024-09-30"}}) {
      CAPTURE(off);
      CAPTURE(from);
      auto keep = [&](const areatest::Rec& s) {
        return areatest::inPeriod(s.date(), from, to) && (off.empty() || office[key(s)] == off);
      };
      std::map<std::string, std::set<std::string>> clients;
      std::map<std::string, long> attended, noShow;
      std::map<std::string, std::map<int, double>> wellbeing;  // course -> session -> value
      for (const auto& s : sessions) {
        if (!keep(s)) continue;
        clients[s.str("psychologist")].insert(s.str("person_code"));
        if (s.str("status") == "attended") {
          ++attended[s.str("psychologist")];
          if (s.v.contains("wellbeing") && s.v["wellbeing"].is_number())
            wellbeing[key(s)][s.v["session_number"].get<int>()] = s.v["wellbeing"].get<double>();
        }
        if (s.str("status") == "no_show") ++noShow[s.str("psychologist")];
      }
      auto got = areatest::rowsByKey(fx.compute("psychology.caseload", from, to, off));
      CHECK(got.size() == clients.size());
      for (const auto& [p, cs] : clients) {
        CHECK(got[p][1] == long(cs.size()));
        CHECK(got[p][3] == attended[p]);
        CHECK(got[p][5] == noShow[p]);
      }
      long n = 0;
      double first = 0, last = 0;
      for (const auto& [k, m] : wellbeing)
        if (m.size() >= 2) ++n, first += m.begin()->second, last += m.rbegin()->second;
      auto scales = areatest::rowsByKey(fx.compute("psychology.scale_change", from, to, off));
      CHECK(scales["wellbeing"][1] == n);
      if (n > 0) CHECK(scales["wellbeing"][4].get<double>() == doctest::Approx((last - first) / double(n)).epsilon(0.01));
      if (off.empty() && from.empty())
        MESSAGE("demo: " << sessions.size() << " sessions, " << clients.size() << " psychologists, wellbeing change over "
                         << n << " courses " << (n ? (last - first) / double(n) : 0.0));

      std::map<std::string, long> outc;
      for (const auto& o : outcomes)
        if (areatest::inPeriod(o.date(), from, to) && (off.empty() || o.str("office") == off)) ++outc[o.str("outcome")];
      auto go = areatest::rowsByKey(fx.compute("psychology.outcomes", from, to, off));
      for (const auto& [k, c] : outc) CHECK(go[k][1] == c);
    }
  }
  // Every course: ended exactly when an outcome exists.
  for (const auto& row : fx.compute("psychology.courses")["rows"]) {
    const std::string k = row[0].get<std::string>() + "|" + row[1].get<std::string>();
    CHECK(row[7] == (ended.count(k) ? "yes" : "no"));
  }
}
