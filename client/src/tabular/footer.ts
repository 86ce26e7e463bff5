/**
 * The totals footer: one pinned bottom row summing the amount columns — numbers with two
 * decimals, money and computed amounts (columns.ts); rates and readings (four decimals) of
 * different things are never added up. Sums are exact (decimal.js on the decimal strings); a value
 * that is not a number is skipped, never turned into NaN.
 */
import { Decimal } from "decimal.js";
import type { ColumnSpec, GridRow } from "./types.ts";

export function totals(
  rows: readonly GridRow[],
  specs: readonly ColumnSpec[],
  valueIn: (r: GridRow, s: ColumnSpec) => unknown,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of specs) {
    if (!s.total) continue;
    let sum = new Decimal(0);
    for (const r of rows) {
      const v = valueIn(r, s);
      if (v === null || v === undefined || v === "") continue;
      try {
        sum = sum.plus(v as Decimal.Value);
      } catch {
        /* not a number: skipped */
      }
    }
    out[s.name] = sum.toFixed(s.decimals ?? 0);
  }
  return out;
}

export const hasTotals = (specs: readonly ColumnSpec[]) => specs.some((s) => s.total);
