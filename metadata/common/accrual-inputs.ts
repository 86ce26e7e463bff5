/**
 * Reading the inputs of a group accrual IN BULK: a fixed number of queries whatever the number
 * of accounts (never one per account). Used by documents/GroupAccrual.ts, which then prices
 * every line with common/accrual.ts.
 *  - accounts: one query (by ids, or every open account of the month, optionally of a building);
 *  - services with their source services, tariff kinds, buildings, meter types: one query each;
 *  - AccountServices and Tariffs: one sliceLast at the month's last day each;
 *  - meters: one query; readings: sliceLast at the readings cut-offs of the month and the month
 *    before (accrual-meters.ts: the 25th), sliceFirst for meters whose first reading is in the
 *    month, and one sliceFirst per distinct "last reading month" for the averages of missing
 *    readings. A handful of keys is probed one by one (an index lookup each); more keys are read
 *    with one slice of the whole register (no per-key round trips).
 */
import type { QueryApi, Row } from "../../server/api.ts";
import { addDays, addMonths, monthEnd } from "./money.ts";
import type { TariffFacts } from "./accrual.ts";
import { AVERAGE_MAX_MONTHS, cutoffOf, readingMonth, type MeterFacts, type MeterHistory, type Reading } from "./accrual-meters.ts";

const PROFILE = process.env.ACCRUAL_PROFILE === "1";
let last = 0;
const mark = (name: string) => {
  if (!PROFILE) return;
  const t = performance.now();
  if (last) process.stderr.write(`      inputs: ${name} ${(t - last).toFixed(0)} ms\n`);
  last = t;
};

/** Up to this many keys are read by one probe each; more: one slice of the whole register. */
export const PROBE_LIMIT = 64;

export interface AccrualInputs {
  month: string;
  /** PersonalAccounts rows in code order. */
  accounts: Row[];
  /** Services by id (with SourceServices), and in receipt order. */
  services: Map<string, Row>;
  serviceOrder: Row[];
  tariffKinds: Map<string, Row>;
  buildings: Map<string, Row>;
  /** Per account: service id → tariff kind id, for the services connected at the month's end. */
  connected: Map<string, Map<string, string>>;
  /** `${service}|${tariffKind}` → the tariff in force at the month's end. */
  tariffs: Map<string, TariffFacts>;
  /** `${account}|${service}` → individual meters; `${building}|${service}` → collective meters. */
  meters: Map<string, MeterFacts[]>;
  house: Map<string, MeterFacts[]>;
  histories: Map<string, MeterHistory>;
}

/** Open for the month: opened on or before its last day, not closed before its first day, not marked for deletion. */
export function isOpen(a: Row, month: string): boolean {
  if (a.deletionMark) return false;
  if (a.Opened && a.Opened > monthEnd(month)) return false;
  if (a.Closed && a.Closed < month) return false;
  return true;
}

/** Every account open in `month`, optionally of one building, in code order. */
export async function openAccounts(ctx: QueryApi, month: string, building?: string | null): Promise<Row[]> {
  const rows = await ctx.query("catalog", "PersonalAccounts", building ? { Building: building } : {});
  return rows.filter((a) => isOpen(a, month));
}

/**
 * A slice of an information register for a set of values of one dimension: rows by that value.
 * Few keys: one probe each (a sliceLast call with the key as filter: ~0.6 ms measured, mostly the
 * round trip); many: one slice of the whole register (the platform's skip-scan: ~16 µs per key
 * of MeterReadings, 200k meters in 3.2 s), filtered here. `registerKeys`, when known, is about
 * how many keys the register has: probing wins while the wanted keys are under 1/30 of them.
 */
export async function sliceFor(
  ctx: QueryApi,
  register: string,
  which: "last" | "first",
  at: string,
  dim: string,
  keys: Iterable<string>,
  registerKeys = 0,
): Promise<Map<string, Row[]>> {
  const wanted = new Set(keys);
  const out = new Map<string, Row[]>();
  if (wanted.size === 0) return out;
  const reader = ctx.info[register];
  const read = (filter?: Row) => (which === "last" ? reader.sliceLast(at, filter) : reader.sliceFirst(at, filter));
  const keep = (rows: Row[]) => {
    for (const r of rows) {
      const k = r[dim];
      if (!wanted.has(k)) continue;
      const list = out.get(k);
      if (list) list.push(r);
      else out.set(k, [r]);
    }
  };
  if (wanted.size <= PROBE_LIMIT || wanted.size * 30 <= registerKeys) for (const k of wanted) keep(await read({ [dim]: k }));
  else keep(await read());
  return out;
}

const readingOf = (r: Row | undefined): Reading | null => (r && r.Reading != null ? { period: String(r.period).slice(0, 10), value: r.Reading } : null);

