/**
 * Penalties (пени) on overdue housing payments, ЖК РФ ст.155 ч.14 and ч.14.1 — DOMAIN.md §5;
 * docs/penalties.md names the legal sources and the settings. This module is the arithmetic
 * alone, with no database: the rules with their dates (grace days, fractions, the shipped
 * moratoria and the rules before 2016), the debt parts a month's charges and payments make,
 * the days, the key rate and its caps, the moratoria's excluded days, the fixed daily rate
 * limited by the law — penaltyTable(), the table courts use — and its explanation, and the due
 * date of a month's charge. penalty-accrual.ts reads the registers (settings, key rates, caps,
 * moratoria, Settlements) and builds the Penalties records from it.
 *
 * Conventions (the tests rely on them):
 *  - Each month's charge (debt month) is a debt of its own, due on DueDay of the following
 *    month (PenaltySettings.DueDay as of the debt month, default 10). Charges of services with
 *    CapitalRepair (взносы на капитальный ремонт) are a separate debt of the month. Day 1 is the
 *    day after the due date; the day number keeps counting calendar days (a moratorium skips
 *    days, it does not renumber them).
 *  - Days are counted inclusively through the payment date for the part of the debt a
 *    payment closes, and through the calculation date for the part still unpaid. A payment
 *    therefore reduces the unpaid amount from the day after it is made. A charge added to an
 *    old debt month later (a receipt dated d) counts from d. Payments close the oldest parts
 *    of the month's debt first.
 *  - One key rate serves a whole debt part: the rate in force on its payment date, or on the
 *    calculation date for the unpaid part (ч.14: «действующей на день фактической оплаты»).
 *  - The cap (ПП №474 and its extensions; rules.caps, the PenaltyRateCaps register): a penalty
 *    DAY inside a cap's period is charged at the lower of that rate and the cap (9,5 %); days
 *    outside every cap's period at the rate itself. A row is split where a cap's period starts
 *    or ends.
 *  - Statutory mode (ч.14): days 1–30 nothing, 31–90 1/300 of the rate per day, from day 91
 *    1/130; a debt whose due date is before 01.01.2016 pays 1/300 from day 1 (the rule before
 *    307-ФЗ). Capital repair (ч.14.1): 1/300 from day 1, never 1/130.
 *  - Moratoria (rules.moratoria, the Moratoria register): no penalty for their days, inclusive
 *    (ПП №424: 06.04.2020–31.12.2020). A moratorium with `debtsBefore` applies only to debts of
 *    months that ended before that date (ПП №497: 01.04.2022–01.10.2022 for debts that arose
 *    before 01.04.2022; a month's charge arises when the month ends — Пленум ВАС №63 п.2 on
 *    periodic services — so March 2022 is covered, April 2022 is not). The table keeps their
 *    days as rows of their own with amount 0 and `excluded` naming the act (the court form).
 *  - FixedDailyRate mode (the seed's "Настройка пени" 0.0344): the setting is a percent per
 *    day of the unpaid amount from day 1 after the due date (no grace, no fractions, no key
 *    rate, no cap); the moratoria apply. It never charges more than the law (ч.14: «увеличение
 *    установленных настоящей частью размеров пеней не допускается»): for each debt (month ×
 *    capital repair) and window the fixed rows are compared with the statutory rows of the same
 *    debt, and when the fixed total is higher the statutory rows are charged and the table's
 *    `limits` says so (the fixed mode therefore needs the key-rate history too).
 *  - Each row of the table (debt × debt part × fraction zone, split by moratoria, caps and the
 *    `fromDate` window) is rounded to kopecks half up; the penalty is the sum of the rows.
 */
import { Decimal } from "decimal.js";
import { addDays, addMonths, daysBetween, daysInMonth, monthEnd } from "../../server/api.ts";
import { dec, round2 } from "./money.ts";
import { RATE_CAPS, rateOn } from "./key-rates.ts";

export type PenaltyMode = "Statutory" | "FixedDailyRate";

/** A period without penalties (inclusive). */
export interface Moratorium {
  from: string;
  to: string;
  /** Only debts of months that ended before this date (ПП №497); null or absent: every debt. */
  debtsBefore?: string | null;
  /** The act, as the court table shows it. */
  act?: string;
}

