#include "expr/validate.h"

#include <cmath>

#include "expr/form_logic.h"

namespace skema::expr {

namespace {

std::string num(double d) { return numberToString(d); }

// Type problems of a (non-empty) raw value; "" when fine.
std::string typeProblem(const Form& form, const Field& f, const nlohmann::json& v) {
  auto bounds = [&](double d) -> std::string {
    if (f.min && d < *f.min) return "must be at least " + num(*f.min);
    if (f.max && d > *f.max) return "must be at most " + num(*f.max);
    return "";
  };
  switch (f.type) {
    case FieldType::Integer: {
      if (!v.is_number()) return "must be a whole number";
      double d = v.get<double>();
      if (!std::isfinite(d) || d != std::floor(d)) return "must be a whole number";
      return bounds(d);
    }
    case FieldType::Decimal: {
      if (!v.is_number()) return "must be a number";
      return bounds(v.get<double>());
    }
    case FieldType::Range: {
      if (!v.is_number()) return "must be a number";
      double d = v.get<double>();
      auto b = bounds(d);
      if (!b.empty()) return b;
      if (f.step && *f.step > 0) {
        double base = f.min ? *f.min : 0;
        double k = (d - base) / *f.step;
        if (std::fabs(k - std::round(k)) > 1e-9) return "must be in steps of " + num(*f.step);
      }
      return "";
    }
    case FieldType::Date:
      if (!v.is_string() || !parseDate(v.get<std::string>())) return "must be a date (YYYY-MM-DD)";
      return "";
    case FieldType::Time:
      if (!v.is_string() || !parseTime(v.get<std::string>())) return "must be a time (HH:MM or HH:MM:SS)";
      return "";
    case FieldType::DateTime:
      if (!v.is_string() || !parseDateTime(v.get<std::string>()))
        return "must be a date and time (YYYY-MM-DDTHH:MM:SS)";
      return "";
    case FieldType::SelectOne:
    case FieldType::SelectMultiple: {
      if (!v.is_string()) return "must be the name of a choice";
      const ChoiceList* list = form.findChoices(f.choices);
      if (!list) return "";
      const std::string& s = v.get_ref<const std::string&>();
      // Fast path (bulk imports): one non-empty name without white space.
      if (f.type == FieldType::SelectOne && !s.empty() && s.find_first_of(" \t\n\r") == std::string::npos)
        return list->find(s) ? "" : "'" + s + "' is not a choice of list '" + f.choices + "'";
      auto items = f.type == FieldType::SelectOne ? std::vector<std::string>{s} : splitSelected(s);
      if (f.type == FieldType::SelectOne && splitSelected(s).size() != 1)
        return "'" + s + "' is not a choice of list '" + f.choices + "'";
      for (const auto& it : items)
        if (!list->find(it)) return "'" + it + "' is not a choice of list '" + f.choices + "'";
      return "";
    }
    case FieldType::Text:
    case FieldType::PersonCode:
      if (!v.is_string()) return "must be text";
      return "";
    default:
      return "";
  }
}

bool isEmptyJson(const nlohmann::json& v) {
  return v.is_null() || (v.is_string() && v.get_ref<const std::string&>().empty());
}

void eraseContents(const std::vector<Field>& fs, nlohmann::json& obj) {
  for (const auto& f : fs) {
    obj.erase(f.name);
    if (f.type == FieldType::Group) eraseContents(f.fields, obj);
  }
}

struct Validator {
  const Form& form;
  const FormLogic& logic;
  const std::string& lang;
  std::vector<FieldError> errors;

