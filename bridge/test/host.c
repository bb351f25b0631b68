/*
 * host.c: a small CLAP host for testing the Deep Improv bridge.
 *
 *   host <path/to/DeepImprov.clap>
 *
 * Loads the plugin with dlopen, checks clap_entry, the factory, the
 * descriptor and every extension, then reads commands on stdin (one per
 * line) and writes JSON lines on stdout (flushed after each line). One
 * real-time-paced process thread runs every instance at 48 kHz in 128-frame
 * blocks with a host transport (120 BPM 4/4, playing, by default).
 *
 * Commands: new | gui <inst> | play | stop | tempo <bpm> | seek <beats> |
 *   loop <start> <end> | loop off | note <inst> <beat> <key> <vel> <dur> [chan] |
 *   midi <inst> <beat> <b0> <b1> <b2> | param <inst> <wam_id> <value> |
 *   getparam <inst> <wam_id> | save <inst> <file> | load <inst> <file> |
 *   destroy <inst> | quit
 *   webview-send <inst> <hex>     (clap.webview receive(): one protocol message)
 *   webview-resource <inst> <path> (clap.webview get_resource())
 * Lines: {"ev":"instance"|"gui"|"out"|"param-out"|"param"|"log"|"error"|
 *   "process-cost"|"saved"|"loaded"|"destroyed"|"webview"|"resource"|
 *   "transport", ...} ("transport": the first block of an instance in which
 *   the transport had started or stopped, its sample and beat, "playing").
 *
 * This file: main and the stdin commands. The rest is in host_checks.c,
 * host_print.c, host_callbacks.c and host_process.c (see host.h).
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE

#include "host.h"

static const clap_plugin_entry_t *g_entry;
static const clap_plugin_factory_t *g_factory;

/* ---- commands -------------------------------------------------------------------------------------- */

static inst *find(int id) {
  for (int i = 0; i < g_inst_count; i++)
    if (g_inst[i] && g_inst[i]->id == id && g_inst[i]->used) return g_inst[i];
  return NULL;
}

static void cmd_new(void) {
  if (g_inst_count >= MAX_INST) {
    report_error("too many instances");
    return;
  }
  inst *in = calloc(1, sizeof *in);
  if (!in) return;
  in->id = g_inst_count;
  in->host = (clap_host_t){CLAP_VERSION_INIT,   in,
                           "Deep Improv test host", "Deep Improv",
                           "",                  "0.1.0",
                           host_get_extension,  host_request_restart,
                           host_request_process, host_request_callback};
  atomic_init(&in->callback_requested, false);
  in->plugin = g_factory->create_plugin(g_factory, &in->host, "com.deepimprov.DeepImprov");
  if (!in->plugin || !in->plugin->init(in->plugin)) {
    report_error("create or init failed");
    if (in->plugin) in->plugin->destroy(in->plugin);
    free(in);
    return;
  }
  in->used = true;
  check_extensions(in);
  if (!in->plugin->activate(in->plugin, SAMPLE_RATE, 1, BLOCK)) {
    report_error("activate failed");
    in->plugin->destroy(in->plugin);
    free(in);
    return;
  }
  pthread_mutex_lock(&g_lock);
  g_inst[g_inst_count++] = in;
  in->running = true;
  pthread_mutex_unlock(&g_lock);
  line("{\"ev\":\"instance\",\"inst\":%d}", in->id);
}

/** Stops processing on the process thread, then deactivates and destroys. [main-thread] */
static void destroy_inst(inst *in) {
  pthread_mutex_lock(&g_lock);
  in->stop_requested = true;
  const bool thread_alive = atomic_load(&g_process_run);
  pthread_mutex_unlock(&g_lock);
  for (;;) {
    pthread_mutex_lock(&g_lock);
    const bool done = in->stopped || !in->running || !thread_alive;
    pthread_mutex_unlock(&g_lock);
    if (done) break;
    struct timespec ts = {0, 1000000};
    nanosleep(&ts, NULL);
  }
  if (!thread_alive && in->started && in->running) in->plugin->stop_processing(in->plugin);
  pthread_mutex_lock(&g_lock);
  in->running = false;
  in->used = false;
  pthread_mutex_unlock(&g_lock);
  in->plugin->deactivate(in->plugin);
  in->plugin->destroy(in->plugin);
  in->plugin = NULL;
}