/** A cap on the key rate for the penalty days of [from, to] (inclusive; to null = open). */
export interface PenaltyRateCap {
  from: string;
  to: string | null;
  rate: Decimal | string;
  act?: string;
}

/** The moratoria shipped into the Moratoria register (docs/penalties.md). */
export const MORATORIA: readonly Required<Moratorium>[] = Object.freeze([
  {
    from: "2020-04-06",
    to: "2020-12-31",
    debtsBefore: null,
    act: "ПП РФ от 02.04.2020 № 424",
  },
  {
    from: "2022-04-01",
    to: "2022-10-01",
    debtsBefore: "2022-04-01",
    act: "ПП РФ от 28.03.2022 № 497",
  },
]);

/** Records for the Moratoria information register (non-periodic, keyed by From). */
export function moratoriumRecords(): { From: string; To: string; DebtsBefore: string | null; Act: string }[] {
  return MORATORIA.map((m) => ({ From: m.from, To: m.to, DebtsBefore: m.debtsBefore, Act: m.act }));
}

/** Rules with dates set by law; each can be overridden per call (PenaltyInput.rules). */
export interface PenaltyRules {
  /** Debts due before this date: 1/300 from day 1 (ЖК РФ ст.155 ч.14 before 307-ФЗ). */
  newRulesFrom: string;
  /** Statutory from newRulesFrom: days 1..graceDays nothing, then 1/300 through day 90, then 1/130. */
  graceDays: number;
  lowFractionThroughDay: number;
  /** ПП №474 and its extensions: the key rate is capped on the days of these periods. */
  caps: readonly PenaltyRateCap[];
  /** Periods without penalties (ПП №424, ПП №497). */
  moratoria: readonly Moratorium[];
}

export const PENALTY_RULES: Readonly<PenaltyRules> = Object.freeze({
  newRulesFrom: "2016-01-01",
  graceDays: 30,
  lowFractionThroughDay: 90,
  caps: RATE_CAPS,
  moratoria: MORATORIA,
});

export interface PenaltyMovement {
  date: string;
  amount: Decimal | string;
}
export interface PenaltyDebt {
  /** 'YYYY-MM-01' of the month charged. */
  debtMonth: string;
  /** Capital repair contributions (ЖК РФ ст.155 ч.14.1): 1/300 from day 1. */
  capitalRepair?: boolean;
  /** Last day to pay without penalty ('YYYY-MM-DD'); day 1 is the day after. */
  dueDate: string;
  /** The debt counting from day 1 (the month's charge, or what is left of it when the window opens). */
  amount: Decimal | string;
  /** Debt added later: each counts from its own date. */
  charges?: PenaltyMovement[];
  /** Payments of this month's debt: each closes the oldest debt parts on its date. */
  payments?: PenaltyMovement[];
}
export interface PenaltyRow {
  debtMonth: string;
  capitalRepair: boolean;
  /** First and last penalty day of the row, inclusive. */
  from: string;
  to: string;
  days: number;
  /** '1/300', '1/130'; '1' in the fixed daily mode (the rate is already per day). */
  fraction: string;
  /** Percent: the key rate per year, capped (statutory), or the daily percent (fixed). */
  rate: Decimal;
  /** The debt part the row charges. */
  debt: Decimal;
  /** round2(debt × days × rate / 100 × fraction); 0 for excluded days. */
  amount: Decimal;
  /** Days of a moratorium: the act that excludes them (amount 0); null for charged days. */
  excluded: string | null;
  /** The cap that lowered the rate on these days (its act), or null. */
  capped: string | null;
}
/** A debt whose fixed-rate penalty exceeded the statutory one and was charged at the latter. */
export interface PenaltyLimit {
  debtMonth: string;
  capitalRepair: boolean;
  /** What the fixed daily rate would have charged. */
  fixed: Decimal;
  /** What was charged: the statutory penalty. */
  statutory: Decimal;
}
export interface PenaltyTable {
  rows: PenaltyRow[];
  total: Decimal;
  /** Debts where the fixed daily rate was limited to the statutory penalty (ч.14). */
  limits: PenaltyLimit[];
}
export interface PenaltyInput {
  debts: PenaltyDebt[];
  /** Calculation date: unpaid debt counts through it (inclusive); later payments are ignored. */
  calcDate: string;
  /** Only penalty days on or after this date count (a month's window); default: all. */
  fromDate?: string;
  mode?: PenaltyMode;
  /** FixedDailyRate: percent per day (the seed's 0.0344). */
  dailyRate?: Decimal | string | null;
  /** The key rate history (any order); a rate is in force from its date. Both modes need it. */
  keyRates?: readonly { date: string; rate: Decimal | string }[];
  rules?: Partial<PenaltyRules>;
}

