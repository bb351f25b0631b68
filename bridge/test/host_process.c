/*
 * host_process.c: the test host's threads and transport. One
 * real-time-paced process thread runs every instance at 48 kHz in 128-frame
 * blocks with a host transport (120 BPM 4/4, playing, by default); output
 * events travel from it to a printer thread through an SPSC ring, so the
 * process thread never writes to stdout.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE

#include "host.h"

/* ---- shared state ------------------------------------------------------------------------------- */

inst *g_inst[MAX_INST];
int g_inst_count;
pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_t g_main_thread, g_process_thread;
atomic_bool g_process_run;

bool g_playing = true;
double g_tempo = 120.0, g_pos = 0.0, g_loop_start = 0, g_loop_end = 0;
bool g_loop = false;
static double g_base_pos = 0.0; /* g_pos = g_base_pos + g_base_blocks blocks at g_tempo (no drift) */
static uint64_t g_base_blocks = 0;

uint32_t *g_cost;
size_t g_cost_count;

ring g_out_ring;
atomic_bool g_printer_run;
atomic_uint g_out_lost;

/** [g_lock held] */
void set_pos(double pos) {
  g_pos = g_base_pos = pos;
  g_base_blocks = 0;
}

/* ---- process thread ------------------------------------------------------------------------------ */

static int cmp_event_time(const void *a, const void *b) {
  const any_event *x = a, *y = b;
  return (x->header.time > y->header.time) - (x->header.time < y->header.time);
}

/** Moves the scheduled events due before the end of this block into the input list. [process thread, g_lock held] */
static void take_scheduled(inst *in, double pos, double tempo, bool playing) {
  in->in_count = 0;
  const double block_beats = BLOCK * tempo / 60.0 / SAMPLE_RATE;
  int keep = 0;
  for (int i = 0; i < in->sched_count; i++) {
    sched_ev *s = &in->sched[i];
    /* Due when its sample, rounded, falls in this block: a beat a rounding error short of the
       block's end belongs to the next block's first sample, not this one's last. */
    long t = s->kind == 3 ? 0 : lround((s->beat - pos) * 60.0 / tempo * SAMPLE_RATE);
    const bool due = s->kind == 3 || (playing && s->beat < pos + block_beats && t < (long)BLOCK);
    if (!due || in->in_count >= MAX_IN_EVENTS) {
      in->sched[keep++] = *s;
      continue;
    }
    if (t < 0) t = 0;
    any_event *e = &in->in_ev[in->in_count++];
    memset(e, 0, sizeof *e);
    e->header.time = (uint32_t)t;
    e->header.space_id = CLAP_CORE_EVENT_SPACE_ID;
    if (s->kind == 0 || s->kind == 1) {
      e->header.size = sizeof(clap_event_note_t);
      e->header.type = s->kind == 0 ? CLAP_EVENT_NOTE_ON : CLAP_EVENT_NOTE_OFF;
      e->note.note_id = -1;
      e->note.port_index = 0;
      e->note.channel = (int16_t)s->channel;
      e->note.key = (int16_t)s->key;
      e->note.velocity = s->velocity;
    } else if (s->kind == 2) {
      e->header.size = sizeof(clap_event_midi_t);
      e->header.type = CLAP_EVENT_MIDI;
      memcpy(e->midi.data, s->bytes, 3);
    } else {
      e->header.size = sizeof(clap_event_param_value_t);
      e->header.type = CLAP_EVENT_PARAM_VALUE;
      e->param.param_id = s->param_id;
      e->param.note_id = -1;
      e->param.port_index = -1;
      e->param.channel = -1;
      e->param.key = -1;
      e->param.value = s->value;
    }
  }
  in->sched_count = keep;
  /* insertion order is kept for equal times (stable merge of a small list) */
  for (uint32_t i = 1; i < in->in_count; i++) {
    any_event tmp = in->in_ev[i];
    uint32_t j = i;
    while (j > 0 && cmp_event_time(&in->in_ev[j - 1], &tmp) > 0) {
      in->in_ev[j] = in->in_ev[j - 1];
      j--;
    }
    in->in_ev[j] = tmp;
  }
}

static uint8_t midi_size(uint8_t status) {
  const uint8_t hi = status & 0xf0;
  if (hi == 0xc0 || hi == 0xd0 || status == 0xf1 || status == 0xf3) return 2;
  if (status >= 0xf4 || status == 0xf6) return 1;
  return 3;
}

