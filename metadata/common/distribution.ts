/**
 * Distribution of a payment over an account's debts, and consumption of advances —
 * DOMAIN.md §6, docs/payments.md. Pure functions first (distribute, netCredits,
 * distributePayment, settlePayment), then the posting helper consumeAdvances that GroupAccrual
 * calls.
 *
 * Methods (enum DistributionMethods; the payment's own choice, else its organization's, else the
 * default — methodFor):
 *  - OldestPeriodProportional (default; ГК РФ ст.319.1, Пленум ВС № 22 п.32, Правила 354
 *    п.118): the oldest debt period first; within one period the amount is split over the
 *    services in proportion to each service's debt of that period (largest remainder in kopecks,
 *    ties to the service first in receipt order). A period the payer names is paid before all
 *    others (distributePayment's paidMonth) — by this same rule inside it.
 *  - ProportionalToDebt (the seed's «Пропорционально задолженности», over all periods): the
 *    amount is split over the services in proportion to each service's whole debt, and inside a
 *    service it pays the oldest debt period first.
 *  - OldestFirst: by debt period, then the service's ReceiptOrder (one service at a time).
 *  - ByServicePriority: by the service's Priority (1 first; empty last), then oldest period,
 *    then ReceiptOrder.
 * Ties everywhere end with the service id, so the result never depends on input order.
 *
 * Credits (negative balances of a service and month, and advances on Service = null) are netted
 * against the debts before a payment is split (netCredits): a service's credit pays that
 * service's debts first, oldest first; what is left pays the other debts by the method.
 *
 * Payees (Services.Payee, docs/payees.md): a payment that names its payee (Payment.Payee, e.g.
 * from the receipt's QR — PayeeINN / PersonalAcc) is split over that payee's services only:
 * settlePayment nets and pays the balances of those services alone (their own credits, not the
 * account's advance), pays no penalties unless the payee is the building's organization, and
 * leaves the rest as a credit of the payee's first service (receipt order) — so another payee's
 * money never pays it. Without a payee (or one that takes every service) the account's money is
 * one pool, as before.
 */
import { Decimal } from "decimal.js";
import type { BalanceRow, RecordInput } from "../../server/api.ts";
import { monthEnd, monthStart } from "../../server/api.ts";
import { dec, largestRemainder } from "./money.ts";
import type { Configuration, DistributionMethods, Posting, Query } from "../types.gen.ts";

type Settlements = Configuration["accumulationRegisters"]["Settlements"];

export type DistributionMethod = DistributionMethods;
export const DISTRIBUTION_METHODS: readonly DistributionMethod[] = [
  "OldestPeriodProportional",
  "ProportionalToDebt",
  "OldestFirst",
  "ByServicePriority",
];
/** The method when neither the payment nor its organization chooses one. */
export const DEFAULT_METHOD: DistributionMethod = "OldestPeriodProportional";

export interface Debt {
  service: string | null;
  /** 'YYYY-MM-01'. */
  debtPeriod: string;
  amount: Decimal;
  /** Services.ReceiptOrder (empty: after every numbered service). */
  receiptOrder?: number | null;
  /** Services.Priority (empty: after every numbered service). */
  priority?: number | null;
}
export interface Allocation {
  service: string | null;
  debtPeriod: string;
  amount: Decimal;
}

const isMethod = (v: unknown): v is DistributionMethod => DISTRIBUTION_METHODS.includes(v as DistributionMethod);

/** A value name of DistributionMethods, or the legal default for an empty / unknown one. */
export function methodOf(v: unknown): DistributionMethod {
  return isMethod(v) ? v : DEFAULT_METHOD;
}

/** The first chosen method of the given ones (the payment's, then its organization's…), else the default. */
export function methodFor(...choices: unknown[]): DistributionMethod {
  return choices.find(isMethod) ?? DEFAULT_METHOD;
}

