/*
 * test_plugin.c: the plugin as a host sees it, without the network: the
 * entry and factory, the extensions, and process() driven block by block
 * with records injected into the network -> audio ring (as the network
 * thread would) and read back from the audio -> network ring: bit-exact
 * audio (in place or not, 32 or 64 bit), thru at the input sample, MIDI_OUT
 * at its exact sample merged in time order, parameters both ways, the free
 * clock, notes ended on disconnect and stop_processing, state round trip.
 */
#include <math.h>
#include <stdlib.h>

#include "../native/plugin.h"
#include "unit.h"

extern const clap_plugin_entry_t clap_entry;

#define FRAMES 128

typedef union any {
  clap_event_header_t h;
  clap_event_note_t note;
  clap_event_midi_t midi;
  clap_event_param_value_t param;
  clap_event_param_gesture_t gesture;
  uint8_t raw[128];
} any;

static any g_in[16], g_out[256];
static uint32_t g_in_n, g_out_n;
static bool g_order_ok = true;

static uint32_t CLAP_ABI in_size(const clap_input_events_t *l) {
  (void)l;
  return g_in_n;
}
static const clap_event_header_t *CLAP_ABI in_get(const clap_input_events_t *l, uint32_t i) {
  (void)l;
  return i < g_in_n ? &g_in[i].h : NULL;
}
static bool CLAP_ABI out_push(const clap_output_events_t *l, const clap_event_header_t *e) {
  (void)l;
  if (g_out_n >= 256) return false;
  if (g_out_n && g_out[g_out_n - 1].h.time > e->time) g_order_ok = false;
  memcpy(&g_out[g_out_n++], e, e->size);
  return true;
}
static const void *CLAP_ABI host_ext(const clap_host_t *h, const char *id) {
  (void)h;
  (void)id;
  return NULL;
}
static void CLAP_ABI host_noop(const clap_host_t *h) { (void)h; }

static const clap_host_t HOST = {CLAP_VERSION_INIT, NULL, "unit host", "", "", "1", host_ext, host_noop, host_noop, host_noop};

static float g_a[2][FRAMES], g_b[2][FRAMES];

/** One block at song position `pos` (playing at 120 BPM), or without transport when pos < 0. */
static void block(const clap_plugin_t *p, double pos, bool playing, bool in_place) {
  clap_event_transport_t tr;
  memset(&tr, 0, sizeof tr);
  tr.header.size = sizeof tr;
  tr.header.type = CLAP_EVENT_TRANSPORT;
  tr.flags = CLAP_TRANSPORT_HAS_TEMPO | CLAP_TRANSPORT_HAS_BEATS_TIMELINE | (playing ? CLAP_TRANSPORT_IS_PLAYING : 0);
  tr.song_pos_beats = (clap_beattime)llround(pos * (double)CLAP_BEATTIME_FACTOR);
  tr.tempo = 120;
  for (int c = 0; c < 2; c++)
    for (int i = 0; i < FRAMES; i++) {
      g_a[c][i] = (float)(c + 1) * (float)sin(i * 0.1) + 1e-30f * (float)i; /* denormal-ish values too */
      g_b[c][i] = -7.0f;
    }
  float *in[2] = {g_a[0], g_a[1]}, *out[2] = {g_b[0], g_b[1]};
  clap_audio_buffer_t ai = {in, NULL, 2, 0, 0}, ao = {in_place ? in : out, NULL, 2, 0, 0};
  clap_input_events_t ie = {NULL, in_size, in_get};
  clap_output_events_t oe = {NULL, out_push};
  clap_process_t pr = {0, FRAMES, pos < 0 ? NULL : &tr, &ai, &ao, 1, 1, &ie, &oe};
  g_out_n = 0;
  CHECK(p->process(p, &pr) == CLAP_PROCESS_CONTINUE);
  g_in_n = 0;
}

static void push_n2a(di_plugin *d, uint8_t kind, double beats, uint8_t s, uint8_t k, uint8_t v) {
  n2a_msg m;
  memset(&m, 0, sizeof m);
  m.kind = kind;
  m.beats = beats;
  m.size = 3;
  m.data[0] = s;
  m.data[1] = k;
  m.data[2] = v;
  CHECK(ring_push(&d->n2a, &m));
}

static int find_out(uint16_t type, int key) {
  for (uint32_t i = 0; i < g_out_n; i++)
    if (g_out[i].h.type == type && (key < 0 || g_out[i].note.key == key)) return (int)i;
  return -1;
}

static int64_t CLAP_ABI mem_write(const clap_ostream_t *s, const void *buf, uint64_t n) {
  uint8_t **pp = s->ctx;
  memcpy(*pp, buf, (size_t)n);
  *pp += n;
  return (int64_t)n;
}
static int64_t CLAP_ABI mem_read(const clap_istream_t *s, void *buf, uint64_t n) {
  uint8_t **pp = s->ctx;
  memcpy(buf, *pp, (size_t)n);
  *pp += n;
  return (int64_t)n;
}

