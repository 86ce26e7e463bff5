/**
 * Every charge line of a group accrual from inputs read in bulk (accrual-inputs.ts): for each
 * account (code order) and each service connected to it (receipt order, a DerivedVolume service
 * after its sources), the meter volume (accrual-meters.ts) and the priced line (accrual.ts).
 * Pure: no database. A missing tariff or an input that cannot be charged raises a LineError
 * naming the account and service; GroupAccrual.ts turns it into ctx.error.
 */
import { Decimal } from "decimal.js";
import type { Row } from "../../server/api.ts";
import { AccrualError, calculationOrder, chargeLine, normVolume, type CalculationMethod, type ChargeInput, type ChargeLine, type ServiceFacts } from "./accrual.ts";
import { combineMeters, consumption, dateText, meterVolume } from "./accrual-meters.ts";
import type { AccrualInputs } from "./accrual-inputs.ts";
import { monthEnd } from "./money.ts";

export class AccrualLineError extends Error {
  constructor(message: string, readonly account?: string) {
    super(message);
    this.name = "AccrualLineError";
  }
}

export interface AccountLine {
  account: string;
  service: string;
  line: ChargeLine;
}

interface PreparedService {
  id: string;
  name: string;
  sources: string[];
  facts: ServiceFacts;
}

function prepareServices(inputs: AccrualInputs): PreparedService[] {
  const list = inputs.serviceOrder.map((s) => ({
    id: s.id as string,
    name: s.name as string,
    sources: ((s.SourceServices ?? []) as Row[]).map((r) => r.Service as string).filter(Boolean),
    facts: {
      name: s.name as string,
      Unit: s.Unit ?? null,
      CalculationMethod: s.CalculationMethod as CalculationMethod,
      Normative: s.Normative ?? null,
      RaisingFactor: s.RaisingFactor ?? null,
    },
  }));
  try {
    return calculationOrder(list);
  } catch (e) {
    throw new AccrualLineError((e as Error).message);
  }
}

/** The first connected service without a tariff for its tariff kind, as a message; null when all have one. */
export function missingTariff(inputs: AccrualInputs): string | null {
  const seen = new Set<string>();
  for (const a of inputs.accounts) {
    for (const [service, kind] of inputs.connected.get(a.id) ?? []) {
      const key = `${service}|${kind}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (inputs.tariffs.has(key)) continue;
      const s = inputs.services.get(service);
      const k = inputs.tariffKinds.get(kind);
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
        const h = inputs.histories.get(m.id);
        if (!h?.current || !h.previous)
          throw new AccrualError(`нет показаний общедомового прибора «${m.name}» за месяц (нужны текущее и предыдущее показания)`);
        total = total.plus(consumption(m, h.previous, h.current));
        notes.push(`«${m.name}» ${h.previous.value.toFixed(4).replace(".", ",")} → ${h.current.value.toFixed(4).replace(".", ",")}`);
      }
      out.set(key, { consumption: total, note: notes.join("; ") });
    } catch (e) {
      out.set(key, e as Error);
    }
  }
  return out;
}

/** Methods whose line depends only on the account's areas and residents: lines are shared between equal accounts. */
const SHARED = new Set<CalculationMethod>(["ByTotalArea", "ByLivingArea", "ByResidents", "Fixed", "ByNormative"]);

/**
 * Calls `emit` for every line in order (account code, then service calculation order). Lines
 * are not collected here so that a 100k-account accrual never holds them all twice.
 */
export function computeLines(inputs: AccrualInputs, emit: (account: string, service: string, line: ChargeLine) => void): void {
  const order = prepareServices(inputs);
  const houses = houseConsumption(inputs);
  const month = inputs.month;
  // Lines of SHARED methods by service, tariff kind, areas and residents: one ChargeLine object
  // serves every account with the same figures (100k accounts have a few thousand distinct ones).
  const shared = new Map<string, ChargeLine>();
  const volumes = new Map<string, Decimal>();
  for (const a of inputs.accounts) {
    const conn = inputs.connected.get(a.id);
    if (!conn || conn.size === 0) continue;
    volumes.clear();
    const account = { TotalArea: a.TotalArea ?? null, LivingArea: a.LivingArea ?? null, Residents: a.Residents ?? null };
    const figures = `${account.TotalArea}|${account.LivingArea}|${account.Residents}`;
    for (const s of order) {
      const kind = conn.get(s.id);
      if (kind === undefined) continue;
      const method = s.facts.CalculationMethod;
      let key: string | undefined;
      if (SHARED.has(method)) {
        key = `${s.id}|${kind}|${figures}`;
        const line = shared.get(key);
        if (line) {
          volumes.set(s.id, line.volume);
          emit(a.id, s.id, line);
          continue;
        }
      }
      const tariff = inputs.tariffs.get(`${s.id}|${kind}`)!;
      const input: ChargeInput = { account, service: s.facts, tariff };
      try {
        if (method === "ByMeter") {
          const ms = inputs.meters.get(`${a.id}|${s.id}`);
          if (ms?.length) {
            const norm = normVolume(account, s.facts);
            input.meter = combineMeters(ms.map((m) => meterVolume(month, m, inputs.histories.get(m.id)!, norm)));
          }
        } else if (method === "DerivedVolume") {
          let v = new Decimal(0);
          const names: string[] = [];
          for (const src of s.sources) {
            const x = volumes.get(src);
            if (x === undefined) continue;
            v = v.plus(x);
            names.push(`${inputs.services.get(src)?.name ?? src} ${x.toFixed(4).replace(".", ",")}`);
          }
          input.sourceVolume = v;
          input.sourceNames = names;
        } else if (method === "HeatingByHouseMeter") {
          const h = houses.get(`${a.Building}|${s.id}`);
          if (h instanceof Error) throw h;
          if (h) input.house = { consumption: h.consumption, buildingArea: inputs.buildings.get(a.Building)?.TotalArea ?? null, note: h.note };
        }
        const line = chargeLine(input);
        if (key) shared.set(key, line);
        volumes.set(s.id, line.volume);
        emit(a.id, s.id, line);
      } catch (e) {
        if (e instanceof AccrualError) throw new AccrualLineError(`Лицевой счет ${a.code} (${a.name}), услуга «${s.name}»: ${e.message}`, a.id);
        throw e;
      }
    }
  }
}
