/**
 * The list form of a catalog or a document, generic from metadata: AG Grid's infinite row
 * model against the paged API (blocks of 100 rows, the total from the API, so a million rows
 * scroll without being loaded), column sort and equality filters passed to the API, a quick
 * search, the state icon, and the commands Создать (Ins), Скопировать (F9), Изменить
 * (Enter, F2, double-click), Пометить на удаление (Del); the grid takes the focus when the list
 * opens; for documents Провести and Отменить
 * проведение too. Lists refresh when a form announces a change of their objects. Commands the
 * user's rights (metadata `rights`) do not allow are not shown; documents show «Подписан».
 */

import type { GridApi, IDatasource, IGetRowsParams } from "ag-grid-community";
import { html, LitElement } from "lit";
import type { ExportFormat } from "../../../server/http/api-types.ts";
import { ApiError, get, post, put } from "../api.ts";
import { downloadList } from "../export/export.ts";
import { fitContent, makeGrid } from "../grid.ts";
import { t } from "../i18n/index.ts";
import { allowed, type ObjectKind, objectMeta } from "../meta.ts";
import { ColumnChooser } from "../settings/column-chooser.ts";
import { attachSettings, hasWidths, loadSettings, type SettingsHandle } from "../settings/grid-settings.ts";
import { ask } from "../shell/dialog.ts";
import { is, type KeyContext } from "../shell/keymap.ts";
import { announceChange, emit, newKey, objectKey } from "../shell/tabs.ts";
import { commonStyles } from "../styles.ts";
import { statusBar, statusQuery } from "../workflow/status.ts";
import { type ListRow, listColumns, listFields, listQuery, rowGroupStyle } from "./list-columns.ts";

export const BLOCK = 100;

export class ListForm extends LitElement {
  static override properties = {
    kind: {},
    name: {},
    search: { state: true },
    message: { state: true },
    total: { state: true },
    statusFilter: { state: true },
    mineOnly: { state: true },
  };
  static override styles = commonStyles;

  kind: ObjectKind = "catalog";
  name = "";
  search = "";
  message = "";
  total: number | null = null;
  /** The workflow's status filter and «Мои» (workflow/status.ts). */
  statusFilter = "";
  mineOnly = false;
  grid?: GridApi<ListRow>;
  private refs: Record<string, string> = {};
  /** The user's saved settings of this list (column order, widths, visibility, sort, filters). */
  settings?: SettingsHandle;
  private searchTimer?: ReturnType<typeof setTimeout>;

  private get meta() {
    const m = objectMeta(this.kind, this.name);
    if (!m) throw new Error(`no ${this.kind} ${this.name} in the configuration`);
    return m;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener("keydown", this.onKey);
    window.addEventListener("objects-changed", this.onChanged);
    emit(this, "tab-title", { title: this.meta.synonym, dirty: false });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener("keydown", this.onKey);
    window.removeEventListener("objects-changed", this.onChanged);
  }

  /** Ins anywhere in the list but the search box creates (an empty list has no cell to take it). */
  private onKey = (e: KeyboardEvent) => {
    if (!is("listCreate", e) || e.defaultPrevented || !allowed(this.meta, "write")) return;
    if (e.composedPath()[0] instanceof HTMLInputElement) return;
    e.preventDefault();
    this.create();
  };

  /**
   * Puts the focus in the grid, as 1C does when a list opens: on the focused (or first) row, or
   * on the grid itself when it is empty, so Ins, Enter and F2 work at once. Only when the list
   * is shown (a tab restored in the background keeps its hands off the focus).
   */
  focusGrid(): void {
    const host = this.renderRoot.querySelector<HTMLElement>(".grid");
    if (!this.grid || !host || host.offsetParent === null) return;
    const col = listFields(this.kind, this.meta)[0]?.name;
    const at = this.grid.getFocusedCell()?.rowIndex ?? 0;
    if (col && this.grid.getDisplayedRowAtIndex(at)?.data) this.grid.setFocusedCell(at, col);
    else host.focus();
  }

