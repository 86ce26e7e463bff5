// Оплата (Payment). The rules and their legal sources: docs/payments.md.
// Записать (beforeWrite): a PaidMonth left empty is taken from the Purpose — the bank's purpose
// text («за 01.2024», «за январь 2024») or the receipt's QR code text (its paymPeriod) —
// by common/paid-period.ts; a Purpose that names no real month («за 13.2024») is refused,
// naming the field. A PaidMonth is kept as the month's first day and may not be after the
// payment's own month. A Payee left empty is taken from the receipt's QR text in the Purpose
// (PayeeINN and PersonalAcc: the organization with that ИНН and account), docs/payees.md.
// Posting, at the payment's date (document date):
//  1. Refuses an Amount of zero or less (field Amount), a Services row with a negative amount,
//     Services rows whose amounts together exceed the Amount (the row where the sum goes over),
//     and a PaidMonth after the payment's month, each naming the field.
//  2. Reads the account's Settlements balance per (Service, DebtPeriod) and its Penalties balance
//     one second before the payment's moment — so a repost does not see this payment's own
//     previous movements (two payments of one account with the very same second do not see each
//     other either: give them distinct times).
//  3. The method: the payment's DistributionMethod, else its organization's (account → building →
//     organization), else OldestPeriodProportional (ГК РФ ст.319.1, Правила 354 п.118).
//  4. common/distribution.ts settlePayment: the account's credits (negative balances of a service
//     and month, advances) are netted against its debts; then the amount: penalties first only
//     when PenaltiesFirst; the Services rows with amounts on their services; the services named
//     without amounts; the PaidMonth's debts; every other debt by the method; then penalties; the
//     rest is an advance. With a Payee that does not take every service (Services.Payee; empty
//     Payee on a service: the building's organization), over that payee's services alone: their
//     balances netted and paid, penalties only for the building's organization, the rest a
//     credit of the payee's first service; a Services row of another payee's service is refused.
//  5. Movements: the netting as Settlements expenses on the debt keys and negative expenses on the
//     credit keys (they sum to zero: no money came in by them); a Settlements expense per
//     (Service, DebtPeriod) paid; the advance as a Settlements expense on (Service = null,
//     DebtPeriod = the payment's month) — a credit that the next GroupAccrual consumes
//     (consumeAdvances); a Penalties expense for the penalties paid.
//  6. Entries (common/bookkeeping.ts, docs/bookkeeping.md): Дт the source's account (SourceKind: bank
//     51 — 55.04 for a capital repair service —, cash 50.01, agent 57.01 with Agent) Кт 62.01 per
//     service paid (62.02 for an advance), Кт 76.02 for penalties; the netting Дт 62.01 Кт 62.01.
// Penalties read the Settlements day turnovers, so a payment reduces the penalty base from the
// day after its date (common/penalties.ts).
// Set posting (postMany: a bank statement's payments through the batch path) is the same code:
// post is postPayments of one document. For a set the balances are read once for all its accounts
// at the earliest moment, the window up to the latest one is checked for other movements (an
// account that has some is read again at its payment's own moment), and each payment then sees
// the movements of the set's earlier payments of its account (by date, a second before its own),
// applied in memory — the movements are those the payments posted one by one would make.
import { Decimal } from "decimal.js";
import { momentBefore, monthStart } from "../../server/api.ts";
import { dec } from "../common/money.ts";
import { methodFor, serviceOrders, settlePayment, type Debt, type Payee } from "../common/distribution.ts";
import { paidPeriodFromText } from "../common/paid-period.ts";
import { defineDocument, type Configuration, type DocumentRegisters, type Posting, type Query } from "../types.gen.ts";
import { loadFacts, loadPolicy, paymentEntries, type Facts } from "../common/bookkeeping.ts";
import type { ErrorTarget, TypedPostingItem } from "../../server/api.ts";

/** 'YYYY-MM-01' → 'MM.YYYY', as the user reads a month. */
const mmyyyy = (month: string) => `${month.slice(5, 7)}.${month.slice(0, 4)}`;

/** The refusal of a PaidMonth after the payment's own month, or null. */
function futureMonth(paidMonth: string, date: string): string | null {
  const named = monthStart(paidMonth);
  const own = monthStart(date);
  return named > own
    ? `Оплата: «Период оплаты» ${mmyyyy(named)} позже месяца платежа (${mmyyyy(own)}) — будущий период ` +
        "оплатить нельзя; оставьте поле пустым, и переплата станет авансом"
    : null;
}

