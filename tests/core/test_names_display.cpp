// Control characters in names and in output: util/text's displayText and
// checkUserName, and the store refusing an actor whose name would forge
// lines or drive a terminal from the audit log.
#include <doctest/doctest.h>

#include <string>

#include "test_store_util.h"
#include "util/text.h"

using namespace skema::store;
using skema::displayLines;
using skema::displayText;
using skema::isHiddenControl;
using skema::nextCodePoint;
using storetest::TempDir;

TEST_CASE("nextCodePoint decodes UTF-8 strictly") {
  auto one = [](std::string s) {
    size_t i = 0;
    auto cp = nextCodePoint(s, i);
    return std::make_pair(cp ? int(*cp) : -1, i);
  };
  CHECK(one("a") == std::make_pair(0x61, size_t(1)));
  CHECK(one("\xc3\xa6") == std::make_pair(0xE6, size_t(2)));            // æ
  CHECK(one("\xe2\x80\xae") == std::make_pair(0x202E, size_t(3)));
  CHECK(one("\xf0\x9f\x98\x80") == std::make_pair(0x1F600, size_t(4)));
  CHECK(one("\xff") == std::make_pair(-1, size_t(1)));
  CHECK(one("\xc3") == std::make_pair(-1, size_t(1)));                  // cut short
  CHECK(one("\xc3(") == std::make_pair(-1, size_t(1)));                 // not a continuation
  CHECK(one("\xc0\xaf") == std::make_pair(-1, size_t(1)));              // overlong '/'
  CHECK(one("\xe0\x80\xaf") == std::make_pair(-1, size_t(1)));          // overlong
  CHECK(one("\xed\xa0\x80") == std::make_pair(-1, size_t(1)));          // a surrogate
  CHECK(one("\xf4\x90\x80\x80") == std::make_pair(-1, size_t(1)));      // past U+10FFFF
}

TEST_CASE("isHiddenControl: C0, DEL, C1, separators, bidi controls") {
  for (char32_t c : {0x00, 0x07, 0x0A, 0x1B, 0x1F, 0x7F, 0x80, 0x9B, 0x9F, 0x061C, 0x200E, 0x200F, 0x2028,
                     0x2029, 0x202A, 0x202E, 0x2066, 0x2069})
    CHECK_MESSAGE(isHiddenControl(c), int(c));
  for (char32_t c : {0x20, 0x41, 0x7E, 0xA0, 0xE6, 0x200B, 0x200D, 0x2030, 0x206A, 0x1F600})
    CHECK_MESSAGE(!isHiddenControl(c), int(c));
}

TEST_CASE("displayText escapes what would drive a terminal or hide text, nothing else") {
  CHECK(displayText("Anne Sørensen, Århus \\ 50%") == "Anne Sørensen, Århus \\ 50%");
  CHECK(displayText("a\x1b[2Jb") == "a\\x1b[2Jb");
  CHECK(displayText("one\ntwo\tthree\rfour") == "one\\ntwo\\tthree\\rfour");
  CHECK(displayText(std::string("nul\0!", 5)) == "nul\\x00!");
  CHECK(displayText("del\x7f") == "del\\x7f");
  CHECK(displayText("csi\xc2\x9b" "31m") == "csi\\u009b31m");
  CHECK(displayText("evil\xe2\x80\xae" "txt.exe") == "evil\\u202etxt.exe");
  CHECK(displayText("ls\xe2\x80\xa8ps\xe2\x80\xa9") == "ls\\u2028ps\\u2029");
  CHECK(displayText("iso\xe2\x81\xa6x\xe2\x81\xa9") == "iso\\u2066x\\u2069");
  CHECK(displayText("bad\xff\xc3") == "bad\\xff\\xc3");
  CHECK(displayLines("line 1\nline\x1b 2\n") == "line 1\nline\\x1b 2\n");
}

