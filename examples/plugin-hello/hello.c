/*
 * The smallest complete Skema plugin (docs/plugins.md walks through it).
 * Registers
 *   - the indicator "hello.count": how many records there are, of any form,
 *     in the period asked for;
 *   - the expression function hello-upper(text): the text in capitals
 *     (ASCII and the Latin-1 letters, so "æøå" gives "ÆØÅ");
 * and logs one line. Plain C99: it needs nothing but skema/plugin.h.
 */
#include <stdlib.h>
#include <string.h>

#include "skema/plugin.h"

/* ---- hello.count ------------------------------------------------------- */

typedef struct count_state {
  const skema_indicator_args* args;
  long count;
} count_state;

/* The record's created_at date ("YYYY-MM-DD"), copied into `out` (11 bytes).
 * The host writes compact JSON, so a plain search finds the key. */
static int created_date(const char* json, char* out) {
  const char* key = "\"created_at\":\"";
  const char* p = strstr(json, key);
  if (!p) return 0;
  p += strlen(key);
  if (strlen(p) < 10) return 0;
  memcpy(out, p, 10);
  out[10] = 0;
  return 1;
}

static int count_record(const char* record_json, void* user) {
  count_state* st = (count_state*)user;
  char date[11];
  if (st->args->period_from || st->args->period_to) {
    if (!created_date(record_json, date)) return 0;
    if (st->args->period_from && strcmp(date, st->args->period_from) < 0) return 0;
    if (st->args->period_to && strcmp(date, st->args->period_to) > 0) return 0;
  }
  st->count++;
  return 0; /* go on */
}

static int count_compute(const skema_host_api* api, skema_query* query,
                         const skema_indicator_args* args, skema_result* result, void* user) {
  count_state st;
  (void)user;
  st.args = args;
  st.count = 0;
  if (api->query_records(query, NULL, count_record, &st) != SKEMA_OK) {
    api->result_error(result, "hello.count: records could not be read");
    return SKEMA_ERROR;
  }
  api->result_number(result, (double)st.count);
  return SKEMA_OK;
}

/* ---- hello-upper ------------------------------------------------------- */

static int upper_call(const skema_host_api* api, const skema_value* args, int argc,
                      skema_result* result, void* user) {
  size_t i, n;
  char* out;
  (void)argc;
  (void)user;
  n = strlen(args[0].text);
  out = (char*)malloc(n + 1);
  if (!out) {
    api->result_error(result, "hello-upper: out of memory");
    return SKEMA_ERROR;
  }
  memcpy(out, args[0].text, n + 1);
  for (i = 0; i < n; ++i) {
    unsigned char c = (unsigned char)out[i];
    if (c >= 'a' && c <= 'z') {
      out[i] = (char)(c - 32);
    } else if (c == 0xC3 && i + 1 < n) {
      /* U+00E0..U+00FE (but not U+00F7 '÷') -> U+00C0..U+00DE */
      unsigned char d = (unsigned char)out[i + 1];
      if (d >= 0xA0 && d <= 0xBE && d != 0xB7) out[i + 1] = (char)(d - 0x20);
      ++i;
    }
  }
  api->result_string(result, out); /* the host copies it */
  free(out);
  return SKEMA_OK;
}

/* ---- The plugin -------------------------------------------------------- */

static const skema_text count_labels[] = {
    {"en", "Records (all forms)"}, {"da", "Registreringer (alle skemaer)"}, {NULL, NULL}};

static int hello_init(const skema_host_api* api, char* error, size_t error_size) {
  skema_indicator_info count;
  skema_function_info upper;
  (void)error_size;

  memset(&count, 0, sizeof count);
  count.size = sizeof count;
  count.id = "hello.count";
  count.labels = count_labels;
  count.compute = count_compute;
  if (skema_register_indicator(api, &count) != SKEMA_OK) {
    strncpy(error, "could not register hello.count", error_size - 1);
    return SKEMA_ERROR;
  }

  memset(&upper, 0, sizeof upper);
  upper.size = sizeof upper;
  upper.name = "hello-upper";
  upper.min_args = 1;
  upper.max_args = 1;
  upper.call = upper_call;
  if (skema_register_function(api, &upper) != SKEMA_OK) {
    strncpy(error, "could not register hello-upper()", error_size - 1);
    return SKEMA_ERROR;
  }

  skema_log(api, SKEMA_LOG_INFO, "ready (indicator hello.count, function hello-upper)");
  return SKEMA_OK;
}

SKEMA_PLUGIN("hello", "Hello", "1.0.0", "The smallest complete plugin: one indicator, one function",
             hello_init, NULL)
