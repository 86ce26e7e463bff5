/**
 * A read-only grid of register records (movements of a document, records of an information
 * register, balances and turnovers): columns from the register's metadata — period, receipt
 * or expense, dimensions, resources, attributes (an explanation attribute included) — with
 * references shown by their presentations.
 */
import type { ColDef, GridApi } from "ag-grid-community";
import { html } from "lit";
import { formatDate } from "../../../server/format.ts";
import { fieldColumn, fitContent, makeGrid } from "../grid.ts";
import { t } from "../i18n/index.ts";
import { type AttributeMeta, formatDateTime, type RegisterMeta } from "../meta.ts";
import { resolveRefs } from "../refs.ts";
import { emit } from "../shell/tabs.ts";

export type RecordRow = Record<string, unknown>;

export function registerFields(r: RegisterMeta): AttributeMeta[] {
  return [...r.dimensions, ...r.resources, ...r.attributes];
}

export function registerColumns(
  r: RegisterMeta,
  rows: RecordRow[],
  refs: () => Record<string, string>,
): ColDef<RecordRow>[] {
  const cols: ColDef<RecordRow>[] = [];
  const has = (k: string) => rows.some((x) => k in x);
  if (has("line")) cols.push({ colId: "line", field: "line", headerName: "№", width: 60, type: "rightAligned" });
  if (has("period"))
    cols.push({
      colId: "period",
      field: "period",
      headerName: t("register.period"),
      width: 110,
      valueFormatter: (p) =>
        /T00:00:00$/.test(String(p.value ?? "")) || !String(p.value ?? "").includes("T")
          ? formatDate(p.value)
          : formatDateTime(p.value),
    });
  if (has("recordKind"))
    cols.push({
      colId: "recordKind",
      field: "recordKind",
      headerName: t("register.recordKind"),
      width: 90,
      valueFormatter: (p) => (p.value ? t(`register.${p.value}`) : ""),
    });
  for (const f of registerFields(r)) {
    const long = f.type.kind === "string" && (f.type.length ?? 0) > 100;
    // sized to the content (recordsGrid), a long text within 420 px and whole in its tooltip
    if (has(f.name)) cols.push(fieldColumn(f, refs, { minWidth: long ? 260 : 100 }) as ColDef<RecordRow>);
    // a resource's balance and turnover figures (<Res>Opening, Receipt, Expense, Turnover, Closing)
    if (r.resources.includes(f))
      for (const suffix of RESOURCE_SUFFIXES)
        if (has(f.name + suffix))
          cols.push(
            fieldColumn(
              { ...f, name: f.name + suffix, synonym: `${f.synonym}: ${t(`register.suffix.${suffix}`)}` },
              refs,
              {
                minWidth: 100,
              },
            ) as ColDef<RecordRow>,
          );
  }
  return cols;
}

/** The figures balances and turnovers give for each resource, in the order they are shown. */
export const RESOURCE_SUFFIXES = ["Opening", "Receipt", "Expense", "Turnover", "Closing"] as const;

/** Fills `host` with a grid of the rows; resolves reference presentations first. */
export async function recordsGrid(host: HTMLElement, r: RegisterMeta, rows: RecordRow[]): Promise<GridApi<RecordRow>> {
  const refs = await resolveRefs(registerFields(r), rows).catch(() => ({}) as Record<string, string>);
  return makeGrid<RecordRow>(host, {
    columnDefs: registerColumns(r, rows, () => refs),
    defaultColDef: { resizable: true, sortable: false },
    autoSizeStrategy: fitContent(),
    suppressColumnVirtualisation: true, // every column rendered, so every column is sized
    rowData: rows,
    domLayout: rows.length <= 25 ? "autoHeight" : "normal",
  });
}

/** The bar of a records view (Обновить, Закрыть) and, under it, the message of a failed read. */
export function recordsBar(view: HTMLElement, refresh: () => void, message: string) {
  return html`<div class="bar">
      <button class="cmd" data-cmd="refresh" @click=${refresh}>${t("list.refresh")}</button>
      <span class="spacer"></span>
      <button class="cmd" data-cmd="close" @click=${() => emit(view, "close-tab")}>${t("common.close")}</button>
    </div>
    ${message ? html`<div class="message">${message}</div>` : ""}`;
}
