/**
 * Должники: accounts whose debt for months charged more than `months` months before the
 * month of `date` is still unpaid on `date` (Settlements balance by debt month). Shows the whole
 * debt (advances netted), the overdue part, the oldest unpaid month and how many months owe.
 * Largest overdue debt first.
 */
import { Decimal } from "decimal.js";
import { dec } from "../../metadata/common/money.ts";
import type { ReportContext, ReportParams } from "../../server/api.ts";
import { addMonths, monthStart } from "../../server/api.ts";
import { accountsOf } from "../_lib/catalogs.ts";
import { total } from "../_lib/figures.ts";
import { typed } from "../_lib/typed.ts";

const ZERO = new Decimal(0);

export default async function debtors(context: ReportContext, p: ReportParams) {
  const ctx = typed(context);
  const date: string = p.date;
  const months: number = p.months;
  const before = addMonths(monthStart(date), -months); // debt months before this one are overdue
  const byAccount = new Map<string, { debt: Decimal; overdue: Decimal; months: Map<string, Decimal> }>();
  for (const r of await ctx.registers.Settlements.balance(date)) {
    if (r.Account === null) continue; // a record names its account
    let a = byAccount.get(r.Account);
    if (!a) byAccount.set(r.Account, (a = { debt: ZERO, overdue: ZERO, months: new Map() }));
    const amount = dec(r.Amount);
    a.debt = a.debt.plus(amount);
    if (r.Service === null || r.DebtPeriod === null) continue;
    const m = monthStart(r.DebtPeriod);
    a.months.set(m, (a.months.get(m) ?? ZERO).plus(amount));
    if (m < before) a.overdue = a.overdue.plus(amount);
  }
  const rows = (await accountsOf(ctx, { building: p.building }))
    .map((acc) => {
      const a = byAccount.get(acc.id);
      if (!a?.overdue.gt(0)) return null;
      const owing = [...a.months]
        .filter(([, v]) => v.gt(0))
        .map(([m]) => m)
        .sort();
      return {
        code: acc.code,
        name: acc.name,
        address: acc.address,
        debt: a.debt,
        overdue: a.overdue,
        oldest: owing[0] ?? null,
        months: owing.length,
      };
    })
    .filter((r): r is NonNullable<typeof r> => r !== null)
    .sort((x, y) => y.overdue.comparedTo(x.overdue) || x.code.localeCompare(y.code));
  return {
    date,
    months,
    before,
    rows,
    totals: { debt: total(rows, (r) => r.debt), overdue: total(rows, (r) => r.overdue) },
  };
}