static int64_t CLAP_ABI file_write(const clap_ostream_t *s, const void *buf, uint64_t size) {
  return (int64_t)fwrite(buf, 1, (size_t)size, (FILE *)s->ctx);
}
static int64_t CLAP_ABI file_read(const clap_istream_t *s, void *buf, uint64_t size) {
  const size_t n = fread(buf, 1, (size_t)size, (FILE *)s->ctx);
  return n ? (int64_t)n : (ferror((FILE *)s->ctx) ? -1 : 0);
}

typedef struct mem_stream {
  uint8_t *data;
  size_t len, cap;
} mem_stream;

static int64_t CLAP_ABI mem_write(const clap_ostream_t *s, const void *buf, uint64_t size) {
  mem_stream *m = s->ctx;
  if (m->len + size > m->cap) {
    size_t cap = m->cap ? m->cap * 2 : 4096;
    while (cap < m->len + size) cap *= 2;
    uint8_t *n = realloc(m->data, cap);
    if (!n) return -1;
    m->data = n;
    m->cap = cap;
  }
  memcpy(m->data + m->len, buf, (size_t)size);
  m->len += (size_t)size;
  return (int64_t)size;
}

/** The webview extension's two plugin-side calls. [main-thread] */
static void webview_command(inst *in, bool send, const char *arg) {
  const clap_plugin_webview_t *wv = in->plugin->get_extension(in->plugin, CLAP_EXT_WEBVIEW);
  if (!wv) {
    report_error("no %s", CLAP_EXT_WEBVIEW);
    return;
  }
  if (send) {
    const size_t n = strlen(arg) / 2;
    uint8_t *bytes = malloc(n ? n : 1);
    for (size_t i = 0; i < n; i++) {
      char hex[3] = {arg[2 * i], arg[2 * i + 1], 0};
      bytes[i] = (uint8_t)strtol(hex, NULL, 16);
    }
    const bool ok = wv->receive(in->plugin, bytes, (uint32_t)n);
    free(bytes);
    line("{\"ev\":\"webview\",\"inst\":%d,\"ok\":%s}", in->id, ok ? "true" : "false");
    return;
  }
  mem_stream m = {NULL, 0, 0};
  clap_ostream_t os = {&m, mem_write};
  char mime[128] = "";
  const bool ok = wv->get_resource(in->plugin, arg, mime, sizeof mime, &os);
  char esc[300];
  json_escape(mime, esc, sizeof esc);
  line("{\"ev\":\"resource\",\"inst\":%d,\"ok\":%s,\"mime\":\"%s\",\"bytes\":%zu}", in->id, ok ? "true" : "false", esc,
       m.len);
  free(m.data);
}

static void schedule(inst *in, const sched_ev *e) {
  pthread_mutex_lock(&g_lock);
  if (in->sched_count < MAX_SCHED) in->sched[in->sched_count++] = *e;
  pthread_mutex_unlock(&g_lock);
}

