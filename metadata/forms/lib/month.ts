// The period selector of the ЖКХ forms («Текущий период: Ноябрь 2011 г.»): a month shown by
// name, typed as "11.2011", "ноябрь 2011" or a whole date, and stepped by ◀ ▶ (or Alt+←/→).
// The value stays the API's date of the month's first day ("2011-11-01").
import { html, type TemplateResult } from "lit";
import { live } from "lit/directives/live.js";
import { addMonths, formatMonth, isRealDate, thisMonth, type FieldCtx } from "../../../client/src/custom-forms-api.ts";
import { ru } from "./ru.ts";

const STEMS = ["янв", "фев", "мар", "апр", "ма", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"];

/** "2011-11-01" → "Ноябрь 2011 г.". */
export function monthText(v: unknown): string {
  return /^\d{4}-\d{2}-\d{2}/.test(String(v ?? "")) ? formatMonth(v) : "";
}

/** What a user typed → "YYYY-MM-01", or null. */
export function parseMonth(text: string): string | null {
  const s = text
    .trim()
    .toLowerCase()
    .replace(/\s*г\.?$/, "");
  let m = /^(?:\d{1,2}\.)?(\d{1,2})\.(\d{4})$/.exec(s);
  if (m && isRealDate(+m[2], +m[1], 1)) return `${m[2]}-${m[1].padStart(2, "0")}-01`;
  m = /^(\d{4})-(\d{2})(?:-\d{2})?$/.exec(s);
  if (m && isRealDate(+m[1], +m[2], 1)) return `${m[1]}-${m[2]}-01`;
  m = /^([а-яё]+)\s+(\d{4})$/.exec(s);
  if (m) {
    const i = STEMS.findIndex((x, k) => (k === 4 ? /^ма[йя]/.test(m![1]) : m![1].startsWith(x)));
    if (i >= 0) return `${m[2]}-${String(i + 1).padStart(2, "0")}-01`;
  }
  return null;
}

/** Caption and input of a month field, for the forms' two-column .fields grid. */
export function monthField(c: FieldCtx): TemplateResult {
  const id = "f-" + c.field.name;
  const value = c.value ? String(c.value).slice(0, 10) : "";
  const step = (by: number) => c.set(addMonths(value || thisMonth(), by));
  return html`<label class="caption" for=${id}>${c.field.synonym}:</label>
    <div class="field month ${c.error ? "error" : ""}" data-field=${c.field.name}>
      <span class="month-row">
        <button type="button" class="cmd step" data-step="-1" title=${ru.prevMonth} @click=${() => step(-1)}>◀</button>
        <input id=${id} name=${c.field.name} .value=${live(monthText(value))} placeholder=${ru.monthHint} style="width: 150px"
          @keydown=${(e: KeyboardEvent) => {
            if (e.altKey && (e.key === "ArrowLeft" || e.key === "ArrowRight")) {
              e.preventDefault();
              step(e.key === "ArrowLeft" ? -1 : 1);
            }
          }}
          @change=${(e: Event) => {
            const text = (e.target as HTMLInputElement).value;
            if (!text.trim()) return c.set(null);
            const v = parseMonth(text);
            if (v) c.set(v);
            else c.invalid(ru.notMonth.replace("{text}", text));
          }} />
        <button type="button" class="cmd step" data-step="1" title=${ru.nextMonth} @click=${() => step(1)}>▶</button>
      </span>
      ${c.error ? html`<span class="err">${c.error}</span>` : ""}
    </div>`;
}
