// skema migrate WORKSPACE FORM --to N [--from N] [--plan FILE] [--dry-run]
//               [--verbose] [--json] [--revert] [--user NAME]
#include <cstdio>
#include <fstream>
#include <sstream>

#include "cli/cmd_store_common.h"
#include "design/migration.h"
#include "util/text.h"

namespace skema::cli {

int migrateCommand(const Args& args) {
  const char* use =
      "skema migrate WORKSPACE FORM --to N [--from N] [--plan FILE] [--dry-run] [--verbose] [--json] [--user NAME]\n"
      "       skema migrate WORKSPACE FORM --to N --revert [--dry-run] [--verbose] [--user NAME]";
  auto a = parseArgs(args, {"--to", "--from", "--plan", "--user"}, {"--dry-run", "--verbose", "--json", "--revert"});
  if (!a.error.empty() || a.pos.size() != 2 || !a.has("--to")) {
    if (!a.error.empty()) std::fprintf(stderr, "skema migrate: %s\n", a.error.c_str());
    return usage(use);
  }
  const auto user = actingUser(a);
  if (!user) return kUsage;
  int to = 0;
  std::optional<int> from;
  try {
    to = std::stoi(a.get("--to"));
    if (a.has("--from")) from = std::stoi(a.get("--from"));
  } catch (...) {
    std::fprintf(stderr, "skema migrate: --to and --from take a version number\n");
    return kUsage;
  }
  if (a.has("--revert") && (a.has("--plan") || a.has("--from"))) {
    std::fprintf(stderr, "skema migrate: --revert takes no --plan or --from\n");
    return kUsage;
  }
  design::MigrationPlan plan;
  if (a.has("--plan")) {
    std::ifstream in(a.get("--plan"), std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "skema: %s: cannot read the plan\n", a.get("--plan").c_str());
      return kIoError;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    auto j = nlohmann::json::parse(ss.str(), nullptr, false);
    std::string err = j.is_discarded() ? "not valid JSON" : "";
    std::optional<design::MigrationPlan> p;
    if (err.empty()) p = design::MigrationPlan::fromJson(j, &err);
    if (!p) {
      std::fprintf(stderr, "skema: %s: %s\n", a.get("--plan").c_str(), err.c_str());
      return kFailed;
    }
    plan = *p;
  }
  const bool dry = a.has("--dry-run"), verbose = a.has("--verbose");
  try {
    auto ws = openWorkspace(a.pos[0]);
    const std::string& formId = a.pos[1];
    if (a.has("--revert")) {
      auto rep = design::planRevert(*ws, formId, to);
      if (!dry) design::runRevert(*ws, rep, *user);
      std::fputs(displayLines(rep.toText(verbose)).c_str(), stdout);  // stored values
      std::printf("%s\n", dry ? "dry run: nothing was changed"
                              : ("reverted " + std::to_string(rep.reverting) + " record(s) in one transaction").c_str());
      return kOk;
    }
    auto rep = design::planMigration(*ws, formId, to, plan, from);
    if (!dry) design::runMigration(*ws, rep, *user);
    if (a.has("--json")) {
      std::printf("%s\n", rep.toJson().dump(2).c_str());
      return kOk;
    }
    std::fputs(displayLines(rep.toText(verbose)).c_str(), stdout);
    if (dry) std::printf("dry run: nothing was changed\n");
    else
      std::printf("migrated %d record(s) in one transaction (audit reason \"%s\"); undo with: skema migrate %s %s --to %d --revert\n",
                  rep.migrating, rep.reason.c_str(), a.pos[0].c_str(), formId.c_str(), to);
    return kOk;
  } catch (const store::StoreError& e) {
    return report(e);
  }
}

}  // namespace skema::cli
