/**
 * Columns of the tabular editor from the part's metadata: a № column (line numbers), one
 * column per attribute with its Russian synonym as header, and the extra computed columns.
 * Each attribute type gets its display (Russian numbers with the column's decimals, dates
 * dd.mm.yyyy, presentations of references, enum synonyms, a checkbox for booleans) and its
 * editor (editors.ts). Cells with an error or an empty required value are marked.
 */
import type { CellClassParams, ColDef, ICellRendererParams, ValueGetterParams } from "ag-grid-community";
import { t } from "../i18n/index.ts";
import type { TabularMeta } from "../widgets/types.ts";
import { EnumCellEditor, RefCellEditor, TextCellEditor } from "./editors.ts";
import type { ColumnSpec, ComputedMap, EditorHost, GridRow } from "./types.ts";
import { displayValue, isBlank } from "./values.ts";

export const LINE_COL = "_line";

/** The columns in display order: attributes (some computed), then extra computed columns. */
export function columnSpecs(
  meta: TabularMeta,
  computed: ComputedMap | undefined,
  readOnly: boolean,
  totalsOf?: string[],
): ColumnSpec[] {
  const summed = (name: string, rule: boolean) => (totalsOf ? totalsOf.includes(name) : rule);
  const specs: ColumnSpec[] = meta.attributes.map((f) => {
    const c = computed?.[f.name];
    const decimals = f.type.kind === "number" ? (c?.decimals ?? f.type.scale) : c?.decimals;
    return {
      name: f.name,
      synonym: c?.synonym ?? f.synonym ?? f.name,
      field: f,
      computed: c,
      decimals,
      editable: !readOnly && !c,
      // totals only for amounts (money: two decimals), never for rates or readings of different things
      total: summed(f.name, f.type.kind === "number" && decimals === 2),
    };
  });
  for (const [name, c] of Object.entries(computed ?? {})) {
    if (meta.attributes.some((f) => f.name === name)) continue;
    specs.push({
      name,
      synonym: c.synonym ?? name,
      computed: c,
      decimals: c.decimals,
      editable: false,
      total: summed(name, c.decimals === 2),
    });
  }
  return specs;
}

export interface ColumnContext {
  host: EditorHost;
  /** The value of a column in a row, with computed columns computed (and the draft applied). */
  valueOf(row: GridRow, spec: ColumnSpec): unknown;
  errorOf(row: GridRow, column: string): string | undefined;
  toggle(row: GridRow, spec: ColumnSpec): void;
  /** Called as soon as a value is written (computed values of the row are stored at once). */
  afterSet(row: GridRow): void;
}

function widthOf(spec: ColumnSpec): Partial<ColDef> {
  const ty = spec.field?.type;
  if (!ty) return { width: 120 };
  switch (ty.kind) {
    case "ref":
      return ty.target === "enum" ? { width: 140 } : { flex: 2, minWidth: 180 };
    case "number":
      return { width: 120 };
    case "date":
      return { width: 115 };
    case "datetime":
      return { width: 150 };
    case "boolean":
      return { width: 80 };
    default:
      return { flex: 1, minWidth: 140 };
  }
}

function checkbox(p: ICellRendererParams<GridRow>, spec: ColumnSpec, ctx: ColumnContext): HTMLElement | string {
  if (p.node.rowPinned || !p.data) return "";
  const box = document.createElement("input");
  box.type = "checkbox";
  box.className = "tp-check";
  box.tabIndex = -1;
  box.checked = p.value === true;
  box.disabled = !spec.editable;
  box.addEventListener("click", (e) => {
    e.preventDefault();
    if (spec.editable && p.data) ctx.toggle(p.data, spec);
  });
  return box;
}

export function columnDefs(specs: ColumnSpec[], ctx: ColumnContext): ColDef<GridRow>[] {
  const line: ColDef<GridRow> = {
    colId: LINE_COL,
    headerName: t("tabular.lineNo"),
    width: 48,
    pinned: "left",
    editable: false,
    suppressNavigable: false,
    cellClass: "tp-line",
    valueGetter: (p) => (p.node?.rowPinned ? "" : (p.node?.rowIndex ?? 0) + 1),
  };
  const defs = specs.map((spec): ColDef<GridRow> => {
    const ty = spec.field?.type;
    const isNumber = ty?.kind === "number" || (!ty && spec.decimals !== undefined);
    const def: ColDef<GridRow> = {
      colId: spec.name,
      headerName: spec.synonym,
      headerTooltip: spec.synonym,
      ...widthOf(spec),
      editable: (p) => spec.editable && !p.node.rowPinned,
      valueGetter: (p: ValueGetterParams<GridRow>) => {
        if (!p.data) return null;
        if (p.node?.rowPinned) return p.data[spec.name];
        return ctx.valueOf(p.data, spec);
      },
      valueSetter: (p) => {
        if (!p.data) return false;
        p.data[spec.name] = p.newValue;
        ctx.afterSet(p.data);
        return true;
      },
      valueFormatter: (p) => displayValue(ty, p.value, ctx.host.presentations, ctx.host.metadata, spec.decimals),
      cellClass: [isNumber ? "tp-num" : "", spec.computed ? "tp-computed" : ""].filter(Boolean),
      cellClassRules: {
        "tp-error": (p: CellClassParams<GridRow>) =>
          !!p.data && !p.node.rowPinned && ctx.errorOf(p.data, spec.name) !== undefined,
        "tp-required": (p: CellClassParams<GridRow>) => !!spec.field?.required && !p.node.rowPinned && isBlank(p.value),
        "tp-total": (p: CellClassParams<GridRow>) => !!p.node.rowPinned,
      },
      tooltipValueGetter: (p) => (p.data && !p.node?.rowPinned ? ctx.errorOf(p.data, spec.name) : undefined),
    };
    if (ty?.kind === "boolean") {
      def.cellRenderer = (p: ICellRendererParams<GridRow>) => checkbox(p, spec, ctx);
      def.editable = false;
    } else if (ty?.kind === "ref" && ty.target === "enum") {
      def.cellEditor = EnumCellEditor;
    } else if (ty?.kind === "ref") {
      def.cellEditor = RefCellEditor;
      def.cellEditorPopup = true;
      def.cellEditorPopupPosition = "over";
    } else if (ty) {
      def.cellEditor = TextCellEditor;
    }
    def.cellEditorParams = { host: ctx.host, field: spec.field };
    return def;
  });
  return [line, ...defs];
}
