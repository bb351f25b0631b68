/*
 * clap_abi.h: the subset of the CLAP 1.2 plugin ABI that the Deep Improv
 * bridge uses, declared from the published specification (free-audio/clap).
 *
 * This file: versions, time, streams, events, process, host, plugin, factory
 * and entry; the extensions are in clap_ext.h, which includes it.
 *
 * Only what the plugin and its test host touch is declared. Every struct has
 * the same members, in the same order and with the same C types as the
 * specification, so the binary layout is the one every CLAP host expects
 * (natural alignment, no packing). Functions are called with the platform's
 * C calling convention (cdecl on 32-bit Windows).
 */
#ifndef DEEP_IMPROV_CLAP_ABI_H
#define DEEP_IMPROV_CLAP_ABI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#define CLAP_ABI __cdecl
#define CLAP_EXPORT __declspec(dllexport)
#else
#define CLAP_ABI
#define CLAP_EXPORT __attribute__((visibility("default")))
#endif

/* ---- version ------------------------------------------------------------ */

/** A CLAP version triple. */
typedef struct clap_version {
  uint32_t major;
  uint32_t minor;
  uint32_t revision;
} clap_version_t;

/** The version this bridge is written against: 1.2.2. */
#define CLAP_VERSION_INIT {1u, 2u, 2u}

/** Sizes of the fixed text buffers in info structs. */
enum { CLAP_NAME_SIZE = 256, CLAP_PATH_SIZE = 1024 };

/** Parameter, port and note ids. */
typedef uint32_t clap_id;
#define CLAP_INVALID_ID UINT32_MAX

/* ---- fixed point time --------------------------------------------------- */

/** Song positions in beats (quarter notes) and seconds, as 31-bit fixed point. */
typedef int64_t clap_beattime;
typedef int64_t clap_sectime;
#define CLAP_BEATTIME_FACTOR (((int64_t)1) << 31)
#define CLAP_SECTIME_FACTOR (((int64_t)1) << 31)

/* ---- streams -------------------------------------------------------------- */

/** A byte source: read returns the bytes read, 0 at the end, < 0 on error. */
typedef struct clap_istream {
  void *ctx;
  int64_t(CLAP_ABI *read)(const struct clap_istream *stream, void *buffer, uint64_t size);
} clap_istream_t;

/** A byte sink: write returns the bytes written (maybe fewer), < 0 on error. */
typedef struct clap_ostream {
  void *ctx;
  int64_t(CLAP_ABI *write)(const struct clap_ostream *stream, const void *buffer, uint64_t size);
} clap_ostream_t;

/* ---- events --------------------------------------------------------------- */

/** Common header of every event; `time` is the sample offset in the block. */
typedef struct clap_event_header {
  uint32_t size;
  uint32_t time;
  uint16_t space_id;
  uint16_t type;
  uint32_t flags;
} clap_event_header_t;

#define CLAP_CORE_EVENT_SPACE_ID ((uint16_t)0)

/** Event header flags. */
enum { CLAP_EVENT_IS_LIVE = 1 << 0, CLAP_EVENT_DONT_RECORD = 1 << 1 };

/** Event types of the core space. */
enum {
  CLAP_EVENT_NOTE_ON = 0,
  CLAP_EVENT_NOTE_OFF = 1,
  CLAP_EVENT_NOTE_CHOKE = 2,
  CLAP_EVENT_NOTE_END = 3,
  CLAP_EVENT_NOTE_EXPRESSION = 4,
  CLAP_EVENT_PARAM_VALUE = 5,
  CLAP_EVENT_PARAM_MOD = 6,
  CLAP_EVENT_PARAM_GESTURE_BEGIN = 7,
  CLAP_EVENT_PARAM_GESTURE_END = 8,
  CLAP_EVENT_TRANSPORT = 9,
  CLAP_EVENT_MIDI = 10,
  CLAP_EVENT_MIDI_SYSEX = 11,
  CLAP_EVENT_MIDI2 = 12
};

