/**
 * Время реагирования и выполнения по видам заявок: for the requests received from `from` to `to`
 * (rejected ones left out), per type:
 *  - responded: those taken into work (StartedAt), the average of ReceivedAt → StartedAt in
 *    hours, and how many were taken later than ResponseDeadline;
 *  - completed: those completed (CompletedAt), the average of ReceivedAt → CompletedAt, and how
 *    many later than Deadline;
 * beside the type's norms (ResponseHours, CompletionHours). Times are wall-clock hours; each
 * average is the exact mean rounded half up to hundredths of an hour (so 1.5 is 1 h 30 min).
 * The totals row averages over every request of the period.
 */
import { Decimal } from "decimal.js";
import { hoursBetween } from "../../metadata/common/request-deadline.ts";
import type { ReportContext, ReportParams } from "../../server/api.ts";
import { type RequestInfo, requestsOf } from "../_lib/requests.ts";
import { typed } from "../_lib/typed.ts";

const ZERO = new Decimal(0);

interface Acc {
  received: number;
  responded: number;
  responseHours: Decimal;
  lateResponse: number;
  completed: number;
  completionHours: Decimal;
  lateCompletion: number;
}

const acc = (): Acc => ({
  received: 0,
  responded: 0,
  responseHours: ZERO,
  lateResponse: 0,
  completed: 0,
  completionHours: ZERO,
  lateCompletion: 0,
});

function add(a: Acc, r: RequestInfo): void {
  const d = r.doc;
  a.received++;
  if (d.StartedAt) {
    a.responded++;
    a.responseHours = a.responseHours.plus(hoursBetween(d.ReceivedAt, d.StartedAt));
    if (d.ResponseDeadline && d.StartedAt > d.ResponseDeadline) a.lateResponse++;
  }
  if (d.CompletedAt) {
    a.completed++;
    a.completionHours = a.completionHours.plus(hoursBetween(d.ReceivedAt, d.CompletedAt));
    if (d.Deadline && d.CompletedAt > d.Deadline) a.lateCompletion++;
  }
}

const mean = (sum: Decimal, n: number) => (n ? sum.div(n).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2) : null);

const figures = (a: Acc) => ({
  received: a.received,
  responded: a.responded,
  avgResponse: mean(a.responseHours, a.responded),
  lateResponse: a.lateResponse,
  completed: a.completed,
  avgCompletion: mean(a.completionHours, a.completed),
  lateCompletion: a.lateCompletion,
});

export default async function requestTimes(context: ReportContext, p: ReportParams) {
  const ctx = typed(context);
  const from: string = p.from,
    to: string = p.to;
  if (from > to) throw ctx.error("Начало периода позже его конца", { field: "from" });
  const requests = (await requestsOf(ctx, { from, to, building: p.building })).filter((r) => r.status !== "Rejected");
  const categories = new Map(ctx.enumValues("RequestCategories").map((c) => [c.name, c.synonym]));
  const byType = new Map<string, { r: RequestInfo; a: Acc }>();
  const all = acc();
  for (const r of requests) {
    let g = byType.get(r.typeName);
    if (!g) byType.set(r.typeName, (g = { r, a: acc() }));
    add(g.a, r);
    add(all, r);
  }
  const hours = (v: Decimal | null) => (v == null ? null : v.toFixed(2));
  const rows = [...byType]
    .sort(([a], [b]) => a.localeCompare(b, "ru"))
    .map(([name, { r, a }]) => ({
      name,
      category: r.type ? (categories.get(r.type.Category) ?? "") : "",
      normResponse: hours(r.type?.ResponseHours ?? null),
      normCompletion: hours(r.type?.CompletionHours ?? null),
      ...figures(a),
    }));
  return { from, to, rows, totals: figures(all) };
}
