// The `skema` subcommands. Each takes the arguments after its name and
// returns the process exit code (see docs/cli.md for the codes).
#pragma once
#include <string>
#include <vector>

namespace skema::cli {

using Args = std::vector<std::string>;

// Exit codes shared by every command (docs/cli.md).
enum ExitCode : int {
  kOk = 0,
  kFailed = 1,      // the command ran and found a problem (invalid form, invalid data, ...)
  kUsage = 2,       // wrong arguments
  kIoError = 3,     // a file or workspace could not be read or written
  kStoreBusy = 4,   // the workspace is locked by another program
};

int formsCommand(const Args& args);   // skema forms check|...
int evalCommand(const Args& args);    // skema eval
int pluginsCommand(const Args& args); // skema plugins list
int indicatorsCommand(const Args& args);  // skema indicators WORKSPACE (cmd_indicators.cpp)

// The record store (engine/host/cli/cmd_store*.cpp, cmd_import_export.cpp, cmd_audit.cpp, cmd_demo.cpp)
int initCommand(const Args& args);     // skema init PATH
int formsPublish(const Args& args);    // skema forms publish WORKSPACE FORMFILE... (dispatched by formsCommand)
int recordsCommand(const Args& args);  // skema records list|show|add|edit|delete
int importCommand(const Args& args);   // skema import WORKSPACE FORM FILE
int exportCommand(const Args& args);   // skema export WORKSPACE FORM
int auditCommand(const Args& args);    // skema audit verify|show
int demoCommand(const Args& args);     // skema demo PATH

// Form versions (engine/host/cli/cmd_diff.cpp, cmd_migrate.cpp)
int formsDiff(const Args& args);       // skema forms diff A B (dispatched by formsCommand)
int migrateCommand(const Args& args);  // skema migrate WORKSPACE FORM --to N

// Reports (engine/host/cli/cmd_report.cpp, engine/core/report)
int reportCommand(const Args& args);   // skema report WORKSPACE FORM --freq|--crosstab|--series

}  // namespace skema::cli
