/**
 * Validation and conversion of accumulation register records for the database, one record at
 * a time (post.ts writes small sets as jsonb, staged.ts streams large ones through COPY).
 */
import type { AccumulationRegisterMeta, Configuration } from "../metadata/types.ts";
import { UserError } from "../errors.ts";
import { parseDateText, toDb } from "../storage/values.ts";
import { converter, type AccShape, type Converter } from "./shape.ts";

export interface MovementInput {
  /** 'YYYY-MM-DDTHH:MM:SS' (a date alone means its midnight). */
  period: string;
  /** +1 receipt, -1 expense (turnover registers: always 1). */
  recordKind: 1 | -1;
  /** Dimensions, resources (Decimal, string or number) and attributes by metadata name. */
  values: Record<string, unknown>;
}

export interface Compiled {
  fields: { name: string; synonym: string; index: number; conv: Converter }[];
  byName: Map<string, number>;
  empties: unknown[];
}

const compiledCache = new WeakMap<AccShape, Compiled>();

export function compiled(conf: Configuration, s: AccShape): Compiled {
  let c = compiledCache.get(s);
  if (c) return c;
  const all = [
    ...s.dims.map((d) => ({ f: d.f, empty: d.empty as unknown })),
    ...s.res.map((r) => ({ f: r.f, empty: "0" as unknown })),
    ...s.attrs.map((a) => ({ f: a.f, empty: null as unknown })),
  ];
  c = {
    fields: all.map((x, index) => ({
      name: x.f.name,
      synonym: x.f.synonym,
      index,
      conv: converter(conf, x.f.type, x.empty === null ? undefined : (x.empty as string | boolean)),
    })),
    byName: new Map(all.map((x, i) => [x.f.name, i])),
    empties: all.map((x) => x.empty),
  };
  compiledCache.set(s, c);
  return c;
}

const MOMENT = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):([0-5]\d):([0-5]\d)$/;
const validDays = new Map<string, boolean>();

/** Moments already found valid: a posting's records share a few. */
const goodMoments = new Set<string>();

/** A period 'YYYY-MM-DDTHH:MM:SS' as is when valid (calendar days and moments cached), else parseDateText. */
function periodOf(v: unknown): string | null {
  if (typeof v !== "string") return null;
  if (goodMoments.has(v)) return v;
  if (MOMENT.test(v)) {
    const day = v.slice(0, 10);
    let ok = validDays.get(day);
    if (ok === undefined) {
      ok = parseDateText(day, false) === day;
      if (validDays.size < 100_000) validDays.set(day, ok);
    }
    if (ok) {
      if (goodMoments.size < 10_000) goodMoments.add(v);
      return v;
    }
  }
  return parseDateText(v, true);
}

/**
 * A validator of one record set's rows: each becomes [period, recordKind, dims…, resources…,
 * attributes…] (resources and attributes as the database takes them). A refused value throws a
 * UserError naming the record and field; nothing is allocated per value unless one is refused.
 * `own`: row.values is a handler's own record, whose period and kind keys are not values.
 */
export function preparer(conf: Configuration, s: AccShape, own = false): (row: MovementInput, i: number) => unknown[] {
  const cp = compiled(conf, s);
  const n = cp.empties.length;
  let i = 0;
  let field = "period";
  let synonym = "";
  const where = () => `${s.reg.synonym}, запись ${i + 1}`;
  const target = () => ({ table: s.reg.name, line: i + 1, field });
  const fieldWhere = () => ({ label: `${where()}: ${synonym}`, target: target() });
  // Per field, the text values already accepted as they are (ids, amounts and words repeat a
  // lot in a large set: a Set lookup instead of a regular expression).
  const accepted = cp.fields.map(() => new Set<string>());
  return (row, index) => {
    i = index;
    field = "period";
    if (row === null || typeof row !== "object")
      throw new UserError(`${where()}: ожидается объект движения`, target(), "invalid_movement");
    const period = periodOf(row.period);
    if (!period)
      throw new UserError(
        `${where()}: Период — ожидается дата и время ГГГГ-ММ-ДДTчч:мм:сс, получено ${JSON.stringify(row.period)}`,
        target(),
        "invalid_value",
      );
    const kind = row.recordKind;
    field = "recordKind";
    if (kind !== 1 && kind !== -1)
      throw new UserError(
        `${where()}: вид движения ${JSON.stringify(kind)} — ожидается 1 (приход) или -1 (расход)`,
        target(),
        "invalid_movement",
      );
    if (kind === -1 && !s.isBalance)
      throw new UserError(`${where()}: в регистре оборотов нет расхода`, target(), "invalid_movement");
    const r: unknown[] = new Array(n + 2);
    r[0] = period;
    r[1] = kind;
    for (let j = 0; j < n; j++) r[j + 2] = cp.empties[j];
    const values = row.values ?? {};
    for (const name in values) {
      if (own && (name === "period" || name === "kind")) continue;
      field = name;
      const idx = cp.byName.get(name);
      if (idx === undefined)
        throw new UserError(`${where()}: у регистра нет поля «${name}»`, target(), "unknown_field");
      const v = values[name];
      if (v === null || v === undefined) continue;
      const seen = accepted[idx];
      if (typeof v === "string" && seen.has(v)) {
        r[idx + 2] = v;
        continue;
      }
      const f = cp.fields[idx];
      synonym = f.synonym;
      const x = f.conv(v, fieldWhere);
      if (x === v && seen.size < 100_000) seen.add(v as string);
      r[idx + 2] = x === null ? cp.empties[idx] : x;
    }
    return r;
  };
}

/** Validates the record set; returns rows [period, recordKind, dims…, resources…, attributes…]. */
export function prepare(conf: Configuration, s: AccShape, rows: MovementInput[]): unknown[][] {
  return prepareAt(conf, s, rows.length, (i) => rows[i]);
}

/** prepare() of `count` rows produced one by one by `at` (`own`: see preparer). */
export function prepareAt(
  conf: Configuration,
  s: AccShape,
  count: number,
  at: (i: number) => MovementInput,
  own = false,
): unknown[][] {
  const one = preparer(conf, s, own);
  const out: unknown[][] = new Array(count);
  for (let i = 0; i < count; i++) out[i] = one(at(i), i);
  return out;
}

/**
 * A posting handler's record (`ctx.movements.<R>.add`: period, kind "receipt"/"expense", and the
 * register's fields by name) as a MovementInput; the period defaults to the document's date. Its
 * values are the record itself (writeRecordSet is told to skip period and kind): a million
 * records are not copied once more.
 */
export function handlerMovement(
  conf: Configuration,
  reg: AccumulationRegisterMeta,
  row: Record<string, unknown>,
  i: number,
  defaultPeriod: string,
): MovementInput {
  const kind = row.kind;
  if (kind !== undefined && kind !== "receipt" && kind !== "expense")
    throw new UserError(
      `${reg.synonym}, запись ${i + 1}: вид движения «${kind}» — ожидается receipt или expense`,
      {},
      "invalid_movement",
    );
  if (kind === "expense" && reg.registerKind === "turnover")
    throw new UserError(`${reg.synonym}, запись ${i + 1}: в регистре оборотов нет расхода`, {}, "invalid_movement");
  const given = row.period ?? defaultPeriod;
  const period = periodOf(given) ?? (toDb(conf, { kind: "datetime" }, given, "Период", { field: "period" }) as string);
  return { period, recordKind: kind === "expense" ? -1 : 1, values: row };
}