const nullsLast = (a: number | null | undefined, b: number | null | undefined) =>
  (a ?? Number.MAX_SAFE_INTEGER) - (b ?? Number.MAX_SAFE_INTEGER);
const str = (a: string | null, b: string | null) => ((a ?? "") < (b ?? "") ? -1 : (a ?? "") > (b ?? "") ? 1 : 0);

function byServiceOrder(a: Debt, b: Debt): number {
  return nullsLast(a.receiptOrder, b.receiptOrder) || str(a.service, b.service);
}
function oldestFirst(a: Debt, b: Debt): number {
  return str(a.debtPeriod, b.debtPeriod) || byServiceOrder(a, b);
}
function byPriority(a: Debt, b: Debt): number {
  return nullsLast(a.priority, b.priority) || oldestFirst(a, b);
}

const ZERO = new Decimal(0);
const sum = (xs: Decimal[]) => xs.reduce((s, x) => s.plus(x), ZERO);

/** Pays the debts in the given order until the amount runs out. */
function sequential(amount: Decimal, debts: Debt[]): Allocation[] {
  const out: Allocation[] = [];
  let left = amount;
  for (const d of debts) {
    if (left.lte(0)) break;
    const pay = Decimal.min(left, d.amount);
    out.push({ service: d.service, debtPeriod: d.debtPeriod, amount: pay });
    left = left.minus(pay);
  }
  return out;
}

/**
 * Distributes `amount` (kopecks) over the positive debts by the method. Each debt gets at most
 * its amount; `rest` is what is left beyond all of them. Allocations are in the debts' oldest-
 * first order, zero allocations left out; they sum with `rest` to `amount` exactly.
 */
export function distribute(
  amount: Decimal,
  debts: Debt[],
  method: DistributionMethod | string,
): { allocations: Allocation[]; rest: Decimal } {
  amount = dec(amount);
  const open = debts.filter((d) => dec(d.amount).gt(0)).map((d) => ({ ...d, amount: dec(d.amount) }));
  if (amount.lte(0) || open.length === 0) return { allocations: [], rest: Decimal.max(amount, 0) };
  const total = sum(open.map((d) => d.amount));
  const toPay = Decimal.min(amount, total);
  let allocations: Allocation[];
  const m = methodOf(method);
  if (m === "OldestPeriodProportional") {
    // period by period, oldest first; the period the money runs out in is split by its debts
    const periods = new Map<string, Debt[]>();
    for (const d of [...open].sort(oldestFirst)) {
      if (!periods.has(d.debtPeriod)) periods.set(d.debtPeriod, []);
      periods.get(d.debtPeriod)!.push(d);
    }
    allocations = [];
    let left = toPay;
    for (const g of periods.values()) {
      if (left.lte(0)) break;
      const owed = sum(g.map((d) => d.amount));
      const shares = left.gte(owed)
        ? g.map((d) => d.amount)
        : largestRemainder(
            left,
            g.map((d) => d.amount),
          );
      g.forEach((d, i) => allocations.push({ service: d.service, debtPeriod: d.debtPeriod, amount: shares[i] }));
      left = left.minus(Decimal.min(left, owed));
    }
  } else if (m === "ProportionalToDebt") {
    const services = new Map<string | null, Debt[]>();
    for (const d of [...open].sort((a, b) => byServiceOrder(a, b) || str(a.debtPeriod, b.debtPeriod))) {
      const key = d.service;
      if (!services.has(key)) services.set(key, []);
      services.get(key)!.push(d);
    }
    const groups = [...services.values()];
    const shares = toPay.eq(total)
      ? groups.map((g) => sum(g.map((d) => d.amount)))
      : largestRemainder(
          toPay,
          groups.map((g) => sum(g.map((d) => d.amount))),
        );
    allocations = groups.flatMap((g, i) => sequential(shares[i], g.sort(oldestFirst)));
  } else allocations = sequential(toPay, [...open].sort(m === "OldestFirst" ? oldestFirst : byPriority));
  const ordered = allocations.filter((a) => a.amount.gt(0));
  const pos = (a: Allocation) => open.find((d) => d.service === a.service && d.debtPeriod === a.debtPeriod)!;
  ordered.sort((a, b) => oldestFirst(pos(a), pos(b)));
  return { allocations: ordered, rest: amount.minus(toPay) };
}

