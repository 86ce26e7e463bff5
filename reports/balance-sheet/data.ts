/**
 * Бухгалтерский баланс (форма по ОКУД 0710001): each line's figure from the register's balances
 * (expanded, per account and analytics, on their sides) at the reporting date, at 31 December of
 * the previous year and of the year before, by the line mapping in lines.yaml (configuration:
 * which accounts and which side each line takes; reports/_lib/financial-lines.ts). Thousands of
 * rubles, each line rounded half up; totals from the rounded lines; a difference rounding leaves
 * between 1600 and 1700 goes to 1370. The CSV has the exact rubles of the reporting date too.
 */
import { ledger } from "../../metadata/common/ledger.ts";
import type { ReportContext, ReportParams } from "../../server/api.ts";
import { balanceTerm, evaluate, printed, readMapping } from "../_lib/financial-lines.ts";
import { typed } from "../_lib/typed.ts";

export default async function balanceSheet(context: ReportContext, p: ReportParams) {
  const ctx = typed(context);
  const date: string = p.date;
  const chart = await ledger(ctx);
  const mapping = readMapping(ctx, new URL("./lines.yaml", import.meta.url), chart);
  const year = Number(date.slice(0, 4));
  const dates = [date, `${year - 1}-12-31`, `${year - 2}-12-31`];
  const columns: ReturnType<typeof evaluate>[] = [];
  for (const at of dates) {
    const rows = (await ctx.registers.Accounting.balance(at)).filter((r) => !chart.byCode.get(r.Account)?.offBalance);
    columns.push(evaluate(mapping, (t) => balanceTerm(chart, t, rows)));
  }
  const orgs = await ctx.query("catalog", "Organizations", p.organization ? { id: p.organization } : {});
  const org = orgs[0];
  const lines = mapping.lines.map((l) =>
    l.heading
      ? { heading: l.heading }
      : {
          code: l.code,
          title: l.title,
          total: !!l.sum,
          cells: columns.map((c) => printed(c.get(l.code!)!.value)),
          c0: columns[0].get(l.code!)!.value,
          c1: columns[1].get(l.code!)!.value,
          c2: columns[2].get(l.code!)!.value,
          r0: columns[0].get(l.code!)!.rubles,
        },
  );
  return {
    date,
    years: [year - 1, year - 2],
    organization: { name: org?.name ?? "", inn: org?.Inn ?? "" },
    lines,
    csvRows: lines.filter((l) => "code" in l),
  };
}