static void command(char *text) {
  char *argv[8];
  int argc = 0;
  for (char *tok = strtok(text, " \t\r"); tok && argc < 8; tok = strtok(NULL, " \t\r")) argv[argc++] = tok;
  if (argc == 0) return;
  const char *c = argv[0];
  inst *in = argc > 1 ? find(atoi(argv[1])) : NULL;
  char b1[40];
  if (!strcmp(c, "new")) {
    cmd_new();
  } else if (!strcmp(c, "play") || !strcmp(c, "stop")) {
    pthread_mutex_lock(&g_lock);
    g_playing = !strcmp(c, "play");
    set_pos(g_pos);
    pthread_mutex_unlock(&g_lock);
  } else if (!strcmp(c, "tempo") && argc == 2 && atof(argv[1]) > 0) {
    pthread_mutex_lock(&g_lock);
    g_tempo = atof(argv[1]);
    set_pos(g_pos);
    pthread_mutex_unlock(&g_lock);
  } else if (!strcmp(c, "seek") && argc == 2) {
    pthread_mutex_lock(&g_lock);
    set_pos(atof(argv[1]));
    pthread_mutex_unlock(&g_lock);
  } else if (!strcmp(c, "loop") && argc == 2 && !strcmp(argv[1], "off")) {
    pthread_mutex_lock(&g_lock);
    g_loop = false;
    pthread_mutex_unlock(&g_lock);
  } else if (!strcmp(c, "loop") && argc == 3 && atof(argv[2]) > atof(argv[1])) {
    pthread_mutex_lock(&g_lock);
    g_loop = true;
    g_loop_start = atof(argv[1]);
    g_loop_end = atof(argv[2]);
    pthread_mutex_unlock(&g_lock);
  } else if (!strcmp(c, "quit")) {
    /* handled by the caller */
  } else if (!in) {
    report_error("unknown command or instance: %s", c);
  } else if (!strcmp(c, "gui")) {
    const bool ok = in->gui && in->gui->create(in->plugin, WINDOW_API, true) && in->gui->show(in->plugin);
    line("{\"ev\":\"gui\",\"inst\":%d,\"ok\":%s}", in->id, ok ? "true" : "false");
  } else if (!strcmp(c, "note") && (argc == 6 || argc == 7)) {
    sched_ev e;
    memset(&e, 0, sizeof e);
    e.beat = atof(argv[2]);
    e.key = atoi(argv[3]) & 0x7f;
    e.velocity = atof(argv[4]) / 127.0;
    e.channel = argc == 7 ? (atoi(argv[6]) & 0x0f) : 0;
    e.kind = 0;
    schedule(in, &e);
    e.kind = 1;
    e.beat += atof(argv[5]);
    e.velocity = 0;
    schedule(in, &e);
  } else if (!strcmp(c, "midi") && argc == 6) {
    sched_ev e;
    memset(&e, 0, sizeof e);
    e.kind = 2;
    e.beat = atof(argv[2]);
    for (int i = 0; i < 3; i++) e.bytes[i] = (uint8_t)strtol(argv[3 + i], NULL, 0);
    schedule(in, &e);
  } else if (!strcmp(c, "param") && argc == 4) {
    sched_ev e;
    memset(&e, 0, sizeof e);
    e.kind = 3;
    e.param_id = fnv1a(argv[2]);
    e.value = atof(argv[3]);
    schedule(in, &e);
  } else if (!strcmp(c, "getparam") && argc == 3) {
    double v = 0;
    if (!in->params || !in->params->get_value(in->plugin, fnv1a(argv[2]), &v)) report_error("no parameter %s", argv[2]);
    else line("{\"ev\":\"param\",\"inst\":%d,\"id\":\"%s\",\"value\":%s}", in->id, argv[2], num(v, b1, sizeof b1));
  } else if ((!strcmp(c, "save") || !strcmp(c, "load")) && argc == 3) {
    const bool save = !strcmp(c, "save");
    FILE *f = fopen(argv[2], save ? "wb" : "rb");
    bool ok = false;
    if (f && in->state) {
      if (save) {
        clap_ostream_t os = {f, file_write};
        ok = in->state->save(in->plugin, &os);
      } else {
        clap_istream_t is = {f, file_read};
        ok = in->state->load(in->plugin, &is);
      }
    }
    if (f) fclose(f);
    if (!ok) report_error("%s %d %s failed", c, in->id, argv[2]);
    else line("{\"ev\":\"%s\",\"inst\":%d}", save ? "saved" : "loaded", in->id);
  } else if ((!strcmp(c, "webview-send") || !strcmp(c, "webview-resource")) && argc == 3) {
    webview_command(in, !strcmp(c, "webview-send"), argv[2]);
  } else if (!strcmp(c, "destroy")) {
    destroy_inst(in);
    line("{\"ev\":\"destroyed\",\"inst\":%d}", atoi(argv[1]));
  } else {
    report_error("bad command: %s", c);
  }
}

