/**
 * The tabular parts of a form: one <tabular-part> editor each, as tabs inside the form when
 * there are several. Rows handed to an editor change only on read, write or fill; edits come
 * only mark the form changed (`rows-changed`); the form takes the editor's rows when it
 * writes, so the editor is never reset while the user types. Until the editor component is registered a read-only table stands in.
 */
import { html, nothing, type TemplateResult } from "lit";
import { metadata, displayValue, type TabularMeta } from "../meta.ts";

/** The editor element's surface the forms use. */
export interface TabularElement extends HTMLElement {
  rows: Record<string, unknown>[];
  refs: Record<string, string>;
  getRows?(): Record<string, unknown>[];
  selectCell?(rowIndex: number, column: string): void;
  showCellError?(rowIndex: number, column: string, message: string): void;
  clearErrors?(): void;
  commitEdit?(): void;
  clearCellError?(rowIndex: number, column: string): void;
  setCell?(rowIndex: number, column: string, value: unknown): void;
  recompute?(): void;
}

export interface TabularHost {
  parts: TabularMeta[];
  /** Rows last handed to each editor (by table name). */
  shown: Record<string, Record<string, unknown>[]>;
  refs: Record<string, string>;
  activeTable: string;
  readOnly: boolean;
  /** An edit in a tabular part; `refs` are the presentations the editor knows. */
  onRows(table: string, refs?: Record<string, string>): void;
  onFill(table: string): void;
  onTab(table: string): void;
  /** The computed columns of a table (the same object on every render), if any. */
  computed?(
    table: string,
  ):
    | Record<string, { synonym?: string; compute(row: Record<string, unknown>): unknown; decimals?: number }>
    | undefined;
}

export function renderTabularParts(h: TabularHost): TemplateResult | typeof nothing {
  if (!h.parts.length) return nothing;
  const active = h.parts.some((p) => p.name === h.activeTable) ? h.activeTable : h.parts[0].name;
  const many = h.parts.length > 1;
  return html`<div class="tables">
    ${
      many
        ? html`<div class="tp-tabs" role="tablist">
          ${h.parts.map(
            (p) =>
              html`<button class="tp-tab ${p.name === active ? "active" : ""}" role="tab" data-table=${p.name} @click=${() => h.onTab(p.name)}>${p.synonym}</button>`,
          )}
        </div>`
        : html`<div class="tp-caption">${h.parts[0].synonym}</div>`
    }
    ${h.parts.map((p) => html`<div class="tp-page" ?hidden=${p.name !== active} data-table=${p.name}>${editor(h, p)}</div>`)}
  </div>`;
}

function editor(h: TabularHost, p: TabularMeta): TemplateResult {
  const rows = h.shown[p.name] ?? [];
  if (customElements.get("tabular-part")) {
    return html`<tabular-part
      data-table=${p.name}
      .meta=${p}
      .metadata=${metadata()}
      .rows=${rows}
      .refs=${h.refs}
      .readOnly=${h.readOnly}
      .computed=${h.computed?.(p.name)}
      @rows-changed=${(e: CustomEvent<{ refs?: Record<string, string> }>) => (e.stopPropagation(), h.onRows(p.name, e.detail?.refs))}
      @fill-request=${(e: Event) => (e.stopPropagation(), h.onFill(p.name))}
    ></tabular-part>`;
  }
  return html`<table class="tp-fallback" data-table=${p.name}>
    <thead>
      <tr>
        <th>№</th>
        ${p.attributes.map((a) => html`<th>${a.synonym ?? a.name}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (r, i) => html`<tr>
          <td>${i + 1}</td>
          ${p.attributes.map((a) => html`<td class=${a.type.kind === "number" ? "num" : ""}>${displayValue(a.type, r[a.name], h.refs)}</td>`)}
        </tr>`,
      )}
    </tbody>
  </table>`;
}

/** The editor of one tabular part inside a form's shadow root. */
export function tabularElement(root: ParentNode, table: string): TabularElement | null {
  return root.querySelector<TabularElement>(`tabular-part[data-table="${table}"]`);
}
