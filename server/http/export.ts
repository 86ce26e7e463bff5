/**
 * Files of tables (server/export/table.ts), CSV or Excel:
 *   GET  /api/catalogs/:name?format=csv|xlsx[&columns=a,b]   a list as the list form shows it (objects.ts)
 *   GET  /api/documents/:name?format=csv|xlsx[&columns=a,b]
 *   POST /api/export?format=csv|xlsx&name=<file name>        body: { title, columns: [{ title, kind, scale? }], rows: [[…]] }
 * The POST writes a table the client holds — a tabular part being edited, a register view — so
 * every grid of the client exports through the same writer as the lists and the reports.
 */
import type { Request, Response, Router } from "express";
import { badRequest } from "../errors.ts";
import { EXPORT_FORMATS, EXPORT_KINDS, type ExportTable, exportFile } from "../export/table.ts";
import { rules, secureRouter } from "./access.ts";
import type { ExportFormat } from "./api-types.ts";
import { jsonBody, type Run } from "./context.ts";
import { type Query, single } from "./query.ts";

const MAX_ROWS = 100_000;
const MAX_COLUMNS = 200;

/** ?format=csv|xlsx, or undefined when the request wants JSON. */
export function exportFormat(query: Query): ExportFormat | undefined {
  const f = single(query, "format");
  if (f === undefined || f === "" || f === "json") return undefined;
  if (!(EXPORT_FORMATS as string[]).includes(f))
    throw badRequest(`Параметр format: одно из json, ${EXPORT_FORMATS.join(", ")}, получено «${f}»`, "format");
  return f as ExportFormat;
}

/** A safe file name from a title: no path or reserved characters. */
function fileTitle(title: string): string {
  return (
    title
      .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, " ")
      .replace(/\s+/g, " ")
      .trim()
      .slice(0, 150) || "export"
  );
}

/** Sends a table as an attachment named by `name` (the title when omitted) with the format's extension. */
export async function sendTable(res: Response, t: ExportTable, format: ExportFormat, name?: string): Promise<void> {
  const file = await exportFile(t, format);
  const title = fileTitle(name ?? t.title);
  res.set("Content-Type", file.contentType);
  res.set("X-Content-Type-Options", "nosniff");
  res.set(
    "Content-Disposition",
    `attachment; filename="export.${format}"; filename*=UTF-8''${encodeURIComponent(`${title}.${format}`)}`,
  );
  res.send(file.body);
}

/** A table sent by the client, checked: its columns' titles and kinds, rows of as many cells. */
export function validTable(body: unknown): ExportTable {
  const b = body as Partial<ExportTable> | undefined;
  if (!b || typeof b !== "object" || Array.isArray(b)) throw badRequest("Ожидается таблица: { title, columns, rows }");
  if (typeof b.title !== "string") throw badRequest("title: ожидается строка", "title");
  if (!Array.isArray(b.columns) || b.columns.length === 0 || b.columns.length > MAX_COLUMNS)
    throw badRequest(`columns: ожидается от 1 до ${MAX_COLUMNS} колонок`, "columns");
  b.columns.forEach((c, i) => {
    if (!c || typeof c.title !== "string") throw badRequest(`columns[${i}].title: ожидается строка`, "columns");
    if (!(EXPORT_KINDS as string[]).includes(c.kind))
      throw badRequest(`columns[${i}].kind: одно из ${EXPORT_KINDS.join(", ")}`, "columns");
    if (c.scale !== undefined && !(Number.isInteger(c.scale) && c.scale >= 0 && c.scale <= 10))
      throw badRequest(`columns[${i}].scale: целое от 0 до 10`, "columns");
  });
  if (!Array.isArray(b.rows) || b.rows.length > MAX_ROWS)
    throw badRequest(`rows: ожидается список строк (не больше ${MAX_ROWS})`, "rows");
  const n = b.columns.length;
  b.rows.forEach((r, i) => {
    if (!Array.isArray(r) || r.length > n) throw badRequest(`rows[${i}]: ожидается не больше ${n} значений`, "rows");
    for (const v of r)
      if (v !== null && !["string", "number", "boolean"].includes(typeof v))
        throw badRequest(`rows[${i}]: значения — строки, числа, да/нет или null`, "rows");
  });
  return { title: b.title, columns: b.columns, rows: b.rows };
}

export function exportRoutes(run: Run): Router {
  const r = secureRouter();
  const allow = rules(run.conf);
  r.post("/", allow.session(), async (req: Request, res: Response) => {
    const format = exportFormat(req.query as Query);
    if (!format) throw badRequest("Параметр format: csv или xlsx", "format");
    const name = single(req.query as Query, "name");
    await sendTable(res, validTable(jsonBody(req)), format, name || undefined);
  });
  return r.router;
}
