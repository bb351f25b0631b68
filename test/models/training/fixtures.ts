/**
 * Writes tiny training fixtures into a temporary folder: drum and melody MIDI
 * files (nested folders, a Groove-style info.csv) and a JSB-form JSON file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { phrasesToMidi } from '../../../models/midi/io.ts';
import { grooveNotes, phraseOf, scaleNotes } from '../../helpers/models.ts';

/** Creates fixtures under `dir`; returns their paths. */
export function writeFixtures(dir: string): { drumsDir: string; grooveDir: string; melodyFile: string; jsbFile: string; drumFile: string } {
  const drumsDir = join(dir, 'drums');
  mkdirSync(join(drumsDir, 'nested', 'deeper'), { recursive: true });
  const groove = grooveNotes(4);
  writeFileSync(join(drumsDir, 'a.mid'), phrasesToMidi([phraseOf(groove, 16, 100)], 'drums'));
  // A variation: kick on every beat, played a little late.
  const fourFloor = groove.map((n) => (n.pitch === 38 ? { ...n, pitch: 36, startBeats: n.startBeats + 0.02 } : n));
  writeFileSync(join(drumsDir, 'nested', 'deeper', 'b.MID'), phrasesToMidi([phraseOf(fourFloor, 16, 120)], 'drums'));
  writeFileSync(join(drumsDir, 'nested', 'notes.txt'), 'not midi');

  const grooveDir = join(dir, 'groove');
  mkdirSync(join(grooveDir, 'd1'), { recursive: true });
  writeFileSync(join(grooveDir, 'd1', 'x.mid'), phrasesToMidi([phraseOf(groove, 16, 100)], 'drums'));
  writeFileSync(join(grooveDir, 'd1', 'y.mid'), phrasesToMidi([phraseOf(fourFloor, 16, 100)], 'drums'));
  writeFileSync(
    join(grooveDir, 'info.csv'),
    'drummer,session,id,style,bpm,beat_type,time_signature,midi_filename,audio_filename,duration,split\n' +
      'd1,d1/s,d1/s/1,rock,100,beat,4-4,d1/x.mid,d1/x.wav,10,train\n' +
      'd1,d1/s,d1/s/2,rock,100,beat,4-4,d1/y.mid,d1/y.wav,10,validation\n',
  );

  const melodyFile = join(dir, 'melody.mid');
  writeFileSync(melodyFile, phrasesToMidi([phraseOf(scaleNotes(4), 16, 90)], 'melody'));
  const drumFile = join(drumsDir, 'a.mid');

  const jsbFile = join(dir, 'jsb.json');
  const chorale = (root: number): number[][] => Array.from({ length: 64 }, (_, t) => [root + 12 + ((t >> 2) % 5), root + 7, root + 4, t % 16 < 12 ? root - 12 : -1]);
  writeFileSync(jsbFile, JSON.stringify({ train: [chorale(60), chorale(62)], valid: [chorale(57)] }));
  return { drumsDir, grooveDir, melodyFile, jsbFile, drumFile };
}
