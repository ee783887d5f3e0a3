#include "design/form_draft.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace skema::design {

using nlohmann::json;
namespace fs = std::filesystem;

std::string definitionFileName(const std::string& formId, int version) {
  std::string area = formId, name = formId;
  if (auto dot = formId.find('.'); dot != std::string::npos) {
    area = formId.substr(0, dot);
    name = formId.substr(dot + 1);
  }
  return area + "/" + name + ".v" + std::to_string(version) + ".json";
}

std::optional<FormEditor> openDraft(store::Store& st, const std::string& formId, const ChoiceLibrary* shared) {
  if (auto d = st.formDraft(formId)) {
    json def = json::parse(d->definitionText, nullptr, false);
    if (def.is_discarded()) def = json::object();
    FormEditor ed(std::move(def), shared, formId + " (draft)");
    if (d->baseVersion > 0)
      if (auto base = st.form(formId, d->baseVersion)) ed.setBase(*base);
    return ed;
  }
  auto latest = st.latestFormVersion(formId);
  if (!latest) return std::nullopt;
  auto base = st.form(formId, *latest);
  if (!base) return std::nullopt;
  return FormEditor::nextVersionOf(base->definition, shared);
}

void keepDraft(store::Store& st, const FormEditor& draft, const store::Actor& who) {
  store::FormDraftInfo info;
  info.formId = draft.definition().value("id", "");
  info.baseVersion = draft.definition().value("version", 1) - 1;
  info.definitionText = draft.definition().dump(2);
  st.saveFormDraft(info, who);
}

PublishDraftResult publishDraft(store::Store& st, FormEditor& draft, const std::string& formsRoot,
                                const store::Actor& who) {
  PublishDraftResult r;
  draft.recheck();
  for (const auto& d : draft.diagnostics().items())
    (d.severity == Severity::Error ? r.errors : r.warnings).push_back(d);
  if (!r.errors.empty() || !draft.form()) {
    r.message = std::to_string(r.errors.size()) + " error(s) in the form; nothing was published";
    return r;
  }
  const Form& f = *draft.form();
  auto latest = st.latestFormVersion(f.id);
  int expected = latest ? *latest + 1 : 1;
  if (f.version != expected) {
    r.message = f.id + " version " + std::to_string(f.version) + " cannot be published: the next version is " +
                std::to_string(expected);
    return r;
  }
  fs::path file = fs::path(formsRoot) / definitionFileName(f.id, f.version);
  const std::string text = draft.definition().dump(2) + "\n";
  std::error_code ec;
  if (fs::exists(file, ec)) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    if (ss.str() != text) {
      r.message = file.string() + " exists with other content; not overwriting it";
      return r;
    }
  }
  st.publishForm(f, who);
  fs::create_directories(file.parent_path(), ec);
  fs::path part = file;
  part += ".part";
  {
    std::ofstream out(part, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      r.published = true;
      r.message = "published in the workspace, but " + file.string() + " could not be written";
      return r;
    }
  }
  fs::rename(part, file, ec);
  if (ec) {
    r.published = true;
    r.message = "published in the workspace, but " + file.string() + " could not be written: " + ec.message();
    return r;
  }
  st.discardFormDraft(f.id);
  r.published = true;
  r.file = file.string();
  r.message = "published " + f.id + " version " + std::to_string(f.version) + " (" + r.file + ")";
  return r;
}

}  // namespace skema::design
