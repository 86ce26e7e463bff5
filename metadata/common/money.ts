/**
 * Money helpers shared by the ЖКХ configuration. All amounts are decimal.js Decimals; JS
 * numbers never carry money. Calendar arithmetic (monthStart, monthEnd, addDays, daysBetween…)
 * is the platform's calendar module, imported from server/api.ts.
 *
 * Movements get amounts as decimal strings (`d.toFixed(2)`): explicit kopecks, and safe whichever
 * copy of decimal.js made the value (the platform and configuration modules may load two).
 */
import { Decimal } from "decimal.js";

/** Half up to kopecks (2 decimal places). */
export function round2(d: Decimal): Decimal {
  return new Decimal(d).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/**
 * Splits `total` (kopecks) in proportion to `weights` by the largest-remainder method:
 * each share is first cut down to kopecks, then the kopecks left over go one each to the
 * shares with the largest remainders; ties go to the lower index. The shares sum exactly to
 * `total`. Negative or zero weights get nothing; if no weight is positive the whole total
 * goes to the first index (or [] for no weights). A negative total is split as the negation
 * of the split of its absolute value.
 */
export function largestRemainder(total: Decimal, weights: Decimal[]): Decimal[] {
  total = new Decimal(total);
  if (weights.length === 0) return [];
  if (total.isNegative()) return largestRemainder(total.neg(), weights).map((d) => d.neg());
  const w = weights.map((x) => Decimal.max(new Decimal(x), 0));
  const sum = w.reduce((a, b) => a.plus(b), new Decimal(0));
  const kop = total.times(100).toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
  if (sum.isZero()) return w.map((_, i) => (i === 0 ? kop.div(100) : new Decimal(0)));
  const exact = w.map((x) => kop.times(x).div(sum));
  const floor = exact.map((x) => x.floor());
  let left = kop.minus(floor.reduce((a, b) => a.plus(b), new Decimal(0))).toNumber();
  const order = exact
    .map((x, i) => ({ i, r: x.minus(floor[i]) }))
    .filter((o) => w[o.i].gt(0))
    .sort((a, b) => b.r.comparedTo(a.r) || a.i - b.i);
  for (let k = 0; left > 0 && order.length > 0; k = (k + 1) % order.length, left--)
    floor[order[k].i] = floor[order[k].i].plus(1);
  return floor.map((x) => x.div(100));
}

/** Decimal from a Decimal, string, number or null (null → 0). */
export function dec(v: Decimal | string | number | null | undefined): Decimal {
  return v == null || v === "" ? new Decimal(0) : new Decimal(v);
}
