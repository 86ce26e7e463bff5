/**
 * What the ЖКХ forms read from the registers, for one account or for many at once (a fixed
 * number of register reads whatever the number of accounts: whole-register reads filtered
 * here, as common/penalties.ts does):
 *  - settlements(): per account (and per service) the opening debt, charged, paid and closing
 *    debt of a period, and the day of the last payment, from Settlements. "Charged" is the
 *    receipts on services (accruals, recalculations, opening balances); "paid" is the money
 *    that came in: expenses minus the receipts on the advance key (Service = null) — moving an
 *    advance onto a service's charge (common/distribution.ts) is an expense and a receipt of
 *    the same sum, and is not a payment. So opening + charged − paid = closing, per account.
 *  - accruals(): the month's Accruals per account and service (volume, amount, benefits,
 *    recalculation, the raising factor the charge applied and the excess it made).
 *  - penaltyBalances(): the Penalties balance per account at a moment.
 */
import { Decimal } from "decimal.js";
import { addDays } from "../../server/api.ts";
import type { Query } from "../../metadata/types.gen.ts";
import { dec } from "../../metadata/common/money.ts";

const ZERO = new Decimal(0);

export interface Flow {
  opening: Decimal;
  charged: Decimal;
  paid: Decimal;
  closing: Decimal;
}
export interface AccountFlow extends Flow {
  /** Per service id; the key "" is the advance (Service = null). */
  services: Map<string, Flow>;
  /** The last day in the period money came in ('YYYY-MM-DD'), or null. */
  lastPayment: string | null;
}

const flow = (): Flow => ({ opening: ZERO, charged: ZERO, paid: ZERO, closing: ZERO });

/** A filter for one account, or none (read everything, keep `wanted` here). */
const filterOf = (wanted: Set<string> | null) =>
  wanted && wanted.size === 1 ? { Account: [...wanted][0] } : undefined;

/** A record of an account the caller wants (`accounts` null = every account; a record names its account). */
const wantedBy =
  (accounts: Set<string> | null) =>
  <R extends { Account: string | null }>(r: R): r is R & { Account: string } =>
    r.Account !== null && (accounts === null || accounts.has(r.Account));

/** Settlements of the period [from, to] per account; `accounts` null = every account. */
export async function settlements(
  ctx: Query,
  from: string,
  to: string,
  accounts: Set<string> | null,
): Promise<Map<string, AccountFlow>> {
  const out = new Map<string, AccountFlow>();
  const slot = (r: { Account: string; Service: string | null }) => {
    let a = out.get(r.Account);
    if (!a) out.set(r.Account, (a = { ...flow(), services: new Map(), lastPayment: null }));
    const key = r.Service ?? "";
    let s = a.services.get(key);
    if (!s) a.services.set(key, (s = flow()));
    return { a, s };
  };
  const keep = wantedBy(accounts);
  const filter = filterOf(accounts);
  for (const r of await ctx.registers.Settlements.balance(addDays(from, -1), filter)) {
    if (!keep(r)) continue;
    const { a, s } = slot(r);
    s.opening = s.opening.plus(dec(r.Amount));
    a.opening = a.opening.plus(dec(r.Amount));
  }
  const paidOn = new Map<string, Map<string, Decimal>>();
  for (const r of await ctx.registers.Settlements.turnovers(from, to, "day", filter)) {
    if (!keep(r)) continue;
    const { a, s } = slot(r);
    const receipt = dec(r.AmountReceipt),
      expense = dec(r.AmountExpense);
    // per service: what was charged to it and paid off it; the advance key: money in, net
    const advance = r.Service === null;
    const charged = advance ? ZERO : receipt;
    const paid = advance ? expense.minus(receipt) : expense;
    s.charged = s.charged.plus(charged);
    s.paid = s.paid.plus(paid);
    a.charged = a.charged.plus(charged);
    a.paid = a.paid.plus(paid);
    const day = String(r.period).slice(0, 10);
    let days = paidOn.get(r.Account);
    if (!days) paidOn.set(r.Account, (days = new Map()));
    days.set(day, (days.get(day) ?? ZERO).plus(paid));
  }
  for (const [acc, a] of out) {
    a.closing = a.opening.plus(a.charged).minus(a.paid);
    for (const s of a.services.values()) s.closing = s.opening.plus(s.charged).minus(s.paid);
    const days = [...(paidOn.get(acc) ?? [])]
      .filter(([, v]) => v.gt(0))
      .map(([d]) => d)
      .sort();
    a.lastPayment = days.at(-1) ?? null;
  }
  return out;
}

export interface AccrualLine {
  /** The service's id ("" for a record without one: an accrual always names its service). */
  service: string;
  volume: Decimal;
  amount: Decimal;
  benefits: Decimal;
  recalculation: Decimal;
  /** amount − benefits + recalculation */
  total: Decimal;
  /** The raising factor the month's accrual line applied (0: none) and the part of `amount` it added (Accruals resources). */
  factor: Decimal;
  factorExcess: Decimal;
}

/** Accruals of the period per account: its lines by service. */
export async function accruals(
  ctx: Query,
  from: string,
  to: string,
  accounts: Set<string> | null,
): Promise<Map<string, AccrualLine[]>> {
  const out = new Map<string, AccrualLine[]>();
  const keep = wantedBy(accounts);
  for (const r of await ctx.registers.Accruals.turnovers(from, to, "none", filterOf(accounts))) {
    if (!keep(r)) continue;
    const amount = dec(r.Amount),
      benefits = dec(r.Benefits),
      recalculation = dec(r.Recalculation);
    let lines = out.get(r.Account);
    if (!lines) out.set(r.Account, (lines = []));
    lines.push({
      service: r.Service ?? "",
      volume: dec(r.Volume),
      amount,
      benefits,
      recalculation,
      total: amount.minus(benefits).plus(recalculation),
      factor: dec(r.RaisingFactor),
      factorExcess: dec(r.RaisingFactorExcess),
    });
  }
  return out;
}

/** The Penalties balance per account at `at` (inclusive). */
export async function penaltyBalances(
  ctx: Query,
  at: string,
  accounts: Set<string> | null,
): Promise<Map<string, Decimal>> {
  const out = new Map<string, Decimal>();
  const keep = wantedBy(accounts);
  for (const r of await ctx.registers.Penalties.balance(at, filterOf(accounts))) {
    if (!keep(r)) continue;
    out.set(r.Account, (out.get(r.Account) ?? ZERO).plus(dec(r.Amount)));
  }
  return out;
}

/** Σ of a Decimal field. */
export const total = <T>(rows: Iterable<T>, f: (r: T) => Decimal) => {
  let s = ZERO;
  for (const r of rows) s = s.plus(f(r));
  return s;
};
