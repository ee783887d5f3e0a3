// Backend-independent parts of the store: names, time, validation hook.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>

#include "expr/value.h"
#include "form/form.h"
#include "store/store.h"
#include "util/text.h"

#if __has_include("expr/validate.h")
#include "expr/validate.h"
#define SKEMA_HAVE_VALIDATOR 1
#endif

namespace skema::store {

const char* statusName(RecordStatus s) { return s == RecordStatus::Final ? "final" : "draft"; }

std::optional<RecordStatus> statusFromName(const std::string& s) {
  if (s == "final") return RecordStatus::Final;
  if (s == "draft") return RecordStatus::Draft;
  return std::nullopt;
}

const char* errorKindName(ErrorKind k) {
  switch (k) {
    case ErrorKind::NotAWorkspace: return "not a workspace";
    case ErrorKind::NewerFormat: return "newer format";
    case ErrorKind::ReadOnly: return "read-only";
    case ErrorKind::NotFound: return "not found";
    case ErrorKind::Exists: return "exists";
    case ErrorKind::Busy: return "busy";
    case ErrorKind::DiskFull: return "disk full";
    case ErrorKind::Invalid: return "invalid";
    case ErrorKind::Conflict: return "conflict";
    case ErrorKind::Corrupt: return "corrupt";
    case ErrorKind::Io: return "io error";
  }
  return "error";
}

std::string utcNow() {
  using namespace std::chrono;
  auto now = system_clock::now();
  auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::time_t t = system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[80];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, int(ms));
  return buf;
}

std::optional<std::string> checkUserName(std::string_view name) {
  if (name.empty()) return "is empty";
  if (name.size() > kMaxUserNameBytes)
    return "is " + std::to_string(name.size()) + " bytes long (at most " + std::to_string(kMaxUserNameBytes) + ")";
  for (size_t i = 0; i < name.size();) {
    const size_t at = i;
    const std::optional<char32_t> cp = nextCodePoint(name, i);
    if (!cp) return "is not valid UTF-8 (byte " + std::to_string(at + 1) + ")";
    if (isHiddenControl(*cp)) {
      char u[16];
      std::snprintf(u, sizeof u, "U+%04X", unsigned(*cp));
      return std::string("contains the control character ") + u;
    }
  }
  return std::nullopt;
}

std::string actorUser(const Actor& who) {
  if (who.user.empty()) return "unknown";
  if (auto why = checkUserName(who.user))
    throw StoreError(ErrorKind::Invalid, "the user name \"" + displayText(who.user) + "\" " + *why);
  return who.user;
}

namespace {
// Text for a message: quoted, long text cut.
std::string shown(std::string_view text) {
  if (text.size() > 40) return "'" + std::string(text.substr(0, 40)) + "...'";
  return "'" + std::string(text) + "'";
}
}  // namespace

std::optional<std::string> normaliseUtcTime(const std::string& text, std::chrono::system_clock::time_point now,
                                            std::string& error) {
  using namespace std::chrono;
  // The expression language's reading of a date and time (its days are UTC
  // when a zone is given).
  const auto v = expr::parseDateTime(text);
  if (!v) {
    error = "not a date and time: " + shown(text) + " (expected YYYY-MM-DDTHH:MM:SS.mmmZ)";
    return std::nullopt;
  }
  if (v->tzMinutes == expr::Value::kNoZone) {
    error = shown(text) + " has no time zone: end it with Z (UTC) or an offset such as +01:00";
    return std::nullopt;
  }
  std::string out = expr::formatDateTime(v->num, 0);
  if (out.size() != 24 || out[0] == '-') {  // before year 0 or after 9999 in UTC
    error = shown(text) + " is not a valid date and time";
    return std::nullopt;
  }
  const double nowDays = double(duration_cast<milliseconds>(now.time_since_epoch()).count()) / 86400000.0;
  if (v->num > nowDays + kClockToleranceSeconds / 86400.0) {
    error = shown(text) + " is in the future";
    return std::nullopt;
  }
  return out;
}

std::string userNameProblem(std::string_view name) { return checkUserName(name).value_or(""); }

