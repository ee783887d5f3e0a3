// skema audit verify WORKSPACE, skema audit show WORKSPACE RECORD.
#include <cstdio>

#include "cli/cmd_store_common.h"
#include "util/text.h"

namespace skema::cli {

using namespace skema::store;

int auditCommand(const Args& args) {
  const char* use = "skema audit verify WORKSPACE | skema audit show WORKSPACE RECORD_ID [--json]";
  auto a = parseArgs(args, {"--user"}, {"--json"});
  if (!a.error.empty() || a.pos.size() < 2) return usage(use);
  const std::string& sub = a.pos[0];
  try {
    if (sub == "verify" && a.pos.size() == 2) {
      auto s = openWorkspace(a.pos[1]);
      auto v = s->verifyAudit();
      if (v.ok) {
        std::printf("audit log intact: %lld rows; every record matches its audit history\n", (long long)v.rows);
        return kOk;
      }
      std::fprintf(stderr, "skema: audit log broken: %s\n", displayText(v.message).c_str());
      if (v.firstBrokenSeq) std::printf("first broken row: %lld\n", (long long)v.firstBrokenSeq);
      else std::printf("first differing record: %s\n", displayText(v.firstBadRecord).c_str());
      return kFailed;
    }
    if (sub == "show" && a.pos.size() == 3) {
      auto s = openWorkspace(a.pos[1]);
      auto h = s->history(a.pos[2]);
      if (h.empty()) {
        std::fprintf(stderr, "skema: no history for record %s\n", a.pos[2].c_str());
        return kFailed;
      }
      for (const auto& e : h) {
        if (a.has("--json")) {
          nlohmann::json j = {{"seq", e.seq},         {"at", e.at},           {"user", e.user},
                              {"action", e.action},   {"record", e.recordId}, {"form", e.formId},
                              {"form_version", e.formVersion}, {"revision", e.revision}, {"field", e.field},
                              {"reason", e.reason},   {"hash", e.hash}};
          // A value that is not JSON (a row not written by Skema) is shown as text.
          auto value = [](const std::optional<std::string>& v) {
            if (!v) return nlohmann::json();
            auto j = nlohmann::json::parse(*v, nullptr, false);
            return j.is_discarded() ? nlohmann::json(*v) : j;
          };
          j["old"] = value(e.oldValue);
          j["new"] = value(e.newValue);
          // JSON escapes control characters; bytes that are not UTF-8 become U+FFFD.
          std::printf("%s\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
        } else {
          // Stored text, escaped: a name or reason must not drive the terminal.
          auto shown = [](const std::optional<std::string>& v) { return v ? displayText(*v) : "(none)"; };
          std::printf("#%lld %s %s %s r%lld %s: %s -> %s%s%s\n", (long long)e.seq, displayText(e.at).c_str(),
                      displayText(e.user).c_str(), displayText(e.action).c_str(), (long long)e.revision,
                      displayText(e.field).c_str(), shown(e.oldValue).c_str(), shown(e.newValue).c_str(),
                      e.reason.empty() ? "" : "  reason: ", displayText(e.reason).c_str());
        }
      }
      return kOk;
    }
  } catch (const StoreError& e) {
    return report(e);
  }
  return usage(use);
}

}  // namespace skema::cli