/** The accounts' organizations (account → building → organization; none: absent), three queries. */
async function organizationsOf(ctx: Query, accounts: string[]) {
  const out = new Map<string, Configuration["catalogs"]["Organizations"]>();
  if (!accounts.length) return out;
  const accs = await ctx.query("catalog", "PersonalAccounts", { id: accounts });
  const buildingIds = [...new Set(accs.flatMap((a) => (a.Building ? [a.Building] : [])))];
  const buildings = buildingIds.length ? await ctx.query("catalog", "Buildings", { id: buildingIds }) : [];
  const orgIds = [...new Set(buildings.flatMap((b) => (b.Organization ? [b.Organization] : [])))];
  const orgs = new Map(
    (orgIds.length ? await ctx.query("catalog", "Organizations", { id: orgIds }) : []).map((o) => [o.id, o]),
  );
  const orgOfBuilding = new Map(buildings.map((b) => [b.id, b.Organization ? orgs.get(b.Organization) : undefined]));
  for (const a of accs) {
    const org = a.Building ? orgOfBuilding.get(a.Building) : undefined;
    if (org) out.set(a.id, org);
  }
  return out;
}

/** The QR text's field (ГОСТ Р 56042: "…|PayeeINN=1001234567|…"), or null. */
const qrField = (text: string, name: string): string | null =>
  new RegExp(`(?:^|\\|)${name}=([^|]*)`).exec(text)?.[1]?.trim() || null;

/**
 * The payee of a payment to `payee` (docs/payees.md): its services (Services.Payee; a service
 * without one: the building's organization's) in receipt order; null when it takes every service
 * (the account's one pool). A payee of no service is refused naming it.
 */
async function payeeOf(
  ctx: Query,
  item: { error(message: string, target?: ErrorTarget): Error },
  payee: string,
  buildingOrg: string | null,
): Promise<Payee | null> {
  const services = (await ctx.query("catalog", "Services", {})).sort(
    (a, b) =>
      Number(a.ReceiptOrder ?? 999) - Number(b.ReceiptOrder ?? 999) || String(a.code).localeCompare(String(b.code)),
  );
  const own = services.filter((s) => (s.Payee ? s.Payee === payee : payee === buildingOrg));
  if (own.length === services.length) return null;
  if (!own.length) {
    const [org] = await ctx.query("catalog", "Organizations", { id: payee }, 1);
    throw item.error(
      `Оплата: получатель платежа «${org?.name ?? payee}» не получает плату ни за одну услугу — укажите его в поле «Получатель платежа» услуг или выберите другого получателя`,
      { field: "Payee" },
    );
  }
  return { services: new Set(own.map((s) => s.id)), first: own[0].id, penalties: payee === buildingOrg };
}

export default defineDocument("Payment", {
  async beforeWrite(ctx) {
    const d = ctx.doc;
    if (!d.Payee && d.Purpose) {
      const inn = qrField(d.Purpose, "PayeeINN");
      const acc = qrField(d.Purpose, "PersonalAcc");
      if (inn && acc) {
        const [org] = await ctx.query("catalog", "Organizations", { Inn: inn, BankAccount: acc }, 1);
        if (org) d.Payee = org.id;
      }
    }
    if (!d.PaidMonth && d.Purpose) {
      const named = paidPeriodFromText(d.Purpose);
      if (named && "error" in named)
        throw ctx.error(
          `Оплата: в поле «Назначение платежа» ${named.error}; исправьте назначение или укажите «Период оплаты»`,
          { field: "Purpose" },
        );
      if (named) d.PaidMonth = named.month;
    }
    if (!d.PaidMonth) return;
    d.PaidMonth = monthStart(String(d.PaidMonth));
    const future = futureMonth(d.PaidMonth, String(d.date));
    if (future) throw ctx.error(future, { field: "PaidMonth" });
  },

  post: (ctx) => postPayments(ctx, [ctx]),
  postMany: postPayments,
});

type Item = TypedPostingItem<Configuration, Posting<"Payment">["doc"], DocumentRegisters["Payment"]>;

/** A Settlements balance row as the register's reader gives it (DebtPeriod kept as read: the sort key). */
type BalanceRow = { Service: string | null; DebtPeriod: string | null; Amount: Decimal };
/** A payment's own movement, applied to the later payments of its account in the set. */
type Own = { at: string; service: string | null; debtPeriod: string; amount: Decimal; penalty: boolean };

