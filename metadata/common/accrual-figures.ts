/**
 * The figures of an accrual as exact scaled integers, their one rounding rule and their text.
 *
 * Every quantity the accrual reads has at most 4 decimals and fewer than 12 integer digits (the
 * catalogs' and registers' number(15,4), (10,2), (5,2), (3) fields), so it is held as an integer
 * in ten-thousandths ("S4": 43.4205 → 434205), a raising factor in hundredths, an amount in
 * kopecks — all safe integers (below 2^53), exact in a double. A product carries the sum of its
 * factors' scales and is rounded once, half up (away from zero, as Decimal.ROUND_HALF_UP), to the
 * scale it is kept at; when a product does not fit a safe integer it is computed in BigInt, so the
 * result is exact either way. No money is ever a fraction here: the amounts are whole kopecks.
 */
import type { Decimal } from "decimal.js";

/** A calculation input that cannot be charged (a meter going backwards, no area…): the handler turns it into ctx.error. */
export class AccrualError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AccrualError";
  }
}

const fits = Number.isSafeInteger;
const POW10: number[] = Array.from({ length: 16 }, (_, i) => 10 ** i);
const S4_TEXT = /^(-?)(\d+)(?:\.(\d{1,4}))?$/;
const TOO_BIG = "число не помещается в разрядность расчета — проверьте площади, показания, нормативы и тарифы";

/** `x` when it is a safe integer; otherwise the refusal (a figure far beyond the registers' scales). */
export function safe(x: number): number {
  if (!fits(x)) throw new AccrualError(TOO_BIG);
  return x;
}

/**
 * A Decimal below 10^11 in ten-thousandths from its digits (x.d: base 10^7 words, the first
 * without leading zeros; x.e: the exponent of its first digit; x.s: the sign — decimal.js
 * documents them, read-only): every partial sum is an integer below 10^15, exact in a double.
 * toFixed would cost ten times more (hundreds of thousands of values per accrual).
 */
function s4OfDecimal(v: Decimal): number | undefined | false {
  const d = v.d,
    e = v.e;
  if (!d || e > 10) return false;
  const w0 = d[0];
  const len0 = w0 >= 1e6 ? 7 : w0 >= 1e5 ? 6 : w0 >= 1e4 ? 5 : w0 >= 1e3 ? 4 : w0 >= 100 ? 3 : w0 >= 10 ? 2 : 1;
  let x = 0;
  for (let i = 0, u = e - len0 + 5; i < d.length; i++, u -= 7) {
    const w = d[i];
    if (u >= 0) x += w * POW10[u];
    else if (w !== 0) {
      if (u <= -7) return undefined;
      const p = POW10[-u];
      if (w % p !== 0) return undefined;
      x += w / p;
    }
  }
  return v.s < 0 && x !== 0 ? -x : x;
}

/** A value in ten-thousandths: null for null; undefined when it has more than 4 decimals or does not fit. */
export function s4(v: Decimal | string | null | undefined): number | null | undefined {
  if (v === null || v === undefined) return null;
  let t: string;
  if (typeof v === "string") t = v;
  else {
    const x = s4OfDecimal(v);
    if (x !== false) return x;
    if (!v.isFinite() || v.decimalPlaces() > 4) return undefined;
    t = v.toFixed(4);
  }
  const m = S4_TEXT.exec(t);
  if (!m) return undefined;
  const frac = m[3] ?? "";
  const x = Number(m[2] + frac + "0000".slice(frac.length));
  return fits(x) ? (m[1] && x !== 0 ? -x : x) : undefined;
}

/**
 * An input figure of `places` decimals at most (4: ten-thousandths, 2: hundredths) as an integer
 * of that scale; null for null. `what` names the figure in the refusal of one with more decimals
 * (the registers' scales keep them out; a figure typed in a test may not).
 */
export function scaled(v: Decimal | string | null | undefined, places: 2 | 4, what: string): number | null {
  const x = s4(v);
  if (x === null) return null;
  if (x === undefined || (places === 2 && x % 100 !== 0))
    throw new AccrualError(`${what} ${String(v)}: допускается не более ${places} знаков после запятой`);
  return places === 2 ? x / 100 : x;
}

/** Drops `places` decimal places of a safe integer, rounding half up (away from zero): % is exact. */
export function round(x: number, places: number): number {
  if (places === 0) return x;
  const p = POW10[places];
  const m = x < 0 ? -x : x;
  const r = m % p;
  const q = (m - r) / p + (r * 2 >= p ? 1 : 0);
  return x < 0 && q !== 0 ? -q : q;
}

/** n / d rounded half up (away from zero), d > 0, in BigInt (a product of several figures, a sum of pro rata parts). */
export function bigQuotient(n: bigint, d: bigint): number {
  const neg = n < 0n;
  const m = neg ? -n : n;
  const q = m / d + ((m % d) * 2n >= d ? 1n : 0n);
  return safe(Number(neg ? -q : q));
}

/** (a·b + c·d)·f with `places` decimal places dropped, half up, once: in doubles while every step is a safe integer, else in BigInt. */
export function productRounded(a: number, b: number, c: number, d: number, f: number, places: number): number {
  const ab = a * b,
    cd = c * d,
    sum = ab + cd,
    x = sum * f;
  if (fits(ab) && fits(cd) && fits(sum) && fits(x)) return round(x, places);
  const n = (BigInt(a) * BigInt(b) + BigInt(c) * BigInt(d)) * BigInt(f);
  return bigQuotient(n, 10n ** BigInt(places));
}

/** a·b / d rounded half up (away from zero), once; d > 0. */
export function quotientRounded(a: number, b: number, d: number): number {
  const n = a * b;
  if (fits(n)) {
    const m = n < 0 ? -n : n;
    const r = m % d;
    const q = (m - r) / d + (r * 2 >= d ? 1 : 0);
    return n < 0 && q !== 0 ? -q : q;
  }
  return bigQuotient(BigInt(a) * BigInt(b), BigInt(d));
}

/** `x` (with `scale` decimals) written with `places` decimals, rounded half up ("." or the Russian ","). */
export function decText(x: number, scale: number, places: number, sep = "."): string {
  const neg = x < 0;
  let m = neg ? -x : x;
  if (places < scale) m = round(m, scale - places);
  else if (places > scale) m *= POW10[places - scale];
  let d = m.toString();
  if (places > 0) {
    if (d.length <= places) d = "0".repeat(places - d.length + 1) + d;
    d = d.slice(0, d.length - places) + sep + d.slice(d.length - places);
  }
  return neg && m !== 0 ? "-" + d : d;
}

/** A value in ten-thousandths as the registers write it: "43.4205". */
export const text4 = (x: number): string => decText(x, 4, 4);
/** …and as the explanation writes it: "43,4205" (`places` 4, 2 for an area, 0 for people). */
export const ru4 = (x: number, places = 4): string => decText(x, 4, places, ",");
/** Kopecks as the registers write them: "868.41". */
export const kopText = (x: number): string => decText(x, 2, 2);

/** 'YYYY-MM-DD' as the user reads it: "25.11.2011". */
export const dateText = (d: string): string => `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}`;
