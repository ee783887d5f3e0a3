/* A descriptor that claims to be 8 bytes long (only size and version). */
#include "skema/plugin.h"

static const struct {
  uint32_t size;
  uint32_t abi_version;
} tiny = {8, SKEMA_PLUGIN_ABI_VERSION};

SKEMA_PLUGIN_EXPORT const skema_plugin_info* skema_plugin_entry(uint32_t host_abi_version);
SKEMA_PLUGIN_EXPORT const skema_plugin_info* skema_plugin_entry(uint32_t host_abi_version) {
  (void)host_abi_version;
  return (const skema_plugin_info*)(const void*)&tiny;
}
