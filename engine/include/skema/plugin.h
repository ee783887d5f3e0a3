/*
 * skema/plugin.h: the Skema plugin ABI. Plain C (C99 and C++), no other
 * Skema header, no ImGui header, no SQLite. A plugin includes this file only
 * and gets everything else through the host table it is handed at init.
 * The guide is docs/plugins.md; the smallest complete plugin is
 * examples/plugin-hello/.
 *
 * Index
 *   [SECTION] Versions        packed semver, checked before any plugin code runs
 *   [SECTION] Values          results and expression-function arguments
 *   [SECTION] Registrations   forms, views, indicators, expression functions
 *   [SECTION] Host table      what the host gives a plugin
 *   [SECTION] Descriptor      what a plugin gives the host; SKEMA_PLUGIN()
 *
 * Rules that keep old plugins working (learned from OBS's libobs):
 *  - Every struct that crosses the boundary begins with `uint32_t size`.
 *    Structs only ever grow at their end, and only with a minor version bump.
 *    The host copies `size` bytes into a zeroed struct of its own, so a
 *    field an older plugin does not know reads as 0 / NULL.
 *  - A plugin built for ABI major M loads only in a host with major M; its
 *    minor must be no newer than the host's. The host refuses any other
 *    plugin with a clear message and goes on without it.
 *  - A plugin must not call a host function its ABI minor does not list, and
 *    should test with SKEMA_HOST_HAS() before calling a function added after
 *    the minor it requires.
 *  - Every string passed in is UTF-8 and NUL-terminated. Strings the host
 *    passes to a callback are valid only during that call; the host copies
 *    every string a plugin passes to it, so the plugin may free them after.
 *  - Plugins never see the database: data is reached through a query handle
 *    (skema_query) and the host's query functions only.
 *  - The host calls a plugin from one thread at a time.
 *  - Registrations are accepted while the plugin is loaded (in init or
 *    later), never during shutdown. A plugin never unregisters: the host
 *    removes everything it registered before unloading it.
 */
#ifndef SKEMA_PLUGIN_H
#define SKEMA_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* [SECTION] Versions ===================================================== */

#define SKEMA_PLUGIN_ABI_MAJOR 1
#define SKEMA_PLUGIN_ABI_MINOR 1
/* Packed semver: major << 16 | minor. */
#define SKEMA_PLUGIN_ABI_MAKE(major, minor) ((((uint32_t)(major)) << 16) | ((uint32_t)(minor) & 0xffffu))
#define SKEMA_PLUGIN_ABI_VERSION SKEMA_PLUGIN_ABI_MAKE(SKEMA_PLUGIN_ABI_MAJOR, SKEMA_PLUGIN_ABI_MINOR)
#define SKEMA_PLUGIN_ABI_GET_MAJOR(v) (((uint32_t)(v)) >> 16)
#define SKEMA_PLUGIN_ABI_GET_MINOR(v) (((uint32_t)(v)) & 0xffffu)

/* The one symbol a plugin exports (written by SKEMA_PLUGIN()). */
#define SKEMA_PLUGIN_ENTRY skema_plugin_entry
#define SKEMA_PLUGIN_ENTRY_NAME "skema_plugin_entry"

/* Return codes of host functions and plugin callbacks. */
#define SKEMA_OK 0
#define SKEMA_ERROR 1           /* generic failure (message given separately) */
#define SKEMA_ERR_INVALID 2     /* bad argument: NULL, empty id, bad JSON, ... */
#define SKEMA_ERR_DUPLICATE 3   /* the id or name is already registered */
#define SKEMA_ERR_UNSUPPORTED 4 /* not available in this host (e.g. no UI) */

/* Log levels for skema_host_api.log. */
#define SKEMA_LOG_DEBUG 0
#define SKEMA_LOG_INFO 1
#define SKEMA_LOG_WARNING 2
#define SKEMA_LOG_ERROR 3

/* Opaque handles. Only the host creates them; a plugin passes them back. */
typedef struct skema_host skema_host;     /* one per loaded plugin */
typedef struct skema_query skema_query;   /* read-only access to records */
typedef struct skema_result skema_result; /* where a callback writes its answer */

/* [SECTION] Values ======================================================= */

