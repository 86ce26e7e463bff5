/**
 * Анализ счета: the account's (with sub-accounts) opening balance, its Дт turnover by the credited
 * accounts and its Кт turnover by the debited ones (the register's correspondence turnovers over
 * [from, to]), and the closing balance; balances expanded (the sums of the analytics' Дт and Кт
 * balances, as in the ОСВ). A one-sided entry of an off-balance account shows «—» as its
 * corresponding account. The turnovers' totals are the register's turnovers of the account.
 */
import { ledger } from "../../metadata/common/ledger.ts";
import type { ReportContext, ReportParams } from "../../server/api.ts";
import { accountParam, dec, period, ZERO } from "../_lib/accounting.ts";
import { typed } from "../_lib/typed.ts";

export default async function accountAnalysis(context: ReportContext, p: ReportParams) {
  const ctx = typed(context);
  const { from, to } = period(ctx, p.from, p.to);
  const chart = await ledger(ctx);
  const account = accountParam(ctx, chart, p.account, "account");
  const A = ctx.registers.Accounting;
  const bt = await A.balanceAndTurnovers(from, to, "none", { Account: account.code });
  const sum = (k: keyof (typeof bt)[number]) => bt.reduce((s, r) => s.plus(dec(r[k])), ZERO);
  const [dr, cr] = await Promise.all([
    A.correspondence(from, to, { AccountDr: account.code }),
    A.correspondence(from, to, { AccountCr: account.code }),
  ]);
  const byCorr = new Map<string, { code: string; name: string; debit: typeof ZERO; credit: typeof ZERO }>();
  const line = (code: string | null) => {
    const key = code ?? "";
    let l = byCorr.get(key);
    if (!l)
      byCorr.set(
        key,
        (l = {
          code: code ?? "—",
          name: code ? (chart.byCode.get(code)?.name ?? "") : "(без корреспонденции)",
          debit: ZERO,
          credit: ZERO,
        }),
      );
    return l;
  };
  for (const r of dr) line(r.AccountCr).debit = line(r.AccountCr).debit.plus(dec(r.Amount));
  for (const r of cr) line(r.AccountDr).credit = line(r.AccountDr).credit.plus(dec(r.Amount));
  const order = (code: string) => {
    const a = chart.byCode.get(code);
    return a ? chart.ordered.indexOf(a) : Number.MAX_SAFE_INTEGER;
  };
  const rows = [...byCorr.values()]
    .filter((l) => !l.debit.isZero() || !l.credit.isZero())
    .sort((x, y) => order(x.code) - order(y.code));
  const opening = { debit: sum("AmountOpeningBalanceDr"), credit: sum("AmountOpeningBalanceCr") };
  const turnover = { debit: sum("AmountTurnoverDr"), credit: sum("AmountTurnoverCr") };
  const closing = { debit: sum("AmountClosingBalanceDr"), credit: sum("AmountClosingBalanceCr") };
  return {
    from,
    to,
    account: { code: account.code, name: account.name },
    opening,
    turnover,
    closing,
    rows,
    csvRows: [
      { code: "", name: "Сальдо на начало", ...opening },
      ...rows,
      { code: "", name: "Оборот", ...turnover },
      { code: "", name: "Сальдо на конец", ...closing },
    ],
  };
}
