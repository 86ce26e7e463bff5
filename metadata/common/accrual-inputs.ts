/**
 * Reading the inputs of a group accrual IN BULK: a fixed number of queries whatever the number
 * of accounts (never one per account). Used by documents/GroupAccrual.ts, which then prices
 * every line with common/accrual-lines.ts.
 *  - accounts: one query (by ids, or every open account of the month, optionally of a building);
 *  - services with their source services, tariff kinds, buildings, meter types: one query each;
 *  - Tariffs and AccountServices: one sliceLast at the month's last day each;
 *  - meters: one query; readings: sliceLast at the readings cut-offs of the month and the month
 *    before (accrual-meters.ts: the 25th), sliceFirst for meters whose first reading is in the
 *    month, and one sliceFirst per distinct "last reading month" for the averages of missing
 *    readings.
 * Each slice reads its keys (slice()): a handful one probe each (an index lookup); more, when
 * they are a small part of the register (the accounts listed in the document, the meters
 * missing a reading), one query filtered by the list; otherwise the whole register at once.
 * What is kept is small per account (a 100k-account accrual): the connected services as a flat
 * list, the meters with their readings.
 */
import type { DimensionFilter, SliceRow } from "../../server/api.ts";
import { addDays, addMonths, monthEnd } from "../../server/api.ts";
import { accountFacts, tariffFacts, type AccountFacts, type TariffFacts } from "./accrual.ts";
import { scaled } from "./accrual-figures.ts";
import {
  AVERAGE_MAX_MONTHS,
  cutoffOf,
  readingMonth,
  type MeterFacts,
  type MeterHistory,
  type Reading,
} from "./accrual-meters.ts";
import type {
  BuildingsCatalog,
  Configuration,
  MetersCatalog,
  PersonalAccountsCatalog,
  Query,
  ServicesCatalog,
  TariffKindsCatalog,
} from "../types.gen.ts";

type InfoRegisters = Configuration["informationRegisters"];

const PROFILE = process.env.ACCRUAL_PROFILE === "1";
let last = 0;
let lastCpu = 0;
const mark = (name: string) => {
  if (!PROFILE) return;
  const t = performance.now();
  const u = process.cpuUsage();
  const cpu = (u.user + u.system) / 1000;
  if (last)
    process.stderr.write(
      `      inputs: ${name} ${(t - last).toFixed(0)} ms (node cpu ${(cpu - lastCpu).toFixed(0)} ms)\n`,
    );
  last = t;
  lastCpu = cpu;
};

/** Up to this many keys are read by one probe each. */
export const PROBE_LIMIT = 64;
/** The most values one slice filter takes (server/registers/shape.ts#dimensionFilter). */
const FILTER_LIMIT = 100_000;
/** Rows of a slice visited between two yields to the event loop. */
const VISIT_BLOCK = 20_000;

/** A meter whose readings count for a line, with the readings of the month. */
export interface LoadedMeter extends MeterFacts, MeterHistory {
  service: string;
}

/** What one account brings: its connected services and individual meters. */
export interface AccountState {
  /** [service, tariff kind, service, tariff kind…] of the services connected at the month's end, in register order. */
  conn: (string | null)[];
  meters: LoadedMeter[];
  /** The account's areas and residents as the rules take them. */
  facts: AccountFacts;
}

export interface AccrualInputs {
  month: string;
  /** PersonalAccounts rows in code order. */
  accounts: PersonalAccountsCatalog[];
  /** Services by id (with SourceServices), and in receipt order. */
  services: Map<string, ServicesCatalog>;
  serviceOrder: ServicesCatalog[];
  tariffKinds: Map<string, TariffKindsCatalog>;
  buildings: Map<string, BuildingsCatalog>;
  /** Per account, in the order of `accounts`. */
  state: AccountState[];
  /** Some connected service has no tariff for its tariff kind (missingTariff names it). */
  missing: boolean;
  /** service → tariff kind → the tariff in force at the month's end (null: it has no rate). */
  tariffs: Map<string, Map<string | null, TariffFacts | null>>;
  /** `${building}|${service}` → the building's collective meters of the service and its total area (ten-thousandths). */
  house: Map<string, { meters: LoadedMeter[]; buildingArea: number | null }>;
}

/** Open for the month: opened on or before its last day, not closed before its first day, not marked for deletion. */
export function isOpen(a: PersonalAccountsCatalog, month: string): boolean {
  if (a.deletionMark) return false;
  if (a.Opened && a.Opened > monthEnd(month)) return false;
  if (a.Closed && a.Closed < month) return false;
  return true;
}

/** Every account open in `month`, optionally of one building, in code order. */
export async function openAccounts(
  ctx: Query,
  month: string,
  building?: string | null,
): Promise<PersonalAccountsCatalog[]> {
  const rows = await ctx.query("catalog", "PersonalAccounts", building ? { Building: building } : {});
  return rows.filter((a) => isOpen(a, month));
}

/** The tariff kind of `service` in an account's connected list; undefined when not connected. */
export function kindOf(conn: (string | null)[], service: string): string | null | undefined {
  for (let i = 0; i < conn.length; i += 2) if (conn[i] === service) return conn[i + 1];
  return undefined;
}

