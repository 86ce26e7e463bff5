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
import type { ObjectLiteral, SelectQueryBuilder } from "typeorm";
import { nowMoment } from "../calendar.ts";
import { defaultSort, groupsSql, type GroupSql } from "../metadata/list-meta.ts";

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
    const terms = m.list?.search
      ? searchTerms(conf, m.list.search, fields, lq.search, select)
      : cols.map((x) => `h.${q(x)} ILIKE :search`);
    // "00000000003, Симак…" as the item is presented (pasted or typed back) finds it too
    if (m.kind === "catalog" && m.codeLength > 0 && m.presentation === "codeAndName")
      terms.push(`(h.code || ', ' || h.name) ILIKE :search`);
    select.andWhere(`(${terms.join(" OR ")})`, { search: likeOf(lq.search) });
  }
  // the configuration's row groups (metadata `list.groups`): each row's group, and the default order's first key
  const groups = m.list?.groups.length ? groupsSql(conf, m, "h.") : undefined;
  let { field: sortField, desc } = defaultSort(m);
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
  const page = select.clone();
  if (groups) {
    const now = nowMoment();
    page
      .addSelect(
        `(CASE ${groups.map((g, i) => `WHEN ${g.all} THEN ${i}`).join(" ")} ELSE ${groups.length} END)`,
        "list_group",
      )
      .setParameters({ listNow: now, listToday: now.slice(0, 10) });
  }
  const ordered = (qb: typeof page) => qb.orderBy(`h.${q(sf.column)}`, dir).addOrderBy("h.id", dir);
  const rows: Row[] =
    groups && !lq.sort
      ? await groupedPage(page, groups, ordered, offset, limit)
      : await ordered(page.clone()).offset(offset).limit(limit).getRawMany();
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
    // the row's group (metadata `list.groups`): the list colours its rows by it
    ...(groups ? { listGroup: m.list!.groups[Number(r.list_group)]?.name ?? null } : {}),
  }));
  return { rows: objs, total, refs: await presentations(c, conf, m, objs) };
}

const likeOf = (text: string) => `%${text.replace(/[\\%_]/g, (x) => "\\" + x)}%`;

/**
 * The quick search over the fields a list declares (metadata `list.search`): strings by ILIKE —
 * and, when the search is digits with separators (at least three digits), by their digits alone,
 * so "555-12-34" finds "+7 (921) 555 1234"; enums by their values' synonyms; catalog references by
 * the item's name or code.
 */
function searchTerms(
  conf: Configuration,
  names: string[],
  fields: ReturnType<typeof headerFields>,
  text: string,
  select: { setParameter(k: string, v: unknown): unknown },
): string[] {
  const digits = /^[\d\s()+\-.]+$/.test(text) ? text.replace(/\D/g, "") : "";
  if (digits.length >= 3) select.setParameter("searchDigits", `%${digits}%`);
  const terms: string[] = [];
  names.forEach((name, i) => {
    const f = fields.find((x) => x.name === name);
    if (!f) return;
    const c = `h.${q(f.column)}`;
    if (f.type.kind === "string") {
      terms.push(`${c} ILIKE :search`);
      if (digits.length >= 3) terms.push(`regexp_replace(${c}, '\\D', '', 'g') LIKE :searchDigits`);
    } else if (f.type.kind === "ref" && f.type.target === "enum") {
      const low = text.trim().toLowerCase();
      const values = (conf.enums.get(f.type.name)?.values ?? [])
        .filter((v) => v.synonym.toLowerCase().includes(low))
        .map((v) => v.name);
      if (values.length) {
        select.setParameter(`searchEnum${i}`, values);
        terms.push(`${c} IN (:...searchEnum${i})`);
      }
    } else if (f.type.kind === "ref" && f.type.target === "catalog") {
      const target = conf.catalogs.get(f.type.name);
      if (!target) return;
      const by = [`x.name ILIKE :search`, ...(target.codeLength > 0 ? ["x.code ILIKE :search"] : [])];
      terms.push(`${c} IN (SELECT x.id FROM ${q(tableOf(target))} x WHERE ${by.join(" OR ")})`);
    }
  });
  return terms.length ? terms : ["false"];
}

/**
 * A page of the default order of a list with row groups: the first group's rows, then the
 * second's…, then the rest, each in the list's order — one query per group, in turn, until the
 * page is full (each uses the index the migration makes for its group: tables.ts), so the first
 * page does not sort the whole table; a group wholly before the page's offset is counted to be
 * skipped.
 */
async function groupedPage(
  page: SelectQueryBuilder<ObjectLiteral>,
  groups: GroupSql[],
  ordered: (qb: SelectQueryBuilder<ObjectLiteral>) => SelectQueryBuilder<ObjectLiteral>,
  offset: number,
  limit: number,
): Promise<Row[]> {
  const not = (g: GroupSql) => `(${g.all}) IS NOT TRUE`;
  const branches = [
    ...groups.map((g, i) => [g.all, ...groups.slice(0, i).map(not)].join(" AND ")),
    groups.map(not).join(" AND "),
  ];
  const rows: Row[] = [];
  let skip = offset;
  for (const where of branches) {
    const need = limit - rows.length;
    if (need <= 0) break;
    const got = await ordered(page.clone().andWhere(where)).offset(skip).limit(need).getRawMany();
    rows.push(...got);
    if (got.length > 0) skip = 0;
    else if (skip > 0) {
      const n = await page.clone().andWhere(where).select("count(*)", "n").getRawOne<{ n: string }>();
      skip -= Number(n!.n);
    }
  }
  return rows;
}
