/**
 * AG Grid Community for the shell's grids (lists, movements, register records): the modules
 * registered once, one compact theme close to 1C's Taxi, the Russian texts of the grid's own
 * interface, and column definitions from metadata fields.
 */
import { AllCommunityModule, ModuleRegistry, createGrid, themeQuartz, type ColDef, type GridApi, type GridOptions } from "ag-grid-community";
import { t } from "./i18n/index.ts";
import { displayValue, isNumeric, type FieldMeta } from "./meta.ts";

let registered = false;
function register(): void {
  if (registered) return;
  ModuleRegistry.registerModules([AllCommunityModule]);
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
