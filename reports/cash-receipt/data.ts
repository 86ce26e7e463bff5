/**
 * Приходный кассовый ордер (КО-1) of one CashReceipt: the order and its receipt (квитанция) with
 * the same figures — number, date, Кт account and analytics code (for a resident's payment 62.01
 * and the personal account's number), sum in figures and in words, «Принято от», «Основание»,
 * «Приложение». A draft prints too (the cashier signs before posting).
 */
import type { ReportContext, ReportParams } from "../../server/api.ts";
import { orderFigures } from "../_lib/cash-order.ts";
import { typed } from "../_lib/typed.ts";

export default async function cashReceipt(context: ReportContext, p: ReportParams) {
  const ctx = typed(context);
  const [d] = await ctx.query("document", "CashReceipt", { id: String(p.receipt) }, 1);
  if (!d) throw ctx.error("Приходный кассовый ордер не найден", { field: "receipt" });
  const account =
    d.OperationKind === "FromPersonalAccount" && d.Account
      ? (await ctx.query("catalog", "PersonalAccounts", { id: d.Account }, 1))[0]
      : undefined;
  const f = await orderFigures(
    ctx,
    { ...d, date: String(d.date) },
    account ? { corrCode: "62.01", analyticsCode: account.code } : {},
  );
  const order = {
    ...f,
    from: d.ReceivedFrom ?? "",
    basis: d.Basis ?? "",
    attachment: d.Attachment ?? "",
    posted: d.posted,
  };
  return { ...order, rows: [order] };
}
