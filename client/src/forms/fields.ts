/**
 * Header fields of object forms by metadata type: strings, numbers with fixed decimals in
 * the Russian format (typed "1234,5", shown «1 234,5000»), dates dd.mm.yyyy with a calendar
 * picker (date and date-and-time), booleans as checkboxes, enums as selects of their
 * synonyms, references through <ref-input> (type-ahead and F4 picker). A field with a server
 * error is outlined red with the message under it. Values stay API strings throughout.
 */
import { Decimal } from "decimal.js";
import { html, nothing, svg, type TemplateResult } from "lit";
import { live } from "lit/directives/live.js";
import { t } from "../i18n/index.ts";
import { formatDate, formatNumber, parseDate, parseNumber } from "../../../server/format.ts";
import { enumMeta, formatDateTime, type FieldMeta } from "../meta.ts";

const CALENDAR = svg`<svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true"><rect x="1" y="2.5" width="12" height="10.5" fill="#fff" stroke="#777"/><rect x="1" y="2.5" width="12" height="3" fill="#d9a400"/><path d="M3.5 1v3M10.5 1v3" stroke="#555"/><path d="M3 8h2M6 8h2M9 8h2M3 10.5h2M6 10.5h2" stroke="#999"/></svg>`;

export interface FieldCtx {
  field: FieldMeta;
  value: unknown;
  refs: Record<string, string>;
  error?: string;
  /** The text the user typed that could not be read: shown as typed until corrected. */
  text?: string;
  readOnly?: boolean;
  /** A new value (and a reference's presentation). */
  set(value: unknown, presentation?: string): void;
  /** A value that could not be read (the field shows the message and keeps `text`). */
  invalid(message: string, text?: string): void;
}

/** The caption and the input of one field, for the two-column .fields grid. */
export function fieldRow(c: FieldCtx): TemplateResult {
  const id = "f-" + c.field.name;
  return html`<label class="caption" for=${id}>${c.field.synonym ?? c.field.name}${c.field.required ? html`<span class="req">*</span>` : nothing}:</label>
    <div class="field ${c.error ? "error" : ""}" data-field=${c.field.name}>
      ${fieldInput(c, id)} ${c.error ? html`<span class="err">${c.error}</span>` : nothing}
    </div>`;
}

export function fieldInput(c: FieldCtx, id: string): TemplateResult {
  const type = c.field.type;
  const ro = !!c.readOnly;
  switch (type.kind) {
    case "number": {
      const shown = c.text ?? formatNumber(c.value, type.scale);
      return html`<input id=${id} class="num" name=${c.field.name} .value=${live(shown)} ?readonly=${ro}
        @focus=${(e: Event) => ((e.target as HTMLInputElement).value = shown.replace(/[\s\u00a0]/g, ""))}
        @change=${(e: Event) => {
          const raw = (e.target as HTMLInputElement).value;
          const v = parseNumber(raw);
          const min = c.field.min;
          if (v === null) c.invalid(t("field.notNumber", { text: raw }), raw);
          else if (v !== "" && min !== undefined && new Decimal(v).lt(min))
            c.invalid(t("field.belowMin", { name: c.field.synonym ?? c.field.name, min }), raw);
          else c.set(v === "" ? null : v);
        }}
        @blur=${(e: Event) => {
          const input = e.target as HTMLInputElement;
          if (parseNumber(input.value) !== null) input.value = formatNumber(c.value, type.scale);
        }} />`;
    }
    case "boolean":
      return html`<input id=${id} class="check" type="checkbox" name=${c.field.name} .checked=${live(c.value === true)} ?disabled=${ro}
        @change=${(e: Event) => c.set((e.target as HTMLInputElement).checked)} />`;
    case "date":
    case "datetime":
      return dateInput(c, id, type.kind === "datetime");
    case "ref":
      if (type.target === "enum") {
        const values = enumMeta(type.name)?.values ?? [];
        return html`<select id=${id} name=${c.field.name} ?disabled=${ro} @change=${(e: Event) => c.set((e.target as HTMLSelectElement).value || null)}>
          <option value="" ?selected=${!c.value}></option>
          ${values.map((v) => html`<option value=${v.name} ?selected=${v.name === c.value}>${v.synonym}</option>`)}
        </select>`;
      }
      return refInput(c, id, type.name, type.target);
    default:
      return html`<input id=${id} name=${c.field.name} .value=${live(String(c.value ?? ""))} maxlength=${type.length ?? 1000} ?readonly=${ro}
        @input=${(e: Event) => c.set((e.target as HTMLInputElement).value)} />`;
  }
}

function refInput(c: FieldCtx, id: string, target: string, kind: string): TemplateResult {
  const presentation = c.value ? (c.refs[String(c.value)] ?? "") : "";
  if (kind === "catalog" && customElements.get("ref-input")) {
    return html`<ref-input id=${id} name=${c.field.name} .catalog=${target} .value=${c.value ?? null} .presentation=${presentation} .readOnly=${!!c.readOnly}
      @change=${(e: CustomEvent<{ value: string | null; presentation: string }>) => e.detail && c.set(e.detail.value, e.detail.presentation)}></ref-input>`;
  }
  return html`<input id=${id} name=${c.field.name} readonly .value=${live(presentation)} />`;
}

/** "dd.mm.yyyy" (and " hh:mm:ss") as text, with a calendar button opening the native picker. */
function dateInput(c: FieldCtx, id: string, withTime: boolean): TemplateResult {
  const v = c.value ? String(c.value) : "";
  const shown = c.text ?? (withTime ? formatDateTime(v) : formatDate(v));
  const time = withTime ? (/T(\d{2}:\d{2}:\d{2})/.exec(v)?.[1] ?? "00:00:00") : "";
  const apply = (date: string | null, timeText = time) =>
    c.set(date ? (withTime ? `${date}T${timeText}` : date) : null);
  return html`<span class="date">
    <input id=${id} name=${c.field.name} class="date-text" style="width:${withTime ? 150 : 95}px" .value=${live(shown)} ?readonly=${!!c.readOnly} placeholder=${t(withTime ? "field.dateTimeHint" : "field.dateHint")}
      @change=${(e: Event) => {
        const text = (e.target as HTMLInputElement).value.trim();
        if (!text) return apply(null);
        const m = /^(\S+)(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
        const d = m ? parseDate(m[1]) : null;
        if (!d) return c.invalid(t("field.notDate", { text }), text);
        const tm = withTime && m?.[2] ? `${m[2].padStart(2, "0")}:${m[3]}:${m[4] ?? "00"}` : time;
        apply(d, tm);
      }} />
    ${
      c.readOnly
        ? nothing
        : html`<button type="button" class="pick" title=${t("field.calendar")} tabindex="-1"
            @click=${(e: Event) => {
              const picker = (e.currentTarget as HTMLElement).nextElementSibling as HTMLInputElement;
              picker.value = v.slice(0, 10);
              try {
                picker.showPicker();
              } catch {
                picker.focus();
              }
            }}>${CALENDAR}</button>
          <input type="date" class="picker" tabindex="-1" @change=${(e: Event) => apply((e.target as HTMLInputElement).value || null)} />`
    }
  </span>`;
}