  private onChanged = (e: Event) => {
    const d = (e as CustomEvent<{ kind: string; name: string }>).detail;
    if (d.kind === this.kind && d.name === this.name) this.refresh();
  };

  /** Reloads the visible blocks (after a change elsewhere). */
  refresh(): void {
    this.grid?.refreshInfiniteCache();
  }

  /** The key of this list's saved settings. */
  get settingsKey(): string {
    return `list:${this.kind}.${this.name}`;
  }

  override firstUpdated(): void {
    const host = this.renderRoot.querySelector<HTMLElement>(".grid")!;
    const m = this.meta;
    const fields = listFields(this.kind, m);
    const mark = `list:${this.kind}.${this.name}`;
    performance.mark(mark + ":start");
    let first = true;
    type Page = { rows: ListRow[]; total: number | null; refs: Record<string, string> };
    // Blocks come without the total (count=false) so rows never wait for a count over the
    // whole list; the total is asked for once per filter and search, in parallel, and sets the
    // grid's row count when it arrives.
    const pathOf = (p: Pick<IGetRowsParams, "startRow" | "endRow" | "sortModel" | "filterModel">) =>
      `/${this.kind === "catalog" ? "catalogs" : "documents"}/${this.name}?${listQuery(p, fields, this.search)}${statusQuery(this)}&count=false`;
    let counted: { key: string; total: Promise<number | null>; value: number | null } | undefined;
    const countFor = (p: Pick<IGetRowsParams, "sortModel" | "filterModel">): { value: number | null } => {
      const q = new URLSearchParams(
        listQuery({ startRow: 0, endRow: 1, sortModel: [], filterModel: p.filterModel }, fields, this.search),
      );
      const key = q.toString() + statusQuery(this);
      if (counted?.key !== key) {
        // A moment later, so counting a large list never competes with drawing its first rows.
        const total = new Promise((wait) => setTimeout(wait, 200))
          .then(() => get<Page>(`/${this.kind === "catalog" ? "catalogs" : "documents"}/${this.name}?${key}`))
          .then(
            (r) => r.total,
            () => null,
          );
        const entry = { key, total, value: null as number | null };
        counted = entry;
        total.then((n) => {
          if (n === null || counted !== entry) return;
          entry.value = n;
          this.total = n;
          this.grid?.setRowCount(n, true);
        });
      }
      return counted;
    };
    // The first block is asked for before the grid is built, so the two overlap.
    let prefetch: { path: string; answer: Promise<Page> } | undefined;
    const firstQuery = { startRow: 0, endRow: BLOCK, sortModel: [], filterModel: {} };
    const firstPath = pathOf(firstQuery);
    prefetch = { path: firstPath, answer: get<Page>(firstPath) };
    prefetch.answer.catch(() => {});
    // the user's settings are read beside the first block, applied when they come (widths again
    // once the columns were sized to the first rows)
    const saved = loadSettings(this.settingsKey);
    let rendered = false;
    const datasource: IDatasource = {
      getRows: (p: IGetRowsParams) => {
        const path = pathOf(p);
        const answer = prefetch?.path === path ? prefetch.answer : get<Page>(path);
        prefetch = undefined;
        answer.then(
          (r) => {
            // The count after the rows (it must not compete with showing them), once per filter.
            const count = countFor(p);
            Object.assign(this.refs, r.refs);
            this.message = "";
            // The page may show the end of the list itself; else the count (if it is in) or "more".
            const known = r.total ?? count.value;
            if (r.total !== null) this.total = r.total;
            p.successCallback(r.rows, known ?? -1);
            if (first) {
              first = false;
              this.focusGrid();
              // for bench/client.ts: from the grid's creation to the first page in its rows
              requestAnimationFrame(() => performance.measure(mark + ":first-page", mark + ":start"));
            }
          },
          (e) => {
            this.message = (e as Error).message;
            p.failCallback();
          },
        );
      },
    };
    this.grid = makeGrid<ListRow>(host, {
      columnDefs: listColumns(this.kind, m, () => this.refs),
      defaultColDef: { resizable: true },
      autoSizeStrategy: fitContent(),
      onFirstDataRendered: () => {
        rendered = true;
        requestAnimationFrame(() => this.settings?.apply());
      },
      suppressColumnVirtualisation: true, // every column rendered, so every column is sized
      rowModelType: "infinite",
      cacheBlockSize: BLOCK,
      maxBlocksInCache: 50,
      infiniteInitialRowCount: 1,
      suppressAnimationFrame: true,
      datasource,
      getRowId: (p) => p.data.id,
      ...rowGroupStyle(m), // rows in the colour of their group (metadata `list.groups`)
      rowSelection: { mode: "singleRow", checkboxes: false, enableClickSelection: true },
      onRowDoubleClicked: (e) => e.data && this.openRow(e.data),
      onCellKeyDown: (e) => this.onGridKey(e.event as KeyboardEvent | undefined, e.data ?? undefined, e.node),
      onCellFocused: (e) => {
        // a row still loading (the list re-read for a saved sort) cannot be selected yet
        const node = e.rowIndex != null ? this.grid?.getDisplayedRowAtIndex(e.rowIndex) : undefined;
        if (node?.data) node.setSelected(true);
      },
    });
    const grid = this.grid;
    void saved.then((s) => {
      this.settings = attachSettings(grid, this.settingsKey, s, {
        filters: true,
        defaults: () => grid.autoSizeAllColumns(),
      });
      if (!rendered && !hasWidths(s)) this.settings.apply = () => {}; // nothing the sizing could undo
    });
  }