/** Refuses what the payment itself gets wrong (before anything is read for it). */
function checkPayment(item: Item): { amount: Decimal; paidMonth: string | null } {
  const d = item.doc;
  const amount: Decimal = d.Amount == null ? new Decimal(0) : dec(d.Amount);
  if (amount.lte(0))
    throw item.error(`Оплата: «Сумма» должна быть больше нуля (указано ${amount.toFixed(2)})`, { field: "Amount" });
  let named = new Decimal(0);
  (d.Services ?? []).forEach((r, i) => {
    if (r.Amount == null) return;
    if (dec(r.Amount).lt(0))
      throw item.error(`Оплата: Услуги, строка ${i + 1}: «Сумма» не может быть отрицательной`, {
        table: "Services",
        line: i + 1,
        field: "Amount",
      });
    named = named.plus(dec(r.Amount));
    if (named.gt(amount))
      throw item.error(`Оплата: суммы по услугам (${named.toFixed(2)}) больше суммы оплаты (${amount.toFixed(2)})`, {
        table: "Services",
        line: i + 1,
        field: "Amount",
      });
  });
  const paidMonth = d.PaidMonth ? monthStart(String(d.PaidMonth)) : null;
  const future = paidMonth && futureMonth(paidMonth, String(d.date));
  if (future) throw item.error(future, { field: "PaidMonth" });
  return { amount, paidMonth };
}

/**
 * Posts payments (one: post; many: postMany), each in (date, order given) order — see the top of
 * this file. Each item's movements go to its own record sets.
 */
