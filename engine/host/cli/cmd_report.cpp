// skema report WORKSPACE FORM --freq FIELD | --crosstab ROW COL | --series PERIOD [--by FIELD] ...
// The same engine as the workbench's Reports view (engine/core/report).
#include <cstdio>

#include "cli/cmd_store_common.h"
#include "report/report.h"
#include "util/text.h"

namespace skema::cli {

using namespace skema::report;

int reportCommand(const Args& args) {
  const char* use =
      "skema report WORKSPACE FORM --freq FIELD | --crosstab ROW COL | --series week|month|quarter|year [--by FIELD]\n"
      "             [--where EXPR] [--office NAME]... [--is FIELD=VALUE]... [--date FIELD] [--from YYYY-MM-DD]\n"
      "             [--to YYYY-MM-DD] [--drafts] [--lang da|en] [--format text|csv|json] [--save NAME]\n"
      "       skema report WORKSPACE --saved NAME [--format text|csv|json]\n"
      "       skema report WORKSPACE --list";
  auto a = parseArgs(args,
                     {"--freq", "--series", "--by", "--where", "--office", "--is", "--date", "--from", "--to", "--lang",
                      "--format", "--save", "--saved", "--user"},
                     {"--drafts", "--list"}, {"--crosstab"});
  if (!a.error.empty()) {
    std::fprintf(stderr, "skema: %s\n", a.error.c_str());
    return usage(use);
  }
  std::string format = a.get("--format", "text");
  if (format != "text" && format != "csv" && format != "json") return usage(use);
  if (a.pos.empty()) return usage(use);
  const auto user = actingUser(a);
  if (!user) return kUsage;
  const std::string ws = a.pos[0];
  try {
    auto s = openWorkspace(ws);
    const store::Actor who{*user, ""};
    // Reports saved by earlier versions in WORKSPACE.reports.json move into
    // the workspace; a side file that does not read only warns (it stays).
    try {
      if (int n = importSavedReportsFile(*s, ws, who); n > 0)
        std::fprintf(stderr, "moved %d saved report%s from %s into the workspace\n", n, n == 1 ? "" : "s",
                     savedReportsFilePath(ws).c_str());
    } catch (const ReportError& e) {
      std::fprintf(stderr, "skema: warning: %s\n", e.what());
    }
    if (a.has("--list")) {
      if (a.pos.size() != 1) return usage(use);
      for (const auto& r : loadSavedReports(*s))
        std::printf("%s\t%s\t%s\n", displayText(r.name).c_str(), displayText(r.formId).c_str(),
                    displayText(r.spec.toJson().dump()).c_str());
      return kOk;
    }
    std::string formId;
    ReportSpec spec;
    if (a.has("--saved")) {
      if (a.pos.size() != 1) return usage(use);
      auto r = loadSavedReport(*s, a.get("--saved"));
      if (r) {
        formId = r->formId;
        spec = r->spec;
      } else {
        std::fprintf(stderr, "skema: no saved report '%s' (skema report %s --list)\n", a.get("--saved").c_str(),
                     ws.c_str());
        return kFailed;
      }
      if (a.has("--lang")) spec.lang = a.get("--lang");
    } else {
      if (a.pos.size() != 2) return usage(use);
      formId = a.pos[1];
      int kinds = a.has("--freq") + a.has("--crosstab") + a.has("--series");
      if (kinds != 1) {
        std::fprintf(stderr, "skema: give one of --freq, --crosstab, --series\n");
        return usage(use);
      }
      if (a.has("--freq")) {
        spec.kind = ReportKind::Frequency;
        spec.field = a.get("--freq");
      } else if (a.has("--crosstab")) {
        const auto& v = a.opts.at("--crosstab");
        if (v.size() != 2) {
          std::fprintf(stderr, "skema: --crosstab takes two fields: ROW COL\n");
          return usage(use);
        }
        spec.kind = ReportKind::Crosstab;
        spec.field = v[0];
        spec.colField = v[1];
      } else {
        spec.kind = ReportKind::Series;
        auto p = periodFromName(a.get("--series"));
        if (!p) {
          std::fprintf(stderr, "skema: --series takes week, month, quarter or year\n");
          return usage(use);
        }
        spec.period = *p;
        spec.byField = a.get("--by");
      }
      if (a.has("--by") && spec.kind != ReportKind::Series) return usage(use);
      spec.where = a.get("--where");
      spec.dateField = a.get("--date", "date");
      spec.from = a.get("--from");
      spec.to = a.get("--to");
      spec.includeDrafts = a.has("--drafts");
      spec.lang = a.get("--lang", "en");
      if (auto it = a.opts.find("--office"); it != a.opts.end()) spec.equals["office"] = it->second;
      if (auto it = a.opts.find("--is"); it != a.opts.end())
        for (const auto& kv : it->second) {
          auto eq = kv.find('=');
          if (eq == std::string::npos || eq == 0) {
            std::fprintf(stderr, "skema: --is takes FIELD=VALUE\n");
            return usage(use);
          }
          spec.equals[kv.substr(0, eq)].push_back(kv.substr(eq + 1));
        }
    }
    auto ds = Dataset::build(*s, formId);
    ReportTable t = runReport(*ds, spec);
    if (a.has("--save")) {
      saveReport(*s, {a.get("--save"), formId, spec}, who);
      std::fprintf(stderr, "saved report '%s'\n", a.get("--save").c_str());
    }
    std::string out;
    if (format == "text") out = formatText(t);
    else if (format == "csv") out = formatCsv(t);
    else out = formatJson(t).dump(2) + "\n";
    std::fwrite(out.data(), 1, out.size(), stdout);
    return std::fflush(stdout) == 0 ? kOk : kIoError;
  } catch (const store::StoreError& e) {
    return report(e);
  } catch (const ReportError& e) {
    std::fprintf(stderr, "skema: %s\n", e.what());
    return kFailed;
  } catch (const std::runtime_error& e) {
    std::fprintf(stderr, "skema: %s\n", e.what());
    return kFailed;
  }
}

}  // namespace skema::cli
