/**
 * `<deep-improv-gui>`: the plugin's GUI root. A header with the status of the
 * processor, the worker and the session log and a marker button (Panic sits
 * beside Arm in the Play tab, the one place it lives); the preset bar; and tabs: Play (the improvisation loop), Listen (live audio
 * analysis) and Sessions (the session browser). Each tab's components load
 * when first shown and then stay (hidden while another tab shows), so a tab
 * switch loses nothing. It talks only to the node's public API.
 */
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import type { DeepImprovNode, PartStatus, PluginStatus } from '../../plugin/gui-api.ts';
import type { LogStatusReport } from '../../protocol/node-worker.ts';
import { countRejected, type ProcessorCounters } from '../../protocol/node-processor.ts';
import { layoutStyles, rootStyles } from './root.styles.ts';
import '../presets/preset-bar.ts';

/** The tabs, in order. */
export const TABS = ['play', 'listen', 'sessions'] as const;
export type Tab = (typeof TABS)[number];

const TAB_LABELS: Record<Tab, string> = { play: 'Play', listen: 'Listen', sessions: 'Sessions' };

/** Loads a tab's custom elements (each once per page). */
const TAB_MODULES: Record<Tab, () => Promise<unknown>> = {
  play: () => import('../loop/loop-panel.ts'),
  listen: () => import('../features/feature-view.ts'),
  sessions: () => import('../session-browser/session-browser.ts'),
};

export class DeepImprovGui extends LitElement {
  static override styles = [rootStyles, layoutStyles];
  static override properties = {
    status: { state: true },
    logStatus: { state: true },
    counters: { state: true },
    tab: { state: true },
    loaded: { state: true },
    note: { state: true },
  };

