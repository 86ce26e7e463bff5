/**
 * Paged lists of catalogs and documents for list forms (AG Grid's infinite row model):
 * equality filters by attribute, quick search, sort by any header field with the id as the
 * tie-breaker so pages never overlap, offset/limit, and the total count.
 */
import type { Configuration } from "../metadata/types.ts";
import type { Client } from "./db.ts";
import { q } from "./naming.ts";
import {
  headerFields,
  objectFromRow,
  presentations,
  presentation,
  tableOf,
  type ObjMeta,
  type Row,
} from "./objects.ts";
import { toDb } from "./values.ts";
import { UserError } from "../errors.ts";

export interface ListQuery {
  search?: string;
  /** A header field name; a leading "-" sorts descending: "-date", "Name". */
  sort?: string;
  offset?: number;
  limit?: number;
  /** Equality by header field name. */
  filter?: Record<string, unknown>;
  /**
   * false: no total (null) unless the page itself shows it — a client paging a large list
   * asks for the rows and, once per filter, for the count, so a block does not wait for it.
   */
  count?: boolean;
}

export const MAX_LIMIT = 1000;

export async function listObjects(
  c: Client,
  conf: Configuration,
  m: ObjMeta,
  lq: ListQuery,
): Promise<{ rows: Row[]; total: number | null; refs: Record<string, string> }> {
  const fields = headerFields(m);
  const where: string[] = [];
  const params: unknown[] = [];
  for (const [name, value] of Object.entries(lq.filter ?? {})) {
    const f = fields.find((x) => x.name === name);
    if (!f)
      throw new UserError(
        `Нельзя отобрать по полю «${name}»: у объекта ${m.name} его нет`,
        { field: name },
        "unknown_field",
      );
    const v = f.name === "id" ? value : toDb(conf, f.type, value, name, { field: name });
    if (v === null) where.push(`${q(f.column)} IS NULL`);
    else {
      params.push(v);
      where.push(`${q(f.column)} = $${params.length}`);
    }
  }
  if (lq.search) {
    params.push(`%${lq.search.replace(/[\\%_]/g, (x) => "\\" + x)}%`);
    const p = `$${params.length}`;
    const cols = m.kind === "catalog" ? ["name", ...(m.codeLength > 0 ? ["code"] : [])] : ["number", "comment"];
    const terms = cols.map((x) => `${q(x)} ILIKE ${p}`);
    // "00000000003, Симак…" as the item is presented (pasted or typed back) finds it too
    if (m.kind === "catalog" && m.codeLength > 0 && m.presentation === "codeAndName")
      terms.push(`(code || ', ' || name) ILIKE ${p}`);
    where.push(`(${terms.join(" OR ")})`);
  }
  let sortField = m.kind === "document" ? "date" : m.kind === "catalog" && m.codeLength > 0 ? "code" : "name";
  let desc = false;
  if (lq.sort) {
    desc = lq.sort.startsWith("-");
    sortField = lq.sort.replace(/^-/, "");
  }
  const sf = fields.find((x) => x.name === sortField);
  if (!sf)
    throw new UserError(
      `Нельзя упорядочить по полю «${sortField}»: у объекта ${m.name} его нет`,
      { field: "sort" },
      "unknown_field",
    );
  const offset = lq.offset ?? 0;
  const limit = Math.min(lq.limit ?? 50, MAX_LIMIT);
  const t = q(tableOf(m));
  const w = where.length ? `WHERE ${where.join(" AND ")}` : "";
  const dir = desc ? "DESC" : "ASC";
  const rows = await c.query(
    `SELECT * FROM ${t} ${w} ORDER BY ${q(sf.column)} ${dir}, id ${dir} OFFSET ${offset} LIMIT ${limit}`,
    params,
  );
  const total =
    offset === 0 && rows.rowCount! < limit
      ? rows.rowCount!
      : lq.count === false
        ? rows.rowCount! > 0 && rows.rowCount! < limit
          ? offset + rows.rowCount!
          : null
        : Number((await c.query(`SELECT count(*) AS n FROM ${t} ${w}`, params)).rows[0].n);
  const objs = rows.rows.map((r) => ({
    ...objectFromRow({ ...m, tabularParts: [] } as ObjMeta, r, "json"),
    presentation: presentation(m, r),
  }));
  return { rows: objs, total, refs: await presentations(c, conf, m, objs) };
}