/** Note on/off/choke/end; -1 in a field is a wildcard (not for note on). */
typedef struct clap_event_note {
  clap_event_header_t header;
  int32_t note_id;
  int16_t port_index;
  int16_t channel;
  int16_t key;
  double velocity; /* 0..1 */
} clap_event_note_t;

/** A parameter's new plain value. */
typedef struct clap_event_param_value {
  clap_event_header_t header;
  clap_id param_id;
  void *cookie;
  int32_t note_id;
  int16_t port_index;
  int16_t channel;
  int16_t key;
  double value;
} clap_event_param_value_t;

/** A parameter's modulation amount (the bridge ignores modulation). */
typedef struct clap_event_param_mod {
  clap_event_header_t header;
  clap_id param_id;
  void *cookie;
  int32_t note_id;
  int16_t port_index;
  int16_t channel;
  int16_t key;
  double amount;
} clap_event_param_mod_t;

/** The user starts or ends adjusting a parameter. */
typedef struct clap_event_param_gesture {
  clap_event_header_t header;
  clap_id param_id;
} clap_event_param_gesture_t;

/** Transport flags. */
enum {
  CLAP_TRANSPORT_HAS_TEMPO = 1 << 0,
  CLAP_TRANSPORT_HAS_BEATS_TIMELINE = 1 << 1,
  CLAP_TRANSPORT_HAS_SECONDS_TIMELINE = 1 << 2,
  CLAP_TRANSPORT_HAS_TIME_SIGNATURE = 1 << 3,
  CLAP_TRANSPORT_IS_PLAYING = 1 << 4,
  CLAP_TRANSPORT_IS_RECORDING = 1 << 5,
  CLAP_TRANSPORT_IS_LOOP_ACTIVE = 1 << 6,
  CLAP_TRANSPORT_IS_WITHIN_PRE_ROLL = 1 << 7
};

/** The host transport at a sample (at sample 0 of the block in clap_process). */
typedef struct clap_event_transport {
  clap_event_header_t header;
  uint32_t flags;
  clap_beattime song_pos_beats;
  clap_sectime song_pos_seconds;
  double tempo;     /* BPM */
  double tempo_inc; /* BPM per sample until the next transport event */
  clap_beattime loop_start_beats;
  clap_beattime loop_end_beats;
  clap_sectime loop_start_seconds;
  clap_sectime loop_end_seconds;
  clap_beattime bar_start;
  int32_t bar_number;
  uint16_t tsig_num;
  uint16_t tsig_denom;
} clap_event_transport_t;

/** A MIDI 1.0 message of up to three bytes. */
typedef struct clap_event_midi {
  clap_event_header_t header;
  uint16_t port_index;
  uint8_t data[3];
} clap_event_midi_t;

/** A system-exclusive message; the buffer lives only during the call. */
typedef struct clap_event_midi_sysex {
  clap_event_header_t header;
  uint16_t port_index;
  const uint8_t *buffer;
  uint32_t size;
} clap_event_midi_sysex_t;

/** Events the host gives to the plugin, sorted by time. */
typedef struct clap_input_events {
  void *ctx;
  uint32_t(CLAP_ABI *size)(const struct clap_input_events *list);
  const clap_event_header_t *(CLAP_ABI *get)(const struct clap_input_events *list, uint32_t index);
} clap_input_events_t;

/** Events the plugin gives to the host, pushed in time order (copied). */
typedef struct clap_output_events {
  void *ctx;
  bool(CLAP_ABI *try_push)(const struct clap_output_events *list, const clap_event_header_t *event);
} clap_output_events_t;

/* ---- audio buffers and process ------------------------------------------------ */

/** One port's channels for one block (32- or 64-bit samples). */
typedef struct clap_audio_buffer {
  float **data32;
  double **data64;
  uint32_t channel_count;
  uint32_t latency;
  uint64_t constant_mask;
} clap_audio_buffer_t;

