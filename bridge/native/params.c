/*
 * params.c: the params extension, mirroring every WAM parameter of the
 * generated table (params_table.h). CLAP ids are FNV-1a 32 of the WAM ids;
 * values are plain (choice = index). Values live in atomics so the main,
 * audio and network threads read them without locks.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "params_table.h"
#include "plugin.h"

_Static_assert(DI_PARAM_COUNT <= 64, "param_bits holds 64 values");

uint32_t di_param_count(void) { return DI_PARAM_COUNT; }

/** [main-thread] */
int di_param_index(clap_id id) {
  for (int i = 0; i < DI_PARAM_COUNT; i++)
    if (DI_PARAMS[i].clap_id == id) return i;
  return -1;
}

clap_id di_param_id(uint32_t index) { return index < DI_PARAM_COUNT ? DI_PARAMS[index].clap_id : CLAP_INVALID_ID; }

const char *di_param_wam_id(uint32_t index) { return index < DI_PARAM_COUNT ? DI_PARAMS[index].wam_id : NULL; }

/** [main-thread] */
bool di_param_coerce(uint32_t index, double *value) {
  if (index >= DI_PARAM_COUNT || !isfinite(*value)) return false;
  const di_param_spec *s = &DI_PARAMS[index];
  double v = *value < s->min_value ? s->min_value : *value > s->max_value ? s->max_value : *value;
  if (s->stepped) v = floor(v + 0.5);
  *value = v;
  return true;
}

/** [thread-safe] */
double di_param_get(di_plugin *p, uint32_t index) {
  uint64_t bits = atomic_load_explicit(&p->param_bits[index], memory_order_relaxed);
  double v;
  memcpy(&v, &bits, sizeof v);
  return v;
}

/** [thread-safe] */
void di_param_set(di_plugin *p, uint32_t index, double value) {
  if (index >= DI_PARAM_COUNT) return;
  uint64_t bits;
  memcpy(&bits, &value, sizeof bits);
  atomic_store_explicit(&p->param_bits[index], bits, memory_order_relaxed);
}

/** [main-thread] Every parameter at its default. */
void di_params_init(di_plugin *p) {
  for (uint32_t i = 0; i < DI_PARAM_COUNT; i++) {
    atomic_init(&p->param_bits[i], 0);
    di_param_set(p, i, DI_PARAMS[i].default_value);
  }
}

/** [audio-thread] A host automation point: keep it and tell the page. */
void di_params_handle_input(di_plugin *p, const clap_event_header_t *ev) {
  if (ev->space_id != CLAP_CORE_EVENT_SPACE_ID || ev->type != CLAP_EVENT_PARAM_VALUE) return;
  const clap_event_param_value_t *pv = (const clap_event_param_value_t *)ev;
  const int index = di_param_index(pv->param_id);
  double v = pv->value;
  if (index < 0 || !di_param_coerce((uint32_t)index, &v)) return;
  di_param_set(p, (uint32_t)index, v);
  a2n_msg m;
  memset(&m, 0, sizeof m);
  m.kind = A2N_PARAM;
  m.param_index = (uint32_t)index;
  m.value = v;
  if (!ring_push(&p->a2n, &m)) atomic_fetch_add_explicit(&p->a2n_lost, 1, memory_order_relaxed);
}

/** [main-thread] */
static void push_gesture(const clap_output_events_t *out, uint32_t time, uint16_t type, clap_id id) {
  clap_event_param_gesture_t g;
  memset(&g, 0, sizeof g);
  g.header.size = sizeof g;
  g.header.time = time;
  g.header.type = type;
  g.param_id = id;
  out->try_push(out, &g.header);
}

