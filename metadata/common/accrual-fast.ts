/**
 * The common charge lines in exact integer arithmetic, with the same figures and words as the
 * decimal.js calculation (accrual.ts, accrual-meters.ts), which stays the definition. A group
 * accrual over 100k accounts prices most of its lines here: a Decimal line costs several
 * times more and its garbage slows everything else down.
 *
 * Values are integers in ten-thousandths ("S4": 43.4205 → 434205; the raising factor in
 * hundredths); a product carries the sum of its factors' scales; amounts are rounded half up
 * (away from zero, as Decimal.ROUND_HALF_UP) to kopecks, once, after all multiplications, as
 * accrual.ts does. Exactness: every integer is checked to be a safe integer (below 2^53: a
 * product or sum of safe integers that is one was computed exactly, and has fewer than the 20
 * significant digits decimal.js keeps, so the Decimal result was exact too). The one division,
 * the average of a meter's months (accrual-meters.ts#averageMonthly), stays in Decimal. Beyond
 * that, and for what this module leaves out — every refusal, heating by the house meter — it
 * returns null and the caller prices the line with accrual.ts. The test
 * tests/configuration/accrual-fast.test.ts compares both on random inputs.
 */
import { Decimal } from "decimal.js";
import {
  AccrualError,
  areaHead,
  derivedHead,
  explanation,
  FIXED_HEAD,
  meterHead,
  NO_METER,
  normativeHead,
  residentsHead,
  unitOf,
  type CalculationMethod,
  type ServiceFacts,
  type TariffFacts,
} from "./accrual.ts";
import {
  averageMonthly,
  averageNote,
  cutoffOf,
  estimatePart,
  firstReadingWhy,
  MAX_ESTIMATED_MONTHS,
  monthsBetween,
  noAverageWhy,
  normativeNote,
  NO_READINGS,
  readingMonth,
  readingsNote,
  recalculationNote,
  type MeterFacts,
  type MeterHistory,
} from "./accrual-meters.ts";
import { addMonths } from "../../server/api.ts";

/** The register fields of one Accruals record: decimal strings of the register's scales. */
export interface LineFields {
  Volume: string;
  Amount: string;
  Benefits: string;
  Recalculation: string;
  Method: string;
  Base: string | null;
  Rate: string;
  PreviousReading: string | null;
  CurrentReading: string | null;
  Explanation: string;
}

/** A priced line ready to write; `charged`: the amount is not zero (it also goes to Settlements). */
export interface LineRecord {
  fields: LineFields;
  charged: boolean;
  /** The volume in ten-thousandths (for derived volumes); undefined when it does not fit. */
  volume: number | undefined;
}

const text500 = (s: string) => (s.length > 500 ? s.slice(0, 499) + "…" : s);

/** The record of a line from its figures as decimal strings (Explanation cut to 500 characters). */
export function lineRecord(
  method: string,
  volume: string,
  amount: string,
  base: string | null,
  rate: string,
  previous: string | null,
  current: string | null,
  explanation: string,
  volume4?: number,
): LineRecord {
  return {
    fields: {
      Volume: volume,
      Amount: amount,
      Benefits: "0.00",
      Recalculation: "0.00",
      Method: method,
      Base: base,
      Rate: rate,
      PreviousReading: previous,
      CurrentReading: current,
      Explanation: text500(explanation),
    },
    charged: amount !== "0.00",
    volume: volume4 ?? s4(volume) ?? undefined,
  };
}

const fits = Number.isSafeInteger;
const POW10: number[] = Array.from({ length: 16 }, (_, i) => 10 ** i);
/** 1 in ten-thousandths (a Fixed line's volume) and in hundredths (a raising factor of 1). */
const ONE = 10000;
const FACTOR_ONE = 100;
const S4_TEXT = /^(-?)(\d+)(?:\.(\d{1,4}))?$/;

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

/** The hundredths of a value with at most 2 decimals (the raising factor); undefined otherwise. */
export function s2(v: Decimal | null | undefined): number | null | undefined {
  const x = s4(v);
  return x === null || x === undefined ? x : x % 100 === 0 ? x / 100 : undefined;
}

/** Drops `places` decimal places of a safe integer, rounding half up (away from zero): % is exact. */
function round(x: number, places: number): number {
  if (places === 0) return x;
  const p = POW10[places];
  const m = x < 0 ? -x : x;
  const r = m % p;
  const q = (m - r) / p + (r * 2 >= p ? 1 : 0);
  return x < 0 && q !== 0 ? -q : q;
}

