/**
 * «Движения документа»: the records a posted document wrote, one grid per register it posts
 * to, read from GET /api/documents/:name/:id/movements. Refreshes when the document changes.
 */
import { LitElement, css, html } from "lit";
import { get } from "../api.ts";
import { t } from "../i18n/index.ts";
import { documentMeta, registerMeta, type RegisterMeta } from "../meta.ts";
import { commonStyles } from "../styles.ts";
import { emit } from "../shell/tabs.ts";
import { recordsBar, recordsGrid, type RecordRow } from "./register-grid.ts";
import { entriesTable } from "./entries-table.ts";

interface Movements {
  registers: Record<string, { synonym: string; kind: string; rows: RecordRow[] }>;
}

export class MovementsView extends LitElement {
  static override properties = { name: {}, objectId: {}, data: { state: true }, message: { state: true } };
  static override styles = [
    commonStyles,
    css`
      :host { overflow: auto; display: block; }
      .reg-title { font-size: 14px; margin: 10px 12px 4px; font-weight: bold; }
      .count { color: #888; font-weight: normal; }
      .register .grid { flex: none; min-height: 0; }
      table.entries { border-collapse: collapse; margin: 0 12px 8px; font-size: 13px; }
      table.entries th, table.entries td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; }
      table.entries th { background: #f4f4f4; font-weight: normal; }
      table.entries td.num, table.entries th.num { text-align: right; white-space: nowrap; }
    `,
  ];

  name = "";
  objectId = "";
  data?: Movements;
  message = "";
  private heading = "";

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener("objects-changed", this.onChanged);
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener("objects-changed", this.onChanged);
  }

  private onChanged = (e: Event) => {
    const d = (e as CustomEvent<{ kind: string; name: string }>).detail;
    if (d.kind === "document" && d.name === this.name) void this.load();
  };

  async load(): Promise<void> {
    const synonym = documentMeta(this.name)?.synonym ?? this.name;
    try {
      const doc = await get<{ rows: { presentation?: string }[] }>(
        `/documents/${this.name}?id=${this.objectId}&limit=1`,
      );
      const row = doc.rows[0];
      this.heading = t("movements.title", { what: row?.presentation ?? synonym });
      this.data = await get<Movements>(`/documents/${this.name}/${this.objectId}/movements`);
      this.message = "";
    } catch (e) {
      this.heading = t("movements.title", { what: synonym });
      this.message = (e as Error).message;
    }
    emit(this, "tab-title", { title: this.heading, dirty: false });
    await this.updateComplete;
    await this.drawGrids();
  }

  private async drawGrids(): Promise<void> {
    if (!this.data) return;
    for (const [name, set] of Object.entries(this.data.registers)) {
      const host = this.renderRoot.querySelector<HTMLElement>(`.records[data-register="${name}"]`);
      const reg: RegisterMeta | undefined = registerMeta(name)?.meta;
      if (!host || !reg) continue;
      host.replaceChildren();
      await recordsGrid(host, reg, set.rows);
    }
  }

  override render() {
    const regs = Object.entries(this.data?.registers ?? {});
    return html`
      <h1 class="title">${this.heading}</h1>
      ${recordsBar(this, () => this.load(), this.message)}
      ${this.data && regs.length === 0 ? html`<div class="message info">${t("movements.none")}</div>` : ""}
      ${regs.map(
        ([name, set]) => html`<section class="register" data-register=${name}>
          <h2 class="reg-title">${set.synonym} <span class="count">(${t("movements.count", { n: set.rows.length })})</span></h2>
          ${
            set.kind === "accountingRegister"
              ? entriesTable(set.rows)
              : html`<div class="records grid" data-register=${name} style=${set.rows.length > 25 ? "height: 420px" : ""}></div>`
          }
        </section>`,
      )}
    `;
  }
}
customElements.define("movements-view", MovementsView);
