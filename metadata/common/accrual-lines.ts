/**
 * Every charge line of a group accrual from inputs read in bulk (accrual-inputs.ts): for each
 * account (code order) and each service connected to it (receipt order, a DerivedVolume service
 * after its sources), the line priced by the rules (accrual.ts#chargeLine), as the record to
 * write. Pure: no database. Lines that depend only on the account's areas and residents are
 * priced once per distinct figures and shared (100k accounts have a few thousand distinct ones).
 * A common property (СОИ) line by the house meter subtracts the individual volumes of every open
 * account of its building for the service's source services (SourceServices — e.g. ХВС for
 * «ХВС на СОИ»), each priced as the accrual prices it (metered, average or normative), summed
 * once per building before the loop (commonFacts).
 * An account's benefits (accrual-benefits.ts) reduce its line after pricing, into a new record.
 * A missing tariff or an input that cannot be charged raises an AccrualLineError naming the
 * account and service; GroupAccrual.ts turns it into ctx.error. Every YIELD_EVERY accounts the
 * loop lets the event loop run (the engine may be writing movements meanwhile).
 */
import {
  calculationOrder,
  chargeLine,
  serviceFacts,
  type CalculationMethod,
  type LineRecord,
  type ServiceFacts,
  type TariffFacts,
} from "./accrual.ts";
import { AccrualError, dateText, safe, scaled } from "./accrual-figures.ts";
import { lineMonth } from "./accrual-meters.ts";
import { withBenefits } from "./accrual-benefits.ts";
import { kindOf, type AccountState, type AccrualInputs, type LoadedMeter } from "./accrual-inputs.ts";
import type { CommonFacts } from "./accrual.ts";
import type { PersonalAccountsCatalog } from "../types.gen.ts";
import { monthEnd } from "../../server/api.ts";

export type { LineRecord } from "./accrual.ts";

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

