// skema forms diff A B [--workspace WS] [--json]
// A and B are definition files, or FORM@N / FORM@draft in the workspace.
#include <cstdio>
#include <memory>
#include <vector>

#include "cli/cmd_store_common.h"
#include "design/form_diff.h"
#include "form/form_loader.h"
#include "util/text.h"

namespace skema::cli {

namespace {

// Loads FILE, or FORM@N / FORM@draft from the workspace. Prints problems.
// `inWorkspace` tells whether it came from the workspace (FORM@N, FORM@draft).
std::shared_ptr<const Form> loadSide(const std::string& spec, store::Store* ws, int& rc, bool& inWorkspace) {
  inWorkspace = false;
  auto at = spec.rfind('@');
  if (at != std::string::npos && spec.find('/') == std::string::npos && spec.find(".json") == std::string::npos) {
    if (!ws) {
      std::fprintf(stderr, "skema forms diff: %s names a form version: give --workspace WS\n", spec.c_str());
      rc = kUsage;
      return nullptr;
    }
    std::string id = spec.substr(0, at), ver = spec.substr(at + 1);
    if (ver == "draft") {
      auto d = ws->formDraft(id);
      if (!d) {
        std::fprintf(stderr, "skema: %s has no draft in the workspace\n", id.c_str());
        rc = kFailed;
        return nullptr;
      }
      Diagnostics diags;
      auto f = loadForm(d->definitionText, id + "@draft", diags);
      for (const auto& x : diags.items()) std::fprintf(stderr, "%s\n", x.format().c_str());
      if (!f) {
        rc = kFailed;
        return nullptr;
      }
      inWorkspace = true;
      return std::make_shared<const Form>(std::move(*f));
    }
    int v = 0;
    try {
      v = std::stoi(ver);
    } catch (...) {
      std::fprintf(stderr, "skema forms diff: '%s' is not FORM@VERSION\n", spec.c_str());
      rc = kUsage;
      return nullptr;
    }
    auto f = ws->form(id, v);
    if (!f) {
      std::fprintf(stderr, "skema: %s version %d is not published in the workspace\n", id.c_str(), v);
      rc = kFailed;
    }
    inWorkspace = f != nullptr;
    return f;
  }
  Diagnostics diags;
  auto f = loadFormFile(spec, diags);
  diags.sort();
  for (const auto& x : diags.items())
    if (x.severity == Severity::Error) std::fprintf(stderr, "%s\n", x.format().c_str());
  if (!f) {
    bool unreadable = !diags.items().empty() && diags.items().front().message == "cannot read file";
    rc = unreadable ? kIoError : kFailed;
    return nullptr;
  }
  return std::make_shared<const Form>(std::move(*f));
}

}  // namespace

int formsDiff(const Args& args) {
  const char* use =
      "skema forms diff A B [--workspace WS] [--json]\n"
      "  A, B: form definition files, or FORM@VERSION / FORM@draft in the workspace WS\n"
      "  with --workspace, each change's impact on the records of A's version is measured";
  auto a = parseArgs(args, {"--workspace"}, {"--json"});
  if (!a.error.empty() || a.pos.size() != 2) {
    if (!a.error.empty()) std::fprintf(stderr, "skema forms diff: %s\n", a.error.c_str());
    return usage(use);
  }
  try {
    std::unique_ptr<store::SqliteStore> ws;
    if (a.has("--workspace")) ws = openWorkspace(a.get("--workspace"));
    int rc = kOk;
    bool fromWorkspace = false, toWorkspace = false;
    auto from = loadSide(a.pos[0], ws.get(), rc, fromWorkspace);
    if (!from) return rc;
    auto to = loadSide(a.pos[1], ws.get(), rc, toWorkspace);
    if (!to) return rc;
    if (from->id != to->id)
      std::fprintf(stderr, "skema forms diff: note: comparing two different forms (%s, %s)\n", from->id.c_str(),
                   to->id.c_str());
    // Two versions of one form in the workspace (stored, or the draft of the
    // next) with versions in between: fields are traced through each of
    // them, so a rename in between is followed.
    std::vector<std::shared_ptr<const Form>> between;
    std::vector<const Form*> chain = {from.get()};
    if (fromWorkspace && toWorkspace && from->id == to->id)
      for (int v = from->version + 1; v < to->version; ++v)
        if (auto f = ws->form(from->id, v)) {
          between.push_back(f);
          chain.push_back(f.get());
        }
    chain.push_back(to.get());
    const bool traced = chain.size() > 2 && chain.size() == static_cast<size_t>(to->version - from->version + 1);
    const auto matches = design::matchFields(chain);
    auto diff = design::diffForms(*from, *to, traced ? &matches : nullptr);
    if (ws && ws->form(from->id, from->version)) design::measureImpact(diff, *from, *to, *ws);
    if (a.has("--json")) std::printf("%s\n", diff.toJson().dump(2).c_str());
    else std::fputs(displayLines(diff.toText()).c_str(), stdout);  // labels and choices of stored forms
    return kOk;
  } catch (const store::StoreError& e) {
    return report(e);
  }
}

}  // namespace skema::cli
