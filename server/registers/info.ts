/**
 * Information registers: slices, record sets written by recorder documents, and records
 * written directly (independent registers). Used by the document engine (documents/post.ts
 * writes recorder sets, context.ts reads slices), the HTTP routes (http/registers.ts) and
 * reports. Tables come from storage/tables.ts#infoTables: [period date], [recorder,
 * recorder_kind, line], dimensions NOT NULL (empty value for null), resources, attributes, and
 * a unique key (area, dimensions…, period).
 *  - sliceLast(at) / sliceFirst(at): per dimension set the latest record with period ≤ at / the
 *    earliest with period ≥ at. A lookup per key, never a scan of history: with every dimension
 *    fixed by the filter, one probe of the key index (ORDER BY period DESC LIMIT 1); otherwise
 *    a recursive skip-scan walks the distinct keys on the same index and a LATERAL probe takes
 *    each key's record. `at` omitted: the latest / earliest record; non-periodic: the rows.
 *  - Periods: a day register keeps the date; a month register the first day of the month.
 */
import type { Configuration, InformationRegisterMeta } from "../metadata/types.ts";
import { UserError } from "../errors.ts";
import type { Client } from "../storage/db.ts";
import { q } from "../storage/naming.ts";
import { forJson, parseDateText, UUID_RE } from "../storage/values.ts";
import { moment } from "./dates.ts";
import { converter, dimensionFilter, dimOut, infoShape, type InfoShape } from "./shape.ts";
import type { Recorder } from "./post.ts";

type Row = Record<string, unknown>;
type Filter = Record<string, unknown> | undefined;

export interface InfoRecordInput {
  /** 'YYYY-MM-DD' (a datetime is cut to its date; month registers keep the month's first day). */
  period?: string;
  values: Record<string, unknown>;
}

const fieldsOf = (s: InfoShape) => [...s.dims, ...s.res, ...s.attrs];

function periodOf(s: InfoShape, v: unknown, where: string, field = "period"): string | null {
  if (!s.periodic) return null;
  const d = typeof v === "string" ? parseDateText(v.trim(), false) : null;
  if (!d)
    throw new UserError(
      `${where}: Период — ожидается дата ГГГГ-ММ-ДД, получено ${JSON.stringify(v)}`,
      { field },
      "invalid_value",
    );
  return s.reg.periodicity === "month" ? d.slice(0, 8) + "01" : d;
}

/** A record's values as a JSON array [period?, dims…, resources…, attributes…] for the database. */
function recordArray(
  conf: Configuration,
  s: InfoShape,
  period: unknown,
  values: Row,
  where: string,
  line?: number,
): unknown[] {
  const out: unknown[] = s.periodic ? [periodOf(s, period, where)] : [];
  const known = new Set(fieldsOf(s).map((f) => f.f.name));
  for (const k of Object.keys(values ?? {})) {
    if (!known.has(k)) throw new UserError(`${where}: у регистра нет поля «${k}»`, { field: k, line }, "unknown_field");
  }
  for (const d of s.dims)
    out.push(
      converter(
        conf,
        d.f.type,
        d.empty,
      )(values?.[d.f.name], () => ({ label: `${where}: ${d.f.synonym}`, target: { field: d.f.name, line } })),
    );
  for (const f of [...s.res, ...s.attrs])
    out.push(
      converter(conf, f.f.type)(values?.[f.f.name], () => ({
        label: `${where}: ${f.f.synonym}`,
        target: { field: f.f.name, line },
      })),
    );
  return out;
}

/** SELECT list reading such arrays back from jsonb element `e.r`. */
function arrayColumns(s: InfoShape, withPeriod = true): { cols: string[]; exprs: string[] } {
  const cols: string[] = [];
  const exprs: string[] = [];
  let i = 0;
  if (s.periodic) {
    if (withPeriod) cols.push("period"), exprs.push(`(e.r->>${i})::date`);
    i++;
  }
  for (const f of fieldsOf(s)) cols.push(q(f.col)), exprs.push(`(e.r->>${i++})::${f.baseType}`);
  return { cols, exprs };
}

/**
 * What every read of records selects: the period and the register's fields under their metadata
 * names (not the recorder's columns), so that the driver's row already is the JSON-ready record
 * but for empty values, set in place by out() — nothing else read, named or copied for slices of
 * hundreds of thousands of rows.
 */
