/* Declares ABI 1.0, the first minor: a 1.x host loads it. Compiled against
 * today's header, it can name choice_label (1.1) and calls it only after
 * SKEMA_HOST_HAS; a table that ends before it (a 1.0 host) is tried in
 * plugins/outreach/tests/test_present.cpp. */
#include <string.h>

#include "skema/plugin.h"

static int init(const skema_host_api* api, char* error, size_t error_size) {
  (void)error;
  (void)error_size;
  if (SKEMA_HOST_HAS(api, choice_label)) {
    const char* label = api->choice_label(api->host, "no.form", "field", "name");
    skema_log(api, SKEMA_LOG_INFO, strcmp(label, "name") == 0 ? "choice_label: the name" : "choice_label: other");
  } else {
    skema_log(api, SKEMA_LOG_INFO, "no choice_label");
  }
  return SKEMA_OK;
}

SKEMA_PLUGIN_EXPORT const skema_plugin_info* skema_plugin_entry(uint32_t host_abi_version);
SKEMA_PLUGIN_EXPORT const skema_plugin_info* skema_plugin_entry(uint32_t host_abi_version) {
  static const skema_plugin_info info = {sizeof(skema_plugin_info), SKEMA_PLUGIN_ABI_MAKE(SKEMA_PLUGIN_ABI_MAJOR, 0),
                                         "older_minor", "Older minor", "1.0.0", "", init, NULL};
  (void)host_abi_version;
  return &info;
}
