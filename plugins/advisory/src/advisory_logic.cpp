#include "advisory_logic.h"

#include <algorithm>

namespace skema::advisory {

namespace {
Table countBy(const Records& inquiries, const Filter& f, const char* field, const char* column) {
  std::map<std::string, long> n;
  for (const auto& r : inquiries)
    if (f.matches(r)) ++n[r.text(field).empty() ? "-" : r.text(field)];
  return area::countTable(column, n, "inquiries");
}
}  // namespace

long inquiryCount(const Records& inquiries, const Filter& f) {
  return static_cast<long>(std::count_if(inquiries.begin(), inquiries.end(), [&](const auto& r) { return f.matches(r); }));
}

Table byMunicipality(const Records& inquiries, const Filter& f) {
  return countBy(inquiries, f, "municipality", "municipality");
}
Table byAuthority(const Records& inquiries, const Filter& f) { return countBy(inquiries, f, "authority", "authority"); }

Table byType(const Records& inquiries, const Filter& f) {
  std::map<std::string, long> n;
  for (const auto& r : inquiries)
    if (f.matches(r))
      for (const auto& t : area::choicesOf(r.values.value("inquiry_types", json()))) ++n[t];
  return area::countTable("inquiry_type", n, "inquiries");
}

Table byMonth(const Records& inquiries, const Filter& f) {
  std::map<std::string, long> n;
  for (const auto& r : inquiries)
    if (f.matches(r)) ++n[r.date().substr(0, 7)];
  return area::countTable("month", n, "inquiries");
}

Table followUpsDue(const Records& inquiries, const Filter& f, const std::string& today) {
  std::vector<const area::Record*> due;
  for (const auto& r : inquiries)
    if (f.matches(r) && r.text("follow_up_needed") == "yes") due.push_back(&r);
  std::stable_sort(due.begin(), due.end(), [](const auto* a, const auto* b) {
    return a->text("follow_up_due") < b->text("follow_up_due");
  });
  Table t;
  t.columns = {"due", "inquiry_date", "office", "municipality", "authority", "overdue"};
  for (const auto* r : due) {
    const std::string d = r->text("follow_up_due");
    t.rows.push_back({d, r->date(), r->text("office"), r->text("municipality"), r->text("authority"),
                      !today.empty() && !d.empty() && d < today ? "yes" : "no"});
  }
  return t;
}

}  // namespace skema::advisory
