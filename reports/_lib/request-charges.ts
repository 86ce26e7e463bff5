/**
 * The service requests behind a receipt's lines (docs/service-requests.md): a closed paid request
 * is charged to its account in the month it was closed, under its type's service (Accruals; the
 * line «Платные работы»). The receipt names the requests beside that line — «Платные работы
 * (заявка №000000012)» — read here in one query: the posted, closed requests of the month with an
 * amount, by account and the service of their type.
 */
import { monthEnd } from "../../server/api.ts";
import type { Query } from "../../metadata/types.gen.ts";

/** (account, service) → " (заявка №…)" / " (заявки №…, №…)", or "" when no request was charged there. */
export async function requestCharges(
  ctx: Query,
  month: string,
  wanted: Set<string> | null,
): Promise<(account: string, service: string) => string> {
  const end = `${monthEnd(month)}T23:59:59`;
  // one account (a receipt from its card): only its requests; a batch reads the closed ones once
  const one = wanted?.size === 1 ? { Account: [...wanted][0] } : {};
  const closed = (await ctx.query("document", "ServiceRequest", { Status: "Closed", ...one })).filter(
    (d) =>
      d.posted &&
      !d.deletionMark &&
      d.Account &&
      (!wanted || wanted.has(d.Account)) &&
      d.ClosedAt &&
      d.ClosedAt >= `${month}T00:00:00` &&
      d.ClosedAt <= end &&
      d.Amount?.gt(0),
  );
  if (!closed.length) return () => "";
  const serviceOf = new Map(
    (await ctx.query("catalog", "RequestTypes", { Category: "Paid" })).map((t) => [t.id, t.Service]),
  );
  const numbers = new Map<string, string[]>();
  for (const d of closed) {
    const service = serviceOf.get(d.RequestType);
    if (!service) continue;
    const key = `${d.Account}|${service}`;
    numbers.set(key, [...(numbers.get(key) ?? []), d.number]);
  }
  return (account, service) => {
    const n = numbers.get(`${account}|${service}`);
    return n ? ` (${n.length === 1 ? "заявка" : "заявки"} ${n.map((x) => `№${x}`).join(", ")})` : "";
  };
}
