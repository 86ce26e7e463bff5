// Оплата (Payment).
// Posting, at the payment's date (document date):
//  1. Refuses an Amount of zero or less (field Amount), a Services row with a negative amount,
//     and Services rows whose amounts together exceed the Amount (the row where the sum goes
//     over), each naming the field; a PaidMonth is normalised to the month's first day.
//  2. Reads the account's Settlements balance per (Service, DebtPeriod) and its Penalties balance
//     one second before the payment's moment — so a repost does not see this payment's own
//     previous movements (two payments of one account with the very same second do not see each
//     other either: give them distinct times).
//  3. Distributes (common/distribution.ts distributePayment): penalties first only when
//     PenaltiesFirst; the Services rows with amounts on their services; the services named
//     without amounts; the PaidMonth's debts; every other debt by DistributionMethod (empty:
//     ProportionalToDebt, Правила 354 п.118); then penalties; the rest is an advance.
//  4. Movements: a Settlements expense per (Service, DebtPeriod) paid; the advance as a
//     Settlements expense on (Service = null, DebtPeriod = the payment's month) — a credit that
//     the next GroupAccrual consumes (consumeAdvances); a Penalties expense for the penalties paid.
// Penalties read the Settlements day turnovers, so a payment reduces the penalty base from the
// day after its date (common/penalties.ts).
import { Decimal } from "decimal.js";
import { momentBefore, monthStart } from "../../server/api.ts";
import { dec } from "../common/money.ts";
import { distributePayment, methodOf, serviceOrders, type Debt } from "../common/distribution.ts";
import { defineDocument } from "../types.gen.ts";

export default defineDocument("Payment", {
  async post(ctx) {
    const d = ctx.doc;
    const amount: Decimal = d.Amount == null ? new Decimal(0) : dec(d.Amount);
    if (amount.lte(0)) throw ctx.error("Сумма оплаты должна быть больше нуля", { field: "Amount" });
    const rows = d.Services ?? [];
    let named = new Decimal(0);
    rows.forEach((r, i) => {
      if (r.Amount == null) return;
      if (dec(r.Amount).lt(0))
        throw ctx.error(`Услуги, строка ${i + 1}: сумма не может быть отрицательной`, {
          table: "Services",
          line: i + 1,
          field: "Amount",
        });
      named = named.plus(dec(r.Amount));
      if (named.gt(amount))
        throw ctx.error(`Суммы по услугам (${named.toFixed(2)}) больше суммы оплаты (${amount.toFixed(2)})`, {
          table: "Services",
          line: i + 1,
          field: "Amount",
        });
    });

    const before = momentBefore(String(d.date));
    const orders = await serviceOrders(ctx);
    const debts: Debt[] = (await ctx.registers.Settlements.balance(before, { Account: d.Account })).flatMap((r) =>
      r.Service !== null && r.DebtPeriod !== null && dec(r.Amount).gt(0)
        ? [
            {
              service: r.Service,
              debtPeriod: monthStart(r.DebtPeriod),
              amount: dec(r.Amount),
              ...(orders.get(r.Service) ?? {}),
            },
          ]
        : [],
    );
    const [pen] = await ctx.registers.Penalties.balance(before, { Account: d.Account });
    const result = distributePayment({
      amount,
      debts,
      penalties: pen ? Decimal.max(dec(pen.Amount), 0) : new Decimal(0),
      method: methodOf(d.DistributionMethod),
      services: rows.map((r) => ({ service: r.Service, amount: r.Amount == null ? null : dec(r.Amount) })),
      paidMonth: d.PaidMonth ? monthStart(String(d.PaidMonth)) : null,
      penaltiesFirst: d.PenaltiesFirst === true,
    });

    for (const a of result.allocations)
      ctx.movements.Settlements.add({
        kind: "expense",
        Account: d.Account,
        Service: a.service,
        DebtPeriod: a.debtPeriod,
        Amount: a.amount.toFixed(2),
      });
    if (result.advance.gt(0))
      ctx.movements.Settlements.add({
        kind: "expense",
        Account: d.Account,
        Service: null,
        DebtPeriod: monthStart(String(d.date)),
        Amount: result.advance.toFixed(2),
      });
    if (result.penalties.gt(0))
      ctx.movements.Penalties.add({ kind: "expense", Account: d.Account, Amount: result.penalties.toFixed(2) });
  },
});