/** Readings of `meterIds` for `month`: current, previous and the start of the averaging window. */
export async function meterHistories(ctx: QueryApi, month: string, meterIds: string[]): Promise<Map<string, MeterHistory>> {
  const cutoff = cutoffOf(month);
  const prevCutoff = cutoffOf(addMonths(month, -1));
  const last = await sliceFor(ctx, "MeterReadings", "last", cutoff, "Meter", meterIds);
  const before = await sliceFor(ctx, "MeterReadings", "last", prevCutoff, "Meter", meterIds);
  const out = new Map<string, MeterHistory>();
  const firstInMonth: string[] = [];
  for (const id of meterIds) {
    const c = readingOf(last.get(id)?.[0]);
    const p = readingOf(before.get(id)?.[0]);
    const current = c && c.period > prevCutoff ? c : null;
    out.set(id, { current, previous: p, windowStart: null });
    if (current && !p) firstInMonth.push(id);
  }
  // The first reading ever may be in the month (initial readings): it is the baseline of a later one.
  if (firstInMonth.length) {
    const first = await sliceFor(ctx, "MeterReadings", "first", addDays(prevCutoff, 1), "Meter", firstInMonth, meterIds.length);
    for (const id of firstInMonth) {
      const h = out.get(id)!;
      const f = readingOf(first.get(id)?.[0]);
      if (f && f.period < h.current!.period) h.previous = f;
    }
  }
  // Averages: meters without a reading this month, or with a gap before it; grouped by the month of their last reading.
  const byLast = new Map<string, string[]>();
  for (const [id, h] of out) {
    if (!h.previous) continue;
    const L = readingMonth(h.previous.period);
    if (h.current && L >= addMonths(month, -1)) continue;
    const list = byLast.get(L);
    if (list) list.push(id);
    else byLast.set(L, [id]);
  }
  for (const [L, ids] of byLast) {
    const from = addDays(cutoffOf(addMonths(L, -AVERAGE_MAX_MONTHS - 1)), 1);
    const first = await sliceFor(ctx, "MeterReadings", "first", from, "Meter", ids, meterIds.length);
    for (const id of ids) out.get(id)!.windowStart = readingOf(first.get(id)?.[0]);
  }
  return out;
}

const byId = (rows: Row[]) => new Map(rows.map((r) => [r.id as string, r]));

/** Everything the accrual of `accounts` (PersonalAccounts rows) for `month` needs. */
export async function loadInputs(ctx: QueryApi, month: string, accounts: Row[], explicit: boolean): Promise<AccrualInputs> {
  last = 0;
  mark("start");
  const end = monthEnd(month);
  const ids = accounts.map((a) => a.id as string);
  const accountSet = new Set(ids);
  const serviceRows = await ctx.query("catalog", "Services", {}, { tables: true });
  const services = byId(serviceRows);
  const serviceOrder = [...serviceRows].sort((a, b) => Number(a.ReceiptOrder ?? 999) - Number(b.ReceiptOrder ?? 999) || String(a.code).localeCompare(String(b.code)));
  const tariffKinds = byId(await ctx.query("catalog", "TariffKinds", {}));
  const buildingIds = [...new Set(accounts.map((a) => a.Building).filter(Boolean))];
  const buildings = byId(buildingIds.length ? await ctx.query("catalog", "Buildings", { id: buildingIds }) : []);

  mark("catalogs");
  const connected = new Map<string, Map<string, string>>();
  const links = await sliceFor(ctx, "AccountServices", "last", end, "Account", ids);
  for (const [account, rows] of links) {
    const m = new Map<string, string>();
    for (const r of rows) if (r.Status === "Connected" && r.Service) m.set(r.Service, r.TariffKind);
    connected.set(account, m);
  }
  mark("AccountServices");
  const tariffs = new Map<string, TariffFacts>();
  for (const t of await ctx.info.Tariffs.sliceLast(end)) tariffs.set(`${t.Service}|${t.TariffKind}`, { Rate: t.Rate, RateOverNorm: t.RateOverNorm ?? null });

  // Meters: individual ones of these accounts for connected by-meter services, collective ones of their buildings.
  const meterServices = new Set(serviceRows.filter((s) => s.CalculationMethod === "ByMeter").map((s) => s.id));
  const houseServices = new Set(serviceRows.filter((s) => s.CalculationMethod === "HeatingByHouseMeter").map((s) => s.id));
  let meterRows: Row[] = [];
  if (meterServices.size) meterRows = await ctx.query("catalog", "Meters", explicit ? { Kind: "Individual", Account: ids } : { Kind: "Individual" });
  if (houseServices.size && buildingIds.length) meterRows = meterRows.concat(await ctx.query("catalog", "Meters", { Kind: "Collective", Building: buildingIds }));
  const typeIds = [...new Set(meterRows.map((m) => m.MeterType).filter(Boolean))];
  const types = byId(typeIds.length ? await ctx.query("catalog", "MeterTypes", { id: typeIds }) : []);
  const meters = new Map<string, MeterFacts[]>();
  const house = new Map<string, MeterFacts[]>();
  const wanted: string[] = [];
  for (const m of meterRows) {
    if (m.deletionMark) continue;
    const collective = m.Kind === "Collective";
    if (collective ? !houseServices.has(m.Service) : !meterServices.has(m.Service) || !accountSet.has(m.Account)) continue;
    if (!collective && !connected.get(m.Account)?.has(m.Service)) continue;
    const t = types.get(m.MeterType);
    const facts: MeterFacts = { id: m.id, name: m.name || m.code, ReadingType: t?.ReadingType ?? null, DigitCapacity: t?.DigitCapacity ?? null };
    const key = `${collective ? m.Building : m.Account}|${m.Service}`;
    const target = collective ? house : meters;
    const list = target.get(key);
    if (list) list.push(facts);
    else target.set(key, [facts]);
    wanted.push(m.id);
  }
  mark("tariffs, meters");
  const histories = await meterHistories(ctx, month, wanted);
  mark("readings");
  return { month, accounts, services, serviceOrder, tariffKinds, buildings, connected, tariffs, meters, house, histories };
}
