/**
 * Virtual tables of accounting registers (1C's Остатки, Обороты, ОстаткиИОбороты, ОборотыДтКт),
 * read from the register's storage (metadata/accounting.ts) by the accumulation registers' own
 * readers (registers/read.ts), so none scans history: a key's balance is its debits minus its
 * credits, which those readers keep per month. What this module adds:
 *  - the filter: `Account` by code or id (or an array of them) covers the account's sub-accounts;
 *    Analytics1..3 as stored (a UUID, an enum value's name);
 *  - the sides: per (account, analytics) a balance is shown on its side, per 1C's СуммаОстатокДт /
 *    СуммаОстатокКт — an active account's on the debit (negative if it went below zero), a
 *    passive account's on the credit, an active-passive account's on the side it lies on, per
 *    analytics (the expanded balance: summing the rows of an account gives it);
 *  - correspondence turnovers: per (Дт, Кт) account pair over a period, from the movements.
 * Rows name the account by its code (`Account`) with its id (`AccountId`); resources as decimal
 * strings: <R>Dr / <R>Cr (balance), <R>TurnoverDr / <R>TurnoverCr, <R>OpeningBalanceDr / …Cr,
 * <R>ClosingBalanceDr / …Cr, where R is Amount (and Quantity).
 */
import { Decimal } from "decimal.js";
import { invariant, UserError } from "../errors.ts";
import { ANALYTICS_FIELDS } from "../metadata/accounting.ts";
import type { AccountingRegisterMeta, Configuration } from "../metadata/types.ts";
import { balance, balanceAndTurnovers, type Periodicity, readRecordSets, turnovers } from "../registers/index.ts";
import { listMovements } from "../registers/movements.ts";
import { accShape, resOut } from "../registers/shape.ts";
import { EMPTY_REF } from "../storage/columns.ts";
import type { Client } from "../storage/db.ts";
import { q } from "../storage/naming.ts";
import { type Account, type ChartAccounts, chartAccounts, findAccount, withSubaccounts } from "./accounts.ts";
import { analyticsOut, pairEntries } from "./entries.ts";

type Row = Record<string, unknown>;
export type AccountingFilter = Record<string, unknown>;

async function chartOf(c: Client, conf: Configuration, reg: AccountingRegisterMeta): Promise<ChartAccounts> {
  const chart = conf.chartsOfAccounts.get(reg.chart);
  invariant(chart, `chart ${reg.chart} of register ${reg.name} exists`);
  return chartAccounts(c, chart);
}

/** Account ids of a filter value (a code, an id, or an array of them), each with its sub-accounts. */
function accountIds(reg: AccountingRegisterMeta, ch: ChartAccounts, value: unknown, field: string): string[] {
  const ids = new Set<string>();
  for (const v of Array.isArray(value) ? value : [value]) {
    const a = findAccount(ch, v);
    if (!a)
      throw new UserError(
        `${reg.synonym}, отбор ${field}: счета «${String(v)}» нет в плане счетов «${ch.chart.synonym}»`,
        { field },
        "unknown_account",
      );
    for (const id of withSubaccounts(ch, a)) ids.add(id);
  }
  return [...ids];
}

/**
 * The filter as the storage's: Account → ids with sub-accounts (one id as a plain value);
 * Analytics1..3 as they are. The slots past the analytics the filtered accounts have are pinned
 * to the empty value, so a filter naming an account and all its analytics is one key of the
 * storage — read by the totals and at most half a month of its movements, whatever the history.
 */
function storageFilter(reg: AccountingRegisterMeta, ch: ChartAccounts, filter: AccountingFilter | undefined): Row {
  const out: Row = {};
  let accounts: string[] | null = null;
  for (const [k, v] of Object.entries(filter ?? {})) {
    if (v === undefined) continue;
    if (k === "Account") {
      accounts = accountIds(reg, ch, v, k);
      out.Account = accounts.length === 1 ? accounts[0] : accounts;
    } else if ((ANALYTICS_FIELDS as readonly string[]).includes(k)) out[k] = v;
    else
      throw new UserError(
        `${reg.synonym}: отбор по «${k}» невозможен (можно: Account, ${ANALYTICS_FIELDS.join(", ")})`,
        { field: k },
        "invalid_filter",
      );
  }
  if (accounts) {
    const used = Math.max(0, ...accounts.map((id) => ch.byId.get(id)?.analytics.length ?? ANALYTICS_FIELDS.length));
    for (const f of ANALYTICS_FIELDS.slice(used)) if (!(f in out)) out[f] = "";
  }
  return out;
}

