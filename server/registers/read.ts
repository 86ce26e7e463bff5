/**
 * Virtual tables of accumulation registers (1C's Остатки, Обороты, ОстаткиИОбороты), read by
 * posting handlers (documents/context.ts), the HTTP routes and reports. None scans history:
 *  - balance(at): the cumulative totals row of the key's latest month before at's month (an
 *    index probe on (area, dims, month)) plus at's month of movements up to `at` — or, when
 *    `at` falls in the second half of its month, the totals row of that month minus the
 *    movements after `at` — so at most half a month of movements is read; without `at`, the
 *    all-time balance table;
 *  - turnovers(from, to): whole months inside [from, to] from the totals, the partial months at
 *    the ends from the movements (day periodicity reads the movements of the range);
 *  - balanceAndTurnovers: the opening balance at `from` plus the turnovers, closing = opening +
 *    receipt − expense per period.
 * Moments: 'YYYY-MM-DD' or 'YYYY-MM-DDTHH:MM:SS'; `at` and `to` are inclusive and a date alone
 * means the end of that day; `from` alone means its start. Rows are JSON-ready: dimensions by
 * metadata name (null when empty), resources as decimal strings; all-zero rows are omitted.
 */
import { Decimal } from "decimal.js";
import type { AccumulationRegisterMeta } from "../metadata/types.ts";
import { UserError } from "../errors.ts";
import type { Client } from "../storage/db.ts";
import { q } from "../storage/naming.ts";
import { addMonths, addSeconds, dayOf, MIN_MOMENT, moment, monthOf, periodStart } from "./dates.ts";
import { notBalanceRegister } from "./errors.ts";
import { accShape, dimensionFilter, dimOut, resOut, type AccShape } from "./shape.ts";

export type Periodicity = "day" | "month" | "year" | "none";
type Row = Record<string, unknown>;
type Filter = Record<string, unknown> | undefined;

const PERIODICITIES = new Set(["day", "month", "year", "none"]);

function filterOf(s: AccShape, filter: Filter, params: unknown[], alias: string) {
  return dimensionFilter(undefined, s.reg.synonym, s.dims, filter, params, alias);
}

const D = (s: AccShape, alias: string) => s.dims.map((d) => `${alias}.${q(d.col)}`);
const pre = (xs: string[]) => xs.map((x) => x + ", ").join("");
const and = (xs: string[]) => xs.map((x) => " AND " + x).join("");

/** Raw balances per key at moment T inclusive (T null: all time). Resource columns r1..rn. */
async function balanceRaw(c: Client, s: AccShape, T: string | null, filter: Filter): Promise<Row[]> {
  const params: unknown[] = [];
  const rs = s.res.map((r) => q(r.col));
  const alias = (i: number) => `r${i + 1}`;
  if (T === null) {
    const f = filterOf(s, filter, params, "b");
    const sql = `SELECT ${pre(D(s, "b"))}${rs.map((r, i) => `b.${r} AS ${alias(i)}`).join(", ")} FROM ${q(s.balance)} b WHERE true${and(f.where)}`;
    return (await c.query(sql, params)).rows;
  }
  const fT = filterOf(s, filter, params, "t");
  const fixedAll = fT.fixed.size === s.dims.length;
  const fM = filterOf(s, filter, [], "m"); // same parameters, other alias
  const M = monthOf(T);
  const firstHalf = dayOf(T) <= 15;
  // Both bounds of the movements' range are timestamps: a date bound next to a timestamp one
  // is left out of the index condition, and the scan would run to the end of the key's history.
  params.push(M, T, firstHalf ? M + "T00:00:00" : addMonths(M, 1) + "T00:00:00");
  const pM = `$${params.length - 2}::date`,
    pT = `$${params.length - 1}::timestamp`,
    pB = `$${params.length}::timestamp`;
  const mvRange = firstHalf ? `m.period >= ${pB} AND m.period <= ${pT}` : `m.period > ${pT} AND m.period < ${pB}`;
  const sign = firstHalf ? "" : "-";
  const monthCond = firstHalf ? `t.month < ${pM}` : `t.month <= ${pM}`;
  const base = fixedAll
    ? `(SELECT ${pre(D(s, "t"))}${rs.map((r, i) => `t.${r} AS ${alias(i)}`).join(", ")} FROM ${q(s.totals)} t WHERE ${monthCond}${and(fT.where)} ORDER BY t.month DESC LIMIT 1)`
    : `(SELECT DISTINCT ON (${D(s, "t").join(", ")}) ${pre(D(s, "t"))}${rs.map((r, i) => `t.${r} AS ${alias(i)}`).join(", ")}
          FROM ${q(s.totals)} t WHERE ${monthCond}${and(fT.where)} ORDER BY ${pre(D(s, "t"))}t.month DESC)`;
  const mv = `SELECT ${pre(D(s, "m"))}${rs.map((r, i) => `${sign}m.${r} * m.record_kind AS ${alias(i)}`).join(", ")}
                FROM ${q(s.table)} m WHERE ${mvRange}${and(fM.where)}`;
  const keys = s.dims.map((d) => q(d.col));
  const sql = `SELECT ${pre(keys)}${rs.map((_, i) => `sum(${alias(i)}) AS ${alias(i)}`).join(", ")}
                 FROM (${base} UNION ALL ${mv}) x${keys.length ? " GROUP BY " + keys.join(", ") : ""}
               HAVING ${rs.map((_, i) => `sum(${alias(i)}) <> 0`).join(" OR ")}`;
  return (await c.query(sql, params)).rows;
}

