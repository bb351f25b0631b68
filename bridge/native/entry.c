/*
 * entry.c: the exported clap_entry and the plugin factory. The resource
 * folder is `<dirname of the .clap>/DeepImprov`.
 */
#include <stdio.h>
#include <string.h>

#include "plugin.h"

static char g_resource_dir[CLAP_PATH_SIZE];

/** [thread-safe after init] */
const char *di_resource_dir(void) { return g_resource_dir; }

/** [main-thread] Called once by the host with the path of the .clap file. */
static bool entry_init(const char *plugin_path) {
  if (!plugin_path) return false;
  char dir[CLAP_PATH_SIZE];
  snprintf(dir, sizeof dir, "%s", plugin_path);
  char *slash = strrchr(dir, '/');
#if defined(_WIN32)
  char *back = strrchr(dir, '\\');
  if (!slash || (back && back > slash)) slash = back;
#endif
  if (slash) *slash = 0;
  else snprintf(dir, sizeof dir, ".");
  const int n = snprintf(g_resource_dir, sizeof g_resource_dir, "%s/DeepImprov", dir);
  return n > 0 && (size_t)n < sizeof g_resource_dir;
}

/** [main-thread] */
static void entry_deinit(void) {}

/** [main-thread] */
static uint32_t factory_count(const clap_plugin_factory_t *f) {
  (void)f;
  return 1;
}

/** [main-thread] */
static const clap_plugin_descriptor_t *factory_descriptor(const clap_plugin_factory_t *f, uint32_t index) {
  (void)f;
  return index == 0 ? &DI_DESCRIPTOR : NULL;
}

/** [main-thread] */
static const clap_plugin_t *factory_create(const clap_plugin_factory_t *f, const clap_host_t *host, const char *id) {
  (void)f;
  if (!host || !id || strcmp(id, DI_DESCRIPTOR.id) != 0) return NULL;
  if (host->clap_version.major < 1) return NULL;
  return di_plugin_create(host);
}

static const clap_plugin_factory_t FACTORY = {factory_count, factory_descriptor, factory_create};

/** [thread-safe] */
static const void *entry_get_factory(const char *id) {
  return (id && !strcmp(id, CLAP_PLUGIN_FACTORY_ID)) ? &FACTORY : NULL;
}

CLAP_EXPORT const clap_plugin_entry_t clap_entry = {CLAP_VERSION_INIT, entry_init, entry_deinit, entry_get_factory};
