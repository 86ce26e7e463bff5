/**
 * Реестр платежей: the posted Payment documents dated within [from, to] (inclusive days), of
 * the building's accounts or all, in date order, with the total.
 */

import { dec } from "../../metadata/common/money.ts";
import type { ReportContext, ReportParams } from "../../server/api.ts";
import { accountsOf } from "../_lib/catalogs.ts";
import { total } from "../_lib/figures.ts";
import { typed } from "../_lib/typed.ts";

export default async function paymentsRegister(context: ReportContext, p: ReportParams) {
  const ctx = typed(context);
  if (p.to < p.from) throw ctx.error("Конец периода раньше его начала", { field: "to" });
  const accounts = new Map((await accountsOf(ctx, { building: p.building })).map((a) => [a.id, a]));
  const rows = (await ctx.query("document", "Payment", {}))
    .filter(
      (d) =>
        d.posted &&
        !d.deletionMark &&
        String(d.date).slice(0, 10) >= p.from &&
        String(d.date).slice(0, 10) <= p.to &&
        accounts.has(d.Account),
    )
    .map((d) => {
      const a = accounts.get(d.Account)!;
      return {
        date: String(d.date).slice(0, 10),
        number: String(d.number),
        code: a.code,
        name: a.name,
        address: a.address,
        amount: dec(d.Amount),
        source: String(d.Source ?? ""),
      };
    });
  return { from: p.from, to: p.to, rows, total: total(rows, (r) => r.amount) };
}
