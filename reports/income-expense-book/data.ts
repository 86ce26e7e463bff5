/**
 * Книга учета доходов и расходов организаций на УСН (Приказ Минфина от 22.10.2012 №135н), раздел I:
 * the year's income and expenses by the cash method, from the entries of the register Accounting
 * by the rules in rules.yaml (configuration): one line per document and kind — the date and the
 * number of the primary document, the content of the operation, income (graph 4) or expense
 * (graph 5, only for «доходы минус расходы»); totals per quarter and cumulatively (за полугодие,
 * 9 месяцев, год). The organization (the chosen one, else the first) must be on УСН; the register
 * has no organization of its own, so the book covers every entry of the data area.
 */

import { readFileSync } from "node:fs";
import type { Decimal } from "decimal.js";
import { parse } from "yaml";
import { type Ledger, ledger } from "../../metadata/common/ledger.ts";
import type { ReportContext, ReportParams } from "../../server/api.ts";
import { DOCUMENT_TITLES, dec, documentsById, type Entry, entriesOf, ZERO } from "../_lib/accounting.ts";
import { typed } from "../_lib/typed.ts";

interface Rule {
  debit: string[];
  credit: string[];
  sign?: 1 | -1;
}

const QUARTERS = ["I квартал", "II квартал", "III квартал", "IV квартал"];
const CUMULATIVE = ["", "полугодие", "9 месяцев", "год"];

export default async function incomeExpenseBook(context: ReportContext, p: ReportParams) {
  const ctx = typed(context);
  const year = Number(p.year);
  const rules = parse(readFileSync(new URL("./rules.yaml", import.meta.url), "utf8")) as {
    income: Rule[];
    expenses: Rule[];
  };
  const chart = await ledger(ctx);
  for (const r of [...rules.income, ...rules.expenses])
    for (const c of [...r.debit, ...r.credit])
      if (!chart.byCode.has(c))
        throw ctx.error(`income-expense-book/rules.yaml: счета «${c}» нет в плане счетов — исправьте правила`);
  const orgs = await ctx.query("catalog", "Organizations", p.organization ? { id: p.organization } : {});
  const org = orgs[0];
  if (!org) throw ctx.error("Нет организации — заполните справочник «Организации»", { field: "organization" });
  if (org.TaxRegime !== "SimplifiedIncome" && org.TaxRegime !== "SimplifiedIncomeMinusExpenses")
    throw ctx.error(
      `Организация «${org.name}» не применяет УСН — книга учета доходов и расходов ведется при упрощенной системе (справочник «Организации», «Система налогообложения»)`,
      { field: "organization" },
    );
  const withExpenses = org.TaxRegime === "SimplifiedIncomeMinusExpenses";
  const cash = [...new Set([...rules.income, ...rules.expenses].flatMap((r) => [...r.debit, ...r.credit]))];
  const entries = await entriesOf(ctx, `${year}-01-01`, `${year}-12-31`, cash);
  const docs = await documentsById(ctx, entries);
  const amountBy = (list: Rule[], e: Entry, ch: Ledger) =>
    list.reduce(
      (s, r) =>
        r.debit.some((c) => ch.within(e.AccountDr, c)) && r.credit.some((c) => ch.within(e.AccountCr, c))
          ? s.plus(dec(e.Amount).times(r.sign ?? 1))
          : s,
      ZERO,
    );
  const lines = new Map<
    string,
    { date: string; document: string; content: string; income: Decimal; expense: Decimal }
  >();
  for (const e of entries) {
    const income = amountBy(rules.income, e, chart);
    const expense = withExpenses ? amountBy(rules.expenses, e, chart) : ZERO;
    if (income.isZero() && expense.isZero()) continue;
    const d = docs.get(e.recorder);
    const title = DOCUMENT_TITLES[e.recorderKind ?? ""] ?? e.recorderKind ?? "";
    for (const [kind, amount] of [
      ["income", income],
      ["expense", expense],
    ] as const) {
      if (amount.isZero()) continue;
      const key = `${e.recorder}#${kind}`;
      let l = lines.get(key);
      if (!l)
        lines.set(
          key,
          (l = {
            date: e.period.slice(0, 10),
            document: d
              ? `${title} № ${d.number} от ${d.date.slice(8, 10)}.${d.date.slice(5, 7)}.${d.date.slice(0, 4)}`
              : title,
            content: e.Content || title,
            income: ZERO,
            expense: ZERO,
          }),
        );
      l[kind] = l[kind].plus(amount);
    }
  }
  const sorted = [...lines.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  let n = 0;
  let cumIncome = ZERO;
  let cumExpense = ZERO;
  const quarters = QUARTERS.map((title, q) => {
    const rows = sorted
      .filter((l) => Math.floor((Number(l.date.slice(5, 7)) - 1) / 3) === q)
      .map((l) => ({
        n: ++n,
        ...l,
        income: l.income.isZero() ? null : l.income,
        expense: l.expense.isZero() ? null : l.expense,
      }));
    const income = rows.reduce((s, r) => s.plus(r.income ?? 0), ZERO);
    const expense = rows.reduce((s, r) => s.plus(r.expense ?? 0), ZERO);
    cumIncome = cumIncome.plus(income);
    cumExpense = cumExpense.plus(expense);
    return {
      title: `Итого за ${title}`,
      rows,
      income,
      expense,
      cumulative: q > 0 ? { title: `Итого за ${CUMULATIVE[q]}`, income: cumIncome, expense: cumExpense } : null,
    };
  });
  const csvRows = quarters.flatMap((q) => [
    ...q.rows,
    { content: q.title, income: q.income, expense: q.expense },
    ...(q.cumulative
      ? [{ content: q.cumulative.title, income: q.cumulative.income, expense: q.cumulative.expense }]
      : []),
  ]);
  return {
    year,
    organization: { name: org.name, inn: org.Inn ?? "", kpp: org.Kpp ?? "" },
    object: withExpenses ? "Доходы, уменьшенные на величину расходов" : "Доходы",
    withExpenses,
    quarters,
    csvRows,
  };
}
