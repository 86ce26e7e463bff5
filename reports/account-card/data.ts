/**
 * Карточка счета: the entries of [from, to] touching the account or its sub-accounts, in period
 * and document order, with the balance after each — from the opening balance (the register's,
 * net Дт − Кт of the account with its sub-accounts and analytics) to the closing one, shown on
 * its side (Д / К) by the account's kind. An entry between two of the account's own sub-accounts
 * shows on both sides. The closing balance is the register's at the end of the period.
 */
import { ledger } from "../../metadata/common/ledger.ts";
import type { ChartOfAccountsAnalytics } from "../../metadata/types.gen.ts";
import { balanceSides, type ReportContext, type ReportParams } from "../../server/api.ts";
import {
  accountParam,
  analyticsNames,
  analyticsText,
  DOCUMENT_TITLES,
  dec,
  documentsById,
  entriesOf,
  period,
  ZERO,
} from "../_lib/accounting.ts";
import { typed } from "../_lib/typed.ts";

export default async function accountCard(context: ReportContext, p: ReportParams) {
  const ctx = typed(context);
  const { from, to } = period(ctx, p.from, p.to);
  const chart = await ledger(ctx);
  const account = accountParam(ctx, chart, p.account, "account");
  const bt = await ctx.registers.Accounting.balanceAndTurnovers(from, to, "none", { Account: account.code });
  const opening = bt.reduce((s, r) => s.plus(dec(r.AmountOpeningBalanceDr)).minus(dec(r.AmountOpeningBalanceCr)), ZERO);
  const closingBooks = bt.reduce(
    (s, r) => s.plus(dec(r.AmountClosingBalanceDr)).minus(dec(r.AmountClosingBalanceCr)),
    ZERO,
  );
  const entries = await entriesOf(ctx, from, to, account.code);
  const docs = await documentsById(ctx, entries);
  const name = await analyticsNames(
    ctx,
    entries.flatMap((e) =>
      [e.AnalyticsDr, e.AnalyticsCr].flatMap((a) =>
        Object.entries(a ?? {}).map(
          ([k, v]) => [k as ChartOfAccountsAnalytics, v] as [ChartOfAccountsAnalytics, string],
        ),
      ),
    ),
  );
  let running = opening;
  let debit = ZERO;
  let credit = ZERO;
  const side = (net: typeof ZERO) => {
    const s = balanceSides(account.kind, net);
    return s.cr.isZero() && !s.dr.isZero()
      ? { side: "Д", balance: s.dr }
      : s.cr.isZero()
        ? { side: "", balance: ZERO }
        : { side: "К", balance: s.cr };
  };
  const rows = entries.map((e) => {
    const dr = chart.within(e.AccountDr, account.code) ? dec(e.Amount) : ZERO;
    const cr = chart.within(e.AccountCr, account.code) ? dec(e.Amount) : ZERO;
    running = running.plus(dr).minus(cr);
    debit = debit.plus(dr);
    credit = credit.plus(cr);
    const d = docs.get(e.recorder);
    return {
      date: e.period,
      document: d
        ? `${DOCUMENT_TITLES[e.recorderKind ?? ""] ?? e.recorderKind} ${d.number} от ${d.date.slice(8, 10)}.${d.date.slice(5, 7)}.${d.date.slice(0, 4)}`
        : "",
      open: e.recorderKind ? `document/${e.recorderKind}/${e.recorder}` : "",
      content: e.Content ?? "",
      accountDr: e.AccountDr ?? "",
      analyticsDr: analyticsText(chart.find(e.AccountDr), e.AnalyticsDr, name),
      accountCr: e.AccountCr ?? "",
      analyticsCr: analyticsText(chart.find(e.AccountCr), e.AnalyticsCr, name),
      debit: dr,
      credit: cr,
      ...side(running),
    };
  });
  if (!running.equals(closingBooks))
    throw ctx.error(
      `Карточка счета ${account.code}: остаток по проводкам ${running.toFixed(2)} не равен остатку регистра ${closingBooks.toFixed(2)} — проверьте регистр (npm run registers -- verify)`,
    );
  return {
    from,
    to,
    account: { code: account.code, name: account.name },
    opening: side(opening),
    closing: side(running),
    debit,
    credit,
    rows,
  };
}
