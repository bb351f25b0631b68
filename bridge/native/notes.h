/*
 * notes.h: the sounding-note tracker (16 channels x 128 keys) of the notes
 * the bridge itself emitted, so it can end every one of them on stop, seek,
 * disconnect, panic and reset. Plain fixed-size state. [audio-thread]
 */
#ifndef DEEP_IMPROV_NOTES_H
#define DEEP_IMPROV_NOTES_H

#include <stdbool.h>
#include <stdint.h>

typedef struct notes {
  uint8_t on[16][128];
  uint32_t count; /* sounding notes */
} notes;

/** What a MIDI 1.0 message is to the tracker. */
typedef enum notes_kind { NOTES_OTHER = 0, NOTES_ON, NOTES_OFF } notes_kind;

/** Classifies `data` (note-on with velocity 0 is a note-off). */
notes_kind notes_classify(const uint8_t *data, uint8_t size);

void notes_reset(notes *n);
/** Marks a note sounding; returns true when it already was. */
bool notes_on(notes *n, int channel, int key);
/** Marks a note ended; returns true when it was sounding. */
bool notes_off(notes *n, int channel, int key);
bool notes_sounding(const notes *n, int channel, int key);
/**
 * Writes (channel, key) of every sounding note to `out` (room for `cap`
 * pairs), ends them all and returns how many were written. 16 x 128 pairs
 * always fit.
 */
uint32_t notes_take_all(notes *n, uint8_t (*out)[2], uint32_t cap);

#endif
