/**
 * Query-string parameters, checked before any work starts: paging (offset/limit integers,
 * limit at most 1000, default 50), sort by a known header field, equality filters that must
 * name a field of the object (or a dimension of a register) with a value of its type, dates
 * in at/from/to, and periodicity. Every mistake is a 400 that names the parameter.
 */
import type {
  AccumulationRegisterMeta,
  Configuration,
  Field,
  InformationRegisterMeta,
  TypeDef,
} from "../metadata/types.ts";
import { headerFields, type ObjMeta } from "../storage/objects.ts";
import { parseDateText, toDb, UUID_RE } from "../storage/values.ts";
import { AppError, badRequest } from "../errors.ts";
import { badCharacter } from "./text.ts";

export type Query = Record<string, unknown>;

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 1000;
export const PERIODICITIES = ["day", "month", "year", "none"] as const;
export type Periodicity = (typeof PERIODICITIES)[number];

export interface ListParams {
  search?: string;
  sort?: string;
  offset: number;
  limit: number;
  filter: Record<string, unknown>;
  /** count=false: no total unless the page shows it (see storage/list.ts). */
  count: boolean;
}

/** The single text value of a parameter; repeated parameters are refused. */
export function single(query: Query, name: string): string | undefined {
  const v = query[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw badRequest(`Параметр ${name} указан несколько раз или в неверном виде`, name);
  const bad = badCharacter(v);
  if (bad) throw badRequest(`Параметр ${name}: ${bad}`, name);
  return v;
}

function nonNegativeInt(query: Query, name: string, dflt: number, max?: number): number {
  const v = single(query, name);
  if (v === undefined || v === "") return dflt;
  if (!/^\d{1,9}$/.test(v))
    throw badRequest(`Параметр ${name}: ожидается целое число не меньше 0, получено «${v}»`, name);
  const n = Number(v);
  if (max !== undefined && n > max) throw badRequest(`Параметр ${name}: не больше ${max}, получено ${n}`, name);
  return n;
}

/** A boolean query parameter such as ?post=true. */
export function flag(query: Query, name: string): boolean | undefined {
  const v = single(query, name);
  if (v === undefined || v === "") return undefined;
  if (v === "true" || v === "1") return true;
  if (v === "false" || v === "0") return false;
  throw badRequest(`Параметр ${name}: ожидается true или false, получено «${v}»`, name);
}

/**
 * A date or date-and-time parameter, normalised to 'YYYY-MM-DDTHH:MM:SS'. A bare date means
 * the start of that day, or its end (23:59:59) with `endOfDay` (at= and to= include the day).
 */
export function dateParam(
  query: Query,
  name: string,
  opts: { required?: boolean; endOfDay?: boolean } = {},
): string | undefined {
  const required = opts.required ?? false;
  const v = single(query, name);
  if (v === undefined || v === "") {
    if (required) throw badRequest(`Не указан параметр ${name} (дата ГГГГ-ММ-ДД)`, name);
    return undefined;
  }
  const d = parseDateText(v, true);
  if (d && opts.endOfDay && /^\d{4}-\d{2}-\d{2}$/.test(v.trim())) return d.slice(0, 10) + "T23:59:59";
  if (!d)
    throw badRequest(`Параметр ${name}: ожидается дата ГГГГ-ММ-ДД или ГГГГ-ММ-ДДTчч:мм:сс, получено «${v}»`, name);
  return d;
}

/** A filter value from the query string, checked and converted for its type ("" = empty). */
export function filterValue(conf: Configuration, name: string, t: TypeDef, raw: string): unknown {
  let v: unknown = raw;
  if (t.kind === "boolean") {
    if (raw === "true") v = true;
    else if (raw === "false") v = false;
    else throw badRequest(`Параметр ${name}: ожидается true или false, получено «${raw}»`, name);
  }
  try {
    return toDb(conf, t, v, `Параметр ${name}`, { field: name });
  } catch (e) {
    if (e instanceof AppError) throw badRequest(e.message, name);
    throw e;
  }
}

const kindGenitive = (m: ObjMeta) => (m.kind === "catalog" ? `справочника ${m.name}` : `документа ${m.name}`);

/** ?search=&sort=&offset=&limit=&<Field>=value for lists of catalogs and documents. */
export function listParams(conf: Configuration, m: ObjMeta, query: Query, reserved: string[] = []): ListParams {
  const fields = headerFields(m);
  const names = fields.map((f) => f.name);
  const search = single(query, "search");
  if (search !== undefined && search.length > 200)
    throw badRequest("Параметр search: не длиннее 200 символов", "search");
  const sort = single(query, "sort") || undefined;
  if (sort !== undefined && !names.includes(sort.replace(/^-/, "")))
    throw badRequest(
      `Нельзя упорядочить по полю «${sort.replace(/^-/, "")}»: у ${kindGenitive(m)} нет такого поля (можно: ${names.join(", ")})`,
      "sort",
    );
  const filter: Record<string, unknown> = {};
  for (const key of Object.keys(query)) {
    if (["search", "sort", "offset", "limit", "count", ...reserved].includes(key)) continue;
    const f = fields.find((x) => x.name === key);
    if (!f)
      throw badRequest(
        `Неизвестный параметр ${key}: у ${kindGenitive(m)} нет такого поля (отбор возможен по: ${names.join(", ")})`,
        key,
      );
    const raw = single(query, key)!;
    if (f.name === "id") {
      if (!UUID_RE.test(raw)) throw badRequest(`Параметр id: ожидается UUID, получено «${raw}»`, "id");
      filter.id = raw.toLowerCase();
    } else filter[key] = filterValue(conf, key, f.type, raw);
  }
  return {
    search: search || undefined,
    sort,
    offset: nonNegativeInt(query, "offset", 0),
    limit: nonNegativeInt(query, "limit", DEFAULT_LIMIT, MAX_LIMIT),
    filter,
    count: booleanParam(query, "count", true),
  };
}

function booleanParam(query: Query, name: string, dflt: boolean): boolean {
  const v = single(query, name);
  if (v === undefined) return dflt;
  if (v === "true" || v === "1") return true;
  if (v === "false" || v === "0") return false;
  throw badRequest(`Параметр ${name}: ожидается true или false, получено «${v}»`, name);
}

/** Dimension filters of a register: every other parameter must be a dimension name. */
export function dimensionFilter(
  conf: Configuration,
  r: AccumulationRegisterMeta | InformationRegisterMeta,
  query: Query,
  reserved: string[],
): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  const dims: Field[] = r.dimensions;
  for (const key of Object.keys(query)) {
    if (reserved.includes(key)) continue;
    const d = dims.find((x) => x.name === key);
    if (!d) {
      const allowed = [...reserved, ...dims.map((x) => x.name)].join(", ");
      throw badRequest(
        `Неизвестный параметр ${key}: у регистра ${r.name} нет такого измерения (можно: ${allowed})`,
        key,
      );
    }
    filter[key] = filterValue(conf, key, d.type, single(query, key)!);
  }
  return filter;
}

export function periodicityParam(query: Query): Periodicity {
  const v = single(query, "periodicity");
  if (v === undefined || v === "") return "none";
  if (!(PERIODICITIES as readonly string[]).includes(v))
    throw badRequest(`Параметр periodicity: одно из ${PERIODICITIES.join(", ")}, получено «${v}»`, "periodicity");
  return v as Periodicity;
}

/** ?offset=&limit= of a register's record list. */
export function pageParams(query: Query): { offset: number; limit: number } {
  return {
    offset: nonNegativeInt(query, "offset", 0),
    limit: nonNegativeInt(query, "limit", DEFAULT_LIMIT, MAX_LIMIT),
  };
}

/** Refuses from > to. */
export function checkRange(from: string, to: string): void {
  if (from > to) throw badRequest(`Начало периода (${from}) позже его конца (${to})`, "from");
}