/** The key of a storage row as an accounting row: account code and id, analytics slots and by kind. */
function keyOut(ch: ChartAccounts, row: Row): { out: Row; account: Account | undefined } {
  const account = row.Account ? ch.byId.get(String(row.Account)) : undefined;
  const out: Row = { Account: account?.code ?? null, AccountId: row.Account ?? null };
  for (const f of ANALYTICS_FIELDS) out[f] = row[f] ?? null;
  out.Analytics = analyticsOut(account, row);
  if ("period" in row) out.period = row.period;
  return { out, account };
}

/**
 * A net (debit minus credit) balance on its sides by the account's kind (1C's СуммаОстатокДт /
 * Кт): an active account's on the debit, a passive one's on the credit, an active-passive one's on
 * the side of its sign. For the reads below and the configuration's reports (server/api.ts).
 */
export function balanceSides(kind: Account["kind"] | undefined, net: Decimal): { dr: Decimal; cr: Decimal } {
  const zero = new Decimal(0);
  if (kind === "active") return { dr: net, cr: zero };
  if (kind === "passive") return { dr: zero, cr: net.neg() };
  return net.isNeg() ? { dr: zero, cr: net.neg() } : { dr: net, cr: zero };
}

const scaleOf = (reg: AccountingRegisterMeta) =>
  reg.resources.map((r) => ({ name: r.name, scale: r.type.kind === "number" ? r.type.scale : 0 }));

/** Balances at `at` (inclusive; omitted: all entries) per account and analytics: <R>Dr, <R>Cr. */
export async function accountingBalance(
  c: Client,
  conf: Configuration,
  reg: AccountingRegisterMeta,
  at?: string,
  filter?: AccountingFilter,
): Promise<Row[]> {
  const ch = await chartOf(c, conf, reg);
  const rows = await balance(c, reg.storage, at, storageFilter(reg, ch, filter));
  return rows.map((row) => {
    const { out, account } = keyOut(ch, row);
    for (const r of scaleOf(reg)) {
      const { dr, cr } = balanceSides(account?.kind, new Decimal(String(row[r.name] ?? 0)));
      out[`${r.name}Dr`] = resOut(r, dr);
      out[`${r.name}Cr`] = resOut(r, cr);
    }
    return out;
  });
}

/** Debit and credit turnovers over [from, to] per account and analytics (and period): <R>TurnoverDr, <R>TurnoverCr. */
export async function accountingTurnovers(
  c: Client,
  conf: Configuration,
  reg: AccountingRegisterMeta,
  from: string,
  to: string,
  periodicity: Periodicity = "none",
  filter?: AccountingFilter,
): Promise<Row[]> {
  const ch = await chartOf(c, conf, reg);
  const rows = await turnovers(c, reg.storage, from, to, periodicity, storageFilter(reg, ch, filter));
  return rows.map((row) => {
    const { out } = keyOut(ch, row);
    for (const r of reg.resources) {
      out[`${r.name}TurnoverDr`] = row[`${r.name}Receipt`];
      out[`${r.name}TurnoverCr`] = row[`${r.name}Expense`];
    }
    return out;
  });
}

/**
 * Opening balance, turnovers and closing balance over [from, to] per account and analytics (and
 * period): <R>OpeningBalanceDr/Cr, <R>TurnoverDr/Cr, <R>ClosingBalanceDr/Cr.
 */
export async function accountingBalanceAndTurnovers(
  c: Client,
  conf: Configuration,
  reg: AccountingRegisterMeta,
  from: string,
  to: string,
  periodicity: Periodicity = "none",
  filter?: AccountingFilter,
): Promise<Row[]> {
  const ch = await chartOf(c, conf, reg);
  const rows = await balanceAndTurnovers(c, reg.storage, from, to, periodicity, storageFilter(reg, ch, filter));
  return rows.map((row) => {
    const { out, account } = keyOut(ch, row);
    for (const r of scaleOf(reg)) {
      const { dr: od, cr: oc } = balanceSides(account?.kind, new Decimal(String(row[`${r.name}Opening`] ?? 0)));
      const { dr: cd, cr: cc } = balanceSides(account?.kind, new Decimal(String(row[`${r.name}Closing`] ?? 0)));
      out[`${r.name}OpeningBalanceDr`] = resOut(r, od);
      out[`${r.name}OpeningBalanceCr`] = resOut(r, oc);
      out[`${r.name}TurnoverDr`] = row[`${r.name}Receipt`];
      out[`${r.name}TurnoverCr`] = row[`${r.name}Expense`];
      out[`${r.name}ClosingBalanceDr`] = resOut(r, cd);
      out[`${r.name}ClosingBalanceCr`] = resOut(r, cc);
    }
    return out;
  });
}

