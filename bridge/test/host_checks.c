/*
 * host_checks.c: what the test host checks of the plugin it loads: the
 * descriptor (id, name, vendor, CLAP 1.x, the three features) and every
 * extension (ports, params, state, render, latency, gui, webview).
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE

#include "host.h"

bool check_descriptor(const clap_plugin_descriptor_t *d) {
  if (!d || !d->id || !d->name || !d->vendor || !d->version || !d->features) return false;
  if (d->clap_version.major != 1) return false;
  if (strcmp(d->id, "com.deepimprov.DeepImprov") || strcmp(d->name, "Deep Improv") || strcmp(d->vendor, "Deep Improv"))
    return false;
  const char *want[] = {"note-effect", "audio-effect", "utility"};
  for (size_t w = 0; w < 3; w++) {
    bool found = false;
    for (const char *const *f = d->features; *f; f++) found = found || !strcmp(*f, want[w]);
    if (!found) return false;
  }
  return true;
}

int check_extensions(inst *in) {
  const clap_plugin_t *p = in->plugin;
  int problems = 0;
  const clap_plugin_audio_ports_t *ap = p->get_extension(p, CLAP_EXT_AUDIO_PORTS);
  if (!ap) problems++, report_error("no %s", CLAP_EXT_AUDIO_PORTS);
  else
    for (int dir = 0; dir < 2; dir++) {
      clap_audio_port_info_t info;
      if (ap->count(p, dir) != 1 || !ap->get(p, 0, dir, &info) || info.channel_count != 2 ||
          !(info.flags & CLAP_AUDIO_PORT_IS_MAIN) || ap->get(p, 1, dir, &info))
        problems++, report_error("audio port %s is not one main stereo port", dir ? "in" : "out");
    }
  const clap_plugin_note_ports_t *np = p->get_extension(p, CLAP_EXT_NOTE_PORTS);
  if (!np) problems++, report_error("no %s", CLAP_EXT_NOTE_PORTS);
  else
    for (int dir = 0; dir < 2; dir++) {
      clap_note_port_info_t info;
      if (np->count(p, dir) != 1 || !np->get(p, 0, dir, &info) ||
          !(info.supported_dialects & CLAP_NOTE_DIALECT_CLAP) || !(info.supported_dialects & CLAP_NOTE_DIALECT_MIDI))
        problems++, report_error("note port %s lacks the CLAP and MIDI dialects", dir ? "in" : "out");
    }
  in->params = p->get_extension(p, CLAP_EXT_PARAMS);
  if (!in->params) problems++, report_error("no %s", CLAP_EXT_PARAMS);
  else {
    const uint32_t count = in->params->count(p);
    if (count != DI_PARAM_COUNT) problems++, report_error("%u params, expected %d", count, DI_PARAM_COUNT);
    for (uint32_t i = 0; i < count; i++) {
      clap_param_info_t info;
      double v;
      if (!in->params->get_info(p, i, &info) || !in->params->get_value(p, info.id, &v) || v < info.min_value ||
          v > info.max_value || fnv1a(wam_id_of(info.id)) != info.id)
        problems++, report_error("param %u is inconsistent", i);
    }
  }
  in->state = p->get_extension(p, CLAP_EXT_STATE);
  if (!in->state) problems++, report_error("no %s", CLAP_EXT_STATE);
  const clap_plugin_render_t *rd = p->get_extension(p, CLAP_EXT_RENDER);
  if (!rd || !rd->has_hard_realtime_requirement(p)) problems++, report_error("render: not hard real-time");
  const clap_plugin_latency_t *lt = p->get_extension(p, CLAP_EXT_LATENCY);
  if (!lt || lt->get(p) != 0) problems++, report_error("latency: not 0");
  in->gui = p->get_extension(p, CLAP_EXT_GUI);
  if (!in->gui || !in->gui->is_api_supported(p, WINDOW_API, true)) problems++, report_error("gui: no floating %s window", WINDOW_API);
  const clap_plugin_webview_t *wv = p->get_extension(p, CLAP_EXT_WEBVIEW);
  if (wv) {
    const int32_t len = wv->get_uri(p, NULL, 0);
    char uri[256];
    if (len <= 0 || len > (int32_t)sizeof uri || wv->get_uri(p, uri, sizeof uri) != len || strncmp(uri, "http://127.0.0.1:", 17))
      problems++, report_error("webview: bad uri");
  }
  return problems;
}
