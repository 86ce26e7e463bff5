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
  const params: unknown[] = [];
  const f = dimensionFilter(undefined, reg.synonym, s.dims, o.filter, params, "m");
  params.push(o.from, o.to);
  const limit = Math.min(MOVEMENTS_LIMIT, Math.max(0, Math.floor(o.limit ?? 1000)));
  const cols = [...s.dims, ...s.res, ...s.attrs].map((x) => `m.${q(x.col)}`).join(", ");
  const r = await c.query(
    `SELECT m.recorder, m.recorder_kind, m.line, m.period, m.record_kind, ${cols} FROM ${q(s.table)} m
      WHERE m.period >= $${params.length - 1}::timestamp AND m.period <= $${params.length}::timestamp${f.where.map((w) => " AND " + w).join("")}
      ORDER BY m.period, m.recorder, m.line LIMIT ${limit}`,
    params,
  );
  return r.rows.map((row) => {
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
