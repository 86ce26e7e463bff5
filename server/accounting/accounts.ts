/**
 * The accounts of a chart in one data area, as the accounting engine uses them: read from the
 * chart's catalog table (metadata/accounting.ts) in one query per posting or read, with the
 * predefined accounts of the YAML written in first when any is missing (each has a fixed id
 * derived from the chart and its code, so every area and every process agrees on it; a code the
 * administrator took already is left as it is). An account is named by its code ("62.01") or
 * its id; a filter by an account covers its sub-accounts.
 */
import { createHash } from "node:crypto";
import type { AccountKind, ChartOfAccountsMeta, Configuration } from "../metadata/types.ts";
import { ANALYTICS_FIELDS } from "../metadata/accounting.ts";
import { UserError, type ErrorTarget } from "../errors.ts";
import type { Client } from "../storage/db.ts";
import { catalogTable, col, q } from "../storage/naming.ts";

export interface Account {
  id: string;
  code: string;
  name: string;
  kind: AccountKind;
  parent: string | null;
  offBalance: boolean;
  quantity: boolean;
  /** Analytics kinds in slot order (Analytics1..3); a sub-account without its own takes its parent's. */
  analytics: string[];
  /** Has sub-accounts: entries go to one of them. */
  hasChildren: boolean;
}

export interface ChartAccounts {
  chart: ChartOfAccountsMeta;
  byId: Map<string, Account>;
  /** By code, lower case. */
  byCode: Map<string, Account>;
  /** Ids and lower-case codes of every row, those marked for deletion included. */
  stored: Set<string>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The fixed id of a predefined account: a name-based UUID (version 5 layout) of the chart and code. */
export function predefinedId(chart: string, code: string): string {
  const h = createHash("sha1").update(`chartOfAccounts:${chart}:${code.toLowerCase()}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

const ANALYTICS_COLS = ANALYTICS_FIELDS.map((f) => col(f));

async function select(c: Client, chart: ChartOfAccountsMeta): Promise<ChartAccounts> {
  const r = await c.query(
    `SELECT id, code, name, parent, ${q(col("Kind"))} AS kind, ${q(col("OffBalance"))} AS off_balance,
            ${q(col("Quantity"))} AS quantity, ${ANALYTICS_COLS.map((a) => q(a)).join(", ")}
            , deletion_mark
       FROM ${q(catalogTable(chart.name))}`,
  );
  const byId = new Map<string, Account>();
  const byCode = new Map<string, Account>();
  const stored = new Set<string>();
  for (const row of r.rows) {
    stored.add(row.id);
    stored.add(String(row.code).toLowerCase());
    if (row.deletion_mark) continue; // marked for deletion: takes no entries, names no filter
    const a: Account = {
      id: row.id,
      code: row.code,
      name: row.name,
      kind: (row.kind ?? "activePassive") as AccountKind,
      parent: row.parent ?? null,
      offBalance: row.off_balance === true,
      quantity: row.quantity === true,
      analytics: ANALYTICS_COLS.map((x) => row[x]).filter((v): v is string => typeof v === "string" && v !== ""),
      hasChildren: false,
    };
    byId.set(a.id, a);
    byCode.set(a.code.toLowerCase(), a);
  }
  for (const a of byId.values()) {
    const p = a.parent ? byId.get(a.parent) : undefined;
    if (p) p.hasChildren = true;
  }
  // Sub-accounts without analytics of their own take their parent's (parents first: walk up).
  const own = (a: Account): string[] => {
    if (a.analytics.length || !a.parent) return a.analytics;
    const p = byId.get(a.parent);
    return p ? own(p) : [];
  };
  for (const a of byId.values()) a.analytics = own(a);
  return { chart, byId, byCode, stored };
}

/** Writes the predefined accounts the area lacks (by id), parents first, in one statement. */
async function insertPredefined(c: Client, ch: ChartAccounts): Promise<void> {
  const name = ch.chart.name;
  const rows = ch.chart.accounts
    .filter((a) => !ch.stored.has(predefinedId(name, a.code)))
    .map((a) => ({
      id: predefinedId(name, a.code),
      code: a.code,
      name: a.name,
      parent: a.parent ? (ch.byCode.get(a.parent.toLowerCase())?.id ?? predefinedId(name, a.parent)) : null,
      kind: a.kind,
      off_balance: a.offBalance,
      quantity: a.quantity,
      a1: a.analytics[0] ?? null,
      a2: a.analytics[1] ?? null,
      a3: a.analytics[2] ?? null,
    }));
  if (rows.length === 0) return;
  const cols = ["id", "code", "name", "parent", col("Kind"), col("OffBalance"), col("Quantity"), ...ANALYTICS_COLS];
  await c.query(
    `INSERT INTO ${q(catalogTable(name))} (${cols.map(q).join(", ")})
     SELECT x.id, x.code, x.name, x.parent, x.kind, x.off_balance, x.quantity, x.a1, x.a2, x.a3
       FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, code text, name text, parent uuid, kind text,
            off_balance boolean, quantity boolean, a1 text, a2 text, a3 text)
     ON CONFLICT DO NOTHING`,
    [JSON.stringify(rows)],
  );
}

/** The chart's accounts in the current data area, the predefined ones written in first if any is missing. */
export async function chartAccounts(c: Client, chart: ChartOfAccountsMeta): Promise<ChartAccounts> {
  let ch = await select(c, chart);
  if (
    chart.accounts.some((a) => !ch.stored.has(predefinedId(chart.name, a.code)) && !ch.stored.has(a.code.toLowerCase()))
  ) {
    await insertPredefined(c, ch);
    ch = await select(c, chart);
  }
  return ch;
}

/** Writes the predefined accounts of every chart into the current data area (the start, initial data). */
export async function ensurePredefinedAccounts(c: Client, conf: Configuration): Promise<void> {
  for (const chart of conf.chartsOfAccounts.values()) await chartAccounts(c, chart);
}

/** An account by code or id, or undefined. */
export function findAccount(ch: ChartAccounts, value: unknown): Account | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  return UUID.test(value) ? ch.byId.get(value.toLowerCase()) : ch.byCode.get(value.toLowerCase());
}

/** An account by code or id; a missing one is refused naming the chart and where it was asked for. */
export function accountOf(ch: ChartAccounts, value: unknown, where: string, target: ErrorTarget = {}): Account {
  const a = findAccount(ch, value);
  if (a) return a;
  throw new UserError(
    `${where}: счета «${String(value)}» нет в плане счетов «${ch.chart.synonym}»`,
    target,
    "unknown_account",
  );
}

/** The account and all its sub-accounts, as ids. */
export function withSubaccounts(ch: ChartAccounts, a: Account): string[] {
  const children = new Map<string, string[]>();
  for (const x of ch.byId.values()) if (x.parent) children.set(x.parent, [...(children.get(x.parent) ?? []), x.id]);
  const out: string[] = [];
  const walk = (id: string) => {
    out.push(id);
    for (const k of children.get(id) ?? []) walk(k);
  };
  walk(a.id);
  return out;
}
