/*
 * clap_abi.h: the subset of the CLAP 1.2 plugin ABI that the Deep Improv
 * bridge uses, declared from the published specification (free-audio/clap).
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

/* ---- extension: audio ports ----------------------------------------------------------- */

#define CLAP_EXT_AUDIO_PORTS "clap.audio-ports"
#define CLAP_PORT_MONO "mono"
#define CLAP_PORT_STEREO "stereo"
enum {
  CLAP_AUDIO_PORT_IS_MAIN = 1 << 0,
  CLAP_AUDIO_PORT_SUPPORTS_64BITS = 1 << 1,
  CLAP_AUDIO_PORT_PREFERS_64BITS = 1 << 2,
  CLAP_AUDIO_PORT_REQUIRES_COMMON_SAMPLE_SIZE = 1 << 3
};

typedef struct clap_audio_port_info {
  clap_id id;
  char name[CLAP_NAME_SIZE];
  uint32_t flags;
  uint32_t channel_count;
  const char *port_type;
  clap_id in_place_pair;
} clap_audio_port_info_t;

typedef struct clap_plugin_audio_ports {
  uint32_t(CLAP_ABI *count)(const clap_plugin_t *plugin, bool is_input);
  bool(CLAP_ABI *get)(const clap_plugin_t *plugin, uint32_t index, bool is_input, clap_audio_port_info_t *info);
} clap_plugin_audio_ports_t;

/* ---- extension: note ports ---------------------------------------------------------------- */

#define CLAP_EXT_NOTE_PORTS "clap.note-ports"
enum {
  CLAP_NOTE_DIALECT_CLAP = 1 << 0,
  CLAP_NOTE_DIALECT_MIDI = 1 << 1,
  CLAP_NOTE_DIALECT_MIDI_MPE = 1 << 2,
  CLAP_NOTE_DIALECT_MIDI2 = 1 << 3
};

typedef struct clap_note_port_info {
  clap_id id;
  uint32_t supported_dialects;
  uint32_t preferred_dialect;
  char name[CLAP_NAME_SIZE];
} clap_note_port_info_t;

typedef struct clap_plugin_note_ports {
  uint32_t(CLAP_ABI *count)(const clap_plugin_t *plugin, bool is_input);
  bool(CLAP_ABI *get)(const clap_plugin_t *plugin, uint32_t index, bool is_input, clap_note_port_info_t *info);
} clap_plugin_note_ports_t;

/* ---- extension: state ------------------------------------------------------------------------ */

#define CLAP_EXT_STATE "clap.state"

typedef struct clap_plugin_state {
  bool(CLAP_ABI *save)(const clap_plugin_t *plugin, const clap_ostream_t *stream);
  bool(CLAP_ABI *load)(const clap_plugin_t *plugin, const clap_istream_t *stream);
} clap_plugin_state_t;

typedef struct clap_host_state {
  void(CLAP_ABI *mark_dirty)(const clap_host_t *host);
} clap_host_state_t;

/* ---- extension: params ---------------------------------------------------------------------- */

#define CLAP_EXT_PARAMS "clap.params"
enum {
  CLAP_PARAM_IS_STEPPED = 1 << 0,
  CLAP_PARAM_IS_PERIODIC = 1 << 1,
  CLAP_PARAM_IS_HIDDEN = 1 << 2,
  CLAP_PARAM_IS_READONLY = 1 << 3,
  CLAP_PARAM_IS_BYPASS = 1 << 4,
  CLAP_PARAM_IS_AUTOMATABLE = 1 << 5,
  CLAP_PARAM_IS_AUTOMATABLE_PER_NOTE_ID = 1 << 6,
  CLAP_PARAM_IS_AUTOMATABLE_PER_KEY = 1 << 7,
  CLAP_PARAM_IS_AUTOMATABLE_PER_CHANNEL = 1 << 8,
  CLAP_PARAM_IS_AUTOMATABLE_PER_PORT = 1 << 9,
  CLAP_PARAM_IS_MODULATABLE = 1 << 10,
  CLAP_PARAM_REQUIRES_PROCESS = 1 << 15,
  CLAP_PARAM_IS_ENUM = 1 << 16
};

