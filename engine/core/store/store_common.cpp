// Backend-independent parts of the store: names, time, validation hook.
#include <chrono>
#include <cstdio>
#include <ctime>

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
