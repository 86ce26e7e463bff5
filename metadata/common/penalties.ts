/**
 * Penalties (пени) on overdue housing payments, ЖК РФ ст.155 ч.14 — DOMAIN.md §5.
 *
 * Conventions (the tests rely on them):
 *  - Each month's charge (debt month) is a debt of its own, due on DueDay of the following
 *    month (PenaltySettings.DueDay as of the debt month, default 10). Day 1 is the day after
 *    the due date; the day number keeps counting calendar days (a moratorium skips days, it
 *    does not renumber them).
 *  - Days are counted inclusively through the payment date for the part of the debt a
 *    payment closes, and through the calculation date for the part still unpaid. A payment
 *    therefore reduces the unpaid amount from the day after it is made. A charge added to an
 *    old debt month later (a receipt dated d) counts from d. Payments close the oldest parts
 *    of the month's debt first.
 *  - One rate serves a whole debt part: the rate in force on its payment date, or on the
 *    calculation date for the unpaid part — capped (PENALTY_RULES.cap, 9.5% from 28.02.2022,
 *    ПП №474 **(verify the current extension)**) when that date falls in the cap's period.
 *  - Statutory mode: days 1–30 nothing, 31–90 1/300 of the rate per day, from day 91 1/130;
 *    a debt whose due date is before 01.01.2016 pays 1/300 from day 1 (the rule before
 *    307-ФЗ). Moratorium 06.04.2020–01.01.2021 (ПП №424): no penalty for those days.
 *  - FixedDailyRate mode (the seed's "Настройка пени" 0.0344): the setting is a percent per
 *    day of the unpaid amount, applied from day 1 after the due date (the old contract style:
 *    no 30-day grace, no fractions, no key rate, no cap); the moratorium still applies.
 *  - Each row of the table (debt month × debt part × fraction zone, split by a moratorium
 *    and by the `fromDate` window) is rounded to kopecks half up; the penalty is the sum of
 *    the rows.
 *  - Settings: PenaltySettings as of the calculated month give Mode and Rate (RateDate is
 *    informational: the register's own month period says from when a setting applies); as of
 *    the debt month, DueDay.
 *  - Monthly accrual (accruePenalties) computes, for month M, only the penalty days that fall
 *    inside M, with M's last day as the calculation date: the penalties of consecutive months
 *    never count a day twice. Payments after the calculation date are not yet known.
 */
import { Decimal } from "decimal.js";
import type { TurnoverRow } from "../../server/api.ts";
import { addDays, addMonths, daysBetween, daysInMonth, monthEnd, monthStart } from "../../server/api.ts";
import { dec, round2 } from "./money.ts";
import { rateOn } from "./key-rates.ts";
import type { Configuration, Posting, Query } from "../types.gen.ts";

type Settlements = Configuration["accumulationRegisters"]["Settlements"];

export type PenaltyMode = "Statutory" | "FixedDailyRate";

/** Rules with dates set by law; each can be overridden per call (PenaltyInput.rules). */
export interface PenaltyRules {
  /** Debts due before this date: 1/300 from day 1 (ЖК РФ ст.155 ч.14 before 307-ФЗ). */
  newRulesFrom: string;
  /** Statutory from newRulesFrom: days 1..graceDays nothing, then 1/300 through day 90, then 1/130. */
  graceDays: number;
  lowFractionThroughDay: number;
  /** (verify) ПП №474: the rate is capped from `from` (through `to`, inclusive; null = open). */
  cap: { from: string; to: string | null; rate: string } | null;
  /** Periods without penalties, inclusive (ПП №424: 06.04.2020–01.01.2021). */
  moratoria: { from: string; to: string }[];
}

export const PENALTY_RULES: Readonly<PenaltyRules> = Object.freeze({
  newRulesFrom: "2016-01-01",
  graceDays: 30,
  lowFractionThroughDay: 90,
  cap: { from: "2022-02-28", to: null, rate: "9.5" }, // (verify) the current extension of ПП №474
  moratoria: [{ from: "2020-04-06", to: "2021-01-01" }],
});

export interface PenaltyMovement {
  date: string;
  amount: Decimal | string;
}
export interface PenaltyDebt {
  /** 'YYYY-MM-01' of the month charged. */
  debtMonth: string;
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
  /** First and last penalty day of the row, inclusive. */
  from: string;
  to: string;
  days: number;
  /** '1/300', '1/130'; '1' in the fixed daily mode (the rate is already per day). */
  fraction: string;
  /** Percent: the key rate per year (statutory) or the daily percent (fixed). */
  rate: Decimal;
  /** The debt part the row charges. */
  debt: Decimal;
  /** round2(debt × days × rate / 100 × fraction). */
  amount: Decimal;
}
export interface PenaltyTable {
  rows: PenaltyRow[];
  total: Decimal;
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
  /** Statutory: the key rate history (any order); a rate is in force from its date. */
  keyRates?: readonly { date: string; rate: Decimal | string }[];
  rules?: Partial<PenaltyRules>;
}

