/**
 * Every charge line of a group accrual from inputs read in bulk (accrual-inputs.ts): for each
 * account (code order) and each service connected to it (receipt order, a DerivedVolume service
 * after its sources), the line priced by the rules (accrual.ts#chargeLine), as the record to
 * write. Pure: no database. Lines that depend only on the account's areas and residents are
 * priced once per distinct figures and shared (100k accounts have a few thousand distinct ones).
 * A missing tariff or an input that cannot be charged raises an AccrualLineError naming the
 * account and service; GroupAccrual.ts turns it into ctx.error. Every YIELD_EVERY accounts the
 * loop lets the event loop run (the engine may be writing movements meanwhile).
 */
import {
  calculationOrder,
  chargeLine,
  serviceFacts,
  type CalculationMethod,
  type ChargeInput,
  type LineRecord,
  type ServiceFacts,
  type TariffFacts,
} from "./accrual.ts";
import { AccrualError, dateText } from "./accrual-figures.ts";
import { lineMonth } from "./accrual-meters.ts";
import { kindOf, type AccountState, type AccrualInputs, type LoadedMeter } from "./accrual-inputs.ts";
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

/** Methods whose line depends only on the account's areas and residents (and ByMeter without a meter). */
const SHARED = new Set<CalculationMethod>(["ByTotalArea", "ByLivingArea", "ByResidents", "Fixed", "ByNormative"]);

/** The volumes of the sources of a DerivedVolume service `s` priced for the account numbered `n` in the loop. */
function sourcesOf(s: PreparedService, n: number): { name: string; volume: number }[] {
  const out: { name: string; volume: number }[] = [];
  for (const src of s.from) if (src.lineOf === n && src.line) out.push({ name: src.name, volume: src.line.volume });
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
        figures ??= `${account.area}|${account.living}|${account.residents}`;
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
            house: method === "HeatingByHouseMeter" ? inputs.house.get(`${a.Building}|${s.id}`) : undefined,
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
      emit(a.id, s.id, line);
    }
  }
}
