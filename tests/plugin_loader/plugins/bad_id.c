/* An id with capitals and a space: refused before init. */
#include "skema/plugin.h"

static int bad_init(const skema_host_api* api, char* error, size_t error_size) {
  (void)api;
  (void)error;
  (void)error_size;
  return SKEMA_OK;
}

SKEMA_PLUGIN("Out Reach", "Bad id", "1.0.0", "An id the host refuses", bad_init, NULL)