async function postPayments(ctx: Query, given: Item[]): Promise<void> {
  const items = given
    .map((item, i) => ({ item, i, date: String(item.doc.date) }))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.i - b.i))
    .map((x) => x.item);
  if (!items.length) return;
  const accounts = [...new Set(items.map((x) => x.doc.Account as string))];
  const befores = items.map((x) => momentBefore(String(x.doc.date)));
  const first = befores.reduce((a, b) => (a < b ? a : b));
  const last = befores.reduce((a, b) => (a > b ? a : b));
  const orders = await serviceOrders(ctx);
  const filter = { Account: items.length === 1 ? accounts[0] : accounts };
  const settlementsAt = async (at: string, f: { Account: string | string[] }) => {
    const out = new Map<string, BalanceRow[]>();
    for (const r of await ctx.registers.Settlements.balance(at, f)) {
      const rows = out.get(r.Account as string) ?? [];
      rows.push({ Service: r.Service, DebtPeriod: r.DebtPeriod, Amount: dec(r.Amount) });
      out.set(r.Account as string, rows);
    }
    return out;
  };
  const penaltiesAt = async (at: string, f: { Account: string | string[] }) =>
    new Map((await ctx.registers.Penalties.balance(at, f)).map((r) => [r.Account as string, dec(r.Amount)]));
  const baseSettlements = await settlementsAt(first, filter);
  const basePenalties = await penaltiesAt(first, filter);
  // Accounts with movements of other documents between the first payment's moment and the last
  // one's: their balances are read again at each payment's own moment.
  const moved = new Set<string>();
  if (first < last) {
    const from = items[0].doc.date as string;
    for (const r of await ctx.registers.Settlements.turnovers(from, last, "none", filter))
      moved.add(r.Account as string);
    for (const r of await ctx.registers.Penalties.turnovers(from, last, "none", filter)) moved.add(r.Account as string);
  }
  const needOrg = [
    ...new Set(items.filter((x) => !(x.doc.DistributionMethod && !x.doc.Payee)).map((x) => x.doc.Account as string)),
  ];
  const orgs = await organizationsOf(ctx, needOrg);
  const payees = new Map<string, Payee | null>();
  // the entries' facts: accounts and buildings once, the policy once per month
  const facts = await loadFacts(ctx, String(items[0].doc.date), accounts, { taxes: false });
  const policies = new Map<string, Facts["policy"]>([[monthStart(String(items[0].doc.date)), facts.policy]]);
  const own = new Map<string, Own[]>();

  for (const [k, item] of items.entries()) {
    const d = item.doc;
    const account = d.Account as string;
    const { amount, paidMonth } = checkPayment(item);
    const rows = d.Services ?? [];
    const before = befores[k];
    // the balances one second before the payment: as read, and the set's earlier payments of the account
    const readNow = moved.has(account) && before !== first;
    const baseRows = readNow
      ? ((await settlementsAt(before, { Account: account })).get(account) ?? [])
      : (baseSettlements.get(account) ?? []);
    let penalty = readNow
      ? ((await penaltiesAt(before, { Account: account })).get(account) ?? null)
      : (basePenalties.get(account) ?? null);
    const keyOf = (service: string | null, debtPeriod: string | null) => JSON.stringify([account, service, debtPeriod]);
    const current = new Map(baseRows.map((r) => [keyOf(r.Service, r.DebtPeriod), { ...r }]));
    for (const m of own.get(account) ?? []) {
      if (m.at > before) continue;
      if (m.penalty) {
        penalty = (penalty ?? new Decimal(0)).minus(m.amount);
        continue;
      }
      const key = keyOf(m.service, m.debtPeriod);
      const row = current.get(key);
      if (row) row.Amount = row.Amount.minus(m.amount);
      else current.set(key, { Service: m.service, DebtPeriod: m.debtPeriod, Amount: m.amount.neg() });
    }
    // every balance, credits (negative) included: they are netted against the debts first
    const balances: Debt[] = [...current.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .flatMap(([, r]) =>
        r.DebtPeriod !== null && !r.Amount.isZero()
          ? [
              {
                service: r.Service,
                debtPeriod: monthStart(r.DebtPeriod),
                amount: r.Amount,
                ...(r.Service === null ? {} : (orders.get(r.Service) ?? {})),
              },
            ]
          : [],
      );
    const org = d.DistributionMethod && !d.Payee ? null : (orgs.get(account) ?? null);
    const method = methodFor(d.DistributionMethod, d.DistributionMethod ? null : (org?.DistributionMethod ?? null));
    let payee: Payee | null = null;
    if (d.Payee) {
      const key = `${d.Payee}|${org?.id ?? ""}`;
      if (!payees.has(key)) payees.set(key, await payeeOf(ctx, item, d.Payee, org?.id ?? null));
      payee = payees.get(key) ?? null;
    }
    if (payee)
      for (const [i, r] of rows.entries())
        if (!payee.services.has(r.Service)) {
          const [s] = await ctx.query("catalog", "Services", { id: r.Service }, 1);
          throw item.error(
            `Оплата: Услуги, строка ${i + 1}: услуга «${s?.name ?? r.Service}» оплачивается другому получателю — этой оплатой ее не оплатить`,
            { table: "Services", line: i + 1, field: "Service" },
          );
        }
    const result = settlePayment({
      amount,
      balances,
      penalties: penalty ? Decimal.max(penalty, 0) : new Decimal(0),
      method,
      services: rows.map((r) => ({ service: r.Service, amount: r.Amount == null ? null : dec(r.Amount) })),
      paidMonth,
      penaltiesFirst: d.PenaltiesFirst === true,
      payee,
    });

    const at = String(d.date);
    const mine = own.get(account) ?? [];
    own.set(account, mine);
    const settle = (service: string | null, debtPeriod: string, amount: Decimal) => {
      item.movements.Settlements.add({
        kind: "expense",
        Account: account,
        Service: service,
        DebtPeriod: debtPeriod,
        Amount: amount.toFixed(2),
      });
      mine.push({ at, service, debtPeriod, amount: new Decimal(amount.toFixed(2)), penalty: false });
    };
    for (const n of result.netting.debts) settle(n.service, n.debtPeriod, n.amount);
    for (const n of result.netting.credits) settle(n.service, n.debtPeriod, n.amount.neg());
    for (const a of result.allocations) settle(a.service, a.debtPeriod, a.amount);
    if (result.advance.gt(0)) settle(result.advanceService, monthStart(at), result.advance);
    if (result.penalties.gt(0)) {
      item.movements.Penalties.add({ kind: "expense", Account: account, Amount: result.penalties.toFixed(2) });
      mine.push({ at, service: null, debtPeriod: "", amount: new Decimal(result.penalties.toFixed(2)), penalty: true });
    }
    const month = monthStart(at);
    if (!policies.has(month)) policies.set(month, await loadPolicy(ctx, at));
    paymentEntries(
      { ...facts, policy: policies.get(month) as Facts["policy"] },
      {
        at,
        account,
        source: d.SourceKind,
        agent: d.Agent,
        settlements: item.movements.Settlements.rows,
        penalties: item.movements.Penalties.rows,
      },
      item.movements.Accounting,
    );
  }
}