/** Hands this block's output events to the printer. [process thread] */
static void publish_outputs(inst *in, uint64_t block_start, double pos, double tempo) {
  for (uint32_t i = 0; i < in->out_count; i++) {
    const any_event *e = &in->out_ev[i];
    if (e->header.space_id != CLAP_CORE_EVENT_SPACE_ID) continue;
    out_rec r;
    memset(&r, 0, sizeof r);
    r.inst = in->id;
    r.sample = block_start + e->header.time;
    r.beat = pos + e->header.time * tempo / 60.0 / SAMPLE_RATE;
    switch (e->header.type) {
      case CLAP_EVENT_NOTE_ON:
      case CLAP_EVENT_NOTE_OFF: {
        int vel = (int)lround(e->note.velocity * 127.0);
        vel = vel < 0 ? 0 : vel > 127 ? 127 : vel;
        r.size = 3;
        r.bytes[0] = (uint8_t)((e->header.type == CLAP_EVENT_NOTE_ON ? 0x90 : 0x80) | (e->note.channel & 0x0f));
        r.bytes[1] = (uint8_t)(e->note.key & 0x7f);
        r.bytes[2] = (uint8_t)vel;
        break;
      }
      case CLAP_EVENT_MIDI:
        r.size = midi_size(e->midi.data[0]);
        memcpy(r.bytes, e->midi.data, 3);
        break;
      case CLAP_EVENT_PARAM_VALUE:
        r.kind = 1;
        r.param_id = e->param.param_id;
        r.value = e->param.value;
        break;
      default: continue;
    }
    if (!ring_push(&g_out_ring, &r)) atomic_fetch_add(&g_out_lost, 1);
  }
}

static void fill_input(inst *in) {
  for (int c = 0; c < 2; c++)
    for (uint32_t i = 0; i < BLOCK; i++) {
      const uint64_t n = in->frames + i;
      in->in_buf[c][i] = (float)sin((double)n * (c ? 0.031 : 0.017)) * 0.5f + (float)(n % 7) * 1e-7f;
      in->out_buf[c][i] = 12345.0f; /* proves the plugin wrote every sample */
    }
}

void *process_main(void *arg) {
  (void)arg;
  uint64_t next = now_ns();
  inst *list[MAX_INST];
  while (atomic_load(&g_process_run)) {
    pthread_mutex_lock(&g_lock);
    const bool playing = g_playing;
    const double tempo = g_tempo, pos = g_pos;
    const bool loop = g_loop;
    const double ls = g_loop_start, le = g_loop_end;
    int n = 0;
    for (int i = 0; i < g_inst_count; i++) {
      inst *in = g_inst[i];
      if (!in || !in->running) continue;
      if (in->stop_requested) {
        if (in->started) in->plugin->stop_processing(in->plugin);
        in->running = false;
        in->stopped = true;
        continue;
      }
      take_scheduled(in, pos, tempo, playing);
      list[n++] = in;
    }
    pthread_mutex_unlock(&g_lock);

    clap_event_transport_t tr;
    memset(&tr, 0, sizeof tr);
    tr.header.size = sizeof tr;
    tr.header.type = CLAP_EVENT_TRANSPORT;
    tr.flags = CLAP_TRANSPORT_HAS_TEMPO | CLAP_TRANSPORT_HAS_BEATS_TIMELINE | CLAP_TRANSPORT_HAS_TIME_SIGNATURE |
               (playing ? CLAP_TRANSPORT_IS_PLAYING : 0) | (loop ? CLAP_TRANSPORT_IS_LOOP_ACTIVE : 0);
    tr.song_pos_beats = (clap_beattime)llround(pos * (double)CLAP_BEATTIME_FACTOR);
    tr.tempo = tempo;
    tr.bar_start = (clap_beattime)llround(floor(pos / 4.0) * 4.0 * (double)CLAP_BEATTIME_FACTOR);
    tr.bar_number = (int32_t)floor(pos / 4.0);
    tr.loop_start_beats = (clap_beattime)llround(ls * (double)CLAP_BEATTIME_FACTOR);
    tr.loop_end_beats = (clap_beattime)llround(le * (double)CLAP_BEATTIME_FACTOR);
    tr.tsig_num = 4;
    tr.tsig_denom = 4;

    for (int k = 0; k < n; k++) {
      inst *in = list[k];
      if (!in->started) {
        in->started = in->plugin->start_processing(in->plugin);
        if (!in->started) continue;
      }
      if (in->frames > 0 && playing != in->played_before) {
        /* The first block the plugin sees the transport started or stopped in: tests place events before or after it. */
        out_rec r = {.inst = in->id, .kind = 4, .sample = in->frames, .beat = pos, .value = playing ? 1.0 : 0.0};
        if (!ring_push(&g_out_ring, &r)) atomic_fetch_add(&g_out_lost, 1);
      }
      in->played_before = playing;
      fill_input(in);
      float *ins[2] = {in->in_buf[0], in->in_buf[1]};
      float *outs[2] = {in->out_buf[0], in->out_buf[1]};
      clap_audio_buffer_t ab_in = {ins, NULL, 2, 0, 0};
      clap_audio_buffer_t ab_out = {outs, NULL, 2, 0, 0};
      clap_input_events_t iev = {in, in_size, in_get};
      clap_output_events_t oev = {in, out_push};
      in->out_count = 0;
      clap_process_t pr = {(int64_t)in->frames, BLOCK, &tr, &ab_in, &ab_out, 1, 1, &iev, &oev};
      const uint64_t t0 = now_ns();
      in->plugin->process(in->plugin, &pr);
      const uint64_t dt = now_ns() - t0;
      g_cost[g_cost_count % COST_CAP] = (uint32_t)(dt > UINT32_MAX ? UINT32_MAX : dt);
      g_cost_count++;
      if (!in->audio_error_reported && memcmp(in->in_buf, in->out_buf, sizeof in->in_buf) != 0) {
        in->audio_error_reported = true;
        out_rec r = {.inst = in->id, .kind = 3};
        ring_push(&g_out_ring, &r);
      }
      publish_outputs(in, in->frames, pos, tempo);
      in->frames += BLOCK;
    }

    pthread_mutex_lock(&g_lock);
    if (g_playing && g_pos == pos && g_tempo == tempo) { /* no seek or tempo change arrived meanwhile */
      g_base_blocks++;
      g_pos = g_base_pos + (double)(g_base_blocks * BLOCK) * tempo / 60.0 / SAMPLE_RATE;
      if (g_loop && g_loop_end > g_loop_start && g_pos >= g_loop_end) set_pos(g_loop_start + (g_pos - g_loop_end));
    }
    pthread_mutex_unlock(&g_lock);

    next += BLOCK_NS;
    const uint64_t now = now_ns();
    if (now > next + 100000000ull) next = now; /* far behind (a loaded machine): do not race to catch up */
    struct timespec ts = {(time_t)(next / 1000000000ull), (long)(next % 1000000000ull)};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR) {
    }
  }
  return NULL;
}

