// skema demo PATH: placeholder until the generator lands.
#include <cstdio>

#include "cli/cmd_store_common.h"

namespace skema::cli {
int demoCommand(const Args&) {
  std::fprintf(stderr, "skema demo: not implemented yet\n");
  return kFailed;
}
}  // namespace skema::cli
