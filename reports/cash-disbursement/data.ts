/**
 * Расходный кассовый ордер (КО-2) of one CashDisbursement: number, date, Дт account and
 * analytics code, sum in figures and in words, «Выдать», «Основание», «Приложение», the identity
 * document. A draft prints too (the recipient signs before posting).
 */
import type { ReportContext, ReportParams } from "../../server/api.ts";
import { orderFigures } from "../_lib/cash-order.ts";
import { typed } from "../_lib/typed.ts";

export default async function cashDisbursement(context: ReportContext, p: ReportParams) {
  const ctx = typed(context);
  const [d] = await ctx.query("document", "CashDisbursement", { id: String(p.disbursement) }, 1);
  if (!d) throw ctx.error("Расходный кассовый ордер не найден", { field: "disbursement" });
  const f = await orderFigures(ctx, { ...d, date: String(d.date) });
  const order = {
    ...f,
    to: d.IssuedTo ?? "",
    basis: d.Basis ?? "",
    attachment: d.Attachment ?? "",
    identity: d.IdentityDocument ?? "",
    posted: d.posted,
  };
  return { ...order, rows: [order] };
}
