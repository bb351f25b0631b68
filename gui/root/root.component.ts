/**
 * `<deep-improv-gui>`: the plugin's GUI root. It talks only to the node's
 * public API (status, parameters, panic); no DSP or model code here.
 */
import { LitElement, html, nothing } from 'lit';
import type { DeepImprovNode, PluginStatus } from '../../plugin/node.ts';
import { rootStyles } from './root.styles.ts';

export class DeepImprovGui extends LitElement {
  static override styles = rootStyles;
  static override properties = { status: { state: true } };

  /** The node this GUI controls; set before the element is connected. */
  node: DeepImprovNode | null = null;
  protected status: PluginStatus = { processor: 'loading', worker: 'loading', message: '' };
  private unsubscribe: (() => void) | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.node && !this.unsubscribe) this.unsubscribe = this.node.onStatus((s) => { this.status = s; });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** Releases every listener; the element can be dropped afterwards. */
  dispose(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.node = null;
  }

  private partStatus(label: string, value: PluginStatus['processor']) {
    return html`<span class="part" data-part=${label.toLowerCase()} data-state=${value}><span class="dot ${value}"></span>${label}: ${value}</span>`;
  }

  override render() {
    const s = this.status;
    return html`
      <header>
        <h1>Deep Improv</h1>
        <div class="status" role="status" aria-live="polite">${this.partStatus('Processor', s.processor)}${this.partStatus('Worker', s.worker)}</div>
        <span class="spacer"></span>
        <button @click=${() => this.node?.panic()} title="All notes off on every channel">Panic</button>
      </header>
      ${s.message ? html`<div class="message">${s.message}</div>` : nothing}
    `;
  }
}
