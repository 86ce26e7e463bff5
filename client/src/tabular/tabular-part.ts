/**
 * <tabular-part>: the one reusable editor of a tabular part (1C's табличная часть) on AG Grid
 * Community. Generic: its columns come from metadata at run time.
 *
 * Properties (set from JS):
 *   meta      the tabular part from GET /api/metadata: {name, synonym, attributes:[{name,
 *             synonym, type, typeText, required}], fill}
 *   metadata  the whole /api/metadata answer (enums, reference catalogs)
 *   rows      the rows as GET /api/documents/:name/:id returns them ({line, <Attr>: value});
 *             setting it reloads the grid (the editor never writes it back)
 *   refs      uuid → presentation, as the API returns it; merged into what the editor knows
 *   readOnly  no editing, toolbar disabled
 *   computed  {column: {synonym?, compute(row), decimals?}}: computed columns, recomputed as
 *             the user types; a computed attribute is read-only and stored in the row
 *   pickColumn  the attribute Подбор fills (default: the first catalog reference column)
 *   totals    the columns the totals footer adds up (default: the amounts — numbers with two
 *             decimals; never rates or readings of different things)
 * Events (bubbling, composed):
 *   rows-changed  detail {rows, refs} after every edit (rows is computed on first read)
 *   cell-fixed    detail {table, line, column} when a cell marked with an error is edited
 *   fill-request  detail {table} when Заполнить is pressed; the form asks the server and sets rows/refs
 * Methods:
 *   getRows()                        rows in order, `line` renumbered from 1, as the API takes them
 *   selectCell(rowIndex, column)     0-based row (the server's "Table[3].Field" is line 3 → index 2)
 *   showCellError(rowIndex, column, message) / clearCellError(rowIndex, column) / clearErrors()
 *   setCell(rowIndex, column, value)  sets a cell as an edit would
 *   recompute()                      computes the computed columns again
 *   commitEdit()                     ends an edit in progress, keeping the typed value
 *   getRefs()                        every presentation the editor knows (API's + picked)
 *   pasteText(text)                  pastes a tab-separated block at the focused cell (also on a paste event)
 * Sizing: the host is a flex column, 360px high by default; give it a height or flex in the form.
 */
import { LitElement, html, nothing, type PropertyValues } from "lit";
import type { CellValueChangedEvent, GridApi } from "ag-grid-community";
import { t } from "../i18n/index.ts";
import { editorGridTheme, makeGrid } from "../grid.ts";
import type { Metadata, Refs, TabularMeta } from "../widgets/types.ts";
import { LINE_COL, columnDefs, columnSpecs, type ColumnContext } from "./columns.ts";
import { hasTotals, totals } from "./footer.ts";
import { isCommandKey, onKeyDown, type KeyTarget } from "./keyboard.ts";
import { pasteInto } from "./paste-apply.ts";
import { clearRows, exportPart, pickIntoCell, pickRows, pickSpec } from "./commands.ts";
import { tabularStyles } from "./styles.ts";
import { renderToolbar, type ToolbarAction } from "./toolbar.ts";
import { attachSettings, loadSettings, type SettingsHandle } from "../settings/grid-settings.ts";
import { ColumnChooser } from "../settings/column-chooser.ts";
import { newRid, type ColumnSpec, type ComputedMap, type EditorHost, type GridRow, type Row } from "./types.ts";
import { normalizeComputed } from "./values.ts";

interface Message {
  text: string;
  rid?: string;
  column?: string;
}

export class TabularPart extends LitElement implements EditorHost, KeyTarget {
  static override properties = {
    meta: { attribute: false },
    metadata: { attribute: false },
    rows: { attribute: false },
    refs: { attribute: false },
    readOnly: { type: Boolean, attribute: "readonly" },
    computed: { attribute: false },
    totals: { attribute: false },
    pickColumn: { type: String, attribute: "pick-column" },
    messages: { state: true },
    messageKind: { state: true },
    rowCount: { state: true },
  };
  static override styles = tabularStyles;

  meta?: TabularMeta;
  metadata?: Metadata;
  rows: Row[] = [];
  refs: Refs = {};
  readOnly = false;
  computed?: ComputedMap;
  /** The columns the footer adds up; by default the amounts (numbers with two decimals). */
  totals?: string[];
  pickColumn?: string;
  messages: Message[] = [];
  messageKind: "error" | "info" = "error";
  rowCount = 0;

