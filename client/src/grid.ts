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
  ColumnAutoSizeModule,
  CustomEditorModule,
  CustomFilterModule,
  EventApiModule,
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
import { currentLang, t } from "./i18n/index.ts";
import { gridRu } from "./i18n/grid.ts";
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
    ColumnAutoSizeModule, // read-only grids size their columns to the content on first open
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
    EventApiModule, // saved form settings listen to column changes (settings/grid-settings.ts)
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

/**
 * The grid's own strings (overlays, filters, menus, screen reader labels) in the interface
 * language: Russian from i18n/grid.ts, the one place for them; in English the grid's own.
 */
export function gridLocale(): Record<string, string> {
  if (currentLang() !== "ru") return { loadingOoo: t("grid.loading"), noRowsToShow: t("grid.noRows") };
  return { ...gridRu, loadingOoo: t("grid.loading"), noRowsToShow: t("grid.noRows") };
}

/** Creates a grid in `host` (a div inside a shadow root is fine). */
export function makeGrid<T>(host: HTMLElement, options: GridOptions<T>): GridApi<T> {
  register();
  return createGrid<T>(host, {
    theme: gridTheme,
    localeText: gridLocale(),
    // a cut cell shows its whole text on hover (columns that give a tooltip text: fieldColumn)
    tooltipShowMode: "whenTruncated",
    tooltipShowDelay: 400,
    ...options,
  });
}

/**
 * Columns sized to their content when the first rows are shown (the header included), the last
 * space shared out, a long text column kept within `maxWidth` (its whole text is in the tooltip).
 */
export function fitContent(maxWidth = 420): GridOptions["autoSizeStrategy"] {
  return { type: "fitCellContents", scaleUpToFitGridWidth: true, defaultMaxWidth: maxWidth };
}

/** A read-only column for a metadata field (with the whole text as its tooltip); `refs` is read at render time. */
export function fieldColumn(f: FieldMeta, refs: () => Record<string, string>, extra: Partial<ColDef> = {}): ColDef {
  return {
    colId: f.name,
    field: f.name,
    headerName: f.synonym ?? f.name,
    valueFormatter: (p) => displayValue(f.type, p.value, refs()),
    tooltipValueGetter: (p) => p.valueFormatted ?? (p.value == null ? "" : String(p.value)),
    type: isNumeric(f.type) ? "rightAligned" : undefined,
    sortable: false,
    minWidth: 90,
    ...extra,
  };
}
