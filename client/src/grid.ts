/**
 * AG Grid Community for every grid of the client (lists, movements, register records, the
 * journal, the picker, the tabular-part editor): only the modules the client uses, registered
 * once; one compact theme close to 1C's Taxi (the editor's rows a little taller for its cell
 * editors); the Russian texts of the grid's own interface; column definitions from metadata.
 * Every grid is made by makeGrid, so none misses the modules, the theme or the texts.
 */
import {
  CellStyleModule,
  ClientSideRowModelApiModule,
  ClientSideRowModelModule,
  ColumnApiModule,
  CustomEditorModule,
  CustomFilterModule,
  DateFilterModule,
  InfiniteRowModelModule,
  LocaleModule,
  ModuleRegistry,
  PinnedRowModule,
  RenderApiModule,
  RowApiModule,
  RowSelectionModule,
  RowStyleModule,
  ScrollApiModule,
  TextEditorModule,
  TextFilterModule,
  TooltipModule,
  createGrid,
  themeQuartz,
  type ColDef,
  type GridApi,
  type GridOptions,
} from "ag-grid-community";
import { t } from "./i18n/index.ts";
import { displayValue, isNumeric, type FieldMeta } from "./meta.ts";

let registered = false;
function register(): void {
  if (registered) return;
  ModuleRegistry.registerModules([
    ClientSideRowModelModule, // the tabular-part editor
    ClientSideRowModelApiModule, // its applyTransaction
    InfiniteRowModelModule, // lists, the journal and the picker: paged from the API
    RowApiModule,
    ColumnApiModule,
    RenderApiModule,
    ScrollApiModule,
    TextEditorModule,
    CustomEditorModule, // the editor's cell editors (tabular/editors.ts)
    TextFilterModule,
    DateFilterModule,
    CustomFilterModule, // the journal's filter
    TooltipModule,
    RowSelectionModule,
    PinnedRowModule, // the editor's totals row
    CellStyleModule,
    RowStyleModule,
    LocaleModule,
  ]);
  registered = true;
}

export const gridTheme = themeQuartz.withParams({
  fontSize: 13,
  fontFamily: 'Arial, "Helvetica Neue", sans-serif',
  headerHeight: 28,
  rowHeight: 24,
  spacing: 4,
  headerBackgroundColor: "#f2f2f2",
  accentColor: "#d9a400",
  selectedRowBackgroundColor: "#fbeeb8",
  wrapperBorderRadius: 0,
});

/** The tabular-part editor's grid: the same theme, rows a little taller for the cell editors. */
export const editorGridTheme = gridTheme.withParams({
  rowHeight: 26,
  spacing: 5,
  selectedRowBackgroundColor: "#fdf3c8",
  rangeSelectionBorderColor: "#d7a81f",
  accentColor: "#d7a81f",
  borderRadius: 2,
  wrapperBorderRadius: 2,
});

/** The grid's own strings (filters, loading, no rows) in the interface language. */
export function gridLocale(): Record<string, string> {
  return {
    loadingOoo: t("grid.loading"),
    noRowsToShow: t("grid.noRows"),
    equals: t("grid.equals"),
    contains: t("grid.contains"),
    filterOoo: t("grid.filter"),
    applyFilter: t("grid.apply"),
    resetFilter: t("grid.reset"),
    clearFilter: t("grid.reset"),
    blanks: t("grid.blank"),
    andCondition: t("grid.and"),
    orCondition: t("grid.or"),
  };
}

/** Creates a grid in `host` (a div inside a shadow root is fine). */
export function makeGrid<T>(host: HTMLElement, options: GridOptions<T>): GridApi<T> {
  register();
  return createGrid<T>(host, { theme: gridTheme, localeText: gridLocale(), ...options });
}

/** A read-only column for a metadata field; `refs` is read at render time. */
export function fieldColumn(f: FieldMeta, refs: () => Record<string, string>, extra: Partial<ColDef> = {}): ColDef {
  return {
    colId: f.name,
    field: f.name,
    headerName: f.synonym ?? f.name,
    valueFormatter: (p) => displayValue(f.type, p.value, refs()),
    type: isNumeric(f.type) ? "rightAligned" : undefined,
    sortable: false,
    minWidth: 90,
    ...extra,
  };
}
