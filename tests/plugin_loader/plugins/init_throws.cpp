// A C++ plugin whose init registers a function and then throws: the
// exception crosses the C function-pointer call into the host's catch (UB
// in theory, works with GCC's unwinder; the loader test proves it here).
#include <stdexcept>

#include "skema/plugin.h"

static int call(const skema_host_api* api, const skema_value*, int, skema_result* r, void*) {
  api->result_number(r, 1);
  return SKEMA_OK;
}

static int throws_init(const skema_host_api* api, char*, size_t) {
  skema_function_info fn{};
  fn.size = sizeof fn;
  fn.name = "init-throws-fn";
  fn.min_args = 0;
  fn.max_args = 0;
  fn.call = call;
  skema_register_function(api, &fn);
  throw std::runtime_error("database of clinics not found");
}

SKEMA_PLUGIN("init_throws", "Init throws", "0.1.0", "init throws", throws_init, nullptr)