  /** «Восстановить настройки по умолчанию»: the list's columns, sort and filters as defined. */
  async resetSettings(): Promise<void> {
    await this.settings?.reset();
  }

  private onGridKey(
    ev: KeyboardEvent | undefined,
    data: ListRow | undefined,
    node: { setSelected(v: boolean): void },
  ): void {
    if (!ev) return;
    const write = allowed(this.meta, "write");
    if (is("listOpen", ev) && data) this.openRow(data);
    else if (is("listCopy", ev) && data && write) node.setSelected(true), this.copy();
    else if (is("listMark", ev) && data && write) node.setSelected(true), void this.toggleMark();
    else return;
    ev.preventDefault();
  }

  /** The keys F1 lists for this form (shell/keymap.ts). */
  keyContexts(): KeyContext[] {
    return ["list", "window"];
  }

  private selected(): ListRow | undefined {
    return this.grid?.getSelectedRows()[0];
  }

  private openRow(r: ListRow): void {
    emit(this, "open-tab", { key: objectKey(this.kind, this.name, r.id) });
  }

  create(): void {
    emit(this, "open-tab", { key: newKey(this.kind, this.name) });
  }

  copy(): void {
    const r = this.selected();
    if (r) emit(this, "open-tab", { key: newKey(this.kind, this.name, r.id) });
  }

  open(): void {
    const r = this.selected();
    if (r) this.openRow(r);
  }

  private path(id: string): string {
    return `/${this.kind === "catalog" ? "catalogs" : "documents"}/${this.name}/${id}`;
  }

  async toggleMark(): Promise<void> {
    const r = this.selected();
    if (!r) return;
    const mark = !r.deletionMark;
    const answer = await ask(t(mark ? "list.askMark" : "list.askUnmark", { name: r.presentation ?? "" }), [
      { value: "yes", label: t("common.yes") },
      { value: "no", label: t("common.no") },
    ]);
    if (answer !== "yes") return;
    await this.act(() => put(this.path(r.id), { deletionMark: mark }));
  }

  private async setPosted(posted: boolean): Promise<void> {
    const r = this.selected();
    if (r) await this.act(() => post(`${this.path(r.id)}/${posted ? "post" : "unpost"}`));
  }

  private async act(f: () => Promise<unknown>): Promise<void> {
    try {
      await f();
      this.message = "";
      announceChange(this.kind, this.name);
    } catch (e) {
      this.message = e instanceof ApiError ? e.message : String(e);
    }
  }

