/**
 * Every charge line of a group accrual from inputs read in bulk (accrual-inputs.ts): for each
 * account (code order) and each service connected to it (receipt order, a DerivedVolume service
 * after its sources), the meter volume and the priced line, as the record to write.
 * Pure: no database. A line is priced in integers (accrual-fast.ts) when it can be, otherwise
 * by the decimal.js definition (accrual.ts, accrual-meters.ts) — the same record either way.
 * Lines that depend only on the account's areas and residents are priced once per distinct
 * figures and shared (100k accounts have a few thousand distinct ones). A missing tariff or an
 * input that cannot be charged raises an AccrualLineError naming the account and service;
 * GroupAccrual.ts turns it into ctx.error. Every YIELD_EVERY accounts the loop lets the event
 * loop run (the engine may be writing movements meanwhile).
 */
import { Decimal } from "decimal.js";
import {
  AccrualError,
  calculationOrder,
  chargeLine,
  normVolume,
  type CalculationMethod,
  type ChargeInput,
  type ChargeLine,
  type ServiceFacts,
  type TariffFacts,
} from "./accrual.ts";
import { combineMeters, consumption, dateText, meterVolume } from "./accrual-meters.ts";
import {
  derivedLine,
  fastService,
  fastTariff,
  lineMonth,
  lineRecord,
  meterLine,
  simpleLine,
  type LineMonth,
  type FastAccount,
  type FastService,
  type FastTariff,
  type LineRecord,
} from "./accrual-fast.ts";
import { kindOf, type AccountState, type AccrualInputs, type LoadedMeter } from "./accrual-inputs.ts";
import type { PersonalAccountsCatalog } from "../types.gen.ts";
import { monthEnd } from "../../server/api.ts";

export type { LineRecord } from "./accrual-fast.ts";

export class AccrualLineError extends Error {
  constructor(
    message: string,
    readonly account?: string,
  ) {
    super(message);
    this.name = "AccrualLineError";
  }
}

/** Accounts between two yields to the event loop. */
export const YIELD_EVERY = 250;

interface Tariff {
  facts: TariffFacts;
  fast: FastTariff | null;
}

interface PreparedService {
  id: string;
  name: string;
  sources: string[];
  facts: ServiceFacts;
  fast: FastService | null;
  /** Tariff kind → tariff. */
  tariffs: Map<string | null, Tariff>;
  /** Lines of the method are shared between accounts with the same figures (SHARED). */
  sharing: boolean;
  /** Shared lines: tariff kind → the account's figures → record. */
  shared: Map<string | null, Map<string, LineRecord>>;
  /** The source services in the calculation order (DerivedVolume). */
  from: PreparedService[];
  /** The line of the account being priced, and that account's number in the loop. */
  line: LineRecord | null;
  lineOf: number;
}

function prepareServices(inputs: AccrualInputs): PreparedService[] {
  const list = inputs.serviceOrder.map((s): PreparedService => {
    const facts: ServiceFacts = {
      name: s.name,
      Unit: s.Unit ?? null,
      CalculationMethod: s.CalculationMethod,
      Normative: s.Normative ?? null,
      RaisingFactor: s.RaisingFactor ?? null,
    };
    const tariffs = new Map<string | null, Tariff>();
    for (const [kind, t] of inputs.tariffs.get(s.id) ?? []) tariffs.set(kind, { facts: t, fast: fastTariff(t) });
    return {
      id: s.id,
      name: s.name,
      sources: (s.SourceServices ?? []).map((r) => r.Service).filter(Boolean),
      facts,
      fast: fastService(facts),
      tariffs,
      sharing: SHARED.has(facts.CalculationMethod),
      shared: new Map(),
      from: [],
      line: null,
      lineOf: -1,
    };
  });
  let order: PreparedService[];
  try {
    order = calculationOrder(list);
  } catch (e) {
    throw new AccrualLineError((e as Error).message);
  }
  const byId = new Map(order.map((s) => [s.id, s]));
  for (const s of order) s.from = s.sources.map((id) => byId.get(id)).filter((x) => x !== undefined);
  return order;
}

