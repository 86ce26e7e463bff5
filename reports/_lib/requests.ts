/**
 * What the service-request reports read (docs/service-requests.md): the requests received in a
 * period (ReceivedAt's day within [from, to]; deletion-marked ones left out), optionally of one
 * building or executor, each with what the reports print — the type, its category and norms, the
 * executor, the address, the status's synonym. One query per catalog, whatever the number of
 * requests. Elapsed times are wall-clock hours (metadata/common/request-deadline.ts hoursBetween),
 * also for types whose deadlines count working time.
 */
import { addDays, nowMoment } from "../../server/api.ts";
import { isOverdue } from "../../metadata/common/request-deadline.ts";
import type { Query, RequestStatuses, RequestTypesCatalog, ServiceRequestDocument } from "../../metadata/types.gen.ts";
import type { TypedReportContext } from "./typed.ts";

export interface RequestInfo {
  doc: ServiceRequestDocument;
  type: RequestTypesCatalog | null;
  typeName: string;
  executorName: string;
  address: string;
  status: RequestStatuses;
  statusSynonym: string;
}

/** The request statuses in the enum's order, with their synonyms. */
export const statusesOf = (ctx: TypedReportContext) => ctx.enumValues("RequestStatuses");

/** The moment a report looks from: the end of the day `date` (the next day's 00:00), or now when that is later than now. */
export function momentOf(date: string): string {
  const end = `${addDays(date, 1)}T00:00:00`;
  const now = nowMoment();
  return end < now ? end : now;
}

export async function requestsOf(
  ctx: TypedReportContext,
  p: { from?: string | null; to?: string | null; building?: string | null; executor?: string | null },
): Promise<RequestInfo[]> {
  const filter: { Building?: string; Executor?: string } = {};
  if (p.building) filter.Building = p.building;
  if (p.executor) filter.Executor = p.executor;
  const q: Query = ctx; // the typed overloads (the report context's own query is untyped)
  const docs = (await q.query("document", "ServiceRequest", filter)).filter((d) => {
    if (d.deletionMark) return false;
    const day = String(d.ReceivedAt).slice(0, 10);
    return (!p.from || day >= p.from) && (!p.to || day <= p.to);
  });
  const types = new Map((await ctx.query("catalog", "RequestTypes", {})).map((t) => [t.id, t]));
  const executors = new Map((await ctx.query("catalog", "Employees", {})).map((e) => [e.id, e.name]));
  const buildings = new Map((await ctx.query("catalog", "Buildings", {})).map((b) => [b.id, b]));
  const synonyms = new Map(statusesOf(ctx).map((s) => [s.name, s.synonym]));
  return docs
    .map((doc) => {
      const type = types.get(doc.RequestType) ?? null;
      const b = doc.Building ? buildings.get(doc.Building) : undefined;
      const status: RequestStatuses = doc.Status ?? "New";
      return {
        doc,
        type,
        typeName: type?.name ?? "",
        executorName: doc.Executor ? (executors.get(doc.Executor) ?? "") : "",
        address: [b?.Address ?? b?.name ?? "", doc.Apartment ? `кв.${doc.Apartment}` : ""].filter(Boolean).join(", "),
        status,
        statusSynonym: synonyms.get(status) ?? status,
      };
    })
    .sort((a, b) => (a.doc.ReceivedAt < b.doc.ReceivedAt ? -1 : a.doc.ReceivedAt > b.doc.ReceivedAt ? 1 : 0));
}

/**
 * Is the request overdue at the moment `at`: it has a completion deadline, was not rejected, and
 * was completed after the deadline or is still not completed when the deadline has passed.
 */
export function overdueAt(r: RequestInfo, at: string): boolean {
  const d = r.doc;
  if (!d.Deadline || r.status === "Rejected") return false;
  return isOverdue(d.Deadline, d.CompletedAt && d.CompletedAt <= at ? d.CompletedAt : null, at);
}
