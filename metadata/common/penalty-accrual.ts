/**
 * Penalties (пени) as the configuration accrues and prints them — the part that reads the
 * registers; the arithmetic is penalty-arithmetic.ts (no database), docs/penalties.md names the
 * legal sources and the settings:
 *  - rulesOf(): the moratoria and key-rate caps of the Moratoria and PenaltyRateCaps registers,
 *    checked (a wrong record stops the calculation naming the register, record and field);
 *  - the settings, services and key rates a calculation needs (PenaltySettings, Services with
 *    PenaltiesApply and CapitalRepair, KeyRates), and the debts per month from Settlements;
 *  - accruePenalties(): the Penalties records of a month for GroupAccrual;
 *  - accountPenaltyTable(): one account's full table (the court form, reports/penalty-calculation).
 *
 * Conventions beside those of penalty-arithmetic.ts (the tests rely on them):
 *  - Settings: PenaltySettings as of the calculated month give Mode and Rate (RateDate is
 *    informational: the register's own month period says from when a setting applies); as of
 *    the debt month, DueDay.
 *  - Monthly accrual (accruePenalties) computes, for month M, only the penalty days that fall
 *    inside M, with M's last day as the calculation date: the penalties of consecutive months
 *    never count a day twice. Payments after the calculation date are not yet known.
 */
import { Decimal } from "decimal.js";
import type { TurnoverRow } from "../../server/api.ts";
import { addDays, monthEnd, monthStart } from "../../server/api.ts";
import { dec } from "./money.ts";
import {
  DEFAULT_DUE_DAY,
  dueDateOf,
  explainTable,
  MissingKeyRateError,
  type Moratorium,
  type PenaltyDebt,
  type PenaltyInput,
  type PenaltyMode,
  type PenaltyRateCap,
  type PenaltyRules,
  type PenaltyTable,
  penaltyTable,
} from "./penalty-arithmetic.ts";
import type { Configuration, Posting, Query } from "../types.gen.ts";

type Settlements = Configuration["accumulationRegisters"]["Settlements"];

const fmt = (d: string) => `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}`;

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

const MORATORIA_REGISTER = "«Мораторий на начисление пени»";
const CAPS_REGISTER = "«Предельная ставка для пени»";
const KEY_RATES_REGISTER = "«Ключевая ставка Банка России»";

/**
 * The moratoria and caps of the Moratoria and PenaltyRateCaps registers, checked: a record an
 * administrator got wrong stops the calculation with a message naming the register, the
 * record and the field (nothing is posted).
 */
export async function rulesOf(ctx: Query): Promise<Pick<PenaltyRules, "moratoria" | "caps">> {
  const moratoria: Moratorium[] = [];
  for (const r of await ctx.info.Moratoria.sliceLast()) {
    const from = r.From as string | null;
    const to = r.To as string | null;
    const where = `Регистр ${MORATORIA_REGISTER}, запись${from ? ` с ${fmt(from)}` : ""}`;
    if (!from) throw ctx.error(`${where}: не указана дата начала «С»`, { field: "From" });
    if (!to) throw ctx.error(`${where}: не указана дата окончания «По»`, { field: "To" });
    if (to < from)
      throw ctx.error(`${where}: дата окончания «По» (${fmt(to)}) раньше даты начала «С» (${fmt(from)})`, {
        field: "To",
      });
    moratoria.push({ from, to, debtsBefore: (r.DebtsBefore as string | null) || null, act: r.Act || "мораторий" });
  }
  const caps: PenaltyRateCap[] = [];
  for (const r of await ctx.info.PenaltyRateCaps.sliceLast()) {
    const from = r.From as string | null;
    const to = (r.To as string | null) || null;
    const where = `Регистр ${CAPS_REGISTER}, запись${from ? ` с ${fmt(from)}` : ""}`;
    if (!from) throw ctx.error(`${where}: не указана дата начала «С»`, { field: "From" });
    if (to && to < from)
      throw ctx.error(`${where}: дата окончания «По» (${fmt(to)}) раньше даты начала «С» (${fmt(from)})`, {
        field: "To",
      });
    if (r.Rate == null || dec(r.Rate).lte(0))
      throw ctx.error(`${where}: предельная ставка «Ставка, %» должна быть больше нуля`, { field: "Rate" });
    caps.push({ from, to, rate: dec(r.Rate), act: r.Act || "предельная ставка" });
  }
  return { moratoria, caps };
}

/** Shared by the monthly accrual and the account's table: settings, services, rates, rules. */
class Calc {
  private due = new Map<string, Promise<number>>();
  private rates = new Map<string, Promise<{ date: string; rate: Decimal } | null>>();
  constructor(private ctx: Query) {}

  /** The services with PenaltiesApply, each with whether it is a capital repair contribution. */
  async penaltyServices(): Promise<Map<string, { capitalRepair: boolean }>> {
    const all = await this.ctx.query("catalog", "Services", {});
    return new Map(
      all.filter((s) => s.PenaltiesApply === true).map((s) => [s.id, { capitalRepair: s.CapitalRepair === true }]),
    );
  }

  dueDate(debtMonth: string): Promise<string> {
    if (!this.due.has(debtMonth))
      this.due.set(
        debtMonth,
        settingsAt(this.ctx, debtMonth).then((s) => s.dueDay),
      );
    return this.due.get(debtMonth)!.then((day) => dueDateOf(debtMonth, day));
  }