TEST_CASE("checkUserName: 1 to 64 bytes of UTF-8 without hidden controls") {
  CHECK_FALSE(checkUserName("anna"));
  CHECK_FALSE(checkUserName("Søren Ægidius-Østergård"));
  CHECK_FALSE(checkUserName(std::string(64, 'a')));
  CHECK(checkUserName("") == "is empty");
  CHECK(checkUserName(std::string(65, 'a')) == "is 65 bytes long (at most 64)");
  CHECK(checkUserName("eve\x1b[31m") == "contains the control character U+001B");
  CHECK(checkUserName("eve\nroot") == "contains the control character U+000A");
  CHECK(checkUserName("eve\t") == "contains the control character U+0009");
  CHECK(checkUserName("eve\x7f") == "contains the control character U+007F");
  CHECK(checkUserName("eve\xc2\x85") == "contains the control character U+0085");
  CHECK(checkUserName("eve\xe2\x80\xae") == "contains the control character U+202E");
  CHECK(checkUserName("eve\xe2\x80\xa8") == "contains the control character U+2028");
  CHECK(checkUserName("eve\xe2\x81\xa7") == "contains the control character U+2067");
  CHECK(checkUserName("eve\xff") == "is not valid UTF-8 (byte 4)");
}

TEST_CASE("store: a write by an actor with a hidden control in the name is refused, and nothing is written") {
  TempDir t;
  auto s = SqliteStore::create(t.file("w.skema"));
  const auto form = storetest::loadTestForm(storetest::kVisitV1);
  const Actor evil{"eve\x1b[2J\nroot", "because"};
  auto refused = [](auto&& write) {
    try {
      write();
    } catch (const StoreError& e) {
      CHECK(e.kind() == ErrorKind::Invalid);
      CHECK(std::string(e.what()) == "the user name \"eve\\x1b[2J\\nroot\" contains the control character U+001B");
      return true;
    }
    return false;
  };
  CHECK(refused([&] { s->publishForm(form, evil); }));
  CHECK(s->formVersions().empty());
  s->publishForm(form, {"anna", ""});

  CHECK(refused([&] { s->save(storetest::visit("2024-03-01", "cph"), evil); }));
  CHECK(refused([&] { s->saveBatch({storetest::visit("2024-03-01", "cph")}, evil); }));
  Record kept = s->save(storetest::visit("2024-03-01", "cph"), {"anna", ""});
  Record edit = kept;
  edit.values["office"] = "odense";
  CHECK(refused([&] { s->save(edit, evil); }));
  CHECK(refused([&] { s->remove(kept.id, evil); }));
  CHECK(refused([&] { s->saveFormDraft({"test.visit", 1, "{}", "", ""}, evil); }));
  CHECK(refused([&] { s->saveReport({"r", "test.visit", "{}", "", ""}, evil); }));
  CHECK_FALSE(s->formDraft("test.visit"));
  CHECK(s->savedReports().empty());

  RecordQuery q;
  q.formId = "test.visit";
  q.includeDeleted = true;
  auto page = s->query(q);
  REQUIRE(page.records.size() == 1);
  CHECK(page.records[0].revision == 1);
  CHECK(page.records[0].values["office"] == "cph");
  struct OneRow : ImportSource {
    bool given = false;
    bool next(ImportRow& r) override {
      if (given) return false;
      given = true;
      r.line = 2;
      r.record = storetest::visit("2024-03-02", "cph");
      return true;
    }
    void rejected(const ImportRow&, const std::vector<FieldMessage>&) override {}
  } source;
  CHECK(refused([&] { s->importRecords(source, evil, {}); }));
  CHECK(s->query(q).records.size() == 1);
  // The audit log has only anna's rows: no line forged into it.
  CHECK(storetest::sqlInt(t.file("w.skema"), "SELECT count(*) FROM audit WHERE user <> 'anna'") == 0);
  CHECK(s->verifyAudit().ok);

  // Too long, not UTF-8, a bidi override: the same.
  for (std::string name : {std::string(65, 'x'), std::string("eve\xff"), std::string("eve\xe2\x80\xae")}) {
    CAPTURE(displayText(name));
    CHECK_THROWS_AS(s->save(edit, {name, "why"}), StoreError);
  }
  // An empty name is "unknown", as before; a plain one is taken.
  CHECK(s->save(edit, {"", "why"}).updatedBy == "unknown");
}
