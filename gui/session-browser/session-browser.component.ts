/**
 * `<di-session-browser>`: the stored sessions of the session log. It lists
 * them (date, name, duration, event counts, size, state); opening one shows
 * its features over time (stacked lanes on a canvas; pick which), a piano
 * roll of the MIDI input, MIDI output and detected notes, and its markers
 * (on both canvases and as a list). A session can be exported as a bundle,
 * CSV or .mid file (downloaded), replayed (a `di-session-replay` event the
 * host handles), renamed, or deleted after a confirmation; a bundle file can
 * be imported.
 *
 * It talks to the log only through a {@link SessionLogApi} (`api`), so the
 * plugin can back it by the worker. Every failure is shown under the list
 * and sent as `di-session-error`.
 *
 * Resources: the resize observer and pending download URLs are released
 * when the element disconnects (or on {@link DiSessionBrowser.dispose}).
 */
import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { spanNotes, type ExportFormat, type FeatureOverview, type LogLimits, type SessionLogApi, type SessionMeta, type SessionSummary, type SpanNote } from '../../plugin/gui-api.ts';
import { LOOP_COLOURS, loopTheme } from '../loop/theme.ts';
import {
  SESSION_ERROR_EVENT, SESSION_EXPORTED_EVENT, SESSION_REPLAY_EVENT,
  type SessionErrorDetail, type SessionExportedDetail, type SessionReplayDetail,
} from './events.ts';
import { formatBytes, formatCounts, formatDate, formatDuration, formatOffset } from './format.ts';
import { drawFeatureLanes, drawMarkers, drawPianoRoll, type PlotColours, type PlotMarker } from './plot.ts';
import { sessionBrowserStyles } from './session-browser.styles.ts';
import { TaskStatusController } from '../shared/task-status.controller.ts';

/** The inline form open on the selected session, if any. */
type Mode = 'idle' | 'renaming' | 'deleting';

/** What is shown for the open session. */
interface OpenSession {
  summary: SessionSummary;
  meta: SessionMeta;
  overview: FeatureOverview;
  notes: SpanNote[];
  markers: PlotMarker[];
}

/** Buckets of the feature overview (about one per CSS pixel of a wide panel). */
const OVERVIEW_BUCKETS = 800;
/** Features plotted when a session opens, when it has them. */
const DEFAULT_FEATURES = ['rms', 'centroid_hz', 'flux', 'onset_strength'];

const PLOT_COLOURS: PlotColours = {
  background: LOOP_COLOURS.well,
  grid: LOOP_COLOURS.line,
  text: LOOP_COLOURS.muted,
  marker: LOOP_COLOURS.warn,
  lanes: [LOOP_COLOURS.performer, LOOP_COLOURS.ok, LOOP_COLOURS.response, LOOP_COLOURS.accent, LOOP_COLOURS.armed],
  notes: { in: LOOP_COLOURS.performer, out: LOOP_COLOURS.response, detected: LOOP_COLOURS.faint },
};

export class DiSessionBrowser extends LitElement {
  static override styles = [loopTheme, sessionBrowserStyles];
  static override properties = {
    api: { attribute: false },
    sessions: { state: true },
    opened: { state: true },
    plotted: { state: true },
    mode: { state: true },
    limits: { state: true },
  };

  /** Where the sessions come from. Default null (the browser then says no log is connected). */
  api: SessionLogApi | null = null;

  /** Sessions as last listed, newest first. */
  protected sessions: SessionSummary[] = [];
  /** The open session, or null. */
  protected opened: OpenSession | null = null;
  /** Indices of the features plotted. */
  protected plotted: number[] = [];
  protected mode: Mode = 'idle';
  /** Busy flag (buttons are disabled while a request runs), message line and downloads. */
  readonly tasks = new TaskStatusController(this);
  /** The log's limits (what retention keeps), once known. */
  protected limits: LogLimits | null = null;

