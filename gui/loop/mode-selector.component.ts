/**
 * `<di-mode-selector>`: the plugin's mode as a segmented control (a radio
 * group: arrow keys move the choice, Home/End jump to the ends). The modes
 * come from the `mode` parameter's choices. Dispatches `di-param-change`
 * (`{ id: 'mode', value: index }`) when the user picks one.
 */
import { LitElement, html } from 'lit';
import { parameterSpec, type ParameterSpec } from '../../protocol/parameters.ts';
import { choiceWords } from './parameter-format.ts';
import { dispatchParamChange } from './events.ts';
import { modeSelectorStyles } from './mode-selector.styles.ts';
import { loopTheme } from './theme.ts';

/** What each mode is called on screen and what its tooltip says; a mode missing here shows its id in words. */
const MODE_TEXT: Record<string, { label: string; hint: string }> = {
  'listen': { label: 'Listen', hint: 'Listen and learn the phrases; play nothing.' },
  'call-response': { label: 'Call & response', hint: 'Answer each phrase you play when you stop.' },
  'accompany': { label: 'Accompany', hint: 'Play along while you play.' },
  'latent-pad': { label: 'Latent pad', hint: 'Play from the point of the XY pad, between its four anchors.' },
};

export class DiModeSelector extends LitElement {
  static override styles = [loopTheme, modeSelectorStyles];
  static override properties = { value: { type: Number } };

  /** Index of the current mode in the `mode` parameter's choices. Default: the parameter's default. */
  value: number = parameterSpec('mode')?.defaultValue ?? 0;

  private get spec(): ParameterSpec {
    const spec = parameterSpec('mode');
    if (!spec) throw new Error('expected a `mode` parameter in protocol/parameters.ts');
    return spec;
  }

  private pick(index: number, focus: boolean): void {
    const count = this.spec.choices?.length ?? 0;
    const next = Math.min(count - 1, Math.max(0, index));
    if (focus) this.renderRoot.querySelectorAll<HTMLButtonElement>('button')[next]?.focus();
    if (next === this.value) return;
    this.value = next;
    dispatchParamChange(this, 'mode', next);
  }

  private onKey(event: KeyboardEvent): void {
    const count = this.spec.choices?.length ?? 0;
    const moves: Record<string, number> = { ArrowRight: this.value + 1, ArrowDown: this.value + 1, ArrowLeft: this.value - 1, ArrowUp: this.value - 1, Home: 0, End: count - 1 };
    if (!(event.key in moves)) return;
    event.preventDefault();
    this.pick(moves[event.key], true);
  }

  override render() {
    const spec = this.spec;
    return html`<div class="group" role="radiogroup" aria-label=${spec.label} @keydown=${this.onKey}>
      ${(spec.choices ?? []).map((choice, i) => {
        const text = MODE_TEXT[choice] ?? { label: choiceWords(choice), hint: '' };
        const checked = i === this.value;
        return html`<button role="radio" data-mode=${choice} aria-checked=${checked ? 'true' : 'false'} tabindex=${checked ? 0 : -1}
          title=${text.hint} @click=${() => this.pick(i, false)}>${text.label}</button>`;
      })}
    </div>`;
  }
}
