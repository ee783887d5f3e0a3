// The advisory plugin: figures on hand-made records, then the built
// advisory.so on a `skema demo` workspace against an independent count.
#include <doctest/doctest.h>

#include "advisory_logic.h"
#include "area_test.h"

using namespace skema::advisory;
using areatest::json;
using areatest::rec;


TEST_CASE("advisory figures on hand-made records") {
  Records r = {rec({{"date", "2024-01-05"}, {"office", "aarhus"}, {"municipality", "aarhus"}, {"authority", "police"},
                    {"inquiry_types", "case_sparring courses"}, {"follow_up_needed", "yes"}, {"follow_up_due", "2024-02-01"}}),
               rec({{"date", "2024-02-05"}, {"office", "odense"}, {"authority", "police"}, {"inquiry_types", "courses"},
                    {"follow_up_needed", "yes"}, {"follow_up_due", "2024-01-20"}}),
               rec({{"date", "2024-02-07"}, {"office", "odense"}, {"municipality", "odense"}, {"authority", "skat"},
                    {"inquiry_types", "materials"}, {"follow_up_needed", "no"}})};
  Filter all;
  CHECK(inquiryCount(r, all) == 3);
  auto types = areatest::rowsByKey(byType(r, all).toJson());
  CHECK(types["courses"][1] == 2);
  CHECK(areatest::rowsByKey(byMunicipality(r, all).toJson())["-"][1] == 1);
  auto months = byMonth(r, all);
  REQUIRE(months.rows.size() == 2);
  CHECK(months.rows[1][1] == 2);
  auto due = followUpsDue(r, all, "2024-01-25");
  REQUIRE(due.rows.size() == 2);
  CHECK(due.rows[0][0] == "2024-01-20");
  CHECK(due.rows[0][5] == "yes");
  CHECK(due.rows[1][5] == "no");
  Filter odense;
  odense.office = "odense";
  odense.to = "2024-02-06";
  CHECK(inquiryCount(r, odense) == 1);
}

TEST_CASE("advisory.so on a demo workspace: indicators match an independent count") {
  areatest::Fixture fx(900, 21);
  const auto inquiries = fx.records("advisory.inquiry");
  REQUIRE(inquiries.size() > 30);
  for (const std::string& off : {std::string(), std::string("aarhus")}) {
    for (const auto& [from, to] : {std::pair<std::string, std::string>{"", ""}, {"2023-10-01", "2024-03-31"}}) {
      CAPTURE(off);
      CAPTURE(from);
      long n = 0, follow = 0;
      std::map<std::string, long> muni, auth, type, month;
      for (const auto& q : inquiries) {
        if (!areatest::inPeriod(q.date(), from, to) || (!off.empty() && q.str("office") != off)) continue;
        ++n;
        ++muni[q.str("municipality").empty() ? "-" : q.str("municipality")];
        ++auth[q.str("authority")];
        ++month[q.date().substr(0, 7)];
        for (const auto& t : areatest::words(q.v.value("inquiry_types", json()))) ++type[t];
        follow += q.str("follow_up_needed") == "yes";
      }
      CHECK(fx.compute("advisory.inquiries", from, to, off) == n);
      auto check = [&](const char* id, const std::map<std::string, long>& want) {
        auto got = areatest::rowsByKey(fx.compute(id, from, to, off));
        CHECK(got.size() == want.size());
        for (const auto& [k, c] : want) CHECK(got[k][1] == c);
      };
      check("advisory.by_municipality", muni);
      check("advisory.by_authority", auth);
      check("advisory.by_type", type);
      check("advisory.by_month", month);
      CHECK(long(fx.compute("advisory.follow_ups_due", from, to, off)["rows"].size()) == follow);
      if (off.empty() && from.empty())
        MESSAGE("demo: " << n << " inquiries, " << follow << " follow-ups, " << month.size() << " months");
    }
  }
}
