// The outreach plugin: its figures on hand-made records, then every
// indicator of the built outreach.so on a `skema demo` workspace, checked
// against values computed here, independently, from the store's records.
#include <doctest/doctest.h>

#include <cctype>
#include <set>

#include "area_test.h"
#include "outreach_logic.h"

using namespace skema::outreach;
using areatest::json;

namespace {
skema::area::Record rec(const char* form, json values) {
  skema::area::Record r;
  r.form = form;
  r.values = std::move(values);
  return r;
}
}  // namespace

TEST_CASE("outreach figures on hand-made records") {
  Records visits = {
      rec("outreach.visit", {{"date", "2024-01-10"}, {"office", "odense"}, {"phase", "contact"},
                             {"had_conversation", 1}, {"clinic_ref", "Rosa Massage"},
                             {"persons", {{{"person_code", "P-A"}, {"referrals", "psychologist_scheme skat"}},
                                          {{"person_code", "P-B"}, {"referrals", "none"}}}}}),
      rec("outreach.visit", {{"date", "2024-02-10"}, {"office", "odense"}, {"phase", "motivation"},
                             {"had_conversation", 1}, {"clinic_ref", "rosa massage "},
                             {"persons", {{{"person_code", "P-A"}, {"referrals", "skat"}}}}}),
      rec("outreach.visit", {{"date", "2024-03-01"}, {"office", "aarhus"}, {"phase", "screening_planning"},
                             {"had_conversation", 0}, {"clinic_ref", "K-9"}}),
  };
  Records calls = {rec("outreach.call", {{"date", "2024-02-20"}, {"office", "odense"}, {"person_code", "P-C"},
                                         {"referrals", "police"}})};
  Records clinics = {
      rec("outreach.clinic", {{"date", "2023-12-01"}, {"office", "odense"}, {"clinic_name", "Rosa Massage"},
                              {"municipality", "odense"}, {"status", "active"}}),
      rec("outreach.clinic", {{"date", "2024-02-15"}, {"office", "odense"}, {"clinic_name", "Rosa massage"},
                              {"municipality", "odense"}, {"status", "closed"}}),
  };
  Filter all;
  CHECK(visitCount(visits, all) == 3);
  CHECK(conversationCount(visits, calls, all) == 4);  // 2 + 1 persons rows, 1 call
  auto per = conversationsPerPerson(visits, calls, all);
  CHECK(per["P-A"] == 2);
  CHECK(per.size() == 3);
  CHECK(singleConversationShare(visits, calls, all) == doctest::Approx(66.7));
  auto refs = areatest::rowsByKey(referralsByKind(visits, calls, all).toJson());
  CHECK(refs["skat"][1] == 2);
  CHECK(refs["psychologist_scheme"][1] == 1);
  CHECK(refs.count("none") == 0);

  Filter odense;
  odense.office = "odense";
  odense.from = "2024-02-01";
  CHECK(visitCount(visits, odense) == 1);
  CHECK(conversationCount(visits, calls, odense) == 2);

  auto reg = clinicRegister(clinics, visits, all).toJson();
  REQUIRE(reg["rows"].size() == 1);
  CHECK(reg["rows"][0][3] == "closed");      // the latest status
  CHECK(reg["rows"][0][5] == "2024-02-10");  // last visit, name matched case-insensitively
  CHECK(reg["rows"][0][6] == 2);

  auto tl = personTimeline(visits, calls, "P-A", all).toJson();
  REQUIRE(tl["rows"].size() == 2);
  CHECK(tl["rows"][0][2] == "contact");
  CHECK(tl["rows"][1][2] == "motivation");
}

TEST_CASE("outreach.so on a demo workspace: indicators match an independent count") {
  areatest::Fixture fx(900, 5);
  const auto visits = fx.records("outreach.visit");
  const auto calls = fx.records("outreach.call");
  const auto clinics = fx.records("outreach.clinic");
  REQUIRE(visits.size() > 50);
  CHECK(fx.registry.hasView("outreach.view.dashboard") == (SKEMA_TEST_HAVE_VIEWS != 0));

  struct Case {
    std::string from, to, office;
  };
  for (const Case& c : {Case{"", "", ""}, Case{"2024-01-01", "2024-06-30", ""}, Case{"", "", "aarhus"},
                        Case{"2023-07-01", "2024-03-31", "copenhagen"}}) {
    CAPTURE(c.from);
    CAPTURE(c.to);
    CAPTURE(c.office);
    auto keep = [&](const areatest::Rec& r) {
      return areatest::inPeriod(r.date(), c.from, c.to) && (c.office.empty() || r.str("office") == c.office);
    };
    long nVisits = 0, nConv = 0;
    std::map<std::string, long> perPerson, refs;
    for (const auto& v : visits) {
      if (!keep(v)) continue;
      ++nVisits;
      const bool held = v.str("had_conversation") == "1";
      if (v.v.contains("persons"))
        for (const auto& p : v.v["persons"]) {
          if (held) {
            ++nConv;
            ++perPerson[p["person_code"].get<std::string>()];
          }
          for (const auto& k : areatest::words(p.value("referrals", json())))
            if (k != "none") ++refs[k];
        }
    }
    for (const auto& call : calls) {
      if (!keep(call)) continue;
      ++nConv;
      if (!call.str("person_code").empty()) ++perPerson[call.str("person_code")];
      for (const auto& k : areatest::words(call.v.value("referrals", json())))
        if (k != "none") ++refs[k];
    }
    long single = 0;
    for (const auto& [code, n] : perPerson) single += n == 1;
    const double share = perPerson.empty() ? 0 : 100.0 * double(single) / double(perPerson.size());

    CHECK(fx.compute("outreach.visits", c.from, c.to, c.office) == nVisits);
    CHECK(fx.compute("outreach.conversations", c.from, c.to, c.office) == nConv);
    CHECK(fx.compute("outreach.single_conversation_share", c.from, c.to, c.office).get<double>() ==
          doctest::Approx(share).epsilon(0.002));
    auto got = areatest::rowsByKey(fx.compute("outreach.referrals_by_kind", c.from, c.to, c.office));
    CHECK(got.size() == refs.size());
    for (const auto& [k, n] : refs) CHECK(got[k][1] == n);
    if (c.from.empty() && c.office.empty())
      MESSAGE("demo: " << nVisits << " visits, " << nConv << " conversations, " << perPerson.size()
                       << " persons, single-conversation share " << share << " %");
  }

  // The clinic register: one row per clinic known (by code, else name).
  std::set<std::string> keys;
  for (const auto& c : clinics) {
    std::string k = c.str("register_code");
    if (k.empty()) {
      k = c.str("clinic_name");
      for (auto& ch : k) ch = char(std::tolower((unsigned char)ch));
      while (!k.empty() && k.back() == ' ') k.pop_back();
      while (!k.empty() && k.front() == ' ') k.erase(k.begin());
    }
    if (!k.empty()) keys.insert(k);
  }
  CHECK(fx.compute("outreach.clinic_register")["rows"].size() == keys.size());
}
