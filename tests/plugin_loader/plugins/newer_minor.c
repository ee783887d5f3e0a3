/* Built "for ABI 1.<host minor + 1>": refused before its init runs. */
#define _POSIX_C_SOURCE 200112L
#include <stdlib.h>

#include "skema/plugin.h"

static int called_init(const skema_host_api* api, char* error, size_t error_size) {
  (void)api;
  (void)error;
  (void)error_size;
  setenv("SKEMA_TEST_INIT_CALLED", "newer_minor", 1); /* the test checks it never is */
  return SKEMA_OK;
}

SKEMA_PLUGIN_EXPORT const skema_plugin_info* skema_plugin_entry(uint32_t host_abi_version);
SKEMA_PLUGIN_EXPORT const skema_plugin_info* skema_plugin_entry(uint32_t host_abi_version) {
  static const skema_plugin_info info = {sizeof(skema_plugin_info), SKEMA_PLUGIN_ABI_MAKE(SKEMA_PLUGIN_ABI_MAJOR, SKEMA_PLUGIN_ABI_MINOR + 1),
                                         "newer_minor", "Newer minor", "1.0.0", "", called_init,
                                         NULL};
  (void)host_abi_version;
  return &info;
}
