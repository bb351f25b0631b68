/**
 * A generated answer as a `.mid` clip the musician takes away: dragged out
 * of the roll (into a DAW, a file manager or a web DAW) or saved with a
 * click. The bytes come from the plugin's public `phraseToMidi`.
 *
 * A drag carries the clip two ways, as web sample libraries do: Chromium's
 * `DownloadURL` (`audio/midi:<name>:<blob url>`), which native drop targets
 * receive as a file, and the `File` itself in `dataTransfer.items`, which
 * web drop targets read (browsers that refuse adding files during a drag
 * skip it).
 */
import { phraseToMidi, PHRASE_MIDI_MIME_TYPE } from '../../plugin/gui-api.ts';
import type { Phrase } from './loop-host.ts';

/** The file name of answer `id` ('deep-improv-answer-3.mid'). */
export function answerFileName(id: number): string {
  return `deep-improv-answer-${id}.mid`;
}

/**
 * The `.mid` file of an answer.
 * @param drums true for a drum answer (written on channel 10).
 */
export function answerMidiFile(phrase: Phrase, id: number, drums: boolean): File {
  const bytes = phraseToMidi(phrase, { name: `Deep Improv answer ${id}`, drums });
  return new File([bytes as Uint8Array<ArrayBuffer>], answerFileName(id), { type: PHRASE_MIDI_MIME_TYPE });
}

/**
 * Puts `file` on a drag: the DownloadURL (pointing at `url`, a blob URL of
 * the file the caller keeps alive until the drop), the file item and its
 * name as text.
 */
export function putClipOnDrag(transfer: DataTransfer, file: File, url: string): void {
  transfer.effectAllowed = 'copy';
  transfer.setData('DownloadURL', `${file.type}:${file.name}:${url}`);
  transfer.setData('text/plain', file.name);
  try {
    transfer.items.add(file);
  } catch {
    // Some browsers allow only strings during a drag; the DownloadURL still carries the clip.
  }
}

/** Saves `file` through the browser's download (a temporary link with `download`), from a blob URL the caller revokes later. */
export function downloadClip(file: File, url: string, parent: Node): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = file.name;
  link.hidden = true;
  parent.appendChild(link);
  link.click();
  link.remove();
}