  /** The KeyRates records in force on each of the dates (one slice per distinct date), checked. */
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
      if (!r) continue;
      if (r.rate.lt(0))
        throw this.ctx.error(
          `Регистр ${KEY_RATES_REGISTER}, запись с ${fmt(r.date)}: ставка «Ставка, %» не может быть отрицательной`,
          { field: "Rate" },
        );
      out.set(r.date, r.rate);
    }
    return [...out].map(([date, rate]) => ({ date, rate }));
  }

  table(input: PenaltyInput): PenaltyTable {
    try {
      return penaltyTable(input);
    } catch (e) {
      if (e instanceof MissingKeyRateError)
        throw this.ctx.error(
          `Нет ключевой ставки Банка России на ${fmt(e.date)}: заполните регистр ${KEY_RATES_REGISTER}`,
        );
      throw e;
    }
  }
}

type DayTurnover = { day: string; receipt: Decimal; expense: Decimal };
type DebtSlot = { debtMonth: string; capitalRepair: boolean; opening: Decimal; days: DayTurnover[] };

/** Debts per debt month and kind from an opening debt and day turnovers (receipts count from their day, expenses close through theirs). */
async function debtsOf(calc: Calc, slots: Map<string, DebtSlot>, before: string): Promise<PenaltyDebt[]> {
  const out: PenaltyDebt[] = [];
  for (const [, m] of [...slots].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (m.debtMonth >= before) continue; // due next month at the earliest: no penalty days yet
    out.push({
      debtMonth: m.debtMonth,
      capitalRepair: m.capitalRepair,
      dueDate: await calc.dueDate(m.debtMonth),
      amount: m.opening,
      charges: m.days.filter((t) => !t.receipt.isZero()).map((t) => ({ date: t.day, amount: t.receipt })),
      payments: m.days.filter((t) => !t.expense.isZero()).map((t) => ({ date: t.day, amount: t.expense })),
    });
  }
  return out;
}

/** The slot of a debt month and kind (ordinary services, capital repair) in a map of slots. */
function slotOf(slots: Map<string, DebtSlot>, debtMonth: string, capitalRepair: boolean): DebtSlot {
  const key = `${debtMonth}|${capitalRepair ? 1 : 0}`;
  let m = slots.get(key);
  if (!m) slots.set(key, (m = { debtMonth, capitalRepair, opening: new Decimal(0), days: [] }));
  return m;
}

function paymentDates(debts: PenaltyDebt[]): string[] {
  return debts.flatMap((d) => (d.payments ?? []).map((p) => p.date));
}

/**
 * Accrues penalties for `month` (any date in it) for the accounts: for each account the
 * penalty days that fall inside the month, on the debts of services with PenaltiesApply, as
 * one Penalties receipt dated `${month}T00:00:00` with its Explanation. Reads the Settlements
 * balance before the month and the month's day turnovers once for all accounts.
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
  const rules = await rulesOf(ctx);

  // account → debt month and kind → opening debt and the month's day turnovers
  const byAccount = new Map<string, Map<string, DebtSlot>>();
  const slot = (acc: string, service: string, debtMonth: string) => {
    let slots = byAccount.get(acc);
    if (!slots) byAccount.set(acc, (slots = new Map()));
    return slotOf(slots, debtMonth, services.get(service)!.capitalRepair);
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
    const m = slot(r.Account, r.Service, monthStart(r.DebtPeriod));
    m.opening = m.opening.plus(dec(r.Amount));
  }
  for (const r of await ctx.registers.Settlements.turnovers(M, end, "day", filter)) {
    if (!relevant(r)) continue;
    addDayTurnover(slot(r.Account, r.Service, monthStart(r.DebtPeriod)).days, r);
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
  // both modes: the fixed daily rate is checked against the statutory penalty
  const keyRates = await calc.keyRates(dates);
  for (const [acc, debts] of perAccount) {
    const t = calc.table({
      debts,
      calcDate: end,
      fromDate: M,
      mode: settings.mode,
      dailyRate: settings.rate,
      keyRates,
      rules,
    });
    if (t.total.gt(0))
      ctx.movements.Penalties.add({
        kind: "receipt",
        period: `${M}T00:00:00`,
        Account: acc,
        Amount: t.total.toFixed(2),
        Explanation: explanation(M, end, t, settings),
      });
  }
}

/** The Penalties record's Explanation (string(500)). */
function explanation(
  from: string,
  to: string,
  t: PenaltyTable,
  s: { mode: PenaltyMode; rate: Decimal | null },
): string {
  const text = `Пени за ${fmt(from)}–${fmt(to)}: ${explainTable(t, { mode: s.mode, dailyRate: s.rate }).join("; ")}`;
  return text.length > 500 ? `${text.slice(0, 499)}…` : text;
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
 * made, the calculation date `date`, the settings in force on `date`, the moratoria and caps
 * of their registers. `from` limits the table to penalty days on or after it. Opening
 * penalties (OpeningBalances) are not in it.
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
  const rules = await rulesOf(ctx);
  const slots = new Map<string, DebtSlot>();
  for (const r of await ctx.registers.Settlements.turnovers("1900-01-01", calcDate, "day", { Account: account })) {
    if (r.Service === null || !services.has(r.Service) || r.DebtPeriod === null) continue;
    addDayTurnover(slotOf(slots, monthStart(r.DebtPeriod), services.get(r.Service)!.capitalRepair).days, r);
  }
  const debts = await debtsOf(calc, slots, monthStart(calcDate));
  if (settings.mode === "FixedDailyRate" && (settings.rate === null || settings.rate.lte(0)))
    return { rows: [], total: new Decimal(0), limits: [] };
  const keyRates = await calc.keyRates([calcDate, ...paymentDates(debts)]);
  return calc.table({
    debts,
    calcDate,
    fromDate: opts.from,
    mode: settings.mode,
    dailyRate: settings.rate,
    keyRates,
    rules,
  });
}
