/*
 * win_host.c: a small CLAP host for Windows, cross-compiled with MinGW-w64
 * and run under Wine by test/bridge/native/windows-build.test.ts, so the
 * Windows plugin (platform_win32.c) is loaded and run, not only linked.
 *
 *   win_host.exe <plugin.clap> <stop-file>
 *     loads the plugin with LoadLibrary, checks entry, factory and
 *     descriptor, activates at 48 kHz with 128-frame blocks, checks the
 *     stereo pass-through is bit-exact, shows the editor (the URL arrives
 *     through the log extension), then processes blocks with a playing
 *     120 BPM transport until <stop-file> exists (60 s at most), and tears
 *     everything down. Prints one line per step: "OK <step>", "LOG <text>",
 *     "FAIL <why>"; exits 0 only when every step passed.
 *   win_host.exe <url>
 *     the editor opener (DEEP_IMPROV_OPEN points here): writes the URL it
 *     was given to the file named by DEEP_IMPROV_URL_FILE, so a test sees
 *     what the plugin's CreateProcessW passed on.
 */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../native/clap_ext.h"

enum { BLOCK = 128, RATE = 48000 };

static int g_failed;

static void say(const char *what, const char *detail) {
  printf("%s %s\n", what, detail);
  fflush(stdout);
}

static void check(bool ok, const char *step) {
  say(ok ? "OK" : "FAIL", step);
  if (!ok) g_failed = 1;
}

static void CLAP_ABI host_log(const clap_host_t *host, clap_log_severity severity, const char *msg) {
  (void)host;
  (void)severity;
  say("LOG", msg ? msg : "");
}

static const clap_host_log_t g_log = {host_log};

static const void *CLAP_ABI host_get_extension(const clap_host_t *host, const char *id) {
  (void)host;
  return strcmp(id, CLAP_EXT_LOG) == 0 ? &g_log : NULL;
}

static void CLAP_ABI host_request(const clap_host_t *host) { (void)host; }

static const clap_host_t g_host = {CLAP_VERSION_INIT, NULL, "win_host", "Deep Improv tests", "", "1",
                                   host_get_extension, host_request, host_request, host_request};

static uint32_t CLAP_ABI no_events_size(const clap_input_events_t *list) {
  (void)list;
  return 0;
}

static const clap_event_header_t *CLAP_ABI no_events_get(const clap_input_events_t *list, uint32_t index) {
  (void)list;
  (void)index;
  return NULL;
}

static bool CLAP_ABI drop_event(const clap_output_events_t *list, const clap_event_header_t *event) {
  (void)list;
  (void)event;
  return true;
}

/** Writes argv[1] to %DEEP_IMPROV_URL_FILE%: the editor opener's role. */
static int record_url(const char *url) {
  const char *path = getenv("DEEP_IMPROV_URL_FILE");
  if (!path) return 2;
  FILE *f = fopen(path, "wb");
  if (!f) return 3;
  fputs(url, f);
  fclose(f);
  return 0;
}

static bool file_exists(const char *path) { return GetFileAttributesA(path) != INVALID_FILE_ATTRIBUTES; }