function dimsOut(s: AccShape, row: Row): Row {
  const out: Row = {};
  for (const d of s.dims) out[d.f.name] = dimOut(d, row[d.col]);
  return out;
}

/**
 * Balances at the moment `at` inclusive (a date alone: the end of that day; omitted: after all
 * movements), per dimension set matching the equality `filter` (dimension names).
 */
export async function balance(c: Client, reg: AccumulationRegisterMeta, at?: string, filter?: Filter): Promise<Row[]> {
  const s = accShape(reg);
  if (!s.isBalance) throw notBalanceRegister(reg);
  const T = at === undefined || at === null || at === "" ? null : moment(at, "at", "end");
  const rows = await balanceRaw(c, s, T, filter);
  return sortRows(
    s,
    rows
      .filter((r) => s.res.some((_, i) => !new Decimal(String(r[`r${i + 1}`])).isZero()))
      .map((r) => {
        const out = dimsOut(s, r);
        s.res.forEach((x, i) => (out[x.f.name] = resOut(x, r[`r${i + 1}`])));
        return out;
      }),
  );
}

function keyText(s: AccShape, row: Row): string {
  return JSON.stringify(s.dims.map((d) => row[d.f.name] ?? null));
}

function sortRows(s: AccShape, rows: Row[]): Row[] {
  const key = (r: Row) => `${r.period ?? ""}\u0000${keyText(s, r)}`;
  return rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function periodExpr(p: Periodicity, col: string): string | null {
  if (p === "day") return `(${col})::date`;
  if (p === "month") return `date_trunc('month', ${col})::date`;
  if (p === "year") return `date_trunc('year', ${col})::date`;
  return null;
}

function range(from: string, to: string, periodicity: Periodicity): { F: string; U: string; p: Periodicity } {
  if (!PERIODICITIES.has(periodicity))
    throw new UserError(
      `Периодичность «${periodicity}»: ожидается day, month, year или none`,
      { field: "periodicity" },
      "invalid_value",
    );
  const F = moment(from, "from", "start");
  const U = moment(to, "to", "end");
  if (F > U) throw new UserError(`Начало периода ${from} позже его конца ${to}`, { field: "from" }, "invalid_range");
  return { F, U, p: periodicity };
}

/** Raw turnovers per (period, key): columns c1..ck (receipt/expense pairs, or turnovers). */
async function turnoversRaw(
  c: Client,
  s: AccShape,
  F: string,
  U: string,
  p: Periodicity,
  filter: Filter,
): Promise<Row[]> {
  const params: unknown[] = [];
  const fm = filterOf(s, filter, params, "m");
  const ft = filterOf(s, filter, [], "t");
  const rs = s.res.map((r) => q(r.col));
  const mvCols = s.isBalance
    ? rs.flatMap((r) => [
        `CASE WHEN m.record_kind = 1 THEN m.${r} ELSE 0 END`,
        `CASE WHEN m.record_kind = -1 THEN m.${r} ELSE 0 END`,
      ])
    : rs.map((r) => `m.${r} * m.record_kind`);
  const totCols = s.isBalance
    ? s.res.flatMap((r) => [`t.${q(r.col + "_receipt")}`, `t.${q(r.col + "_expense")}`])
    : rs.map((r) => `t.${r}`);
  const names = mvCols.map((_, i) => `c${i + 1}`);
  const pm = periodExpr(p, "m.period");
  const pt = periodExpr(p, "t.month");
  const branches: string[] = [];
  const param = (v: string, cast: string) => {
    params.push(v);
    return `$${params.length}::${cast}`;
  };
  const movements = (lo: string, hi: string, hiIncl: boolean) =>
    branches.push(
      `SELECT ${pm ? pm + " AS period, " : ""}${pre(D(s, "m"))}${mvCols.map((x, i) => `${x} AS ${names[i]}`).join(", ")}
         FROM ${q(s.table)} m WHERE m.period >= ${param(lo, "timestamp")} AND m.period ${hiIncl ? "<=" : "<"} ${param(hi, "timestamp")}${and(fm.where)}`,
    );
  const W1 = F === monthOf(F) + "T00:00:00" ? monthOf(F) : addMonths(monthOf(F), 1);
  const W2 = monthOf(addSeconds(U, 1));
  if (p === "day" || W1 >= W2) movements(F, U, true);
  else {
    if (F < W1 + "T00:00:00") movements(F, W1 + "T00:00:00", false);
    branches.push(
      `SELECT ${pt ? pt + " AS period, " : ""}${pre(D(s, "t"))}${totCols.map((x, i) => `${x} AS ${names[i]}`).join(", ")}
         FROM ${q(s.totals)} t WHERE t.month >= ${param(W1, "date")} AND t.month < ${param(W2, "date")}${and(ft.where)}`,
    );
    if (W2 + "T00:00:00" <= U) movements(W2 + "T00:00:00", U, true);
  }
  const keys = [...(pm ? ["period"] : []), ...s.dims.map((d) => q(d.col))];
  const sql = `SELECT ${pre(keys)}${names.map((n) => `sum(${n}) AS ${n}`).join(", ")}
                 FROM (${branches.join("\nUNION ALL\n")}) x${keys.length ? " GROUP BY " + keys.join(", ") : ""}
               HAVING ${names.map((n) => `sum(${n}) <> 0`).join(" OR ")}`;
  return (await c.query(sql, params)).rows;
}

/**
 * Turnovers over [from, to] by periodicity ("none": the whole range, no period column). Balance
 * registers: <Res>Receipt, <Res>Expense, <Res>Turnover (= receipt − expense); turnover
 * registers: <Res>. `period` is 'YYYY-MM-DD', 'YYYY-MM-01' or 'YYYY-01-01'.
 */
export async function turnovers(
  c: Client,
  reg: AccumulationRegisterMeta,
  from: string,
  to: string,
  periodicity: Periodicity = "none",
  filter?: Filter,
): Promise<Row[]> {
  const s = accShape(reg);
  const { F, U, p } = range(from, to, periodicity);
  const rows = await turnoversRaw(c, s, F, U, p, filter);
  return sortRows(
    s,
    rows.map((r) => {
      const out: Row = p === "none" ? {} : { period: r.period };
      Object.assign(out, dimsOut(s, r));
      s.res.forEach((x, i) => {
        if (s.isBalance) {
          const rc = new Decimal(String(r[`c${2 * i + 1}`])),
            ex = new Decimal(String(r[`c${2 * i + 2}`]));
          out[`${x.f.name}Receipt`] = resOut(x, rc);
          out[`${x.f.name}Expense`] = resOut(x, ex);
          out[`${x.f.name}Turnover`] = resOut(x, rc.minus(ex));
        } else out[x.f.name] = resOut(x, r[`c${i + 1}`]);
      });
      return out;
    }),
  );
}

/**
 * Opening balance, receipt, expense and closing balance per key (and period) over [from, to]:
 * <Res>Opening, <Res>Receipt, <Res>Expense, <Res>Closing. A periodic row exists for every
 * period with movements; a key with an opening balance but no movements in the range gets one
 * row for the period holding `from`. Balance registers only.
 */
export async function balanceAndTurnovers(
  c: Client,
  reg: AccumulationRegisterMeta,
  from: string,
  to: string,
  periodicity: Periodicity = "none",
  filter?: Filter,
): Promise<Row[]> {
  const s = accShape(reg);
  if (!s.isBalance) throw notBalanceRegister(reg);
  const { F, U, p } = range(from, to, periodicity);
  const opening = F === MIN_MOMENT ? [] : await balanceRaw(c, s, addSeconds(F, -1), filter);
  const turns = await turnoversRaw(c, s, F, U, p, filter);
  const dec = (v: unknown) => new Decimal(String(v ?? 0));
  const byKey = new Map<string, { dims: Row; open: Decimal[]; periods: Row[] }>();
  const keyOf = (r: Row) => JSON.stringify(s.dims.map((d) => r[d.col]));
  const entry = (r: Row) => {
    const k = keyOf(r);
    let e = byKey.get(k);
    if (!e) byKey.set(k, (e = { dims: dimsOut(s, r), open: s.res.map(() => new Decimal(0)), periods: [] }));
    return e;
  };
  for (const r of opening) entry(r).open = s.res.map((_, i) => dec(r[`r${i + 1}`]));
  for (const r of turns) entry(r).periods.push(r);
  const out: Row[] = [];
  for (const e of byKey.values()) {
    const periods = e.periods.length
      ? e.periods.sort((a, b) => String(a.period ?? "").localeCompare(String(b.period ?? "")))
      : [{ period: p === "none" ? undefined : periodStart(F, p) }];
    let running = e.open;
    for (const r of periods) {
      const row: Row = p === "none" ? {} : { period: r.period };
      Object.assign(row, e.dims);
      const next = s.res.map((x, i) => {
        const rc = dec(r[`c${2 * i + 1}`]),
          ex = dec(r[`c${2 * i + 2}`]);
        const close = running[i].plus(rc).minus(ex);
        row[`${x.f.name}Opening`] = resOut(x, running[i]);
        row[`${x.f.name}Receipt`] = resOut(x, rc);
        row[`${x.f.name}Expense`] = resOut(x, ex);
        row[`${x.f.name}Closing`] = resOut(x, close);
        return close;
      });
      running = next;
      if (
        s.res.some((x) =>
          ["Opening", "Receipt", "Expense", "Closing"].some(
            (k) => !new Decimal(row[`${x.f.name}${k}`] as string).isZero(),
          ),
        )
      )
        out.push(row);
    }
  }
  return sortRows(s, out);
}
