// The advisory area's figures, as plain functions over advisory.inquiry
// records. No ImGui, no host. Period: the inquiry's date; office: its office.
#pragma once
#include <string>

#include "skema_area/area.h"

namespace skema::advisory {

using area::Filter;
using area::json;
using area::Records;
using area::Table;

long inquiryCount(const Records& inquiries, const Filter& f);
Table byMunicipality(const Records& inquiries, const Filter& f);  // [municipality, inquiries]
Table byAuthority(const Records& inquiries, const Filter& f);     // [authority, inquiries]
Table byType(const Records& inquiries, const Filter& f);          // [inquiry_type, inquiries] (each type chosen)
Table byMonth(const Records& inquiries, const Filter& f);         // [month YYYY-MM, inquiries]
// Inquiries with follow_up_needed = yes, soonest due first:
// [due, inquiry_date, office, municipality, authority, overdue] where
// overdue is "yes" when due < `today` (YYYY-MM-DD; "" = never).
Table followUpsDue(const Records& inquiries, const Filter& f, const std::string& today);

}  // namespace skema::advisory
