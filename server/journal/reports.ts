/**
 * The journal entry for printing or exporting a report, for the report routes to call in a
 * transaction of the request's area: `await run((ctx) => journalReportPrint(ctx, name, params, format))`.
 * html and pdf are a print («Печать отчета»), any other format (csv, xlsx…) an export
 * («Выгрузка отчета»). `params` are the report's parameters as the user gave them.
 */
import type { Client } from "../storage/db.ts";
import { recordEvent } from "./journal.ts";
import type { Actor } from "../context.ts";

export async function journalReportPrint(
  ctx: { c: Client; area: number; actor?: Actor | null },
  reportName: string,
  params: unknown,
  format: string,
  title?: string,
): Promise<void> {
  const print = format === "html" || format === "pdf";
  await recordEvent(ctx.c, {
    area: ctx.area,
    actor: ctx.actor,
    action: print ? "reportPrint" : "reportExport",
    objectKind: "report",
    objectName: reportName,
    objectTitle: title,
    details: { format, params: params ?? null },
  });
}