#define SKEMA_VALUE_STRING 0
#define SKEMA_VALUE_NUMBER 1
#define SKEMA_VALUE_BOOLEAN 2

/* One argument of an expression function. Fixed within a major version (it
 * travels in arrays, so it cannot grow). `text` is always set (the value's
 * string form as the expression language writes it: dates as YYYY-MM-DD,
 * numbers without trailing zeros, booleans "true"/"false"); `number` is
 * the numeric value (NaN when the text is not a number; 0/1 for booleans). */
typedef struct skema_value {
  uint32_t type; /* SKEMA_VALUE_* */
  double number;
  const char* text;
} skema_value;

/* A language / text pair; arrays of them end with {NULL, NULL}.
 * Example: static const skema_text labels[] = {{"en", "Visits"}, {"da", "Besøg"}, {0, 0}}; */
typedef struct skema_text {
  const char* lang; /* "en", "da", ... */
  const char* text;
} skema_text;

/* [SECTION] Registrations ================================================ */

struct skema_host_api;

/* ---- Views ----
 * A panel the workbench draws (Help→Plugins lists them; the area menus show
 * them). The host hands its ImGui context and allocator so the plugin uses
 * the host's one copy of ImGui, as Dear ImGui requires across shared
 * libraries. Declared with void* so this header needs no ImGui header:
 *   ImGui::SetCurrentContext((ImGuiContext*)ui->imgui_context);
 *   ImGui::SetAllocatorFunctions((ImGuiMemAllocFunc)ui->imgui_alloc,
 *                                (ImGuiMemFreeFunc)ui->imgui_free, ui->imgui_alloc_user);
 * A plugin that draws must be built against the same Dear ImGui version as
 * the host (`imgui_version`); compare with IMGUI_VERSION before drawing. */
typedef struct skema_ui_context {
  uint32_t size;
  void* imgui_context;                                 /* ImGuiContext* */
  void* (*imgui_alloc)(size_t size, void* user_data);  /* ImGuiMemAllocFunc */
  void (*imgui_free)(void* ptr, void* user_data);      /* ImGuiMemFreeFunc */
  void* imgui_alloc_user;
  const char* imgui_version;                           /* IMGUI_VERSION of the host */
  const char* language;                                /* UI language, "da" or "en" */
  float scale;                                         /* DPI scale */
  skema_query* query;                                  /* records the view may read */
} skema_ui_context;

/* Draws the view's contents inside a window the host has begun (no
 * Begin/End of its own window). Returns SKEMA_OK. */
typedef int (*skema_view_draw_fn)(const struct skema_host_api* api, const skema_ui_context* ui,
                                  void* user);

typedef struct skema_view_info {
  uint32_t size;            /* sizeof(skema_view_info) */
  const char* id;           /* stable dotted key, "outreach.view.clinics" */
  const skema_text* titles; /* the window title per language */
  skema_view_draw_fn draw;
  void* user;               /* passed back to draw */
} skema_view_info;

/* ---- Indicators ----
 * A figure for reports: computed from records through the query handle. */
typedef struct skema_indicator_args {
  uint32_t size;
  const char* period_from; /* "YYYY-MM-DD" inclusive, or NULL for open */
  const char* period_to;   /* "YYYY-MM-DD" inclusive, or NULL for open */
  const char* office;      /* office code, or NULL for all offices */
  const char* language;    /* language for labels in a table result */
} skema_indicator_args;

/* Writes its answer through api->result_number / result_json (a JSON value:
 * a number, or a table {"columns": [...], "rows": [[...], ...]}) and returns
 * SKEMA_OK; or calls api->result_error and returns SKEMA_ERROR. The query
 * delivers every record of a form; the plugin applies `args` (compare
 * created_at's first 10 characters with the period, values.office with the
 * office). */
typedef int (*skema_indicator_compute_fn)(const struct skema_host_api* api, skema_query* query,
                                          const skema_indicator_args* args, skema_result* result,
                                          void* user);

typedef struct skema_indicator_info {
  uint32_t size;            /* sizeof(skema_indicator_info) */
  const char* id;           /* stable dotted key, "outreach.visits" */
  const skema_text* labels; /* label per language */
  skema_indicator_compute_fn compute;
  void* user;
} skema_indicator_info;