  private resizeObserver: ResizeObserver | null = null;
  /** Bumped by every open, so a slow load cannot replace a newer one. */
  private openGeneration = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    if (typeof ResizeObserver === 'function' && !this.resizeObserver) {
      this.resizeObserver = new ResizeObserver(() => this.draw());
      this.resizeObserver.observe(this);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.release();
  }

  /** Releases the observer (the task controller releases download URLs on disconnect). Idempotent. */
  dispose(): void {
    this.release();
    this.api = null;
  }

  private release(): void {
    this.resizeObserver?.disconnect();
    this.resizeObserver = null;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('api')) {
      this.opened = null;
      void this.refresh();
    }
    this.draw();
  }

  /** Lists the sessions again. Never rejects (a failure is shown). */
  async refresh(): Promise<void> {
    const api = this.api;
    if (!api) {
      this.sessions = [];
      return;
    }
    await this.run('list sessions', async () => {
      this.sessions = await api.list();
      this.limits = await api.limits();
      if (this.opened && !this.sessions.some((s) => s.id === this.opened?.summary.id)) this.opened = null;
    });
  }

  /** Opens a session: loads its feature overview, notes and markers. Never rejects. */
  async open(sessionId: string): Promise<void> {
    const api = this.api;
    if (!api) return;
    const generation = ++this.openGeneration;
    this.mode = 'idle';
    await this.run('open the session', async () => {
      const [overview, detail] = await Promise.all([
        api.overview(sessionId, OVERVIEW_BUCKETS),
        api.read(sessionId, { kinds: ['midi', 'note', 'marker'] }),
      ]);
      if (generation !== this.openGeneration) return;
      const start = detail.meta.audioStartTimeS;
      const markers: PlotMarker[] = [];
      for (const r of detail.records) {
        if (r.kind === 'marker') markers.push({ timeS: r.audioTimeS - start, label: r.label, ...(r.color ? { color: r.color } : {}) });
      }
      this.opened = {
        summary: detail.summary,
        meta: detail.meta,
        overview,
        notes: spanNotes(detail.records, start + detail.summary.durationS),
        markers,
      };
      const names = overview.names;
      const preferred = DEFAULT_FEATURES.map((n) => names.indexOf(n)).filter((i) => i >= 0);
      this.plotted = preferred.length > 0 ? preferred : names.slice(0, 4).map((_, i) => i);
    });
  }

  /** Runs an action with the busy flag set, showing and dispatching its error. */
  private run(action: string, body: () => Promise<void>): Promise<boolean> {
    return this.tasks.run(`Could not ${action}`, body, (message) => this.dispatch<SessionErrorDetail>(SESSION_ERROR_EVENT, { action, message }));
  }

  private dispatch<T>(type: string, detail: T): void {
    this.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
  }

  private async exportAs(format: ExportFormat): Promise<void> {
    const api = this.api;
    const summary = this.opened?.summary;
    if (!api || !summary) return;
    await this.run(`export ${format === 'bundle' ? 'the session' : format === 'csv' ? 'the features' : 'the notes'}`, async () => {
      const file = await api.export(summary.id, format);
      this.tasks.download(file.bytes, file.fileName, file.mimeType);
      this.tasks.info(`Saved ${file.fileName} (${formatBytes(file.bytes.length)}).`);
      this.dispatch<SessionExportedDetail>(SESSION_EXPORTED_EVENT, { sessionId: summary.id, format, fileName: file.fileName, byteLength: file.bytes.length });
    });
  }

  private replay(): void {
    const summary = this.opened?.summary;
    if (!summary) return;
    this.dispatch<SessionReplayDetail>(SESSION_REPLAY_EVENT, { sessionId: summary.id });
    this.tasks.info(`Replaying “${summary.name}”.`);
  }

  private async rename(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const api = this.api;
    const summary = this.opened?.summary;
    const input = (event.target as HTMLFormElement).elements.namedItem('name') as HTMLInputElement | null;
    if (!api || !summary || !input) return;
    const name = input.value.trim();
    if (name === '') {
      this.tasks.error('A session name cannot be empty.');
      return;
    }
    const ok = await this.run('rename the session', async () => {
      await api.rename(summary.id, name);
    });
    if (!ok) return;
    this.mode = 'idle';
    this.tasks.info(`Renamed to “${name}”.`);
    await this.refresh();
    const fresh = this.sessions.find((s) => s.id === summary.id);
    if (fresh && this.opened) this.opened = { ...this.opened, summary: fresh };
  }

  private async confirmDelete(): Promise<void> {
    const api = this.api;
    const summary = this.opened?.summary;
    if (!api || !summary) return;
    const ok = await this.run('delete the session', async () => {
      await api.delete(summary.id);
    });
    this.mode = 'idle';
    if (!ok) return;
    this.opened = null;
    this.tasks.info(`Deleted “${summary.name}”.`);
    await this.refresh();
  }

  private async importFile(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    const api = this.api;
    if (!file || !api) return;
    let sessionId = '';
    const ok = await this.run(`import ${file.name}`, async () => {
      const result = await api.import(new Uint8Array(await file.arrayBuffer()));
      sessionId = result.sessionId;
    });
    if (!ok) return;
    this.tasks.info(`Imported ${file.name}.`);
    await this.refresh();
    await this.open(sessionId);
  }

  private choosePlotted(event: Event): void {
    const select = event.target as HTMLSelectElement;
    this.plotted = Array.from(select.selectedOptions, (o) => Number(o.value)).slice(0, 6);
  }

  /** Draws the canvases of the open session at the current size. */
  private draw(): void {
    const opened = this.opened;
    if (!opened) return;
    const durationS = opened.summary.durationS;
    const paint = (selector: string, body: (ctx: CanvasRenderingContext2D, width: number, height: number) => void): void => {
      const canvas = this.renderRoot.querySelector<HTMLCanvasElement>(selector);
      const ctx = canvas?.getContext('2d');
      if (!canvas || !ctx) return;
      const ratio = globalThis.devicePixelRatio || 1;
      const width = canvas.clientWidth || 600;
      const height = canvas.clientHeight || 120;
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      body(ctx, width, height);
    };
    paint('canvas.features', (ctx, width, height) => {
      drawFeatureLanes(ctx, opened.overview, this.plotted, { width, height }, PLOT_COLOURS);
      drawMarkers(ctx, opened.markers, durationS, { width, height }, PLOT_COLOURS);
    });
    paint('canvas.roll', (ctx, width, height) => {
      drawPianoRoll(ctx, opened.notes, opened.meta.audioStartTimeS, durationS, { width, height }, PLOT_COLOURS);
      drawMarkers(ctx, opened.markers, durationS, { width, height }, PLOT_COLOURS);
    });
  }

  protected override render(): TemplateResult {
    return html`
      <div class="toolbar">
        <strong>Sessions</strong>
        <button @click=${() => void this.refresh()} ?disabled=${this.tasks.busy || !this.api}>Refresh</button>
        <label class="import ${this.tasks.busy || !this.api ? 'disabled' : ''}">
          Import…<input type="file" accept=".dilog,application/octet-stream" @change=${(e: Event) => void this.importFile(e)} ?disabled=${this.tasks.busy || !this.api} />
        </label>
      </div>
      ${this.api ? this.renderList() : html`<p class="empty">No session log is connected.</p>`}
      ${this.api && this.limits ? html`<p class="muted limits">The log ${this.limits.retentionText}.</p>` : nothing}
      ${this.tasks.renderMessage()}
      ${this.opened ? this.renderOpened(this.opened) : nothing}
    `;
  }

  private renderList(): TemplateResult {
    if (this.sessions.length === 0) return html`<p class="empty">No sessions recorded yet.</p>`;
    const openId = this.opened?.summary.id;
    return html`
      <table class="sessions">
        <thead><tr><th>Date</th><th>Name</th><th>Duration</th><th>Events</th><th>Size</th><th></th></tr></thead>
        <tbody>
          ${this.sessions.map((s) => html`
            <tr class=${s.id === openId ? 'selected' : ''} data-id=${s.id} tabindex="0"
              @click=${() => void this.open(s.id)} @keydown=${(e: KeyboardEvent) => { if (e.key === 'Enter') void this.open(s.id); }}>
              <td>${formatDate(s.startWallMs)}</td>
              <td class="name">${s.name}</td>
              <td>${formatDuration(s.durationS)}</td>
              <td>${formatCounts(s)}</td>
              <td>${formatBytes(s.storedBytes)}</td>
              <td>${s.state === 'closed' ? nothing : html`<span class="state ${s.state}">${s.state}</span>`}</td>
            </tr>`)}
        </tbody>
      </table>
    `;
  }

  private renderOpened(o: OpenSession): TemplateResult {
    const s = o.summary;
    return html`
      <section class="detail" aria-label="Session ${s.name}">
        <header>
          <h3>${s.name}</h3>
          <span class="muted">${formatDate(s.startWallMs)} · ${formatDuration(s.durationS)} · ${formatCounts(s)} · ${formatBytes(s.storedBytes)}${s.droppedRecords > 0 ? ` · ${s.droppedRecords} records lost` : ''}${s.importedWallMs !== undefined ? ` · imported ${formatDate(s.importedWallMs)}` : ''}</span>
        </header>
        <div class="actions">
          <button @click=${() => void this.exportAs('bundle')} ?disabled=${this.tasks.busy}>Export session</button>
          <button @click=${() => void this.exportAs('csv')} ?disabled=${this.tasks.busy}>Export CSV</button>
          <button @click=${() => void this.exportAs('midi')} ?disabled=${this.tasks.busy}>Export MIDI</button>
          <button @click=${() => this.replay()} ?disabled=${this.tasks.busy}>Replay</button>
          <button @click=${() => { this.mode = 'renaming'; }} ?disabled=${this.tasks.busy}>Rename</button>
          <button class="danger" @click=${() => { this.mode = 'deleting'; }} ?disabled=${this.tasks.busy}>Delete</button>
        </div>
        ${this.mode === 'renaming' ? html`
          <form class="inline" @submit=${(e: SubmitEvent) => void this.rename(e)}>
            <input name="name" type="text" .value=${s.name} maxlength=${this.limits?.maxNameLength ?? 200} aria-label="New name" />
            <button type="submit" ?disabled=${this.tasks.busy}>Save name</button>
            <button type="button" @click=${() => { this.mode = 'idle'; }}>Cancel</button>
          </form>` : nothing}
        ${this.mode === 'deleting' ? html`
          <div class="inline confirm" role="alertdialog" aria-label="Confirm delete">
            <span>Delete “${s.name}” and all its records? This cannot be undone.</span>
            <button class="danger" @click=${() => void this.confirmDelete()} ?disabled=${this.tasks.busy}>Delete for good</button>
            <button @click=${() => { this.mode = 'idle'; }}>Cancel</button>
          </div>` : nothing}
        <div class="plot-head">
          <span>Features</span>
          <select multiple size="4" aria-label="Features to plot" @change=${(e: Event) => this.choosePlotted(e)}>
            ${o.overview.names.map((name, i) => html`<option value=${i} ?selected=${this.plotted.includes(i)}>${name}</option>`)}
          </select>
        </div>
        <canvas class="features" aria-label="Features over time"></canvas>
        <div class="plot-head">
          <span>Notes</span>
          <span class="legend"><i class="in"></i>MIDI in <i class="out"></i>MIDI out <i class="detected"></i>detected from audio</span>
        </div>
        <canvas class="roll" aria-label="Piano roll of input and output"></canvas>
        ${o.markers.length > 0 ? html`
          <ol class="markers">
            ${o.markers.map((m) => html`<li><span class="time">${formatOffset(m.timeS)}</span> ${m.label}</li>`)}
          </ol>` : html`<p class="muted">No markers.</p>`}
      </section>
    `;
  }
}
