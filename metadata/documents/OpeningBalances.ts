// Ввод начальных остатков.
// Posting, at the document's date: each Debts row is a Settlements receipt on (Account,
// Service, DebtPeriod normalised to the month's first day); each Penalties row a Penalties
// receipt on the Account; the entries Дт 62.01 / 76.02 Кт 000 (a credit: Дт 000 Кт 62.01) by the
// accounting policy (common/bookkeeping.ts). Any non-zero amount is taken — a negative one is a credit (the
// account paid in advance) on that service and month; a zero row is refused, naming it.
import { monthStart } from "../../server/api.ts";
import { num } from "./MeterReadings.ts";
import { defineDocument } from "../types.gen.ts";
import { postOpeningEntries } from "../common/bookkeeping.ts";

export default defineDocument("OpeningBalances", {
  async post(ctx) {
    ctx.doc.Debts.forEach((r, i) => {
      if (r.Amount == null || r.Amount.isZero())
        throw ctx.error(`Задолженность, строка ${i + 1}: укажите сумму, отличную от нуля (или удалите строку)`, {
          table: "Debts",
          line: i + 1,
          field: "Amount",
        });
      ctx.movements.Settlements.add({
        kind: "receipt",
        Account: r.Account,
        Service: r.Service,
        DebtPeriod: monthStart(r.DebtPeriod),
        Amount: num(r.Amount),
      });
    });
    ctx.doc.Penalties.forEach((r, i) => {
      if (r.Amount == null || r.Amount.isZero())
        throw ctx.error(`Пени, строка ${i + 1}: укажите сумму, отличную от нуля (или удалите строку)`, {
          table: "Penalties",
          line: i + 1,
          field: "Amount",
        });
      ctx.movements.Penalties.add({ kind: "receipt", Account: r.Account, Amount: num(r.Amount) });
    });
    await postOpeningEntries(ctx, {
      at: String(ctx.doc.date),
      accounts: [...ctx.doc.Debts, ...ctx.doc.Penalties].map((r) => r.Account),
      settlements: ctx.movements.Settlements.rows,
      penalties: ctx.movements.Penalties.rows,
    });
  },
});
