// choice_label and field_label, the host functions that give plugins the
// words of the registered forms (ABI 1.1).
#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "form/form_loader.h"
#include "plugin/host_api.h"
#include "plugin/plugin_registry.h"

using namespace skema;

namespace {

std::shared_ptr<const Form> form(int version, const char* placeDa) {
  const std::string text = R"({"format": "skema-form/1", "id": "test.labels", "version": )" + std::to_string(version) +
                           R"(, "title": {"da": "T", "en": "T"},
    "fields": [{"name": "place", "type": "select_one", "choices": "places", "label": {"da": ")" + placeDa +
                           R"(", "en": "Place"}}],
    "choices": {"places": [{"name": "clinic", "label": {"da": "Klinik", "en": "Clinic"}},
                           {"name": "street", "label": {"da": "Gade", "en": "Street"}}]}})";
  Diagnostics d;
  auto f = loadForm(text, "labels.json", d);
  REQUIRE(f);
  return std::make_shared<const Form>(std::move(*f));
}

}  // namespace

TEST_CASE("plugins get choice and field labels of registered forms in the UI language") {
  plugin::PluginRegistry registry;
  REQUIRE(registry.addForm({"test", "v1", form(1, "Sted")}) == SKEMA_OK);
  skema_host host;
  host.pluginId = "test";
  host.registry = &registry;
  host.language = "da";
  const skema_host_api api = plugin::makeHostApi(&host);
  REQUIRE(SKEMA_HOST_HAS(&api, choice_label));
  REQUIRE(SKEMA_HOST_HAS(&api, field_label));

  const char* clinic = api.choice_label(api.host, "test.labels", "place", "clinic");
  CHECK(std::string(clinic) == "Klinik");
  CHECK(api.choice_label(api.host, "test.labels", "place", "clinic") == clinic);  // the same string, kept
  CHECK(std::string(api.field_label(api.host, "test.labels", "place")) == "Sted");

  host.language = "en";  // the user switched the UI language
  CHECK(std::string(api.choice_label(api.host, "test.labels", "place", "street")) == "Street");
  CHECK(std::string(clinic) == "Klinik");  // what was handed out stays valid

  // Unknown form, field or choice: the name itself.
  CHECK(std::string(api.choice_label(api.host, "test.labels", "place", "bar")) == "bar");
  CHECK(std::string(api.choice_label(api.host, "test.labels", "nothing", "clinic")) == "clinic");
  CHECK(std::string(api.choice_label(api.host, "no.form", "place", "clinic")) == "clinic");
  CHECK(std::string(api.field_label(api.host, "test.labels", "nothing")) == "nothing");
  CHECK(std::string(api.choice_label(api.host, nullptr, "place", "clinic")) == "clinic");
  CHECK(std::string(api.choice_label(api.host, "test.labels", "place", nullptr)).empty());

  // A newer version's words win.
  host.language = "da";
  REQUIRE(registry.addForm({"test", "v2", form(2, "Hvor")}) == SKEMA_OK);
  CHECK(std::string(api.field_label(api.host, "test.labels", "place")) == "Hvor");
}