const keyOf = (a: { service: string | null; debtPeriod: string }) => `${a.service}|${a.debtPeriod}`;

/** Credits netted against debts (netCredits): both sides sum to the same kopecks. */
export interface Netting {
  /** What the credits paid, per debt key (posted as expenses on those keys). */
  debts: Allocation[];
  /** What each credit gave, per credit key, positive (posted as a negative expense: the credit moves toward zero). */
  credits: Allocation[];
}

/**
 * Nets an account's credits against its debts, before a payment is distributed (docs/payments.md).
 * `balances` are the account's balances per (service, debt period): positive ones with a service
 * are debts; negative ones are credits — a service's (a negative opening balance, a refund by
 * recalculation) or the advance (Service = null).
 *  1. A service's credits pay that service's debts: the oldest credit first, into the oldest debt
 *     first.
 *  2. Whatever credit is left (an advance, or a service credit beyond its own service's debt)
 *     pays the other debts by the method, the credits giving oldest first (then in receipt order).
 * Returns the netting and the debts left (what a payment then distributes); credit beyond all
 * debt stays where it is.
 */
export function netCredits(balances: Debt[], method: DistributionMethod | string): { netting: Netting; debts: Debt[] } {
  const all = balances.map((b) => ({ ...b, amount: dec(b.amount) }));
  const debts = all.filter((b) => b.service !== null && b.amount.gt(0)).sort(oldestFirst);
  const credits = all
    .filter((b) => b.amount.lt(0))
    .map((b) => ({ ...b, amount: b.amount.neg() }))
    .sort(oldestFirst);
  const gave = new Map<string, Decimal>();
  const took = new Map<string, Decimal>();
  const add = (m: Map<string, Decimal>, k: Debt | Allocation, x: Decimal) =>
    m.set(keyOf(k), (m.get(keyOf(k)) ?? ZERO).plus(x));
  const creditLeft = (c: Debt) => c.amount.minus(gave.get(keyOf(c)) ?? ZERO);
  const debtLeft = (d: Debt) => d.amount.minus(took.get(keyOf(d)) ?? ZERO);
  for (const c of credits) {
    if (c.service === null) continue;
    for (const d of debts) {
      if (d.service !== c.service) continue;
      const x = Decimal.min(creditLeft(c), debtLeft(d));
      if (x.lte(0)) continue;
      add(gave, c, x);
      add(took, d, x);
    }
  }
  const spare = sum(credits.map(creditLeft));
  if (spare.gt(0)) {
    const { allocations } = distribute(
      spare,
      debts.map((d) => ({ ...d, amount: debtLeft(d) })),
      method,
    );
    let used = ZERO;
    for (const a of allocations) {
      add(took, a, a.amount);
      used = used.plus(a.amount);
    }
    for (const c of credits) {
      const x = Decimal.min(used, creditLeft(c));
      if (x.lte(0)) continue;
      add(gave, c, x);
      used = used.minus(x);
    }
  }
  const listed = (xs: Debt[], m: Map<string, Decimal>): Allocation[] =>
    xs.flatMap((x) => {
      const amount = m.get(keyOf(x));
      return amount?.gt(0) ? [{ service: x.service, debtPeriod: x.debtPeriod, amount }] : [];
    });
  return {
    netting: { debts: listed(debts, took), credits: listed(credits, gave) },
    debts: debts.map((d) => ({ ...d, amount: debtLeft(d) })).filter((d) => d.amount.gt(0)),
  };
}

