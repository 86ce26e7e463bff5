/**
 * The shape of a register as the engine uses it: table and function names, dimension,
 * resource and attribute columns with their SQL types and empty values, and fast value
 * converters (the common, already-valid value passes a regular expression; anything else goes
 * through storage/values.ts#toDb, which either converts it or raises the UserError naming the
 * record and field). Shared by ddl.ts, post.ts, read.ts, verify.ts and info.ts.
 */
import { Decimal } from "decimal.js";
import type {
  AccumulationRegisterMeta,
  Configuration,
  Field,
  InformationRegisterMeta,
  TypeDef,
} from "../metadata/types.ts";
import { UserError, type ErrorTarget } from "../errors.ts";
import { accumBalanceTable, accumTable, accumTotalsTable, col, infoTable, q } from "../storage/naming.ts";
import { EMPTY_REF, indexName, sqlType } from "../storage/columns.ts";
import { forJson, toDb } from "../storage/values.ts";
import { unknownDimension } from "./errors.ts";

export interface Column {
  f: Field;
  col: string;
  /** The column's SQL type, e.g. numeric(15,3). */
  sqlType: string;
  /** The type without modifiers, for casts that must not truncate silently. */
  baseType: string;
}

export interface Dimension extends Column {
  /** The empty value as the database holds it (NOT NULL dimensions). */
  empty: string | boolean;
}

export interface Resource extends Column {
  scale: number;
}

export interface AccShape {
  reg: AccumulationRegisterMeta;
  table: string;
  totals: string;
  balance: string;
  isBalance: boolean;
  dims: Dimension[];
  res: Resource[];
  attrs: Column[];
  /** plpgsql functions: write a record set given as jsonb / from the COPY staging table. */
  writeFn: string;
  stagedFn: string;
  staging: string;
  /** Temporary tables of the staged function: the old set per (month, key), and the delta. */
  stagedOld: string;
  stagedDelta: string;
  /** First key of pg_advisory_xact_lock for the register's totals keys. */
  keyLockClass: number;
  /**
   * First key of the register's data-area lock (the second is the area): taken shared by every
   * writer of up to KEY_LOCK_LIMIT keys before its key locks, exclusive by a larger one (post.ts).
   */
  areaLockClass: number;
}

export interface InfoShape {
  reg: InformationRegisterMeta;
  table: string;
  periodic: boolean;
  byRecorder: boolean;
  dims: Dimension[];
  res: Column[];
  attrs: Column[];
}

/** A stable signed 32-bit hash (FNV-1a) for advisory-lock classes; it need not match hashtext. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

const base = (t: TypeDef) => sqlType(t).replace(/\(.*\)/, "");

export function emptyOf(t: TypeDef): string | boolean {
  switch (t.kind) {
    case "string":
      return "";
    case "number":
      return "0";
    case "boolean":
      return false;
    case "date":
      return "0001-01-01";
    case "datetime":
      return "0001-01-01T00:00:00";
    case "ref":
      return t.target === "enum" ? "" : EMPTY_REF;
  }
}

function column(f: Field): Column {
  return { f, col: col(f.name), sqlType: sqlType(f.type), baseType: base(f.type) };
}
const dimension = (f: Field): Dimension => ({ ...column(f), empty: emptyOf(f.type) });

const accCache = new WeakMap<AccumulationRegisterMeta, AccShape>();
const infoCache = new WeakMap<InformationRegisterMeta, InfoShape>();

export function accShape(reg: AccumulationRegisterMeta): AccShape {
  let s = accCache.get(reg);
  if (s) return s;
  const table = accumTable(reg.name);
  s = {
    reg,
    table,
    totals: accumTotalsTable(reg.name),
    balance: accumBalanceTable(reg.name),
    isBalance: reg.registerKind === "balance",
    dims: reg.dimensions.map(dimension),
    res: reg.resources.map((f) => ({ ...column(f), scale: f.type.kind === "number" ? f.type.scale : 0 })),
    attrs: reg.attributes.map(column),
    writeFn: indexName(table, "write"),
    stagedFn: indexName(table, "write_staged"),
    staging: indexName(table, "in"),
    stagedOld: indexName(table, "old"),
    stagedDelta: indexName(table, "delta"),
    keyLockClass: hash32(`${table}#keys`),
    areaLockClass: hash32(`${table}#area`),
  };
  accCache.set(reg, s);
  return s;
}

export function infoShape(reg: InformationRegisterMeta): InfoShape {
  let s = infoCache.get(reg);
  if (s) return s;
  s = {
    reg,
    table: infoTable(reg.name),
    periodic: reg.periodicity !== "none",
    byRecorder: reg.writeMode === "recorder",
    dims: reg.dimensions.map(dimension),
    res: reg.resources.map(column),
    attrs: reg.attributes.map(column),
  };
  infoCache.set(reg, s);
  return s;
}

const UUID_LOWER = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Where a bad value sits, for the message: computed only when the value is refused. */
export type Where = () => { label: string; target: ErrorTarget };
export type Converter = (v: unknown, where: Where) => unknown;

