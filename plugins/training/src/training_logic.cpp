#include "training_logic.h"

namespace skema::training {

using area::Record;

const std::vector<std::string>& evaluationItems() {
  static const std::vector<std::string> items = {"overall",          "relevance",       "new_knowledge",
                                                 "recognise_signs",  "talk_with_youth", "teaching_form",
                                                 "use_in_practice"};
  return items;
}

namespace {

Table byKey(const Records& events, const Filter& f, const char* field) {
  struct Row {
    long held = 0, planned = 0, cancelled = 0, participants = 0;
  };
  std::map<std::string, Row> rows;
  for (const auto& e : events) {
    if (!f.matches(e)) continue;
    Row& r = rows[e.text(field).empty() ? "-" : e.text(field)];
    const std::string st = e.text("status");
    r.held += st == "held";
    r.planned += st == "planned";
    r.cancelled += st == "cancelled";
    if (st == "held") r.participants += static_cast<long>(e.number("participants").value_or(0));
  }
  Table t;
  t.columns = {field, "held", "planned", "cancelled", "participants"};
  for (const auto& [k, r] : rows) t.rows.push_back({k, r.held, r.planned, r.cancelled, r.participants});
  return t;
}

}  // namespace

Table eventsByType(const Records& events, const Filter& f) { return byKey(events, f, "event_type"); }
Table eventsByMunicipality(const Records& events, const Filter& f) { return byKey(events, f, "municipality"); }

double bookingEffort(const Records& events, const Filter& f) {
  long n = 0;
  double contacts = 0;
  for (const auto& e : events) {
    const std::string st = e.text("status");
    if (!f.matches(e) || (st != "held" && st != "planned")) continue;
    ++n;
    contacts += e.number("booking_calls").value_or(0) + e.number("booking_mails").value_or(0);
  }
  return n == 0 ? 0 : area::roundTo(contacts / static_cast<double>(n), 2);
}

long participants(const Records& events, const Filter& f) {
  long n = 0;
  for (const auto& e : events)
    if (f.matches(e) && e.text("status") == "held") n += static_cast<long>(e.number("participants").value_or(0));
  return n;
}

Table evaluationSummary(const Records& evaluations, const Records& events, const Filter& f) {
  std::map<std::string, std::string> eventOffice;
  for (const auto& e : events)
    if (!e.text("event_code").empty()) eventOffice[e.text("event_code")] = e.text("office");
  std::map<std::string, long> answers, agree;
  std::map<std::string, double> sum;
  for (const auto& ev : evaluations) {
    if (!f.inPeriod(ev.date())) continue;
    if (!f.office.empty()) {
      auto it = eventOffice.find(ev.text("event_code"));
      if (it == eventOffice.end() || it->second != f.office) continue;
    }
    for (const auto& item : evaluationItems()) {
      auto v = ev.number(item.c_str());
      if (!v || *v < 1 || *v > 5) continue;
      ++answers[item];
      sum[item] += *v;
      agree[item] += *v >= 4;
    }
  }
  Table t;
  t.columns = {"item", "answers", "mean", "agree_pct"};
  for (const auto& item : evaluationItems()) {
    const long n = answers[item];
    if (n == 0) {
      t.rows.push_back({item, 0, nullptr, nullptr});
      continue;
    }
    t.rows.push_back({item, n, area::roundTo(sum[item] / static_cast<double>(n), 2),
                      area::roundTo(100.0 * static_cast<double>(agree[item]) / static_cast<double>(n), 1)});
  }
  return t;
}

}  // namespace skema::training
