/**
 * A register opened from a section, as 1C shows one: a period (from–to, with the quick choices
 * Этот месяц, Прошлый месяц, Квартал, Год) and, for an accumulation register, what to show —
 * its movements (each with its recorder: a click opens the document), turnovers, and for a
 * balance register balances at the period's end or balances and turnovers; an information
 * register's records (those of the period when it is periodic). Rows are sorted by period, then
 * by the dimensions' presentations; every dimension has a filter; the totals row adds up the
 * resources of an accumulation register only (an information register's resources — rates,
 * readings — are never added). Read-only; documents write these registers.
 */
import type { ColDef, GridApi } from "ag-grid-community";
import { Decimal } from "decimal.js";
import { LitElement, html } from "lit";
import { get } from "../api.ts";
import { t } from "../i18n/index.ts";
import { documentMeta, registerMeta, type FieldMeta, type RegisterMeta } from "../meta.ts";
import { commonStyles } from "../styles.ts";
import { emit, objectKey } from "../shell/tabs.ts";
import { fitContent, makeGrid } from "../grid.ts";
import { resolveRefs } from "../refs.ts";
import { RESOURCE_SUFFIXES, registerColumns, registerFields, type RecordRow } from "./register-grid.ts";
import { addMonths, monthStart, today } from "../../../server/calendar.ts";
import { formatDate } from "../../../server/format.ts";
import { displayValue } from "../meta.ts";

type Mode = "movements" | "turnovers" | "balance" | "balanceAndTurnovers" | "records";

/** The most rows a view reads at once (the API's page); past it the view says to narrow. */
const LIMIT = 1000;

/** [from, to] of a quick choice, relative to today. */
export function quickPeriod(choice: "thisMonth" | "lastMonth" | "quarter" | "year", day = today()): [string, string] {
  const month = monthStart(day);
  switch (choice) {
    case "thisMonth":
      return [month, lastDay(month)];
    case "lastMonth":
      return [addMonths(month, -1), lastDay(addMonths(month, -1))];
    case "quarter": {
      const q = `${day.slice(0, 5)}${String(Math.floor((Number(day.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, "0")}-01`;
      return [q, lastDay(addMonths(q, 2))];
    }
    default:
      return [`${day.slice(0, 4)}-01-01`, `${day.slice(0, 4)}-12-31`];
  }
}

/** The last day of a month ('YYYY-MM-01' → 'YYYY-MM-31'). */
function lastDay(month: string): string {
  const next = addMonths(month, 1);
  const d = new Date(Date.UTC(Number(next.slice(0, 4)), Number(next.slice(5, 7)) - 1, 0));
  return `${month.slice(0, 8)}${String(d.getUTCDate()).padStart(2, "0")}`;
}

export class RegisterView extends LitElement {
  static override properties = {
    name: {},
    message: { state: true },
    count: { state: true },
    mode: { state: true },
    from: { state: true },
    to: { state: true },
  };
  static override styles = commonStyles;

  name = "";
  message = "";
  count: number | null = null;
  mode: Mode = "movements";
  from = "";
  to = "";
  private grid?: GridApi<RecordRow>;
  private loads = 0;

  private get reg(): { kind: "accumulationRegister" | "informationRegister"; meta: RegisterMeta } | undefined {
    return registerMeta(this.name);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const r = this.reg;
    if (r?.kind === "informationRegister") this.mode = "records";
    [this.from, this.to] = quickPeriod("thisMonth");
    emit(this, "tab-title", { title: r?.meta.synonym ?? this.name, dirty: false });
    void this.load();
  }

  /** The modes of this register: movements and turnovers, and balances for a balance register. */
  private modes(): Mode[] {
    const r = this.reg;
    if (!r || r.kind === "informationRegister") return ["records"];
    return r.meta.registerKind === "balance"
      ? ["movements", "balanceAndTurnovers", "balance", "turnovers"]
      : ["movements", "turnovers"];
  }