/** The index of a WAM parameter by id (the table may be reordered). */
static uint32_t index_of(const char *wam_id) {
  for (uint32_t i = 0; i < di_param_count(); i++)
    if (!strcmp(di_param_wam_id(i), wam_id)) return i;
  return UINT32_MAX;
}

void test_plugin(void) {
  const uint32_t temperature = index_of("temperature");
  CHECK(temperature != UINT32_MAX);
  CHECK(clap_entry.clap_version.major == 1 && clap_entry.clap_version.minor == 2);
  CHECK(clap_entry.init("/some/folder/DeepImprov.clap"));
  CHECK_STR(di_resource_dir(), "/some/folder/DeepImprov");
  const clap_plugin_factory_t *f = clap_entry.get_factory(CLAP_PLUGIN_FACTORY_ID);
  CHECK(f && f->get_plugin_count(f) == 1 && clap_entry.get_factory("nope") == NULL);
  const clap_plugin_descriptor_t *desc = f->get_plugin_descriptor(f, 0);
  CHECK_STR(desc->id, "com.deepimprov.DeepImprov");
  CHECK(f->create_plugin(f, &HOST, "other.id") == NULL);
  const clap_plugin_t *p = f->create_plugin(f, &HOST, desc->id);
  CHECK(p && p->init(p));
  di_plugin *d = di_from(p);

  const clap_plugin_params_t *params = p->get_extension(p, CLAP_EXT_PARAMS);
  const clap_plugin_state_t *st = p->get_extension(p, CLAP_EXT_STATE);
  const clap_plugin_latency_t *lat = p->get_extension(p, CLAP_EXT_LATENCY);
  const clap_plugin_render_t *rend = p->get_extension(p, CLAP_EXT_RENDER);
  const clap_plugin_webview_t *wv = p->get_extension(p, CLAP_EXT_WEBVIEW);
  CHECK(params && st && lat && rend && wv && p->get_extension(p, "clap.nothing") == NULL);
  CHECK(lat->get(p) == 0 && rend->has_hard_realtime_requirement(p) && !rend->set(p, CLAP_RENDER_OFFLINE));
  char uri[160];
  const int32_t ul = wv->get_uri(p, uri, sizeof uri);
  CHECK(ul > 40 && (size_t)ul == strlen(uri) + 1 && !strncmp(uri, "http://127.0.0.1:", 17));

  /* params: info, text both ways */
  clap_param_info_t info;
  CHECK(params->count(p) >= 20 && params->get_info(p, index_of("mode"), &info) && !params->get_info(p, 999, &info));
  CHECK_STR(info.name, "Mode");
  CHECK(info.flags & CLAP_PARAM_IS_STEPPED);
  char text[64];
  CHECK(params->value_to_text(p, info.id, 2, text, sizeof text));
  CHECK_STR(text, "accompany");
  double v = -1;
  CHECK(params->text_to_value(p, info.id, "latent-pad", &v) && v == 3);
  CHECK(!params->text_to_value(p, info.id, "bogus", &v));

  CHECK(p->activate(p, 48000, 1, FRAMES) && p->start_processing(p));

  /* audio: bit-exact, separate buffers and in place */
  block(p, 0, true, false);
  CHECK(memcmp(g_a, g_b, sizeof g_a) == 0);
  CHECK(g_out_n == 0); /* no page, no input: nothing comes out */
  block(p, 128.0 / 24000.0, true, true);
  a2n_msg am;
  while (ring_pop(&d->a2n, &am)) {
  }

  /* thru at its sample, and MIDI_IN with its song position */
  double pos = 1.0;
  block(p, pos, true, false); /* a jump to 1.0: settle */
  pos += 128.0 / 24000.0;
  memset(&g_in[0], 0, sizeof g_in[0]);
  g_in[0].note.header = (clap_event_header_t){sizeof(clap_event_note_t), 37, 0, CLAP_EVENT_NOTE_ON, 0};
  g_in[0].note.channel = 1;
  g_in[0].note.key = 60;
  g_in[0].note.velocity = 100 / 127.0;
  g_in_n = 1;
  /* and a returned note due at sample 20 of the same block */
  push_n2a(d, N2A_MIDI_OUT, pos + 20.0 / 24000.0, 0x92, 70, 90);
  block(p, pos, true, false);
  const int thru = find_out(CLAP_EVENT_NOTE_ON, 60), answer = find_out(CLAP_EVENT_NOTE_ON, 70);
  CHECK(thru >= 0 && g_out[thru].h.time == 37 && g_out[thru].note.channel == 1);
  CHECK(answer >= 0 && g_out[answer].h.time == 20 && g_out[answer].note.channel == 2);
  CHECK(fabs(g_out[answer].note.velocity - 90 / 127.0) < 1e-12);
  CHECK(answer < thru && g_order_ok); /* merged in time order */
  bool got_midi_in = false;
  while (ring_pop(&d->a2n, &am))
    if (am.kind == A2N_MIDI_IN) {
      got_midi_in = true;
      CHECK(am.data[0] == 0x91 && am.data[1] == 60 && am.data[2] == 100);
      CHECK(fabs(am.beats - (pos + 37.0 / 24000.0)) < 1e-9);
    }
  CHECK(got_midi_in);

  /* a page parameter change: gesture begin, value, gesture end */
  n2a_msg pm;
  memset(&pm, 0, sizeof pm);
  pm.kind = N2A_PARAM;
  pm.param_index = temperature;
  pm.value = 1.5;
  CHECK(ring_push(&d->n2a, &pm));
  pos += 128.0 / 24000.0;
  block(p, pos, true, false);
  CHECK(g_out_n == 3 && g_out[0].h.type == CLAP_EVENT_PARAM_GESTURE_BEGIN && g_out[1].h.type == CLAP_EVENT_PARAM_VALUE &&
        g_out[2].h.type == CLAP_EVENT_PARAM_GESTURE_END && g_out[1].param.value == 1.5);
  CHECK(params->get_value(p, g_out[1].param.param_id, &v) && v == 1.5);
  /* a host automation point: kept (clamped) and sent to the page */
  memset(&g_in[0], 0, sizeof g_in[0]);
  g_in[0].param.header = (clap_event_header_t){sizeof(clap_event_param_value_t), 5, 0, CLAP_EVENT_PARAM_VALUE, 0};
  g_in[0].param.param_id = g_out[1].param.param_id;
  g_in[0].param.value = 99; /* above the range */
  g_in_n = 1;
  pos += 128.0 / 24000.0;
  block(p, pos, true, false);
  CHECK(params->get_value(p, g_in[0].param.param_id, &v) && v == 2.0);
  bool got_param = false;
  while (ring_pop(&d->a2n, &am)) got_param = got_param || (am.kind == A2N_PARAM && am.param_index == temperature && am.value == 2.0);
  CHECK(got_param);

  /* the page vanishes: the sounding answer is ended at sample 0 */
  push_n2a(d, N2A_DISCONNECTED, 0, 0, 0, 0);
  pos += 128.0 / 24000.0;
  block(p, pos, true, false);
  const int end = find_out(CLAP_EVENT_NOTE_OFF, 70);
  CHECK(end >= 0 && g_out[end].h.time == 0 && g_out[end].note.channel == 2);
  CHECK(d->sounding.count == 0);

  /* no transport: the free clock still plays answers, late ones at sample 0 */
  block(p, -1, false, false);
  const double free_pos = d->clock.last_pos + 128.0 / 24000.0;
  push_n2a(d, N2A_MIDI_OUT, free_pos - 0.05, 0x90, 40, 10); /* late by less than a 32nd */
  push_n2a(d, N2A_MIDI_OUT, free_pos + 64.0 / 24000.0, 0x90, 41, 10);
  block(p, -1, false, false);
  CHECK(find_out(CLAP_EVENT_NOTE_ON, 40) >= 0 && g_out[find_out(CLAP_EVENT_NOTE_ON, 40)].h.time == 0);
  CHECK(find_out(CLAP_EVENT_NOTE_ON, 41) >= 0 && g_out[find_out(CLAP_EVENT_NOTE_ON, 41)].h.time == 64);
  CHECK(d->counters.late == 1);

  /* stop_processing: the notes end in the next process() */
  p->stop_processing(p);
  CHECK(p->start_processing(p));
  block(p, -1, false, false);
  CHECK(find_out(CLAP_EVENT_NOTE_OFF, 40) >= 0 && find_out(CLAP_EVENT_NOTE_OFF, 41) >= 0 && d->sounding.count == 0);

  /* other MIDI from the page goes out in the MIDI dialect */
  push_n2a(d, N2A_MIDI_OUT, d->clock.last_pos + 128.0 / 24000.0, 0xb3, 64, 127);
  block(p, -1, false, false);
  const int cc = find_out(CLAP_EVENT_MIDI, -1);
  CHECK(cc >= 0 && g_out[cc].midi.data[0] == 0xb3 && g_out[cc].midi.data[1] == 64);

  /* state: round trip, the empty marker, a bad stream */
  static uint8_t buf[1 << 16];
  uint8_t *w = buf;
  clap_ostream_t os = {&w, mem_write};
  CHECK(st->save(p, &os));
  const size_t saved = (size_t)(w - buf);
  CHECK(saved > 16 && !memcmp(buf, "DICS", 4) && !memcmp(buf + saved - 2, "{}", 2)); /* no page yet: {} */
  di_state_store_from_page(d, "{\"x\":1}", 7);
  w = buf;
  CHECK(st->save(p, &os));
  const size_t saved2 = (size_t)(w - buf);
  CHECK(!memcmp(buf + saved2 - 7, "{\"x\":1}", 7));
  di_param_set(d, temperature, 0.1);
  uint8_t *r = buf;
  clap_istream_t is = {&r, mem_read};
  CHECK(st->load(p, &is));
  CHECK(di_param_get(d, temperature) == 2.0 && d->state_pending_set && !strcmp(d->state_json, "{\"x\":1}"));
  buf[0] = 'X';
  r = buf;
  CHECK(!st->load(p, &is));

  p->stop_processing(p);
  p->deactivate(p);
  p->destroy(p);
  clap_entry.deinit();
}