  /** The grid's rows in display order (the same objects AG Grid holds). */
  data: GridRow[] = [];
  specs: ColumnSpec[] = [];
  api?: GridApi<GridRow>;
  /** @internal */ known: Refs = {};
  /** @internal */ errors = new Map<string, string>();
  private draft: { rid: string; column: string; value: unknown } | null = null;
  /** The user's saved settings of this table in its form (column widths, hidden columns). */
  settings?: SettingsHandle;

  // ---- EditorHost -------------------------------------------------------------------------
  get presentations(): Refs {
    return this.known;
  }

  rememberRef(id: string, presentation: string): void {
    this.known[id] = presentation;
  }

  setDraft(rid: string, column: string, value: unknown): void {
    const computedCols = this.specs.filter((s) => s.computed).map((s) => s.name);
    if (computedCols.length === 0) return;
    if (value === undefined) {
      if (this.draft?.rid !== rid) return;
      this.draft = null;
    } else this.draft = { rid, column, value };
    const node = this.api?.getRowNode(rid);
    if (node) this.api!.refreshCells({ rowNodes: [node], columns: computedCols, force: true });
  }

  reportError(rid: string, column: string, message: string): void {
    const i = this.data.findIndex((r) => r._rid === rid);
    const spec = this.specs.find((s) => s.name === column);
    this.markError(rid, column, t("tabular.pasteCell", { line: i + 1, column: spec?.synonym ?? column, message }));
  }

