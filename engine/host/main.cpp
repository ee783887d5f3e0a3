// Entry point of `skema`: dispatches subcommands; with none, opens the
// workbench (when built with the UI).
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "cli/commands.h"
#ifdef SKEMA_HAVE_UI
#include "workbench.h"
#endif

namespace {

struct Command {
  const char* name;
  const char* summary;
  int (*run)(const skema::cli::Args&);
};

// Keep sorted by name; `skema help` prints this table.
const Command kCommands[] = {
    {"audit", "verify the audit log, show a record's history", skema::cli::auditCommand},
    {"demo", "create a demo workspace with realistic records", skema::cli::demoCommand},
    {"eval", "evaluate an expression (or a batch of them)", skema::cli::evalCommand},
    {"export", "export a form's records as CSV or JSON lines", skema::cli::exportCommand},
    {"forms", "check form definitions", skema::cli::formsCommand},
    {"import", "import records from CSV or JSON lines", skema::cli::importCommand},
    {"indicators", "compute the plugins' indicators (text or CSV)", skema::cli::indicatorsCommand},
    {"init", "create a new workspace", skema::cli::initCommand},
    {"migrate", "migrate records to a newer form version (previewed, audited, reversible)", skema::cli::migrateCommand},
#ifdef SKEMA_HAVE_UI
    {"open", "open a workspace in the workbench", skema::ui::openCommand},
#endif
    {"plugins", "list loaded and refused plugins", skema::cli::pluginsCommand},
    {"records", "list, show, add, edit, delete records", skema::cli::recordsCommand},
    {"report", "frequency tables, crosstabs and time series of a form", skema::cli::reportCommand},
};

void printUsage(FILE* out) {
  std::fprintf(out, "usage: skema <command> [args]\n\ncommands:\n");
  for (const auto& c : kCommands) std::fprintf(out, "  %-10s %s\n", c.name, c.summary);
  std::fprintf(out, "\nsee docs/cli.md for details\n");
}

}  // namespace

int main(int argc, char** argv) {
#ifdef SKEMA_HAVE_UI
  // No subcommand, or only options (--screenshot, --workspace, ...): the workbench.
  if (argc < 2 || (argv[1][0] == '-' && argv[1][1] == '-' && std::strcmp(argv[1], "--help") != 0))
    return skema::ui::runWorkbench(argc, argv);
#endif
  if (argc < 2) {
    printUsage(stderr);
    return skema::cli::kUsage;
  }
  std::string name = argv[1];
  if (name == "help" || name == "--help" || name == "-h") {
    printUsage(stdout);
    return skema::cli::kOk;
  }
  skema::cli::Args args(argv + 2, argv + argc);
  for (const auto& c : kCommands) {
    if (name != c.name) continue;
    // Commands turn the errors they expect into messages; anything else
    // still ends in a message and an exit code, never an abort.
    try {
      return c.run(args);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "skema: %s: %s\n", c.name, e.what());
    } catch (...) {
      std::fprintf(stderr, "skema: %s: unexpected error\n", c.name);
    }
    return skema::cli::kFailed;
  }
  std::fprintf(stderr, "skema: unknown command '%s'\n", name.c_str());
  printUsage(stderr);
  return skema::cli::kUsage;
}
