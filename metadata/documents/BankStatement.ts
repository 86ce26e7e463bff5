// Выписка банка (BankStatement): a bank's statement file (1CClientBankExchange) or a payment
// agent's register imported as one document (docs/bank-statement.md).
//  - import (POST /api/documents/BankStatement/import, the file's bytes as the body;
//    ?format=agent-registry&agent=<counterparty id> for an agent's register; ?name=<file name>):
//    common/bank/statement-import.ts reads and matches the file, the matched lines become posted
//    Payment documents through the batch path, posted as one set (Payment.postMany), then the
//    statement is written and posted — one
//    transaction: a malformed file or a refused payment writes nothing.
//  - Записать (beforeWrite): each line's Status from what it holds (a Payment: Разнесено; none:
//    Не разнесено; Дубликат and Исходящий stay); a line that is a Payment keeps that payment's sum
//    and account (changed: refused naming the line — change the payment itself).
//  - Posting: the keys of its imported lines into BankLineKeys (a key another statement holds is
//    refused: the same line is never imported twice); each line not yet a Payment Дт 51 (an agent's:
//    Дт 57.01 with the agent) Кт 76.09 with the payer's counterparty (known by ИНН) or the agent, «Не
//    разнесено» — money received, whose debt it pays is not known yet; an agent's commission Дт 26
//    (cost item «Комиссия платежного агента» when the catalog has it) Кт 57.01 with the agent.
//    The Payments post their own Дт 51 / 57.01 Кт 62.01.
//  - afterPost: a line given a personal account (and a period) in the form and posted again becomes
//    a posted Payment; the statement is written again with it (Разнесено), and its 76.09 entry is
//    gone because a repost replaces the movements.
import { Decimal } from "decimal.js";
import { dec } from "../common/money.ts";
import { importStatement, paymentBody, type LineDraft } from "../common/bank/statement-import.ts";
import { defineDocument } from "../types.gen.ts";

/** The cost item of an agent's commission, looked up by name (none: the entry has no cost item). */
export const COMMISSION_ITEM = "Комиссия платежного агента";

export default defineDocument("BankStatement", {
  async beforeWrite(ctx) {
    const lines = ctx.doc.Lines ?? [];
    for (const l of lines) {
      if (l.Status === "Duplicate" || l.Status === "Outgoing") continue;
      l.Status = l.Payment ? "Posted" : "Unposted";
    }
    // A line that became a Payment keeps its sum and account: the payment is what was posted.
    const own = lines.filter((l) => l.Payment && l.Status === "Posted");
    if (ctx.isNew || !own.length) return;
    const payments = new Map(
      (await ctx.query("document", "Payment", { id: own.map((l) => l.Payment as string) })).map((p) => [p.id, p]),
    );
    const problems = lines.flatMap((l, i) => {
      const p = l.Payment && l.Status === "Posted" ? payments.get(l.Payment) : undefined;
      if (!p) return [];
      const what = !dec(p.Amount).eq(dec(l.Amount)) ? "Amount" : p.Account !== l.Account ? "Account" : null;
      if (!what) return [];
      return [
        {
          message:
            `Выписка банка, строка ${i + 1}: строка уже разнесена оплатой №${p.number} — ` +
            `${what === "Amount" ? "сумму" : "лицевой счет"} меняют в самой оплате (или удаляют оплату и очищают поле «Оплата»)`,
          target: { table: "Lines", line: i + 1, field: what },
        },
      ];
    });
    if (problems.length) throw ctx.errors(problems);
  },

  async post(ctx) {
    const d = ctx.doc;
    const agent = d.Agent ?? null;
    const debit = agent ? "57.01" : "51";
    const debitAnalytics = agent ? { Counterparties: agent } : {};
    let item: string | null = null;
    if (agent && (d.Lines ?? []).some((l) => l.Commission && !dec(l.Commission).isZero())) {
      const [found] = await ctx.query("catalog", "CostItems", { name: COMMISSION_ITEM }, 1);
      item = found?.id ?? null;
    }
    for (const [i, l] of (d.Lines ?? []).entries()) {
      if (l.Status === "Duplicate" || l.Status === "Outgoing") continue;
      const period = `${l.BankDate ?? String(d.date).slice(0, 10)}T00:00:00`;
      if (l.LineKey)
        ctx.movements.BankLineKeys.add({ LineKey: l.LineKey, ...(l.Payment ? { Payment: l.Payment } : {}) });
      if (!l.Payment)
        ctx.movements.Accounting.add({
          period,
          AccountDr: debit,
          AnalyticsDr: debitAnalytics,
          AccountCr: "76.09",
          AnalyticsCr: { Counterparties: l.Counterparty ?? agent },
          Amount: dec(l.Amount).toFixed(2),
          Content: `Не разнесено: строка ${i + 1}, ${l.Payer ?? ""} ${l.Purpose ?? ""}`.slice(0, 150),
        });
      const commission = l.Commission ? dec(l.Commission) : new Decimal(0);
      if (agent && commission.gt(0))
        ctx.movements.Accounting.add({
          period,
          AccountDr: "26",
          AnalyticsDr: { CostItems: item },
          AccountCr: "57.01",
          AnalyticsCr: { Counterparties: agent },
          Amount: commission.toFixed(2),
          Content: `${COMMISSION_ITEM}: строка ${i + 1}`,
        });
    }
  },

  async afterPost(ctx) {
    const d = ctx.doc;
    const lines = d.Lines ?? [];
    const pending = lines.flatMap((l, i) =>
      l.Account && !l.Payment && l.Status !== "Duplicate" && l.Status !== "Outgoing" ? [i] : [],
    );
    if (!pending.length) return;
    for (const i of pending) {
      const l = lines[i];
      const draft: LineDraft = {
        date: l.BankDate ?? String(d.date).slice(0, 10),
        amount: dec(l.Amount),
        account: l.Account as string,
        paidMonth: l.PaidMonth ?? null,
        purpose: l.Purpose ?? "",
        agent: d.Agent ?? null,
      };
      const payment = await ctx.createDocument("Payment", paymentBody(draft, i, `№${d.number}`), { post: true });
      l.Payment = payment.id as string;
      l.Status = "Posted";
    }
    await ctx.updateDocument("BankStatement", d.id, { Lines: lines.map(forWrite) }, { post: true });
  },

  import: importStatement,
});

/** A line as code sees it → as a write takes it (Decimals as text). */
function forWrite(l: object) {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(l)) {
    if (k === "line") continue;
    out[k] = Decimal.isDecimal(v) ? (v as Decimal).toFixed(2) : v;
  }
  return out;
}
