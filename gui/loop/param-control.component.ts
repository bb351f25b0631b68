/**
 * `<di-param-control>`: one control generated from a parameter's
 * {@link ParameterSpec}: a float is a slider with its value and unit, an int
 * a select of every value (16 or fewer) or a slider, a choice a select, a
 * boolean a switch. Ranges, steps and labels come from the spec, never from
 * here. Double-click the label to return to the default.
 *
 * It does not talk to the node: it shows `value` and dispatches
 * `di-param-change` (`{ id, value }`, plain units) when the user changes it.
 */
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { live } from 'lit/directives/live.js';
import { coerceParameterValue, type ParameterSpec } from '../../protocol/parameters.ts';
import { dispatchParamChange } from './events.ts';
import { formatParameterValue, parameterStep } from './parameter-format.ts';
import { paramControlStyles } from './param-control.styles.ts';
import { loopTheme } from './theme.ts';

/** Ints with at most this many values are shown as a select. */
const MAX_SELECT_VALUES = 17;

export class DiParamControl extends LitElement {
  static override styles = [loopTheme, paramControlStyles];
  static override properties = {
    spec: { attribute: false },
    value: { type: Number },
    disabled: { type: Boolean, reflect: true },
    inline: { type: Boolean, reflect: true },
    format: { attribute: false },
  };

  /** The parameter this control edits. Nothing renders until it is set. */
  spec: ParameterSpec | null = null;
  /** Current value in plain units; NaN shows the default. */
  value = Number.NaN;
  /** Greys the control out and ignores input. Default false. */
  disabled = false;
  /** Puts the label beside the control instead of above it (for a toolbar). Default false. */
  inline = false;
  /** Optional formatter for the shown value (and for select options); default `formatParameterValue`. */
  format: ((value: number) => string) | null = null;

  private get current(): number {
    const spec = this.spec;
    if (!spec) return 0;
    return Number.isFinite(this.value) ? coerceParameterValue(spec, this.value) : spec.defaultValue;
  }

  private text(value: number): string {
    return this.format ? this.format(value) : formatParameterValue(this.spec!, value);
  }

  private change(value: number): void {
    const spec = this.spec;
    if (!spec || this.disabled) return;
    const plain = coerceParameterValue(spec, value);
    this.value = plain;
    dispatchParamChange(this, spec.id, plain);
  }

  private reset(): void {
    if (this.spec) this.change(this.spec.defaultValue);
  }

  protected override updated(changed: PropertyValues<this>): void {
    // The slider's filled part follows the value.
    if ((changed.has('value') || changed.has('spec')) && this.spec) {
      const { minValue, maxValue } = this.spec;
      const fill = maxValue > minValue ? ((this.current - minValue) / (maxValue - minValue)) * 100 : 0;
      this.style.setProperty('--fill', `${fill}%`);
    }
  }

  override render() {
    const spec = this.spec;
    if (!spec) return nothing;
    const value = this.current;
    const label = html`<label for="input" title=${spec.doc} @dblclick=${this.reset}>${spec.label}</label>`;
    switch (spec.type) {
      case 'boolean':
        return html`<div class="row">${label}
          <button id="input" class="switch" role="switch" aria-checked=${value >= 0.5 ? 'true' : 'false'} aria-label=${spec.label}
            title=${spec.doc} ?disabled=${this.disabled} @click=${() => this.change(value >= 0.5 ? 0 : 1)}>
            <span class="track"><span class="knob"></span></span>
          </button></div>`;
      case 'choice':
        return html`${label}${this.select(spec, value, (spec.choices ?? []).map((_, i) => i))}`;
      case 'int':
        if (spec.maxValue - spec.minValue + 1 <= MAX_SELECT_VALUES) {
          const values = Array.from({ length: spec.maxValue - spec.minValue + 1 }, (_, i) => spec.minValue + i);
          return html`${label}${this.select(spec, value, values)}`;
        }
        return this.slider(spec, value, label);
      case 'float':
        return this.slider(spec, value, label);
    }
  }

  private select(spec: ParameterSpec, value: number, options: number[]) {
    return html`<select id="input" aria-label=${spec.label} title=${spec.doc} ?disabled=${this.disabled}
      @change=${(e: Event) => this.change(Number((e.target as HTMLSelectElement).value))}>
      ${options.map((v) => html`<option value=${v} .selected=${live(v === value)}>${this.text(v)}</option>`)}
    </select>`;
  }

  private slider(spec: ParameterSpec, value: number, label: unknown) {
    return html`<div class="head">${label}<output for="input">${this.text(value)}</output></div>
      <input id="input" type="range" aria-label=${spec.label} title=${spec.doc} min=${spec.minValue} max=${spec.maxValue}
        step=${parameterStep(spec)} .value=${live(String(value))} ?disabled=${this.disabled}
        aria-valuetext=${this.text(value)}
        @input=${(e: Event) => this.change(Number((e.target as HTMLInputElement).value))}>`;
  }
}