typedef struct clap_param_info {
  clap_id id;
  uint32_t flags;
  void *cookie;
  char name[CLAP_NAME_SIZE];
  char module[CLAP_PATH_SIZE];
  double min_value;
  double max_value;
  double default_value;
} clap_param_info_t;

typedef struct clap_plugin_params {
  uint32_t(CLAP_ABI *count)(const clap_plugin_t *plugin);
  bool(CLAP_ABI *get_info)(const clap_plugin_t *plugin, uint32_t param_index, clap_param_info_t *param_info);
  bool(CLAP_ABI *get_value)(const clap_plugin_t *plugin, clap_id param_id, double *out_value);
  bool(CLAP_ABI *value_to_text)(const clap_plugin_t *plugin, clap_id param_id, double value, char *out_buffer,
                                uint32_t out_buffer_capacity);
  bool(CLAP_ABI *text_to_value)(const clap_plugin_t *plugin, clap_id param_id, const char *param_value_text,
                                double *out_value);
  void(CLAP_ABI *flush)(const clap_plugin_t *plugin, const clap_input_events_t *in, const clap_output_events_t *out);
} clap_plugin_params_t;

enum {
  CLAP_PARAM_RESCAN_VALUES = 1 << 0,
  CLAP_PARAM_RESCAN_TEXT = 1 << 1,
  CLAP_PARAM_RESCAN_INFO = 1 << 2,
  CLAP_PARAM_RESCAN_ALL = 1 << 3
};

typedef struct clap_host_params {
  void(CLAP_ABI *rescan)(const clap_host_t *host, uint32_t flags);
  void(CLAP_ABI *clear)(const clap_host_t *host, clap_id param_id, uint32_t flags);
  void(CLAP_ABI *request_flush)(const clap_host_t *host);
} clap_host_params_t;

/* ---- extension: render ------------------------------------------------------------------------- */

#define CLAP_EXT_RENDER "clap.render"
enum { CLAP_RENDER_REALTIME = 0, CLAP_RENDER_OFFLINE = 1 };
typedef int32_t clap_plugin_render_mode;

typedef struct clap_plugin_render {
  bool(CLAP_ABI *has_hard_realtime_requirement)(const clap_plugin_t *plugin);
  bool(CLAP_ABI *set)(const clap_plugin_t *plugin, clap_plugin_render_mode mode);
} clap_plugin_render_t;

/* ---- extension: latency ------------------------------------------------------------------------ */

#define CLAP_EXT_LATENCY "clap.latency"

typedef struct clap_plugin_latency {
  uint32_t(CLAP_ABI *get)(const clap_plugin_t *plugin);
} clap_plugin_latency_t;

typedef struct clap_host_latency {
  void(CLAP_ABI *changed)(const clap_host_t *host);
} clap_host_latency_t;

/* ---- extension: gui --------------------------------------------------------------------------- */

#define CLAP_EXT_GUI "clap.gui"
#define CLAP_WINDOW_API_WIN32 "win32"
#define CLAP_WINDOW_API_COCOA "cocoa"
#define CLAP_WINDOW_API_X11 "x11"
#define CLAP_WINDOW_API_WAYLAND "wayland"

typedef struct clap_window {
  const char *api;
  union {
    void *cocoa;
    unsigned long x11;
    void *win32;
    void *ptr;
  } handle;
} clap_window_t;

typedef struct clap_gui_resize_hints {
  bool can_resize_horizontally;
  bool can_resize_vertically;
  bool preserve_aspect_ratio;
  uint32_t aspect_ratio_width;
  uint32_t aspect_ratio_height;
} clap_gui_resize_hints_t;

