/**
 * Checking and repairing the totals of an accumulation register against its movements, in the
 * caller's data area: verify() recomputes, set-based, the month turnovers, the cumulative
 * month-end balances and the all-time balance and lists every difference; rebuild() rewrites
 * the totals from the movements. Used by `npm run registers -- verify|rebuild`
 * (server/cli/registers.ts), the tests and the benchmarks (after bulk-loading movements).
 * The recomputation follows the writers' conventions exactly: a totals row exists for a
 * (key, month) with a non-zero turnover; a balance row for a key with a non-zero balance.
 */
import type { AccumulationRegisterMeta } from "../metadata/types.ts";
import type { Client } from "../storage/db.ts";
import { q } from "../storage/naming.ts";
import { accShape, dimOut, type AccShape } from "./shape.ts";

export interface Difference {
  /** The totals or balance table. */
  table: string;
  /** Dimension values by metadata name (null = empty). */
  key: Record<string, unknown>;
  /** 'YYYY-MM-01' for a totals row. */
  month?: string;
  column: string;
  /** null when the row is missing on that side. */
  stored: string | null;
  computed: string | null;
}

export interface RebuildResult {
  /** What was wrong before the rebuild (empty when verifyFirst was off). */
  differences: Difference[];
  /** Whether the totals were rewritten (always, with verifyFirst off; else when something differed). */
  rewritten: boolean;
  /** Rows written to the totals and the balance tables. */
  totalsRows: number;
  balanceRows: number;
}

const D = (s: AccShape, alias = "") => s.dims.map((d) => `${alias}${q(d.col)}`);
const pre = (xs: string[]) => xs.map((x) => x + ", ").join("");

/** Columns of the totals table besides keys and month. */
function totalsColumns(s: AccShape): string[] {
  return s.isBalance ? s.res.flatMap((r) => [`${r.col}_receipt`, `${r.col}_expense`, r.col]) : s.res.map((r) => r.col);
}

/** SELECT of the totals as they should be: month, dims, totalsColumns. */
function computedTotals(s: AccShape): string {
  const rs = s.res.map((r) => q(r.col));
  const part = s.dims.length ? `PARTITION BY ${D(s).join(", ")} ` : "";
  if (s.isBalance) {
    const turn = s.res.flatMap((r) => [q(`${r.col}_receipt`), q(`${r.col}_expense`)]);
    return `SELECT month, ${pre(D(s))}${s.res.map((r) => `${q(r.col + "_receipt")}, ${q(r.col + "_expense")}, sum(${q(r.col + "_receipt")} - ${q(r.col + "_expense")}) OVER (${part}ORDER BY month) AS ${q(r.col)}`).join(", ")}
              FROM (SELECT date_trunc('month', period)::date AS month, ${pre(D(s))}${rs.map((r, i) => `coalesce(sum(${r}) FILTER (WHERE record_kind = 1), 0) AS ${q(s.res[i].col + "_receipt")}, coalesce(sum(${r}) FILTER (WHERE record_kind = -1), 0) AS ${q(s.res[i].col + "_expense")}`).join(", ")}
                      FROM ${q(s.table)} GROUP BY 1${s.dims.length ? ", " + D(s).join(", ") : ""}) m
             WHERE ${turn.map((x) => `${x} <> 0`).join(" OR ")}`;
  }
  return `SELECT date_trunc('month', period)::date AS month, ${pre(D(s))}${rs.map((r) => `sum(${r} * record_kind) AS ${r}`).join(", ")}
            FROM ${q(s.table)} GROUP BY 1${s.dims.length ? ", " + D(s).join(", ") : ""}
          HAVING ${rs.map((r) => `sum(${r} * record_kind) <> 0`).join(" OR ")}`;
}

function computedBalance(s: AccShape): string {
  const rs = s.res.map((r) => q(r.col));
  return `SELECT ${pre(D(s))}${rs.map((r) => `sum(${r} * record_kind) AS ${r}`).join(", ")} FROM ${q(s.table)}
          ${s.dims.length ? "GROUP BY " + D(s).join(", ") : ""} HAVING ${rs.map((r) => `sum(${r} * record_kind) <> 0`).join(" OR ")}`;
}

