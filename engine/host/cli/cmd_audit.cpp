// skema audit verify WORKSPACE, skema audit show WORKSPACE RECORD.
#include <cstdio>

#include "cli/cmd_store_common.h"

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
      std::fprintf(stderr, "skema: audit log broken: %s\n", v.message.c_str());
      if (v.firstBrokenSeq) std::printf("first broken row: %lld\n", (long long)v.firstBrokenSeq);
      else std::printf("first differing record: %s\n", v.firstBadRecord.c_str());
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
          j["old"] = e.oldValue ? nlohmann::json::parse(*e.oldValue) : nlohmann::json();
          j["new"] = e.newValue ? nlohmann::json::parse(*e.newValue) : nlohmann::json();
          std::printf("%s\n", j.dump().c_str());
        } else {
          std::printf("#%lld %s %s %s r%lld %s: %s -> %s%s%s\n", (long long)e.seq, e.at.c_str(), e.user.c_str(),
                      e.action.c_str(), (long long)e.revision, e.field.c_str(),
                      e.oldValue ? e.oldValue->c_str() : "(none)", e.newValue ? e.newValue->c_str() : "(none)",
                      e.reason.empty() ? "" : "  reason: ", e.reason.c_str());
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
