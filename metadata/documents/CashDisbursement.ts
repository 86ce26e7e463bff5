// Расходный кассовый ордер (CashDisbursement, КО-2; docs/bookkeeping.md).
// Записать (beforeWrite): «Счет расчетов» left empty is set by the kind of operation — to an
// employee 71, a salary 70, to the bank 51, to a supplier 60.01; «Выдать» left empty is the
// employee or the counterparty's full name.
// Posting, at the document's date: one entry Дт «Счет расчетов» Кт 50.01 of the amount, its
// analytics from the employee, the counterparty or the expense item, as the account has them (to
// an employee and a salary the employee is required, to a supplier the counterparty, «Прочий
// расход» the account). The cash desk may not go below zero: the balance of 50.01 (with its
// sub-accounts) at the moment just before the order — so a repost does not count its own previous
// entry — must cover the amount, else «В кассе недостаточно денег: остаток …, нужно …» (field
// Amount). Orders are checked one at a time (a lock on the cash desk), so two orders written at once
// cannot both spend the same money. Nothing is posted when refused.
import { Decimal } from "decimal.js";
import { momentBefore, money } from "../../server/api.ts";
import { checkAccounts, content, ledger, netBalance, sideAnalytics } from "../common/ledger.ts";
import { defineDocument, type CashDisbursementKinds } from "../types.gen.ts";

/** The debit account of each kind when «Счет расчетов» is empty. */
const DEFAULT_DR: Partial<Record<CashDisbursementKinds, string>> = {
  ToEmployee: "71",
  Salary: "70",
  ToBank: "51",
  ToSupplier: "60.01",
};
const CASH = "50.01";

export default defineDocument("CashDisbursement", {
  async beforeWrite(ctx) {
    const d = ctx.doc;
    const code = d.OperationKind ? DEFAULT_DR[d.OperationKind] : undefined;
    if (!d.CorrAccount && code) d.CorrAccount = (await ledger(ctx)).find(code)?.id ?? null;
    if (!d.IssuedTo) {
      const employee = d.Employee && (await ctx.query("catalog", "Employees", { id: d.Employee }, 1))[0];
      const counterparty =
        d.Counterparty && (await ctx.query("catalog", "Counterparties", { id: d.Counterparty }, 1))[0];
      const name = employee ? employee.name : counterparty ? counterparty.FullName || counterparty.name : null;
      d.IssuedTo = name?.slice(0, 150) ?? null;
    }
  },

  async post(ctx) {
    const d = ctx.doc;
    const amount = d.Amount ?? new Decimal(0);
    if (amount.lte(0))
      throw ctx.error(`Расходный кассовый ордер: «Сумма» должна быть больше нуля (указано ${amount.toFixed(2)})`, {
        field: "Amount",
      });
    const kind = d.OperationKind;
    const need = (field: "Counterparty" | "Employee" | "CorrAccount", what: string) => {
      if (!d[field]) throw ctx.error(`Расходный кассовый ордер: укажите ${what}`, { field });
    };
    if (kind === "ToEmployee" || kind === "Salary") need("Employee", "работника, которому выдаются деньги");
    if (kind === "ToSupplier") need("Counterparty", "поставщика");
    if (kind === "Other") need("CorrAccount", "счет расчетов (Дт)");
    const l = await ledger(ctx);
    const corr = d.CorrAccount ?? (kind ? DEFAULT_DR[kind] : undefined) ?? null;
    const fail = (message: string, target: { field?: string }) => ctx.error(message, { field: target.field });
    const { dr, cr } = checkAccounts(l, corr, CASH, { label: "Расходный кассовый ордер" }, fail, {
      Dr: "CorrAccount",
      Cr: "OperationKind",
    });
    await ctx.lock(`cash-desk:${CASH}`);
    const rest = await netBalance(ctx, CASH, momentBefore(String(d.date)));
    if (rest.lt(amount))
      throw ctx.error(
        `В кассе недостаточно денег: остаток ${money(rest.toFixed(2))}, нужно ${money(amount.toFixed(2))} — ` +
          "проведите приходные ордера раньше этого или уменьшите сумму",
        { field: "Amount" },
      );
    const synonym = ctx.enumValues("CashDisbursementKinds").find((v) => v.name === kind)?.synonym ?? "";
    ctx.movements.Accounting.add({
      AccountDr: dr!.id,
      AccountCr: cr!.id,
      AnalyticsDr: sideAnalytics(dr, {
        Counterparties: d.Counterparty,
        Employees: d.Employee,
        CostItems: d.CostItem,
      }),
      Amount: amount.toFixed(2),
      Content: content(`РКО №${d.number}: ${d.Basis || synonym}`),
    });
  },
});
