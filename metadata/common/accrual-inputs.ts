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
 *  - Residents (persons by day, п.56(2)) and Tariffs: sliceLast at the month's first day, then
 *    sliceFirst after each change within the month (a query per distinct change date);
 *  - common property (СОИ) by the house meter: the other open accounts of the buildings (their
 *    individual volumes are subtracted from the house meter's) are read like the document's,
 *    priced but not written (accrual-lines.ts).
 * Each slice reads its keys (slice()): a handful one probe each (an index lookup); more, when
 * they are a small part of the register (the accounts listed in the document, the meters
 * missing a reading), one query filtered by the list; otherwise the whole register at once.
 * What is kept is small per account (a 100k-account accrual): the connected services as a flat
 * list, the meters with their readings.
 */
import { Decimal } from "decimal.js";
import type { DimensionFilter, SliceRow } from "../../server/api.ts";
import { addDays, addMonths, daysBetween, daysInMonth, monthEnd } from "../../server/api.ts";
import type {
  BuildingsCatalog,
  Configuration,
  MetersCatalog,
  PersonalAccountsCatalog,
  Query,
  ServicesCatalog,
  TariffKindsCatalog,
} from "../types.gen.ts";
import { type AccountFacts, accountFacts, proRataTariff, type TariffFacts, tariffFacts } from "./accrual.ts";
import { type BenefitFacts, categoryFacts } from "./accrual-benefits.ts";
import type { PeopleNote } from "./accrual-explanation.ts";
import { AccrualError, dateText, quotientRounded, scaled } from "./accrual-figures.ts";
import {
  AVERAGE_MAX_MONTHS,
  cutoffOf,
  type MeterFacts,
  type MeterHistory,
  monthsUnverified,
  type Reading,
  readingMonth,
} from "./accrual-meters.ts";

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
  /** Its benefits in force in the month (accrual-benefits.ts; none: absent). */
  benefits?: BenefitFacts[];
}

