/**
 * «Журнал регистрации» (tab key "journal", for the administrator): the journal of user actions
 * (GET /api/journal, server/http/journal.ts) in AG Grid's infinite row model — newest first,
 * pages of 100 — with filters like 1C's: period (from, to), user (login), object (a catalog or
 * document of the configuration), action. Selecting an entry shows its data in the panel on the
 * right: the before/after difference of a write (journal-diff.ts) or the details of others.
 */
import { LitElement, css, html, nothing } from "lit";
import type { GridApi, IDatasource, IGetRowsParams } from "ag-grid-community";
import { get } from "../api.ts";
import { t } from "../i18n/index.ts";
import { JOURNAL_ACTIONS } from "../i18n/journal.ts";
import { makeGrid } from "../grid.ts";
import { formatDateTime, metadata } from "../meta.ts";
import { commonStyles } from "../styles.ts";
import { emit } from "../shell/tabs.ts";
import { diffRefs, renderDetails } from "./journal-diff.ts";
import type { JournalPage, JournalRow } from "../../../server/http/api-types.ts";

export type { JournalRow } from "../../../server/http/api-types.ts";

export interface JournalFilter {
  from: string;
  to: string;
  user: string;
  object: string;
  action: string;
}

const BLOCK = 100;
const EMPTY: JournalFilter = { from: "", to: "", user: "", object: "", action: "" };

/** An instant as local "dd.mm.yyyy hh:mm:ss". */
function localTime(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, "0");
  return formatDateTime(
    `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`,
  );
}

export function journalQuery(f: JournalFilter, offset: number, limit: number): string {
  const q = new URLSearchParams({ offset: String(offset), limit: String(limit) });
  for (const k of ["from", "to", "user", "object", "action"] as const) if (f[k].trim()) q.set(k, f[k].trim());
  return q.toString();
}

export class JournalForm extends LitElement {
  static override properties = {
    filter: { state: true },
    message: { state: true },
    total: { state: true },
    selected: { state: true },
    refs: { state: true },
  };
  static override styles = [
    commonStyles,
    css`
      .filters { display: flex; flex-wrap: wrap; gap: 6px 10px; align-items: center; padding: 2px 12px 6px; }
      .filters label { color: #555; }
      .filters input[type="date"] { width: 130px; }
      .body { flex: 1; display: flex; min-height: 0; margin: 0 12px 8px; gap: 8px; }
      .body .grid { flex: 2; margin: 0; }
      .detail { flex: 1; min-width: 280px; border: 1px solid #ddd; overflow: auto; padding: 6px 8px; background: #fcfcfc; }
      .detail h3 { margin: 0 0 6px; font-size: 14px; font-weight: normal; color: #444; }
      .detail h4 { margin: 8px 0 4px; font-size: 13px; }
      table.diff { border-collapse: collapse; width: 100%; }
      table.diff th, table.diff td { border: 1px solid #e2e2e2; padding: 2px 6px; text-align: left; vertical-align: top; }
      table.diff th { background: #f2f2f2; font-weight: normal; }
      table.diff td.before { background: #fff3f3; }
      table.diff td.after { background: #f1fbef; }
      table.diff tr.line td { background: #f7f7f7; color: #666; }
      .rows.added .row { color: #2c662d; }
      .rows.removed .row { color: #9f3a38; }
      .none { color: #888; }
    `,
  ];

  filter: JournalFilter = { ...EMPTY };
  message = "";
  total: number | null = null;
  selected: JournalRow | null = null;
  refs: Record<string, string> = {};
  grid?: GridApi<JournalRow>;

  override connectedCallback(): void {
    super.connectedCallback();
    emit(this, "tab-title", { title: t("journal.title"), dirty: false });
  }

  override firstUpdated(): void {
    const datasource: IDatasource = {
      getRows: (p: IGetRowsParams) => {
        get<JournalPage>(`/journal?${journalQuery(this.filter, p.startRow, p.endRow - p.startRow)}`).then(
          (r) => {
            this.total = r.total;
            this.message = "";
            p.successCallback(r.rows, r.total);
          },
          (e) => {
            this.message = (e as Error).message;
            p.failCallback();
          },
        );
      },
    };
    this.grid = makeGrid<JournalRow>(this.renderRoot.querySelector<HTMLElement>(".grid")!, {
      columnDefs: [
        {
          colId: "at",
          headerName: t("journal.at"),
          width: 150,
          valueGetter: (p) => (p.data ? localTime(p.data.at) : ""),
        },
        { colId: "user", headerName: t("journal.user"), width: 110, valueGetter: (p) => p.data?.user?.login ?? "" },
        {
          colId: "action",
          headerName: t("journal.action"),
          width: 170,
          valueGetter: (p) => (p.data ? this.actionTitle(p.data) : ""),
        },
        {
          colId: "object",
          headerName: t("journal.object"),
          flex: 1,
          minWidth: 200,
          valueGetter: (p) => (p.data ? this.objectTitle(p.data) : ""),
        },
        { colId: "ip", headerName: t("journal.ip"), width: 110, valueGetter: (p) => p.data?.ip ?? "" },
      ],
      defaultColDef: { sortable: false, filter: false, resizable: true },
      rowModelType: "infinite",
      cacheBlockSize: BLOCK,
      maxBlocksInCache: 20,
      infiniteInitialRowCount: 1,
      datasource,
      getRowId: (p) => `${p.data.chain}:${p.data.seq}`, // seq counts within its chain
      rowSelection: { mode: "singleRow", checkboxes: false, enableClickSelection: true },
      onSelectionChanged: () => void this.select(this.grid?.getSelectedRows()[0] ?? null),
    });
  }

