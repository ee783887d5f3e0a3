#include "outreach_logic.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace skema::outreach {

using area::choicesOf;
using area::json;
using area::Record;
using area::textOf;

namespace {

bool heldConversation(const Record& visit) {
  auto v = visit.number("had_conversation");
  return v && *v == 1;
}

// Each persons row of a visit (an empty list when there is none).
const json& personRows(const Record& visit) {
  static const json empty = json::array();
  auto it = visit.values.find("persons");
  return it != visit.values.end() && it->is_array() ? *it : empty;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.erase(s.begin());
  return s;
}

std::string joined(const json& v) {
  std::string out;
  for (const auto& c : choicesOf(v)) out += (out.empty() ? "" : ", ") + c;
  return out;
}

}  // namespace

long visitCount(const Records& visits, const Filter& f) {
  return static_cast<long>(std::count_if(visits.begin(), visits.end(), [&](const Record& r) { return f.matches(r); }));
}

long conversationCount(const Records& visits, const Records& calls, const Filter& f) {
  long n = 0;
  for (const auto& v : visits)
    if (f.matches(v) && heldConversation(v)) n += static_cast<long>(personRows(v).size());
  for (const auto& c : calls)
    if (f.matches(c)) ++n;
  return n;
}

std::map<std::string, long> conversationsPerPerson(const Records& visits, const Records& calls, const Filter& f) {
  std::map<std::string, long> n;
  for (const auto& v : visits) {
    if (!f.matches(v) || !heldConversation(v)) continue;
    for (const auto& p : personRows(v)) {
      const std::string code = textOf(p.value("person_code", json()));
      if (!code.empty()) ++n[code];
    }
  }
  for (const auto& c : calls) {
    const std::string code = c.text("person_code");
    if (f.matches(c) && !code.empty()) ++n[code];
  }
  return n;
}

double singleConversationShare(const Records& visits, const Records& calls, const Filter& f) {
  auto per = conversationsPerPerson(visits, calls, f);
  if (per.empty()) return 0;
  long single = 0;
  for (const auto& [code, n] : per) single += n == 1;
  return area::roundTo(100.0 * static_cast<double>(single) / static_cast<double>(per.size()), 1);
}

Table referralsByKind(const Records& visits, const Records& calls, const Filter& f) {
  std::map<std::string, long> n;
  auto add = [&](const json& v) {
    for (const auto& k : choicesOf(v))
      if (k != "none") ++n[k];
  };
  for (const auto& v : visits)
    if (f.matches(v))
      for (const auto& p : personRows(v))
        if (p.contains("referrals")) add(p["referrals"]);
  for (const auto& c : calls)
    if (f.matches(c) && c.values.contains("referrals")) add(c.values["referrals"]);
  return area::countTable("referral", n, "referrals");
}

Table visitsByPhase(const Records& visits, const Filter& f) {
  std::map<std::string, long> n;
  for (const auto& v : visits)
    if (f.matches(v)) ++n[v.text("phase").empty() ? "-" : v.text("phase")];
  return area::countTable("phase", n, "visits");
}

Table clinicRegister(const Records& clinics, const Records& visits, const Filter& f) {
  struct Clinic {
    std::string municipality, name, code, status, statusDate, lastVisit;
    long visits = 0;
  };
  std::map<std::string, Clinic> byKey;  // key: code, else lower(name)
  std::map<std::string, std::string> alias;  // lower(name) or code -> key
  Filter upToEnd;
  upToEnd.to = f.to;
  for (const auto& c : clinics) {
    if (!upToEnd.inPeriod(c.date()) || !f.officeMatches(c.text("office"))) continue;
    const std::string code = c.text("register_code"), name = c.text("clinic_name");
    const std::string key = code.empty() ? lower(name) : code;
    if (key.empty()) continue;
    Clinic& k = byKey[key];
    if (k.statusDate.empty() || c.date() >= k.statusDate) {
      k.municipality = c.text("municipality");
      k.name = name;
      k.code = code;
      k.status = c.text("status");
      k.statusDate = c.date();
    }
    if (!name.empty()) alias[lower(name)] = key;
    if (!code.empty()) alias[lower(code)] = key;
  }
  for (const auto& v : visits) {
    if (!f.inPeriod(v.date())) continue;
    auto a = alias.find(lower(v.text("clinic_ref")));
    if (a == alias.end()) continue;
    Clinic& k = byKey[a->second];
    ++k.visits;
    k.lastVisit = std::max(k.lastVisit, v.date());
  }
  std::vector<const Clinic*> sorted;
  for (const auto& [key, c] : byKey) sorted.push_back(&c);
  std::sort(sorted.begin(), sorted.end(), [](const Clinic* a, const Clinic* b) {
    return a->municipality != b->municipality ? a->municipality < b->municipality : a->name < b->name;
  });
  Table t;
  t.columns = {"municipality", "clinic", "code", "status", "status_date", "last_visit", "visits"};
  for (const Clinic* c : sorted)
    t.rows.push_back({c->municipality, c->name, c->code, c->status, c->statusDate, c->lastVisit, c->visits});
  return t;
}

namespace {
struct Contact {
  std::string date, kind, phase, outcome, topics, referrals;
};

std::map<std::string, std::vector<Contact>> contactsByPerson(const Records& visits, const Records& calls,
                                                             const Filter& f) {
  std::map<std::string, std::vector<Contact>> out;
  for (const auto& v : visits) {
    if (!f.matches(v)) continue;
    for (const auto& p : personRows(v)) {
      const std::string code = textOf(p.value("person_code", json()));
      if (code.empty()) continue;
      out[code].push_back({v.date(), "visit", v.text("phase"), joined(v.values.value("contact_outcome", json())),
                           joined(p.value("topics", json())), joined(p.value("referrals", json()))});
    }
  }
  for (const auto& c : calls) {
    const std::string code = c.text("person_code");
    if (!f.matches(c) || code.empty()) continue;
    out[code].push_back({c.date(), "call", "", c.text("channel"), joined(c.values.value("topics", json())),
                         joined(c.values.value("referrals", json()))});
  }
  for (auto& [code, list] : out)
    std::stable_sort(list.begin(), list.end(), [](const Contact& a, const Contact& b) { return a.date < b.date; });
  return out;
}
}  // namespace

Table personsOverview(const Records& visits, const Records& calls, const Filter& f) {
  Table t;
  t.columns = {"person", "contacts", "first", "last", "last_phase"};
  for (const auto& [code, list] : contactsByPerson(visits, calls, f)) {
    std::string phase;
    for (const auto& c : list)
      if (!c.phase.empty()) phase = c.phase;
    t.rows.push_back({code, static_cast<long>(list.size()), list.front().date, list.back().date, phase});
  }
  return t;
}

Table personTimeline(const Records& visits, const Records& calls, const std::string& person, const Filter& f) {
  Table t;
  t.columns = {"date", "kind", "phase", "outcome", "topics", "referrals"};
  auto all = contactsByPerson(visits, calls, f);
  auto it = all.find(person);
  if (it == all.end()) return t;
  for (const auto& c : it->second) t.rows.push_back({c.date, c.kind, c.phase, c.outcome, c.topics, c.referrals});
  return t;
}

}  // namespace skema::outreach
