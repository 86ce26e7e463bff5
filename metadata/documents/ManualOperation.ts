// «Операция (бухгалтерская)» (ManualOperation; docs/bookkeeping.md): entries typed by hand.
// Posting, at the document's date: each row of Entries is one entry of Accounting — Дт AccountDr
// with the analytics of its columns …Dr, Кт AccountCr with …Cr, the row's Amount, the row's
// Content or else the document's. Refused, naming the row and the field, with nothing posted:
// no rows; a row without accounts; an account with sub-accounts; a balance account without its
// corresponding side; an off-balance account against a balance one; an analytics column filled
// for a kind the account has not; a zero amount. A negative amount is a storno (красное сторно).
import { checkAccounts, ledger, rowAnalytics } from "../common/ledger.ts";
import { defineDocument } from "../types.gen.ts";

const SYNONYMS: Record<string, string> = {
  CounterpartyDr: "Контрагент Дт",
  PersonalAccountDr: "Лицевой счет Дт",
  BuildingDr: "Здание Дт",
  ServiceDr: "Услуга Дт",
  CostItemDr: "Статья затрат Дт",
  EmployeeDr: "Работник Дт",
  CounterpartyCr: "Контрагент Кт",
  PersonalAccountCr: "Лицевой счет Кт",
  BuildingCr: "Здание Кт",
  ServiceCr: "Услуга Кт",
  CostItemCr: "Статья затрат Кт",
  EmployeeCr: "Работник Кт",
};

export default defineDocument("ManualOperation", {
  async post(ctx) {
    const rows = ctx.doc.Entries;
    if (rows.length === 0)
      throw ctx.error("Операция: нет ни одной проводки — добавьте строки в «Проводки»", { table: "Entries" });
    const l = await ledger(ctx);
    const fail = (message: string, target: { table?: string; line?: number; field?: string }) =>
      ctx.error(message, target);
    rows.forEach((row, i) => {
      const where = { label: `Проводки, строка ${i + 1}`, table: "Entries", line: i + 1 };
      const { dr, cr } = checkAccounts(l, row.AccountDr, row.AccountCr, where, fail);
      if (row.Amount === null || row.Amount.isZero())
        throw ctx.error(`${where.label}: сумма проводки не указана`, {
          table: "Entries",
          line: i + 1,
          field: "Amount",
        });
      ctx.movements.Accounting.add({
        AccountDr: dr?.id ?? null,
        AccountCr: cr?.id ?? null,
        AnalyticsDr: rowAnalytics(dr, row, "Dr", where, fail, SYNONYMS),
        AnalyticsCr: rowAnalytics(cr, row, "Cr", where, fail, SYNONYMS),
        Amount: row.Amount.toFixed(2),
        Content: row.Content || ctx.doc.Content || null,
      });
    });
  },
});
