/**
 * Columns and tables as the migrator compares them with the live database: their definitions,
 * the SQL type of each metadata type and its empty value, the `area` column that leads every
 * key, and index names that fit PostgreSQL's limit. The table model (tables.ts) and the
 * registers' tables (registers/tables.ts) are built from these.
 */
import type { Field, TypeDef } from "../metadata/types.ts";
import { col, q } from "./naming.ts";

export interface ColumnDef {
  name: string;
  /** Exactly as PostgreSQL's format_type() prints it, so the migrator can compare strings. */
  sqlType: string;
  notNull: boolean;
  default?: string;
  /** "catalog Products.Sku" — how messages name the column. */
  label: string;
}

export interface IndexDef {
  name: string;
  /** Column names or SQL expressions, in order. */
  columns: string[];
  unique: boolean;
  /** A partial index's predicate (SQL over the table's columns). */
  where?: string;
}

/**
 * A reference kept by the database: (area, column) must name a row of `refTable` by (area, id),
 * so a row referring to an object and the deletion of that object can never both commit.
 */
export interface ForeignKeyDef {
  name: string;
  columns: string[];
  refTable: string;
  refColumns: string[];
  /** A tabular part's rows go with their owner. */
  onDeleteCascade?: boolean;
}

export interface TableDef {
  name: string;
  /** "catalog Products", "document Sale, tabular part Items"… */
  label: string;
  columns: ColumnDef[];
  primaryKey: string[];
  indexes: IndexDef[];
  foreignKeys?: ForeignKeyDef[];
}

export const AREA_DEFAULT = "nullif(current_setting('app.area', true), '')::integer";
export const EMPTY_REF = "00000000-0000-0000-0000-000000000000";

export function sqlType(t: TypeDef): string {
  switch (t.kind) {
    case "string":
      return `character varying(${t.length})`;
    case "number":
      return `numeric(${t.precision},${t.scale})`;
    case "boolean":
      return "boolean";
    case "date":
      return "date";
    case "datetime":
      return "timestamp(0) without time zone";
    case "ref":
      return t.target === "enum" ? "character varying(100)" : "uuid";
  }
}

/** The value a NOT NULL column of this type holds when empty (1C's "empty value"). */
export function emptyValueSql(t: TypeDef): string {
  switch (t.kind) {
    case "string":
      return "''";
    case "number":
      return "0";
    case "boolean":
      return "false";
    case "date":
      return "'0001-01-01'";
    case "datetime":
      return "'0001-01-01 00:00:00'";
    case "ref":
      return t.target === "enum" ? "''" : `'${EMPTY_REF}'`;
  }
}

export const areaColumn = (label: string): ColumnDef => ({
  name: "area",
  sqlType: "integer",
  notNull: true,
  default: AREA_DEFAULT,
  label: `${label}.area`,
});

export function fieldColumn(f: Field, label: string, notNull = false): ColumnDef {
  return {
    name: col(f.name),
    sqlType: sqlType(f.type),
    notNull,
    default: notNull ? emptyValueSql(f.type) : undefined,
    label: `${label}.${f.name}`,
  };
}

/** A stable index name that fits PostgreSQL's 63-byte limit. */
export function indexName(table: string, suffix: string): string {
  const name = `${table}__${suffix}`;
  if (name.length <= 63) return name;
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `${name.slice(0, 54)}_${h.toString(16)}`;
}

/**
 * A table kept apart by data area: row-level security enabled and forced (its owner too), the one
 * policy — rows of the transaction's `app.area` only — and the application role's rights on it,
 * no more (`grants`: e.g. "SELECT, INSERT" for a table nobody may change). Idempotent.
 */
export function areaIsolationSql(table: string, appRole: string, grants: string, areaDefault = AREA_DEFAULT): string {
  const t = q(table);
  return `ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY; ALTER TABLE ${t} FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS area_isolation ON ${t};
CREATE POLICY area_isolation ON ${t} USING (area = ${areaDefault}) WITH CHECK (area = ${areaDefault});
REVOKE ALL ON ${t} FROM ${q(appRole)};
GRANT ${grants} ON ${t} TO ${q(appRole)};`;
}
