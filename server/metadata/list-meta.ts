/**
 * A catalog's or document's `list` (docs/metadata.md#lists): what its list form shows and how it
 * is searched and ordered by default — the columns (header fields in order), the fields the
 * quick search looks in, the default sort, and row groups: conditions on header fields whose
 * rows come first in the default order (group by group, then the rest) and may be shown in a
 * colour. load.ts normalizes the YAML (once schema.json has accepted it) with normalizeList;
 * checkLists cross-checks the names and values against the object's fields; storage/list.ts
 * turns it into SQL.
 */
import { relative } from "node:path";
import type { CatalogMeta, Configuration, DocumentMeta, MetadataIssue } from "./types.ts";
import { headerFields } from "../storage/objects.ts";
import { toDb } from "../storage/values.ts";
import { q } from "../storage/naming.ts";

type Scalar = string | number | boolean;

/** A condition on one field as the YAML writes it: a value, a list of values, or an operator. */
export type RawCondition =
  | Scalar
  | Scalar[]
  | { in?: Scalar[]; notIn?: Scalar[]; before?: "now"; after?: "now"; empty?: boolean };

/** The YAML's `list`, as schema.json accepts it. */
export interface RawList {
  columns?: string[];
  search?: string[];
  sort?: string;
  groups?: { name: string; synonym?: string; where: Record<string, RawCondition>; color?: string }[];
}

/** One normalized condition: `field` compared by `op` (values already as the YAML gives them). */
export interface ListCondition {
  field: string;
  op: "in" | "notIn" | "beforeNow" | "afterNow" | "empty" | "filled";
  values: Scalar[];
}

/** A row group: rows meeting every condition; the first group a row meets is its group. */
export interface ListGroup {
  name: string;
  synonym: string;
  where: ListCondition[];
  /** The rows' text colour "#rrggbb" in the list, or null. */
  color: string | null;
}

export interface ListMeta {
  /** Header field names shown as the list's columns, in order; absent: every header field. */
  columns?: string[];
  /** Header field names the quick search looks in; absent: number and comment (code and name of a catalog). */
  search?: string[];
  /** The default order: a header field, "-" first for descending; absent: the platform's. */
  sort?: string;
  groups: ListGroup[];
}

function conditions(where: Record<string, RawCondition>): ListCondition[] {
  const out: ListCondition[] = [];
  for (const [field, c] of Object.entries(where)) {
    if (Array.isArray(c)) out.push({ field, op: "in", values: c });
    else if (typeof c !== "object") out.push({ field, op: "in", values: [c] });
    else {
      if (c.in) out.push({ field, op: "in", values: c.in });
      if (c.notIn) out.push({ field, op: "notIn", values: c.notIn });
      if (c.before) out.push({ field, op: "beforeNow", values: [] });
      if (c.after) out.push({ field, op: "afterNow", values: [] });
      if (c.empty !== undefined) out.push({ field, op: c.empty ? "empty" : "filled", values: [] });
    }
  }
  return out;
}

export function normalizeList(raw: RawList): ListMeta {
  return {
    ...(raw.columns ? { columns: raw.columns } : {}),
    ...(raw.search ? { search: raw.search } : {}),
    ...(raw.sort ? { sort: raw.sort } : {}),
    groups: (raw.groups ?? []).map((g) => ({
      name: g.name,
      synonym: g.synonym ?? g.name,
      where: conditions(g.where),
      color: g.color ?? null,
    })),
  };
}

/** Cross-checks every catalog's and document's `list`: the fields are the object's, the values fit their types. */
export function checkLists(conf: Configuration, issues: MetadataIssue[]): void {
  for (const m of [...conf.catalogs.values(), ...conf.documents.values()])
    if (m.list) checkOne(conf, m, m.list, issues);
}

