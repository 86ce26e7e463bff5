/**
 * The movements of an accumulation register over a period, filtered by dimensions: each
 * record as its recorder wrote it, attributes included (what balances and turnovers sum away —
 * e.g. the explanation a configuration stores beside an amount). Read through the
 * (area, dimensions…, period) index when the leading dimensions are fixed. Bounded: at most
 * `limit` rows (default 1000, at most 10,000), in period, recorder and line order.
 */
import type { AccumulationRegisterMeta } from "../metadata/types.ts";
import type { Client } from "../storage/db.ts";
import { q } from "../storage/naming.ts";
import { forJson } from "../storage/values.ts";
import { accShape, dimensionFilter, dimOut, resOut } from "./shape.ts";

export const MOVEMENTS_LIMIT = 10_000;

export async function listMovements(
  c: Client,
  reg: AccumulationRegisterMeta,
  o: { from: string; to: string; filter?: Record<string, unknown>; limit?: number },
): Promise<Record<string, unknown>[]> {
  const s = accShape(reg);
  const limit = Math.min(MOVEMENTS_LIMIT, Math.max(0, Math.floor(o.limit ?? 1000)));
  const cols = [...s.dims, ...s.res, ...s.attrs].map((x) => `m.${q(x.col)}`).join(", ");
  // The period is read month by month until the page is full: the table has only a BRIN index on
  // the period (cheap to write), so each statement sorts its window — a year's first page costs
  // what its first month does (1,000,000 movements over 12 months: 699 ms in one window).
  const rows: Record<string, unknown>[] = [];
  for (const { lo, hi, last } of periodWindows(o.from, o.to)) {
    if (rows.length >= limit) break;
    const params: unknown[] = [];
    const f = dimensionFilter(undefined, reg.synonym, s.dims, o.filter, params, "m");
    params.push(lo, hi);
    const r = await c.query(
      `SELECT m.recorder, m.recorder_kind, m.line, m.period, m.record_kind, ${cols} FROM ${q(s.table)} m
      WHERE m.period >= $${params.length - 1}::timestamp AND m.period ${last ? "<=" : "<"} $${params.length}::timestamp${f.where.map((w) => " AND " + w).join("")}
      ORDER BY m.period, m.recorder, m.line LIMIT ${limit - rows.length}`,
      params,
    );
    rows.push(...r.rows);
  }
  return rows.map((row) => {
    const out: Record<string, unknown> = {
      period: row.period,
      recorder: row.recorder,
      recorderKind: row.recorder_kind,
      line: row.line,
    };
    if (s.isBalance) out.recordKind = row.record_kind === 1 ? "receipt" : "expense";
    for (const d of s.dims) out[d.f.name] = dimOut(d, row[d.col]);
    for (const x of s.res) out[x.f.name] = resOut(x, row[x.col]);
    for (const a of s.attrs) out[a.f.name] = forJson(a.f.type, row[a.col]);
    return out;
  });
}

/**
 * The windows a period is read in: the rest of the first month, then whole months (the upper
 * bound excluded: the next month's first moment), then the rest of the range up to `to` as one
 * (`to` included, as the caller gave it) — at most WINDOW_MONTHS month windows.
 */
export const WINDOW_MONTHS = 24;
export function periodWindows(from: string, to: string): { lo: string; hi: string; last: boolean }[] {
  const start = new Date(`${from.length === 10 ? `${from}T00:00:00` : from}Z`);
  const end = new Date(`${to.length === 10 ? `${to}T00:00:00` : to}Z`);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) return [{ lo: from, hi: to, last: true }];
  const iso = (d: Date) => d.toISOString().slice(0, 19);
  const windows: { lo: string; hi: string; last: boolean }[] = [];
  let lo = from;
  let next = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
  while (next <= end && windows.length < WINDOW_MONTHS) {
    windows.push({ lo, hi: iso(next), last: false });
    lo = iso(next);
    next = new Date(Date.UTC(next.getUTCFullYear(), next.getUTCMonth() + 1, 1));
  }
  windows.push({ lo, hi: to, last: true });
  return windows;
}