/* ---- Expression functions ----
 * A function callable from form expressions (relevant, constraint,
 * calculation, ...), e.g. clinic-name(${clinic}). Writes its value through
 * api->result_string / result_number / result_boolean and returns SKEMA_OK,
 * or calls api->result_error and returns SKEMA_ERROR (the expression then
 * fails with that message). Must be fast and must not block: it runs while
 * a form is being filled in. */
typedef int (*skema_function_call_fn)(const struct skema_host_api* api, const skema_value* args,
                                      int argc, skema_result* result, void* user);

typedef struct skema_function_info {
  uint32_t size;     /* sizeof(skema_function_info) */
  const char* name;  /* as written in expressions: "hello-upper" */
  int min_args;
  int max_args;      /* -1: no upper limit */
  skema_function_call_fn call;
  void* user;
  int is_volatile;   /* nonzero when the same arguments may give another value */
} skema_function_info;

/* ---- Records ----
 * Called once per record, as compact JSON text (no whitespace between
 * tokens; key order not specified):
 *   {"id": "...", "form": "outreach.visit", "version": 3, "status": "final",
 *    "person": "P-7F3K", "created_at": "2024-05-01T10:22:00Z",
 *    "values": {"field": value, ...}}
 * Return 0 to go on, nonzero to stop. */
typedef int (*skema_record_fn)(const char* record_json, void* user);

/* [SECTION] Host table =================================================== */

/* Handed to the plugin's init; valid until its shutdown returns. Pass
 * `host` as the first argument of the host functions that take it. */
typedef struct skema_host_api {
  uint32_t size;        /* sizeof the host's table: see SKEMA_HOST_HAS() */
  uint32_t abi_version; /* the host's SKEMA_PLUGIN_ABI_VERSION */
  skema_host* host;     /* this plugin's handle */
  const char* host_version; /* Skema's version, "0.1.0" */

  /* Logging and translation. */
  void (*log)(skema_host* host, int level, const char* message);
  /* The text of `key` in the UI language, else English, else `key` itself;
   * valid while the plugin is loaded. */
  const char* (*translate)(skema_host* host, const char* key);
  /* The UI language: "da" or "en". */
  const char* (*language)(skema_host* host);

  /* Forms: a definition file (a path relative to the plugin's own folder, or
   * absolute) or the JSON text itself (`origin` names it in messages). The
   * definition is checked; an invalid one is refused with SKEMA_ERR_INVALID
   * and the problems are logged. */
  int (*register_form_file)(skema_host* host, const char* path);
  int (*register_form_json)(skema_host* host, const char* json_text, const char* origin);

  /* Views, indicators, functions: pass sizeof(the info struct) as `size`
   * (the skema_register_* macros below do). SKEMA_ERR_DUPLICATE when the id
   * or name is taken. */
  int (*register_view)(skema_host* host, const skema_view_info* info, size_t size);
  int (*register_indicator)(skema_host* host, const skema_indicator_info* info, size_t size);
  int (*register_function)(skema_host* host, const skema_function_info* info, size_t size);

  /* Records (read-only). `form_id` NULL or "" means every form. Returns
   * SKEMA_OK, or SKEMA_ERROR when the records could not be read. */
  int (*query_records)(skema_query* query, const char* form_id, skema_record_fn fn, void* user);

  /* Answers, written from indicator and function callbacks. The last call wins. */
  void (*result_number)(skema_result* result, double value);
  void (*result_string)(skema_result* result, const char* text);
  void (*result_boolean)(skema_result* result, int value);
  /* Any JSON value (number, string, table object, ...). Invalid JSON turns
   * into an error result. */
  void (*result_json)(skema_result* result, const char* json_text);
  void (*result_error)(skema_result* result, const char* message);

  /* ABI 1.1 ------------------------------------------------------------
   * Later additions: append here, bump SKEMA_PLUGIN_ABI_MINOR. */

  /* The label of choice `choice` of field `field` in the registered form
   * `form_id` (the newest version that has it), in the UI language (else
   * English, Danish, the first one): what a dashboard shows instead of the
   * stored name. `choice` itself when the form, field or choice is unknown.
   * Valid while the plugin is loaded. Test with SKEMA_HOST_HAS(api, choice_label). */
  const char* (*choice_label)(skema_host* host, const char* form_id, const char* field, const char* choice);
  /* The label of field `field` of the registered form `form_id`, the same
   * way; `field` itself when unknown. */
  const char* (*field_label)(skema_host* host, const char* form_id, const char* field);
} skema_host_api;

