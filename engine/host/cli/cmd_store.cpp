// skema init, skema forms publish, skema records list|show|add|edit|delete.
#include <cstdio>
#include <iostream>

#include "cli/cmd_store_common.h"
#include "form/form_catalog.h"
#include "util/text.h"

namespace skema::cli {

using namespace skema::store;
using nlohmann::json;

namespace {

json recordJson(const Record& r) {
  json j;
  j["id"] = r.id;
  j["form"] = r.formId;
  j["form_version"] = r.formVersion;
  j["status"] = statusName(r.status);
  if (!r.personCode.empty()) j["person_code"] = r.personCode;
  j["created_at"] = r.createdAt;
  j["created_by"] = r.createdBy;
  j["updated_at"] = r.updatedAt;
  j["updated_by"] = r.updatedBy;
  j["revision"] = r.revision;
  if (r.deleted) j["deleted"] = true;
  j["values"] = r.values;
  return j;
}

bool parseValues(const std::string& text, json& out) {
  out = json::parse(text, nullptr, false);
  if (out.is_discarded() || !out.is_object()) {
    std::fprintf(stderr, "skema: values must be a JSON object, e.g. '{\"date\": \"2024-05-01\"}'\n");
    return false;
  }
  return true;
}

void printFieldErrors(const StoreError& e) {
  for (const auto& f : e.fieldErrors())
    std::fprintf(stderr, "  %s: %s\n", displayText(f.field).c_str(), displayText(f.message).c_str());
}

int saveFailed(const StoreError& e) {
  if (!e.fieldErrors().empty()) {
    std::fprintf(stderr, "skema: the record is not valid; nothing was saved\n");
    printFieldErrors(e);
    return exitCodeFor(e);
  }
  return report(e);
}

FieldFilter parseWhere(const std::string& w, std::string& err) {
  static const std::pair<const char*, FieldFilter::Op> ops[] = {
      {"!=", FieldFilter::Op::NotEquals}, {"<=", FieldFilter::Op::LessEq}, {">=", FieldFilter::Op::GreaterEq},
      {"~=", FieldFilter::Op::HasChoice}, {"=", FieldFilter::Op::Equals},  {"<", FieldFilter::Op::Less},
      {">", FieldFilter::Op::Greater}};
  FieldFilter f;
  size_t best = std::string::npos;
  const char* bestOp = nullptr;
  for (const auto& [op, kind] : ops) {
    size_t p = w.find(op);
    if (p != std::string::npos && (best == std::string::npos || p < best ||
                                   (p == best && std::string(op).size() > std::string(bestOp).size()))) {
      best = p;
      bestOp = op;
      f.op = kind;
    }
  }
  if (best == std::string::npos || best == 0) {
    err = "--where needs FIELD=VALUE (or != < <= > >= ~=), not '" + w + "'";
    return f;
  }
  f.field = w.substr(0, best);
  std::string v = w.substr(best + std::string(bestOp).size());
  json num = json::parse(v, nullptr, false);
  f.value = (!v.empty() && !num.is_discarded() && num.is_number()) ? num : json(v);
  return f;
}

int recordsList(const Args& args) {
  const char* use =
      "skema records list WORKSPACE FORM [--version N] [--status draft|final] [--where FIELD=VALUE]... "
      "[--search TEXT] [--sort FIELD] [--desc] [--limit N] [--offset N] [--deleted] [--json]";
  auto a = parseArgs(args, {"--version", "--status", "--where", "--search", "--sort", "--limit", "--offset", "--user"},
                     {"--desc", "--deleted", "--json"});
  if (!a.error.empty() || a.pos.size() != 2) {
    if (!a.error.empty()) std::fprintf(stderr, "skema: %s\n", a.error.c_str());
    return usage(use);
  }
  RecordQuery q;
  q.formId = a.pos[1];
  try {
    if (a.has("--version")) q.formVersion = std::stoi(a.get("--version"));
    if (a.has("--limit")) q.limit = std::stoll(a.get("--limit"));
    if (a.has("--offset")) q.offset = std::stoll(a.get("--offset"));
  } catch (...) {
    return usage(use);
  }
  if (a.has("--status")) {
    q.status = statusFromName(a.get("--status"));
    if (!q.status) return usage(use);
  }
  if (auto it = a.opts.find("--where"); it != a.opts.end())
    for (const auto& w : it->second) {
      std::string err;
      q.filters.push_back(parseWhere(w, err));
      if (!err.empty()) {
        std::fprintf(stderr, "skema: %s\n", err.c_str());
        return kUsage;
      }
    }
  q.text = a.get("--search");
  q.sortBy = a.get("--sort");
  q.descending = a.has("--desc");
  q.includeDeleted = a.has("--deleted");
  try {
    auto s = openWorkspace(a.pos[0]);
    auto page = s->query(q);
    if (a.has("--json")) {
      for (const auto& r : page.records) std::printf("%s\n", recordJson(r).dump().c_str());
    } else {
      for (const auto& r : page.records)
        std::printf("%s  v%d  %-5s  %s  %s%s\n", displayText(r.id).c_str(), r.formVersion, statusName(r.status),
                    displayText(r.updatedAt).c_str(), displayText(r.values.dump()).c_str(),
                    r.deleted ? "  (deleted)" : "");
      std::fprintf(stderr, "%lld of %lld records\n", (long long)page.records.size(), (long long)page.total);
    }
    return kOk;
  } catch (const StoreError& e) {
    return report(e);
  }
}

int recordsShow(const Args& args) {
  const char* use = "skema records show WORKSPACE RECORD_ID";
  auto a = parseArgs(args, {"--user"}, {});
  if (!a.error.empty() || a.pos.size() != 2) return usage(use);
  try {
    auto s = openWorkspace(a.pos[0]);
    auto r = s->get(a.pos[1]);
    if (!r) {
      std::fprintf(stderr, "skema: no record %s\n", a.pos[1].c_str());
      return kFailed;
    }
    std::printf("%s\n", recordJson(*r).dump(2).c_str());
    return kOk;
  } catch (const StoreError& e) {
    return report(e);
  }
}

int recordsAdd(const Args& args) {
  const char* use = "skema records add WORKSPACE FORM VALUES_JSON [--version N] [--draft] [--user NAME]";
  auto a = parseArgs(args, {"--version", "--user"}, {"--draft"});
  if (!a.error.empty() || a.pos.size() != 3) return usage(use);
  const auto user = actingUser(a);
  if (!user) return kUsage;
  json values;
  if (!parseValues(a.pos[2], values)) return kUsage;
  try {
    auto s = openWorkspace(a.pos[0]);
    Record r;
    r.formId = a.pos[1];
    if (a.has("--version")) {
      try {
        r.formVersion = std::stoi(a.get("--version"));
      } catch (...) {
        return usage(use);
      }
    } else if (auto v = s->latestFormVersion(r.formId)) {
      r.formVersion = *v;
    } else {
      std::fprintf(stderr, "skema: form %s is not published in %s\n", r.formId.c_str(), a.pos[0].c_str());
      return kFailed;
    }
    r.status = a.has("--draft") ? RecordStatus::Draft : RecordStatus::Final;
    r.values = values;
    Record saved = s->save(r, {*user, ""});
    std::printf("%s\n", saved.id.c_str());
    return kOk;
  } catch (const StoreError& e) {
    return saveFailed(e);
  }
}

int recordsEdit(const Args& args) {
  const char* use =
      "skema records edit WORKSPACE RECORD_ID VALUES_JSON [--reason TEXT] [--replace] [--finalise] "
      "[--version N] [--user NAME]\n"
      "  (values are merged into the record; null removes a value; --replace replaces them all;\n"
      "   --reason is required for a final record)";
  auto a = parseArgs(args, {"--reason", "--version", "--user"}, {"--replace", "--finalise", "--finalize"});
  if (!a.error.empty() || a.pos.size() != 3) return usage(use);
  const auto user = actingUser(a);
  if (!user) return kUsage;
  json values;
  if (!parseValues(a.pos[2], values)) return kUsage;
  try {
    auto s = openWorkspace(a.pos[0]);
    auto r = s->get(a.pos[1]);
    if (!r) {
      std::fprintf(stderr, "skema: no record %s\n", a.pos[1].c_str());
      return kFailed;
    }
    if (r->status == RecordStatus::Final && a.get("--reason").empty()) {
      std::fprintf(stderr, "skema: record %s is final: editing it needs --reason TEXT\n", r->id.c_str());
      return kUsage;
    }
    Record e = *r;
    if (a.has("--replace")) e.values = values;
    else e.values.merge_patch(values);
    if (a.has("--finalise") || a.has("--finalize")) e.status = RecordStatus::Final;
    if (a.has("--version")) e.formVersion = std::stoi(a.get("--version"));
    Record saved = s->save(e, {*user, a.get("--reason")});
    std::printf("%s revision %lld\n", saved.id.c_str(), (long long)saved.revision);
    return kOk;
  } catch (const StoreError& e) {
    return saveFailed(e);
  } catch (const std::exception&) {
    return usage(use);
  }
}

int recordsDelete(const Args& args) {
  const char* use = "skema records delete WORKSPACE RECORD_ID [--reason TEXT] [--user NAME]";
  auto a = parseArgs(args, {"--reason", "--user"}, {});
  if (!a.error.empty() || a.pos.size() != 2) return usage(use);
  const auto user = actingUser(a);
  if (!user) return kUsage;
  try {
    auto s = openWorkspace(a.pos[0]);
    auto r = s->get(a.pos[1]);
    if (r && r->status == RecordStatus::Final && a.get("--reason").empty()) {
      std::fprintf(stderr, "skema: record %s is final: deleting it needs --reason TEXT\n", r->id.c_str());
      return kUsage;
    }
    s->remove(a.pos[1], {*user, a.get("--reason")});
    std::printf("%s deleted\n", a.pos[1].c_str());
    return kOk;
  } catch (const StoreError& e) {
    return report(e);
  }
}

}  // namespace

int initCommand(const Args& args) {
  auto a = parseArgs(args, {"--user"}, {});
  if (!a.error.empty() || a.pos.size() != 1) return usage("skema init PATH");
  try {
    store::SqliteStore::create(a.pos[0]);
    std::printf("created workspace %s\n", a.pos[0].c_str());
    return kOk;
  } catch (const StoreError& e) {
    return report(e);
  }
}

int formsPublish(const Args& args) {
  const char* use = "skema forms publish WORKSPACE FORMFILE|FOLDER... [--user NAME]";
  auto a = parseArgs(args, {"--user"}, {});
  if (!a.error.empty() || a.pos.size() < 2) return usage(use);
  const auto user = actingUser(a);
  if (!user) return kUsage;
  std::vector<std::string> paths(a.pos.begin() + 1, a.pos.end());
  Diagnostics diags;
  auto cat = loadFormCatalog(paths, diags);
  diags.sort();
  for (const auto& d : diags.items()) std::fprintf(stderr, "%s\n", d.format().c_str());
  if (diags.hasErrors()) {
    std::fprintf(stderr, "skema: the forms have errors; nothing was published\n");
    return kFailed;
  }
  if (cat.forms.empty()) {
    std::fprintf(stderr, "skema: no form definitions found\n");
    return kFailed;
  }
  try {
    auto s = openWorkspace(a.pos[0]);
    int rc = kOk;
    for (const auto& f : cat.forms) {
      try {
        auto res = s->publishForm(*f, {*user, ""});
        std::printf("%s %s version %d\n", res == PublishResult::Published ? "published" : "unchanged", f->id.c_str(),
                    f->version);
      } catch (const StoreError& e) {
        if (e.kind() != ErrorKind::Conflict && e.kind() != ErrorKind::Invalid) throw;
        std::fprintf(stderr, "%s: error: %s\n", f->sourceFile.c_str(), e.what());
        rc = kFailed;
      }
    }
    return rc;
  } catch (const StoreError& e) {
    return report(e);
  }
}

int recordsCommand(const Args& args) {
  const char* use = "skema records list|show|add|edit|delete WORKSPACE ...";
  if (args.empty()) return usage(use);
  Args rest(args.begin() + 1, args.end());
  const std::string& sub = args[0];
  if (sub == "list") return recordsList(rest);
  if (sub == "show") return recordsShow(rest);
  if (sub == "add") return recordsAdd(rest);
  if (sub == "edit") return recordsEdit(rest);
  if (sub == "delete") return recordsDelete(rest);
  std::fprintf(stderr, "skema: unknown records command '%s'\n", sub.c_str());
  return usage(use);
}

}  // namespace skema::cli
