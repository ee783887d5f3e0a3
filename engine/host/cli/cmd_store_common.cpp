#include "cli/cmd_store_common.h"

#include <algorithm>
#include <cstdlib>
#include <map>

#include "util/text.h"

namespace skema::cli {

ParsedArgs parseArgs(const Args& args, const std::vector<std::string>& withValue,
                     const std::vector<std::string>& flags, const std::vector<std::string>& multi) {
  ParsedArgs p;
  auto in = [](const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.size() > 2 && a.rfind("--", 0) == 0) {
      std::string name = a, value;
      bool hasEq = false;
      if (auto eq = a.find('='); eq != std::string::npos) {
        name = a.substr(0, eq);
        value = a.substr(eq + 1);
        hasEq = true;
      }
      if (in(withValue, name)) {
        if (!hasEq) {
          if (i + 1 >= args.size()) {
            p.error = name + " needs a value";
            return p;
          }
          value = args[++i];
        }
        p.opts[name].push_back(value);
      } else if (in(multi, name)) {
        auto& v = p.opts[name];
        if (hasEq) v.push_back(value);
        while (i + 1 < args.size() && args[i + 1].rfind("--", 0) != 0) v.push_back(args[++i]);
        if (v.empty()) {
          p.error = name + " needs at least one value";
          return p;
        }
      } else if (in(flags, name) && !hasEq) {
        p.opts[name];
      } else {
        p.error = "unknown option " + name;
        return p;
      }
    } else {
      p.pos.push_back(a);
    }
  }
  return p;
}

std::optional<std::string> actingUser(const ParsedArgs& a) {
  std::string name = "unknown", from;
  if (a.has("--user") && !a.get("--user").empty()) name = a.get("--user"), from = "--user";
  else if (const char* u = std::getenv("SKEMA_USER"); u && *u) name = u, from = "$SKEMA_USER";
  else if (const char* u = std::getenv("USER"); u && *u) name = u, from = "$USER";
  if (auto why = store::checkUserName(name)) {
    std::fprintf(stderr, "skema: %s: the user name \"%s\" %s; give another with --user NAME\n", from.c_str(),
                 displayText(name).c_str(), why->c_str());
    return std::nullopt;
  }
  return name;
}

int exitCodeFor(const store::StoreError& e) {
  using store::ErrorKind;
  switch (e.kind()) {
    case ErrorKind::Busy: return kStoreBusy;
    case ErrorKind::Invalid:
    case ErrorKind::Conflict: return kFailed;
    case ErrorKind::NotFound: return kFailed;
    default: return kIoError;  // not a workspace, newer, read-only, exists, disk full, corrupt, io
  }
}

int report(const store::StoreError& e) {
  std::fprintf(stderr, "skema: %s\n", displayLines(e.what()).c_str());  // may quote stored text
  return exitCodeFor(e);
}

int usage(const char* text) {
  std::fprintf(stderr, "usage: %s\n", text);
  return kUsage;
}

std::unique_ptr<store::SqliteStore> openWorkspace(const std::string& path) {
  try {
    auto s = store::SqliteStore::open(path);
    if (s->readOnly())
      std::fprintf(stderr, "skema: note: %s is read-only; opened for reading (nothing can be saved)\n", path.c_str());
    return s;
  } catch (const store::StoreError& e) {
    // A missing workspace is an I/O problem for the command line.
    if (e.kind() == store::ErrorKind::NotFound) throw store::StoreError(store::ErrorKind::Io, e.what());
    throw;
  }
}

}  // namespace skema::cli
