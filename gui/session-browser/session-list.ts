/**
 * The session browser's list: one line per session (date, name, duration,
 * event counts, size, badges for recording, interrupted and imported, and a
 * `.mid` save button). A line opens the session on click or Enter, and drags
 * out as a `.mid` file; the file is prepared when the pointer reaches the
 * line or it gets focus.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { SessionSummary } from '../../plugin/gui-api.ts';
import { formatBytes, formatCounts, formatDate, formatDuration } from './format.ts';

/** What the list needs from the browser. */
export interface SessionListHandlers {
  /** The open session's id, if any (its line is selected). */
  openId: string | undefined;
  /** True while a task runs (the save buttons are disabled). */
  busy: boolean;
  open(summary: SessionSummary): void;
  prepare(summary: SessionSummary): void;
  dragStart(event: DragEvent, summary: SessionSummary): void;
  save(event: Event, summary: SessionSummary): void;
}

/** The list, or a line saying there is nothing yet. */
export function renderSessionList(sessions: readonly SessionSummary[], on: SessionListHandlers): TemplateResult {
  if (sessions.length === 0) return html`<p class="empty">No sessions recorded yet.</p>`;
  return html`
    <table class="sessions">
      <thead><tr><th>Date</th><th>Name</th><th>Duration</th><th>Events</th><th>Size</th><th></th><th></th></tr></thead>
      <tbody>
        ${sessions.map((s) => html`
          <tr class=${s.id === on.openId ? 'selected' : ''} data-id=${s.id} tabindex="0" draggable="true"
            title="Click to open; drag out as a .mid file"
            @click=${() => on.open(s)} @keydown=${(e: KeyboardEvent) => { if (e.key === 'Enter') on.open(s); }}
            @pointerenter=${() => on.prepare(s)} @focus=${() => on.prepare(s)} @dragstart=${(e: DragEvent) => on.dragStart(e, s)}>
            <td>${formatDate(s.startWallMs)}</td>
            <td class="name">${s.name}</td>
            <td class="duration">${formatDuration(s.durationS)}</td>
            <td>${formatCounts(s)}</td>
            <td>${formatBytes(s.storedBytes)}</td>
            <td class="badges">${s.state === 'closed' ? nothing : html`<span class="state ${s.state}">${s.state}</span>`}${s.importedWallMs !== undefined
              ? html`<span class="state imported" title="Imported ${formatDate(s.importedWallMs)}">imported</span>` : nothing}</td>
            <td><button class="save-mid" title="Save the notes as a .mid file" aria-label="Save ${s.name} as .mid" ?disabled=${on.busy}
              @click=${(e: Event) => on.save(e, s)} @keydown=${(e: KeyboardEvent) => e.stopPropagation()}>.mid</button></td>
          </tr>`)}
      </tbody>
    </table>
  `;
}
