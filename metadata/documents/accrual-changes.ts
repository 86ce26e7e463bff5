// Изменения после начисления: marks on a posted GroupAccrual whose inputs changed (issue 15 §4).
// Not a metadata object (no YAML beside it): helpers of the documents that change an accrual's
// inputs — MeterReadings (a reading), TariffChange (a tariff), AccountServiceChange (a service
// connected, disconnected or its tariff kind changed) — and of GroupAccrual itself.
//
// The register AccrualChanges (non-periodic, written by recorders) holds, per posted
// GroupAccrual (dimension Accrual):
//  - one row per changing document and account or building it touches (Source = the document's
//    kind and id): when (Stamp, an ISO moment to the millisecond, and ChangedAt) and what
//    (Description, in Russian, naming the document);
//  - the accrual's own row (Source "GroupAccrual"), written by its posting: the Stamp taken when
//    that posting started, and what it accrued (Amount, Lines, Accounts, Changes).
// A change is pending while its Stamp is not before the accrual's own Stamp (a change of the
// same millisecond counts as pending: better one recomputation too many than a wrong bill).
// Reposting the accrual recomputes it and writes a newer own Stamp, so its marks stop being
// pending; reposting a changing document replaces its rows with a newer Stamp.
// Which accruals a change touches: every posted GroupAccrual that accrues services, of the
// change's first month or later (a reading of November changes November's consumption and the
// next month's previous reading; a tariff or a connection from a date changes every month from
// that date's), and that covers the account (its Accounts rows, or every account of its
// building / of all buildings when its table is empty) or, for a building's change (a house
// meter), an account of that building; a change with neither (a tariff) covers every accrual.
// Residents and owners (the register Residents, written directly, not by a document): its
// module's afterWrite (registers/Residents.ts) marks the same way through recordChangeMarks,
// into the independent register AccrualRecordChanges (a register's write has no recorder);
// accrualChanges and the form read both registers. The account card's Residents field is not
// a source of the charges once the account has Residents records (docs/residents.md).
import type { TypedMovementAdder } from "../../server/api.ts";
import { monthStart, nowMoment } from "../../server/api.ts";
import type { Configuration, GroupAccrualDocument, Query } from "../types.gen.ts";

type Register = Configuration["informationRegisters"]["AccrualChanges"];
type Mark = Awaited<ReturnType<Query["info"]["AccrualChanges"]["sliceLast"]>>[number];
type RecordMark = Awaited<ReturnType<Query["info"]["AccrualRecordChanges"]["sliceLast"]>>[number];

/** The independent register of the marks a register's direct write makes (no recorder). */
export const RECORD_CHANGES = "AccrualRecordChanges";

/** The Source of a GroupAccrual's own row. */
export const ACCRUAL_SOURCE = "GroupAccrual";

/** A moment to the millisecond, comparable as text (UTC). */
export const stampNow = (): string => new Date().toISOString();

export interface InputChange {
  /** The first month whose accrual the change touches: any day of it ('YYYY-MM-DD'). */
  from: string;
  /** The account changed, or the building (a house meter); neither: every account (a tariff). */
  account?: string | null;
  building?: string | null;
  /**
   * What changed, in Russian ("ХВС кв.001: 153,4205 на 25.11.2011"): called only for a change
   * that touches a posted accrual, after `prepare` (which may read names in bulk).
   */
  what: () => string;
  /** The row's Source when not the caller's (a register record: "Residents 2011-11-16"). */
  source?: string;
}

/** One mark: a row of AccrualChanges (a document's) or of AccrualRecordChanges (a register record's). */
export interface MarkRow {
  Accrual: string;
  Source: string;
  Building: string | null;
  Account: string | null;
  Stamp: string;
  ChangedAt: string;
  Description: string;
}

/**
 * Records `changes` made by the document being posted (`source`: its kind and id, `title`: how
 * the form names it) against every posted GroupAccrual they touch. Returns the number of rows.
 * Costs one query of the posted accruals' headers when none is touched; `prepare` runs once
 * when some change touches one, before the descriptions are built.
 */
export async function markAccrualChanges(
  ctx: Query,
  marks: TypedMovementAdder<Register>,
  source: string,
  title: string,
  changes: InputChange[],
  prepare?: () => Promise<void>,
): Promise<number> {
  const rows = await accrualMarks(ctx, source, title, changes, prepare);
  for (const r of rows) marks.add(r);
  return rows.length;
}

/**
 * The marks of `changes` made by a register's direct write (`title`: the register as the form
 * names it; each change's `source`, else `source`), for the register's afterWrite to write into
 * AccrualRecordChanges (RECORD_CHANGES): one row per accrual, source and account.
 */