interface RecordRead {
  columns: (alias: string) => string;
  out: (row: Row) => Row;
}
const recordReads = new WeakMap<InfoShape, RecordRead>();
function recordRead(s: InfoShape): RecordRead {
  let x = recordReads.get(s);
  if (x) return x;
  const fields = fieldsOf(s);
  const dims = s.dims;
  const rest = [...s.res, ...s.attrs];
  x = {
    columns: (alias) =>
      [...(s.periodic ? [`${alias}.period`] : []), ...fields.map((f) => `${alias}.${q(f.col)} AS ${q(f.f.name)}`)].join(
        ", ",
      ),
    out: (row) => {
      for (const d of dims) {
        const v = row[d.f.name];
        const o = dimOut(d, v);
        if (o !== v) row[d.f.name] = o;
      }
      for (const f of rest) {
        const v = row[f.f.name];
        const o = forJson(f.f.type, v);
        if (o !== v) row[f.f.name] = o;
      }
      return row;
    },
  };
  recordReads.set(s, x);
  return x;
}

/** Records per key at or below which a whole-register slice reads the index in one pass. */
const SHORT_HISTORY = 8;
const historyCache = new Map<string, { until: number; short: boolean }>();

let forced: "distinct" | "skip-scan" | null = null;

/** Forgets the measured histories; `force` pins one plan for every slice (tests compare them). */
export function forgetSliceStatistics(force: "distinct" | "skip-scan" | null = null): void {
  historyCache.clear();
  forced = force;
}

/** Which plan a slice of `reg` over many keys takes now: "distinct" (one pass) or "skip-scan". */
export async function sliceStrategy(c: Client, reg: InformationRegisterMeta): Promise<"distinct" | "skip-scan"> {
  return forced ?? ((await shortHistories(c, infoShape(reg))) ? "distinct" : "skip-scan");
}

/**
 * Whether the register keeps few records per key: measured on the first SAMPLE records in key
 * order of the asking data area (whole histories of the first keys, so the ratio is exact for
 * them; a register smaller than that is measured whole), cached per register for a minute —
 * without a query per slice to learn the area (either plan gives the same rows). The planner's
 * statistics would be cheaper but PostgreSQL hides them from a role under row-level security.
 */
const SAMPLE = 20_000;
async function shortHistories(c: Client, s: InfoShape): Promise<boolean> {
  const key = s.table;
  const hit = historyCache.get(key);
  if (hit && hit.until > Date.now()) return hit.short;
  const D = s.dims.map((d) => `t.${q(d.col)}`).join(", ");
  const r = await c.query(
    `SELECT count(*)::int AS rows, count(DISTINCT (${D}))::int AS keys FROM (SELECT ${D} FROM ${q(s.table)} t ORDER BY ${D}, t.period LIMIT ${SAMPLE}) t`,
  );
  const { rows, keys } = r.rows[0] as { rows: number; keys: number };
  const short = keys > 0 && rows / keys <= SHORT_HISTORY;
  historyCache.set(key, { until: Date.now() + 60_000, short });
  return short;
}

