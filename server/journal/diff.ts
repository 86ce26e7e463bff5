/**
 * The compact before/after difference the journal keeps for a write: header fields that changed
 * with [old, new], and per tabular part the rows added, removed and changed. Rows are matched
 * first by equal content (so inserting a row in the middle shows one added row, not every
 * following row renumbered), then the rows left over pair up in order as "changed" rows with
 * their changed fields; what remains is added or removed. Each list keeps at most MAX_ROWS rows
 * and says how many more there were, so a document with 100 000 rows does not make a 100 MB entry.
 */
import type { Row } from "../storage/objects.ts";
import { canonicalJson } from "./canonical.ts";

export const MAX_ROWS = 200;

/** Fields that are bookkeeping, not data a user changed. */
const SKIP = new Set(["id", "version", "posted", "signed", "refs", "presentation", "line"]);

export interface RowsDiff {
  added: Row[];
  removed: Row[];
  changed: { line: number; was: number; fields: Record<string, [unknown, unknown]> }[];
  /** Rows beyond MAX_ROWS per list, left out. */
  more?: { added?: number; removed?: number; changed?: number };
}

export interface ObjectDiff {
  fields?: Record<string, [unknown, unknown]>;
  tables?: Record<string, RowsDiff>;
}

const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);
const empty = (v: unknown) =>
  v === null || v === undefined || v === "" || v === false || (Array.isArray(v) && v.length === 0);

function fieldChanges(before: Row, after: Row, names: string[]): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  for (const k of names) {
    if (SKIP.has(k)) continue;
    const [a, b] = [before[k] ?? null, after[k] ?? null];
    if (!same(a, b)) out[k] = [a, b];
  }
  return out;
}

function rowContent(r: Row): Row {
  const { line: _line, ...rest } = r;
  return rest;
}

function capped<T>(list: T[]): { kept: T[]; more: number } {
  return { kept: list.slice(0, MAX_ROWS), more: Math.max(0, list.length - MAX_ROWS) };
}

export function rowsDiff(before: Row[], after: Row[]): RowsDiff | null {
  if (before.length === 0 && after.length === 0) return null;
  if (before.length === 0 || after.length === 0) return finish(after, before, []); // created or cleared: nothing to match
  const pool = new Map<string, Row[]>();
  for (const r of before) {
    const k = canonicalJson(rowContent(r));
    if (!pool.has(k)) pool.set(k, []);
    pool.get(k)!.push(r);
  }
  const unmatchedNew: Row[] = [];
  for (const r of after) {
    const list = pool.get(canonicalJson(rowContent(r)));
    if (list?.length) list.shift();
    else unmatchedNew.push(r);
  }
  const left = new Set([...pool.values()].flat());
  const unmatchedOld = before.filter((r) => left.has(r));
  const n = Math.min(unmatchedOld.length, unmatchedNew.length);
  const changed: RowsDiff["changed"] = [];
  for (let i = 0; i < n; i++) {
    const [o, w] = [unmatchedOld[i], unmatchedNew[i]];
    const names = [...new Set([...Object.keys(o), ...Object.keys(w)])];
    changed.push({ line: Number(w.line), was: Number(o.line), fields: fieldChanges(o, w, names) });
  }
  return finish(unmatchedNew.slice(n), unmatchedOld.slice(n), changed);
}

function finish(added: Row[], removed: Row[], changed: RowsDiff["changed"]): RowsDiff | null {
  if (!added.length && !removed.length && !changed.length) return null;
  const [a, r, c] = [capped(added), capped(removed), capped(changed)];
  const out: RowsDiff = { added: a.kept, removed: r.kept, changed: c.kept };
  if (a.more || r.more || c.more)
    out.more = {
      ...(a.more ? { added: a.more } : {}),
      ...(r.more ? { removed: r.more } : {}),
      ...(c.more ? { changed: c.more } : {}),
    };
  return out;
}

/**
 * The difference between two versions of an object as the API reads it (null before = created,
 * null after = deleted: every non-empty field and row is listed). `tables` names its tabular parts.
 */
export function objectDiff(before: Row | null, after: Row | null, tables: string[]): ObjectDiff {
  const b = before ?? {};
  const a = after ?? {};
  const tableSet = new Set(tables);
  const names = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => !tableSet.has(k));
  const fields = fieldChanges(b, a, names);
  if (!before || !after)
    for (const k of Object.keys(fields)) if (empty(fields[k][0]) && empty(fields[k][1])) delete fields[k];
  const out: ObjectDiff = {};
  if (Object.keys(fields).length) out.fields = fields;
  for (const t of tables) {
    const d = rowsDiff((b[t] ?? []) as Row[], (a[t] ?? []) as Row[]);
    if (d) (out.tables ??= {})[t] = d;
  }
  return out;
}
