/**
 * A register opened from a section: an information register's records (first 1000), an
 * accumulation register's balances now, or, for a turnover register, its turnovers over all
 * time. Read-only; documents write these registers.
 */
import { LitElement, html } from "lit";
import { get } from "../api.ts";
import { t } from "../i18n/index.ts";
import { registerMeta } from "../meta.ts";
import { commonStyles } from "../styles.ts";
import { emit } from "../shell/tabs.ts";
import { recordsBar, recordsGrid, type RecordRow } from "./register-grid.ts";
import { today } from "../../../server/calendar.ts";

export class RegisterView extends LitElement {
  static override properties = { name: {}, message: { state: true }, count: { state: true } };
  static override styles = commonStyles;

  name = "";
  message = "";
  count: number | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    emit(this, "tab-title", { title: registerMeta(this.name)?.meta.synonym ?? this.name, dirty: false });
    void this.load();
  }

  private path(): { path: string; what: string } {
    const r = registerMeta(this.name)!;
    if (r.kind === "informationRegister")
      return { path: `/registers/${this.name}/records?limit=1000`, what: "register.records" };
    if (r.meta.registerKind === "balance") return { path: `/registers/${this.name}/balance`, what: "register.balance" };
    return { path: `/registers/${this.name}/turnovers?from=1900-01-01&to=${today()}`, what: "register.turnovers" };
  }

  async load(): Promise<void> {
    const r = registerMeta(this.name);
    if (!r) return;
    await this.updateComplete;
    try {
      const { rows } = await get<{ rows: RecordRow[] }>(this.path().path);
      this.count = rows.length;
      const host = this.renderRoot.querySelector<HTMLElement>(".grid")!;
      host.replaceChildren();
      await recordsGrid(host, r.meta, rows);
    } catch (e) {
      this.message = (e as Error).message;
    }
  }

  override render() {
    const r = registerMeta(this.name);
    return html`
      <h1 class="title">${r?.meta.synonym ?? this.name}: ${t(this.path().what)}</h1>
      ${recordsBar(this, () => this.load(), this.message)}
      <div class="grid" style="height: 520px"></div>
    `;
  }
}
customElements.define("register-view", RegisterView);