/** `x` (with `scale` decimals) written with `places` decimals as Decimal.toFixed does (a negative that rounds to zero keeps its sign). */
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
  return neg ? "-" + d : d;
}
const comma = (s: string) => s.replace(".", ",");

/**
 * A reading (accrual-meters.ts#Reading) kept as its ten-thousandths: its Decimal is made again
 * only when the Decimal path asks for it (a 100k-account accrual holds 400k readings).
 */
export class ScaledReading {
  readonly v4: number | undefined;
  private d: Decimal | undefined;
  constructor(
    readonly period: string,
    value: Decimal | string,
  ) {
    const x = s4(value);
    this.v4 = x ?? undefined;
    this.d = x === null || x === undefined ? new Decimal(value) : undefined;
  }
  get value(): Decimal {
    return (this.d ??= new Decimal(decText(this.v4!, 4, 4)));
  }
}
/** A reading's ten-thousandths (undefined: they do not fit). */
const v4Of = (r: { value: Decimal; v4?: number }): number | undefined =>
  r instanceof ScaledReading ? r.v4 : (s4(r.value) ?? undefined);

export interface FastAccount {
  /** TotalArea, LivingArea, Residents in S4, null read as 0. */
  area: number;
  living: number;
  residents: number;
}
export interface FastService {
  name: string;
  Unit?: string | null;
  CalculationMethod: CalculationMethod;
  normative: number | null;
  /** RaisingFactor in hundredths. */
  factor: number | null;
}
export interface FastTariff {
  rate: number;
  over: number | null;
  /** Rate as the record writes it ("20.0000") and as the explanation does ("20,0000"); RateOverNorm too. */
  rateText: string;
  rateComma: string;
  overComma: string | null;
}

/** The service's normative (S4) and raising factor (hundredths), or null when one does not fit. */
export function fastService(s: ServiceFacts): FastService | null {
  const normative = s4(s.Normative),
    factor = s2(s.RaisingFactor);
  return normative === undefined || factor === undefined ? null : { ...s, normative, factor };
}

/** The tariff in S4, or null when it has no rate or a figure does not fit (the Decimal path then). */
export function fastTariff(t: TariffFacts): FastTariff | null {
  const rate = s4(t.Rate),
    over = s4(t.RateOverNorm);
  if (rate === null || rate === undefined || over === undefined) return null;
  const rateText = decText(rate, 4, 4);
  return {
    rate,
    over,
    rateText,
    rateComma: comma(rateText),
    overComma: over === null ? null : decText(over, 4, 4, ","),
  };
}

/** The account's facts in S4, or null when one does not fit (the Decimal path then). */
export function fastAccount(a: {
  TotalArea?: Decimal | null;
  LivingArea?: Decimal | null;
  Residents?: Decimal | null;
}): FastAccount | null {
  const area = s4(a.TotalArea),
    living = s4(a.LivingArea),
    residents = s4(a.Residents);
  if (area === undefined || living === undefined || residents === undefined) return null;
  return { area: area ?? 0, living: living ?? 0, residents: residents ?? 0 };
}

/** residents × Normative rounded to S4; null without a normative; undefined when it does not fit. */
function normOf(a: FastAccount, s: FastService): number | null | undefined {
  if (s.normative === null || s.normative <= 0) return null;
  const x = a.residents * s.normative;
  return fits(x) ? round(x, 4) : undefined;
}

/** accrual.ts#priced: the amount within and over the norm, the raising factor, the explanation. */
function priced(
  method: CalculationMethod,
  head: string,
  volume: number,
  base: number | null,
  a: FastAccount,
  s: FastService,
  t: FastTariff,
  factor: number | null,
  previous: string | null,
  current: string | null,
): LineRecord | null {
  const rate = t.rate;
  const norm = normOf(a, s);
  if (norm === undefined || !fits(volume)) return null;
  const over = t.over;
  let amount: number;
  let overNorm = 0;
  if (norm === null || over === null || over <= 0 || volume <= norm) amount = volume * rate;
  else {
    overNorm = volume - norm;
    const within = norm * rate,
      above = overNorm * over;
    if (!fits(within) || !fits(above)) return null;
    amount = within + above;
  }
  // (a negative zero would print as "-0")
  if (amount === 0) amount = 0;
  if (!fits(amount)) return null;
  const f = factor !== null && factor !== FACTOR_ONE && factor > 0 ? factor : null;
  let kop: number;
  if (f !== null) {
    const x = amount * f;
    if (!fits(x)) return null;
    kop = round(x, 8);
  } else kop = round(amount, 6);
  const amountText = decText(kop, 2, 2);
  const volumeText = decText(volume, 4, 4);
  const split = overNorm > 0;
  const why = explanation(
    head,
    t.rateComma,
    split ? decText(volume - overNorm, 4, 4, ",") : null,
    split ? decText(overNorm, 4, 4, ",") : null,
    split ? t.overComma : null,
    f !== null ? decText(f, 2, 2, ",") : null,
    comma(amountText),
  );
  const baseText = base === null ? null : base === volume ? volumeText : decText(base, 4, 4);
  return lineRecord(method, volumeText, amountText, baseText, t.rateText, previous, current, why, volume);
}