async function slice(
  c: Client,
  conf: Configuration,
  reg: InformationRegisterMeta,
  last: boolean,
  at: string | undefined,
  filter: Filter,
): Promise<Row[]> {
  const s = infoShape(reg);
  const read = recordRead(s);
  const cols = read.columns("t");
  const rows = async (text: string, values: unknown[]) => (await c.query(text, values)).rows.map(read.out);
  const params: unknown[] = [];
  const f = dimensionFilter(conf, reg.synonym, s.dims, filter, params, "t");
  if (!s.periodic) {
    return rows(
      `SELECT ${cols} FROM ${q(s.table)} t WHERE true${f.where.map((w) => " AND " + w).join("")} ORDER BY ${s.dims.map((d) => `t.${q(d.col)}`).join(", ") || "1"}`,
      params,
    );
  }
  let periodCond = "";
  if (at !== undefined && at !== null && at !== "") {
    params.push(moment(at, "at", last ? "end" : "start").slice(0, 10));
    periodCond = ` AND t.period ${last ? "<=" : ">="} $${params.length}::date`;
  }
  const dir = last ? "DESC" : "ASC";
  const D = s.dims.map((d) => q(d.col));
  let sql: string;
  if (f.fixed.size === s.dims.length) {
    sql = `SELECT ${cols} FROM ${q(s.table)} t WHERE true${f.where.map((w) => " AND " + w).join("")}${periodCond} ORDER BY t.period ${dir} LIMIT 1`;
  } else if ((f.where.length === 0 || f.fixed.size < f.where.length) && (await sliceStrategy(c, reg)) === "distinct") {
    // (Only a slice over many keys — no filter, or a filter by lists of values — is worth
    // measuring; one account's or one service's keys are few: the skip-scan is fine.)
    // Few records per key (statistics say so): one ordered pass over the index beats two
    // probes per key. Read backwards for the latest (the index is ascending), so no sort.
    const where = f.where.map((w) => " AND " + w).join("") + periodCond;
    const order = last ? [...D.map((d) => `t.${d} DESC`), "t.period DESC"] : [...D.map((d) => `t.${d}`), "t.period"];
    const out = await rows(
      `SELECT DISTINCT ON (${D.map((d) => `t.${d}`).join(", ")}) ${cols} FROM ${q(s.table)} t WHERE true${where} ORDER BY ${order.join(", ")}`,
      params,
    );
    return last ? out.reverse() : out;
  } else {
    // Skip-scan of the distinct keys on the (area, dims…, period) index, then one probe per key.
    const fk = dimensionFilter(conf, reg.synonym, s.dims, filter, [], "t")
      .where.map((w) => " AND " + w)
      .join("");
    const tD = D.map((d) => `t.${d}`).join(", ");
    const kD = D.map((d) => `k.${d}`).join(", ");
    sql = `WITH RECURSIVE k AS (
             (SELECT ${tD} FROM ${q(s.table)} t WHERE true${fk} ORDER BY ${tD} LIMIT 1)
             UNION ALL
             SELECT n.* FROM k, LATERAL (SELECT ${tD} FROM ${q(s.table)} t WHERE (${tD}) > (${kD})${fk} ORDER BY ${tD} LIMIT 1) n
           )
           SELECT r.* FROM k, LATERAL (SELECT ${cols} FROM ${q(s.table)} t WHERE ${D.map((d) => `t.${d} = k.${d}`).join(" AND ")}${periodCond}
                                        ORDER BY t.period ${dir} LIMIT 1) r
           ORDER BY ${s.dims.map((d) => `r.${q(d.f.name)}`).join(", ")}`;
  }
  // Key order comes from SQL: sorting here by a JSON text of each key cost seconds on slices of
  // hundreds of thousands of keys.
  return rows(sql, params);
}

/** Per dimension set, the latest record with period ≤ at (a date alone: that whole day). */
export function sliceLast(
  c: Client,
  conf: Configuration,
  reg: InformationRegisterMeta,
  at?: string,
  filter?: Filter,
): Promise<Row[]> {
  return slice(c, conf, reg, true, at, filter);
}

/** Per dimension set, the earliest record with period ≥ at. */
export function sliceFirst(
  c: Client,
  conf: Configuration,
  reg: InformationRegisterMeta,
  at?: string,
  filter?: Filter,
): Promise<Row[]> {
  return slice(c, conf, reg, false, at, filter);
}

function describeKey(s: InfoShape, arr: unknown[]): string {
  const off = s.periodic ? 1 : 0;
  const parts = s.dims.map((d, i) => `${d.f.synonym}=${arr[off + i] === d.empty ? "<пусто>" : String(arr[off + i])}`);
  if (s.periodic) parts.push(`Период=${arr[0]}`);
  return parts.join(", ");
}

/**
 * Replaces the recorder's records (recorder-mode registers). A key (dimensions + period) that
 * another recorder — or another row of this set — already holds is refused, naming it.
 */