/**
 * The slice of an information register for the values `keys` of its dimension `dim`, row by
 * row to `visit` (rows of other keys included when the whole register is read). `few`: the
 * keys are a small part of the register's keys — worth one query filtered by their list
 * (up to FILTER_LIMIT); otherwise more than PROBE_LIMIT keys read the whole register (its
 * skip-scan or one ordered pass: ~16 µs per key of MeterReadings, 200k meters in 3.2 s).
 */
async function slice<R extends keyof InfoRegisters>(
  ctx: Query,
  register: R,
  which: "last" | "first",
  at: string,
  dim: keyof InfoRegisters[R]["dimensions"] & string,
  keys: string[],
  few: boolean,
  visit: (r: SliceRow<InfoRegisters[R]>) => void,
): Promise<void> {
  if (keys.length === 0) return;
  const reader: Query["info"][R] = ctx.info[register];
  // (filters by the one dimension `dim`: a computed key loses its name for the compiler)
  const read = (filter?: DimensionFilter<InfoRegisters[R]>) =>
    which === "last" ? reader.sliceLast(at, filter) : reader.sliceFirst(at, filter);
  if (keys.length <= PROBE_LIMIT) {
    for (const k of keys) for (const r of await read({ [dim]: k } as DimensionFilter<InfoRegisters[R]>)) visit(r);
    return;
  }
  const rows = await read(
    few && keys.length <= FILTER_LIMIT ? ({ [dim]: keys } as DimensionFilter<InfoRegisters[R]>) : undefined,
  );
  // (hundreds of thousands of rows: the event loop runs between blocks of them)
  for (let i = 0; i < rows.length; i++) {
    if (i % VISIT_BLOCK === VISIT_BLOCK - 1) await new Promise(setImmediate);
    visit(rows[i]);
  }
}

const readingOf = (r: SliceRow<InfoRegisters["MeterReadings"]>): Reading | null =>
  r.Reading != null ? { period: String(r.period).slice(0, 10), value: scaled(r.Reading, 4, "Показание")! } : null;

/** Fills the histories of `meters` for `month`: current, previous and the start of the averaging window. */
export async function meterHistories(ctx: Query, month: string, meters: LoadedMeter[], few: boolean): Promise<void> {
  // (keyed by string | null: a register row's Meter is looked up as it comes)
  const byId = new Map<string | null, LoadedMeter>(meters.map((m) => [m.id, m]));
  const ids = [...byId.keys()] as string[];
  const cutoff = cutoffOf(month);
  const prevCutoff = cutoffOf(addMonths(month, -1));
  // Both slices asked at once: the database computes the second while the first one's rows are
  // visited here (they fill different fields).
  await Promise.all([
    slice(ctx, "MeterReadings", "last", cutoff, "Meter", ids, few, (r) => {
      const m = byId.get(r.Meter);
      if (m && String(r.period).slice(0, 10) > prevCutoff) m.current = readingOf(r);
    }),
    slice(ctx, "MeterReadings", "last", prevCutoff, "Meter", ids, few, (r) => {
      const m = byId.get(r.Meter);
      if (m) m.previous = readingOf(r);
    }),
  ]);
  mark("readings: current and previous");
  // The first reading ever may be in the month (initial readings): it is the baseline of a later one.
  const firstInMonth = meters.filter((m) => m.current && !m.previous).map((m) => m.id);
  await slice(
    ctx,
    "MeterReadings",
    "first",
    addDays(prevCutoff, 1),
    "Meter",
    firstInMonth,
    firstInMonth.length * 30 <= ids.length,
    (r) => {
      const h = byId.get(r.Meter);
      const f = h && !h.previous && h.current ? readingOf(r) : null;
      if (f && f.period < h!.current!.period) h!.previous = f;
    },
  );
  // Averages: meters without a reading this month, or with a gap before it; grouped by the month of their last reading.
  const byLast = new Map<string, string[]>();
  for (const m of meters) {
    if (!m.previous) continue;
    const L = readingMonth(m.previous.period);
    if (m.current && L >= addMonths(month, -1)) continue;
    const list = byLast.get(L);
    if (list) list.push(m.id);
    else byLast.set(L, [m.id]);
  }
  for (const [L, group] of byLast) {
    const from = addDays(cutoffOf(addMonths(L, -AVERAGE_MAX_MONTHS - 1)), 1);
    const wanted = new Set<string | null>(group);
    await slice(ctx, "MeterReadings", "first", from, "Meter", group, group.length * 2 <= ids.length, (r) => {
      if (wanted.has(r.Meter)) byId.get(r.Meter)!.windowStart = readingOf(r);
    });
  }
  mark("readings: averages");
}

const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((r) => [r.id, r]));