/** accrual.ts#byNormative: residents × Normative × rate (× raising factor). */
function byNormative(
  method: CalculationMethod,
  a: FastAccount,
  s: FastService,
  t: FastTariff,
  withFactor: boolean,
  prefix: string,
  previous: string | null = null,
  current: string | null = null,
): LineRecord | null {
  if (s.normative === null || s.normative <= 0) return null;
  const x = a.residents * s.normative;
  if (!fits(x)) return null;
  const head = normativeHead(prefix, decText(a.residents, 4, 0, ","), decText(s.normative, 4, 4, ","), unitOf(s, ""));
  return priced(method, head, round(x, 4), a.residents, a, s, t, withFactor ? s.factor : null, previous, current);
}

/** The lines of accrual.ts#chargeLine that need neither meters nor other services. */
export function simpleLine(a: FastAccount, s: FastService, t: FastTariff): LineRecord | null {
  const method = s.CalculationMethod;
  switch (method) {
    case "ByTotalArea":
    case "ByLivingArea": {
      const living = method === "ByLivingArea";
      const area = living ? a.living : a.area;
      return priced(method, areaHead(decText(area, 4, 2, ","), living), area, area, a, s, t, null, null, null);
    }
    case "ByResidents":
      return priced(
        method,
        residentsHead(decText(a.residents, 4, 0, ",")),
        a.residents,
        a.residents,
        a,
        s,
        t,
        null,
        null,
        null,
      );
    case "Fixed":
      return priced(method, FIXED_HEAD, ONE, null, a, s, t, null, null, null);
    case "ByNormative":
      return byNormative(method, a, s, t, true, "");
    default:
      return null;
  }
}

/** A DerivedVolume line: the source volumes (S4) with their services' names, summed. */
export function derivedLine(
  a: FastAccount,
  s: FastService,
  t: FastTariff,
  sources: { name: string; volume: number }[],
): LineRecord | null {
  let v = 0;
  const names: string[] = [];
  for (const x of sources) {
    v += x.volume;
    if (!fits(v)) return null;
    names.push(`${x.name} ${decText(x.volume, 4, 4, ",")}`);
  }
  return priced(
    "DerivedVolume",
    derivedHead(decText(v, 4, 4, ","), unitOf(s, "м³"), names),
    v,
    v,
    a,
    s,
    t,
    null,
    null,
    null,
  );
}

interface Volume {
  volume: number;
  /** The readings as the record writes them ("143.4205"). */
  previous: string | null;
  current: string | null;
  normative: boolean;
  note: string;
}

/** The month of a line: 'YYYY-MM-01', and cutoffOf(month − 2): a reading dated after it counts for the month before or later. */
export interface LineMonth {
  month: string;
  recent: string;
}
export const lineMonth = (month: string): LineMonth => ({ month, recent: cutoffOf(addMonths(month, -2)) });

/** accrual-meters.ts#averageMonthly in S4; null: no average; undefined: refused or does not fit (the Decimal path). */
function average(m: MeterFacts, h: MeterHistory): { v4: number; months: number } | null | undefined {
  let a: ReturnType<typeof averageMonthly>;
  try {
    a = averageMonthly(m, h);
  } catch (e) {
    if (e instanceof AccrualError) return undefined;
    throw e;
  }
  if (!a) return null;
  const v4 = s4(a.average);
  return v4 === null || v4 === undefined ? undefined : { v4, months: a.months };
}

