// skema forms check PATH...   check form definitions, list the good ones
#include <chrono>
#include <cstdio>

#include "cli/commands.h"
#include "form/form_catalog.h"
#include "util/text.h"

namespace skema::cli {

namespace {

int countValueFields(const Form& form) {
  int n = 0;
  form.forEachField([&](const Field& f) { n += holdsValue(f.type) ? 1 : 0; });
  return n;
}

int formsCheck(const Args& args) {
  std::vector<std::string> paths;
  bool quiet = false;
  for (const auto& a : args) {
    if (a == "--quiet" || a == "-q") quiet = true;
    else if (!a.empty() && a[0] == '-') {
      std::fprintf(stderr, "skema forms check: unknown option %s\n", a.c_str());
      return kUsage;
    } else paths.push_back(a);
  }
  if (paths.empty()) {
    std::fprintf(stderr, "usage: skema forms check [--quiet] PATH...\n");
    return kUsage;
  }

  auto start = std::chrono::steady_clock::now();
  Diagnostics diags;
  FormCatalog catalog = loadFormCatalog(paths, diags);
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();

  diags.sort();
  // A form file's text is shown escaped, like stored text.
  for (const auto& d : diags.items()) std::printf("%s\n", displayLines(d.format()).c_str());
  if (!quiet) {
    for (const auto& f : catalog.forms)
      std::printf("ok  %-22s v%-3d %3d fields  %s  (%s)\n", displayText(f->id).c_str(), f->version,
                  countValueFields(*f), displayText(localized(f->title, "da")).c_str(), f->sourceFile.c_str());
  }
  int errors = diags.errorCount(), warnings = diags.warningCount();
  std::printf("%zu form file(s), %zu choice list file(s) checked in %.1f ms: %d error(s), %d warning(s)\n",
              catalog.files.size(), catalog.choiceFiles.size(), ms, errors, warnings);
  return errors > 0 ? kFailed : kOk;
}

}  // namespace

int formsCommand(const Args& args) {
  if (args.empty() || args[0] == "--help") {
    std::fprintf(args.empty() ? stderr : stdout,
                 "usage: skema forms check [--quiet] PATH...\n"
                 "       skema forms publish WORKSPACE FORMFILE...\n"
                 "       skema forms diff A B [--workspace WS] [--json]\n");
    return args.empty() ? kUsage : kOk;
  }
  Args rest(args.begin() + 1, args.end());
  if (args[0] == "check") return formsCheck(rest);
  if (args[0] == "diff") return formsDiff(rest);
  if (args[0] == "publish") return formsPublish(rest);
  std::fprintf(stderr, "skema forms: unknown subcommand '%s'\n", args[0].c_str());
  return kUsage;
}

}  // namespace skema::cli
