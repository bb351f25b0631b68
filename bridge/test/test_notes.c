/* test_notes.c: the sounding-note tracker. */
#include "../native/notes.h"
#include "unit.h"

void test_notes(void) {
  notes n;
  notes_reset(&n);
  const uint8_t on[3] = {0x93, 60, 100}, on0[3] = {0x93, 60, 0}, off[3] = {0x83, 60, 0}, cc[3] = {0xb0, 7, 1};
  CHECK(notes_classify(on, 3) == NOTES_ON);
  CHECK(notes_classify(on0, 3) == NOTES_OFF); /* velocity 0 ends a note */
  CHECK(notes_classify(off, 3) == NOTES_OFF);
  CHECK(notes_classify(cc, 3) == NOTES_OTHER);
  CHECK(notes_classify(on, 2) == NOTES_OTHER);
  CHECK(!notes_on(&n, 3, 60));
  CHECK(notes_on(&n, 3, 60)); /* already sounding */
  CHECK(n.count == 1);
  CHECK(notes_sounding(&n, 3, 60));
  CHECK(!notes_sounding(&n, 2, 60));
  CHECK(!notes_on(&n, 16, 60) && !notes_on(&n, 0, 128) && !notes_on(&n, -1, 0)); /* out of range: ignored */
  CHECK(n.count == 1);
  CHECK(notes_off(&n, 3, 60));
  CHECK(!notes_off(&n, 3, 60));
  CHECK(n.count == 0);
  notes_on(&n, 0, 0);
  notes_on(&n, 15, 127);
  notes_on(&n, 9, 36);
  uint8_t list[16 * 128][2];
  const uint32_t k = notes_take_all(&n, list, 16 * 128);
  CHECK(k == 3);
  CHECK(list[0][0] == 0 && list[0][1] == 0);
  CHECK(list[1][0] == 9 && list[1][1] == 36);
  CHECK(list[2][0] == 15 && list[2][1] == 127);
  CHECK(n.count == 0 && !notes_sounding(&n, 9, 36));
  CHECK(notes_take_all(&n, list, 16 * 128) == 0);
}
