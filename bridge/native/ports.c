/* ports.c: the audio-ports and note-ports extensions (one stereo pass-through, one note in, one note out). */
#include <stdio.h>
#include <string.h>

#include "plugin.h"

/** [main-thread] */
static uint32_t audio_count(const clap_plugin_t *plugin, bool is_input) {
  (void)plugin;
  (void)is_input;
  return 1;
}

/** [main-thread] The main stereo port, paired in place with its twin. */
static bool audio_get(const clap_plugin_t *plugin, uint32_t index, bool is_input, clap_audio_port_info_t *info) {
  (void)plugin;
  if (index != 0) return false;
  memset(info, 0, sizeof *info);
  info->id = 0;
  snprintf(info->name, sizeof info->name, "%s", is_input ? "Audio In" : "Audio Out");
  info->flags = CLAP_AUDIO_PORT_IS_MAIN | CLAP_AUDIO_PORT_SUPPORTS_64BITS;
  info->channel_count = 2;
  info->port_type = CLAP_PORT_STEREO;
  info->in_place_pair = 0;
  return true;
}

const clap_plugin_audio_ports_t DI_AUDIO_PORTS = {audio_count, audio_get};

/** [main-thread] */
static uint32_t note_count(const clap_plugin_t *plugin, bool is_input) {
  (void)plugin;
  (void)is_input;
  return 1;
}

/** [main-thread] CLAP note events preferred, MIDI 1.0 accepted. */
static bool note_get(const clap_plugin_t *plugin, uint32_t index, bool is_input, clap_note_port_info_t *info) {
  (void)plugin;
  if (index != 0) return false;
  memset(info, 0, sizeof *info);
  info->id = 0;
  info->supported_dialects = CLAP_NOTE_DIALECT_CLAP | CLAP_NOTE_DIALECT_MIDI;
  info->preferred_dialect = CLAP_NOTE_DIALECT_CLAP;
  snprintf(info->name, sizeof info->name, "%s", is_input ? "Notes In" : "Notes Out");
  return true;
}

const clap_plugin_note_ports_t DI_NOTE_PORTS = {note_count, note_get};