export interface AccrualInputs {
  month: string;
  /** PersonalAccounts rows in code order. */
  accounts: PersonalAccountsCatalog[];
  /**
   * Open accounts of the same buildings that are not accrued here, read for the individual
   * volumes a common property (СОИ) line by the house meter subtracts (none without such lines).
   */
  others: PersonalAccountsCatalog[];
  otherState: AccountState[];
  /** Services by id (with SourceServices), and in receipt order. */
  services: Map<string, ServicesCatalog>;
  serviceOrder: ServicesCatalog[];
  tariffKinds: Map<string, TariffKindsCatalog>;
  buildings: Map<string, BuildingsCatalog>;
  /** Per account, in the order of `accounts`. */
  state: AccountState[];
  /** Some connected service has no tariff for its tariff kind (missingTariff names it). */
  missing: boolean;
  /**
   * service → tariff kind → the tariff in force at the month's end (null: it has no rate), with
   * the rates in force before it in the month when it changed (pro rata by days).
   */
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
  await unverifiedHistories(ctx, month, meters);
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

/**
 * Meters past their verification date in `month` (Правила 354 п.59а): the readings after the
 * date are not used — the latest of them is kept as `ignored` for the explanation — and
 * `previous` becomes the last reading on or before the date (the base of the average).
 */
async function unverifiedHistories(ctx: Query, month: string, meters: LoadedMeter[]): Promise<void> {
  const byDate = new Map<string, LoadedMeter[]>();
  for (const m of meters) {
    const until = m.verifiedUntil;
    if (!until || monthsUnverified(month, until) === 0) continue;
    // (a reading of the month taken on or before the date measured a verified meter: a normal month)
    if (m.current && m.current.period <= until) {
      m.verifiedUntil = null;
      continue;
    }
    const after = [m.current, m.previous].find((r) => r !== null && r.period > until) ?? null;
    m.ignored = after;
    m.current = null;
    if (m.previous && m.previous.period <= until) continue;
    m.previous = null;
    const list = byDate.get(until);
    if (list) list.push(m);
    else byDate.set(until, [m]);
  }
  for (const [until, list] of byDate) {
    const byId = new Map<string | null, LoadedMeter>(list.map((m) => [m.id, m]));
    const ids = [...byId.keys()] as string[];
    await slice(ctx, "MeterReadings", "last", until, "Meter", ids, true, (r) => {
      const m = byId.get(r.Meter);
      if (m) m.previous = readingOf(r);
    });
  }
}

/** The values of a periodic register's records within a month: the one in force on its first day, then each change. */
type Changes<T> = { from: string; value: T }[];

/**
 * Per key, the records of a day-periodic information register in force during `month`: the
 * slice at its first day, then sliceFirst after each change date (one query per distinct date
 * — a handful a month). `keyOf` names a row's key (null: skip the row).
 */
async function monthChanges<R extends keyof InfoRegisters, T>(
  ctx: Query,
  register: R,
  month: string,
  dim: (keyof InfoRegisters[R]["dimensions"] & string) | null,
  keys: string[] | null,
  few: boolean,
  keyOf: (r: SliceRow<InfoRegisters[R]>) => string | null,
  recordValue: (r: SliceRow<InfoRegisters[R]>) => T,
): Promise<Map<string, Changes<T>>> {
  const out = new Map<string, Changes<T>>();
  const end = monthEnd(month);
  const add = (r: SliceRow<InfoRegisters[R]>, from: string) => {
    const k = keyOf(r);
    if (k === null) return;
    const list = out.get(k);
    if (list) list.push({ from, value: recordValue(r) });
    else out.set(k, [{ from, value: recordValue(r) }]);
  };
  const reader: Query["info"][R] = ctx.info[register];
  const read = async (
    which: "last" | "first",
    at: string,
    wanted: string[] | null,
    f: boolean,
    visit: (r: SliceRow<InfoRegisters[R]>) => void,
  ) => {
    if (dim && wanted) return slice(ctx, register, which, at, dim, wanted, f, visit);
    for (const r of await (which === "last" ? reader.sliceLast(at) : reader.sliceFirst(at))) visit(r);
  };
  await read("last", month, keys, few, (r) => add(r, month));
  // Changes after the first day: per round, every key's next record up to the month's end.
  let at = addDays(month, 1);
  let wanted = keys;
  let f = few;
  const seen = new Set<string>();
  while (at <= end) {
    const next = new Map<string, string>();
    await read("first", at, wanted, f, (r) => {
      const period = String(r.period).slice(0, 10);
      const k = keyOf(r);
      if (k === null || period > end) return;
      next.set(k, period);
      if (seen.has(`${k}|${period}`)) return;
      seen.add(`${k}|${period}`);
      add(r, period);
    });
    if (next.size === 0) break;
    // (the keys that changed go on from their earliest change; the others have none before it)
    const earliest = [...next.values()].sort()[0];
    at = addDays(earliest, 1);
    if (dim) {
      wanted = [...next.keys()];
      f = true;
    }
  }
  for (const list of out.values()) list.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  return out;
}

/** Days of `month` each change is in force: from its date to the day before the next one. */
function daysOfChanges<T>(month: string, changes: Changes<T>): { value: T; days: number }[] {
  const end = addDays(monthEnd(month), 1);
  return changes.map((c, i) => ({
    value: c.value,
    days: daysBetween(c.from < month ? month : c.from, i + 1 < changes.length ? changes[i + 1].from : end),
  }));
}

/**
 * The persons of each account for `month` from the Residents register (Правила 354 п.56(2),
 * п.38): the registered persons, or the owners on days nobody is registered, pro rata by the
 * days of the month (persons × days / month days, kept to 4 decimals, half up). Days before an
 * account's first record take the catalog's Residents; an account without records keeps them.
 * A negative figure is refused naming the account, the date and the field.
 */
async function residentsOf(
  ctx: Query,
  month: string,
  accounts: PersonalAccountsCatalog[],
  states: AccountState[],
  few: boolean,
): Promise<void> {
  const ids = accounts.map((a) => a.id);
  const changes = await monthChanges(
    ctx,
    "Residents",
    month,
    "Account",
    ids,
    few,
    (r) => r.Account,
    (r) => ({ period: String(r.period).slice(0, 10), registered: r.Registered, owners: r.Owners }),
  );
  if (changes.size === 0) return;
  const monthDays = daysInMonth(month);
  for (const [i, a] of accounts.entries()) {
    const list = changes.get(a.id);
    if (!list) continue;
    const whole = (
      v: { toNumber(): number; isInteger(): boolean; lt(n: number): boolean } | null,
      title: string,
      period: string,
    ) => {
      if (v === null) return 0;
      if (v.lt(0) || !v.isInteger())
        throw ctx.error(
          `Проживающие и собственники, лицевой счет ${a.code} (${a.name}) на ${dateText(period)}: «${title}» — целое неотрицательное число, указано ${String(v)}`,
          { field: "Month" },
        );
      return v.toNumber();
    };
    const st = states[i];
    const catalog = Math.round(st.facts.residents / 10000);
    const first = list[0].from;
    const parts: PeopleNote["parts"] = [];
    if (first > month) parts.push({ persons: catalog, owners: false, days: daysBetween(month, first) });
    for (const { value, days } of daysOfChanges(month, list)) {
      const registered = whole(value.registered, "Зарегистрировано", value.period);
      const owners = whole(value.owners, "Собственников", value.period);
      const byOwners = registered === 0 && owners > 0;
      const last = parts.at(-1);
      const persons = byOwners ? owners : registered;
      if (last && last.persons === persons && last.owners === byOwners) last.days += days;
      else parts.push({ persons, owners: byOwners, days });
    }
    let personDays = 0;
    for (const p of parts) personDays += p.persons * p.days;
    st.facts = {
      ...st.facts,
      residents: quotientRounded(personDays, 10000, monthDays),
      people: parts.length === 1 && !parts[0].owners ? null : { monthDays, parts },
    };
  }
}

/**
 * The benefits of each account in force in `month` (AccountBenefits, BenefitCategories), with
 * their days of the month. Nothing is read beyond the catalog while it has no category. A bad
 * record (persons negative, To before From) or category is refused naming it.
 */
async function benefitsOf(
  ctx: Query,
  month: string,
  accounts: PersonalAccountsCatalog[],
  states: AccountState[],
  few: boolean,
): Promise<void> {
  const categories = await ctx.query("catalog", "BenefitCategories", {}, { tables: true });
  if (!categories.length || !accounts.length) return;
  const byId = new Map(categories.map((c) => [c.id, c]));
  const facts = new Map<string, ReturnType<typeof categoryFacts>>();
  const ids = accounts.map((a) => a.id);
  const rows = await ctx.info.AccountBenefits.sliceLast(
    undefined,
    few && ids.length <= FILTER_LIMIT ? { Account: ids } : undefined,
  );
  if (!rows.length) return;
  const at = new Map(accounts.map((a, i) => [a.id, i]));
  const end = monthEnd(month);
  const monthDays = daysInMonth(month);
  for (const r of rows) {
    const i = r.Account ? at.get(r.Account) : undefined;
    if (i === undefined || !r.Category) continue;
    const a = accounts[i];
    const who = `Льготы лицевых счетов, лицевой счет ${a.code} (${a.name})`;
    const from = r.From ? String(r.From).slice(0, 10) : null;
    const to = r.To ? String(r.To).slice(0, 10) : null;
    const persons = r.Persons === null ? 0 : Number(r.Persons);
    if (!Number.isInteger(persons) || persons < 0)
      throw ctx.error(`${who}: «Льготников» — целое неотрицательное число, указано ${String(r.Persons)}`, {
        field: "Month",
      });
    if (from && to && to < from)
      throw ctx.error(`${who}: дата «По» (${dateText(to)}) раньше даты «С» (${dateText(from)})`, { field: "Month" });
    const start = from && from > month ? from : month;
    const stop = to && to < end ? to : end;
    if (stop < start) continue;
    const c = byId.get(r.Category);
    if (!c) continue;
    let f = facts.get(c.id);
    if (!f) {
      try {
        f = categoryFacts(c);
      } catch (e) {
        if (e instanceof AccrualError) throw ctx.error(e.message, { field: "Month" });
        throw e;
      }
      facts.set(c.id, f);
    }
    const st = states[i];
    (st.benefits ??= []).push({ ...f, persons, days: daysBetween(start, stop) + 1, monthDays });
  }
}

/**
 * One account's facts of `month` as its benefits take them — areas, persons of the month
 * (Residents, pro rata) — and its benefits in force in the month (none: `benefits` absent), for
 * a charge made outside GroupAccrual (Recalculation re-applies them to its sum).
 */
export async function benefitInputs(
  ctx: Query,
  month: string,
  account: PersonalAccountsCatalog,
): Promise<Pick<AccountState, "facts" | "benefits">> {
  const states: AccountState[] = [{ conn: [], meters: [], facts: accountFacts(account) }];
  await residentsOf(ctx, month, [account], states, true);
  await benefitsOf(ctx, month, [account], states, true);
  return states[0];
}

/**
 * The persons of `account` in `month` as the accrual counted them (the Residents register pro
 * rata by days, the owners on days nobody is registered, else the card's figure; 4 decimals): a
 * temporary absence's recalculation divides the month's charge by them (Правила 354 п.86–91).
 */
export async function monthResidents(ctx: Query, month: string, account: PersonalAccountsCatalog): Promise<Decimal> {
  const states: AccountState[] = [{ conn: [], meters: [], facts: accountFacts(account) }];
  await residentsOf(ctx, month, [account], states, true);
  return new Decimal(states[0].facts.residents).div(10000);
}

/**
 * The tariffs of `month`: service → tariff kind → the tariff at the month's end, pro rata by
 * days when it changed within the month (proRataTariff; a pair without a tariff on the first
 * day takes its first one from the first day, as before a change).
 */
async function tariffsOf(
  ctx: Query,
  month: string,
  canon: (id: string | null | undefined) => string | null,
): Promise<Map<string, Map<string | null, TariffFacts | null>>> {
  const changes = await monthChanges(
    ctx,
    "Tariffs",
    month,
    null,
    null,
    false,
    (t) => `${canon(t.Service)}|${canon(t.TariffKind)}`,
    (t) => ({ service: canon(t.Service)!, kind: canon(t.TariffKind), facts: tariffFacts(t) }),
  );
  const monthDays = daysInMonth(month);
  const tariffs = new Map<string, Map<string | null, TariffFacts | null>>();
  for (const list of changes.values()) {
    const { service, kind } = list[0].value;
    let byKind = tariffs.get(service);
    if (!byKind) tariffs.set(service, (byKind = new Map()));
    const facts =
      list.length === 1
        ? list[0].value.facts
        : proRataTariff(
            // (the first tariff of the month stands from its first day when none was in force before)
            daysOfChanges(month, [{ ...list[0], from: month }, ...list.slice(1)]).map((p) => ({
              tariff: p.value.facts,
              days: p.days,
            })),
            monthDays,
          );
    byKind.set(kind, facts);
  }
  return tariffs;
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
  const serviceRows = await ctx.query("catalog", "Services", {}, { tables: true });
  // Common property by the house meter subtracts the individual volumes of every open account of the building.
  const commonByMeter = serviceRows.filter((s) => s.CalculationMethod === "CommonPropertyByHouseMeter");
  let others: PersonalAccountsCatalog[] = [];
  if (commonByMeter.length && accounts.length) {
    const inDoc = new Set(accounts.map((a) => a.id));
    const blds = [...new Set(accounts.map((a) => a.Building).filter(Boolean))];
    others = (await ctx.query("catalog", "PersonalAccounts", { Building: blds })).filter(
      (a) => !inDoc.has(a.id) && isOpen(a, month),
    );
  }
  const all = others.length ? accounts.concat(others) : accounts;
  const ids = all.map((a) => a.id);
  explicit = explicit || others.length > 0;
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
  const tariffs = await tariffsOf(ctx, month, canon);
  // In code order, as the lines read them.
  const allState: AccountState[] = all.map((a) => ({ conn: [], meters: [], facts: accountFacts(a) }));
  const state = others.length ? allState.slice(0, accounts.length) : allState;
  // (keyed by string | null: a register row's or a meter's Account is looked up as it comes)
  const stateOf = new Map<string | null, AccountState>(all.map((a, i) => [a.id, allState[i]]));
  await residentsOf(ctx, month, all, allState, explicit);
  await benefitsOf(ctx, month, accounts, state, explicit);
  mark("tariffs, residents");
  // The meters are asked for now, so the database reads them while the connections are visited.
  const meterServices = new Set(serviceRows.filter((s) => s.CalculationMethod === "ByMeter").map((s) => s.id));
  // Collective meters: of heating by the house meter, and of common property by the house meter or its source services.
  const houseServices = new Set(
    serviceRows.filter((s) => s.CalculationMethod === "HeatingByHouseMeter").map((s) => s.id),
  );
  for (const s of commonByMeter) {
    houseServices.add(s.id);
    const sources = (s.SourceServices ?? []).map((r) => r.Service).filter(Boolean);
    // (without source services the house meter may be a by-meter service's: accrual-lines.ts#commonSetup)
    for (const id of sources.length ? sources : meterServices) houseServices.add(id);
  }
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
  mark("AccountServices");

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
      // (a house meter's volume is its readings': its verification is not this rule's)
      verifiedUntil: collective ? null : m.NextVerification,
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
  const otherState = others.length ? allState.slice(accounts.length) : [];
  return {
    month,
    accounts,
    others,
    otherState,
    services,
    serviceOrder,
    tariffKinds,
    buildings,
    state,
    missing,
    tariffs,
    house,
  };
}
