/**
 * «Колонки…»: which columns a list shows, as 1C's «Настройка списка» — a checkbox per column
 * (its header), ticked when shown; a change shows or hides the column at once (and the list's
 * saved settings keep it, grid-settings.ts). Esc, Enter or «Закрыть» closes it; at least one
 * column stays shown.
 */
import { LitElement, css, html } from "lit";
import type { GridApi } from "ag-grid-community";
import { t } from "../i18n/index.ts";

export class ColumnChooser extends LitElement {
  static override properties = { version: { state: true } };
  api?: GridApi;
  version = 0;
  private back?: HTMLElement;

  static override styles = css`
    .backdrop { position: fixed; inset: 0; background: rgba(0, 0, 0, 0.25); display: flex; align-items: center; justify-content: center; z-index: 1000; }
    .box { background: #fff; min-width: 300px; max-height: 80vh; overflow: auto; border: 1px solid #999; box-shadow: 0 4px 16px rgba(0, 0, 0, 0.3); font: 13px Arial, sans-serif; }
    .title { background: #f2f2f2; padding: 6px 10px; font-weight: bold; border-bottom: 1px solid #ddd; }
    label { display: block; padding: 3px 12px; cursor: pointer; }
    .list { padding: 6px 0; }
    .buttons { display: flex; justify-content: flex-end; padding: 8px 10px; border-top: 1px solid #eee; }
    button { font: inherit; padding: 3px 14px; border: 1px solid #c9a227; background: #fce08a; font-weight: bold; border-radius: 2px; cursor: pointer; }
  `;

  private columns() {
    return (this.api?.getColumns() ?? [])
      .filter((c) => c.getColDef().headerName)
      .map((c) => ({ id: c.getColId(), title: c.getColDef().headerName ?? c.getColId(), shown: c.isVisible() }));
  }

  override render() {
    const cols = this.columns();
    const shown = cols.filter((c) => c.shown).length;
    return html`<div class="backdrop" @keydown=${this.onKey} @click=${(e: Event) => e.target === e.currentTarget && this.close()}>
      <div class="box" role="dialog" aria-modal="true" aria-label=${t("settings.columns")}>
        <div class="title">${t("settings.columns")}</div>
        <div class="list">
          ${cols.map(
            (c) => html`<label
              ><input
                type="checkbox"
                data-col=${c.id}
                .checked=${c.shown}
                ?disabled=${c.shown && shown <= 1}
                @change=${(e: Event) => this.toggle(c.id, (e.target as HTMLInputElement).checked)}
              />
              ${c.title}</label
            >`,
          )}
        </div>
        <div class="buttons"><button data-cmd="close" @click=${() => this.close()}>${t("keys.close")}</button></div>
      </div>
    </div>`;
  }

  override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLInputElement>("input")?.focus();
  }

  private toggle(id: string, shown: boolean): void {
    this.api?.setColumnsVisible([id], shown);
    this.version++;
  }

  private onKey(e: KeyboardEvent): void {
    e.stopPropagation();
    if (e.key === "Escape" || e.key === "Enter") {
      e.preventDefault();
      this.close();
    }
  }

  close(): void {
    this.remove();
    this.back?.focus?.();
  }

  /** Opens the chooser over a grid; the focus goes back to `back` when it closes. */
  static show(api: GridApi, back?: HTMLElement): ColumnChooser {
    document.querySelector<ColumnChooser>("column-chooser")?.close();
    const d = new ColumnChooser();
    d.api = api;
    d.back = back;
    document.body.appendChild(d);
    return d;
  }
}
customElements.define("column-chooser", ColumnChooser);