/** Thrown by penaltyTable when the statutory mode needs a rate the history does not have. */
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

function zonesOf(mode: PenaltyMode, dueDate: string, rules: PenaltyRules): Zone[] {
  if (mode === "FixedDailyRate") return [{ fromDay: 1, toDay: FAR, fraction: "1", divisor: 1 }];
  if (dueDate < rules.newRulesFrom) return [{ fromDay: 1, toDay: FAR, fraction: "1/300", divisor: 300 }];
  return [
    { fromDay: rules.graceDays + 1, toDay: rules.lowFractionThroughDay, fraction: "1/300", divisor: 300 },
    { fromDay: rules.lowFractionThroughDay + 1, toDay: FAR, fraction: "1/130", divisor: 130 },
  ];
}

/** [a, b] minus the moratoria, as inclusive date ranges in order. */
function withoutMoratoria(a: string, b: string, moratoria: { from: string; to: string }[]): [string, string][] {
  let ranges: [string, string][] = [[a, b]];
  for (const m of [...moratoria].sort((x, y) => (x.from < y.from ? -1 : 1))) {
    const next: [string, string][] = [];
    for (const [x, y] of ranges) {
      if (m.to < x || m.from > y) next.push([x, y]);
      else {
        if (m.from > x) next.push([x, addDays(m.from, -1)]);
        if (m.to < y) next.push([addDays(m.to, 1), y]);
      }
    }
    ranges = next;
  }
  return ranges;
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

/**
 * The penalty table courts use (period of debt, from–to, days, fraction, rate, amount) and
 * its total — a pure function of the debts, dates and rates; see the conventions above.
 */
export function penaltyTable(input: PenaltyInput): PenaltyTable {
  const rules: PenaltyRules = { ...PENALTY_RULES, ...(input.rules ?? {}) };
  const mode: PenaltyMode = input.mode ?? "Statutory";
  const calcDate = input.calcDate.slice(0, 10);
  const windowFrom = input.fromDate?.slice(0, 10);
  const daily = mode === "FixedDailyRate" ? dec(input.dailyRate) : null;
  const rateAt = (date: string): Decimal => {
    if (daily) return daily;
    const r = rateOn(input.keyRates ?? [], date);
    if (r === null) throw new MissingKeyRateError(date);
    const cap = rules.cap;
    if (cap && date >= cap.from && (cap.to === null || date <= cap.to)) return Decimal.min(r, new Decimal(cap.rate));
    return r;
  };
  const rows: PenaltyRow[] = [];
  for (const d of [...input.debts].sort((a, b) =>
    a.debtMonth < b.debtMonth ? -1 : a.debtMonth > b.debtMonth ? 1 : 0,
  )) {
    const zones = zonesOf(mode, d.dueDate, rules);
    for (const part of partsOf(d, calcDate)) {
      let a = part.start;
      if (windowFrom && windowFrom > a) a = windowFrom;
      const b = part.end < calcDate ? part.end : calcDate;
      if (a > b) continue;
      let rate: Decimal | null = null;
      for (const z of zones) {
        const za = addDays(d.dueDate, z.fromDay);
        const zb = z.toDay >= FAR ? b : addDays(d.dueDate, z.toDay);
        const from = a > za ? a : za,
          to = b < zb ? b : zb;
        if (from > to) continue;
        for (const [x, y] of withoutMoratoria(from, to, rules.moratoria)) {
          rate ??= rateAt(part.end);
          const days = daysBetween(x, y) + 1;
          const amount = round2(part.amount.times(days).times(rate).div(100).div(z.divisor));
          rows.push({
            debtMonth: d.debtMonth,
            from: x,
            to: y,
            days,
            fraction: z.fraction,
            rate,
            debt: part.amount,
            amount,
          });
        }
      }
    }
  }
  rows.sort((x, y) =>
    x.debtMonth !== y.debtMonth
      ? x.debtMonth < y.debtMonth
        ? -1
        : 1
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
  return { rows, total: rows.reduce((s, r) => s.plus(r.amount), new Decimal(0)) };
}

/** The due date of a month's charge: DueDay of the following month (clamped to its length). */
export function dueDateOf(debtMonth: string, dueDay: number): string {
  const next = addMonths(debtMonth, 1);
  const last = daysInMonth(next);
  return `${next.slice(0, 8)}${String(Math.min(Math.max(1, dueDay), last)).padStart(2, "0")}`;
}

/** The day of the following month a month's charge is due when PenaltySettings has no DueDay. */
export const DEFAULT_DUE_DAY = 10;

/** PenaltySettings as of `at` (a month register without dimensions): due day, mode, daily rate. */
async function settingsAt(
  ctx: Query,
  at: string,
): Promise<{ dueDay: number; mode: PenaltyMode; rate: Decimal | null }> {
  const [s] = await ctx.info.PenaltySettings.sliceLast(at);
  const dueDay = s?.DueDay != null && !dec(s.DueDay).isZero() ? dec(s.DueDay).toNumber() : DEFAULT_DUE_DAY;
  const mode: PenaltyMode = s?.Mode === "FixedDailyRate" ? "FixedDailyRate" : "Statutory";
  return { dueDay, mode, rate: s?.Rate != null ? dec(s.Rate) : null };
}

const fmt = (d: string) => `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}`;

/** Shared by the monthly accrual and the account's table: settings, services, rates. */
class Calc {
  private due = new Map<string, Promise<number>>();
  private rates = new Map<string, Promise<{ date: string; rate: Decimal } | null>>();
  constructor(private ctx: Query) {}

  async penaltyServices(): Promise<Set<string>> {
    const all = await this.ctx.query("catalog", "Services", {});
    return new Set(all.filter((s) => s.PenaltiesApply === true).map((s) => s.id));
  }

  dueDate(debtMonth: string): Promise<string> {
    if (!this.due.has(debtMonth))
      this.due.set(
        debtMonth,
        settingsAt(this.ctx, debtMonth).then((s) => s.dueDay),
      );
    return this.due.get(debtMonth)!.then((day) => dueDateOf(debtMonth, day));
  }

  /** The KeyRates records in force on each of the dates (one slice per distinct date). */
  async keyRates(dates: Iterable<string>): Promise<{ date: string; rate: Decimal }[]> {
    const out = new Map<string, Decimal>();
    for (const d of new Set(dates)) {
      if (!this.rates.has(d))
        this.rates.set(
          d,
          this.ctx.info.KeyRates.sliceLast(d).then(([r]) =>
            r ? { date: String(r.period).slice(0, 10), rate: dec(r.Rate) } : null,
          ),
        );
      const r = await this.rates.get(d)!;
      if (r) out.set(r.date, r.rate);
    }
    return [...out].map(([date, rate]) => ({ date, rate }));
  }

  table(input: PenaltyInput): PenaltyTable {
    try {
      return penaltyTable(input);
    } catch (e) {
      if (e instanceof MissingKeyRateError)
        throw this.ctx.error(
          `Нет ключевой ставки Банка России на ${fmt(e.date)}: заполните регистр «Ключевая ставка Банка России»`,
        );
      throw e;
    }
  }
}

type DayTurnover = { day: string; receipt: Decimal; expense: Decimal };

/** Debts per debt month from an opening debt and day turnovers (receipts count from their day, expenses close through theirs). */
async function debtsOf(
  calc: Calc,
  months: Map<string, { opening: Decimal; days: DayTurnover[] }>,
  before: string,
): Promise<PenaltyDebt[]> {
  const out: PenaltyDebt[] = [];
  for (const [debtMonth, m] of [...months].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (debtMonth >= before) continue; // due next month at the earliest: no penalty days yet
    out.push({
      debtMonth,
      dueDate: await calc.dueDate(debtMonth),
      amount: m.opening,
      charges: m.days.filter((t) => !t.receipt.isZero()).map((t) => ({ date: t.day, amount: t.receipt })),
      payments: m.days.filter((t) => !t.expense.isZero()).map((t) => ({ date: t.day, amount: t.expense })),
    });
  }
  return out;
}

function paymentDates(debts: PenaltyDebt[]): string[] {
  return debts.flatMap((d) => (d.payments ?? []).map((p) => p.date));
}

/**
 * Accrues penalties for `month` (any date in it) for the accounts: for each account the
 * penalty days that fall inside the month, on the debts of services with PenaltiesApply, as
 * one Penalties receipt dated `${month}T00:00:00`. Reads the Settlements balance before the
 * month and the month's day turnovers once for all accounts.
 */
export async function accruePenalties(
  ctx: Posting<"GroupAccrual">,
  o: { month: string; accounts: string[] },
): Promise<void> {
  const M = monthStart(o.month);
  const end = monthEnd(M);
  // (string | null: a register row's Account is looked up as it comes)
  const accounts = new Set<string | null>(o.accounts);
  if (accounts.size === 0) return;
  const calc = new Calc(ctx);
  const services = await calc.penaltyServices();
  if (services.size === 0) return;
  const settings = await settingsAt(ctx, M);
  if (settings.mode === "FixedDailyRate" && (settings.rate === null || settings.rate.lte(0)))
    throw ctx.error(`Настройка пени на ${fmt(M)}: для фиксированного процента в день не указана ставка`);

  // account → debt month → opening debt and the month's day turnovers
  const byAccount = new Map<string, Map<string, { opening: Decimal; days: DayTurnover[] }>>();
  const slot = (acc: string, debtMonth: string) => {
    let months = byAccount.get(acc);
    if (!months) byAccount.set(acc, (months = new Map()));
    let m = months.get(debtMonth);
    if (!m) months.set(debtMonth, (m = { opening: new Decimal(0), days: [] }));
    return m;
  };
  const relevant = <T extends Settlements["dimensions"]>(r: T): r is T & { Account: string; Service: string } =>
    accounts.has(r.Account) &&
    r.Service !== null &&
    services.has(r.Service) &&
    r.DebtPeriod !== null &&
    r.DebtPeriod < M;
  // one account: a keyed read; more: one read of every key, filtered here (no query per account)
  const filter = accounts.size === 1 ? { Account: [...accounts][0] } : undefined;
  for (const r of await ctx.registers.Settlements.balance(addDays(M, -1), filter)) {
    if (!relevant(r)) continue;
    const m = slot(r.Account, monthStart(r.DebtPeriod));
    m.opening = m.opening.plus(dec(r.Amount));
  }
  for (const r of await ctx.registers.Settlements.turnovers(M, end, "day", filter)) {
    if (!relevant(r)) continue;
    addDayTurnover(slot(r.Account, monthStart(r.DebtPeriod)).days, r);
  }

  const perAccount: [string, PenaltyDebt[]][] = [];
  const dates = new Set<string>([end]);
  for (const acc of [...byAccount.keys()].sort()) {
    const debts = await debtsOf(calc, byAccount.get(acc)!, M);
    if (debts.length === 0) continue;
    perAccount.push([acc, debts]);
    for (const d of paymentDates(debts)) dates.add(d);
  }
  if (perAccount.length === 0) return;
  const keyRates = settings.mode === "Statutory" ? await calc.keyRates(dates) : [];
  for (const [acc, debts] of perAccount) {
    const t = calc.table({
      debts,
      calcDate: end,
      fromDate: M,
      mode: settings.mode,
      dailyRate: settings.rate,
      keyRates,
    });
    if (t.total.gt(0))
      ctx.movements.Penalties.add({
        kind: "receipt",
        period: `${M}T00:00:00`,
        Account: acc,
        Amount: t.total.toFixed(2),
      });
  }
}

/** Adds one day-turnover row of Settlements to a debt month's list of days. */
function addDayTurnover(days: DayTurnover[], r: TurnoverRow<Settlements>): void {
  const day = String(r.period).slice(0, 10);
  const t = days.find((x) => x.day === day);
  if (t) {
    t.receipt = t.receipt.plus(dec(r.AmountReceipt));
    t.expense = t.expense.plus(dec(r.AmountExpense));
  } else days.push({ day, receipt: dec(r.AmountReceipt), expense: dec(r.AmountExpense) });
}

/**
 * One account's full penalty table through `date` (for reports and court claims): every
 * debt month of services with PenaltiesApply from its first charge, payments as they were
 * made, the calculation date `date`, the settings in force on `date`. `from` limits the
 * table to penalty days on or after it. Opening penalties (OpeningBalances) are not in it.
 */
export async function accountPenaltyTable(
  ctx: Query,
  account: string,
  date: string,
  opts: { from?: string } = {},
): Promise<PenaltyTable> {
  const calcDate = date.slice(0, 10);
  const calc = new Calc(ctx);
  const services = await calc.penaltyServices();
  const settings = await settingsAt(ctx, calcDate);
  const months = new Map<string, { opening: Decimal; days: DayTurnover[] }>();
  for (const r of await ctx.registers.Settlements.turnovers("1900-01-01", calcDate, "day", { Account: account })) {
    if (r.Service === null || !services.has(r.Service) || r.DebtPeriod === null) continue;
    const debtMonth = monthStart(r.DebtPeriod);
    let m = months.get(debtMonth);
    if (!m) months.set(debtMonth, (m = { opening: new Decimal(0), days: [] }));
    addDayTurnover(m.days, r);
  }
  const debts = await debtsOf(calc, months, monthStart(calcDate));
  const keyRates = settings.mode === "Statutory" ? await calc.keyRates([calcDate, ...paymentDates(debts)]) : [];
  if (settings.mode === "FixedDailyRate" && (settings.rate === null || settings.rate.lte(0)))
    return { rows: [], total: new Decimal(0) };
  return calc.table({ debts, calcDate, fromDate: opts.from, mode: settings.mode, dailyRate: settings.rate, keyRates });
}