interface PreparedService {
  id: string;
  name: string;
  sources: string[];
  facts: ServiceFacts;
  /** Tariff kind → tariff (null: it has no rate). */
  tariffs: Map<string | null, TariffFacts | null>;
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
  let order: PreparedService[];
  try {
    const list = inputs.serviceOrder.map(
      (s): PreparedService => ({
        id: s.id,
        name: s.name,
        sources: (s.SourceServices ?? []).map((r) => r.Service).filter(Boolean),
        facts: serviceFacts(s),
        tariffs: inputs.tariffs.get(s.id) ?? new Map(),
        sharing: SHARED.has(s.CalculationMethod),
        shared: new Map(),
        from: [],
        line: null,
        lineOf: -1,
      }),
    );
    order = calculationOrder(list);
  } catch (e) {
    if (e instanceof AccrualError) throw new AccrualLineError(e.message);
    throw e;
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

/** The house meters of a common property service for the building (commonSetup; its refusal was raised by commonFacts). */
function houseOfCommon(
  inputs: AccrualInputs,
  s: PreparedService,
  building: string,
  order: PreparedService[],
): { meters: LoadedMeter[]; buildingArea: number | null } {
  return { meters: commonSetup(inputs, s, building, order).meters, buildingArea: null };
}

/** Methods whose line depends only on the account's areas and residents (and ByMeter without a meter). */
const SHARED = new Set<CalculationMethod>(["ByTotalArea", "ByLivingArea", "ByResidents", "Fixed", "ByNormative"]);

/** The volumes of the sources of a DerivedVolume service `s` priced for the account numbered `n` in the loop. */
function sourcesOf(s: PreparedService, n: number): { name: string; volume: number }[] {
  const out: { name: string; volume: number }[] = [];
  for (const src of s.from) if (src.lineOf === n && src.line) out.push({ name: src.name, volume: src.line.volume });
  return out;
}

/** The house meters and the individual services of a common property service `s` in `building`. */
function commonSetup(
  inputs: AccrualInputs,
  s: PreparedService,
  building: string,
  order: PreparedService[],
): { meters: LoadedMeter[]; individual: PreparedService[] } {
  const at = (id: string) => inputs.house.get(`${building}|${id}`)?.meters ?? NO_METERS;
  const own = at(s.id);
  if (s.from.length) {
    const meters = own.length ? own : (s.from.map((x) => at(x.id)).find((m) => m.length) ?? NO_METERS);
    return { meters, individual: s.from };
  }
  // No source services: a house meter of exactly one by-meter service names it; a house meter of
  // the СОИ service itself stands for the one by-meter service of its unit (or the only one).
  const byMeter = order.filter((x) => x.facts.CalculationMethod === "ByMeter");
  const metered = byMeter.filter((x) => at(x.id).length);
  if (!own.length && metered.length === 1) return { meters: at(metered[0].id), individual: metered };
  const sameUnit = byMeter.filter((x) => (x.facts.Unit ?? "") === (s.facts.Unit ?? ""));
  // (several of the unit: the one whose name the СОИ service's name contains — «ХВС» in «ХВС на СОИ»)
  const named = sameUnit.filter((x) => x.name && s.name.includes(x.name));
  const one = sameUnit.length === 1 ? sameUnit : byMeter.length === 1 ? byMeter : named.length === 1 ? named : null;
  if (own.length && one) return { meters: own, individual: one };
  // (no house meter at all: the line says so — chargeLine)
  if (!own.length && !metered.length) return { meters: NO_METERS, individual: [] };
  throw new AccrualError(
    `Услуга «${s.name}»: укажите услуги-источники объема — индивидуальное потребление ресурса, которое вычитается из объема общедомового прибора`,
  );
}

/**
 * The common property figures of every building × СОИ-by-house-meter service of this accrual:
 * the building's areas and Σ of the individual volumes of its open accounts (the document's and
 * the others) for the source services, each line priced as the accrual prices it.
 */
function commonFacts(inputs: AccrualInputs, order: PreparedService[]): Map<string, CommonFacts> {
  const out = new Map<string, CommonFacts>();
  const commons = order.filter(
    (s) =>
      s.facts.CalculationMethod === "CommonPropertyByHouseMeter" ||
      s.facts.CalculationMethod === "CommonPropertyByNormative",
  );
  if (!commons.length) return out;
  const month = lineMonth(inputs.month);
  const byBuilding = new Map<string, { a: PersonalAccountsCatalog; st: AccountState }[]>();
  const list = [
    ...inputs.accounts.map((a, i) => ({ a, st: inputs.state[i] })),
    ...inputs.others.map((a, i) => ({ a, st: inputs.otherState[i] })),
  ];
  for (const x of list) {
    if (!x.a.Building) continue;
    const l = byBuilding.get(x.a.Building);
    if (l) l.push(x);
    else byBuilding.set(x.a.Building, [x]);
  }
  for (const [building, accounts] of byBuilding) {
    const b = inputs.buildings.get(building);
    const name = String(b?.name || b?.Address || building);
    const areas = {
      building: name,
      premises: scaled(b?.PremisesArea, 4, `Здание «${name}»: площадь всех помещений`),
      commonArea: scaled(b?.CommonArea, 4, `Здание «${name}»: площадь общего имущества`),
    };
    for (const s of commons) {
      if (!accounts.some((x) => kindOf(x.st.conn, s.id) !== undefined)) continue;
      if (s.facts.CalculationMethod === "CommonPropertyByNormative") {
        out.set(`${building}|${s.id}`, { ...areas, individual: 0 });
        continue;
      }
      let setup: ReturnType<typeof commonSetup>;
      try {
        setup = commonSetup(inputs, s, building, order);
      } catch (e) {
        if (e instanceof AccrualError) throw new AccrualLineError(e.message);
        throw e;
      }
      // The individual services and, for a derived one, its sources, in the calculation order.
      const needed = new Set<PreparedService>();
      const want = (x: PreparedService) => {
        if (needed.has(x)) return;
        needed.add(x);
        for (const y of x.from) want(y);
      };
      for (const x of setup.individual) want(x);
      const services = order.filter((x) => needed.has(x));
      let individual = 0;
      for (const { a, st } of accounts) {
        const volumes = new Map<PreparedService, number>();
        for (const x of services) {
          const kind = kindOf(st.conn, x.id);
          if (kind === undefined) continue;
          const method = x.facts.CalculationMethod;
          let line: LineRecord;
          try {
            line = chargeLine({
              account: st.facts,
              service: x.facts,
              tariff: x.tariffs.get(kind),
              month,
              meters: method === "ByMeter" ? metersOf(st, x.id) : NO_METERS,
              sources:
                method === "DerivedVolume"
                  ? x.from.filter((y) => volumes.has(y)).map((y) => ({ name: y.name, volume: volumes.get(y)! }))
                  : undefined,
              house: method === "HeatingByHouseMeter" ? inputs.house.get(`${building}|${x.id}`) : undefined,
            });
          } catch (e) {
            if (e instanceof AccrualError)
              throw new AccrualLineError(
                `Лицевой счет ${a.code} (${a.name}), услуга «${x.name}» (индивидуальный объем для СОИ «${s.name}»): ${e.message}`,
                a.id,
              );
            throw e;
          }
          volumes.set(x, line.volume);
          if (setup.individual.includes(x)) individual = safe(individual + line.volume);
        }
      }
      out.set(`${building}|${s.id}`, { ...areas, individual });
    }
  }
  return out;
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
  const month = lineMonth(inputs.month);
  const common = commonFacts(inputs, order);
  let n = 0;
  const { accounts, state } = inputs;
  for (let i = 0; i < accounts.length; i++) {
    if (++n % YIELD_EVERY === 0) await new Promise(setImmediate);
    const a = accounts[i],
      st = state[i];
    if (st.conn.length === 0) continue;
    const account = st.facts;
    let figures: string | undefined;
    for (const s of order) {
      const kind = kindOf(st.conn, s.id);
      if (kind === undefined) continue;
      const method = s.facts.CalculationMethod;
      const meters = method === "ByMeter" ? metersOf(st, s.id) : NO_METERS;
      let shared: Map<string, LineRecord> | undefined;
      let line: LineRecord | undefined;
      if (s.sharing || (method === "ByMeter" && meters.length === 0)) {
        figures ??= account.people
          ? `${account.area}|${account.living}|${account.residents}|${JSON.stringify(account.people)}`
          : `${account.area}|${account.living}|${account.residents}`;
        shared = s.shared.get(kind);
        if (!shared) s.shared.set(kind, (shared = new Map()));
        line = shared.get(figures);
      }
      if (!line) {
        try {
          line = chargeLine({
            account,
            service: s.facts,
            tariff: s.tariffs.get(kind),
            month,
            meters,
            sources: method === "DerivedVolume" ? sourcesOf(s, n) : undefined,
            house:
              method === "HeatingByHouseMeter"
                ? inputs.house.get(`${a.Building}|${s.id}`)
                : method === "CommonPropertyByHouseMeter"
                  ? houseOfCommon(inputs, s, a.Building, order)
                  : undefined,
            common: common.get(`${a.Building}|${s.id}`),
          });
        } catch (e) {
          if (e instanceof AccrualError)
            throw new AccrualLineError(`Лицевой счет ${a.code} (${a.name}), услуга «${s.name}»: ${e.message}`, a.id);
          throw e;
        }
        if (shared) shared.set(figures!, line);
      }
      s.line = line;
      s.lineOf = n;
      if (st.benefits) {
        try {
          line = withBenefits(line, st.benefits, account, s.id, s.facts);
        } catch (e) {
          if (e instanceof AccrualError)
            throw new AccrualLineError(`Лицевой счет ${a.code} (${a.name}), услуга «${s.name}»: ${e.message}`, a.id);
          throw e;
        }
      }
      emit(a.id, s.id, line);
    }
  }
}