  private actionTitle(r: JournalRow): string {
    const key = `journal.action.${r.action}`;
    const s = t(key);
    return s === `[${key}]` ? r.actionTitle : s;
  }

  private objectTitle(r: JournalRow): string {
    const o = r.object;
    const m =
      o.kind === "catalog" || o.kind === "document"
        ? metadata()[o.kind === "catalog" ? "catalogs" : "documents"].find((x) => x.name === o.name)
        : undefined;
    return [m?.synonym ?? o.name ?? "", o.title ?? ""].filter(Boolean).join(": ");
  }

  private async select(r: JournalRow | null): Promise<void> {
    this.selected = r;
    if (r) {
      const refs = await diffRefs(r.object, r.details);
      if (this.selected === r) this.refs = refs;
    }
  }

  apply(): void {
    if (this.filter.from && this.filter.to && this.filter.from > this.filter.to) {
      this.message = t("journal.badPeriod");
      return;
    }
    this.selected = null;
    this.grid?.purgeInfiniteCache();
  }

  /** Refreshes the list (the entries just made appear). */
  refresh(): void {
    this.grid?.purgeInfiniteCache();
  }

  private set(k: keyof JournalFilter, v: string): void {
    this.filter = { ...this.filter, [k]: v };
  }

  private objects(): { value: string; title: string }[] {
    const md = metadata();
    return [
      ...md.catalogs.map((c) => ({ value: `catalog.${c.name}`, title: c.synonym })),
      ...md.documents.map((d) => ({ value: `document.${d.name}`, title: d.synonym })),
    ].sort((a, b) => a.title.localeCompare(b.title, "ru"));
  }

  override render() {
    const f = this.filter;
    const input = (k: keyof JournalFilter) => (e: Event) => this.set(k, (e.target as HTMLInputElement).value);
    return html`
      <h1 class="title">${t("journal.title")}</h1>
      <div class="filters">
        <label for="j-from">${t("journal.from")}</label><input id="j-from" name="from" type="date" .value=${f.from} @change=${input("from")} />
        <label for="j-to">${t("journal.to")}</label><input id="j-to" name="to" type="date" .value=${f.to} @change=${input("to")} />
        <label for="j-user">${t("journal.user")}</label><input id="j-user" name="user" style="width:120px" .value=${f.user} @change=${input("user")} />
        <label for="j-object">${t("journal.object")}</label>
        <select id="j-object" name="object" @change=${input("object")}>
          <option value="" ?selected=${!f.object}>${t("journal.allObjects")}</option>
          ${this.objects().map((o) => html`<option value=${o.value} ?selected=${o.value === f.object}>${o.title}</option>`)}
        </select>
        <label for="j-action">${t("journal.action")}</label>
        <select id="j-action" name="action" @change=${input("action")}>
          <option value="" ?selected=${!f.action}>${t("journal.allActions")}</option>
          ${JOURNAL_ACTIONS.map((a) => html`<option value=${a} ?selected=${a === f.action}>${t(`journal.action.${a}`)}</option>`)}
        </select>
        <button class="cmd default" data-cmd="apply" @click=${() => this.apply()}>${t("journal.apply")}</button>
        <button class="cmd" data-cmd="reset" @click=${() => ((this.filter = { ...EMPTY }), this.apply())}>${t("journal.reset")}</button>
        <button class="cmd" data-cmd="refresh" @click=${() => this.refresh()}>${t("list.refresh")}</button>
        <span class="spacer" style="flex:1"></span>
        <span class="total">${this.total === null ? "" : t("list.total", { n: this.total })}</span>
      </div>
      ${this.message ? html`<div class="message" role="alert">${this.message}</div>` : nothing}
      <div class="body">
        <div class="grid"></div>
        <div class="detail">
          ${
            this.selected
              ? html`<h3>${localTime(this.selected.at)} · ${this.actionTitle(this.selected)} · ${this.objectTitle(this.selected)}</h3>${renderDetails(this.selected.object, this.selected.details, this.refs)}`
              : html`<div class="none">${t("journal.pick")}</div>`
          }
        </div>
      </div>
    `;
  }
}
customElements.define("journal-form", JournalForm);
