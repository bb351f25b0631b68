/**
 * `<di-loop-panel>`: the GUI of the live improvisation loop. The mode
 * selector, model, hardware MIDI output, Arm and Panic on top; the latent pad
 * and the piano roll in the middle; every other parameter below, as controls
 * generated from the parameter table (`protocol/parameters.ts`), in groups.
 *
 * It talks only to `node` (a {@link LoopHost}, which `DeepImprovNode`
 * satisfies): values are read when it connects and polled at 4 Hz for host
 * automation ({@link ParameterSync}); user changes are written in plain units;
 * the anchors are read from `getState()` on connect, after a capture and every
 * 2 s (a loaded preset changes them). Everything it holds (node listeners,
 * timers, animation frames, pointer captures) is released on disconnect.
 */
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { KEY_LOCKS, MODEL_NAMES, PARAMETERS, parameterSpec, type ParameterSpec } from '../../protocol/parameters.ts';
import { CAPTURE_ANCHOR_EVENT, LOOP_ACTIVITY_EVENT, MIDI_INPUTS_EVENT, PARAM_CHANGE_EVENT, type CaptureAnchorDetail, type ParamChangeDetail } from './events.ts';
import type { LoopActivityState } from './loop-activity.ts';
import type { LoopHost, LoopHostAnchor } from './loop-host.ts';
import { loopPanelStyles } from './loop-panel.styles.ts';
import { ParameterSync } from './parameter-sync.ts';
import { loopTheme } from './theme.ts';
import './latent-pad.ts';
import './midi-devices.ts';
import './midi-inputs.ts';
import './mode-selector.ts';
import './param-control.ts';
import './piano-roll.ts';

/** The control groups below the pad and roll, by parameter id (ranges and labels come from the table). */
export const CONTROL_GROUPS: readonly { title: string; ids: readonly string[] }[] = [
  { title: 'Response', ids: ['temperature', 'variation', 'reply', 'density', 'responseBars', 'humanize'] },
  { title: 'Key & range', ids: ['keyLock', 'keyRoot', 'scale', 'pitchLow', 'pitchHigh'] },
  { title: 'MIDI', ids: ['inputChannel', 'midiChannel', 'midiThru', 'midiOutLatency'] },
  { title: 'Time & input', ids: ['syncSource', 'tempo', 'followTempo', 'silenceGap', 'features'] },
];

/** Parameters with a control of their own above the groups. */
const OWN_CONTROLS = new Set(['mode', 'model', 'armed', 'padX', 'padY']);

/** The state pill's words and hover text, by state. */
const ACTIVITY_LABELS: Record<LoopActivityState, { text: string; title: string }> = {
  off: { text: 'Output off', title: 'Not armed: Deep Improv listens but plays nothing' },
  waiting: { text: 'Your turn', title: 'Armed and waiting for you to play' },
  listening: { text: 'Listening', title: 'Recording your phrase' },
  thinking: { text: 'Thinking…', title: 'Your phrase went to the model; waiting for its answer' },
  answering: { text: 'Answering', title: 'Playing Deep Improv\'s answer' },
};

/** Milliseconds between anchor refreshes. */
const ANCHOR_REFRESH_MS = 2000;

/** Value formats that read better than the generic one. */
const FORMATS: Record<string, (value: number) => string> = {
  inputChannel: (v) => (v === 0 ? 'all' : String(v)),
  responseBars: (v) => {
    const bars = parameterSpec('responseBars')?.choices?.[v] ?? String(v);
    return `${bars} ${bars === '1' ? 'bar' : 'bars'}`;
  },
};

export class DiLoopPanel extends LitElement {
  static override styles = [loopTheme, loopPanelStyles];
  static override properties = {
    node: { attribute: false },
    anchors: { state: true },
    midiOutputId: { state: true },
    midiInputIds: { state: true },
    capturing: { state: true },
    message: { state: true },
    activity: { state: true },
  };

  /** The node this panel controls; null shows defaults and talks to nothing. */
  node: LoopHost | null = null;
  protected anchors: readonly LoopHostAnchor[] = [];
  protected midiOutputId: string | null = null;
  protected midiInputIds: readonly string[] = [];
  protected capturing = -1;
  /** The last problem, in words, or ''. */
  message = '';
  /** What the plugin is doing, as the piano roll reports it. */
  activity: LoopActivityState = 'off';

  /** Parameter values, read from and written to the node. */
  readonly sync = new ParameterSync(this, () => this.node, { onError: (m) => { this.syncMessage = m; this.requestUpdate(); } });
  private syncMessage = '';
  private anchorTimer: ReturnType<typeof setInterval> | null = null;
  private boundNode: LoopHost | null = null;
  /** Bumped on each choice in the MIDI-input picker, so state answers read before it do not undo it. */
  private inputEdits = 0;
  /** Bumped on disconnect, so state answers arriving after it are dropped. */
  private generation = 0;

