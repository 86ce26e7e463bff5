/**
 * Оборотно-сальдовая ведомость по лицевым счетам: for each account of the building (or all)
 * the Settlements figures of the period (reports/_lib/figures.ts): opening debt, charged,
 * paid, closing debt — closing equals the register's balance at the period's end — and, with
 * byService, the same per service (the advance key as «Аванс»). Accounts with no figures at all
 * are left out.
 */
import { Decimal } from "decimal.js";
import type { ReportContext, ReportParams } from "../../server/api.ts";
import { monthEnd } from "../../server/api.ts";
import { accountsOf, byReceiptOrder, servicesById } from "../_lib/catalogs.ts";
import { type Flow, settlements, total } from "../_lib/figures.ts";
import { typed } from "../_lib/typed.ts";

const ZERO = new Decimal(0);
const empty = (f: Flow) => f.opening.isZero() && f.charged.isZero() && f.paid.isZero() && f.closing.isZero();

export default async function turnoverBalance(context: ReportContext, p: ReportParams) {
  const ctx = typed(context);
  const from: string = p.from;
  const to: string = p.to ?? p.from;
  if (to < from) throw ctx.error("Конец периода раньше его начала", { field: "to" });
  const accounts = await accountsOf(ctx, { building: p.building });
  const flows = await settlements(ctx, from, monthEnd(to), accounts.length === 1 ? new Set([accounts[0].id]) : null);
  const services = await servicesById(ctx);
  const order = byReceiptOrder(services);
  const rows = accounts
    .map((a) => {
      const f = flows.get(a.id);
      const flow = f ?? { opening: ZERO, charged: ZERO, paid: ZERO, closing: ZERO, services: new Map() };
      const byService = [...flow.services]
        .map(([service, s]) => ({ service: service || null, ...s }))
        .filter((s) => !empty(s))
        .sort(order)
        .map((s) => ({ ...s, name: s.service ? (services.get(s.service)?.name ?? "") : "Аванс (переплата)" }));
      return {
        code: a.code,
        name: a.name,
        address: a.address,
        opening: flow.opening,
        charged: flow.charged,
        paid: flow.paid,
        closing: flow.closing,
        services: byService,
      };
    })
    .filter((r) => !empty(r) || r.services.length > 0);
  const totals = {
    opening: total(rows, (r) => r.opening),
    charged: total(rows, (r) => r.charged),
    paid: total(rows, (r) => r.paid),
    closing: total(rows, (r) => r.closing),
  };
  const csvRows = rows.flatMap((r) => [
    { ...r, service: "" },
    ...(p.byService
      ? r.services.map((s) => ({
          code: r.code,
          name: r.name,
          address: r.address,
          service: s.name,
          opening: s.opening,
          charged: s.charged,
          paid: s.paid,
          closing: s.closing,
        }))
      : []),
  ]);
  return { from, to, byService: p.byService === true, rows, totals, csvRows };
}
