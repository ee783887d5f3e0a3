// Lenient parsing of dates and times as people type them in the workbench:
// "2026-11-26", "26-11-2026", "26/11/2026", "26.11.26", "26112026",
// "26/11" (this year), "i dag"/"today", "i går"/"yesterday",
// "i morgen"/"tomorrow", "+3"/"-2" (days from today). Times: "14:30",
// "1430", "9", "nu"/"now". Results use the stored formats: date
// "YYYY-MM-DD", time "HH:MM", datetime "YYYY-MM-DDTHH:MM". No UI here.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace skema {

struct CivilDate {
  int year = 1970, month = 1, day = 1;
};
struct ClockTime {
  int hour = 0, minute = 0;
};

bool isValidDate(int year, int month, int day);
int daysInMonth(int year, int month);
// Adds (or subtracts) whole days.
CivilDate addDays(const CivilDate& d, int days);
// Today and the current time in the local time zone.
CivilDate today();
ClockTime nowClock();

std::string formatDate(const CivilDate& d);    // "YYYY-MM-DD"
std::string formatTime(const ClockTime& t);    // "HH:MM"

// Parses what a user typed into a date field; `ref` is "today".
std::optional<std::string> parseDateInput(std::string_view text, const CivilDate& ref);
std::optional<std::string> parseDateInput(std::string_view text);
std::optional<std::string> parseTimeInput(std::string_view text, const ClockTime& ref);
std::optional<std::string> parseTimeInput(std::string_view text);
// A date, optionally followed by a space or 'T' and a time ("i dag 14:30").
std::optional<std::string> parseDateTimeInput(std::string_view text, const CivilDate& refDate,
                                              const ClockTime& refTime);
std::optional<std::string> parseDateTimeInput(std::string_view text);

}  // namespace skema
