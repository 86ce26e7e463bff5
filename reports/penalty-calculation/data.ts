/**
 * Расчет пени: the day-by-day penalty table of one account through the calculation date, as
 * common/penalties.ts computes it (accountPenaltyTable: the same rules as the monthly accrual —
 * fractions, capital repair at 1/300 from day 1, key rates capped by ПП №474, the fixed daily
 * percent limited to the statutory penalty, moratoria, payments closing the oldest debt first).
 * Each row: debt month, kind of debt, debt, from, to, days, fraction, rate, amount, and a note —
 * the days a moratorium excludes are rows of their own with amount 0 and the act named; then
 * the total and what it is made of (explainTable).
 */

import { accountPenaltyTable, explainTable } from "../../metadata/common/penalties.ts";
import type { ReportContext, ReportParams } from "../../server/api.ts";
import { accountsOf } from "../_lib/catalogs.ts";
import { typed } from "../_lib/typed.ts";

export default async function penaltyCalculation(context: ReportContext, p: ReportParams) {
  const ctx = typed(context);
  const [account] = await accountsOf(ctx, { account: p.account });
  const [settings] = await ctx.info.PenaltySettings.sliceLast(p.date);
  const table = await accountPenaltyTable(ctx, p.account, p.date, p.from ? { from: p.from } : {});
  const fixed = settings?.Mode === "FixedDailyRate";
  const fixedRows = table.rows.some((r) => r.fraction === "1");
  return {
    account: { code: account.code, name: account.name, address: account.address },
    date: p.date,
    from: p.from,
    mode: fixed
      ? "фиксированный процент в день, не более размера по ЖК РФ ст.155 ч.14"
      : "по ЖК РФ ст.155 ч.14 и ч.14.1: доля ключевой ставки Банка России",
    rateTitle: fixed && fixedRows ? "Ставка, % (в день / годовых)" : "Ставка, % годовых",
    rows: table.rows.map((r) => ({
      ...r,
      kind: r.capitalRepair ? "капремонт" : "ЖКУ",
      note: r.excluded ? `мораторий: ${r.excluded}` : r.capped ? `ставка ограничена: ${r.capped}` : "",
    })),
    total: table.total,
    notes: explainTable(table, { mode: fixed ? "FixedDailyRate" : "Statutory", dailyRate: settings?.Rate ?? null }),
  };
}