int main(int argc, char **argv) {
  if (argc == 2 && strncmp(argv[1], "http", 4) == 0) return record_url(argv[1]);
  if (argc != 3) {
    fprintf(stderr, "usage: win_host <plugin.clap> <stop-file> | win_host <url>\n");
    return 2;
  }
  HMODULE lib = LoadLibraryA(argv[1]);
  check(lib != NULL, "load");
  if (!lib) return 1;
  /* clap_entry is data, but GetProcAddress returns a function pointer: copy its bits (ISO C has no cast). */
  const FARPROC symbol = GetProcAddress(lib, "clap_entry");
  const clap_plugin_entry_t *entry = NULL;
  _Static_assert(sizeof symbol == sizeof entry, "pointer sizes");
  if (symbol) memcpy(&entry, &symbol, sizeof entry);
  check(entry && entry->clap_version.major == 1, "entry");
  if (!entry || !entry->init(argv[1])) {
    check(false, "entry init");
    return 1;
  }
  const clap_plugin_factory_t *factory = entry->get_factory(CLAP_PLUGIN_FACTORY_ID);
  check(factory && factory->get_plugin_count(factory) == 1, "factory");
  const clap_plugin_descriptor_t *desc = factory ? factory->get_plugin_descriptor(factory, 0) : NULL;
  check(desc && desc->id && desc->name, "descriptor");
  const clap_plugin_t *plugin = desc ? factory->create_plugin(factory, &g_host, desc->id) : NULL;
  check(plugin && plugin->init(plugin), "init");
  if (!plugin) return 1;
  check(plugin->activate(plugin, RATE, BLOCK, BLOCK), "activate");
  check(plugin->start_processing(plugin), "start processing");

  static float in_l[BLOCK], in_r[BLOCK], out_l[BLOCK], out_r[BLOCK];
  float *in_ch[2] = {in_l, in_r}, *out_ch[2] = {out_l, out_r};
  clap_audio_buffer_t in = {in_ch, NULL, 2, 0, 0}, out = {out_ch, NULL, 2, 0, 0};
  clap_input_events_t in_events = {NULL, no_events_size, no_events_get};
  clap_output_events_t out_events = {NULL, drop_event};
  clap_event_transport_t transport;
  memset(&transport, 0, sizeof transport);
  transport.header.size = sizeof transport;
  transport.header.type = CLAP_EVENT_TRANSPORT;
  transport.flags = CLAP_TRANSPORT_HAS_TEMPO | CLAP_TRANSPORT_HAS_BEATS_TIMELINE | CLAP_TRANSPORT_HAS_TIME_SIGNATURE |
                    CLAP_TRANSPORT_IS_PLAYING;
  transport.tempo = 120;
  transport.tsig_num = 4;
  transport.tsig_denom = 4;
  clap_process_t proc = {0, BLOCK, &transport, &in, &out, 1, 1, &in_events, &out_events};

  bool exact = true;
  for (int i = 0; i < BLOCK; i++) {
    in_l[i] = (float)i / BLOCK - 0.5f;
    in_r[i] = 0.25f - (float)(i % 7) / 9.0f;
  }
  const clap_process_status first = plugin->process(plugin, &proc);
  for (int i = 0; i < BLOCK; i++) exact = exact && out_l[i] == in_l[i] && out_r[i] == in_r[i];
  check(first != CLAP_PROCESS_ERROR && exact, "pass-through");

  const clap_plugin_gui_t *gui = plugin->get_extension(plugin, CLAP_EXT_GUI);
  check(gui && gui->is_api_supported(plugin, "win32", true), "gui api win32");
  check(gui && gui->create(plugin, "win32", true) && gui->show(plugin), "gui show");

  /* Runs paced at about real time (Sleep's granularity) until the test says stop. */
  const double beats_per_block = 120.0 / 60.0 * BLOCK / RATE;
  uint64_t blocks = 1;
  int failed_blocks = 0;
  const DWORD start = GetTickCount();
  while (!file_exists(argv[2]) && GetTickCount() - start < 60000) {
    transport.song_pos_beats = (clap_beattime)(blocks * beats_per_block * (double)CLAP_BEATTIME_FACTOR);
    proc.steady_time = (int64_t)(blocks * BLOCK);
    if (plugin->process(plugin, &proc) == CLAP_PROCESS_ERROR) failed_blocks++;
    blocks++;
    Sleep(2);
  }
  check(file_exists(argv[2]), "stopped by the test");
  check(failed_blocks == 0 && blocks > 10, "process loop");

  gui->hide(plugin);
  gui->destroy(plugin);
  plugin->stop_processing(plugin);
  plugin->deactivate(plugin);
  plugin->destroy(plugin);
  entry->deinit();
  FreeLibrary(lib);
  say("DONE", g_failed ? "failed" : "ok");
  return g_failed;
}
