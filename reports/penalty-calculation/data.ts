/**
 * Расчет пени: the day-by-day penalty table of one account through the calculation date, as
 * common/penalties.ts computes it (accountPenaltyTable: the same rules as the monthly accrual —
 * fractions, key rates or the fixed daily percent, moratoria, payments closing the oldest debt
 * first). Each row: debt month, debt, from, to, days, fraction, rate, amount; then the total.
 */
import type { ReportContext, ReportParams } from "../../server/api.ts";
import { accountPenaltyTable } from "../../metadata/common/penalties.ts";
import { accountsOf } from "../_lib/catalogs.ts";
import { typed } from "../_lib/typed.ts";

export default async function penaltyCalculation(context: ReportContext, p: ReportParams) {
  const ctx = typed(context);
  const [account] = await accountsOf(ctx, { account: p.account });
  const [settings] = await ctx.info.PenaltySettings.sliceLast(p.date);
  const table = await accountPenaltyTable(ctx, p.account, p.date, p.from ? { from: p.from } : {});
  const fixed = settings?.Mode === "FixedDailyRate";
  return {
    account: { code: account.code, name: account.name, address: account.address },
    date: p.date,
    from: p.from,
    mode: fixed ? "фиксированный процент в день" : "по ЖК РФ ст.155 ч.14: доля ключевой ставки Банка России",
    rateTitle: fixed ? "Ставка, % в день" : "Ставка, % годовых",
    rows: table.rows,
    total: table.total,
  };
}
