/**
 * Paged lists of catalogs and documents for list forms (AG Grid's infinite row model):
 * equality filters by attribute, quick search, sort by any header field with the id as the
 * tie-breaker so pages never overlap, offset/limit, and the total count. Built with TypeORM's
 * QueryBuilder (storage/orm.ts).
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
import { ormOf } from "./orm.ts";

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
  const select = ormOf(c)
    .createQueryBuilder()
    .select(fields.map((f) => `h.${q(f.column)}`))
    .from(tableOf(m), "h");
  for (const [i, [name, value]] of Object.entries(lq.filter ?? {}).entries()) {
    const f = fields.find((x) => x.name === name);
    if (!f)
      throw new UserError(
        `Нельзя отобрать по полю «${name}»: у объекта ${m.name} его нет`,
        { field: name },
        "unknown_field",
      );
    if (Array.isArray(value)) {
      // any of these values (the workflow's «Мои»: the catalog items linked to the user); none: no rows
      const vs = value.map((x) => (f.name === "id" ? x : toDb(conf, f.type, x, name, { field: name })));
      if (vs.length === 0) select.andWhere("1 = 0");
      else select.andWhere(`h.${q(f.column)} IN (:...filter${i})`, { [`filter${i}`]: vs });
      continue;
    }
    const v = f.name === "id" ? value : toDb(conf, f.type, value, name, { field: name });
    if (v === null) select.andWhere(`h.${q(f.column)} IS NULL`);
    else select.andWhere(`h.${q(f.column)} = :filter${i}`, { [`filter${i}`]: v });
  }
  if (lq.search) {
    const cols = m.kind === "catalog" ? ["name", ...(m.codeLength > 0 ? ["code"] : [])] : ["number", "comment"];
    const terms = cols.map((x) => `h.${q(x)} ILIKE :search`);
    // "00000000003, Симак…" as the item is presented (pasted or typed back) finds it too
    if (m.kind === "catalog" && m.codeLength > 0 && m.presentation === "codeAndName")
      terms.push(`(h.code || ', ' || h.name) ILIKE :search`);
    select.andWhere(`(${terms.join(" OR ")})`, { search: `%${lq.search.replace(/[\\%_]/g, (x) => "\\" + x)}%` });
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
  const dir = desc ? "DESC" : "ASC";
  const rows: Row[] = await select
    .clone()
    .orderBy(`h.${q(sf.column)}`, dir)
    .addOrderBy("h.id", dir)
    .offset(offset)
    .limit(limit)
    .getRawMany();
  const total =
    offset === 0 && rows.length < limit
      ? rows.length
      : lq.count === false
        ? rows.length > 0 && rows.length < limit
          ? offset + rows.length
          : null
        : Number((await select.select("count(*)", "n").getRawOne<{ n: string }>())!.n);
  const objs = rows.map((r) => ({
    ...objectFromRow({ ...m, tabularParts: [] } as ObjMeta, r, "json"),
    presentation: presentation(m, r),
  }));
  return { rows: objs, total, refs: await presentations(c, conf, m, objs) };
}
