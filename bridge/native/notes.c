/* notes.c: the sounding-note tracker of notes.h. [audio-thread] */
#include "notes.h"

#include <string.h>

/** [audio-thread] */
notes_kind notes_classify(const uint8_t *data, uint8_t size) {
  if (size < 3) return NOTES_OTHER;
  const uint8_t status = data[0] & 0xf0;
  if (status == 0x90) return data[2] ? NOTES_ON : NOTES_OFF;
  if (status == 0x80) return NOTES_OFF;
  return NOTES_OTHER;
}

void notes_reset(notes *n) { memset(n, 0, sizeof *n); }

static bool valid(int channel, int key) { return channel >= 0 && channel < 16 && key >= 0 && key < 128; }

/** [audio-thread] */
bool notes_on(notes *n, int channel, int key) {
  if (!valid(channel, key)) return false;
  const bool was = n->on[channel][key] != 0;
  if (!was) {
    n->on[channel][key] = 1;
    n->count++;
  }
  return was;
}

/** [audio-thread] */
bool notes_off(notes *n, int channel, int key) {
  if (!valid(channel, key) || !n->on[channel][key]) return false;
  n->on[channel][key] = 0;
  n->count--;
  return true;
}

bool notes_sounding(const notes *n, int channel, int key) { return valid(channel, key) && n->on[channel][key]; }

/** [audio-thread] */
uint32_t notes_take_all(notes *n, uint8_t (*out)[2], uint32_t cap) {
  uint32_t k = 0;
  for (int c = 0; c < 16 && n->count; c++)
    for (int key = 0; key < 128 && n->count; key++)
      if (n->on[c][key] && k < cap) {
        out[k][0] = (uint8_t)c;
        out[k][1] = (uint8_t)key;
        k++;
        n->on[c][key] = 0;
        n->count--;
      }
  return k;
}