static int cmp_u32(const void *a, const void *b) {
  const uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return (x > y) - (x < y);
}

static void quit(void) {
  for (int i = 0; i < g_inst_count; i++)
    if (g_inst[i] && g_inst[i]->used) destroy_inst(g_inst[i]);
  atomic_store(&g_process_run, false);
  pthread_join(g_process_thread, NULL);
  atomic_store(&g_printer_run, false);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: host <path/to/DeepImprov.clap>\n");
    return 2;
  }
  g_main_thread = pthread_self();
  void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    report_error("dlopen: %s", dlerror());
    return 1;
  }
  g_entry = (const clap_plugin_entry_t *)dlsym(lib, "clap_entry");
  if (!g_entry || g_entry->clap_version.major != 1 || !g_entry->init(argv[1])) {
    report_error("no usable clap_entry");
    return 1;
  }
  g_factory = g_entry->get_factory(CLAP_PLUGIN_FACTORY_ID);
  if (!g_factory || g_factory->get_plugin_count(g_factory) != 1 ||
      !check_descriptor(g_factory->get_plugin_descriptor(g_factory, 0))) {
    report_error("bad factory or descriptor");
    return 1;
  }
  g_cost = calloc(COST_CAP, sizeof *g_cost);
  if (!g_cost || !ring_init(&g_out_ring, sizeof(out_rec), 1u << 16)) return 1;
  atomic_store(&g_process_run, true);
  atomic_store(&g_printer_run, true);
  pthread_t printer;
  pthread_create(&printer, NULL, printer_main, NULL);
  pthread_create(&g_process_thread, NULL, process_main, NULL);

  char buf[8192];
  size_t len = 0;
  bool running = true;
  while (running) {
    struct pollfd pfd = {0, POLLIN, 0};
    const int r = poll(&pfd, 1, 10);
    for (int i = 0; i < g_inst_count; i++) {
      inst *in = g_inst[i];
      if (in && in->used && atomic_exchange(&in->callback_requested, false)) in->plugin->on_main_thread(in->plugin);
    }
    if (r <= 0) continue;
    const ssize_t n = read(0, buf + len, sizeof buf - 1 - len);
    if (n <= 0) break; /* end of input: quit */
    len += (size_t)n;
    char *start = buf;
    char *nl;
    while ((nl = memchr(start, '\n', (size_t)(buf + len - start)))) {
      *nl = 0;
      const bool is_quit = !strncmp(start, "quit", 4) && (start[4] == 0 || start[4] == '\r' || start[4] == ' ');
      if (is_quit) {
        running = false;
        break;
      }
      command(start);
      start = nl + 1;
    }
    len = (size_t)(buf + len - start);
    memmove(buf, start, len);
    if (len >= sizeof buf - 1) len = 0; /* an absurdly long line: dropped */
  }

  quit();
  pthread_join(printer, NULL);
  const size_t count = g_cost_count < COST_CAP ? g_cost_count : COST_CAP;
  double p50 = 0, p99 = 0, mx = 0;
  if (count) {
    qsort(g_cost, count, sizeof *g_cost, cmp_u32);
    p50 = g_cost[count / 2] / 1000.0;
    p99 = g_cost[(count * 99) / 100 < count ? (count * 99) / 100 : count - 1] / 1000.0;
    mx = g_cost[count - 1] / 1000.0;
  }
  if (atomic_load(&g_out_lost)) report_error("%u output events lost", atomic_load(&g_out_lost));
  line("{\"ev\":\"process-cost\",\"p50_us\":%.1f,\"p99_us\":%.1f,\"max_us\":%.1f,\"block_us\":2666.7,\"blocks\":%zu}", p50,
       p99, mx, count);
  for (int i = 0; i < g_inst_count; i++) free(g_inst[i]);
  free(g_cost);
  ring_free(&g_out_ring);
  g_entry->deinit();
  dlclose(lib);
  return 0;
}