export async function recordChangeMarks(
  ctx: Query,
  source: string,
  title: string,
  changes: InputChange[],
  prepare?: () => Promise<void>,
): Promise<Omit<MarkRow, "Building">[]> {
  return (await accrualMarks(ctx, source, title, changes, prepare)).map(({ Building: _, ...r }) => r);
}

/** The marks of `changes` on every posted GroupAccrual they touch (see the header). */
async function accrualMarks(
  ctx: Query,
  source: string,
  title: string,
  changes: InputChange[],
  prepare?: () => Promise<void>,
): Promise<MarkRow[]> {
  if (changes.length === 0) return [];
  const earliest = changes.map((c) => monthStart(c.from)).sort()[0];
  const heads = (await ctx.query("document", "GroupAccrual", { posted: true })).filter(
    (d) => d.AccrueServices && d.Month && monthStart(d.Month) >= earliest,
  );
  if (heads.length === 0) return [];
  const accruals = await ctx.query("document", "GroupAccrual", { id: heads.map((d) => d.id) }, { tables: true });
  const accountIds = [...new Set(changes.map((c) => c.account).filter((a): a is string => !!a))];
  const buildingOf = new Map<string, string | null>(
    (accountIds.length ? await ctx.query("catalog", "PersonalAccounts", { id: accountIds }) : []).map((a) => [
      a.id,
      a.Building ?? null,
    ]),
  );
  const inBuilding = new Map<string, Set<string>>();
  const accountsOfBuilding = async (b: string) => {
    let set = inBuilding.get(b);
    if (!set) {
      set = new Set((await ctx.query("catalog", "PersonalAccounts", { Building: b })).map((a) => a.id));
      inBuilding.set(b, set);
    }
    return set;
  };
  const covers = async (g: GroupAccrualDocument, c: InputChange, listed: Set<string | null>): Promise<boolean> => {
    if (c.account) return listed.size ? listed.has(c.account) : !g.Building || buildingOf.get(c.account) === g.Building;
    if (c.building) {
      if (!listed.size) return !g.Building || g.Building === c.building;
      for (const a of await accountsOfBuilding(c.building)) if (listed.has(a)) return true;
      return false;
    }
    return true;
  };
  const rows = new Map<
    string,
    { accrual: string; source: string; building: string | null; account: string | null; changes: InputChange[] }
  >();
  for (const g of accruals) {
    const month = monthStart(g.Month);
    const listed = new Set<string | null>((g.Accounts ?? []).map((r) => r.Account));
    for (const c of changes) {
      if (monthStart(c.from) > month || !(await covers(g, c, listed))) continue;
      const building = c.account ? null : (c.building ?? null);
      const account = c.account ?? null;
      const src = c.source ?? source;
      const key = `${g.id}|${src}|${building}|${account}`;
      const row = rows.get(key) ?? { accrual: g.id, source: src, building, account, changes: [] };
      if (!row.changes.includes(c)) row.changes.push(c);
      rows.set(key, row);
    }
  }
  if (rows.size === 0) return [];
  await prepare?.();
  const stamp = stampNow();
  const at = nowMoment();
  return [...rows.values()].map((r) => ({
    Accrual: r.accrual,
    Source: r.source,
    Building: r.building,
    Account: r.account,
    Stamp: stamp,
    ChangedAt: at,
    Description: clip(`${title}: ${[...new Set(r.changes.map((c) => c.what()))].join("; ")}`),
  }));
}

/** The accrual's own row (its last posting) and the changes recorded since it started. */
export async function accrualChanges(
  ctx: Query,
  accrual: string,
): Promise<{ own: Mark | null; pending: (Mark | RecordMark)[] }> {
  const rows = await ctx.info.AccrualChanges.sliceLast(undefined, { Accrual: accrual });
  const direct = await ctx.info.AccrualRecordChanges.sliceLast(undefined, { Accrual: accrual });
  const own = rows.find((r) => r.Source === ACCRUAL_SOURCE) ?? null;
  const pending = [...rows, ...direct]
    .filter((r) => r.Source !== ACCRUAL_SOURCE && (!own || r.Stamp >= own.Stamp))
    .sort((a, b) => (a.Stamp < b.Stamp ? -1 : a.Stamp > b.Stamp ? 1 : 0));
  return { own, pending };
}

/** A document as the marks name it: «Показания приборов учета №000000005 от 07.12.2026». */
export const documentTitle = (synonym: string, doc: { number: string; date: string }): string =>
  `${synonym} №${doc.number} от ${doc.date.slice(8, 10)}.${doc.date.slice(5, 7)}.${doc.date.slice(0, 4)}`;

const clip = (s: string): string => (s.length <= 500 ? s : `${[...s].slice(0, 499).join("")}…`);