namespace {

// The field named `name` among `fields`, groups looked through.
const Field* childNamed(const std::vector<Field>& fields, const std::string& name) {
  for (const auto& f : fields) {
    if (f.type == FieldType::Group) {
      if (const Field* c = childNamed(f.fields, name)) return c;
    } else if (f.name == name && (holdsValue(f.type) || f.type == FieldType::Repeat)) {
      return &f;
    }
  }
  return nullptr;
}

// What is wrong with `v` as the value of `f`, "" when nothing (repeats: only
// whether it is an array; its instances are walked by the caller).
std::string kindProblem(const Field& f, const nlohmann::json& v) {
  if (v.is_null() || (v.is_string() && v.get_ref<const std::string&>().empty())) return "";
  if (f.type == FieldType::Repeat) return v.is_array() ? "" : "must be a list of entries";
  if (!f.calculation.empty() || f.type == FieldType::Calculate)
    return v.is_structured() ? "must be a single value" : "";
  switch (f.type) {
    case FieldType::Integer:
      if (!v.is_number() || (v.is_number_float() && v.get<double>() != std::floor(v.get<double>())))
        return "must be a whole number";
      return "";
    case FieldType::Decimal:
    case FieldType::Range: return v.is_number() ? "" : "must be a number";
    case FieldType::Text:
    case FieldType::PersonCode: return v.is_string() ? "" : "must be text";
    case FieldType::Date: return v.is_string() ? "" : "must be a date (YYYY-MM-DD)";
    case FieldType::Time: return v.is_string() ? "" : "must be a time (HH:MM or HH:MM:SS)";
    case FieldType::DateTime: return v.is_string() ? "" : "must be a date and time (YYYY-MM-DDTHH:MM:SS)";
    case FieldType::SelectOne:
    case FieldType::SelectMultiple: return v.is_string() ? "" : "must be the name of a choice";
    default: return "";
  }
}

void checkKinds(const Field& f, const nlohmann::json& v, const std::string& where, std::vector<FieldMessage>& out) {
  std::string problem = kindProblem(f, v);
  if (!problem.empty()) {
    out.push_back({where, std::move(problem)});
    return;
  }
  if (f.type != FieldType::Repeat || !v.is_array()) return;
  for (size_t i = 0; i < v.size(); ++i) {
    const std::string at = where + "[" + std::to_string(i + 1) + "]";
    const auto& item = v[i];
    if (!item.is_object()) {
      out.push_back({at, "must be an object of values"});
      continue;
    }
    for (auto it = item.begin(); it != item.end(); ++it) {
      const Field* c = childNamed(f.fields, it.key());
      if (!c) out.push_back({at + "/" + it.key(), "no such field in " + f.name});
      else checkKinds(*c, *it, at + "/" + it.key(), out);
    }
  }
}

void checkKindsOf(const std::vector<Field>& fields, const nlohmann::json& values, std::vector<FieldMessage>& out) {
  for (const auto& f : fields) {
    if (f.type == FieldType::Group) {
      checkKindsOf(f.fields, values, out);
      continue;
    }
    if (!holdsValue(f.type) && f.type != FieldType::Repeat) continue;
    auto it = values.find(f.name);
    if (it != values.end()) checkKinds(f, *it, f.path.empty() ? f.name : f.path, out);
  }
}

}  // namespace

std::vector<FieldMessage> valueKindProblems(const Form& form, const nlohmann::json& values) {
  std::vector<FieldMessage> out;
  if (!values.is_object()) out.push_back({"", "values must be a JSON object"});
  else checkKindsOf(form.fields, values, out);
  return out;
}

namespace {
const Field* findPersonField(const std::vector<Field>& fields) {
  for (const auto& f : fields) {
    if (f.type == FieldType::PersonCode) return &f;
    if (f.type == FieldType::Group)
      if (const Field* p = findPersonField(f.fields)) return p;
  }
  return nullptr;
}
}  // namespace

std::string personCodeOf(const Form& form, const nlohmann::json& values) {
  const Field* f = findPersonField(form.fields);
  if (!f || !values.is_object()) return {};
  auto it = values.find(f->name);
  if (it == values.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

bool haveValidator() {
#ifdef SKEMA_HAVE_VALIDATOR
  return true;
#else
  return false;
#endif
}

struct FormValidator::Impl {
#ifdef SKEMA_HAVE_VALIDATOR
  explicit Impl(const Form& f) : v(f, "en") {}
  skema::expr::RecordValidator v;
#else
  explicit Impl(const Form&) {}
#endif
};

FormValidator::FormValidator(const Form& form) : d(std::make_unique<Impl>(form)) {}
FormValidator::~FormValidator() = default;

std::vector<FieldMessage> FormValidator::validate(nlohmann::json& values) {
  std::vector<FieldMessage> out;
#ifdef SKEMA_HAVE_VALIDATOR
  for (auto& e : d->v.validate(values)) out.push_back({std::move(e.field), std::move(e.message)});
#else
  (void)values;
#endif
  return out;
}

std::vector<FieldMessage> validateValues(const Form& form, nlohmann::json& values) {
  std::vector<FieldMessage> out;
#ifdef SKEMA_HAVE_VALIDATOR
  for (auto& e : skema::expr::validateRecord(form, values, "en")) out.push_back({e.field, e.message});
#else
  (void)form;
  (void)values;
#endif
  return out;
}

void Store::forEachRecordText(const std::string& formId, bool includeDeleted,
                              const std::function<void(const RecordText&)>& fn) {
  std::string values;
  forEachRecord(formId, includeDeleted, [&](const Record& r) {
    values = r.values.dump();
    fn(recordText(r, values));
  });
}

bool parseStoredValues(std::string_view text, nlohmann::json& out, std::string& reason) {
  try {
    out = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    reason = e.what();
    // "[json.exception.parse_error.101] parse error at ...": the part after the tag
    if (auto tag = reason.find("] "); reason.rfind("[json.", 0) == 0 && tag != std::string::npos) reason.erase(0, tag + 2);
    return false;
  }
  if (out.is_object()) return true;
  reason = "not a JSON object";
  return false;
}

RecordText recordText(const Record& r, std::string_view valuesText) {
  RecordText t;
  t.id = r.id;
  t.formId = r.formId;
  t.formVersion = r.formVersion;
  t.status = r.status;
  t.personCode = r.personCode;
  t.createdAt = r.createdAt;
  t.createdBy = r.createdBy;
  t.updatedAt = r.updatedAt;
  t.updatedBy = r.updatedBy;
  t.deleted = r.deleted;
  t.revision = r.revision;
  t.values = valuesText;
  return t;
}

}  // namespace skema::store