/**
 * Correspondence turnovers (1C's ОборотыДтКт) over [from, to]: per (AccountDr, AccountCr) pair
 * the sum of the entries; a one-sided entry of an off-balance account has null on its other side.
 * Filters AccountDr / AccountCr (codes or ids, with sub-accounts). Reads the period's movements.
 */
export async function correspondence(
  c: Client,
  conf: Configuration,
  reg: AccountingRegisterMeta,
  from: string,
  to: string,
  filter: { AccountDr?: unknown; AccountCr?: unknown } = {},
): Promise<Row[]> {
  const ch = await chartOf(c, conf, reg);
  const s = accShape(reg.storage);
  const col = (name: string) => q([...s.dims, ...s.res, ...s.attrs].find((x) => x.f.name === name)!.col);
  const res = reg.resources.map((r) => ({
    name: r.name,
    col: col(r.name),
    scale: r.type.kind === "number" ? r.type.scale : 0,
  }));
  const r = await c.query(
    `SELECT m.${col("Account")} AS account, m.${col("CorrAccount")} AS corr, m.record_kind,
            ${res.map((x, i) => `sum(m.${x.col}) AS r${i}`).join(", ")}
       FROM ${q(s.table)} m
      WHERE m.period >= $1::timestamp AND m.period <= $2::timestamp
        AND (m.record_kind = 1 OR m.${col("CorrAccount")} IS NULL OR m.${col("CorrAccount")} = $3::uuid)
      GROUP BY 1, 2, 3`,
    [from, to, EMPTY_REF],
  );
  const drIds = filter.AccountDr !== undefined ? new Set(accountIds(reg, ch, filter.AccountDr, "AccountDr")) : null;
  const crIds = filter.AccountCr !== undefined ? new Set(accountIds(reg, ch, filter.AccountCr, "AccountCr")) : null;
  const empty = (v: unknown) => v === null || v === undefined || v === EMPTY_REF;
  const out: Row[] = [];
  for (const row of r.rows) {
    const dr = row.record_kind === 1 ? row.account : null;
    const cr = row.record_kind === 1 ? (empty(row.corr) ? null : row.corr) : row.account;
    if (drIds && (!dr || !drIds.has(dr))) continue;
    if (crIds && (!cr || !crIds.has(cr))) continue;
    const e: Row = {
      AccountDr: dr ? (ch.byId.get(dr)?.code ?? dr) : null,
      AccountCr: cr ? (ch.byId.get(cr)?.code ?? cr) : null,
    };
    res.forEach((x, i) => {
      e[x.name] = resOut(x, row[`r${i}`]);
    });
    out.push(e);
  }
  const key = (x: Row) => `${x.AccountDr ?? ""}\u0000${x.AccountCr ?? ""}`;
  return out.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/**
 * Entries of a period (1C's записи регистра) in period, recorder and entry order, at most `limit`
 * (default 1000): period, recorder, recorderKind, AccountDr/Cr, AnalyticsDr/Cr, Amount, Content.
 * `Account` filters either side (with sub-accounts).
 */
export async function listEntries(
  c: Client,
  conf: Configuration,
  reg: AccountingRegisterMeta,
  o: { from: string; to: string; filter?: AccountingFilter; limit?: number },
): Promise<Row[]> {
  const ch = await chartOf(c, conf, reg);
  const limit = Math.max(0, Math.floor(o.limit ?? 1000));
  const f = storageFilter(reg, ch, o.filter);
  const moves = await listMovements(c, reg.storage, { from: o.from, to: o.to, filter: f, limit: limit * 2 });
  // An entry whose other side the filter left out: that side is read from its recorder's set.
  const key = (m: Row) => `${m.recorder}#${m.Entry}`;
  const count = new Map<string, number>();
  for (const m of moves) count.set(key(m), (count.get(key(m)) ?? 0) + 1);
  const lacking = new Set(moves.filter((m) => count.get(key(m)) === 1 && m.CorrAccount).map((m) => String(m.recorder)));
  const kindOf = new Map(moves.map((m) => [String(m.recorder), m.recorderKind]));
  const read = new Set(moves.map((m) => `${m.recorder}:${m.line}`));
  const all = [...moves];
  // the recorders' sets in one statement (not one per document: an account's card reads thousands)
  for (const [recorder, set] of await readRecordSets(c, reg.storage, [...lacking]))
    for (const m of set) {
      const r = { ...m, recorder, recorderKind: kindOf.get(recorder) };
      if (count.get(key(r)) === 1 && !read.has(`${recorder}:${m.line}`)) all.push(r);
    }
  return pairEntries(reg, ch, all, "recorder")
    .map((e) => ({ ...e, recorderKind: kindOf.get(String(e.recorder)) ?? null }))
    .slice(0, limit);
}