  private path(): string {
    const n = `/registers/${this.name}`;
    const range = `from=${this.from}&to=${this.to}`;
    switch (this.mode) {
      case "records":
        return `${n}/records?limit=${LIMIT}`;
      case "movements":
        return `${n}/movements?${range}&limit=${LIMIT}`;
      case "balance":
        return `${n}/balance?at=${this.to}`;
      case "balanceAndTurnovers":
        return `${n}/balance-and-turnovers?${range}`;
      default:
        return `${n}/turnovers?${range}`;
    }
  }

  async load(): Promise<void> {
    const r = this.reg;
    if (!r || !this.from || !this.to) return;
    await this.updateComplete;
    const n = ++this.loads;
    try {
      let { rows } = await get<{ rows: RecordRow[] }>(this.path());
      if (n !== this.loads) return; // a later read (another period or mode) answers instead
      // an information register's records: those of the period (a periodic one), all otherwise
      if (this.mode === "records")
        rows = rows.filter(
          (x) => !x.period || (String(x.period) >= this.from && String(x.period).slice(0, 10) <= this.to),
        );
      this.count = rows.length;
      this.message = rows.length >= LIMIT ? t("register.more", { n: LIMIT }) : "";
      await this.show(r, rows, n);
    } catch (e) {
      this.message = (e as Error).message;
    }
  }

  /** Fills the grid: presentations of dimensions and recorders first, then columns, sort, totals. */
  private async show(r: { kind: string; meta: RegisterMeta }, rows: RecordRow[], n: number): Promise<void> {
    const recorderFields: FieldMeta[] = [...new Set(rows.map((x) => String(x.recorderKind ?? "")).filter(Boolean))].map(
      (kind) => ({ name: `__recorder_${kind}`, type: { kind: "ref", target: "document", name: kind } }),
    );
    const keyed = rows.map((x) => (x.recorderKind ? { ...x, [`__recorder_${x.recorderKind}`]: x.recorder } : x));
    const refs = await resolveRefs([...registerFields(r.meta), ...recorderFields], keyed).catch(
      () => ({}) as Record<string, string>,
    );
    if (n !== this.loads) return;
    const text = (f: FieldMeta, v: unknown) => displayValue(f.type, v, refs);
    const cols = registerColumns(r.meta, rows, () => refs).map((c): ColDef<RecordRow> => {
      const dim = r.meta.dimensions.find((d) => d.name === c.colId);
      if (c.colId === "period") return { ...c, sortable: true, sort: "asc", sortIndex: 0 };
      if (!dim) return { ...c, sortable: true };
      // sorted and filtered by what the user sees (a reference by its presentation)
      return {
        ...c,
        sortable: true,
        sort: "asc",
        sortIndex: 1 + r.meta.dimensions.indexOf(dim),
        comparator: (a, b) => text(dim, a).localeCompare(text(dim, b), "ru"),
        filter: "agTextColumnFilter",
        filterValueGetter: (p) => text(dim, p.data?.[dim.name]),
        filterParams: { buttons: ["reset"], maxNumConditions: 1 },
      };
    });
    if (rows.some((x) => x.recorder)) cols.splice(1, 0, this.recorderColumn(refs));
    const host = this.renderRoot.querySelector<HTMLElement>(".grid")!;
    this.grid?.destroy();
    host.replaceChildren();
    this.grid = makeGrid<RecordRow>(host, {
      columnDefs: cols,
      defaultColDef: { resizable: true },
      autoSizeStrategy: fitContent(),
      suppressColumnVirtualisation: true,
      rowData: rows,
      pinnedBottomRowData: r.kind === "accumulationRegister" && rows.length ? [this.totals(r.meta, rows)] : [],
      getRowStyle: (p) => (p.node.rowPinned ? { fontWeight: "bold", background: "#f7f3e3" } : undefined),
    });
  }

