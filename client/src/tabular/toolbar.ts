/**
 * The tabular editor's command bar as in 1C: Добавить (+), Скопировать, Удалить (X), ↑, ↓,
 * Подбор, Заполнить, Очистить, and the export to Excel and CSV (read-only tables too). Icons are inline SVG; every tooltip comes from the dictionary
 * with the 1C shortcut. Buttons do not take focus from the grid (mousedown is cancelled), so
 * the command applies to the focused row. Each button has a class tb-<action> for tests.
 */
import { html, svg, type TemplateResult } from "lit";
import { t } from "../i18n/index.ts";

export type ToolbarAction =
  | "add"
  | "copy"
  | "delete"
  | "up"
  | "down"
  | "pick"
  | "fill"
  | "clear"
  | "csv"
  | "xlsx"
  | "columns"
  | "defaults";

export interface ToolbarState {
  readOnly: boolean;
  canFill: boolean;
  canPick: boolean;
  hasRows: boolean;
  run(action: ToolbarAction): void;
}

const icon = (body: TemplateResult) =>
  html`<svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">${body}</svg>`;

const ICONS: Partial<Record<ToolbarAction, TemplateResult>> = {
  add: icon(svg`<path d="M8 2v12M2 8h12" stroke="#2a8a2a" stroke-width="2.2" fill="none"/>`),
  copy: icon(
    svg`<rect x="2.5" y="4.5" width="8" height="9" fill="#fff" stroke="#4a6fa5"/><rect x="5.5" y="1.5" width="8" height="9" fill="#e8eefa" stroke="#4a6fa5"/>`,
  ),
  delete: icon(svg`<path d="M3.5 3.5l9 9M12.5 3.5l-9 9" stroke="#c0392b" stroke-width="2.2" fill="none"/>`),
  up: icon(svg`<path d="M8 2.5L3 8h3v5.5h4V8h3z" fill="#2f6db3"/>`),
  down: icon(svg`<path d="M8 13.5L3 8h3V2.5h4V8h3z" fill="#2f6db3"/>`),
};

function button(s: ToolbarState, action: ToolbarAction, tip: string, label: string | null, disabled: boolean) {
  return html`<button
    type="button"
    class="tb tb-${action}"
    data-action=${action}
    title=${tip}
    aria-label=${tip}
    ?disabled=${disabled}
    @mousedown=${(e: MouseEvent) => e.preventDefault()}
    @click=${() => s.run(action)}
  >${ICONS[action] ?? ""}${label === null ? "" : html`<span>${label}</span>`}</button>`;
}

export function renderToolbar(s: ToolbarState): TemplateResult {
  const ro = s.readOnly;
  return html`<div class="toolbar" role="toolbar">
    ${button(s, "add", `${t("tabular.add")} (Ins)`, null, ro)}
    ${button(s, "copy", `${t("tabular.copy")} (F9)`, null, ro || !s.hasRows)}
    ${button(s, "delete", `${t("tabular.delete")} (Del)`, null, ro || !s.hasRows)}
    ${button(s, "up", `${t("tabular.up")} (Ctrl+Shift+↑)`, null, ro || !s.hasRows)}
    ${button(s, "down", `${t("tabular.down")} (Ctrl+Shift+↓)`, null, ro || !s.hasRows)}
    <span class="sep"></span>
    ${button(s, "pick", t("tabular.pickTip"), t("tabular.pick"), ro || !s.canPick)}
    ${button(s, "fill", t("tabular.fillTip"), t("tabular.fill"), ro || !s.canFill)}
    ${button(s, "clear", t("tabular.clearTip"), t("tabular.clear"), ro || !s.hasRows)}
    <span class="sep"></span>
    ${button(s, "xlsx", t("export.xlsxTip"), t("export.xlsx"), !s.hasRows)}
    ${button(s, "csv", t("export.csvTip"), t("export.csv"), !s.hasRows)}
    ${button(s, "columns", t("settings.columnsTip"), t("settings.columnsCmd"), false)}
    ${button(s, "defaults", t("settings.resetTip"), t("settings.reset"), false)}
  </div>`;
}
