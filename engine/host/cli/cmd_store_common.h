// Helpers shared by the store's commands (init, records, import, export,
// audit, demo): options, the acting user, opening a workspace, and turning
// StoreError into a message and an exit code.
#pragma once
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "store/sqlite_store.h"

namespace skema::cli {

// Splits arguments into positionals and --options. `withValue` lists the
// options that take a value (--opt VALUE or --opt=VALUE); `multi` options
// take every following non-option argument.
struct ParsedArgs {
  std::vector<std::string> pos;
  std::map<std::string, std::vector<std::string>> opts;
  std::string error;
  bool has(const std::string& o) const { return opts.count(o) > 0; }
  std::string get(const std::string& o, const std::string& def = {}) const {
    auto it = opts.find(o);
    return it == opts.end() || it->second.empty() ? def : it->second.back();
  }
};
ParsedArgs parseArgs(const Args& args, const std::vector<std::string>& withValue,
                     const std::vector<std::string>& flags, const std::vector<std::string>& multi = {});

// The acting user: --user, else $SKEMA_USER, else $USER, else "unknown".
// A name store::checkUserName() refuses (control characters, not UTF-8,
// too long) is a usage error: printed, naming where the name came from and
// showing it escaped; nullopt (exit with kUsage).
std::optional<std::string> actingUser(const ParsedArgs& a);

int exitCodeFor(const store::StoreError& e);
// Prints "skema: <message>" (plus per-field lines) and returns the exit code.
int report(const store::StoreError& e);
int usage(const char* text);

std::unique_ptr<store::SqliteStore> openWorkspace(const std::string& path);

}  // namespace skema::cli
