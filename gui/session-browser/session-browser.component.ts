/**
 * `<di-session-browser>`: the stored sessions of the session log. It lists
 * them (date, name, duration, event counts, size, state: recording,
 * interrupted or imported; a recording session's line keeps up while it
 * records); each line can be dragged out as a `.mid` file or saved as one
 * with a click. Opening a session shows its features over time (stacked
 * lanes on a canvas; pick which by their readable names), a piano roll with
 * time and pitch axes of the performer's notes (blue), the plugin's (orange)
 * and the notes detected from audio, and its markers (on both canvases and
 * as a list). A session can be exported as a bundle, CSV or .mid file
 * (downloaded; the .mid with or without the MIDI thru copies), replayed (a
 * `di-session-replay` event the host handles), renamed, or deleted after a
 * confirmation; a bundle file can be imported.
 *
 * It talks to the log only through a {@link SessionLogApi} (`api`), so the
 * plugin can back it by the worker. Every failure is shown under the list
 * and sent as `di-session-error`.
 *
 * Resources: the resize observer, the live-refresh timer, pending download
 * URLs and the prepared drag files are released when the element
 * disconnects (or on {@link DiSessionBrowser.dispose}).
 */
import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { spanNotes, type ExportFormat, type FeatureOverview, type LogLimits, type SessionLogApi, type SessionMeta, type SessionSummary, type SpanNote } from '../../plugin/gui-api.ts';
import { featureLabel } from '../../protocol/feature-labels.ts';
import { loopTheme } from '../loop/theme.ts';
import {
  SESSION_ERROR_EVENT, SESSION_EXPORTED_EVENT, SESSION_REPLAY_EVENT,
  type SessionErrorDetail, type SessionExportedDetail, type SessionReplayDetail,
} from './events.ts';
import { formatBytes, formatCounts, formatDate, formatDuration, formatOffset } from './format.ts';
import type { PlotMarker } from './plot.ts';
import type { RollModel } from './roll.ts';
import { paintSession } from './session-canvases.ts';
import { renderSessionList } from './session-list.ts';
import { LiveRefreshController } from './live-refresh.controller.ts';
import { MidiDragController } from './midi-drag.controller.ts';
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

export class DiSessionBrowser extends LitElement {
  static override styles = [loopTheme, sessionBrowserStyles];
  static override properties = {
    api: { attribute: false },
    sessions: { state: true },
    opened: { state: true },
    plotted: { state: true },
    mode: { state: true },
    limits: { state: true },
    includeThru: { state: true },
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
  /** Whether Export MIDI adds the MIDI thru copies as a track (default false). */
  protected includeThru = false;
  /** The roll as last drawn (its notes per lane and axes), or null. */
  roll: RollModel | null = null;
  /** Keeps the list current while a session records. */
  readonly live = new LiveRefreshController(this, () => this.refresh({ quiet: true }));
  /** The .mid files the list's lines are dragged out as. */
  readonly drags = new MidiDragController(this, (id) => this.requireApi().export(id, 'midi'));

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

  /** Releases the observer, the live-refresh timer and the drag files (the task controller releases download URLs on disconnect). Idempotent. */
  dispose(): void {
    this.release();
    this.live.hostDisconnected();
    this.drags.hostDisconnected();
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

  /**
   * Lists the sessions again (and keeps doing so while one records). Never rejects (a failure is shown).
   * @param options.quiet list without marking the browser busy (the live refresh).
   */
  async refresh(options: { quiet?: boolean } = {}): Promise<void> {
    const api = this.api;
    if (!api) {
      this.sessions = [];
      this.live.follow(false);
      return;
    }
    const list = async (): Promise<void> => {
      const sessions = await api.list();
      if (api !== this.api) return;
      this.sessions = sessions;
      this.limits = await api.limits();
      const opened = this.opened;
      const fresh = opened && sessions.find((s) => s.id === opened.summary.id);
      if (opened && !fresh) this.opened = null;
      else if (opened && fresh && (fresh.durationS !== opened.summary.durationS || fresh.state !== opened.summary.state)) this.opened = { ...opened, summary: fresh };
    };
    if (options.quiet) {
      try {
        await list();
      } catch {
        // A failed live refresh is retried by the next one; an explicit refresh shows the error.
      }
    } else {
      await this.run('list sessions', list);
    }
    this.live.follow(this.sessions.some((s) => s.state === 'recording'));
  }

  private requireApi(): SessionLogApi {
    if (!this.api) throw new Error('no session log is connected');
    return this.api;
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
      const file = await api.export(summary.id, format, format === 'midi' ? { includeThru: this.includeThru } : {});
      this.tasks.download(file.bytes, file.fileName, file.mimeType);
      this.tasks.info(`Saved ${file.fileName} (${formatBytes(file.bytes.length)}).`);
      this.dispatch<SessionExportedDetail>(SESSION_EXPORTED_EVENT, { sessionId: summary.id, format, fileName: file.fileName, byteLength: file.bytes.length });
    });
  }

