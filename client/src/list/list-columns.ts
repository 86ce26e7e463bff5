/**
 * Columns and queries of a list form: the state icon (posted / not posted / marked for
 * deletion), the system fields (code and name of a catalog; date and number of a document,
 * the comment last) and the attributes, each with the sort and filter the API can answer.
 * The API sorts by any header field and filters by equality, so a column's filter offers
 * "equals" only: strings and numbers as typed, dates from a picker, enum values by synonym.
 * References to catalogs and documents are neither sorted nor filtered here (their order
 * would be the order of their ids).
 */
import type { ColDef, FilterModel, GridOptions, IGetRowsParams, SortModelItem } from "ag-grid-community";
import { t } from "../i18n/index.ts";
import { parseNumber } from "../../../server/format.ts";
import { enumMeta, type CatalogMeta, type DocumentMeta, type FieldMeta, type ObjectKind } from "../meta.ts";
import { fieldColumn } from "../grid.ts";
import { SIGNED_ICON_HTML } from "../signatures/icon.ts";
import { statusCell } from "../workflow/status.ts";

export type ListRow = Record<string, unknown> & {
  id: string;
  deletionMark?: boolean;
  posted?: boolean;
  signed?: boolean;
  presentation?: string;
};

/**
 * The header fields a list shows, in order, with their user names: the columns the configuration
 * declares (metadata `list.columns`), else every one.
 */
export function listFields(kind: ObjectKind, m: CatalogMeta | DocumentMeta): FieldMeta[] {
  const sys = (n: string) => m.system.find((f) => f.name === n);
  const named = (f: FieldMeta | undefined, key: string): FieldMeta[] => (f ? [{ ...f, synonym: t(key) }] : []);
  const declared = m.list?.columns;
  if (declared)
    return declared.flatMap((n) => {
      const a = m.attributes.find((f) => f.name === n);
      return a ? [a] : named(sys(n), `field.${n}`);
    });
  if (kind === "catalog")
    return [...named(sys("code"), "field.code"), ...named(sys("name"), "field.name"), ...m.attributes];
  return [
    ...named(sys("date"), "field.date"),
    ...named(sys("number"), "field.number"),
    ...m.attributes,
    ...named(sys("comment"), "field.comment"),
  ];
}

function filterFor(f: FieldMeta): Partial<ColDef> {
  const eq = { filterOptions: ["equals"], maxNumConditions: 1, buttons: ["apply", "reset"], closeOnApply: true };
  switch (f.type.kind) {
    case "string":
    case "number":
      return { filter: "agTextColumnFilter", filterParams: eq };
    case "date":
      return { filter: "agDateColumnFilter", filterParams: eq };
    case "ref":
      return f.type.target === "enum" ? { filter: "agTextColumnFilter", filterParams: eq } : { filter: false };
    default:
      return { filter: false };
  }
}

const sortable = (f: FieldMeta) => !(f.type.kind === "ref" && f.type.target !== "enum");

/** A narrow fixed column of icons, without a header, sorting or filter. */
const ICON_COLUMN: ColDef<ListRow> = {
  headerName: "",
  width: 34,
  minWidth: 34,
  maxWidth: 34,
  sortable: false,
  filter: false,
  resizable: false,
  suppressMovable: true,
};

/** The state icon: a small mark with a tooltip, for posted/draft documents and deletion marks. */
export function stateColumn(kind: ObjectKind): ColDef<ListRow> {
  return {
    ...ICON_COLUMN,
    colId: "__state",
    cellRenderer: (p: { data?: ListRow }) => {
      const d = p.data;
      if (!d) return "";
      const state = d.deletionMark ? "deleted" : kind === "document" ? (d.posted ? "posted" : "draft") : "item";
      const span = document.createElement("span");
      span.className = `state state-${state}`;
      span.title = t(`list.state.${state}`);
      span.textContent = state === "deleted" ? "✕" : state === "posted" ? "✓" : state === "draft" ? "□" : "■";
      return span;
    },
  };
}

/** The «Подписан» mark of a document with a valid signature. */
export function signedColumn(): ColDef<ListRow> {
  return {
    ...ICON_COLUMN,
    colId: "__signed",
    headerTooltip: t("list.signed"),
    cellRenderer: (p: { data?: ListRow }) => {
      if (!p.data?.signed) return "";
      const span = document.createElement("span");
      span.className = "signed";
      span.title = t("list.signed");
      span.innerHTML = SIGNED_ICON_HTML;
      return span;
    },
  };
}

export function listColumns(
  kind: ObjectKind,
  m: CatalogMeta | DocumentMeta,
  refs: () => Record<string, string>,
): ColDef<ListRow>[] {
  return [
    stateColumn(kind),
    ...(kind === "document" ? [signedColumn()] : []),
    ...listFields(kind, m).map(
      (f) =>
        // no flex: the list sizes its columns to the content of the first page (list-form.ts)
        fieldColumn(f, refs, { sortable: sortable(f), ...filterFor(f), ...statusCell(m, f) }) as ColDef<ListRow>,
    ),
  ];
}

/**
 * Rows of a group the configuration declares with a colour (metadata `list.groups`; the API gives
 * each row its `listGroup`) are shown in that colour, and every grouped row has the class
 * `row-group-<name>`.
 */
export function rowGroupStyle(
  m: CatalogMeta | DocumentMeta,
): Pick<GridOptions<ListRow>, "getRowClass" | "getRowStyle"> {
  const groups = m.list?.groups ?? [];
  if (!groups.length) return {};
  return {
    getRowClass: (p) => (p.data?.listGroup ? `row-group-${p.data.listGroup}` : undefined),
    getRowStyle: (p) => {
      const color = groups.find((g) => g.name === p.data?.listGroup)?.color;
      return color ? { color } : undefined;
    },
  };
}

/** The API query of one block: offset/limit, sort, equality filters and the quick search. */
export function listQuery(
  p: Pick<IGetRowsParams, "startRow" | "endRow" | "sortModel" | "filterModel">,
  fields: FieldMeta[],
  search: string,
): string {
  const q = new URLSearchParams();
  q.set("offset", String(p.startRow));
  q.set("limit", String(p.endRow - p.startRow));
  const s: SortModelItem | undefined = p.sortModel[0];
  if (s) q.set("sort", (s.sort === "desc" ? "-" : "") + s.colId);
  for (const [col, model] of Object.entries((p.filterModel ?? {}) as FilterModel)) {
    const f = fields.find((x) => x.name === col);
    const v = f && filterValue(f, model as { filter?: unknown; dateFrom?: string | null });
    if (v !== undefined) q.set(col, v);
  }
  if (search.trim()) q.set("search", search.trim());
  return q.toString();
}

function filterValue(f: FieldMeta, model: { filter?: unknown; dateFrom?: string | null }): string | undefined {
  const type = f.type;
  if (type.kind === "date") return model.dateFrom ? model.dateFrom.slice(0, 10) : undefined;
  const text = model.filter === undefined || model.filter === null ? "" : String(model.filter);
  if (type.kind === "number") return parseNumber(text) ?? undefined;
  if (type.kind === "ref" && type.target === "enum") {
    const values = enumMeta(type.name)?.values ?? [];
    const low = text.trim().toLowerCase();
    return (
      (
        values.find((v) => v.synonym.toLowerCase() === low) ??
        values.find((v) => v.synonym.toLowerCase().startsWith(low)) ??
        values.find((v) => v.name === text)
      )?.name ?? text
    );
  }
  return text;
}