export interface PaymentInput {
  amount: Decimal;
  /** The account's principal debts per (service, debt period); non-positive ones are skipped. */
  debts: Debt[];
  /** The account's penalty debt. */
  penalties: Decimal;
  method: DistributionMethod | string;
  /** The payment's Services rows: a row with an amount pays that service first, up to the amount; rows without an amount name the services the rest goes to first. */
  services?: { service: string; amount?: Decimal | null }[];
  /** A named period ('YYYY-MM-01'): its debts are paid before others (inside each step). */
  paidMonth?: string | null;
  penaltiesFirst?: boolean;
}
export interface PaymentResult {
  allocations: Allocation[];
  penalties: Decimal;
  /** Beyond all debt: the advance (credit). */
  advance: Decimal;
}

/**
 * The whole order of a payment: penalties (only when PenaltiesFirst); the Services rows with
 * amounts, each on its service (the named period first, then by the method); the services
 * named without amounts; the named period; every other debt by the method; penalties (after
 * the principal); the rest is an advance. Kopecks add up exactly to the amount.
 */
export function distributePayment(input: PaymentInput): PaymentResult {
  let left = dec(input.amount);
  const debts = input.debts
    .filter((d) => d.service !== null && dec(d.amount).gt(0))
    .map((d) => ({ ...d, amount: dec(d.amount) }));
  const paid = new Map<string, Allocation>();
  const remaining = (d: Debt) => d.amount.minus(paid.get(keyOf(d))?.amount ?? ZERO);
  const pay = (amount: Decimal, subset: Debt[]): Decimal => {
    // the named period first, then the rest of the subset — each by the method
    const tiers = input.paidMonth
      ? [subset.filter((d) => d.debtPeriod === input.paidMonth), subset.filter((d) => d.debtPeriod !== input.paidMonth)]
      : [subset];
    let rest = amount;
    for (const tier of tiers) {
      if (rest.lte(0)) break;
      const r = distribute(
        rest,
        tier.map((d) => ({ ...d, amount: remaining(d) })),
        input.method,
      );
      for (const a of r.allocations) {
        const k = keyOf(a);
        const prev = paid.get(k);
        paid.set(k, { ...a, amount: (prev?.amount ?? ZERO).plus(a.amount) });
      }
      rest = r.rest;
    }
    return rest;
  };
  let penalties = ZERO;
  const payPenalties = () => {
    const p = Decimal.min(left, Decimal.max(dec(input.penalties).minus(penalties), 0));
    penalties = penalties.plus(p);
    left = left.minus(p);
  };
  if (input.penaltiesFirst) payPenalties();
  const rows = input.services ?? [];
  for (const row of rows) {
    const want = row.amount == null ? ZERO : Decimal.min(dec(row.amount), left);
    if (want.lte(0)) continue;
    const rest = pay(
      want,
      debts.filter((d) => d.service === row.service),
    );
    left = left.minus(want).plus(rest);
  }
  const named = new Set(rows.filter((r) => r.amount == null || dec(r.amount).isZero()).map((r) => r.service));
  if (named.size > 0 && left.gt(0))
    left = pay(
      left,
      debts.filter((d) => named.has(d.service!)),
    );
  if (left.gt(0)) left = pay(left, debts);
  if (!input.penaltiesFirst) payPenalties();
  const allocations = [...paid.values()].filter((a) => a.amount.gt(0));
  const pos = (a: Allocation) => debts.find((d) => d.service === a.service && d.debtPeriod === a.debtPeriod)!;
  allocations.sort((a, b) => oldestFirst(pos(a), pos(b)));
  return { allocations, penalties, advance: left };
}

/** A payment to one payee (docs/payees.md). */
export interface Payee {
  /** The services whose charges it receives. */
  services: ReadonlySet<string>;
  /** Its first service in receipt order: where the rest beyond their debt stays as a credit. */
  first: string;
  /** It is the building's organization: it receives the penalties as well. */
  penalties: boolean;
}

