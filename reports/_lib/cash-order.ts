/**
 * The figures of a cash order's printed form (КО-1 «Приходный кассовый ордер», КО-2 «Расходный
 * кассовый ордер», Постановление Госкомстата России №88 of 18.08.1998; Указание ЦБ РФ №3210-У):
 * the organization (the order's, else the first one), the order's number and date, the
 * corresponding account's code and the analytics code (the counterparty's or employee's code, the
 * personal account's number), the sum in figures, in words, and in roubles and kopecks.
 */
import { Decimal } from "decimal.js";
import type { TypedReportContext } from "./typed.ts";

export interface OrderFigures {
  organization: { name: string; inn: string; kpp: string; address: string };
  /** The order's number («no»: a template's {{number}} is the number helper). */
  no: string;
  date: string;
  corrAccount: string;
  analyticsCode: string;
  amount: string;
  rubles: string;
  kopecks: string;
}

export async function orderFigures(
  ctx: TypedReportContext,
  d: {
    number: string;
    date: string;
    Organization: string | null;
    CorrAccount: string | null;
    Counterparty: string | null;
    Employee: string | null;
    Amount: Decimal | null;
  },
  extra: { corrCode?: string; analyticsCode?: string } = {},
): Promise<OrderFigures> {
  const [org] = d.Organization
    ? await ctx.query("catalog", "Organizations", { id: d.Organization }, 1)
    : await ctx.query("catalog", "Organizations", {}, 1);
  const [account] = d.CorrAccount ? await ctx.query("catalog", "ChartOfAccounts", { id: d.CorrAccount }, 1) : [];
  const [counterparty] = d.Counterparty ? await ctx.query("catalog", "Counterparties", { id: d.Counterparty }, 1) : [];
  const [employee] = d.Employee ? await ctx.query("catalog", "Employees", { id: d.Employee }, 1) : [];
  const amount = new Decimal(d.Amount ?? 0).toFixed(2);
  const [rubles, kopecks] = amount.split(".");
  return {
    organization: {
      name: org?.name ?? "",
      inn: org?.Inn ?? "",
      kpp: org?.Kpp ?? "",
      address: org?.Address ?? "",
    },
    no: d.number,
    date: d.date,
    corrAccount: extra.corrCode ?? account?.code ?? "",
    analyticsCode: extra.analyticsCode ?? counterparty?.code ?? employee?.code ?? "",
    amount,
    rubles,
    kopecks,
  };
}