/** process() results. */
enum {
  CLAP_PROCESS_ERROR = 0,
  CLAP_PROCESS_CONTINUE = 1,
  CLAP_PROCESS_CONTINUE_IF_NOT_QUIET = 2,
  CLAP_PROCESS_TAIL = 3,
  CLAP_PROCESS_SLEEP = 4
};
typedef int32_t clap_process_status;

/** Everything process() gets for one block. */
typedef struct clap_process {
  int64_t steady_time; /* sample counter, or -1 when unavailable */
  uint32_t frames_count;
  const clap_event_transport_t *transport; /* NULL: free-running host */
  const clap_audio_buffer_t *audio_inputs;
  clap_audio_buffer_t *audio_outputs;
  uint32_t audio_inputs_count;
  uint32_t audio_outputs_count;
  const clap_input_events_t *in_events;
  const clap_output_events_t *out_events;
} clap_process_t;

/* ---- host ------------------------------------------------------------------------------- */

/** What the host gives every plugin instance. */
typedef struct clap_host {
  clap_version_t clap_version;
  void *host_data;
  const char *name;
  const char *vendor;
  const char *url;
  const char *version;
  const void *(CLAP_ABI *get_extension)(const struct clap_host *host, const char *extension_id);
  void(CLAP_ABI *request_restart)(const struct clap_host *host);
  void(CLAP_ABI *request_process)(const struct clap_host *host);
  void(CLAP_ABI *request_callback)(const struct clap_host *host);
} clap_host_t;

/* ---- plugin ----------------------------------------------------------------------------- */

/** What a plugin is; `features` is a NULL-terminated list. */
typedef struct clap_plugin_descriptor {
  clap_version_t clap_version;
  const char *id;
  const char *name;
  const char *vendor;
  const char *url;
  const char *manual_url;
  const char *support_url;
  const char *version;
  const char *description;
  const char *const *features;
} clap_plugin_descriptor_t;

/** A plugin instance. */
typedef struct clap_plugin {
  const clap_plugin_descriptor_t *desc;
  void *plugin_data;
  bool(CLAP_ABI *init)(const struct clap_plugin *plugin);
  void(CLAP_ABI *destroy)(const struct clap_plugin *plugin);
  bool(CLAP_ABI *activate)(const struct clap_plugin *plugin, double sample_rate, uint32_t min_frames_count,
                           uint32_t max_frames_count);
  void(CLAP_ABI *deactivate)(const struct clap_plugin *plugin);
  bool(CLAP_ABI *start_processing)(const struct clap_plugin *plugin);
  void(CLAP_ABI *stop_processing)(const struct clap_plugin *plugin);
  void(CLAP_ABI *reset)(const struct clap_plugin *plugin);
  clap_process_status(CLAP_ABI *process)(const struct clap_plugin *plugin, const clap_process_t *process);
  const void *(CLAP_ABI *get_extension)(const struct clap_plugin *plugin, const char *id);
  void(CLAP_ABI *on_main_thread)(const struct clap_plugin *plugin);
} clap_plugin_t;

/** The plugin factory (id CLAP_PLUGIN_FACTORY_ID). */
typedef struct clap_plugin_factory {
  uint32_t(CLAP_ABI *get_plugin_count)(const struct clap_plugin_factory *factory);
  const clap_plugin_descriptor_t *(CLAP_ABI *get_plugin_descriptor)(const struct clap_plugin_factory *factory,
                                                                     uint32_t index);
  const clap_plugin_t *(CLAP_ABI *create_plugin)(const struct clap_plugin_factory *factory, const clap_host_t *host,
                                                 const char *plugin_id);
} clap_plugin_factory_t;

#define CLAP_PLUGIN_FACTORY_ID "clap.plugin-factory"

/** The symbol `clap_entry` of every CLAP binary. */
typedef struct clap_plugin_entry {
  clap_version_t clap_version;
  bool(CLAP_ABI *init)(const char *plugin_path);
  void(CLAP_ABI *deinit)(void);
  const void *(CLAP_ABI *get_factory)(const char *factory_id);
} clap_plugin_entry_t;

#endif