export interface SettlementInput extends Omit<PaymentInput, "debts"> {
  /** The account's balances per (service, debt period): debts positive, credits negative (advances on service null). */
  balances: Debt[];
  /** The payment's payee: only its services' balances are netted and paid (absent: the account's one pool). */
  payee?: Payee | null;
}
export interface SettlementResult extends PaymentResult {
  /** The credits netted against debts before the payment was distributed. */
  netting: Netting;
  /** The service the advance is a credit of (a payee's first service); null: the account's advance (Service = null). */
  advanceService: string | null;
}

/**
 * A payment on an account's balances: its credits netted against its debts (netCredits), then
 * the amount distributed over the debts left (distributePayment). With a payee, over the
 * balances of the payee's services alone (see the top of this file).
 */
export function settlePayment(input: SettlementInput): SettlementResult {
  const { balances, payee, ...rest } = input;
  if (!payee) {
    const { netting, debts } = netCredits(balances, input.method);
    return { ...distributePayment({ ...rest, debts }), netting, advanceService: null };
  }
  const own = (service: string | null) => service !== null && payee.services.has(service);
  const { netting, debts } = netCredits(
    balances.filter((b) => own(b.service)),
    input.method,
  );
  const result = distributePayment({
    ...rest,
    debts,
    services: rest.services?.filter((r) => own(r.service)),
    penalties: payee.penalties ? rest.penalties : ZERO,
  });
  return { ...result, netting, advanceService: result.advance.gt(0) ? payee.first : null };
}

/** Services.ReceiptOrder and Priority by id, for the orderings above. */
export async function serviceOrders(
  ctx: Query,
): Promise<Map<string, { receiptOrder: number | null; priority: number | null }>> {
  const out = new Map<string, { receiptOrder: number | null; priority: number | null }>();
  for (const s of await ctx.query("catalog", "Services", {}))
    out.set(s.id, {
      receiptOrder: s.ReceiptOrder == null ? null : dec(s.ReceiptOrder).toNumber(),
      priority: s.Priority == null ? null : dec(s.Priority).toNumber(),
    });
  return out;
}

/**
 * The moment the advances are consumed for month M: the month's last second. consumeAdvances
 * reads the credits one second before it, so every advance paid up to the end of M (including
 * those paid during M, after M's charges were dated M-01T00:00:00) goes to M's charges, and a
 * repost of the same GroupAccrual does not see its own earlier consumption (dated this moment).
 */
export function advanceMoment(month: string): string {
  return `${monthEnd(monthStart(month))}T23:59:59`;
}

/**
 * The DistributionMethod of each account's organization (account → building → organization;
 * none chosen: absent), in three queries whatever the number of accounts.
 */
export async function organizationMethods(ctx: Query, accounts: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (accounts.length === 0) return out;
  const rows = await ctx.query("catalog", "PersonalAccounts", { id: accounts });
  const bIds = [...new Set(rows.map((a) => a.Building).filter((b): b is string => !!b))];
  const buildings = bIds.length ? await ctx.query("catalog", "Buildings", { id: bIds }) : [];
  const oIds = [...new Set(buildings.map((b) => b.Organization).filter((o): o is string => !!o))];
  const orgs = new Map(
    (oIds.length ? await ctx.query("catalog", "Organizations", { id: oIds }) : []).map((o) => [
      o.id,
      o.DistributionMethod,
    ]),
  );
  const orgOf = new Map(buildings.map((b) => [b.id, b.Organization ? orgs.get(b.Organization) : null]));
  for (const a of rows) {
    const m = a.Building ? orgOf.get(a.Building) : null;
    if (m) out.set(a.id, m);
  }
  return out;
}

