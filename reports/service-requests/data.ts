/**
 * Заявки по видам, статусам и исполнителям: the requests received from `from` to `to` (their
 * ReceivedAt day), counted by current status per request type and per executor («Не назначен»
 * for none), each group's total and how many are overdue at the end of `to` (or now, if earlier):
 * completed after the deadline, or not completed with the deadline past (_lib/requests.ts).
 * Groups by name; the totals row counts every request once.
 */

import type { RequestStatuses } from "../../metadata/types.gen.ts";
import type { ReportContext, ReportParams } from "../../server/api.ts";
import { momentOf, overdueAt, type RequestInfo, requestsOf, statusesOf } from "../_lib/requests.ts";
import { typed } from "../_lib/typed.ts";

type Counts = Record<RequestStatuses, number> & { total: number; overdue: number };

export default async function serviceRequests(context: ReportContext, p: ReportParams) {
  const ctx = typed(context);
  const from: string = p.from,
    to: string = p.to;
  if (from > to) throw ctx.error("Начало периода позже его конца", { field: "from" });
  const statuses = statusesOf(ctx);
  const at = momentOf(to);
  const requests = await requestsOf(ctx, { from, to, building: p.building });
  const empty = (): Counts => {
    const c = { total: 0, overdue: 0 } as Counts;
    for (const s of statuses) c[s.name] = 0;
    return c;
  };
  const count = (c: Counts, r: RequestInfo) => {
    c[r.status]++;
    c.total++;
    if (overdueAt(r, at)) c.overdue++;
  };
  const groups = (section: string, key: (r: RequestInfo) => string) => {
    const by = new Map<string, Counts>();
    for (const r of requests) {
      const k = key(r);
      let c = by.get(k);
      if (!c) by.set(k, (c = empty()));
      count(c, r);
    }
    return [...by]
      .sort(([a], [b]) => a.localeCompare(b, "ru"))
      .map(([name, c]) => ({ section, name, ...c, cells: statuses.map((s) => c[s.name]) }));
  };
  const byType = groups("Вид заявки", (r) => r.typeName);
  const byExecutor = groups("Исполнитель", (r) => r.executorName || "Не назначен");
  const totals = empty();
  for (const r of requests) count(totals, r);
  return {
    from,
    to,
    at,
    statuses,
    sections: [
      { title: "Вид заявки", rows: byType },
      { title: "Исполнитель", rows: byExecutor },
    ],
    totals: { ...totals, cells: statuses.map((s) => totals[s.name]) },
    rows: [...byType, ...byExecutor, { section: "Итого", name: "Всего заявок", ...totals }],
  };
}
