/**
 * openPicker({catalog, multi, title?, kind?}) → Promise<Array<{id, presentation, row}>>: the
 * full choice form of a catalog (or document list), 1C's «форма выбора». A modal with a search
 * box over an AG Grid list on the infinite row model (pages of the list API, so a catalog of
 * any size opens at once). With `multi` the rows have checkboxes and OK returns every checked
 * row (or the focused one if none is checked); without, OK/Enter/double-click returns the
 * focused row. Отмена, Esc or closing returns []. Columns: code (if the catalog has codes),
 * the presentation, and the catalog's first plain attributes.
 */
import type { ColDef, GridApi, IDatasource } from "ag-grid-community";
import { get } from "../api.ts";
import { formatDate, formatNumber } from "../../../server/format.ts";
import { t } from "../i18n/index.ts";
import { makeGrid } from "../grid.ts";
import { loadMetadata } from "./metadata.ts";
import { itemOf, type ListAnswer, type RefItem } from "./ref-search.ts";
import { modalButton, openModal } from "./dialog.ts";
import { enumOf, listPath, type FieldMeta, type ListKind, type Metadata } from "./types.ts";

export interface PickerOptions {
  catalog: string;
  multi: boolean;
  title?: string;
  kind?: ListKind;
  /** Text to search for when the picker opens (e.g. what was typed in the field). */
  search?: string;
}

export type PickedItem = RefItem;

const PAGE = 100;

function attributeColumns(md: Metadata, fields: FieldMeta[], refs: Record<string, string>): ColDef[] {
  return fields
    .filter((f) => f.type.kind !== "boolean")
    .slice(0, 4)
    .map((f): ColDef => {
      const ty = f.type;
      return {
        colId: f.name,
        headerName: f.synonym,
        width: 150,
        valueGetter: (p) => p.data?.[f.name],
        valueFormatter: (p) => {
          const v = p.value;
          if (v === null || v === undefined) return "";
          if (ty.kind === "number") return formatNumber(v, ty.scale);
          if (ty.kind === "date" || ty.kind === "datetime") return formatDate(v);
          if (ty.kind === "ref" && ty.target === "enum")
            return enumOf(md, ty.name)?.values.find((x) => x.name === v)?.synonym ?? String(v);
          if (ty.kind === "ref") return refs[String(v)] ?? String(v);
          return String(v);
        },
      };
    });
}

export async function openPicker(opts: PickerOptions): Promise<PickedItem[]> {
  const kind = opts.kind ?? "catalog";
  const md = await loadMetadata().catch(() => undefined);
  const meta = (kind === "document" ? md?.documents : md?.catalogs)?.find((c) => c.name === opts.catalog);
  const heading = opts.title ?? (meta ? meta.synonym : opts.catalog);

  return new Promise((resolve) => {
    const { modal, close } = openModal(heading, { wide: true });
    modal.classList.add("picker");
    let api: GridApi | undefined;
    let finished = false;
    const finish = (items: PickedItem[]) => {
      if (finished) return;
      finished = true;
      api?.destroy();
      close();
      resolve(items);
    };

    const search = document.createElement("input");
    search.className = "picker-search";
    search.type = "search";
    search.placeholder = t("picker.search");
    search.value = opts.search ?? "";
    search.setAttribute(
      "style",
      "font:inherit;padding:4px 6px;border:1px solid #a0a0a0;border-radius:2px;margin-bottom:8px",
    );
    const gridEl = document.createElement("div");
    gridEl.className = "picker-grid";
    gridEl.setAttribute("style", "flex:1;min-height:0");
    modal.append(search, gridEl);

    const refs: Record<string, string> = {};
    const columns: ColDef[] = [];
    if (kind === "catalog" && (meta && "codeLength" in meta ? meta.codeLength : 1) > 0)
      columns.push({ colId: "code", headerName: t("picker.code"), field: "code", width: 120 });
    if (kind === "document")
      columns.push({ colId: "number", headerName: t("picker.number"), field: "number", width: 120 });
    columns.push({
      colId: "presentation",
      headerName: t("picker.name"),
      field: "presentation",
      flex: 1,
      minWidth: 200,
    });
    if (md && meta) columns.push(...attributeColumns(md, meta.attributes, refs));

    let text = search.value.trim();
    const datasource: IDatasource = {
      getRows(p) {
        const q = new URLSearchParams({ offset: String(p.startRow), limit: String(p.endRow - p.startRow) });
        if (text) q.set("search", text);
        get<ListAnswer>(`${listPath(kind, opts.catalog)}?${q}`)
          .then((r) => {
            Object.assign(refs, r.refs);
            p.successCallback(r.rows, r.total);
          })
          .catch(() => p.failCallback());
      },
    };

    const chosen = (): PickedItem[] => {
      const sel = api?.getSelectedRows() ?? [];
      if (sel.length) return sel.map(itemOf);
      const f = api?.getFocusedCell();
      // nothing chosen yet: the focused row, else (Enter in the search box) the first one found
      const node = api?.getDisplayedRowAtIndex(f ? f.rowIndex : 0);
      return node?.data ? [itemOf(node.data)] : [];
    };

    api = makeGrid(gridEl, {
      columnDefs: columns,
      defaultColDef: { sortable: false, resizable: true },
      rowModelType: "infinite",
      rowHeight: 26,
      cacheBlockSize: PAGE,
      maxBlocksInCache: 50,
      getRowId: (p) => String(p.data.id),
      datasource,
      rowSelection: opts.multi
        ? { mode: "multiRow", checkboxes: true, headerCheckbox: false, enableClickSelection: false }
        : { mode: "singleRow", checkboxes: false, enableClickSelection: true },
      onRowDoubleClicked: (e) => {
        if (!opts.multi && e.data) finish([itemOf(e.data)]);
        else e.node.setSelected(!e.node.isSelected());
      },
      onCellKeyDown: (e) => {
        const ke = e.event as KeyboardEvent | undefined;
        if (ke?.key === "Enter") {
          ke.preventDefault();
          finish(chosen());
        }
      },
    });

    let timer: ReturnType<typeof setTimeout> | undefined;
    search.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        text = search.value.trim();
        api?.purgeInfiniteCache();
      }, 250);
    });
    search.addEventListener("keydown", (e) => {
      if (e.key === "ArrowDown") {
        e.preventDefault();
        const first = api?.getDisplayedRowAtIndex(0);
        if (first) {
          api?.ensureIndexVisible(0);
          api?.setFocusedCell(0, "presentation");
        }
      } else if (e.key === "Enter") {
        e.preventDefault();
        e.stopPropagation();
        clearTimeout(timer);
        const now = search.value.trim();
        if (now !== text) {
          text = now;
          api?.purgeInfiniteCache();
        } else finish(chosen());
      }
    });

    const ok = modalButton(t("common.ok"), true, () => finish(chosen()));
    ok.className = "picker-ok";
    const cancel = modalButton(t("common.cancel"), false, () => finish([]));
    cancel.className = "picker-cancel";
    modal.append(ok, cancel);
    modal.onKey = (e) => {
      if (e.key === "Escape") {
        e.preventDefault();
        finish([]);
      }
    };
    // the modal's slot exists only once it has rendered
    void modal.updateComplete.then(() => search.focus());
  });
}