/** Thrown by penaltyTable when a statutory penalty needs a rate the history does not have. */
export class MissingKeyRateError extends Error {
  constructor(public date: string) {
    super(`No key rate in force on ${date}`);
  }
}

interface Part {
  start: string;
  end: string;
  amount: Decimal;
}
interface Zone {
  fromDay: number;
  toDay: number;
  fraction: string;
  divisor: number;
}

const FAR = 1_000_000;
const FIXED_ZONES: Zone[] = [{ fromDay: 1, toDay: FAR, fraction: "1", divisor: 1 }];
const ONE_300_FROM_DAY_1: Zone[] = [{ fromDay: 1, toDay: FAR, fraction: "1/300", divisor: 300 }];

function statutoryZones(d: PenaltyDebt, rules: PenaltyRules): Zone[] {
  if (d.capitalRepair || d.dueDate < rules.newRulesFrom) return ONE_300_FROM_DAY_1;
  return [
    { fromDay: rules.graceDays + 1, toDay: rules.lowFractionThroughDay, fraction: "1/300", divisor: 300 },
    { fromDay: rules.lowFractionThroughDay + 1, toDay: FAR, fraction: "1/130", divisor: 130 },
  ];
}

const END_OF_TIME = "9999-12-31";

/**
 * [a, b] cut where any of the periods starts or ends: consecutive inclusive ranges, each with
 * the periods covering all of its days (adjacent ranges with the same periods merged).
 */
function segments<P extends { from: string; to: string | null }>(a: string, b: string, periods: readonly P[]) {
  const cuts = new Set<string>([a]);
  for (const p of periods) {
    const end = p.to ?? END_OF_TIME;
    if (end < a || p.from > b) continue;
    if (p.from > a) cuts.add(p.from);
    if (end < b) cuts.add(addDays(end, 1));
  }
  const starts = [...cuts].sort();
  const out: { from: string; to: string; in: P[] }[] = [];
  starts.forEach((s, i) => {
    const to = i + 1 < starts.length ? addDays(starts[i + 1], -1) : b;
    const covering = periods.filter((p) => p.from <= s && (p.to ?? END_OF_TIME) >= s);
    const last = out[out.length - 1];
    if (last && last.in.length === covering.length && last.in.every((p, k) => p === covering[k])) last.to = to;
    else out.push({ from: s, to, in: covering });
  });
  return out;
}

/** Splits one debt month into parts {start, end, amount}: FIFO over charges and payments. */
function partsOf(d: PenaltyDebt, calcDate: string): Part[] {
  const dayOne = addDays(d.dueDate, 1);
  const open: { start: string; amount: Decimal }[] = [];
  const closed: Part[] = [];
  let credit = new Decimal(0);
  const addDebt = (start: string, amount: Decimal) => {
    if (amount.lte(0)) {
      credit = credit.plus(amount.neg());
      return;
    }
    const absorbed = Decimal.min(credit, amount);
    credit = credit.minus(absorbed);
    if (amount.gt(absorbed)) open.push({ start: start < dayOne ? dayOne : start, amount: amount.minus(absorbed) });
  };
  addDebt(dayOne, dec(d.amount));
  type Ev = { date: string; amount: Decimal; pay: boolean };
  const events: Ev[] = [
    ...(d.charges ?? []).map((c) => ({ date: c.date.slice(0, 10), amount: dec(c.amount), pay: false })),
    ...(d.payments ?? []).map((p) => ({ date: p.date.slice(0, 10), amount: dec(p.amount), pay: true })),
  ].filter((e) => e.date <= calcDate);
  // On one day: charges first (they count from that day), then payments (they count through it).
  events.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : Number(a.pay) - Number(b.pay)));
  for (const e of events) {
    if (!e.pay) {
      addDebt(e.date, e.amount);
      continue;
    }
    let left = e.amount;
    if (left.lt(0)) {
      addDebt(e.date, left.neg()); // a negative payment (a refund) is debt again
      continue;
    }
    while (left.gt(0) && open.length > 0) {
      const p = open[0];
      const take = Decimal.min(left, p.amount);
      closed.push({ start: p.start, end: e.date, amount: take });
      p.amount = p.amount.minus(take);
      left = left.minus(take);
      if (p.amount.isZero()) open.shift();
    }
    credit = credit.plus(left);
  }
  for (const p of open) closed.push({ start: p.start, end: calcDate, amount: p.amount });
  return closed;
}

