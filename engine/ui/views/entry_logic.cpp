#include "views/entry_logic.h"

#include "expr/form_logic.h"

namespace skema::ui {
namespace {

class FormEntryLogic final : public EntryLogic {
 public:
  FormEntryLogic(const Form& form, const std::string& lang, const Translator& tr) : m_form(form), m_logic(form), m_tr(&tr) {
    m_lang = lang;
    m_logic.lang = lang;
  }

  void reset(nlohmann::json& values) override {
    if (values.empty()) {
      m_logic.reset();
      // Defaults and calculations of a new record.
      values = m_logic.values();
    } else {
      m_logic.load(values);
      writeCalculations(values, m_form.fields, {});
    }
  }

  void changed(nlohmann::json& values, const Field* field, const std::vector<int>& instance) override {
    if (field && !isContainer(field->type)) {
      nlohmann::json v = nlohmann::json();
      const nlohmann::json* scope = scopeOf(values, instance, field);
      if (scope && scope->contains(field->name)) v = (*scope)[field->name];
      m_logic.setValue(field->name, expr::valueFromJson(v, field->type), instance);
    } else {
      m_logic.load(values);
    }
    writeCalculations(values, m_form.fields, {});
  }

  void setLanguage(const std::string& lang) override {
    if (lang == m_lang) return;
    m_lang = lang;
    m_logic.lang = lang;
  }

  FieldStatus status(const Field& field, const std::vector<int>& instance) override {
    FieldStatus st;
    const int idx = m_logic.fieldIndex(field.name);
    if (idx < 0) return st;
    st.relevant = m_logic.isRelevant(idx, instance);
    st.required = m_logic.isRequired(idx, instance);
    if (m_logic.validity(idx, instance) == expr::Validity::Constraint) {
      st.message = localized(field.constraintMessage, m_lang);
      if (st.message.empty()) st.message = m_tr->in(m_lang, "entry.error.constraint");
    }
    return st;
  }

  std::vector<const Choice*> visibleChoices(const Field& field, const std::vector<int>& instance) override {
    const int idx = m_logic.fieldIndex(field.name);
    if (idx >= 0) return m_logic.visibleChoices(idx, instance);
    std::vector<const Choice*> out;
    if (const ChoiceList* l = m_form.findChoices(field.choices))
      for (const auto& c : l->choices) out.push_back(&c);
    return out;
  }

 private:
  // The object holding `field` in `values` for the repeat `instance`.
  const nlohmann::json* scopeOf(const nlohmann::json& values, const std::vector<int>& instance, const Field* field) {
    if (instance.empty()) return &values;
    // Walk the repeats enclosing the field, outermost first.
    std::vector<const Field*> repeats;
    findRepeats(m_form.fields, field, repeats);
    const nlohmann::json* scope = &values;
    for (size_t i = 0; i < repeats.size() && i < instance.size(); ++i) {
      if (!scope->contains(repeats[i]->name)) return nullptr;
      const auto& arr = (*scope)[repeats[i]->name];
      if (!arr.is_array() || instance[i] >= static_cast<int>(arr.size())) return nullptr;
      scope = &arr[static_cast<size_t>(instance[i])];
    }
    return scope;
  }

  static bool findRepeats(const std::vector<Field>& fields, const Field* target, std::vector<const Field*>& path) {
    for (const auto& f : fields) {
      if (&f == target) return true;
      if (f.type == FieldType::Repeat) path.push_back(&f);
      if (findRepeats(f.fields, target, path)) return true;
      if (f.type == FieldType::Repeat) path.pop_back();
    }
    return false;
  }

  void writeCalculations(nlohmann::json& scope, const std::vector<Field>& fields, std::vector<int> instance) {
    for (const auto& f : fields) {
      if (f.type == FieldType::Group) {
        writeCalculations(scope, f.fields, instance);
      } else if (f.type == FieldType::Repeat) {
        if (!scope.contains(f.name) || !scope[f.name].is_array()) continue;
        auto& arr = scope[f.name];
        for (size_t i = 0; i < arr.size(); ++i) {
          instance.push_back(static_cast<int>(i));
          if (arr[i].is_object()) writeCalculations(arr[i], f.fields, instance);
          instance.pop_back();
        }
      } else if (f.type == FieldType::Calculate || !f.calculation.empty()) {
        const int idx = m_logic.fieldIndex(f.name);
        if (idx < 0) continue;
        nlohmann::json v = expr::valueToJson(m_logic.value(idx, instance));
        if (v.is_null() || (v.is_string() && v.get_ref<const std::string&>().empty())) scope.erase(f.name);
        else scope[f.name] = v;
      }
    }
  }

  const Form& m_form;
  expr::FormLogic m_logic;
  const Translator* m_tr;  // the UI's strings, read in m_lang (the form's language)
  std::string m_lang;
};

}  // namespace

std::unique_ptr<EntryLogic> makeEntryLogic(const Form& form, const std::string& lang, const Translator& tr) {
  return std::make_unique<FormEntryLogic>(form, lang, tr);
}

}  // namespace skema::ui
