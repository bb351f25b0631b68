/**
 * What a captured latent-pad anchor holds, shown beside its corner: the
 * phrase it was captured from as a mini roll (an SVG: one bar per note,
 * time across, pitch up), with its note count, length and tempo in words.
 */
import { svg, html, type TemplateResult } from 'lit';
import type { Phrase } from './loop-host.ts';

/** Size of the mini roll, CSS pixels. */
const WIDTH = 148;
const HEIGHT = 56;

/** Where an anchor's phrase came from, in words ('captured from your phrase', 'from the preset'). */
export function phraseOrigin(phrase: Phrase): string {
  if (phrase.source === 'preset') return 'from the preset';
  if (phrase.source === 'file') return 'from a file';
  return 'captured from your phrase';
}

/** "12 notes · 2 bars · 120 BPM". */
export function phraseSummary(phrase: Phrase): string {
  const n = phrase.notes.length;
  const bars = phrase.lengthBeats / Math.max(1, phrase.beatsPerBar);
  const barsText = Number.isInteger(bars) ? String(bars) : bars.toFixed(1);
  return `${n} ${n === 1 ? 'note' : 'notes'} · ${barsText} ${bars === 1 ? 'bar' : 'bars'} · ${Math.round(phrase.tempoBpm)} BPM`;
}

/** The mini roll of `phrase`, with the summary under it. */
export function anchorPeek(label: string, phrase: Phrase): TemplateResult {
  const lengthBeats = Math.max(phrase.lengthBeats, ...phrase.notes.map((n) => n.startBeats + n.durationBeats), 1);
  let low = 127;
  let high = 0;
  for (const n of phrase.notes) {
    low = Math.min(low, n.pitch);
    high = Math.max(high, n.pitch);
  }
  if (low > high) [low, high] = [60, 72];
  // At least an octave tall, so three notes do not fill it with fat bars.
  if (high - low < 12) {
    const mid = (low + high) / 2;
    low = Math.floor(mid - 6);
    high = low + 12;
  }
  const rowHeight = HEIGHT / (high - low + 1);
  const beatLines = [];
  for (let beat = 0; beat <= lengthBeats; beat++) {
    const isBar = beat % Math.max(1, phrase.beatsPerBar) === 0;
    beatLines.push(svg`<line x1=${(beat / lengthBeats) * WIDTH} x2=${(beat / lengthBeats) * WIDTH} y1="0" y2=${HEIGHT} class=${isBar ? 'bar' : 'beat'}></line>`);
  }
  const notes = phrase.notes.map((n) => svg`<rect x=${(n.startBeats / lengthBeats) * WIDTH} y=${(high - n.pitch) * rowHeight}
    width=${Math.max(1.5, (n.durationBeats / lengthBeats) * WIDTH)} height=${Math.max(1.5, rowHeight - 0.5)} rx="0.5"></rect>`);
  return html`<div class="peek" role="tooltip">
    <div class="peek-title">${label}: ${phrase.source === 'preset' ? 'preset phrase' : phrase.source === 'file' ? 'phrase from a file' : 'your phrase'}</div>
    <svg class="mini-roll" width=${WIDTH} height=${HEIGHT} viewBox="0 0 ${WIDTH} ${HEIGHT}" data-notes=${phrase.notes.length} aria-hidden="true">
      ${beatLines}${notes}
    </svg>
    <div class="peek-summary">${phraseSummary(phrase)}</div>
  </div>`;
}