/** accrual-meters.ts#meterVolume; null where it refuses or a figure does not fit (the Decimal path then). */
function meterVolume(lm: LineMonth, m: MeterFacts, h: MeterHistory, norm: number | null): Volume | null {
  const { current, previous } = h;
  const p = previous ? v4Of(previous) : null;
  if (p === undefined) return null;
  const prev = p === null ? null : decText(p, 4, 4);
  if (!current) {
    if (!previous)
      return norm === null
        ? null
        : { volume: norm, previous: null, current: null, normative: true, note: normativeNote(m.name, NO_READINGS) };
    // No reading this month: the average for at most MAX_ESTIMATED_MONTHS, then the normative.
    const k = monthsBetween(readingMonth(previous.period), lm.month);
    const avg = average(m, h);
    if (avg === undefined) return null;
    if (avg && k <= MAX_ESTIMATED_MONTHS)
      return {
        volume: avg.v4,
        previous: prev,
        current: null,
        normative: false,
        note: averageNote(k, avg.months, previous.period),
      };
    return norm === null
      ? null
      : {
          volume: norm,
          previous: prev,
          current: null,
          normative: true,
          note: normativeNote(m.name, noAverageWhy(k, avg !== null)),
        };
  }
  const c = v4Of(current);
  if (c === undefined) return null;
  const cur = decText(c, 4, 4);
  if (!previous)
    return norm === null
      ? null
      : {
          volume: norm,
          previous: null,
          current: cur,
          normative: true,
          note: normativeNote(m.name, firstReadingWhy(comma(cur), current.period)),
        };
  let d = c - p!;
  if (d < 0) {
    const digits = m.DigitCapacity ? m.DigitCapacity.toNumber() : 0;
    if (m.ReadingType !== "Cyclic" || !Number.isInteger(digits) || digits <= 0 || digits > 11) return null;
    d += POW10[digits + 4];
  }
  if (!fits(d)) return null;
  if (previous.period > lm.recent)
    return { volume: d, previous: prev, current: cur, normative: false, note: readingsNote(comma(prev!), comma(cur)) };
  // Months without readings before this one: the real consumption minus what they were charged.
  const gap = monthsBetween(readingMonth(previous.period), lm.month) - 1;
  const avg = average(m, h);
  if (avg === undefined) return null;
  let estimated = 0;
  const parts: string[] = [];
  for (let k = 1; k <= gap; k++) {
    const byAverage = avg !== null && k <= MAX_ESTIMATED_MONTHS;
    const e = byAverage ? avg.v4 : norm;
    if (e === null) continue;
    if (!fits((estimated += e))) return null;
    parts.push(estimatePart(decText(e, 4, 4, ","), byAverage));
  }
  const volume = d - estimated;
  if (!fits(volume)) return null;
  return {
    volume,
    previous: prev,
    current: cur,
    normative: false,
    note: recalculationNote(
      comma(prev!),
      comma(cur),
      previous.period,
      decText(d, 4, 4, ","),
      gap,
      decText(estimated, 4, 4, ","),
      parts,
    ),
  };
}

/** A ByMeter line: the meters' volumes combined (accrual-meters.ts#combineMeters), or by normative without a meter. */
export function meterLine(
  lm: LineMonth,
  a: FastAccount,
  s: FastService,
  t: FastTariff,
  meters: (MeterFacts & MeterHistory)[],
): LineRecord | null {
  if (meters.length === 0) return byNormative("ByMeter", a, s, t, true, NO_METER);
  const norm = normOf(a, s);
  if (norm === undefined) return null;
  let v: Volume | null = null;
  if (meters.length === 1) v = meterVolume(lm, meters[0], meters[0], norm);
  else {
    const vs: Volume[] = [];
    for (const m of meters) {
      const x = meterVolume(lm, m, m, norm);
      if (!x) return null;
      vs.push(x);
    }
    const n = vs.find((x) => x.normative);
    if (n) v = { ...n, previous: null, current: null };
    else {
      let sum = 0;
      for (const x of vs) if (!fits((sum += x.volume))) return null;
      v = { volume: sum, previous: null, current: null, normative: false, note: vs.map((x) => x.note).join("; ") };
    }
  }
  if (!v) return null;
  const prev = v.previous,
    cur = v.current;
  if (v.normative) return byNormative("ByMeter", a, s, t, false, `${v.note}: `, prev, cur);
  return priced(
    "ByMeter",
    meterHead(decText(v.volume, 4, 4, ","), unitOf(s, "м³"), v.note),
    v.volume,
    v.volume,
    a,
    s,
    t,
    null,
    prev,
    cur,
  );
}
