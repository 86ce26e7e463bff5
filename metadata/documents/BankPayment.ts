// Платежное поручение исходящее (BankPayment; docs/bank-statement.md).
// Записать (beforeWrite): «Сумма НДС» left empty is computed from the rate (Amount × r / (100 + r),
// half up to kopecks; none without a rate or «Без НДС»); the kind of operation defaults to a
// supplier's payment.
// Posting, at the document's date: one entry Дт <the kind's account> Кт 51 of the amount — 60.01 /
// 60.02 / 76.09 with the recipient, 68.01 / 68.02 / 68.04 / 68.12, 69.09, 70 with the employee (then
// required). An amount of zero or less is refused naming the field.
// Export (GET /api/documents/BankPayment/export?from=YYYY-MM-DD&to=YYYY-MM-DD[&organization=<id>]):
// the posted orders of those days (of one organization: the one given, else the first's) as a
// 1CClientBankExchange file for the bank's client (common/bank/exchange-write.ts), named
// payments-<from>-<to>.txt; with a VAT rate the purpose carries the VAT sentence («В т.ч. НДС 20% -
// 200.00 руб.», «НДС не облагается» for «Без НДС») unless it names НДС itself; a purpose too long with it, a recipient without an account, no orders —
// refused naming the order and what to fix.
import { Decimal } from "decimal.js";
import { BankExportError, type PaymentOrder, writeExchangeFile } from "../common/bank/exchange-write.ts";
import { dec } from "../common/money.ts";
import { vatPercent, vatWithin } from "../common/vat.ts";
import { type BankPaymentKinds, defineDocument, type VatRates } from "../types.gen.ts";

/** The debit account of each kind of operation, and the analytics it takes. */
export const DEBIT: Record<BankPaymentKinds, { account: string; analytics?: "Counterparties" | "Employees" }> = {
  ToSupplier: { account: "60.01", analytics: "Counterparties" },
  SupplierAdvance: { account: "60.02", analytics: "Counterparties" },
  OtherCounterparty: { account: "76.09", analytics: "Counterparties" },
  TaxNdfl: { account: "68.01" },
  TaxVat: { account: "68.02" },
  TaxProfit: { account: "68.04" },
  TaxUsn: { account: "68.12" },
  Insurance: { account: "69.09" },
  Salary: { account: "70", analytics: "Employees" },
};

/** The purpose as the bank gets it: the text and the VAT sentence. */
export function purposeWithVat(purpose: string, rate: VatRates | null, vat: Decimal | null): string {
  if (!rate || /НДС/i.test(purpose)) return purpose; // no rate (a tax, a salary) or the purpose says it
  const r = vatPercent(rate);
  return `${purpose.trim()} ${r && vat ? `В т.ч. НДС ${r}% - ${vat.toFixed(2)} руб.` : "НДС не облагается"}`;
}

export default defineDocument("BankPayment", {
  beforeWrite(ctx) {
    const d = ctx.doc;
    d.OperationKind ??= "ToSupplier";
    const r = vatPercent(d.VatRate);
    if (d.VatAmount == null && d.Amount != null) d.VatAmount = r ? vatWithin(dec(d.Amount), r) : null;
  },

  post(ctx) {
    const d = ctx.doc;
    const amount = d.Amount == null ? new Decimal(0) : dec(d.Amount);
    if (amount.lte(0))
      throw ctx.error(`Платежное поручение: «Сумма» должна быть больше нуля (указано ${amount.toFixed(2)})`, {
        field: "Amount",
      });
    const debit = DEBIT[d.OperationKind ?? "ToSupplier"];
    if (debit.analytics === "Employees" && !d.Employee)
      throw ctx.error("Платежное поручение: для перечисления заработной платы укажите работника", {
        field: "Employee",
      });
    ctx.movements.Accounting.add({
      AccountDr: debit.account,
      AnalyticsDr:
        debit.analytics === "Counterparties"
          ? { Counterparties: d.Recipient }
          : debit.analytics === "Employees"
            ? { Employees: d.Employee }
            : {},
      AccountCr: "51",
      Amount: amount.toFixed(2),
      Content: `Платежное поручение №${d.number}: ${d.Purpose ?? ""}`.slice(0, 150),
    });
  },

  async export(ctx) {
    const { from, to, organization } = ctx.params;
    const iso = /^\d{4}-\d{2}-\d{2}$/;
    if (!iso.test(from ?? "") || !iso.test(to ?? "") || from > to)
      throw ctx.error("Выгрузка платежных поручений: укажите период from=ГГГГ-ММ-ДД и to=ГГГГ-ММ-ДД (from ≤ to)", {
        field: "from",
      });
    const all = await ctx.query("document", "BankPayment", organization ? { Organization: organization } : {});
    const docs = all.filter(
      (d) => d.posted && !d.deletionMark && d.date.slice(0, 10) >= from && d.date.slice(0, 10) <= to,
    );
    if (!docs.length) throw ctx.error(`Нет проведенных платежных поручений с ${from} по ${to}`, { field: "from" });
    const orgId = organization || docs[0].Organization;
    const [org] = await ctx.query("catalog", "Organizations", { id: orgId }, 1);
    if (!org?.BankAccount)
      throw ctx.error(`У организации «${org?.name ?? orgId}» не указан расчетный счет`, { field: "organization" });
    const mine = docs.filter((d) => d.Organization === org.id);
    const recipients = new Map(
      (await ctx.query("catalog", "Counterparties", { id: [...new Set(mine.map((d) => d.Recipient))] })).map((c) => [
        c.id,
        c,
      ]),
    );
    const orders: PaymentOrder[] = mine.map((d) => {
      const c = recipients.get(d.Recipient);
      if (!c?.BankAccount)
        throw ctx.error(
          `Платежное поручение №${d.number}: у получателя «${c?.name ?? d.Recipient}» не указан расчетный счет`,
          { field: "Recipient" },
        );
      return {
        number: d.number.replace(/^0+(?=.)/, ""),
        date: d.date.slice(0, 10),
        sum: dec(d.Amount).toFixed(2),
        payer: {
          account: org.BankAccount as string,
          name: org.name,
          inn: org.Inn ?? "",
          kpp: org.Kpp ?? "",
          bank: org.BankName ?? "",
          bic: org.Bik ?? "",
          correspondentAccount: org.CorrAccount ?? "",
        },
        recipient: {
          account: c.BankAccount,
          name: c.FullName || c.name,
          inn: c.Inn ?? "",
          kpp: c.Kpp ?? "",
          bank: c.BankName ?? "",
          bic: c.Bik ?? "",
          correspondentAccount: c.CorrAccount ?? "",
        },
        purpose: purposeWithVat(d.Purpose, d.VatRate, d.VatAmount == null ? null : dec(d.VatAmount)),
        priority: d.Priority || "5",
      };
    });
    try {
      const body = writeExchangeFile(orders, { account: org.BankAccount, dateFrom: from, dateTo: to });
      return { fileName: `payments-${from}-${to}.txt`, contentType: "text/plain; charset=windows-1251", body };
    } catch (e) {
      if (e instanceof BankExportError) throw ctx.error(`Выгрузка платежных поручений: ${e.message}`);
      throw e;
    }
  },
});