/**
 * Applies each account's credit (negative Settlements balance on Service = null keys, as read
 * one second before advanceMoment(month)) to the month's new charges — the Settlements
 * receipts with DebtPeriod = month that the caller (GroupAccrual) has already added to
 * ctx.movements.Settlements — by the method: `method` when given (the document's choice), else
 * the account's organization's (Organizations.DistributionMethod), else DEFAULT_METHOD
 * (methodFor, as a payment chooses; the organizations are read for the accounts with a credit
 * and new charges only). Within one month OldestPeriodProportional and ProportionalToDebt split
 * alike (by the charges); OldestFirst and ByServicePriority pay one service at a time. Adds, dated
 * advanceMoment(month): expenses on the charged (Service, month) keys and receipts on the credit
 * keys (oldest credit first); both sides sum to the same kopecks. Credits are read in one query.
 */
export async function consumeAdvances(
  ctx: Posting<"GroupAccrual">,
  o: { month: string; accounts: string[]; method?: string | null },
): Promise<void> {
  const M = monthStart(o.month);
  // (keyed by string | null: a register row's Account is looked up as it comes)
  const accounts = new Set<string | null>(o.accounts);
  const at = advanceMoment(M);
  const readAt = `${at.slice(0, 17)}58`;
  // The credits first (usually a few accounts): the new charges are then gathered for those
  // accounts only, not for every line of a 100,000-account accrual.
  const credits = new Map<string | null, BalanceRow<Settlements>[]>();
  for (const r of await ctx.registers.Settlements.balance(readAt, { Service: null })) {
    if (!accounts.has(r.Account) || dec(r.Amount).gte(0)) continue;
    if (!credits.has(r.Account)) credits.set(r.Account, []);
    credits.get(r.Account)!.push(r);
  }
  if (credits.size === 0) return;
  const charges = new Map<string | null, Map<string, Decimal>>();
  // (the records as add() took them: the platform types them as bare rows)
  for (const r of ctx.movements.Settlements.rows as RecordInput<Settlements>[]) {
    if (
      r.kind === "expense" ||
      !credits.has(r.Account) ||
      !r.Service ||
      !r.DebtPeriod ||
      monthStart(String(r.DebtPeriod)) !== M
    )
      continue;
    const a = dec(r.Amount);
    if (a.isZero()) continue;
    let byService = charges.get(r.Account);
    if (!byService) charges.set(r.Account, (byService = new Map()));
    byService.set(r.Service, (byService.get(r.Service) ?? ZERO).plus(a));
  }
  for (const acc of [...credits.keys()]) if (!charges.has(acc)) credits.delete(acc);
  if (credits.size === 0) return;
  const orders = await serviceOrders(ctx);
  const byOrganization = o.method
    ? new Map<string, string>()
    : await organizationMethods(
        ctx,
        [...credits.keys()].filter((a): a is string => !!a),
      );
  for (const acc of [...credits.keys()].sort()) {
    const keys = credits.get(acc)!.sort((a, b) => str(a.DebtPeriod, b.DebtPeriod));
    const credit = sum(keys.map((k) => dec(k.Amount).neg()));
    const debts: Debt[] = [...charges.get(acc)!].map(([service, amount]) => ({
      service,
      debtPeriod: M,
      amount,
      ...(orders.get(service) ?? {}),
    }));
    const { allocations } = distribute(credit, debts, methodFor(o.method, acc ? byOrganization.get(acc) : null));
    for (const a of allocations)
      ctx.movements.Settlements.add({
        kind: "expense",
        period: at,
        Account: acc,
        Service: a.service,
        DebtPeriod: M,
        Amount: a.amount.toFixed(2),
      });
    let used = sum(allocations.map((a) => a.amount));
    for (const k of keys) {
      if (used.lte(0)) break;
      const take = Decimal.min(used, dec(k.Amount).neg());
      ctx.movements.Settlements.add({
        kind: "receipt",
        period: at,
        Account: acc,
        Service: null,
        DebtPeriod: k.DebtPeriod,
        Amount: take.toFixed(2),
      });
      used = used.minus(take);
    }
  }
}