void *printer_main(void *arg) {
  (void)arg;
  out_rec r;
  char b1[40], b2[40];
  for (;;) {
    if (!ring_pop(&g_out_ring, &r)) {
      if (!atomic_load(&g_printer_run)) break;
      struct timespec ts = {0, 1000000};
      nanosleep(&ts, NULL);
      continue;
    }
    if (r.kind == 0) {
      if (r.size == 1)
        line("{\"ev\":\"out\",\"inst\":%d,\"sample\":%llu,\"beat\":%s,\"bytes\":[%u]}", r.inst,
             (unsigned long long)r.sample, num(r.beat, b1, sizeof b1), r.bytes[0]);
      else if (r.size == 2)
        line("{\"ev\":\"out\",\"inst\":%d,\"sample\":%llu,\"beat\":%s,\"bytes\":[%u,%u]}", r.inst,
             (unsigned long long)r.sample, num(r.beat, b1, sizeof b1), r.bytes[0], r.bytes[1]);
      else
        line("{\"ev\":\"out\",\"inst\":%d,\"sample\":%llu,\"beat\":%s,\"bytes\":[%u,%u,%u]}", r.inst,
             (unsigned long long)r.sample, num(r.beat, b1, sizeof b1), r.bytes[0], r.bytes[1], r.bytes[2]);
    } else if (r.kind == 1) {
      line("{\"ev\":\"param-out\",\"inst\":%d,\"id\":\"%s\",\"value\":%s}", r.inst, wam_id_of(r.param_id),
           num(r.value, b2, sizeof b2));
    } else if (r.kind == 2) {
      report_error("instance %d pushed output events out of time order", r.inst);
    } else if (r.kind == 4) {
      line("{\"ev\":\"transport\",\"inst\":%d,\"sample\":%llu,\"beat\":%s,\"playing\":%s}", r.inst,
           (unsigned long long)r.sample, num(r.beat, b1, sizeof b1), r.value != 0.0 ? "true" : "false");
    } else {
      report_error("instance %d: audio output differs from its input", r.inst);
    }
  }
  return NULL;
}
