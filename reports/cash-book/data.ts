/**
 * Кассовая книга (форма КО-4, Постановление Госкомстата России от 18.08.1998 №88): one sheet per
 * day with cash movements on the cash account (50.01 unless another is chosen; with its
 * sub-accounts) — the opening balance of the day, each order (its number; from whom it was
 * received — the ПКО's «Принято от» — or to whom issued — the РКО's «Выдать»; the entry's content
 * for another document; the corresponding account), the day's totals of receipts and
 * disbursements, the closing balance, and the count of receipt and disbursement orders. Sheets
 * are numbered from 1 within the period printed. A day without movements has no sheet.
 */

import type { Decimal } from "decimal.js";
import { ledger } from "../../metadata/common/ledger.ts";
import type { ReportContext, ReportParams } from "../../server/api.ts";
import { dec, documentsById, entriesOf, period, ZERO } from "../_lib/accounting.ts";
import { typed } from "../_lib/typed.ts";

interface Line {
  date: string;
  number: string;
  who: string;
  corr: string;
  receipt: Decimal | null;
  disbursement: Decimal | null;
}

export default async function cashBook(context: ReportContext, p: ReportParams) {
  const ctx = typed(context);
  const { from, to } = period(ctx, p.from, p.to);
  const chart = await ledger(ctx);
  const cash = p.account ? chart.find(p.account) : chart.byCode.get("50.01");
  if (!cash) throw ctx.error("Выберите счет кассы", { field: "account" });
  const orgs = await ctx.query("catalog", "Organizations", p.organization ? { id: p.organization } : {});
  const organization = orgs[0]?.name ?? "";
  const bt = await ctx.registers.Accounting.balanceAndTurnovers(from, to, "none", { Account: cash.code });
  let balance = bt.reduce((s, r) => s.plus(dec(r.AmountOpeningBalanceDr)).minus(dec(r.AmountOpeningBalanceCr)), ZERO);
  const entries = await entriesOf(ctx, from, to, cash.code);
  const docs = await documentsById(ctx, entries);
  const byDay = new Map<string, Line[]>();
  for (const e of entries) {
    const d = docs.get(e.recorder);
    const amount = dec(e.Amount);
    const isIn = chart.within(e.AccountDr, cash.code);
    const isOut = chart.within(e.AccountCr, cash.code);
    if (isIn && isOut) continue; // between the cash account's own sub-accounts: no cash moved
    const who =
      (isIn ? (d?.ReceivedFrom as string | undefined) : (d?.IssuedTo as string | undefined)) || e.Content || "";
    const day = e.period.slice(0, 10);
    (byDay.get(day) ?? byDay.set(day, []).get(day)!).push({
      date: day,
      number: d?.number ?? "",
      who,
      corr: (isIn ? e.AccountCr : e.AccountDr) ?? "",
      receipt: isIn ? amount : null,
      disbursement: isOut ? amount : null,
    });
  }
  let sheet = 0;
  const sheets = [...byDay.entries()].map(([day, lines]) => {
    const opening = balance;
    const receipts = lines.reduce((s, l) => s.plus(l.receipt ?? 0), ZERO);
    const disbursements = lines.reduce((s, l) => s.plus(l.disbursement ?? 0), ZERO);
    balance = opening.plus(receipts).minus(disbursements);
    return {
      day,
      sheet: ++sheet,
      opening,
      lines,
      receipts,
      disbursements,
      closing: balance,
      receiptCount: new Set(lines.filter((l) => l.receipt).map((l) => l.number)).size,
      disbursementCount: new Set(lines.filter((l) => l.disbursement).map((l) => l.number)).size,
    };
  });
  const csvRows = sheets.flatMap((s) => [
    { date: s.day, who: "Остаток на начало дня", receipt: s.opening },
    ...s.lines,
    { date: s.day, who: "Итого за день", receipt: s.receipts, disbursement: s.disbursements },
    { date: s.day, who: "Остаток на конец дня", receipt: s.closing },
  ]);
  return { from, to, organization, account: cash.code, sheets, csvRows };
}