  /** The node this GUI controls; set before the element is connected. */
  node: DeepImprovNode | null = null;
  protected status: PluginStatus = { processor: 'loading', worker: 'loading', missingModels: {}, message: '' };
  protected logStatus: LogStatusReport = { state: 'off', message: '', sessionId: undefined };
  /** The processor's problem counters, once it has reported any. */
  protected counters: ProcessorCounters | null = null;
  protected tab: Tab = 'play';
  /** Tabs whose components have loaded. */
  protected loaded = new Set<Tab>();
  /** A short confirmation (e.g. "Marker added"), or ''. */
  protected note = '';
  private unsubscribers: (() => void)[] = [];
  private noteTimer: ReturnType<typeof setTimeout> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    const node = this.node;
    if (node && this.unsubscribers.length === 0) {
      this.unsubscribers.push(
        node.onStatus((s) => { this.status = s; }),
        node.onLogStatus((s) => { this.logStatus = s; }),
        node.onProcessorCounters((c) => { this.counters = c; }),
        // Live analysis goes to the feature view while the Listen tab shows it.
        node.onFeatures((batch) => {
          if (this.tab !== 'listen') return;
          const view = this.renderRoot.querySelector('di-feature-view') as (HTMLElement & { push(b: typeof batch): void }) | null;
          view?.push(batch);
        }),
      );
    }
    void this.show(this.tab);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.release();
  }

  /** Releases every listener; the element can be dropped afterwards. */
  dispose(): void {
    this.release();
    this.node = null;
  }

  private release(): void {
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    this.unsubscribers = [];
    clearTimeout(this.noteTimer);
  }

  /** Shows a tab, loading its components first. */
  async show(tab: Tab): Promise<void> {
    this.tab = tab;
    if (this.loaded.has(tab)) return;
    try {
      await TAB_MODULES[tab]();
      this.loaded = new Set([...this.loaded, tab]);
    } catch (error) {
      this.flash(`This view could not load: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * Opens a preset shared as a link or string through the preset bar, which
   * then names it in its menu (hosts call this for the link their page was
   * opened with).
   * @returns Whether it was applied; when not, the preset bar says why and the plugin is unchanged.
   */
  async openSharedPreset(text: string): Promise<boolean> {
    await this.updateComplete;
    const bar = this.renderRoot.querySelector('di-preset-bar') as (HTMLElement & { openShareInput(t: string): Promise<boolean> }) | null;
    if (!bar) return false;
    await customElements.whenDefined('di-preset-bar');
    return bar.openShareInput(text);
  }

  private flash(text: string): void {
    this.note = text;
    clearTimeout(this.noteTimer);
    this.noteTimer = setTimeout(() => { this.note = ''; }, 2500);
  }

  private async addMarker(): Promise<void> {
    try {
      await this.node?.addMarker(`Marker ${new Date().toLocaleTimeString()}`);
      this.flash('Marker added to the session log');
    } catch (error) {
      this.flash(`No marker: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    // The session browser reads the log through the node.
    const browser = this.renderRoot.querySelector('di-session-browser') as (HTMLElement & { api: unknown }) | null;
    if (browser && this.node && !browser.dataset.bound) {
      browser.dataset.bound = '1';
      void this.node.sessionLog().then((api) => { browser.api = api; })
        .catch((e) => this.flash(`The session log is unavailable: ${e instanceof Error ? e.message : String(e)}`));
      browser.addEventListener('di-session-replay', (e) => {
        this.node?.replay(e.detail.sessionId);
        this.flash('Replaying the session through the plugin');
      });
    }
  }

  /** One status entry: a coloured dot (`state`: ready, loading, warning or error) and its words. */
  private partStatus(label: string, state: PartStatus, text: string = state) {
    return html`<span class="part" data-part=${label.toLowerCase()} data-state=${state}><span class="dot ${state}"></span>${label}: ${text}</span>`;
  }

  /** The processor's state, with what it absorbed (refused events, errors), e.g. "ready · 3 bad events dropped". */
  private processorText(state: PluginStatus['processor']): string {
    const c = this.counters;
    if (!c) return state;
    const rejected = countRejected(c);
    const errors = c.processErrors + c.messageErrors;
    return `${state}${rejected > 0 ? ` · ${rejected} bad event${rejected === 1 ? '' : 's'} dropped` : ''}${errors > 0 ? ` · ${errors} error${errors === 1 ? '' : 's'} absorbed` : ''}`;
  }

  /**
   * Every tab that has loaded stays in the page, the inactive ones hidden, so
   * switching tabs keeps what each shows (the piano roll's notes, the pad's
   * trail, the open session) and the views keep following the node meanwhile.
   * One fixed slot per tab keeps each view's element across renders.
   */
  private renderTabs() {
    const panels = TABS.map((t) => (this.loaded.has(t)
      ? html`<section class="tab" data-tab=${t} role="tabpanel" ?hidden=${t !== this.tab}>${this.renderPanel(t)}</section>`
      : nothing));
    return html`${panels}${this.loaded.has(this.tab) ? nothing : html`<section class="tab"><div class="loading">Loading…</div></section>`}`;
  }

  private renderPanel(tab: Tab) {
    switch (tab) {
      case 'play':
        return html`<di-loop-panel .node=${this.node}></di-loop-panel>`;
      case 'listen':
        return html`<di-feature-view></di-feature-view>`;
      case 'sessions':
        return html`<di-session-browser></di-session-browser>`;
    }
  }

  override render() {
    const s = this.status;
    const log = this.logStatus;
    const logState: 'ready' | 'loading' | 'error' = log.state === 'ok' ? 'ready' : log.state === 'off' ? 'loading' : 'error';
    return html`
      <header>
        <h1>Deep Improv</h1>
        <div class="status" role="status" aria-live="polite">
          ${this.partStatus('Processor', s.processor, this.processorText(s.processor))}${this.partStatus('Worker', s.worker, workerText(s))}${this.partStatus('Log', logState, logState === 'ready' ? 'recording' : log.state)}
        </div>
        <span class="spacer"></span>
        <button @click=${() => this.addMarker()} title="Add a marker to the session log now">Marker</button>
      </header>
      ${s.message ? html`<div class="message ${s.worker === 'warning' ? 'warning' : ''}" role=${s.worker === 'error' ? 'alert' : 'status'}>${s.message}</div>` : nothing}
      ${log.state === 'degraded-memory' || log.state === 'failed'
        ? html`<div class="message warning" role="alert">Session log: ${log.message || log.state}. The plugin keeps playing.</div>` : nothing}
      ${this.note ? html`<div class="note">${this.note}</div>` : nothing}
      <di-preset-bar .presets=${this.node?.presets ?? null}></di-preset-bar>
      <nav role="tablist">
        ${TABS.map((t) => html`<button role="tab" aria-selected=${t === this.tab} class=${t === this.tab ? 'active' : ''} @click=${() => this.show(t)}>${TAB_LABELS[t]}</button>`)}
      </nav>
      ${this.renderTabs()}
    `;
  }
}

/** The worker's words in the header: a warning names the models that are missing. */
function workerText(status: PluginStatus): string {
  if (status.worker !== 'warning') return status.worker;
  const names = Object.keys(status.missingModels);
  return names.length ? `running without ${names.join(' and ')}` : 'warning';
}
