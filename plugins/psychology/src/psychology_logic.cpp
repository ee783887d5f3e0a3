#include "psychology_logic.h"

#include <set>

namespace skema::psychology {

using area::Record;

namespace {

std::string courseKey(const Record& r) { return r.text("person_code") + "|" + r.text("psychologist"); }

bool keep(const Record& r, const Filter& f, const std::map<std::string, std::string>& offices) {
  if (!f.inPeriod(r.date())) return false;
  if (f.office.empty()) return true;
  auto it = offices.find(courseKey(r));
  return it != offices.end() && it->second == f.office;
}

}  // namespace

std::map<std::string, std::string> courseOffices(const Records& sessions, const Records& outcomes) {
  std::map<std::string, std::string> out;
  for (const auto& o : outcomes)
    if (!o.text("office").empty()) out[courseKey(o)] = o.text("office");
  for (const auto& s : sessions)  // session 1's referring office wins
    if (s.number("session_number") == 1.0 && !s.text("office").empty()) out[courseKey(s)] = s.text("office");
  return out;
}

Table caseload(const Records& sessions, const Records& outcomes, const Filter& f) {
  const auto offices = courseOffices(sessions, outcomes);
  std::set<std::string> ended;
  for (const auto& o : outcomes) ended.insert(courseKey(o));
  struct Row {
    std::set<std::string> clients, open;
    long attended = 0, cancelled = 0, noShow = 0;
  };
  std::map<std::string, Row> rows;
  for (const auto& s : sessions) {
    if (!keep(s, f, offices)) continue;
    Row& r = rows[s.text("psychologist")];
    r.clients.insert(s.text("person_code"));
    if (!ended.count(courseKey(s))) r.open.insert(s.text("person_code"));
    const std::string st = s.text("status");
    r.attended += st == "attended";
    r.cancelled += st == "cancelled";
    r.noShow += st == "no_show";
  }
  Table t;
  t.columns = {"psychologist", "clients", "open_courses", "attended", "cancelled", "no_show"};
  for (const auto& [p, r] : rows)
    t.rows.push_back({p, static_cast<long>(r.clients.size()), static_cast<long>(r.open.size()), r.attended,
                      r.cancelled, r.noShow});
  return t;
}

Table courses(const Records& sessions, const Records& outcomes, const Filter& f) {
  const auto offices = courseOffices(sessions, outcomes);
  std::set<std::string> ended;
  for (const auto& o : outcomes) ended.insert(courseKey(o));
  struct Row {
    std::string client, psychologist, grid = std::string(11, '.');
    long attended = 0, cancelled = 0, noShow = 0;
  };
  std::map<std::string, Row> rows;
  for (const auto& s : sessions) {
    if (!keep(s, f, offices)) continue;
    Row& r = rows[courseKey(s)];
    r.client = s.text("person_code");
    r.psychologist = s.text("psychologist");
    const std::string st = s.text("status");
    const char mark = st == "attended" ? 'A' : st == "cancelled" ? 'C' : st == "no_show" ? 'N' : '?';
    r.attended += mark == 'A';
    r.cancelled += mark == 'C';
    r.noShow += mark == 'N';
    const auto n = s.number("session_number");
    if (n && *n >= 1 && *n <= 11) r.grid[static_cast<size_t>(*n) - 1] = mark;
  }
  Table t;
  t.columns = {"client", "psychologist", "office", "sessions", "attended", "cancelled", "no_show", "ended"};
  for (const auto& [key, r] : rows) {
    auto o = offices.find(key);
    t.rows.push_back({r.client, r.psychologist, o == offices.end() ? "" : o->second, r.grid, r.attended,
                      r.cancelled, r.noShow, ended.count(key) ? "yes" : "no"});
  }
  return t;
}

Table outcomeSummary(const Records& outcomes, const Filter& f) {
  std::map<std::string, long> n;
  for (const auto& o : outcomes)
    if (f.matches(o)) ++n[o.text("outcome").empty() ? "-" : o.text("outcome")];
  return area::countTable("outcome", n, "courses");
}

Table scaleChange(const Records& sessions, const Records& outcomes, const Filter& f) {
  const auto offices = courseOffices(sessions, outcomes);
  Table t;
  t.columns = {"scale", "clients", "first", "last", "change"};
  for (const char* scale : {"wellbeing", "stress", "hope"}) {
    // course -> (session number -> value): the lowest and highest numbers.
    std::map<std::string, std::map<double, double>> byCourse;
    for (const auto& s : sessions) {
      if (!keep(s, f, offices) || s.text("status") != "attended") continue;
      auto n = s.number("session_number");
      auto v = s.number(scale);
      if (n && v) byCourse[courseKey(s)].emplace(*n, *v);
    }
    long clients = 0;
    double first = 0, last = 0;
    for (const auto& [key, m] : byCourse) {
      if (m.size() < 2) continue;
      ++clients;
      first += m.begin()->second;
      last += m.rbegin()->second;
    }
    if (clients == 0) {
      t.rows.push_back({scale, 0, nullptr, nullptr, nullptr});
      continue;
    }
    const double c = static_cast<double>(clients);
    t.rows.push_back({scale, clients, area::roundTo(first / c, 2), area::roundTo(last / c, 2),
                      area::roundTo((last - first) / c, 2)});
  }
  return t;
}

}  // namespace skema::psychology
