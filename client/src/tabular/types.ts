/**
 * Shapes shared by the tabular editor's modules: rows as the API sends them, the grid's own
 * row objects (the API row plus a private stable id), computed columns and the services the
 * cell editors ask of the <tabular-part> that hosts them.
 */
import type { FieldMeta, Metadata, Refs } from "../widgets/types.ts";

/** A row as the API returns and accepts it: attribute name → value, plus `line` (1-based). */
export type Row = Record<string, unknown>;

/** A row inside the grid: the API row without `line`, plus a stable id for AG Grid. */
export interface GridRow extends Row {
  _rid: string;
}

/**
 * A computed column: `compute(row)` gets the row's current values (decimal strings, with the
 * value being typed already in it) and returns a string, number, Decimal or null. If the name
 * is one of the part's attributes that column becomes read-only and its value is stored in
 * the row; otherwise an extra column is shown after the attributes.
 */
export interface ComputedColumn {
  synonym?: string;
  compute: (row: Row) => unknown;
  /** Digits after the comma; defaults to the attribute's scale. */
  decimals?: number;
}
export type ComputedMap = Record<string, ComputedColumn>;

/** One column of the editor: an attribute, or an extra computed column. */
export interface ColumnSpec {
  name: string;
  synonym: string;
  field?: FieldMeta;
  computed?: ComputedColumn;
  /** Digits after the comma for numbers (attribute scale or computed decimals). */
  decimals?: number;
  editable: boolean;
  /** Shown summed in the footer. */
  total: boolean;
}

/** What cell editors need from the editor that hosts them. */
export interface EditorHost {
  readonly metadata?: Metadata;
  readonly presentations: Refs;
  /** The value being typed (undefined = none), so computed columns follow the keystrokes. */
  setDraft(rid: string, column: string, value: unknown): void;
  /** A value the user typed could not be taken: show it, keep the old value. */
  reportError(rid: string, column: string, message: string): void;
  rememberRef(id: string, presentation: string): void;
}

let seq = 0;
export const newRid = (): string => "r" + (++seq).toString(36);