  constructor() {
    super();
    this.addEventListener(PARAM_CHANGE_EVENT, (e) => this.onParamChange(e.detail));
    this.addEventListener(CAPTURE_ANCHOR_EVENT, (e) => void this.capture(e.detail));
    this.addEventListener(LOOP_ACTIVITY_EVENT, (e) => { this.activity = e.detail.state; });
    this.addEventListener(MIDI_INPUTS_EVENT, (e) => { this.midiInputIds = e.detail.ids; this.inputEdits++; });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.bindNode();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unbindNode();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('node') && this.isConnected && this.node !== this.boundNode) {
      this.unbindNode();
      this.bindNode();
      this.sync.start();
    }
  }

  private bindNode(): void {
    this.boundNode = this.node;
    if (!this.node) return;
    void this.refreshState();
    this.anchorTimer = setInterval(() => void this.refreshState(), ANCHOR_REFRESH_MS);
  }

  private unbindNode(): void {
    if (this.anchorTimer !== null) clearInterval(this.anchorTimer);
    this.anchorTimer = null;
    this.boundNode = null;
    this.generation++;
  }

  private async refreshState(): Promise<void> {
    const node = this.node;
    if (!node) return;
    const generation = this.generation;
    const inputEdits = this.inputEdits;
    try {
      const state = await node.getState();
      if (generation !== this.generation) return;
      this.anchors = state.anchors.map((a) => ({ label: a.label, latent: a.latent, phrase: a.phrase ?? null }));
      this.midiOutputId = state.devices?.midiOutputId ?? null;
      const inputs = state.devices?.midiInputIds ?? [];
      // Only a changed choice, and never from a read that began before the user's last pick (it would undo it).
      if (inputEdits === this.inputEdits && inputs.join('\n') !== this.midiInputIds.join('\n')) this.midiInputIds = [...inputs];
    } catch (error) {
      if (generation === this.generation) this.message = `Could not read the plugin state: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  private onParamChange({ id, value }: ParamChangeDetail): void {
    this.sync.set(id, value);
    // Keep the pitch range the right way round: moving one end past the other drags the other along.
    const { pitchLow, pitchHigh } = this.sync.values;
    if (id === 'pitchLow' && pitchLow > pitchHigh) this.sync.set('pitchHigh', pitchLow);
    if (id === 'pitchHigh' && pitchHigh < pitchLow) this.sync.set('pitchLow', pitchHigh);
  }

  private async capture({ index }: CaptureAnchorDetail): Promise<void> {
    const node = this.node;
    if (!node || this.capturing >= 0) return;
    const label = this.anchors[index]?.label || String.fromCharCode(65 + index);
    this.capturing = index;
    try {
      await node.captureAnchor(index);
      this.message = '';
      await this.refreshState();
    } catch (error) {
      this.message = `Could not capture anchor ${label}: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      this.capturing = -1;
    }
  }

  private panic(): void {
    this.node?.panic();
  }

  private control(spec: ParameterSpec, disabled = false, inline = false) {
    return html`<di-param-control data-param=${spec.id} .spec=${spec} .value=${this.sync.values[spec.id]}
      .format=${FORMATS[spec.id] ?? null} ?disabled=${disabled} ?inline=${inline}></di-param-control>`;
  }

  private groups() {
    const grouped = new Set(CONTROL_GROUPS.flatMap((g) => g.ids));
    // A parameter added to the table later still gets a control.
    const others = PARAMETERS.filter((p) => !grouped.has(p.id) && !OWN_CONTROLS.has(p.id)).map((p) => p.id);
    const groups = others.length ? [...CONTROL_GROUPS, { title: 'Other', ids: others }] : CONTROL_GROUPS;
    const keySet = KEY_LOCKS[this.sync.values.keyLock] === 'set';
    return groups.map((group) => html`<fieldset>
      <legend>${group.title}</legend>
      ${group.ids.map((id) => {
        const spec = parameterSpec(id);
        return spec ? this.control(spec, (id === 'keyRoot' || id === 'scale') && !keySet) : nothing;
      })}
    </fieldset>`);
  }

  override render() {
    const values = this.sync.values;
    const armed = values.armed >= 0.5;
    const model = parameterSpec('model');
    const message = this.message || this.syncMessage;
    const drums = MODEL_NAMES[values.model] === 'drums';
    const activity = ACTIVITY_LABELS[this.activity];
    return html`
      <header>
        <di-mode-selector .value=${values.mode}></di-mode-selector>
        <span class="spacer"></span>
        ${model ? this.control(model, false, true) : nothing}
        <di-midi-inputs .host=${this.node} .selectedIds=${this.midiInputIds}></di-midi-inputs>
        <di-midi-devices .host=${this.node} .selectedId=${this.midiOutputId}></di-midi-devices>
        <button class="arm" role="switch" aria-checked=${armed ? 'true' : 'false'} title="Output armed: when off, the plugin generates nothing"
          @click=${() => this.onParamChange({ id: 'armed', value: armed ? 0 : 1 })}><span class="dot"></span>${armed ? 'Armed' : 'Arm'}</button>
        <button class="panic" title="All notes off on every channel, now" @click=${this.panic}>Panic</button>
      </header>
      <div class="stage">
        <div>
          <div class="title">Latent pad</div>
          <di-latent-pad .x=${values.padX} .y=${values.padY} .anchors=${this.anchors} .capturing=${this.capturing}
            ?inactive=${parameterSpec('mode')?.choices?.[values.mode] !== 'latent-pad'}></di-latent-pad>
        </div>
        <div>
          <div class="title-row">
            <div class="title">${drums ? 'Drum roll' : 'Piano roll'}</div>
            <span class="activity" role="status" data-state=${this.activity} title=${activity.title}><span class="dot"></span>${activity.text}</span>
          </div>
          <di-piano-roll .host=${this.node} .tempoBpm=${values.tempo} ?drums=${drums} ?armed=${armed}></di-piano-roll>
        </div>
      </div>
      <div class="controls">${this.groups()}</div>
      ${message ? html`<div class="message" role="alert">${message}</div>` : nothing}
    `;
  }
}
