/* A second plugin with the id "good": refused as a duplicate. */
#include "skema/plugin.h"

static int dup_init(const skema_host_api* api, char* error, size_t error_size) {
  (void)api;
  (void)error;
  (void)error_size;
  return SKEMA_OK;
}

SKEMA_PLUGIN("good", "Good again", "9.9.9", "Same id as good.so", dup_init, NULL)