/** [audio-thread] A change made in the page, as if the user turned the knob in the plugin's editor. */
void di_params_emit_change(di_plugin *p, const clap_output_events_t *out, uint32_t time, uint32_t index, double value) {
  (void)p;
  const clap_id id = DI_PARAMS[index].clap_id;
  push_gesture(out, time, CLAP_EVENT_PARAM_GESTURE_BEGIN, id);
  clap_event_param_value_t ev;
  memset(&ev, 0, sizeof ev);
  ev.header.size = sizeof ev;
  ev.header.time = time;
  ev.header.type = CLAP_EVENT_PARAM_VALUE;
  ev.param_id = id;
  ev.note_id = -1;
  ev.port_index = -1;
  ev.channel = -1;
  ev.key = -1;
  ev.value = value;
  out->try_push(out, &ev.header);
  push_gesture(out, time, CLAP_EVENT_PARAM_GESTURE_END, id);
}

/** [main-thread] */
static uint32_t params_count(const clap_plugin_t *plugin) {
  (void)plugin;
  return DI_PARAM_COUNT;
}

/** [main-thread] */
static bool params_get_info(const clap_plugin_t *plugin, uint32_t index, clap_param_info_t *info) {
  (void)plugin;
  if (index >= DI_PARAM_COUNT) return false;
  const di_param_spec *s = &DI_PARAMS[index];
  memset(info, 0, sizeof *info);
  info->id = s->clap_id;
  info->flags = CLAP_PARAM_IS_AUTOMATABLE | (s->stepped ? CLAP_PARAM_IS_STEPPED : 0) |
                (s->choice_count ? CLAP_PARAM_IS_ENUM : 0);
  info->cookie = NULL;
  snprintf(info->name, sizeof info->name, "%s", s->label);
  info->module[0] = 0;
  info->min_value = s->min_value;
  info->max_value = s->max_value;
  info->default_value = s->default_value;
  return true;
}

/** [main-thread] */
static bool params_get_value(const clap_plugin_t *plugin, clap_id id, double *out) {
  const int index = di_param_index(id);
  if (index < 0) return false;
  *out = di_param_get(di_from(plugin), (uint32_t)index);
  return true;
}

/** [main-thread] Choices by name, numbers with their unit. */
static bool params_value_to_text(const clap_plugin_t *plugin, clap_id id, double value, char *out, uint32_t cap) {
  (void)plugin;
  const int index = di_param_index(id);
  if (index < 0 || cap == 0) return false;
  const di_param_spec *s = &DI_PARAMS[index];
  if (s->choice_count) {
    int c = (int)floor(value + 0.5);
    if (c < 0) c = 0;
    if (c >= s->choice_count) c = s->choice_count - 1;
    snprintf(out, cap, "%s", s->choices[c]);
  } else if (s->stepped) {
    snprintf(out, cap, "%d%s%s", (int)floor(value + 0.5), s->units[0] ? " " : "", s->units);
  } else {
    snprintf(out, cap, "%.3g%s%s", value, s->units[0] ? " " : "", s->units);
  }
  return true;
}

/** [main-thread] */
static bool params_text_to_value(const clap_plugin_t *plugin, clap_id id, const char *text, double *out) {
  (void)plugin;
  const int index = di_param_index(id);
  if (index < 0 || !text) return false;
  const di_param_spec *s = &DI_PARAMS[index];
  for (int c = 0; c < s->choice_count; c++)
    if (!strcmp(text, s->choices[c])) {
      *out = c;
      return true;
    }
  char *end = NULL;
  double v = strtod(text, &end);
  if (end == text || !di_param_coerce((uint32_t)index, &v)) return false;
  *out = v;
  return true;
}

/** [active && !processing: audio-thread; !active: main-thread] */
static void params_flush(const clap_plugin_t *plugin, const clap_input_events_t *in, const clap_output_events_t *out) {
  di_plugin *p = di_from(plugin);
  const uint32_t n = in ? in->size(in) : 0;
  for (uint32_t i = 0; i < n; i++) {
    const clap_event_header_t *ev = in->get(in, i);
    if (ev) di_params_handle_input(p, ev);
  }
  if (out) di_flush_from_params(p, out);
}

const clap_plugin_params_t DI_PARAMS_EXT = {params_count,         params_get_info,       params_get_value,
                                            params_value_to_text, params_text_to_value, params_flush};