  // ---- lifecycle ---------------------------------------------------------------------------
  override render() {
    return html`${renderToolbar({
      readOnly: this.readOnly || !this.meta,
      canFill: !!this.meta?.fill,
      canPick: !!this.pickSpec(),
      hasRows: this.rowCount > 0,
      run: (a) => void this.run(a),
    })}
      ${
        this.messages.length
          ? html`<div class="messages ${this.messageKind}" role="alert">
            <button class="dismiss" title=${t("tabular.dismiss")} @click=${() => (this.messages = [])}>×</button>
            ${this.messages.map((m) => html`<div @click=${() => m.rid && this.focusRid(m.rid, m.column)}>${m.text}</div>`)}
          </div>`
          : nothing
      }
      <div class="grid" tabindex="-1"></div>`;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener("keydown", this.keydown);
    this.addEventListener("paste", this.paste);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener("keydown", this.keydown);
    this.removeEventListener("paste", this.paste);
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("refs")) Object.assign(this.known, this.refs ?? {});
    if (changed.has("meta") || changed.has("computed") || changed.has("readOnly") || changed.has("totals")) {
      this.specs = this.meta ? columnSpecs(this.meta, this.computed, this.readOnly, this.totals) : [];
    }
    if (changed.has("rows")) {
      this.data = (this.rows ?? []).map(({ line: _line, ...rest }) => ({ ...rest, _rid: newRid() }) as GridRow);
      this.data.forEach((r) => this.storeComputed(r));
      this.errors.clear();
      this.rowCount = this.data.length;
    }
  }

  override firstUpdated(): void {
    const el = this.renderRoot.querySelector(".grid") as HTMLElement;
    this.api = makeGrid<GridRow>(el, {
      theme: editorGridTheme,
      columnDefs: columnDefs(this.specs, this.columnContext()),
      rowData: this.data,
      getRowId: (p) => p.data._rid,
      defaultColDef: {
        sortable: false,
        resizable: true,
        suppressMovable: true,
        suppressHeaderMenuButton: true,
        suppressKeyboardEvent: (p) => !p.editing && isCommandKey(p.event),
      },
      rowHeight: 26,
      pinnedBottomRowData: this.footerRows(),
      stopEditingWhenCellsLoseFocus: true,
      tooltipShowDelay: 200,
      suppressCellFocus: false,
      animateRows: false,
      onCellValueChanged: (e) => this.cellChanged(e),
    });
    this.fitLineColumn();
    // the user's widths and hidden columns of this table in this form (settings/grid-settings.ts)
    const key = this.settingsKey();
    if (key) {
      const api = this.api;
      void loadSettings(key).then((s) => {
        this.settings = attachSettings(api, key, s);
      });
    }
    // a click on the grid outside any cell (an empty table, the space under the rows) focuses
    // the table, so Ins adds a row and typing does not land in another field
    el.addEventListener("click", (e) => {
      if ((e.target as Element).closest?.(".ag-cell, .ag-header, input, select, button")) return;
      if (this.data.length)
        this.focusRow(this.focusedIndex() >= 0 ? this.focusedIndex() : this.data.length - 1, this.focusedColumn());
      else el.focus();
    });
  }

  /** «table:document.Invoice.Goods»: the form's object and this table; none outside a form. */
  settingsKey(): string | undefined {
    let n: Node | null = this;
    while (n) {
      const f = n as { kind?: unknown; name?: unknown; keyContexts?: unknown };
      if (n !== this && typeof f.keyContexts === "function" && typeof f.kind === "string" && typeof f.name === "string")
        return this.meta ? `table:${f.kind}.${f.name}.${this.meta.name}` : undefined;
      n = n.parentNode ?? (n as ShadowRoot).host ?? null;
    }
    return undefined;
  }

  override updated(changed: PropertyValues<this>): void {
    if (!this.api) return;
    if (changed.has("meta") || changed.has("computed") || changed.has("readOnly") || changed.has("metadata")) {
      this.api.setGridOption("columnDefs", columnDefs(this.specs, this.columnContext()));
    }
    if (changed.has("rows")) {
      this.api.setGridOption("rowData", this.data);
      this.updateFooter();
      this.fitLineColumn();
    } else if (changed.has("refs")) this.api.refreshCells({ force: true });
    if (changed.has("meta") || changed.has("computed")) this.updateFooter();
  }

  private columnContext(): ColumnContext {
    return {
      host: this,
      valueOf: (row, spec) => this.valueOf(row, spec),
      errorOf: (row, column) => this.errors.get(row._rid + "|" + column),
      afterSet: (row) => this.storeComputed(row),
      toggle: (row, spec) => this.api?.getRowNode(row._rid)?.setDataValue(spec.name, row[spec.name] !== true),
    };
  }

  // ---- values, totals, events --------------------------------------------------------------
  valueOf(row: GridRow, spec: ColumnSpec): unknown {
    if (!spec.computed) return row[spec.name];
    const src = this.draft && this.draft.rid === row._rid ? { ...row, [this.draft.column]: this.draft.value } : row;
    try {
      return normalizeComputed(spec.computed.compute(src), spec.decimals);
    } catch {
      return null;
    }
  }

  /** @internal */ storeComputed(row: GridRow): void {
    for (const s of this.specs) if (s.computed && s.field) row[s.name] = this.valueOf(row, s);
  }

  private footerRows(): GridRow[] {
    return hasTotals(this.specs)
      ? [{ _rid: "_footer", ...totals(this.data, this.specs, (r, s) => this.valueOf(r, s)) }]
      : [];
  }

  private updateFooter(): void {
    this.api?.setGridOption("pinnedBottomRowData", this.footerRows());
  }

  private cellChanged(e: CellValueChangedEvent<GridRow>): void {
    if (!e.data || e.node.rowPinned) return;
    const column = e.column.getColId();
    const refresh = this.specs.filter((s) => s.computed).map((s) => s.name);
    if (this.errors.delete(e.data._rid + "|" + column)) {
      this.messages = this.messages.filter((m) => !(m.rid === e.data!._rid && m.column === column));
      refresh.push(column);
      // the form takes the cell's problem off its banner
      const line = this.data.indexOf(e.data) + 1;
      const detail = { table: this.meta?.name, line, column };
      this.dispatchEvent(new CustomEvent("cell-fixed", { detail, bubbles: true, composed: true }));
    }
    this.storeComputed(e.data);
    if (refresh.length) this.api!.refreshCells({ rowNodes: [e.node], columns: refresh, force: true });
    this.changed();
  }

  /** The № column grows with the count of digits of the last line number. */
  private fitLineColumn(): void {
    const width = Math.max(48, 26 + 8 * String(this.data.length).length);
    const col = this.api?.getColumn(LINE_COL);
    if (col && col.getActualWidth() !== width) this.api!.setColumnWidths([{ key: LINE_COL, newWidth: width }]);
  }

  /** After any edit: footer, toolbar state, rows-changed. */
  changed(): void {
    this.updateFooter();
    this.fitLineColumn();
    this.rowCount = this.data.length;
    const self = this;
    let rows: Row[] | undefined;
    const detail = {
      get rows() {
        return (rows ??= self.getRows());
      },
      refs: this.known,
    };
    this.dispatchEvent(new CustomEvent("rows-changed", { detail, bubbles: true, composed: true }));
  }

  // ---- public methods ----------------------------------------------------------------------
  getRows(): Row[] {
    return this.data.map(({ _rid, ...rest }, i) => ({ line: i + 1, ...rest }));
  }

  getRefs(): Refs {
    return { ...this.known };
  }

  commitEdit(): void {
    this.api?.stopEditing(false);
  }

  selectCell(rowIndex: number, column: string): boolean {
    const api = this.api;
    if (!api || rowIndex < 0 || rowIndex >= this.data.length) return false;
    const col = this.specs.some((s) => s.name === column) ? column : LINE_COL;
    api.ensureIndexVisible(rowIndex, "middle");
    api.ensureColumnVisible(col);
    api.setFocusedCell(rowIndex, col);
    return true;
  }

  showCellError(rowIndex: number, column: string, message: string): void {
    const row = this.data[rowIndex];
    if (row) this.markError(row._rid, column, message);
  }

  /** Takes a cell's error off (a form's own check found it fixed). */
  clearCellError(rowIndex: number, column: string): void {
    const row = this.data[rowIndex];
    if (!row || !this.errors.delete(row._rid + "|" + column)) return;
    this.messages = this.messages.filter((m) => !(m.rid === row._rid && m.column === column));
    const node = this.api?.getRowNode(row._rid);
    if (node) this.api!.refreshCells({ rowNodes: [node], force: true });
  }

  /** Sets a cell as an edit would (computed columns, footer, rows-changed follow). */
  setCell(rowIndex: number, column: string, value: unknown): void {
    const row = this.data[rowIndex];
    if (row) this.api?.getRowNode(row._rid)?.setDataValue(column, value);
  }

  /** Computes the computed columns again (what they read from outside the row changed). */
  recompute(): void {
    this.data.forEach((r) => this.storeComputed(r));
    this.api?.refreshCells({ force: true });
    this.updateFooter();
  }

  clearErrors(): void {
    this.errors.clear();
    this.messages = [];
    this.api?.refreshCells({ force: true });
  }

  /** @internal */ markError(rid: string, column: string, message: string): void {
    this.errors.set(rid + "|" + column, message);
    if (this.messageKind !== "error") this.messages = [];
    this.messageKind = "error";
    this.messages = [
      ...this.messages.filter((m) => !(m.rid === rid && m.column === column)),
      { text: message, rid, column },
    ];
    const node = this.api?.getRowNode(rid);
    if (node) this.api!.refreshCells({ rowNodes: [node], force: true });
  }

  /** @internal */ focusRid(rid: string, column?: string): void {
    const i = this.data.findIndex((r) => r._rid === rid);
    if (i >= 0) this.selectCell(i, column ?? LINE_COL);
  }

  // ---- KeyTarget and commands --------------------------------------------------------------
  isEditing(): boolean {
    return (this.api?.getEditingCells().length ?? 0) > 0;
  }

  focusedIndex(): number {
    const f = this.api?.getFocusedCell();
    return f && !f.rowPinned && f.rowIndex < this.data.length ? f.rowIndex : -1;
  }

  /** @internal */ focusedColumn(): string {
    return this.api?.getFocusedCell()?.column.getColId() ?? this.firstEditable();
  }

  focusedColumnKind(): string | undefined {
    const f = this.api?.getFocusedCell();
    if (!f || f.rowPinned) return undefined;
    return this.specs.find((s) => s.name === f.column.getColId())?.field?.type.kind;
  }

  private firstEditable(): string {
    return this.specs.find((s) => s.editable)?.name ?? LINE_COL;
  }

  /** @internal */ emptyRow(): GridRow {
    const row: GridRow = { _rid: newRid() };
    for (const s of this.specs) if (s.field) row[s.name] = s.field.type.kind === "boolean" ? false : null;
    return row;
  }

  /** @internal */ insert(rows: GridRow[], at: number): void {
    rows.forEach((r) => this.storeComputed(r));
    this.data.splice(at, 0, ...rows);
    this.api?.applyTransaction({ add: rows, addIndex: at });
    this.api?.refreshCells({ columns: [LINE_COL], force: true });
  }

  /** @internal */ focusRow(i: number, column: string): void {
    if (i < 0 || i >= this.data.length) return;
    this.api?.ensureIndexVisible(i);
    this.api?.setFocusedCell(i, column);
  }

  addRow(): void {
    const at = this.data.length;
    this.insert([this.emptyRow()], at);
    this.changed();
    const col = this.firstEditable();
    this.focusRow(at, col);
    if (col !== LINE_COL && this.specs.find((s) => s.name === col)?.field?.type.kind !== "boolean")
      this.api?.startEditingCell({ rowIndex: at, colKey: col });
  }

  copyRow(): void {
    const i = this.focusedIndex();
    if (i < 0) return;
    const col = this.focusedColumn();
    this.insert([{ ...this.data[i], _rid: newRid() }], i + 1);
    this.changed();
    this.focusRow(i + 1, col);
  }

  deleteRow(): void {
    const i = this.focusedIndex();
    if (i < 0) return;
    const col = this.focusedColumn();
    const [row] = this.data.splice(i, 1);
    this.api?.applyTransaction({ remove: [row] });
    this.api?.refreshCells({ columns: [LINE_COL], force: true });
    this.changed();
    this.focusRow(Math.min(i, this.data.length - 1), col);
  }

  moveRow(delta: number): void {
    const i = this.focusedIndex();
    const j = i + delta;
    if (i < 0 || j < 0 || j >= this.data.length) return;
    const col = this.focusedColumn();
    const row = this.data[i];
    this.data.splice(i, 1);
    this.data.splice(j, 0, row);
    this.api?.applyTransaction({ remove: [row] });
    this.api?.applyTransaction({ add: [row], addIndex: j });
    this.api?.refreshCells({ columns: [LINE_COL], force: true });
    this.changed();
    this.focusRow(j, col);
  }

  toggleCell(): void {
    const i = this.focusedIndex();
    const spec = this.specs.find((s) => s.name === this.focusedColumn());
    if (i >= 0 && spec?.editable)
      this.api?.getRowNode(this.data[i]._rid)?.setDataValue(spec.name, this.data[i][spec.name] !== true);
  }

  async run(action: ToolbarAction): Promise<void> {
    if (action === "csv" || action === "xlsx") return exportPart(this, action);
    if (action === "columns")
      return void (
        this.api && ColumnChooser.show(this.api, this.renderRoot.querySelector<HTMLElement>(".grid") ?? undefined)
      );
    if (action === "defaults") return this.settings?.reset();
    if (this.readOnly) return;
    this.commitEdit();
    if (action === "add") this.addRow();
    else if (action === "copy") this.copyRow();
    else if (action === "delete") this.deleteRow();
    else if (action === "up") this.moveRow(-1);
    else if (action === "down") this.moveRow(1);
    else if (action === "pick") await pickRows(this);
    else if (action === "clear") await clearRows(this);
    else if (action === "fill")
      this.dispatchEvent(
        new CustomEvent("fill-request", { detail: { table: this.meta?.name }, bubbles: true, composed: true }),
      );
  }

  // ---- keys and paste ----------------------------------------------------------------------
  private keydown = (e: KeyboardEvent) => onKeyDown(this, e);

  pickIntoCell(): void {
    void pickIntoCell(this);
  }

  pickSpec(): ColumnSpec | undefined {
    return pickSpec(this);
  }

  /** Pastes a spreadsheet block at the focused cell (the first editable column if none). */
  pasteText(text: string): Promise<void> {
    return pasteInto(this, text);
  }

  private paste = (e: Event) => {
    const ce = e as ClipboardEvent;
    if (this.readOnly || this.isEditing() || !this.meta) return;
    const text = ce.clipboardData?.getData("text/plain");
    if (!text) return;
    e.preventDefault();
    void pasteInto(this, text);
  };
}
customElements.define("tabular-part", TabularPart);