export async function writeRecordSet(
  c: Client,
  conf: Configuration,
  reg: InformationRegisterMeta,
  recorder: Recorder,
  rows: InfoRecordInput[],
): Promise<void> {
  const s = infoShape(reg);
  if (!s.byRecorder)
    throw new UserError(
      `${reg.synonym}: регистр записывается независимо, не регистратором`,
      {},
      "independent_register",
    );
  if (!UUID_RE.test(recorder?.id ?? "")) throw new Error(`${s.table}: recorder id must be a UUID`);
  const arrays = rows.map((r, i) =>
    recordArray(conf, s, r?.period, r?.values ?? {}, `${reg.synonym}, запись ${i + 1}`, i + 1),
  );
  const { cols, exprs } = arrayColumns(s);
  // The INSERT waits for the DELETE's count, so the recorder's old rows are gone before its new
  // ones are checked against the key index.
  const r = await c.query(
    `WITH del AS (DELETE FROM ${q(s.table)} WHERE recorder = $1 RETURNING 1),
          ins AS (INSERT INTO ${q(s.table)} (recorder, recorder_kind, line, ${cols.join(", ")})
                  SELECT $1, $2, e.line, ${exprs.join(", ")} FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY e(r, line)
                   WHERE (SELECT count(*) FROM del) >= 0
                  ON CONFLICT DO NOTHING RETURNING line)
     SELECT coalesce(array_agg(line), '{}') AS lines FROM ins`,
    [recorder.id, recorder.kind, JSON.stringify(arrays)],
  );
  const written = new Set<number>((r.rows[0].lines as (number | string)[]).map(Number));
  const missing = arrays.findIndex((_, i) => !written.has(i + 1));
  if (missing < 0) return;
  const a = arrays[missing];
  const by = await c.query(
    `SELECT recorder, recorder_kind FROM ${q(s.table)} t WHERE ${[...(s.periodic ? ["t.period = $1::date"] : []), ...s.dims.map((d, i) => `t.${q(d.col)} = $${i + 1 + (s.periodic ? 1 : 0)}::${d.baseType}`)].join(" AND ") || "true"} LIMIT 1`,
    a.slice(0, s.dims.length + (s.periodic ? 1 : 0)),
  );
  const holder = by.rows[0];
  const who =
    holder && holder.recorder !== recorder.id
      ? `документ ${holder.recorder_kind} ${holder.recorder}`
      : "другая запись этого же набора";
  throw new UserError(
    `${reg.synonym}, запись ${missing + 1}: по ключу ${describeKey(s, a)} уже есть запись (${who})`,
    { line: missing + 1 },
    "duplicate_record",
  );
}

/** Removes the recorder's records (unposting). */
export async function clearRecordSet(
  c: Client,
  _conf: Configuration,
  reg: InformationRegisterMeta,
  recorderId: string,
): Promise<void> {
  const s = infoShape(reg);
  if (!s.byRecorder || !UUID_RE.test(recorderId)) return;
  await c.query(`DELETE FROM ${q(s.table)} WHERE recorder = $1`, [recorderId]);
}

/** The recorder's records by line, JSON-ready (for «Движения»). */
export async function readRecordSet(
  c: Client,
  _conf: Configuration,
  reg: InformationRegisterMeta,
  recorderId: string,
): Promise<Row[]> {
  const s = infoShape(reg);
  if (!s.byRecorder || !UUID_RE.test(recorderId)) return [];
  const read = recordRead(s);
  const r = await c.query(
    `SELECT t.line, ${read.columns("t")} FROM ${q(s.table)} t WHERE t.recorder = $1 ORDER BY t.line`,
    [recorderId],
  );
  return r.rows.map(read.out);
}

/** A record given flat ({period, Dim…, Res…}) or as {period, values}. */
function split(s: InfoShape, row: Row): { period: unknown; values: Row } {
  const named = new Set(fieldsOf(s).map((f) => f.f.name));
  if (row && typeof row.values === "object" && row.values !== null && !named.has("values"))
    return { period: row.period, values: row.values as Row };
  const { period, ...values } = row ?? {};
  return { period, values };
}

function independent(s: InfoShape): void {
  if (s.byRecorder)
    throw new UserError(
      `${s.reg.synonym}: регистр записывается документами-регистраторами, записывать его напрямую нельзя`,
      {},
      "recorder_register",
    );
}

