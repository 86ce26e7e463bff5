/**
 * A list of a catalog or a document as a file (GET /api/catalogs/:name?format=csv|xlsx, the same
 * for documents): the rows the list form shows — the same filters, search and sort — read in
 * pages of the list's own query (storage/list.ts) and put in an ExportTable (./table.ts): the
 * columns the client names (?columns=number,date,Customer, in that order) or every header field
 * but the technical ones, titled by their synonyms; references by their presentations, enum values
 * by their synonyms, numbers and dates kept as such. At most MAX_EXPORT_ROWS rows.
 */

import type { Ctx } from "../context.ts";
import { badRequest } from "../errors.ts";
import type { ExportColumn, ExportFormat, ExportKind } from "../http/api-types.ts";
import { recordEvent } from "../journal/journal.ts";
import type { Configuration, TypeDef } from "../metadata/types.ts";
import type { ListQuery } from "../storage/list.ts";
import { headerFields, type ObjMeta, type Row } from "../storage/objects.ts";
import type { ExportTable } from "./table.ts";

export const MAX_EXPORT_ROWS = 100_000;
const PAGE = 1000;

/** Russian titles of the system fields (the attributes have their synonyms). */
export const SYSTEM_TITLES: Record<string, string> = {
  code: "Код",
  name: "Наименование",
  parent: "Родитель",
  isFolder: "Это группа",
  deletionMark: "Пометка удаления",
  number: "Номер",
  date: "Дата",
  posted: "Проведен",
  comment: "Комментарий",
};

/** The export kind of a metadata type: money for two decimals, integers, quantities with their scale. */
export function kindOf(t: TypeDef): { kind: ExportKind; scale?: number } {
  switch (t.kind) {
    case "number":
      return t.scale === 0
        ? { kind: "integer" }
        : t.scale === 2
          ? { kind: "money" }
          : { kind: "quantity", scale: t.scale };
    case "date":
      return { kind: "date" };
    case "datetime":
      return { kind: "datetime" };
    case "boolean":
      return { kind: "boolean" };
    default:
      return { kind: "text" };
  }
}

/** A reference's text: the object's presentation, an enum value's synonym. */
export function refText(conf: Configuration, t: TypeDef, v: unknown, refs: Record<string, string>): unknown {
  if (t.kind !== "ref" || v === null || v === undefined || v === "") return v;
  if (t.target === "enum") return conf.enums.get(t.name)?.values.find((x) => x.name === v)?.synonym ?? v;
  return refs[String(v)] ?? v;
}

/** The fields a list exports: the named ones in their order, else all but id and version. */
function fieldsOf(m: ObjMeta, columns: string | undefined) {
  const all = headerFields(m).map((f) => ({
    ...f,
    title: SYSTEM_TITLES[f.name] ?? m.attributes.find((a) => a.name === f.name)?.synonym ?? f.name,
  }));
  if (!columns) return all.filter((f) => f.name !== "id" && f.name !== "version");
  return columns.split(",").map((name) => {
    const f = all.find((x) => x.name === name.trim());
    if (!f)
      throw badRequest(
        `Параметр columns: у ${m.kind === "catalog" ? "справочника" : "документа"} ${m.name} нет поля «${name}»`,
        "columns",
      );
    return f;
  });
}

/** Who saved which list as a file, with its filters and how many rows (personal data leaves the system here). */
export async function journalListExport(
  ctx: Ctx,
  objectKind: "catalog" | "document",
  objectName: string,
  t: ExportTable,
  format: ExportFormat,
  lq: ListQuery,
): Promise<void> {
  await recordEvent(ctx.c, {
    area: ctx.area,
    actor: ctx.actor,
    action: "listExport",
    objectKind,
    objectName,
    objectTitle: t.title,
    details: { format, rows: t.rows.length, filter: lq.filter ?? {}, search: lq.search ?? null, sort: lq.sort ?? null },
  });
}

/** Reads the list (its filters, search, sort) page by page into an ExportTable. */
export async function listTable(
  ctx: Ctx,
  m: ObjMeta,
  lq: ListQuery,
  columns: string | undefined,
  list: (lq: ListQuery) => Promise<{ rows: Row[]; refs: Record<string, string> }>,
): Promise<ExportTable> {
  const fields = fieldsOf(m, columns);
  const out: unknown[][] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await list({ ...lq, offset, limit: PAGE, count: false });
    for (const r of page.rows) out.push(fields.map((f) => refText(ctx.conf, f.type, r[f.name], page.refs)));
    if (out.length > MAX_EXPORT_ROWS)
      throw badRequest(
        `В списке больше ${MAX_EXPORT_ROWS.toLocaleString("ru-RU")} строк — установите отбор, чтобы выгрузить его`,
        "format",
      );
    if (page.rows.length < PAGE) break;
  }
  const cols: ExportColumn[] = fields.map((f) => ({ title: f.title, ...kindOf(f.type) }));
  return { title: m.synonym, columns: cols, rows: out };
}