/** Everything the accrual of `accounts` (PersonalAccounts rows) for `month` needs. */
export async function loadInputs(
  ctx: Query,
  month: string,
  accounts: PersonalAccountsCatalog[],
  explicit: boolean,
): Promise<AccrualInputs> {
  last = 0;
  mark("start");
  const end = monthEnd(month);
  const ids = accounts.map((a) => a.id);
  const serviceRows = await ctx.query("catalog", "Services", {}, { tables: true });
  const services = byId(serviceRows);
  const serviceOrder = [...serviceRows].sort(
    (a, b) =>
      Number(a.ReceiptOrder ?? 999) - Number(b.ReceiptOrder ?? 999) || String(a.code).localeCompare(String(b.code)),
  );
  const tariffKinds = byId(await ctx.query("catalog", "TariffKinds", {}));
  const buildingIds = [...new Set(accounts.map((a) => a.Building).filter(Boolean))];
  const buildings = byId(buildingIds.length ? await ctx.query("catalog", "Buildings", { id: buildingIds }) : []);

  mark("catalogs");
  // Ids as the one string object of the catalogs' rows: later look-ups compare references.
  const same = new Map<string, string>([...services.keys(), ...tariffKinds.keys()].map((id) => [id, id]));
  const canon = (id: string | null | undefined): string | null => (id == null ? null : (same.get(id) ?? id));
  const tariffs = new Map<string, Map<string | null, TariffFacts | null>>();
  for (const t of await ctx.info.Tariffs.sliceLast(end)) {
    const service = canon(t.Service)!;
    let byKind = tariffs.get(service);
    if (!byKind) tariffs.set(service, (byKind = new Map()));
    byKind.set(canon(t.TariffKind), tariffFacts(t));
  }
  // In code order, as the lines read them.
  const state: AccountState[] = accounts.map((a) => ({ conn: [], meters: [], facts: accountFacts(a) }));
  // (keyed by string | null: a register row's or a meter's Account is looked up as it comes)
  const stateOf = new Map<string | null, AccountState>(accounts.map((a, i) => [a.id, state[i]]));
  // The meters are asked for now, so the database reads them while the connections are visited.
  const meterServices = new Set(serviceRows.filter((s) => s.CalculationMethod === "ByMeter").map((s) => s.id));
  const houseServices = new Set(
    serviceRows.filter((s) => s.CalculationMethod === "HeatingByHouseMeter").map((s) => s.id),
  );
  const individualMeters: Promise<MetersCatalog[]> = meterServices.size
    ? ctx.query("catalog", "Meters", explicit ? { Kind: "Individual", Account: ids } : { Kind: "Individual" })
    : Promise.resolve([]);
  const collectiveMeters: Promise<MetersCatalog[]> =
    houseServices.size && buildingIds.length
      ? ctx.query("catalog", "Meters", { Kind: "Collective", Building: buildingIds })
      : Promise.resolve([]);
  // (awaited below; a failure meanwhile must not go unhandled)
  individualMeters.catch(() => {});
  collectiveMeters.catch(() => {});
  let missing = false;
  let lastAccount: unknown, st: AccountState | undefined;
  await slice(ctx, "AccountServices", "last", end, "Account", ids, explicit, (r) => {
    if (r.Status !== "Connected" || !r.Service) return;
    if (r.Account !== lastAccount) {
      lastAccount = r.Account;
      st = stateOf.get(r.Account);
    }
    if (!st) return;
    const service = canon(r.Service)!,
      kind = canon(r.TariffKind);
    st.conn.push(service, kind);
    if (!missing && !tariffs.get(service)?.has(kind)) missing = true;
  });
  mark("tariffs, AccountServices");

  // Meters: individual ones of these accounts for connected by-meter services, collective ones of their buildings.
  let meterRows: MetersCatalog[] = (await individualMeters).concat(await collectiveMeters);
  const typeIds = [...new Set(meterRows.map((m) => m.MeterType).filter(Boolean))];
  const types = byId(typeIds.length ? await ctx.query("catalog", "MeterTypes", { id: typeIds }) : []);
  const house: AccrualInputs["house"] = new Map();
  const wanted: LoadedMeter[] = [];
  for (const m of meterRows) {
    if (m.deletionMark) continue;
    const collective = m.Kind === "Collective";
    const st = collective ? undefined : stateOf.get(m.Account);
    if (collective ? !houseServices.has(m.Service) : !meterServices.has(m.Service) || !st) continue;
    if (!collective && (!st || kindOf(st.conn, m.Service) === undefined)) continue;
    const t = types.get(m.MeterType);
    const facts: LoadedMeter = {
      id: m.id,
      name: m.name || m.code,
      ReadingType: t?.ReadingType ?? null,
      DigitCapacity: t?.DigitCapacity ? t.DigitCapacity.toNumber() : null,
      service: canon(m.Service)!,
      current: null,
      previous: null,
      windowStart: null,
    };
    if (st) st.meters.push(facts);
    else {
      const key = `${m.Building}|${m.Service}`;
      const h = house.get(key);
      if (h) h.meters.push(facts);
      else
        house.set(key, {
          meters: [facts],
          buildingArea: scaled(buildings.get(m.Building!)?.TotalArea, 4, "Общая площадь помещений здания"),
        });
    }
    wanted.push(facts);
  }
  meterRows = [];
  mark("meters");
  await meterHistories(ctx, month, wanted, explicit);
  return { month, accounts, services, serviceOrder, tariffKinds, buildings, state, missing, tariffs, house };
}