/* True when the host's table has `field` and it is set. */
#define SKEMA_HOST_HAS(api, field)                                                     \
  ((api)->size >= offsetof(skema_host_api, field) + sizeof((api)->field) && (api)->field != NULL)

#define skema_register_view(api, info) ((api)->register_view((api)->host, (info), sizeof(*(info))))
#define skema_register_indicator(api, info) \
  ((api)->register_indicator((api)->host, (info), sizeof(*(info))))
#define skema_register_function(api, info) \
  ((api)->register_function((api)->host, (info), sizeof(*(info))))
#define skema_log(api, level, message) ((api)->log((api)->host, (level), (message)))

/* [SECTION] Descriptor =================================================== */

/* Registers the plugin's content. Return SKEMA_OK, or write a reason
 * (at most error_size bytes, NUL included) into `error` and return
 * SKEMA_ERROR: the host then clears what the plugin registered, unloads it
 * without calling shutdown, and reports the reason. */
typedef int (*skema_plugin_init_fn)(const skema_host_api* api, char* error, size_t error_size);
/* Called before the plugin is unloaded, after the host has removed every
 * registration the plugin made. May be NULL. */
typedef void (*skema_plugin_shutdown_fn)(void);

typedef struct skema_plugin_info {
  uint32_t size;           /* sizeof(skema_plugin_info) as the plugin was built */
  uint32_t abi_version;    /* SKEMA_PLUGIN_ABI_VERSION as the plugin was built */
  const char* id;          /* "outreach": lower-case letters, digits, '_', '-' */
  const char* name;        /* "Outreach" (shown in Help→Plugins) */
  const char* version;     /* the plugin's own version, "1.0.0" */
  const char* description; /* one line, English */
  skema_plugin_init_fn init;
  skema_plugin_shutdown_fn shutdown;
  /* ABI 1.0 ends here. */
} skema_plugin_info;

/* The smallest descriptor the host accepts (the ABI 1.0 struct). */
#define SKEMA_PLUGIN_INFO_MIN_SIZE (offsetof(skema_plugin_info, shutdown) + sizeof(skema_plugin_shutdown_fn))

/* The entry point. It must only return a pointer to static data: the host
 * calls it before any check, with its own ABI version for information. */
typedef const skema_plugin_info* (*skema_plugin_entry_fn)(uint32_t host_abi_version);

#if defined(_WIN32)
#define SKEMA_PLUGIN_EXPORT __declspec(dllexport)
#else
#define SKEMA_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
#define SKEMA_PLUGIN_EXTERN_C extern "C"
#else
#define SKEMA_PLUGIN_EXTERN_C
#endif

/* Writes the entry point. Use once, at file scope, in one source file:
 *   SKEMA_PLUGIN("hello", "Hello", "1.0.0", "The smallest plugin", hello_init, NULL)
 */
#define SKEMA_PLUGIN(ID, NAME, VERSION, DESCRIPTION, INIT, SHUTDOWN)                           \
  SKEMA_PLUGIN_EXTERN_C SKEMA_PLUGIN_EXPORT const skema_plugin_info* SKEMA_PLUGIN_ENTRY(       \
      uint32_t host_abi_version);                                                              \
  SKEMA_PLUGIN_EXTERN_C SKEMA_PLUGIN_EXPORT const skema_plugin_info* SKEMA_PLUGIN_ENTRY(       \
      uint32_t host_abi_version) {                                                             \
    static const skema_plugin_info skema_plugin_info_ = {                                      \
        (uint32_t)sizeof(skema_plugin_info), SKEMA_PLUGIN_ABI_VERSION, (ID), (NAME), (VERSION), \
        (DESCRIPTION), (INIT), (SHUTDOWN)};                                                    \
    (void)host_abi_version;                                                                    \
    return &skema_plugin_info_;                                                                \
  }

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SKEMA_PLUGIN_H */
