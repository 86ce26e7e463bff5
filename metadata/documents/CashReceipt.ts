// Приходный кассовый ордер (CashReceipt, КО-1; docs/bookkeeping.md).
// Записать (beforeWrite): «Счет расчетов» left empty is set by the kind of operation — from a
// counterparty 76.09, from an employee 71, from the bank 51 (a payment by personal account keeps
// it empty: the payment's posting chooses 62.01 / 62.02 by service); «Принято от» left empty is
// the account's owner, the counterparty's full name or the employee; a resident's «Период оплаты»
// left empty is read from «Основание» as a payment reads it from its purpose («за январь 2026»,
// «за 01.2026»; a month that does not exist is refused), and kept as its month's first day.
// Posting, at the document's date:
//  - «Оплата от потребителя»: the personal account is required, and the receipt posts exactly as
//    a payment (Payment.ts) of its amount, period and basis with the source «Касса»: Settlements
//    and Penalties distributed by the payment rules, the entries Дт 50.01 Кт 62.01 (62.02 the
//    advance) by the accounting policy (common/bookkeeping.ts);
//  - every other kind: one entry Дт 50.01 Кт «Счет расчетов» of the amount, its analytics from the
//    counterparty, the employee or the income item, as the account has them (from a counterparty
//    the counterparty is required, from an employee the employee, «Прочий приход» the account).
// Refused, naming the field, with nothing posted: an amount of zero or less, a missing field the
// kind needs, an account with sub-accounts or not in the chart, analytics the account needs but
// the document lacks are left empty (as 1C does).
import { Decimal } from "decimal.js";
import { monthStart } from "../../server/api.ts";
import { checkAccounts, content, ledger, sideAnalytics } from "../common/ledger.ts";
import { paidPeriodFromText } from "../common/paid-period.ts";
import { defineDocument, type CashReceiptKinds, type Query } from "../types.gen.ts";
import PaymentModule from "./Payment.ts";

/** The credit account of each kind when «Счет расчетов» is empty. */
const DEFAULT_CR: Partial<Record<CashReceiptKinds, string>> = {
  FromCounterparty: "76.09",
  FromEmployee: "71",
  FromBank: "51",
};
const CASH = "50.01";

/** Who the money came from, as the order's «Принято от» says it. */
async function payerName(
  ctx: Query,
  d: {
    OperationKind: CashReceiptKinds | null;
    Account: string | null;
    Counterparty: string | null;
    Employee: string | null;
  },
): Promise<string | null> {
  if (d.OperationKind === "FromPersonalAccount" && d.Account)
    return (await ctx.query("catalog", "PersonalAccounts", { id: d.Account }, 1))[0]?.name ?? null;
  if (d.OperationKind === "FromEmployee" && d.Employee)
    return (await ctx.query("catalog", "Employees", { id: d.Employee }, 1))[0]?.name ?? null;
  if (d.Counterparty) {
    const [c] = await ctx.query("catalog", "Counterparties", { id: d.Counterparty }, 1);
    return c ? c.FullName || c.name : null;
  }
  return null;
}

export default defineDocument("CashReceipt", {
  async beforeWrite(ctx) {
    const d = ctx.doc;
    if (d.OperationKind === "FromPersonalAccount") d.CorrAccount = null;
    const code = d.OperationKind ? DEFAULT_CR[d.OperationKind] : undefined;
    if (!d.CorrAccount && code) d.CorrAccount = (await ledger(ctx)).find(code)?.id ?? null;
    if (!d.ReceivedFrom) d.ReceivedFrom = (await payerName(ctx, d))?.slice(0, 150) ?? null;
    if (d.OperationKind === "FromPersonalAccount" && !d.PaidMonth && d.Basis) {
      const named = paidPeriodFromText(d.Basis);
      if (named && "error" in named)
        throw ctx.error(
          `Приходный кассовый ордер: в поле «Основание» ${named.error}; исправьте основание или укажите «Период оплаты»`,
          { field: "Basis" },
        );
      if (named) d.PaidMonth = named.month;
    }
    if (d.PaidMonth) d.PaidMonth = monthStart(String(d.PaidMonth));
  },

  async post(ctx) {
    const d = ctx.doc;
    const amount = d.Amount ?? new Decimal(0);
    if (amount.lte(0))
      throw ctx.error(`Приходный кассовый ордер: «Сумма» должна быть больше нуля (указано ${amount.toFixed(2)})`, {
        field: "Amount",
      });
    const kind = d.OperationKind;
    const need = (field: "Account" | "Counterparty" | "Employee" | "CorrAccount", what: string) => {
      if (!d[field]) throw ctx.error(`Приходный кассовый ордер: укажите ${what}`, { field });
    };
    if (kind === "FromPersonalAccount") {
      need("Account", "лицевой счет, от которого принята оплата");
      // The payment's own posting, on this receipt's record sets (Payment.ts, common/bookkeeping.ts).
      const post = PaymentModule.post as unknown as (c: unknown) => Promise<void>;
      await post({
        ...ctx,
        doc: {
          id: d.id,
          version: d.version,
          deletionMark: d.deletionMark,
          number: d.number,
          date: d.date,
          posted: d.posted,
          Account: d.Account,
          Amount: amount,
          PaidMonth: d.PaidMonth,
          Purpose: d.Basis,
          DistributionMethod: null,
          PenaltiesFirst: false,
          Source: `Касса, ПКО №${d.number}`,
          Payee: null,
          SourceKind: "Cash",
          Agent: null,
          Services: [],
        },
      });
      return;
    }
    if (kind === "FromCounterparty") need("Counterparty", "контрагента");
    if (kind === "FromEmployee") need("Employee", "подотчетное лицо");
    if (kind === "Other") need("CorrAccount", "счет расчетов (Кт)");
    const l = await ledger(ctx);
    const corr = d.CorrAccount ?? (kind ? DEFAULT_CR[kind] : undefined) ?? null;
    const fail = (message: string, target: { field?: string }) => ctx.error(message, { field: target.field });
    const { dr, cr } = checkAccounts(l, CASH, corr, { label: "Приходный кассовый ордер" }, fail, {
      Dr: "OperationKind",
      Cr: "CorrAccount",
    });
    const synonym = ctx.enumValues("CashReceiptKinds").find((v) => v.name === kind)?.synonym ?? "";
    ctx.movements.Accounting.add({
      AccountDr: dr!.id,
      AccountCr: cr!.id,
      AnalyticsCr: sideAnalytics(cr, {
        Counterparties: d.Counterparty,
        Employees: d.Employee,
        CostItems: d.CostItem,
      }),
      Amount: amount.toFixed(2),
      Content: content(`ПКО №${d.number}: ${d.Basis || synonym}`),
    });
  },
});