async function compare(
  c: Client,
  s: AccShape,
  table: string,
  computed: string,
  cols: string[],
  withMonth: boolean,
): Promise<Difference[]> {
  const keyCols = [...s.dims.map((d) => d.col), ...(withMonth ? ["month"] : [])];
  const on = keyCols.map((k) => `t.${q(k)} = c.${q(k)}`).join(" AND ") || "true";
  const sql = `SELECT ${pre(keyCols.map((k) => `coalesce(t.${q(k)}, c.${q(k)}) AS ${q(k)}`))}
                      (t.area IS NULL) AS no_stored, (c.${q(cols[0])} IS NULL) AS no_computed,
                      ${cols.map((x, i) => `t.${q(x)}::text AS s${i}, c.${q(x)}::text AS c${i}, (t.${q(x)} IS DISTINCT FROM c.${q(x)}) AS d${i}`).join(", ")}
                 FROM ${q(table)} t FULL JOIN (${computed}) c ON ${on}
                WHERE t.area IS NULL OR c.${q(cols[0])} IS NULL OR ${cols.map((x) => `t.${q(x)} IS DISTINCT FROM c.${q(x)}`).join(" OR ")}
                ORDER BY ${keyCols.length ? keyCols.map(q).join(", ") : "1"}`;
  const r = await c.query(sql);
  const out: Difference[] = [];
  for (const row of r.rows) {
    const key: Record<string, unknown> = {};
    for (const d of s.dims) key[d.f.name] = dimOut(d, row[d.col]);
    cols.forEach((col, i) => {
      if (!row.no_stored && !row.no_computed && !row[`d${i}`]) return;
      out.push({
        table,
        key,
        ...(withMonth ? { month: row.month } : {}),
        column: col,
        stored: row.no_stored ? null : row[`s${i}`],
        computed: row.no_computed ? null : row[`c${i}`],
      });
    });
  }
  return out;
}

/** Every difference between the stored totals (and balance) and those recomputed from movements. */
export async function verify(c: Client, reg: AccumulationRegisterMeta): Promise<Difference[]> {
  const s = accShape(reg);
  const out = await compare(c, s, s.totals, computedTotals(s), totalsColumns(s), true);
  if (s.isBalance)
    out.push(
      ...(await compare(
        c,
        s,
        s.balance,
        computedBalance(s),
        s.res.map((r) => r.col),
        false,
      )),
    );
  return out;
}

/**
 * Rewrites the totals (and balance) of the current data area from the movements, set-based,
 * holding the register's data-area lock exclusively (post.ts, "Concurrency"), as a very large
 * record set does: no writer of this register in this area touches the totals until commit, so
 * every write is either committed before the rebuild reads (its movements and its totals both
 * seen) or applies its delta after it. Other data areas are not held up.
 */
export async function rebuild(
  c: Client,
  reg: AccumulationRegisterMeta,
  opts: { verifyFirst?: boolean } = {},
): Promise<RebuildResult> {
  const s = accShape(reg);
  await c.query(`SELECT pg_advisory_xact_lock($1, current_setting('app.area')::integer)`, [s.areaLockClass]);
  const differences = opts.verifyFirst === false ? [] : await verify(c, reg);
  if (opts.verifyFirst !== false && differences.length === 0) {
    return { differences, rewritten: false, totalsRows: 0, balanceRows: 0 };
  }
  const cols = totalsColumns(s).map(q);
  await c.query(`DELETE FROM ${q(s.totals)}`);
  const t = await c.query(
    `INSERT INTO ${q(s.totals)} (month, ${pre(D(s))}${cols.join(", ")}) SELECT month, ${pre(D(s))}${cols.join(", ")} FROM (${computedTotals(s)}) c`,
  );
  let balanceRows = 0;
  if (s.isBalance) {
    const rs = s.res.map((r) => q(r.col));
    await c.query(`DELETE FROM ${q(s.balance)}`);
    const b = await c.query(`INSERT INTO ${q(s.balance)} (${pre(D(s))}${rs.join(", ")}) ${computedBalance(s)}`);
    balanceRows = b.rowCount ?? 0;
  }
  return { differences, rewritten: true, totalsRows: t.rowCount ?? 0, balanceRows };
}
