/**
 * Ведомость начислений: the month's Accruals grouped by building and service — accounts
 * charged, volume, accrued, benefits, recalculation, total — with subtotals per building and a
 * grand total. Volumes of different units are not added across services.
 */
import { Decimal } from "decimal.js";
import type { ReportContext, ReportParams } from "../../server/api.ts";
import { monthEnd } from "../../server/api.ts";
import { accountsOf, byReceiptOrder, servicesById } from "../_lib/catalogs.ts";
import { accruals, total } from "../_lib/figures.ts";
import { typed } from "../_lib/typed.ts";

const ZERO = new Decimal(0);

export default async function accrualsStatement(context: ReportContext, p: ReportParams) {
  const ctx = typed(context);
  const month: string = p.period;
  const accounts = await accountsOf(ctx, { building: p.building });
  const lines = await accruals(ctx, month, monthEnd(month), accounts.length === 1 ? new Set([accounts[0].id]) : null);
  const services = await servicesById(ctx);
  const groups = new Map<
    string,
    {
      building: string;
      services: Map<
        string,
        {
          service: string;
          accounts: number;
          volume: Decimal;
          amount: Decimal;
          benefits: Decimal;
          recalculation: Decimal;
          total: Decimal;
        }
      >;
    }
  >();
  for (const a of accounts) {
    const bname = String(a.building?.name ?? a.building?.Address ?? "Без здания");
    for (const l of lines.get(a.id) ?? []) {
      let g = groups.get(bname);
      if (!g) groups.set(bname, (g = { building: bname, services: new Map() }));
      let s = g.services.get(l.service);
      if (!s)
        g.services.set(
          l.service,
          (s = {
            service: l.service,
            accounts: 0,
            volume: ZERO,
            amount: ZERO,
            benefits: ZERO,
            recalculation: ZERO,
            total: ZERO,
          }),
        );
      s.accounts++;
      s.volume = s.volume.plus(l.volume);
      s.amount = s.amount.plus(l.amount);
      s.benefits = s.benefits.plus(l.benefits);
      s.recalculation = s.recalculation.plus(l.recalculation);
      s.total = s.total.plus(l.total);
    }
  }
  const sum = <T extends { amount: Decimal; benefits: Decimal; recalculation: Decimal; total: Decimal }>(
    rows: T[],
  ) => ({
    amount: total(rows, (r) => r.amount),
    benefits: total(rows, (r) => r.benefits),
    recalculation: total(rows, (r) => r.recalculation),
    total: total(rows, (r) => r.total),
  });
  const buildings = [...groups.values()]
    .sort((x, y) => x.building.localeCompare(y.building))
    .map((g) => {
      const rows = [...g.services.values()]
        .sort(byReceiptOrder(services))
        .map((s) => ({ ...s, name: services.get(s.service)?.name ?? "", unit: services.get(s.service)?.unit ?? "" }));
      return { building: g.building, rows, totals: sum(rows) };
    });
  const all = buildings.flatMap((b) => b.rows);
  const csvRows = buildings.flatMap((b) => b.rows.map((r) => ({ ...r, building: b.building, service: r.name })));
  return { period: month, buildings, totals: sum(all), csvRows };
}