function checkOne(conf: Configuration, m: CatalogMeta | DocumentMeta, l: ListMeta, issues: MetadataIssue[]): void {
  const file = relative(process.cwd(), m.file);
  const issue = (path: string, message: string) => issues.push({ file, path: `/list${path}`, message });
  const fields = headerFields(m).filter((f) => f.name !== "id" && f.name !== "version");
  const names = fields.map((f) => f.name).join(", ");
  const fieldOf = (name: string, path: string) => {
    const f = fields.find((x) => x.name === name);
    if (!f) issue(path, `${m.kind} ${m.name} has no header field "${name}" (it has: ${names})`);
    return f;
  };
  l.columns?.forEach((c, i) => fieldOf(c, `/columns/${i}`));
  l.search?.forEach((s, i) => {
    const f = fieldOf(s, `/search/${i}`);
    if (f && f.type.kind !== "string" && !(f.type.kind === "ref" && f.type.target !== "document"))
      issue(
        `/search/${i}`,
        `the quick search looks in strings, enums and catalog references; "${s}" is ${f.type.kind}`,
      );
  });
  if (l.sort) fieldOf(l.sort.replace(/^-/, ""), "/sort");
  const seen = new Set<string>();
  l.groups.forEach((g, i) => {
    if (seen.has(g.name)) issue(`/groups/${i}/name`, `duplicate group "${g.name}"`);
    seen.add(g.name);
    for (const c of g.where) {
      const path = `/groups/${i}/where/${c.field}`;
      const f = fieldOf(c.field, path);
      if (!f) continue;
      if ((c.op === "beforeNow" || c.op === "afterNow") && f.type.kind !== "date" && f.type.kind !== "datetime")
        issue(path, `before/after now compares dates; "${c.field}" is ${f.type.kind}`);
      for (const v of c.values) {
        if (f.type.kind === "ref" && f.type.target === "enum") {
          const e = conf.enums.get(f.type.name);
          if (e && !e.values.some((x) => x.name === v))
            issue(
              path,
              `"${v}" is not a value of enum ${e.name} (its values: ${e.values.map((x) => x.name).join(", ")})`,
            );
          continue;
        }
        try {
          toDb(conf, f.type, v, c.field, { field: c.field });
        } catch (e) {
          issue(path, (e as Error).message);
        }
      }
    }
  });
}

/** A SQL literal of a value already converted for its column (toDb): text quoted, numbers and booleans as they are. */
function literal(v: unknown): string {
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return `'${String(v).replace(/'/g, "''")}'`;
}

/** A group's conditions as SQL: `prefix` before each column ("h." or ""), now as :listNow / :listToday. */
export interface GroupSql {
  /** Every condition, ANDed. */
  all: string;
  /** Only those not depending on the clock (a partial index's predicate), ANDed; null: none. */
  fixed: string | null;
}

/**
 * The SQL of each group of a list (metadata `list.groups`): values as literals (the metadata's
 * own, checked on load), so a partial index on a group's fixed conditions and the list's query
 * read the same text; "now" is a parameter — :listNow for datetimes, :listToday for dates.
 */
export function groupsSql(conf: Configuration, m: CatalogMeta | DocumentMeta, prefix: string): GroupSql[] {
  const fields = headerFields(m);
  return (m.list?.groups ?? []).map((g) => {
    const fixed: string[] = [];
    const timed: string[] = [];
    for (const cond of g.where) {
      const f = fields.find((x) => x.name === cond.field)!;
      const c = `${prefix}${q(f.column)}`;
      const values = () =>
        cond.values
          .map((v) =>
            literal(
              f.type.kind === "ref" && f.type.target === "enum"
                ? v
                : toDb(conf, f.type, v, cond.field, { field: cond.field }),
            ),
          )
          .join(", ");
      const blank =
        f.type.kind === "string" || (f.type.kind === "ref" && f.type.target === "enum") ? ` OR ${c} = ''` : "";
      const now = f.type.kind === "date" ? ":listToday" : ":listNow";
      switch (cond.op) {
        case "in":
          fixed.push(`${c} IN (${values()})`);
          break;
        case "notIn":
          fixed.push(`(${c} IS NULL OR ${c} NOT IN (${values()}))`);
          break;
        case "empty":
          fixed.push(`(${c} IS NULL${blank})`);
          break;
        case "filled":
          fixed.push(`NOT (${c} IS NULL${blank})`);
          break;
        case "beforeNow":
          timed.push(`${c} < ${now}`);
          break;
        case "afterNow":
          timed.push(`${c} > ${now}`);
          break;
      }
    }
    return { all: [...timed, ...fixed].join(" AND "), fixed: fixed.length ? fixed.join(" AND ") : null };
  });
}

/** The default order's field of a list: the declared `sort`, else date (a catalog's code, or name). */
export function defaultSort(m: CatalogMeta | DocumentMeta): { field: string; desc: boolean } {
  if (m.list?.sort) return { field: m.list.sort.replace(/^-/, ""), desc: m.list.sort.startsWith("-") };
  return { field: m.kind === "document" ? "date" : m.codeLength > 0 ? "code" : "name", desc: false };
}
