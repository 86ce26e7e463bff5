/**
 * Saved form settings per user (1C's «Настройки формы»), kept on the server
 * (/api/settings/forms/:form, server/settings): a grid's column order, widths, visibility and
 * sort (AG Grid's column state) and its filters. A form reads them (`loadSettings`) beside its
 * first rows while it builds its grid, and `attachSettings` applies them (again, `apply()`, once
 * the grid has sized its columns to the first rows: saved widths win), then saves every change the user makes — moving, resizing,
 * hiding a column, sorting, filtering — a moment after the last one (debounced); `reset()` is
 * «Восстановить настройки по умолчанию»: the saved settings are deleted and the grid goes back
 * to its columns as defined.
 */
import type { ColumnState, GridApi } from "ag-grid-community";
import { del, get, put } from "../api.ts";

export interface GridSettings {
  columns?: ColumnState[];
  filter?: Record<string, unknown> | null;
}

export interface SettingsHandle {
  /** Applies the saved settings again (after the grid sized its columns to the first rows). */
  apply(): void;
  /** Deletes the saved settings and shows the grid as defined. */
  reset(): Promise<void>;
  /** Saves now what is pending (for tests and closing). */
  flush(): Promise<void>;
}

const SAVE_DELAY_MS = 500;
const path = (form: string) => `/settings/forms/${encodeURIComponent(form)}`;

/** What of a column's state is the user's: order (the array's), width, hidden, sort. */
const userState = (s: ColumnState): ColumnState => ({
  colId: s.colId,
  width: s.width,
  flex: s.flex,
  hide: s.hide,
  sort: s.sort,
  sortIndex: s.sortIndex,
});

/** The user's saved settings of a form; null when none (or they cannot be read). */
export function loadSettings(form: string): Promise<GridSettings | null> {
  return get<{ settings: GridSettings | null }>(path(form)).then(
    (r) => r.settings,
    () => null,
  );
}

/** Whether saved settings fix the columns' widths (then the grid is not sized to its content). */
export const hasWidths = (s: GridSettings | null) => !!s?.columns?.some((c) => typeof c.width === "number");

export function attachSettings<T>(
  api: GridApi<T>,
  form: string,
  saved: GridSettings | null,
  o: { filters?: boolean; defaults?: () => void } = {},
): SettingsHandle {
  if (api.isDestroyed()) return { apply() {}, async reset() {}, async flush() {} }; // closed before its settings came
  let applying = true;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending: Promise<void> = Promise.resolve();
  const current = (): GridSettings => ({
    columns: api.getColumnState().map(userState),
    ...(o.filters ? { filter: api.getFilterModel() } : {}),
  });
  const save = () => {
    timer = undefined;
    pending = put(path(form), { settings: current() }).then(
      () => undefined,
      () => undefined, // a setting that could not be saved is not worth an error over the form
    );
    return pending;
  };
  const changed = (e: { source?: string; finished?: boolean }) => {
    if (applying || api.isDestroyed()) return;
    if (e.finished === false) return; // a resize in progress: the last event saves
    if (e.source === "flex" || e.source === "autosizeColumns") return; // the grid's own sizing
    clearTimeout(timer);
    timer = setTimeout(save, SAVE_DELAY_MS);
  };
  for (const ev of ["columnMoved", "columnResized", "columnVisible", "sortChanged", "filterChanged"] as const)
    api.addEventListener(ev, changed as never);
  const apply = () => {
    if (api.isDestroyed()) return;
    applying = true;
    if (saved?.columns?.length) api.applyColumnState({ state: saved.columns, applyOrder: true });
    if (o.filters && saved?.filter) api.setFilterModel(saved.filter);
    applying = false;
  };
  apply();
  return {
    apply,
    async reset() {
      clearTimeout(timer);
      applying = true;
      try {
        await pending;
        await del(path(form));
        api.resetColumnState();
        if (o.filters) api.setFilterModel(null);
        o.defaults?.();
      } finally {
        applying = false;
      }
    },
    async flush() {
      if (timer) {
        clearTimeout(timer);
        await save();
      }
      await pending;
    },
  };
}