  /** Saves a listed session's notes as .mid with one click (the file the line drags out as). */
  private async saveMidi(event: Event, summary: SessionSummary): Promise<void> {
    event.stopPropagation();
    await this.run('save the notes', async () => {
      const { file } = await this.drags.prepare(summary);
      this.tasks.download(file, file.name, file.type);
      this.tasks.info(`Saved ${file.name} (${formatBytes(file.size)}).`);
      this.dispatch<SessionExportedDetail>(SESSION_EXPORTED_EVENT, { sessionId: summary.id, format: 'midi', fileName: file.name, byteLength: file.size });
    });
  }

  /** Starts making a line's .mid file, so it is ready when a drag starts. */
  private prepareDrag(summary: SessionSummary): void {
    this.drags.prepare(summary).catch((error: unknown) => {
      this.tasks.error(`Could not prepare ${summary.name}'s notes: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  private dragStart(event: DragEvent, summary: SessionSummary): void {
    const prepared = this.drags.start(event, summary);
    if (prepared) {
      this.dispatch<SessionExportedDetail>(SESSION_EXPORTED_EVENT, { sessionId: summary.id, format: 'midi', fileName: prepared.file.name, byteLength: prepared.file.size });
      return;
    }
    this.tasks.info(`The notes of “${summary.name}” are being prepared; drag again in a moment.`);
    this.prepareDrag(summary);
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
    if (this.opened) this.roll = paintSession(this.renderRoot, this.opened, this.plotted) ?? this.roll;
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
    return renderSessionList(this.sessions, {
      openId: this.opened?.summary.id, busy: this.tasks.busy,
      open: (s) => void this.open(s.id), prepare: (s) => this.prepareDrag(s),
      dragStart: (e, s) => this.dragStart(e, s), save: (e, s) => void this.saveMidi(e, s),
    });
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
          <label class="option" title="Add the copies of the input that MIDI thru re-emitted as a track of their own">
            <input type="checkbox" .checked=${this.includeThru} @change=${(e: Event) => { this.includeThru = (e.target as HTMLInputElement).checked; }} />with MIDI thru
          </label>
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
            ${o.overview.names.map((name, i) => html`<option value=${i} title=${name} ?selected=${this.plotted.includes(i)}>${featureLabel(name)}</option>`)}
          </select>
        </div>
        <canvas class="features" aria-label="Features over time"></canvas>
        <div class="plot-head">
          <span>Notes</span>
          <span class="legend"><i class="performer"></i>performer <i class="plugin"></i>Deep Improv <i class="detected"></i>detected from audio</span>
        </div>
        <canvas class="roll" aria-label="Piano roll of the performer's and the plugin's notes (time in seconds, pitch)"></canvas>
        ${o.markers.length > 0 ? html`
          <ol class="markers">
            ${o.markers.map((m) => html`<li><span class="time">${formatOffset(m.timeS)}</span> ${m.label}</li>`)}
          </ol>` : html`<p class="muted">No markers.</p>`}
      </section>
    `;
  }
}