/** Writes records of an independent register: insert, or replace the record with the same key. */
export async function writeRecords(
  c: Client,
  conf: Configuration,
  reg: InformationRegisterMeta,
  rows: Row[],
): Promise<number> {
  const s = infoShape(reg);
  independent(s);
  const byKey = new Map<string, unknown[]>();
  rows.forEach((row, i) => {
    const { period, values } = split(s, row);
    const a = recordArray(conf, s, period, values, `${reg.synonym}, запись ${i + 1}`, i + 1);
    byKey.set(JSON.stringify(a.slice(0, s.dims.length + (s.periodic ? 1 : 0))), a); // the last record of a key wins
  });
  if (byKey.size === 0) return 0;
  const { cols, exprs } = arrayColumns(s);
  const key = ["area", ...s.dims.map((d) => q(d.col)), ...(s.periodic ? ["period"] : [])];
  const rest = [...s.res, ...s.attrs].map((f) => q(f.col));
  const r = await c.query(
    `INSERT INTO ${q(s.table)} AS t (${cols.join(", ")}) SELECT ${exprs.join(", ")} FROM jsonb_array_elements($1::jsonb) e(r)
     ON CONFLICT (${key.join(", ")}) DO ${rest.length ? `UPDATE SET ${rest.map((x) => `${x} = excluded.${x}`).join(", ")}` : "NOTHING"}`,
    [JSON.stringify([...byKey.values()])],
  );
  return r.rowCount ?? 0;
}

/** Deletes records of an independent register by key ({period?, dimensions…}); returns how many. */
export async function deleteRecords(
  c: Client,
  conf: Configuration,
  reg: InformationRegisterMeta,
  keys: Row[],
): Promise<number> {
  const s = infoShape(reg);
  independent(s);
  if (keys.length === 0) return 0;
  const arrays = keys.map((k, i) => {
    const { period, values } = split(s, k);
    const where = `${reg.synonym}, ключ ${i + 1}`;
    for (const name of Object.keys(values)) {
      if (!s.dims.some((d) => d.f.name === name))
        throw new UserError(
          `${where}: «${name}» — не измерение регистра`,
          { field: name, line: i + 1 },
          "unknown_dimension",
        );
    }
    const a: unknown[] = s.periodic ? [periodOf(s, period, where)] : [];
    for (const d of s.dims)
      a.push(
        converter(
          conf,
          d.f.type,
          d.empty,
        )(values[d.f.name], () => ({ label: `${where}: ${d.f.synonym}`, target: { field: d.f.name, line: i + 1 } })),
      );
    return a;
  });
  const off = s.periodic ? 1 : 0;
  const cond = [
    ...(s.periodic ? ["t.period = (e.r->>0)::date"] : []),
    ...s.dims.map((d, i) => `t.${q(d.col)} = (e.r->>${i + off})::${d.baseType}`),
  ];
  const r = await c.query(
    `DELETE FROM ${q(s.table)} t USING jsonb_array_elements($1::jsonb) e(r) WHERE ${cond.join(" AND ") || "true"}`,
    [JSON.stringify(arrays)],
  );
  return r.rowCount ?? 0;
}

/** A page of records (by dimensions, newest period first) and the number matching the filter. */
export async function listRecords(
  c: Client,
  conf: Configuration,
  reg: InformationRegisterMeta,
  opts: { filter?: Filter; offset?: number; limit?: number } = {},
): Promise<{ rows: Row[]; total: number }> {
  const s = infoShape(reg);
  const params: unknown[] = [];
  const f = dimensionFilter(conf, reg.synonym, s.dims, opts.filter, params, "t");
  const offset = Math.max(0, Math.floor(opts.offset ?? 0));
  const limit = Math.min(100_000, Math.max(0, Math.floor(opts.limit ?? 100)));
  const where = `WHERE true${f.where.map((w) => " AND " + w).join("")}`;
  const order = [
    ...s.dims.map((d) => `t.${q(d.col)}`),
    ...(s.periodic ? ["t.period DESC"] : []),
    ...(s.byRecorder ? ["t.recorder", "t.line"] : []),
  ];
  const read = recordRead(s);
  const r = await c.query(
    `SELECT ${read.columns("t")}, count(*) OVER () AS total__ FROM ${q(s.table)} t ${where} ORDER BY ${order.join(", ") || "1"} LIMIT ${limit} OFFSET ${offset}`,
    params,
  );
  let total = r.rows.length ? Number(r.rows[0].total__) : 0;
  if (!r.rows.length && (offset > 0 || limit === 0))
    total = Number((await c.query(`SELECT count(*) AS n FROM ${q(s.table)} t ${where}`, params)).rows[0].n);
  return {
    rows: r.rows.map((x) => {
      delete x.total__;
      return read.out(x);
    }),
    total,
  };
}