  /**
   * The list as a CSV or Excel file (the server's ?format=): the columns shown, in their order,
   * with the grid's sort, filters, search and status filter — every row, not only those loaded.
   */
  async exportAs(format: ExportFormat): Promise<void> {
    const fields = listFields(this.kind, this.meta);
    const names = new Set(fields.map((f) => f.name));
    const columns = (this.grid?.getAllDisplayedColumns() ?? []).map((c) => c.getColId()).filter((c) => names.has(c));
    const sort = (this.grid?.getColumnState() ?? [])
      .filter((c) => c.sort)
      .sort((a, b) => (a.sortIndex ?? 0) - (b.sortIndex ?? 0))
      .map((c) => ({ colId: c.colId, sort: c.sort! }));
    const q = new URLSearchParams(
      listQuery(
        { startRow: 0, endRow: 1, sortModel: sort, filterModel: this.grid?.getFilterModel() ?? {} },
        fields,
        this.search,
      ),
    );
    q.delete("offset");
    q.delete("limit");
    q.set("format", format);
    if (columns.length) q.set("columns", columns.join(","));
    try {
      await downloadList(
        `/${this.kind === "catalog" ? "catalogs" : "documents"}/${this.name}?${q}${statusQuery(this)}`,
        `${this.meta.synonym}.${format}`,
      );
      this.message = "";
    } catch (e) {
      this.message = t("export.failed", { message: (e as Error).message });
    }
  }

  /** Re-reads the list from its first row (a status filter or «Мои» changed). */
  refilter(): void {
    this.grid?.purgeInfiniteCache();
  }

  private onSearch(e: Event): void {
    this.search = (e.target as HTMLInputElement).value;
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => this.grid?.purgeInfiniteCache(), 250);
  }

  override render() {
    const doc = this.kind === "document";
    const write = allowed(this.meta, "write");
    return html`
      <h1 class="title">${this.meta.synonym}</h1>
      <div class="bar">
        ${
          write
            ? html`<button class="cmd default" data-cmd="create" @click=${() => this.create()}>${t("list.create")}</button>
              <button class="cmd" data-cmd="copy" @click=${() => this.copy()}>${t("list.copy")}</button>`
            : ""
        }
        <button class="cmd ${write ? "" : "default"}" data-cmd="open" @click=${() => this.open()}>${t("list.open")}</button>
        ${write ? html`<button class="cmd" data-cmd="mark" @click=${() => this.toggleMark()}>${t("list.mark")}</button>` : ""}
        ${
          doc && allowed(this.meta, "post")
            ? html`<button class="cmd" data-cmd="post" @click=${() => this.setPosted(true)}>${t("doc.post")}</button>
              <button class="cmd" data-cmd="unpost" @click=${() => this.setPosted(false)}>${t("doc.unpost")}</button>`
            : ""
        }
        <button class="cmd" data-cmd="refresh" @click=${() => this.refresh()}>${t("list.refresh")}</button>
        <button class="cmd" data-cmd="export-csv" title=${t("export.csvTip")} @click=${() => this.exportAs("csv")}>${t("export.csv")}</button>
        <button class="cmd" data-cmd="export-xlsx" title=${t("export.xlsxTip")} @click=${() => this.exportAs("xlsx")}>${t("export.xlsx")}</button>
        <button class="cmd" data-cmd="columns" title=${t("settings.columnsTip")} @click=${() => this.grid && ColumnChooser.show(this.grid, this.renderRoot.querySelector<HTMLElement>(".grid") ?? undefined)}>${t("settings.columnsCmd")}</button>
        <button class="cmd" data-cmd="reset-settings" title=${t("settings.resetTip")} @click=${() => this.resetSettings()}>${t("settings.reset")}</button>
        ${statusBar(this)}
        <span class="spacer"></span>
        <input class="search" type="search" placeholder=${t("list.search")} .value=${this.search} @input=${this.onSearch} />
        <span class="total">${this.total === null ? "" : t("list.total", { n: this.total })}</span>
      </div>
      ${this.message ? html`<div class="message">${this.message}</div>` : ""}
      <div class="grid" tabindex="-1"></div>
    `;
  }
}
customElements.define("list-form", ListForm);
