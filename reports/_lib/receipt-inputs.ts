/**
 * What the payment documents (reports/receipt, reports/receipt-43pr) read alike: the accounts a
 * print asks for (one account from its card, the accounts of a GroupAccrual document in its
 * month, one building, or every account open in the period) and each line's tariff (the
 * account's tariff kind for the service, then that kind's rate at the month's end).
 */
import type { Decimal } from "decimal.js";
import type { ReportParams } from "../../server/api.ts";
import { monthStart } from "../../server/api.ts";
import { dec } from "../../metadata/common/money.ts";
import { accountsOf, type AccountInfo } from "./catalogs.ts";
import type { TypedReportContext } from "./typed.ts";

/** The month and the accounts of a receipt print (parameters period, account, building, accrual). */
export async function receiptScope(
  ctx: TypedReportContext,
  p: ReportParams,
): Promise<{ month: string; accounts: AccountInfo[] }> {
  if (p.accrual) {
    const accrual: string = p.accrual;
    const [doc] = await ctx.query("document", "GroupAccrual", { id: accrual }, { tables: true });
    const month = monthStart(p.period ?? doc.Month);
    const listed = (doc.Accounts ?? []).map((r) => r.Account);
    const accounts = await accountsOf(
      ctx,
      listed.length ? { accounts: listed, month } : { building: doc.Building, month },
    );
    return { month, accounts };
  }
  if (!p.period) throw ctx.error("Укажите период квитанции", { field: "period" });
  const month = p.period as string;
  return { month, accounts: await accountsOf(ctx, { account: p.account, building: p.building, month }) };
}

/** Tariff per account and service: the account's tariff kind, then that kind's rate. */
export async function tariffs(
  ctx: TypedReportContext,
  at: string,
  wanted: Set<string> | null,
): Promise<(account: string, service: string) => Decimal | null> {
  const filter = wanted?.size === 1 ? { Account: [...wanted][0] } : undefined;
  const kinds = new Map<string, string>();
  for (const r of await ctx.info.AccountServices.sliceLast(at, filter))
    if (!wanted || (r.Account !== null && wanted.has(r.Account))) kinds.set(`${r.Account}|${r.Service}`, r.TariffKind);
  const rates = new Map<string, Decimal>();
  for (const r of await ctx.info.Tariffs.sliceLast(at)) rates.set(`${r.Service}|${r.TariffKind}`, dec(r.Rate));
  return (account, service) => rates.get(`${service}|${kinds.get(`${account}|${service}`)}`) ?? null;
}