/** The first connected service without a tariff for its tariff kind, as a message; null when all have one. */
export function missingTariff(inputs: AccrualInputs): string | null {
  if (!inputs.missing) return null;
  // The first account (in code order) with such a service names it.
  for (const [i, a] of inputs.accounts.entries()) {
    const conn = inputs.state[i].conn;
    for (let i = 0; i < conn.length; i += 2) {
      const service = conn[i]!,
        kind = conn[i + 1];
      if (inputs.tariffs.get(service)?.has(kind)) continue;
      const s = inputs.services.get(service);
      const k = kind === null ? undefined : inputs.tariffKinds.get(kind);
      return `Нет тарифа на услугу «${s?.name ?? service}» (вид тарифа «${k?.name ?? kind ?? "не указан"}») на ${dateText(monthEnd(inputs.month))}: введите его документом «Изменение тарифов на услуги» (первый лицевой счет с этой услугой: ${a.code})`;
    }
  }
  return null;
}

/** House consumption per `${building}|${service}` (collective meters summed); errors are kept for the lines that need them. */
function houseConsumption(inputs: AccrualInputs): Map<string, { consumption: Decimal; note: string } | Error> {
  const out = new Map<string, { consumption: Decimal; note: string } | Error>();
  for (const [key, meters] of inputs.house) {
    try {
      let total = new Decimal(0);
      const notes: string[] = [];
      for (const m of meters) {
        if (!m.current || !m.previous)
          throw new AccrualError(
            `нет показаний общедомового прибора «${m.name}» за месяц (нужны текущее и предыдущее показания)`,
          );
        total = total.plus(consumption(m, m.previous, m.current));
        notes.push(
          `«${m.name}» ${m.previous.value.toFixed(4).replace(".", ",")} → ${m.current.value.toFixed(4).replace(".", ",")}`,
        );
      }
      out.set(key, { consumption: total, note: notes.join("; ") });
    } catch (e) {
      out.set(key, e as Error);
    }
  }
  return out;
}

/** Methods whose line depends only on the account's areas and residents (and ByMeter without a meter). */
const SHARED = new Set<CalculationMethod>(["ByTotalArea", "ByLivingArea", "ByResidents", "Fixed", "ByNormative"]);

/** The line of `s` for the account numbered `n` in the loop, if priced already. */
const lineOf = (s: PreparedService, n: number): LineRecord | null => (s.lineOf === n ? s.line : null);

/** The line by the decimal.js definition (accrual.ts, accrual-meters.ts), as a record. */
function decimalLine(
  inputs: AccrualInputs,
  houses: ReturnType<typeof houseConsumption>,
  a: PersonalAccountsCatalog,
  s: PreparedService,
  tariff: TariffFacts,
  meters: LoadedMeter[],
  n: number,
): LineRecord {
  const account = { TotalArea: a.TotalArea ?? null, LivingArea: a.LivingArea ?? null, Residents: a.Residents ?? null };
  const input: ChargeInput = { account, service: s.facts, tariff };
  const method = s.facts.CalculationMethod;
  if (method === "ByMeter" && meters.length) {
    const norm = normVolume(account, s.facts);
    input.meter = combineMeters(meters.map((m) => meterVolume(inputs.month, m, m, norm)));
  } else if (method === "DerivedVolume") {
    let v = new Decimal(0);
    const names: string[] = [];
    for (const src of s.from) {
      const x = lineOf(src, n);
      if (x === null) continue;
      v = v.plus(x.fields.Volume);
      names.push(`${src.name} ${x.fields.Volume.replace(".", ",")}`);
    }
    input.sourceVolume = v;
    input.sourceNames = names;
  } else if (method === "HeatingByHouseMeter") {
    const h = houses.get(`${a.Building}|${s.id}`);
    if (h instanceof Error) throw h;
    if (h)
      input.house = {
        consumption: h.consumption,
        buildingArea: inputs.buildings.get(a.Building)?.TotalArea ?? null,
        note: h.note,
      };
  }
  return recordOf(chargeLine(input));
}