  void walk(const std::vector<Field>& fs, nlohmann::json& obj, InstancePath& path, const std::string& prefix) {
    for (const auto& f : fs) {
      int idx = logic.fieldIndex(f.name);
      if (idx < 0) continue;
      std::string where = prefix.empty() ? (f.path.empty() ? f.name : f.path) : prefix + f.name;
      if (!logic.isRelevant(idx, path)) {
        obj.erase(f.name);
        if (f.type == FieldType::Group) eraseContents(f.fields, obj);
        continue;
      }
      if (f.type == FieldType::Group) {
        walk(f.fields, obj, path, prefix);
        continue;
      }
      if (f.type == FieldType::Repeat) {
        auto it = obj.find(f.name);
        if (it == obj.end()) continue;
        if (!it->is_array()) {
          errors.push_back({where, "must be a list of entries"});
          continue;
        }
        for (size_t i = 0; i < it->size(); ++i) {
          auto& item = (*it)[i];
          if (!item.is_object()) {
            errors.push_back({where + "[" + std::to_string(i + 1) + "]", "must be an object of values"});
            continue;
          }
          path.push_back(static_cast<int>(i));
          walk(f.fields, item, path, where + "[" + std::to_string(i + 1) + "]/");
          path.pop_back();
        }
        continue;
      }
      if (!holdsValue(f.type)) {
        obj.erase(f.name);
        continue;
      }
      if (!f.calculation.empty()) {
        Value v = logic.value(idx, path);
        if (v.isEmpty()) obj.erase(f.name);
        else obj[f.name] = valueToJson(v);
      } else {
        auto it = obj.find(f.name);
        if (it != obj.end() && !isEmptyJson(*it)) {
          std::string problem = typeProblem(form, f, *it);
          if (!problem.empty()) {
            errors.push_back({where, problem});
            continue;
          }
        }
      }
      switch (logic.validity(idx, path)) {
        case Validity::Ok: break;
        case Validity::Required: {
          std::string m = localized(f.requiredMessage, lang);
          errors.push_back({where, m.empty() ? "required" : m});
          break;
        }
        case Validity::Constraint: {
          std::string m = localized(f.constraintMessage, lang);
          errors.push_back({where, m.empty() ? "value does not satisfy constraint: " + f.constraint : m});
          break;
        }
      }
    }
  }
};

// A form without expressions (no relevance, constraints, calculations, or
// required conditions other than always) needs no FormLogic per record: the
// same walk with static checks only. Returns false when the form is not such.
bool staticOnly(const std::vector<Field>& fs, const FormLogic& logic) {
  for (const auto& f : fs) {
    if (logic.fieldIndex(f.name) < 0 || !f.relevant.empty() || !f.constraint.empty() || !f.calculation.empty() ||
        !(f.required.empty() || f.isRequiredAlways()))
      return false;
    switch (f.type) {
      case FieldType::Group:
        if (!staticOnly(f.fields, logic)) return false;
        break;
      case FieldType::Integer: case FieldType::Decimal: case FieldType::Range: case FieldType::Date:
      case FieldType::Time: case FieldType::DateTime: case FieldType::SelectOne: case FieldType::SelectMultiple:
      case FieldType::Text: case FieldType::PersonCode:
        break;
      default:
        // Other value types convert in ways the static walk does not copy;
        // fields without a value (notes) are only erased.
        if (holdsValue(f.type) || f.type == FieldType::Repeat) return false;
    }
  }
  return true;
}

// Validator::walk for a staticOnly() form: every field is relevant, a value
// that passes its type check is never empty, and required means always.
void walkStatic(const Form& form, const std::vector<Field>& fs, nlohmann::json& obj, const std::string& lang,
                std::vector<FieldError>& errors) {
  for (const auto& f : fs) {
    if (f.type == FieldType::Group) {
      walkStatic(form, f.fields, obj, lang, errors);
      continue;
    }
    if (!holdsValue(f.type)) {
      obj.erase(f.name);
      continue;
    }
    const std::string& where = f.path.empty() ? f.name : f.path;
    auto it = obj.find(f.name);
    if (it != obj.end() && !isEmptyJson(*it)) {
      std::string problem = typeProblem(form, f, *it);
      if (!problem.empty()) errors.push_back({where, problem});
      continue;
    }
    if (f.isRequiredAlways()) {
      std::string m = localized(f.requiredMessage, lang);
      errors.push_back({where, m.empty() ? "required" : m});
    }
  }
}

}  // namespace

std::vector<FieldError> validateRecord(const Form& form, nlohmann::json& values, const std::string& lang) {
  if (!values.is_object()) return {{"", "a record must be an object of field values"}};
  RecordValidator v(form, lang);
  return v.validate(values);
}

RecordValidator::RecordValidator(const Form& form, std::string lang, bool allowStatic)
    : m_form(form), m_lang(std::move(lang)), m_logic(std::make_unique<FormLogic>(form)) {
  m_logic->lang = m_lang;
  m_static = allowStatic && staticOnly(form.fields, *m_logic);
}

RecordValidator::~RecordValidator() = default;

std::vector<FieldError> RecordValidator::validate(nlohmann::json& values) {
  if (!values.is_object()) return {{"", "a record must be an object of field values"}};
  if (m_static) {
    std::vector<FieldError> errors;
    walkStatic(m_form, m_form.fields, values, m_lang, errors);
    return errors;
  }
  // load() starts a fresh record state (new instances, everything
  // evaluated), so nothing of the previous record carries over.
  m_logic->load(values);
  Validator v{m_form, *m_logic, m_lang, {}};
  InstancePath path;
  v.walk(m_form.fields, values, path, "");
  return std::move(v.errors);
}

}  // namespace skema::expr