/**
 * A converter to the database form for one field: the fast path accepts the common valid
 * spelling as is; everything else goes through toDb. null/undefined become `empty` when given.
 */
export function converter(conf: Configuration | undefined, t: TypeDef, empty?: string | boolean): Converter {
  // Without the configuration at hand (readers called with a register only), an enum value is
  // checked as a string of the enum column's width.
  const type: TypeDef = !conf && t.kind === "ref" && t.target === "enum" ? { kind: "string", length: 100 } : t;
  const slow: Converter = (v, where) => {
    const w = v === null || v === undefined ? { label: "", target: {} } : where();
    const x = toDb(conf as Configuration, type, v instanceof Decimal ? v.toString() : v, w.label, w.target);
    return x === null && empty !== undefined ? empty : x;
  };
  if (t.kind === "number") {
    const re = new RegExp(`^-?\\d{1,${t.precision - t.scale}}${t.scale > 0 ? `(\\.\\d{1,${t.scale}})?` : ""}$`);
    return (v, where) => (typeof v === "string" && re.test(v) ? v : slow(v, where));
  }
  if (t.kind === "ref" && t.target !== "enum") {
    return (v, where) => (typeof v === "string" && UUID_LOWER.test(v) ? v : slow(v, where));
  }
  // Fast paths of the common values (a million records of a posting pass here): a string short
  // enough in UTF-16 units is short enough in characters; an enum value by name.
  if (type.kind === "string") {
    const max = type.length;
    return (v, where) => (typeof v === "string" && v.length <= max ? v : slow(v, where));
  }
  if (t.kind === "ref" && t.target === "enum" && conf) {
    const names = new Set(conf.enums.get(t.name)?.values.map((x) => x.name) ?? []);
    return (v, where) => (typeof v === "string" && names.has(v) ? v : slow(v, where));
  }
  return slow;
}

/** A dimension value from the database as JSON: the empty value reads as null. */
export function dimOut(d: Dimension, v: unknown): unknown {
  if (v === null || v === undefined || v === d.empty) return null;
  if (d.f.type.kind === "number" && new Decimal(String(v)).isZero()) return null;
  return forJson(d.f.type, v);
}

/** A resource total from the database as a decimal string with the resource's scale. */
export const resOut = (r: { scale: number }, v: unknown): string =>
  new Decimal(v === null || v === undefined ? 0 : String(v)).toFixed(r.scale);

/**
 * Conditions on dimensions by metadata name: a value means equality, an array any of its values
 * (values checked by type; null means the empty value). Appends parameters to `params` and
 * returns SQL conditions on `alias`; `fixed` holds the dimensions pinned to one value.
 */
export function dimensionFilter(
  conf: Configuration | undefined,
  regSynonym: string,
  dims: Dimension[],
  filter: Record<string, unknown> | undefined,
  params: unknown[],
  alias: string,
): { where: string[]; fixed: Set<string> } {
  const where: string[] = [];
  const fixed = new Set<string>();
  for (const [name, value] of Object.entries(filter ?? {})) {
    const d = dims.find((x) => x.f.name === name);
    if (!d)
      throw unknownDimension(
        regSynonym,
        name,
        dims.map((x) => x.f),
      );
    const conv = converter(conf, d.f.type, d.empty);
    const where_ = () => ({ label: `${regSynonym}, отбор ${d.f.synonym}`, target: { field: name } });
    if (Array.isArray(value)) {
      // Any of the values: one query for a whole set of keys.
      if (value.length > 100_000)
        throw new UserError(
          `${regSynonym}, отбор ${d.f.synonym}: не больше 100 000 значений, передано ${value.length}`,
          { field: name },
          "invalid_filter",
        );
      params.push(value.map((x) => conv(x, where_)));
      where.push(`${alias}.${q(d.col)} = ANY($${params.length}::${d.baseType}[])`);
      continue;
    }
    params.push(conv(value, where_));
    where.push(`${alias}.${q(d.col)} = $${params.length}::${d.baseType}`);
    fixed.add(d.col);
  }
  return { where, fixed };
}