typedef struct clap_plugin_gui {
  bool(CLAP_ABI *is_api_supported)(const clap_plugin_t *plugin, const char *api, bool is_floating);
  bool(CLAP_ABI *get_preferred_api)(const clap_plugin_t *plugin, const char **api, bool *is_floating);
  bool(CLAP_ABI *create)(const clap_plugin_t *plugin, const char *api, bool is_floating);
  void(CLAP_ABI *destroy)(const clap_plugin_t *plugin);
  bool(CLAP_ABI *set_scale)(const clap_plugin_t *plugin, double scale);
  bool(CLAP_ABI *get_size)(const clap_plugin_t *plugin, uint32_t *width, uint32_t *height);
  bool(CLAP_ABI *can_resize)(const clap_plugin_t *plugin);
  bool(CLAP_ABI *get_resize_hints)(const clap_plugin_t *plugin, clap_gui_resize_hints_t *hints);
  bool(CLAP_ABI *adjust_size)(const clap_plugin_t *plugin, uint32_t *width, uint32_t *height);
  bool(CLAP_ABI *set_size)(const clap_plugin_t *plugin, uint32_t width, uint32_t height);
  bool(CLAP_ABI *set_parent)(const clap_plugin_t *plugin, const clap_window_t *window);
  bool(CLAP_ABI *set_transient)(const clap_plugin_t *plugin, const clap_window_t *window);
  void(CLAP_ABI *suggest_title)(const clap_plugin_t *plugin, const char *title);
  bool(CLAP_ABI *show)(const clap_plugin_t *plugin);
  bool(CLAP_ABI *hide)(const clap_plugin_t *plugin);
} clap_plugin_gui_t;

typedef struct clap_host_gui {
  void(CLAP_ABI *resize_hints_changed)(const clap_host_t *host);
  bool(CLAP_ABI *request_resize)(const clap_host_t *host, uint32_t width, uint32_t height);
  bool(CLAP_ABI *request_show)(const clap_host_t *host);
  bool(CLAP_ABI *request_hide)(const clap_host_t *host);
  void(CLAP_ABI *closed)(const clap_host_t *host, bool was_destroyed);
} clap_host_gui_t;

/* ---- extension: log --------------------------------------------------------------------------- */

#define CLAP_EXT_LOG "clap.log"
enum {
  CLAP_LOG_DEBUG = 0,
  CLAP_LOG_INFO = 1,
  CLAP_LOG_WARNING = 2,
  CLAP_LOG_ERROR = 3,
  CLAP_LOG_FATAL = 4,
  CLAP_LOG_HOST_MISBEHAVING = 5,
  CLAP_LOG_PLUGIN_MISBEHAVING = 6
};
typedef int32_t clap_log_severity;

typedef struct clap_host_log {
  void(CLAP_ABI *log)(const clap_host_t *host, clap_log_severity severity, const char *msg);
} clap_host_log_t;

/* ---- extension: thread check ------------------------------------------------------------------------ */

#define CLAP_EXT_THREAD_CHECK "clap.thread-check"

typedef struct clap_host_thread_check {
  bool(CLAP_ABI *is_main_thread)(const clap_host_t *host);
  bool(CLAP_ABI *is_audio_thread)(const clap_host_t *host);
} clap_host_thread_check_t;

/* ---- draft extension: webview ---------------------------------------------------------------------- */

#define CLAP_EXT_WEBVIEW "clap.webview/3"
#define CLAP_WINDOW_API_WEBVIEW "webview"

typedef struct clap_plugin_webview {
  /* Writes the start URI; returns its length including the NUL, <= 0 on error. */
  int32_t(CLAP_ABI *get_uri)(const clap_plugin_t *plugin, char *uri, uint32_t uri_capacity);
  /* Streams the resource at an absolute path and writes its media type. */
  bool(CLAP_ABI *get_resource)(const clap_plugin_t *plugin, const char *path, char *mime, uint32_t mime_capacity,
                               const clap_ostream_t *stream);
  /* One message from the page. */
  bool(CLAP_ABI *receive)(const clap_plugin_t *plugin, const void *buffer, uint32_t size);
} clap_plugin_webview_t;

typedef struct clap_host_webview {
  bool(CLAP_ABI *send)(const clap_host_t *host, const void *buffer, uint32_t size);
} clap_host_webview_t;

#endif
