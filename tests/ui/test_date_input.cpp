#include <doctest/doctest.h>

#include "util/date_input.h"
#include "util/i18n.h"

using namespace skema;

TEST_CASE("date input: the ways people type a date") {
  const CivilDate ref{2026, 11, 26};
  auto p = [&](const char* s) { return parseDateInput(s, ref).value_or("-"); };
  CHECK(p("2026-11-26") == "2026-11-26");
  CHECK(p("26-11-2026") == "2026-11-26");
  CHECK(p("26/11/2026") == "2026-11-26");
  CHECK(p("26.11.2026") == "2026-11-26");
  CHECK(p("1-2-2026") == "2026-02-01");
  CHECK(p("26-11-26") == "2026-11-26");
  CHECK(p("26112026") == "2026-11-26");
  CHECK(p("20261126") == "2026-11-26");
  CHECK(p("261126") == "2026-11-26");
  CHECK(p("26/11") == "2026-11-26");
  CHECK(p("i dag") == "2026-11-26");
  CHECK(p("  I DAG ") == "2026-11-26");
  CHECK(p("idag") == "2026-11-26");
  CHECK(p("today") == "2026-11-26");
  CHECK(p("i går") == "2026-11-25");
  CHECK(p("yesterday") == "2026-11-25");
  CHECK(p("i morgen") == "2026-11-27");
  CHECK(p("-30") == "2026-10-27");
  CHECK(p("+7") == "2026-12-03");
  CHECK(p("29-02-2024") == "2024-02-29");
}

TEST_CASE("date input: nonsense is refused") {
  const CivilDate ref{2026, 11, 26};
  for (const char* s : {"", "  ", "29-02-2026", "32-01-2026", "2026-13-01", "abc", "26-11-2026x", "1", "12345",
                        "2026/11", "00-00-0000", "26--11-2026"})
    CHECK_MESSAGE(!parseDateInput(s, ref), s);
}

TEST_CASE("time and datetime input") {
  const ClockTime now{9, 5};
  CHECK(parseTimeInput("14:30", now) == "14:30");
  CHECK(parseTimeInput("14.30", now) == "14:30");
  CHECK(parseTimeInput("1430", now) == "14:30");
  CHECK(parseTimeInput("930", now) == "09:30");
  CHECK(parseTimeInput("9", now) == "09:00");
  CHECK(parseTimeInput("14:30:00", now) == "14:30");
  CHECK(parseTimeInput("nu", now) == "09:05");
  CHECK_FALSE(parseTimeInput("24:00", now));
  CHECK_FALSE(parseTimeInput("12:60", now));
  CHECK_FALSE(parseTimeInput("x", now));
  const CivilDate ref{2026, 11, 26};
  CHECK(parseDateTimeInput("26-11-2026 14:30", ref, now) == "2026-11-26T14:30");
  CHECK(parseDateTimeInput("2026-11-26T14:30", ref, now) == "2026-11-26T14:30");
  CHECK(parseDateTimeInput("i dag 8", ref, now) == "2026-11-26T08:00");
  CHECK(parseDateTimeInput("nu", ref, now) == "2026-11-26T09:05");
  CHECK(parseDateTimeInput("26-11-2026", ref, now) == "2026-11-26T00:00");
  CHECK_FALSE(parseDateTimeInput("26-11-2026 25:00", ref, now));
}

TEST_CASE("calendar helpers") {
  CHECK(addDays({2026, 12, 31}, 1).year == 2027);
  CHECK(addDays({2024, 3, 1}, -1).day == 29);
  CHECK(daysInMonth(2100, 2) == 28);
  CHECK(daysInMonth(2000, 2) == 29);
  CHECK(formatDate({7, 1, 2}) == "0007-01-02");
}

TEST_CASE("translator: nested tables, fallback to English, then the key") {
  Translator t;
  REQUIRE(t.loadDir(SKEMA_ASSETS_DIR "/lang") >= 2);
  t.setLanguage("da");
  CHECK(t.tr("workbench.menu.file") == "Filer");
  t.setLanguage("en");
  CHECK(t.tr("workbench.menu.file") == "File");
  t.add("en", "only.english", "English only");
  t.setLanguage("da");
  CHECK(t.tr("only.english") == "English only");
  CHECK(t.tr("no.such.key") == "no.such.key");
  CHECK(t.format("entry.status.problems", {"3"}) == "3 felt(er) skal rettes, før registreringen kan gemmes.");
  CHECK(substitute("{0} and {1} and {2}", {"a", "b"}) == "a and b and {2}");
}

TEST_CASE("translator: Danish and English tables have the same keys") {
  Translator t;
  REQUIRE(t.loadDir(SKEMA_ASSETS_DIR "/lang") >= 2);
  // Every key in one language resolves in the other without falling back to the key.
  for (const char* probe : {"entry.error.required", "browser.col.updated", "home.keys", "user.initials",
                            "entry.repeat.add", "area.outreach", "nav.records"}) {
    t.setLanguage("da");
    const std::string da = t.tr(probe);
    t.setLanguage("en");
    const std::string en = t.tr(probe);
    CHECK(da != probe);
    CHECK(en != probe);
    CHECK(da != en);
  }
}