/** Whether a moratorium covers a debt month (ПП №497: only debts of months ended before debtsBefore). */
export function moratoriumApplies(m: Moratorium, debtMonth: string): boolean {
  return m.debtsBefore == null || monthEnd(debtMonth) < m.debtsBefore;
}

interface DebtCalc {
  zones: Zone[];
  /** The rate (percent) serving a debt part that ends on `date`. */
  rateAt: (date: string) => Decimal;
  caps: readonly PenaltyRateCap[];
  moratoria: readonly Moratorium[];
  calcDate: string;
  windowFrom: string | undefined;
}

/** The rows of one debt under one set of zones and rates. */
function debtRows(d: PenaltyDebt, o: DebtCalc): PenaltyRow[] {
  const rows: PenaltyRow[] = [];
  const capitalRepair = d.capitalRepair === true;
  for (const part of partsOf(d, o.calcDate)) {
    let a = part.start;
    if (o.windowFrom && o.windowFrom > a) a = o.windowFrom;
    const b = part.end < o.calcDate ? part.end : o.calcDate;
    if (a > b) continue;
    let rate: Decimal | null = null;
    for (const z of o.zones) {
      const za = addDays(d.dueDate, z.fromDay);
      const zb = z.toDay >= FAR ? b : addDays(d.dueDate, z.toDay);
      const from = a > za ? a : za,
        to = b < zb ? b : zb;
      if (from > to) continue;
      rate ??= o.rateAt(part.end);
      const base = rate;
      const row = (x: string, y: string, r: Decimal, amount: Decimal, excluded: string | null, capped: string | null) =>
        rows.push({
          debtMonth: d.debtMonth,
          capitalRepair,
          from: x,
          to: y,
          days: daysBetween(x, y) + 1,
          fraction: z.fraction,
          rate: r,
          debt: part.amount,
          amount,
          excluded,
          capped,
        });
      for (const m of segments(from, to, o.moratoria)) {
        if (m.in.length > 0) {
          row(m.from, m.to, base, new Decimal(0), m.in.map((x) => x.act ?? "мораторий").join("; "), null);
          continue;
        }
        for (const c of segments(m.from, m.to, o.caps)) {
          let r = base;
          let capped: string | null = null;
          for (const cap of c.in) {
            const limit = dec(cap.rate);
            if (limit.lt(r)) {
              r = limit;
              capped = cap.act ?? "предельная ставка";
            }
          }
          const days = daysBetween(c.from, c.to) + 1;
          row(c.from, c.to, r, round2(part.amount.times(days).times(r).div(100).div(z.divisor)), null, capped);
        }
      }
    }
  }
  return rows;
}

const sumOf = (rows: PenaltyRow[]) => rows.reduce((s, r) => s.plus(r.amount), new Decimal(0));

/**
 * The penalty table courts use (period of debt, from–to, days, fraction, rate, amount, the
 * excluded days of moratoria) and its total — a pure function of the debts, dates and rates;
 * see the conventions above.
 */