/** The record of a line priced by accrual.ts: its figures as decimal strings of the register's scales. */
export function recordOf(l: ChargeLine): LineRecord {
  const f4 = (d: Decimal | null) => (d === null ? null : d.toFixed(4));
  return lineRecord(
    l.method,
    l.volume.toFixed(4),
    l.amount.toFixed(2),
    f4(l.base),
    l.rate.toFixed(4),
    f4(l.previousReading),
    f4(l.currentReading),
    l.explanation,
  );
}

/** The line in integers (accrual-fast.ts), or null when it is not one of those. */
function fastLine(
  lm: LineMonth,
  fa: FastAccount,
  s: PreparedService,
  tariff: FastTariff,
  meters: LoadedMeter[],
  n: number,
): LineRecord | null {
  const svc = s.fast!;
  switch (svc.CalculationMethod) {
    case "ByMeter":
      return meterLine(lm, fa, svc, tariff, meters);
    case "DerivedVolume": {
      const sources: { name: string; volume: number }[] = [];
      for (const src of s.from) {
        const x = lineOf(src, n);
        if (x === null) continue;
        if (x.volume === undefined) return null;
        sources.push({ name: src.name, volume: x.volume });
      }
      return derivedLine(fa, svc, tariff, sources);
    }
    default:
      return simpleLine(fa, svc, tariff);
  }
}

const NO_METERS: LoadedMeter[] = [];
const metersOf = (st: AccountState, service: string): LoadedMeter[] => {
  let out = NO_METERS;
  for (const m of st.meters) if (m.service === service) out = out === NO_METERS ? [m] : [...out, m];
  return out;
};

/**
 * Calls `emit` for every line in order (account code, then service calculation order). Lines
 * are not collected here so that a 100k-account accrual never holds them all twice; `emit`
 * must not change the record (one record may serve many accounts).
 */
export async function computeLines(
  inputs: AccrualInputs,
  emit: (account: string, service: string, line: LineRecord) => void,
): Promise<void> {
  const order = prepareServices(inputs);
  const houses = houseConsumption(inputs);
  const lm = lineMonth(inputs.month);
  let n = 0;
  const { accounts, state } = inputs;
  for (let i = 0; i < accounts.length; i++) {
    if (++n % YIELD_EVERY === 0) await new Promise(setImmediate);
    const a = accounts[i],
      st = state[i];
    if (st.conn.length === 0) continue;
    let figures: string | undefined;
    const fa = st.fast;
    for (const s of order) {
      const kind = kindOf(st.conn, s.id);
      if (kind === undefined) continue;
      const tariff = s.tariffs.get(kind)!;
      const method = s.facts.CalculationMethod;
      const meters = method === "ByMeter" ? metersOf(st, s.id) : NO_METERS;
      let shared: Map<string, LineRecord> | undefined;
      let line: LineRecord | null | undefined;
      if (s.sharing || (method === "ByMeter" && meters.length === 0)) {
        if (figures === undefined)
          figures = fa
            ? `${fa.area}|${fa.living}|${fa.residents}`
            : `d${a.TotalArea ?? null}|${a.LivingArea ?? null}|${a.Residents ?? null}`;
        shared = s.shared.get(kind);
        if (!shared) s.shared.set(kind, (shared = new Map()));
        line = shared.get(figures);
      }
      if (!line) {
        try {
          if (fa && s.fast && tariff.fast) line = fastLine(lm, fa, s, tariff.fast, meters, n);
          line ??= decimalLine(inputs, houses, a, s, tariff.facts, meters, n);
        } catch (e) {
          if (e instanceof AccrualError)
            throw new AccrualLineError(`Лицевой счет ${a.code} (${a.name}), услуга «${s.name}»: ${e.message}`, a.id);
          throw e;
        }
        if (shared) shared.set(figures!, line);
      }
      s.line = line;
      s.lineOf = n;
      emit(a.id, s.id, line);
    }
  }
}
