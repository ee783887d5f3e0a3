// The advisory plugin: its form (forms/advisory), indicators and views.
#include <cstdio>
#include <ctime>
#include <string>

#include "advisory_logic.h"
#include "skema/plugin.h"

namespace skema::advisory {
#ifdef SKEMA_AREA_HAVE_VIEWS
int registerViews(const skema_host_api* api);  // advisory_views.cpp
#else
int registerViews(const skema_host_api*) { return SKEMA_OK; }  // built without the workbench
#endif
// Today as YYYY-MM-DD (local time), for "overdue".
std::string today() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  char b[16];
  std::strftime(b, sizeof b, "%Y-%m-%d", &tm);
  return b;
}
}  // namespace skema::advisory

namespace {

using namespace skema::advisory;
using skema::area::IndicatorDef;
using ByForm = std::map<std::string, Records>;

const char* const kInquiry = "advisory.inquiry";

const Records& inq(const ByForm& m) { return skema::area::recordsOf(m, kInquiry); }

const skema_text kCountL[] = {{"en", "Inquiries"}, {"da", "Henvendelser"}, {nullptr, nullptr}};
const skema_text kMuniL[] = {{"en", "Inquiries by municipality"}, {"da", "Henvendelser efter kommune"}, {nullptr, nullptr}};
const skema_text kAuthL[] = {{"en", "Inquiries by authority"}, {"da", "Henvendelser efter myndighed"}, {nullptr, nullptr}};
const skema_text kTypeL[] = {{"en", "Inquiries by type"}, {"da", "Henvendelser efter type"}, {nullptr, nullptr}};
const skema_text kMonthL[] = {{"en", "Inquiries by month"}, {"da", "Henvendelser pr. måned"}, {nullptr, nullptr}};
const skema_text kDueL[] = {{"en", "Follow-ups due"}, {"da", "Opfølgninger"}, {nullptr, nullptr}};

const std::vector<IndicatorDef>& indicators() {
  static const std::vector<IndicatorDef> defs = {
      {"advisory.inquiries", kCountL, {kInquiry}, [](const ByForm& m, const Filter& f) { return json(inquiryCount(inq(m), f)); }},
      {"advisory.by_municipality", kMuniL, {kInquiry},
       [](const ByForm& m, const Filter& f) { return byMunicipality(inq(m), f).toJson(); }},
      {"advisory.by_authority", kAuthL, {kInquiry},
       [](const ByForm& m, const Filter& f) { return byAuthority(inq(m), f).toJson(); }},
      {"advisory.by_type", kTypeL, {kInquiry}, [](const ByForm& m, const Filter& f) { return byType(inq(m), f).toJson(); }},
      {"advisory.by_month", kMonthL, {kInquiry}, [](const ByForm& m, const Filter& f) { return byMonth(inq(m), f).toJson(); }},
      {"advisory.follow_ups_due", kDueL, {kInquiry},
       [](const ByForm& m, const Filter& f) { return followUpsDue(inq(m), f, today()).toJson(); }},
  };
  return defs;
}

int advisoryInit(const skema_host_api* api, char* error, size_t errorSize) {
  return skema::area::initArea(api, "advisory", indicators(), registerViews, error, errorSize);
}

}  // namespace

SKEMA_PLUGIN("advisory", "Advisory", "1.0.0",
             "Advice to municipalities and authorities: inquiries over time, follow-ups due", advisoryInit, nullptr)
