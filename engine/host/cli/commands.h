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

}  // namespace skema::cli