export function penaltyTable(input: PenaltyInput): PenaltyTable {
  const rules: PenaltyRules = { ...PENALTY_RULES, ...(input.rules ?? {}) };
  const mode: PenaltyMode = input.mode ?? "Statutory";
  const calcDate = input.calcDate.slice(0, 10);
  const windowFrom = input.fromDate?.slice(0, 10);
  const keyRateAt = (date: string): Decimal => {
    const r = rateOn(input.keyRates ?? [], date);
    if (r === null) throw new MissingKeyRateError(date);
    return r;
  };
  const daily = mode === "FixedDailyRate" ? dec(input.dailyRate) : null;
  const rows: PenaltyRow[] = [];
  const limits: PenaltyLimit[] = [];
  const debts = [...input.debts].sort((a, b) =>
    a.debtMonth !== b.debtMonth
      ? a.debtMonth < b.debtMonth
        ? -1
        : 1
      : Number(a.capitalRepair === true) - Number(b.capitalRepair === true),
  );
  for (const d of debts) {
    const common = {
      moratoria: rules.moratoria.filter((m) => moratoriumApplies(m, d.debtMonth)),
      calcDate,
      windowFrom,
    };
    const statutory = debtRows(d, { ...common, zones: statutoryZones(d, rules), rateAt: keyRateAt, caps: rules.caps });
    if (!daily) {
      rows.push(...statutory);
      continue;
    }
    const fixed = debtRows(d, { ...common, zones: FIXED_ZONES, rateAt: () => daily, caps: [] });
    const f = sumOf(fixed),
      s = sumOf(statutory);
    if (f.gt(s)) {
      rows.push(...statutory);
      limits.push({ debtMonth: d.debtMonth, capitalRepair: d.capitalRepair === true, fixed: f, statutory: s });
    } else rows.push(...fixed);
  }
  rows.sort((x, y) =>
    x.debtMonth !== y.debtMonth
      ? x.debtMonth < y.debtMonth
        ? -1
        : 1
      : x.capitalRepair !== y.capitalRepair
        ? Number(x.capitalRepair) - Number(y.capitalRepair)
        : x.from !== y.from
          ? x.from < y.from
            ? -1
            : 1
          : x.to < y.to
            ? -1
            : x.to > y.to
              ? 1
              : 0,
  );
  return { rows, total: sumOf(rows), limits };
}

const money = (d: Decimal) => d.toFixed(2).replace(".", ",");
const percent = (d: Decimal) => d.toString().replace(".", ",");

/**
 * What a table's total is made of, in Russian, for the Penalties record's Explanation and the
 * court form: the rules applied, the days a moratorium excluded, the capped rate, and where
 * the fixed daily rate was limited to the statutory penalty.
 */
export function explainTable(t: PenaltyTable, o: { mode: PenaltyMode; dailyRate?: Decimal | string | null }): string[] {
  const out: string[] = [];
  const charged = t.rows.filter((r) => r.excluded === null && r.amount.gt(0));
  const fixedRows = charged.some((r) => r.fraction === "1");
  if (o.mode === "FixedDailyRate" && o.dailyRate != null)
    out.push(`фиксированная ставка ${percent(dec(o.dailyRate))} % в день${fixedRows ? "" : " (не применена)"}`);
  if (charged.some((r) => r.fraction !== "1")) {
    const parts = ["ЖК РФ ст.155 ч.14"];
    if (charged.some((r) => r.capitalRepair && r.fraction !== "1"))
      parts.push("ч.14.1 (капремонт: 1/300 с первого дня)");
    out.push(`по ${parts.join(", ")}`);
  }
  const caps = [...new Set(charged.map((r) => r.capped).filter((c): c is string => c !== null))];
  if (caps.length) {
    const rates = [...new Set(charged.filter((r) => r.capped).map((r) => percent(r.rate)))];
    out.push(`ставка ограничена ${rates.join(", ")} % (${caps.join("; ")})`);
  }
  const excluded = new Map<string, number>();
  for (const r of t.rows) if (r.excluded) excluded.set(r.excluded, (excluded.get(r.excluded) ?? 0) + r.days);
  for (const [act, days] of excluded) out.push(`мораторий (${act}): исключено дней ${days}`);
  for (const l of t.limits)
    out.push(
      `за ${l.debtMonth.slice(5, 7)}.${l.debtMonth.slice(0, 4)}${l.capitalRepair ? " (капремонт)" : ""} ` +
        `фиксированная ставка дала бы ${money(l.fixed)}, начислено ${money(l.statutory)} по закону ` +
        `(ЖК РФ ст.155 ч.14: увеличение размера пеней не допускается)`,
    );
  return out;
}

/** The due date of a month's charge: DueDay of the following month (clamped to its length). */
export function dueDateOf(debtMonth: string, dueDay: number): string {
  const next = addMonths(debtMonth, 1);
  const last = daysInMonth(next);
  return `${next.slice(0, 8)}${String(Math.min(Math.max(1, dueDay), last)).padStart(2, "0")}`;
}

/** The day of the following month a month's charge is due when PenaltySettings has no DueDay. */
export const DEFAULT_DUE_DAY = 10;
