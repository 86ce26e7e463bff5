/**
 * Presentations of references the API handed out without them (filled tabular rows, register
 * records): collects the ids per catalog or document kind from rows and fields, then asks the
 * list route — by id for a few, by pages for many — and returns uuid → presentation.
 */
import { get } from "./api.ts";
import type { FieldMeta } from "./meta.ts";

type Rows = Record<string, unknown>[];

const PAGE = 1000;
const MAX_PAGES = 20;
const BY_ID = 10;

export async function resolveRefs(
  fields: FieldMeta[],
  rows: Rows,
  known: Record<string, string> = {},
): Promise<Record<string, string>> {
  const wanted = new Map<string, Set<string>>();
  for (const f of fields) {
    if (f.type.kind !== "ref" || f.type.target === "enum") continue;
    const route = `/${f.type.target === "catalog" ? "catalogs" : "documents"}/${f.type.name}`;
    for (const r of rows) {
      const v = r[f.name];
      if (typeof v === "string" && v && !(v in known)) {
        if (!wanted.has(route)) wanted.set(route, new Set());
        wanted.get(route)!.add(v);
      }
    }
  }
  const out: Record<string, string> = {};
  await Promise.all([...wanted].map(([route, ids]) => fetchSome(route, ids, out)));
  return out;
}

async function fetchSome(route: string, ids: Set<string>, out: Record<string, string>): Promise<void> {
  type Page = { rows: { id: string; presentation?: string }[]; total: number };
  if (ids.size <= BY_ID) {
    await Promise.all(
      [...ids].map(async (id) => {
        const r = await get<Page>(`${route}?id=${id}&limit=1`).catch(() => null);
        const row = r?.rows[0];
        if (row) out[id] = row.presentation ?? id;
      }),
    );
    return;
  }
  const missing = new Set(ids);
  for (let page = 0; page < MAX_PAGES && missing.size; page++) {
    const r = await get<Page>(`${route}?offset=${page * PAGE}&limit=${PAGE}`).catch(() => null);
    if (!r) break;
    for (const row of r.rows) {
      if (missing.delete(row.id)) out[row.id] = row.presentation ?? row.id;
    }
    if ((page + 1) * PAGE >= r.total) break;
  }
}
