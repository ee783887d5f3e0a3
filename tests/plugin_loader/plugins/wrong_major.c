/* Built "for ABI 2.0": refused before its init runs. */
#define _POSIX_C_SOURCE 200112L
#include <stdlib.h>

#include "skema/plugin.h"

static int called_init(const skema_host_api* api, char* error, size_t error_size) {
  (void)api;
  (void)error;
  (void)error_size;
  setenv("SKEMA_TEST_INIT_CALLED", "wrong_major", 1); /* the test checks it never is */
  return SKEMA_OK;
}

SKEMA_PLUGIN_EXPORT const skema_plugin_info* skema_plugin_entry(uint32_t host_abi_version);
SKEMA_PLUGIN_EXPORT const skema_plugin_info* skema_plugin_entry(uint32_t host_abi_version) {
  static const skema_plugin_info info = {sizeof(skema_plugin_info), SKEMA_PLUGIN_ABI_MAKE(2, 0),
                                         "wrong_major", "Wrong major", "1.0.0", "", called_init,
                                         NULL};
  (void)host_abi_version;
  return &info;
}
