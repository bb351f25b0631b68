/*
 * clap_ext.h: the CLAP 1.2 extensions the Deep Improv bridge uses, declared
 * from the published specification (free-audio/clap) on top of the core ABI
 * of clap_abi.h, under the same rules (same members, order and C types as the
 * specification; the platform's C calling convention): audio-ports,
 * note-ports, state, params, render, latency, gui, log, thread-check and the
 * draft clap.webview/3.
 */
#ifndef DEEP_IMPROV_CLAP_EXT_H
#define DEEP_IMPROV_CLAP_EXT_H

#include "clap_abi.h"

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