  /** The recorder: its presentation, a click opens the document. */
  private recorderColumn(refs: Record<string, string>): ColDef<RecordRow> {
    return {
      colId: "recorder",
      headerName: t("register.recorder"),
      sortable: true,
      valueGetter: (p) =>
        p.data?.recorder
          ? (refs[String(p.data.recorder)] ?? documentMeta(String(p.data.recorderKind))?.synonym ?? "")
          : "",
      tooltipValueGetter: (p) => p.value,
      cellRenderer: (p: { data?: RecordRow; value?: string }) => {
        const d = p.data;
        if (!d?.recorder) return p.value ?? "";
        const a = document.createElement("a");
        a.href = "#";
        a.className = "recorder";
        a.textContent = p.value ?? "";
        a.addEventListener("click", (e) => {
          e.preventDefault();
          emit(this, "open-tab", { key: objectKey("document", String(d.recorderKind), String(d.recorder)) });
        });
        return a;
      },
    };
  }

  /** The totals row: each resource (and its balance and turnover figures) added up. */
  private totals(r: RegisterMeta, rows: RecordRow[]): RecordRow {
    const out: RecordRow = { period: null };
    for (const f of r.resources)
      for (const name of [f.name, ...RESOURCE_SUFFIXES.map((s) => f.name + s)]) {
        if (!rows.some((x) => name in x)) continue;
        let sum = new Decimal(0);
        for (const x of rows) {
          const v = x[name];
          if (v === null || v === undefined || v === "") continue;
          // a movement's expense lowers the balance: movements add receipts and take expenses
          sum = x.recordKind === "expense" && name === f.name ? sum.minus(String(v)) : sum.plus(String(v));
        }
        out[name] = sum.toFixed(f.type.kind === "number" ? f.type.scale : 2);
      }
    return out;
  }

  private quick(choice: "thisMonth" | "lastMonth" | "quarter" | "year"): void {
    [this.from, this.to] = quickPeriod(choice);
    void this.load();
  }

  private setDate(which: "from" | "to", v: string): void {
    if (!v) return;
    this[which] = v;
    void this.load();
  }

  override render() {
    const r = this.reg;
    const modes = this.modes();
    return html`
      <h1 class="title">${r?.meta.synonym ?? this.name}: ${t(`register.${this.mode}`)}</h1>
      <div class="bar period">
        <label>${this.mode === "balance" ? t("register.at") : t("register.from")}
          ${this.mode === "balance" ? "" : html`<input type="date" name="from" .value=${this.from} @change=${(e: Event) => this.setDate("from", (e.target as HTMLInputElement).value)} />`}
        </label>
        <label>${this.mode === "balance" ? "" : t("register.to")}
          <input type="date" name="to" .value=${this.to} @change=${(e: Event) => this.setDate("to", (e.target as HTMLInputElement).value)} />
        </label>
        ${(["thisMonth", "lastMonth", "quarter", "year"] as const).map(
          (q) => html`<button class="cmd" data-quick=${q} @click=${() => this.quick(q)}>${t(`register.${q}`)}</button>`,
        )}
        ${
          modes.length > 1
            ? html`<label>${t("register.mode")}
              <select name="mode" @change=${(e: Event) => {
                this.mode = (e.target as HTMLSelectElement).value as Mode;
                void this.load();
              }}>
                ${modes.map((m) => html`<option value=${m} ?selected=${m === this.mode}>${t(`register.${m}`)}</option>`)}
              </select></label>`
            : ""
        }
        <span class="spacer"></span>
        <span class="total">${this.count === null ? "" : t("register.shown", { n: this.count })} · ${formatDate(this.from)} – ${formatDate(this.to)}</span>
        <button class="cmd" data-cmd="refresh" @click=${() => this.load()}>${t("list.refresh")}</button>
        <button class="cmd" data-cmd="close" @click=${() => emit(this, "close-tab")}>${t("common.close")}</button>
      </div>
      ${this.message ? html`<div class="message">${this.message}</div>` : ""}
      <div class="grid" style="height: 520px"></div>
    `;
  }
}
customElements.define("register-view", RegisterView);
