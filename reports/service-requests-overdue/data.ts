/**
 * Просроченные заявки на дату: the requests received by the end of `date` (or now, if earlier)
 * and not completed by then (CompletedAt empty or later), not rejected, whose completion deadline
 * (Deadline) has passed; how many wall-clock hours they are overdue (to two places, half up);
 * optionally of one building or executor. The longest overdue first, then by number.
 */
import { Decimal } from "decimal.js";
import { hoursBetween } from "../../metadata/common/request-deadline.ts";
import type { ReportContext, ReportParams } from "../../server/api.ts";
import { formatDate } from "../../server/api.ts";
import { momentOf, requestsOf } from "../_lib/requests.ts";
import { typed } from "../_lib/typed.ts";

const moment = (v: string | null) => (v ? formatDate(v, "dd.MM.yyyy HH:mm") : "");

export default async function overdueRequests(context: ReportContext, p: ReportParams) {
  const ctx = typed(context);
  const date: string = p.date;
  const at = momentOf(date);
  const rows = (await requestsOf(ctx, { building: p.building, executor: p.executor }))
    .filter((r) => {
      const d = r.doc;
      if (r.status === "Rejected" || !d.Deadline || d.ReceivedAt > at) return false;
      const open = !d.CompletedAt || d.CompletedAt > at;
      return open && d.Deadline < at;
    })
    .map((r) => {
      const d = r.doc;
      return {
        number: d.number,
        receivedAt: moment(d.ReceivedAt),
        type: r.typeName,
        address: r.address,
        contact: [d.ContactName, d.ContactPhone].filter(Boolean).join(", "),
        executor: r.executorName,
        status: r.statusSynonym,
        deadline: moment(d.Deadline),
        hoursOverdue: hoursBetween(d.Deadline as string, at)
          .toDecimalPlaces(2, Decimal.ROUND_HALF_UP)
          .toFixed(2),
      };
    })
    .sort((a, b) => new Decimal(b.hoursOverdue).comparedTo(a.hoursOverdue) || a.number.localeCompare(b.number));
  return { date, at, rows };
}
