/**
 * Отчет о финансовых результатах (форма по ОКУД 0710002): each line from the register's
 * correspondence turnovers of the period (and of the same period a year before) by the line
 * mapping in lines.yaml (configuration; reports/_lib/financial-lines.ts): thousands of rubles,
 * each line rounded half up, totals from the rounded lines (so 2400 = 2300 − 2410 on the form).
 */
import { ledger } from "../../metadata/common/ledger.ts";
import type { ReportContext, ReportParams } from "../../server/api.ts";
import { addMonths, monthEnd } from "../../server/api.ts";
import { period } from "../_lib/accounting.ts";
import { evaluate, printed, readMapping, turnoverTerm } from "../_lib/financial-lines.ts";
import { typed } from "../_lib/typed.ts";

/** The same day a year before (29 February → 28). */
const yearBefore = (d: string) => {
  const m = addMonths(`${d.slice(0, 7)}-01`, -12);
  const end = monthEnd(m);
  const day = `${m.slice(0, 8)}${d.slice(8, 10)}`;
  return day > end ? end : day;
};

export default async function financialResults(context: ReportContext, p: ReportParams) {
  const ctx = typed(context);
  const { from, to } = period(ctx, p.from, p.to);
  const chart = await ledger(ctx);
  const mapping = readMapping(ctx, new URL("./lines.yaml", import.meta.url), chart);
  const periods = [
    [from, to],
    [yearBefore(from), yearBefore(to)],
  ];
  const columns: ReturnType<typeof evaluate>[] = [];
  for (const [f, t] of periods) {
    const pairs = await ctx.registers.Accounting.correspondence(f, t);
    columns.push(evaluate(mapping, (term) => turnoverTerm(chart, term, pairs)));
  }
  const orgs = await ctx.query("catalog", "Organizations", p.organization ? { id: p.organization } : {});
  const org = orgs[0];
  const lines = mapping.lines
    .filter((l) => l.code)
    .map((l) => ({
      code: l.code,
      title: l.title,
      total: !!l.sum,
      cells: columns.map((c) => printed(c.get(l.code!)!.value, l.deduct)),
      c0: columns[0].get(l.code!)!.value,
      c1: columns[1].get(l.code!)!.value,
      r0: columns[0].get(l.code!)!.rubles,
    }));
  return {
    from,
    to,
    previous: periods[1],
    organization: { name: org?.name ?? "", inn: org?.Inn ?? "" },
    lines,
    csvRows: lines,
  };
}
