/*
 * host_print.c: the test host's output: JSON lines on stdout, each flushed,
 * from any thread but the process thread.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE

#include "host.h"

/* ---- printing ---------------------------------------------------------------------------------- */

static pthread_mutex_t g_print = PTHREAD_MUTEX_INITIALIZER;

/** Prints one JSON line and flushes. [any thread but the process thread] */
void line(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  pthread_mutex_lock(&g_print);
  vfprintf(stdout, fmt, ap);
  fputc('\n', stdout);
  fflush(stdout);
  pthread_mutex_unlock(&g_print);
  va_end(ap);
}

/** JSON string escaping into `out`. */
void json_escape(const char *s, char *out, size_t cap) {
  size_t o = 0;
  for (; *s && o + 7 < cap; s++) {
    const unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') {
      out[o++] = '\\';
      out[o++] = (char)c;
    } else if (c < 0x20) {
      o += (size_t)snprintf(out + o, cap - o, "\\u%04x", c);
    } else {
      out[o++] = (char)c;
    }
  }
  out[o] = 0;
}

/** A JSON number for `v` (shortest round trip; null when not finite). */
const char *num(double v, char *buf, size_t cap) {
  if (!isfinite(v)) return "null";
  proto_format_double(v, buf, cap);
  return buf;
}

void report_error(const char *fmt, ...) {
  char msg[512], esc[1100];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  json_escape(msg, esc, sizeof esc);
  line("{\"ev\":\"error\",\"msg\":\"%s\"}", esc);
}

uint32_t fnv1a(const char *s) {
  uint32_t h = 0x811c9dc5u;
  for (; *s; s++) {
    h ^= (uint8_t)*s;
    h *= 0x01000193u;
  }
  return h;
}

const char *wam_id_of(uint32_t clap_id) {
  for (int i = 0; i < DI_PARAM_COUNT; i++)
    if (DI_PARAMS[i].clap_id == clap_id) return DI_PARAMS[i].wam_id;
  return "?";
}

uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}
