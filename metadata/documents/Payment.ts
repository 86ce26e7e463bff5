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
import { Decimal } from "decimal.js";
import { momentBefore, monthStart } from "../../server/api.ts";
import { dec } from "../common/money.ts";
import { methodFor, serviceOrders, settlePayment, type Debt, type Payee } from "../common/distribution.ts";
import { paidPeriodFromText } from "../common/paid-period.ts";
import { defineDocument, type Query } from "../types.gen.ts";
import { postPaymentEntries } from "../common/bookkeeping.ts";

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

/** The account's organization (account → building → organization), or null. */
async function organizationOf(ctx: Query, account: string) {
  const [acc] = await ctx.query("catalog", "PersonalAccounts", { id: account }, 1);
  if (!acc?.Building) return null;
  const [building] = await ctx.query("catalog", "Buildings", { id: acc.Building }, 1);
  if (!building?.Organization) return null;
  const [org] = await ctx.query("catalog", "Organizations", { id: building.Organization }, 1);
  return org ?? null;
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
  ctx: Query & { error(message: string, target?: { field?: string }): Error },
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
    throw ctx.error(
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

  async post(ctx) {
    const d = ctx.doc;
    const amount: Decimal = d.Amount == null ? new Decimal(0) : dec(d.Amount);
    if (amount.lte(0))
      throw ctx.error(`Оплата: «Сумма» должна быть больше нуля (указано ${amount.toFixed(2)})`, { field: "Amount" });
    const rows = d.Services ?? [];
    let named = new Decimal(0);
    rows.forEach((r, i) => {
      if (r.Amount == null) return;
      if (dec(r.Amount).lt(0))
        throw ctx.error(`Оплата: Услуги, строка ${i + 1}: «Сумма» не может быть отрицательной`, {
          table: "Services",
          line: i + 1,
          field: "Amount",
        });
      named = named.plus(dec(r.Amount));
      if (named.gt(amount))
        throw ctx.error(`Оплата: суммы по услугам (${named.toFixed(2)}) больше суммы оплаты (${amount.toFixed(2)})`, {
          table: "Services",
          line: i + 1,
          field: "Amount",
        });
    });
    const paidMonth = d.PaidMonth ? monthStart(String(d.PaidMonth)) : null;
    const future = paidMonth && futureMonth(paidMonth, String(d.date));
    if (future) throw ctx.error(future, { field: "PaidMonth" });

    const before = momentBefore(String(d.date));
    const orders = await serviceOrders(ctx);
    // every balance, credits (negative) included: they are netted against the debts first
    const balances: Debt[] = (await ctx.registers.Settlements.balance(before, { Account: d.Account })).flatMap((r) =>
      r.DebtPeriod !== null && !dec(r.Amount).isZero()
        ? [
            {
              service: r.Service,
              debtPeriod: monthStart(r.DebtPeriod),
              amount: dec(r.Amount),
              ...(r.Service === null ? {} : (orders.get(r.Service) ?? {})),
            },
          ]
        : [],
    );
    const [pen] = await ctx.registers.Penalties.balance(before, { Account: d.Account });
    const org = d.DistributionMethod && !d.Payee ? null : await organizationOf(ctx, d.Account);
    const method = methodFor(d.DistributionMethod, d.DistributionMethod ? null : (org?.DistributionMethod ?? null));
    const payee = d.Payee ? await payeeOf(ctx, d.Payee, org?.id ?? null) : null;
    if (payee)
      for (const [i, r] of rows.entries())
        if (!payee.services.has(r.Service)) {
          const [s] = await ctx.query("catalog", "Services", { id: r.Service }, 1);
          throw ctx.error(
            `Оплата: Услуги, строка ${i + 1}: услуга «${s?.name ?? r.Service}» оплачивается другому получателю — этой оплатой ее не оплатить`,
            { table: "Services", line: i + 1, field: "Service" },
          );
        }
    const result = settlePayment({
      amount,
      balances,
      penalties: pen ? Decimal.max(dec(pen.Amount), 0) : new Decimal(0),
      method,
      services: rows.map((r) => ({ service: r.Service, amount: r.Amount == null ? null : dec(r.Amount) })),
      paidMonth,
      penaltiesFirst: d.PenaltiesFirst === true,
      payee,
    });

    const settle = (service: string | null, debtPeriod: string, amount: Decimal) =>
      ctx.movements.Settlements.add({
        kind: "expense",
        Account: d.Account,
        Service: service,
        DebtPeriod: debtPeriod,
        Amount: amount.toFixed(2),
      });
    for (const n of result.netting.debts) settle(n.service, n.debtPeriod, n.amount);
    for (const n of result.netting.credits) settle(n.service, n.debtPeriod, n.amount.neg());
    for (const a of result.allocations) settle(a.service, a.debtPeriod, a.amount);
    if (result.advance.gt(0)) settle(result.advanceService, monthStart(String(d.date)), result.advance);
    if (result.penalties.gt(0))
      ctx.movements.Penalties.add({ kind: "expense", Account: d.Account, Amount: result.penalties.toFixed(2) });
    await postPaymentEntries(ctx, {
      at: String(d.date),
      account: d.Account,
      source: d.SourceKind,
      agent: d.Agent,
      settlements: ctx.movements.Settlements.rows,
      penalties: ctx.movements.Penalties.rows,
    });
  },
});
