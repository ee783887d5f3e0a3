/* Registers an indicator, then fails: the host must clear the indicator
 * and unload the plugin. */
#include <stdio.h>
#include <string.h>

#include "skema/plugin.h"

static int compute(const skema_host_api* api, skema_query* q, const skema_indicator_args* a,
                   skema_result* r, void* user) {
  (void)q;
  (void)a;
  (void)user;
  api->result_number(r, 1);
  return SKEMA_OK;
}

static int fails_init(const skema_host_api* api, char* error, size_t error_size) {
  skema_indicator_info ind;
  memset(&ind, 0, sizeof ind);
  ind.size = sizeof ind;
  ind.id = "init_fails.count";
  ind.compute = compute;
  skema_register_indicator(api, &ind);
  snprintf(error, error_size, "settings file %s is missing", "init_fails.json");
  return SKEMA_ERROR;
}

SKEMA_PLUGIN("init_fails", "Init fails", "0.1.0", "init returns an error", fails_init, NULL)
