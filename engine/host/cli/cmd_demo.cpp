// skema demo PATH [--records N] [--seed S] [--forms DIR] [--today YYYY-MM-DD]:
// a new workspace with the shipped forms published and realistic,
// deterministic records. Values are generated from each form's definition
// (choices from its lists, numbers within min/max, dates within the last two
// years) and kept only when the engine validates them; a little
// area-specific realism on top (persons with repeat contacts, psychology
// courses of 1-11 sessions, evaluations per training event).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <random>
#include <set>

#include "cli/cmd_store_common.h"
#include "form/form_catalog.h"

namespace skema::cli {

using namespace skema::store;
using nlohmann::json;

namespace {

// Days since 1970-01-01 <-> civil date (H. Hinnant's algorithms).
long daysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = unsigned(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + long(doe) - 719468;
}
std::string civil(long z) {
  z += 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = unsigned(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long y = long(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  char b[48];
  std::snprintf(b, sizeof b, "%04ld-%02u-%02u", y, m, d);
  return b;
}

struct Gen {
  std::mt19937_64 rng;
  long today = 0;
  int pick(int n) { return n <= 0 ? 0 : int(rng() % unsigned(n)); }
  bool chance(double p) { return double(rng() % 10000) < p * 10000; }

  std::string date() { return civil(today - pick(730)); }

  json value(const Form& form, const Field& f) {
    switch (f.type) {
      case FieldType::SelectOne: {
        auto* cl = form.findChoices(f.choices);
        if (!cl || cl->choices.empty()) return nullptr;
        return cl->choices[size_t(pick(int(cl->choices.size())))].name;
      }
      case FieldType::SelectMultiple: {
        auto* cl = form.findChoices(f.choices);
        if (!cl || cl->choices.empty()) return nullptr;
        int k = 1 + (chance(0.4) ? pick(3) : 0);
        std::set<size_t> idx;
        for (int i = 0; i < k; ++i) idx.insert(size_t(pick(int(cl->choices.size()))));
        std::string s;
        for (size_t i : idx) s += (s.empty() ? "" : " ") + cl->choices[i].name;
        return s;
      }
      case FieldType::Integer: {
        long lo = f.min ? long(*f.min) : 0, hi = f.max ? long(*f.max) : lo + 20;
        if (hi > lo + 60 && f.name.find("minutes") != std::string::npos) hi = lo + 120;  // realism
        return lo + pick(int(hi - lo + 1));
      }
      case FieldType::Range: {
        long lo = f.min ? long(*f.min) : 0, hi = f.max ? long(*f.max) : 10;
        return lo + pick(int(hi - lo + 1));
      }
      case FieldType::Decimal: return double(pick(10000)) / 10.0;
      case FieldType::Date: return date();
      case FieldType::Time: {
        char b[16];
        std::snprintf(b, sizeof b, "%02d:%02d:00", 8 + pick(12), pick(4) * 15);
        return b;
      }
      case FieldType::DateTime: return date() + "T" + std::to_string(10 + pick(8)) + ":00:00Z";
      case FieldType::PersonCode: return "P-" + std::to_string(10000 + pick(90000));
      case FieldType::Text: {
        if (f.constraint.find("regex") != std::string::npos) {
          if (f.name.find("postcode") != std::string::npos) return std::to_string(1000 + pick(9000));
          return "K" + std::to_string(100 + pick(900));
        }
        if (f.name == "clinic_name") {  // names of the kind the clinic register holds
          static const char* clinics[] = {"Thai Massage Lotus", "Klinik Rosen", "Jasmin Wellness", "Orkidé Massage",
                                          "Bambus Spa", "Klinik Perlen", "Sol Massage", "Lotus Body Care",
                                          "Golden Hands", "Klinik Nova", "Asia Massage", "Relax Zone"};
          return clinics[pick(12)];
        }
        static const char* texts[] = {"Kort samtale ved døren", "Aftalt nyt besøg", "Materiale udleveret",
                                      "Talte om helbred og skat", "Ønsker kontakt igen", "Andet"};
        return texts[pick(6)];
      }
      case FieldType::Repeat: {
        json arr = json::array();
        int k = 1 + (chance(0.25) ? 1 : 0);
        for (int i = 0; i < k; ++i) {
          json inst = json::object();
          for (const auto& c : f.fields)
            if (holdsValue(c.type) && c.type != FieldType::Calculate) {
              json v = value(form, c);
              if (!v.is_null()) inst[c.name] = v;
            }
          arr.push_back(inst);
        }
        return arr;
      }
      default: return nullptr;
    }
  }
};

void topFields(const std::vector<Field>& fs, std::vector<const Field*>& out) {
  for (const auto& f : fs) {
    if (f.type == FieldType::Group) topFields(f.fields, out);
    else if (f.type == FieldType::Repeat || (holdsValue(f.type) && f.type != FieldType::Calculate)) out.push_back(&f);
  }
}

// The top-level value an error's field path points at: "persons[2]/x" ->
// "persons" (the repeat), "booking/first_contact_date" -> "first_contact_date".
std::string valueName(const std::string& path) {
  if (auto b = path.find('['); b != std::string::npos) return path.substr(0, b);
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Generates values for `form`, with `fixed` values kept; regenerates the
// fields the validator complains about. Empty object when it gives up.
json makeValues(Gen& g, const Form& form, const json& fixed) {
  std::vector<const Field*> fields;
  topFields(form.fields, fields);
  json v = json::object();
  for (const Field* f : fields) {
    if (fixed.contains(f->name)) continue;
    if (!f->isRequiredAlways() && g.chance(0.15)) continue;  // some optional fields left empty
    json x = g.value(form, *f);
    if (!x.is_null()) v[f->name] = x;
  }
  for (auto it = fixed.begin(); it != fixed.end(); ++it) v[it.key()] = *it;
  for (int attempt = 0; attempt < 40; ++attempt) {
    json trial = v;
    auto errs = validateValues(form, trial);
    if (errs.empty()) return trial;
    for (const auto& e : errs) {
      std::string name = valueName(e.field);
      if (fixed.contains(name) && attempt < 30) continue;
      const Field* f = form.findField(name);
      if (!f) continue;
      json x = g.value(form, *f);
      if (x.is_null()) v.erase(name);
      else v[name] = x;
    }
    if (attempt >= 30)  // give up on the fixed values too
      for (const auto& e : errs) v.erase(valueName(e.field));
  }
  if (std::getenv("SKEMA_DEMO_DEBUG")) {
    json trial = v;
    for (const auto& e : validateValues(form, trial))
      std::fprintf(stderr, "demo: %s: %s: %s\n", form.id.c_str(), e.field.c_str(), e.message.c_str());
  }
  return json::object();
}

struct VecSource : ImportSource {
  std::vector<ImportRow>& rows;
  size_t i = 0;
  explicit VecSource(std::vector<ImportRow>& r) : rows(r) {}
  bool next(ImportRow& r) override {
    if (i >= rows.size()) return false;
    r = rows[i++];
    return true;
  }
};

}  // namespace

int demoCommand(const Args& args) {
  const char* use = "skema demo PATH [--records N] [--seed S] [--forms DIR] [--today YYYY-MM-DD]";
  auto a = parseArgs(args, {"--records", "--seed", "--forms", "--today", "--user"}, {});
  if (!a.error.empty() || a.pos.size() != 1) return usage(use);
  const auto user = actingUser(a);
  if (!user) return kUsage;
  long total = 1000;
  unsigned long long seed = 1;
  try {
    if (a.has("--records")) total = std::stol(a.get("--records"));
    if (a.has("--seed")) seed = std::stoull(a.get("--seed"));
  } catch (...) {
    return usage(use);
  }
  Gen g;
  g.rng.seed(seed);
  {
    std::string t = a.get("--today");
    int y, m, d;
    if (t.empty()) {
      std::time_t now = std::time(nullptr);
      std::tm tm{};
      gmtime_r(&now, &tm);
      y = tm.tm_year + 1900, m = tm.tm_mon + 1, d = tm.tm_mday;
    } else if (std::sscanf(t.c_str(), "%d-%d-%d", &y, &m, &d) != 3) {
      return usage(use);
    }
    g.today = daysFromCivil(y, unsigned(m), unsigned(d));
  }
  std::string formsDir = a.get("--forms", std::string(SKEMA_SOURCE_DIR) + "/forms");
  Diagnostics diags;
  auto cat = loadFormCatalog({formsDir}, diags);
  if (diags.hasErrors() || cat.forms.empty()) {
    for (const auto& dg : diags.items()) std::fprintf(stderr, "%s\n", dg.format().c_str());
    std::fprintf(stderr, "skema demo: no usable forms in %s\n", formsDir.c_str());
    return kFailed;
  }
  try {
    auto s = SqliteStore::create(a.pos[0]);
    Actor admin{*user, ""};
    std::map<std::string, const Form*> latest;
    for (const auto& f : cat.forms) {
      s->publishForm(*f, admin);
      auto& l = latest[f->id];
      if (!l || l->version < f->version) l = f.get();
    }
    static const char* staff[] = {"anne", "bo", "camilla", "dorte", "emil", "freja", "gustav", "hanne"};
    // Persons: ~72 % have one contact, the rest 2-6 across phases.
    std::vector<std::string> personDraws;
    for (int p = 0; (long)personDraws.size() < total; ++p) {
      std::string code = "P-" + std::to_string(10000 + (p * 7919 + int(seed)) % 90000);
      int k = g.chance(0.72) ? 1 : 2 + g.pick(5);
      for (int i = 0; i < k; ++i) personDraws.push_back(code);
    }
    std::shuffle(personDraws.begin(), personDraws.end(), g.rng);
    size_t personNext = 0;

    std::map<std::string, double> weight = {{"outreach.visit", 0.30},     {"outreach.call", 0.12},
                                            {"outreach.clinic", 0.05},    {"psychology.session", 0.20},
                                            {"training.event", 0.03},     {"advisory.inquiry", 0.15}};
    std::vector<ImportRow> rows;
    long failed = 0;
    auto add = [&](const Form& f, json fixed) {
      json v = makeValues(g, f, fixed);
      if (v.empty()) {
        ++failed;
        return json();
      }
      ImportRow r;
      r.record.formId = f.id;
      r.record.formVersion = f.version;
      r.record.status = RecordStatus::Final;
      r.record.values = v;
      std::string d = v.contains("date") && v["date"].is_string() ? v["date"].get<std::string>() : g.date();
      r.record.createdAt = d + "T" + std::to_string(10 + g.pick(8)) + ":" + std::to_string(10 + g.pick(50)) + ":00.000Z";
      r.record.createdBy = staff[g.pick(8)];
      rows.push_back(r);
      return v;
    };
    for (const auto& [id, fp] : latest) {
      const Form& f = *fp;
      long n = std::max(1L, long(total * (weight.count(id) ? weight[id] : 0.05)));
      if (id == "psychology.outcome" || id == "training.evaluation") continue;  // made with their parents
      if (id == "psychology.session") {
        const Form* outcome = latest.count("psychology.outcome") ? latest["psychology.outcome"] : nullptr;
        for (long made = 0; made < n;) {
          std::string person = personDraws[personNext++ % personDraws.size()];
          std::string psych = "PSY" + std::to_string(1 + g.pick(25));
          int sessions = 1 + g.pick(11);
          long start = g.today - 60 - g.pick(600);
          for (int k = 1; k <= sessions && made < n; ++k, ++made)
            add(f, {{"person_code", person}, {"psychologist", psych}, {"session_number", k},
                    {"date", civil(std::min(g.today, start + 7L * (k - 1) + g.pick(3)))}});
          if (outcome && g.chance(0.7))
            add(*outcome, {{"person_code", person}, {"psychologist", psych}, {"sessions_attended", sessions},
                           {"date", civil(std::min(g.today, start + 7L * sessions + 3))}});
        }
        continue;
      }
      for (long i = 0; i < n; ++i) {
        json fixed = json::object();
        bool hasPerson = false;
        f.forEachField([&](const Field& fl) {
          if (fl.type == FieldType::PersonCode && fl.path.find('/') == std::string::npos) hasPerson = true;
        });
        if (hasPerson && g.chance(0.8)) fixed["person_code"] = personDraws[personNext++ % personDraws.size()];
        json v = add(f, fixed);
        if (id == "training.event" && v.is_object() && v.value("status", "") == "held" && latest.count("training.evaluation")) {
          const Form& ev = *latest["training.evaluation"];
          int m = 3 + g.pick(10);
          std::string code = v.value("event_code", "E" + std::to_string(100 + i));
          for (int k = 0; k < m; ++k)
            add(ev, {{"date", v["date"]}, {"event_type", v["event_type"]}, {"event_code", code}});
        }
      }
    }
    // outreach.visit persons: the repeat's person codes come from the pool too
    for (auto& r : rows)
      if (r.record.formId == "outreach.visit" && r.record.values.contains("persons"))
        for (auto& p : r.record.values["persons"])
          if (p.is_object()) p["person_code"] = personDraws[personNext++ % personDraws.size()];
    // Today's visits "later today" are created now: the store refuses times in the future.
    const std::string now = utcNow();
    for (auto& r : rows) r.record.createdAt = std::min(r.record.createdAt, now);
    std::sort(rows.begin(), rows.end(),
              [](const ImportRow& x, const ImportRow& y) { return x.record.createdAt < y.record.createdAt; });
    for (auto& r : rows) r.record.updatedAt = r.record.createdAt, r.record.updatedBy = r.record.createdBy;
    // A few drafts: saved later, interactively.
    std::vector<ImportRow> drafts;
    for (size_t i = 0; i < rows.size(); ++i)
      if (g.chance(0.02)) {
        drafts.push_back(rows[i]);
        rows.erase(rows.begin() + long(i));
      }
    VecSource src(rows);
    auto res = s->importRecords(src, {"demo", "demo data"}, {});
    for (const auto& rj : res.rejected)
      for (const auto& e : rj.errors) std::fprintf(stderr, "demo row %d: %s: %s\n", rj.line, e.field.c_str(), e.message.c_str());
    if (!res.committed) {
      std::fprintf(stderr, "skema demo: generated records did not validate\n");
      return kFailed;
    }
    long draftsSaved = 0, edited = 0;
    for (auto& d : drafts) {
      Record r = d.record;
      r.id.clear();
      r.status = RecordStatus::Draft;
      // drafts are incomplete: drop a few values
      for (int k = 0; k < 3 && !r.values.empty(); ++k) r.values.erase(r.values.begin());
      s->save(r, {d.record.createdBy, ""});
      ++draftsSaved;
    }
    // A few edits of final records, with reasons, for audit history.
    RecordQuery q;
    for (const auto& [id, fp] : latest) {
      q.formId = id;
      q.limit = 5;
      q.status = RecordStatus::Final;
      for (const auto& r : s->query(q).records) {
        if (!g.chance(0.6)) continue;
        const Form& f = *s->form(r.formId, r.formVersion);
        Record e = r;
        std::vector<const Field*> fields;
        topFields(f.fields, fields);
        const Field* fl = fields[size_t(g.pick(int(fields.size())))];
        json fixed = e.values;
        fixed.erase(fl->name);
        json v = makeValues(g, f, fixed);
        if (v.empty() || v == e.values) continue;
        e.values = v;
        static const char* reasons[] = {"typo corrected", "wrong municipality chosen", "updated after team meeting",
                                        "information from the person at next contact"};
        s->save(e, {staff[g.pick(8)], reasons[g.pick(4)]});
        ++edited;
      }
    }
    s->optimize();
    std::printf("created %s: %lld records imported, %ld drafts, %ld edited%s\n", a.pos[0].c_str(),
                (long long)res.imported, draftsSaved, edited,
                failed ? (", " + std::to_string(failed) + " could not be generated valid").c_str() : "");
    return kOk;
  } catch (const StoreError& e) {
    return report(e);
  }
}

}  // namespace skema::cli
