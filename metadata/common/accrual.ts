/**
 * The charge calculation (начисление) of one account × service × month — DOMAIN.md §3.
 * Pure functions: no database, no context. GroupAccrual's posting (documents/GroupAccrual.ts)
 * reads the inputs in bulk (common/accrual-inputs.ts), works out meter volumes
 * (common/accrual-meters.ts) and calls chargeLine() once per line.
 *
 * Methods (Services.CalculationMethod):
 *  - ByTotalArea / ByLivingArea: volume = the account's area, amount = area × rate;
 *  - ByMeter: volume = the meter consumption (accrual-meters.ts: readings, rollover, average
 *    for missing readings, recalculation), or, with no individual meter, the normative
 *    residents × Normative with the service's RaisingFactor (Правила 354, formula 4);
 *  - ByNormative: volume = residents × Normative, amount = volume × rate × RaisingFactor (where set);
 *  - ByResidents: volume = residents;  Fixed: volume 1, amount = rate;
 *  - DerivedVolume: volume = the sum of the source services' volumes of this account this month
 *    (sewerage = cold + hot water);
 *  - HeatingByHouseMeter: volume = house Gcal (collective meter consumption) × account area /
 *    building TotalArea (Правила 354, formula 3).
 * Rate over norm: when the service has Normative > 0 and the tariff RateOverNorm > 0, the volume
 * up to residents × Normative is at Rate and the rest at RateOverNorm; otherwise all at Rate.
 * Rounding: a volume is kept to 4 decimal places (the register's scale, half up) before it is
 * priced; the amount is rounded half up to kopecks once, after all multiplications; totals
 * are sums of rounded lines.
 */
import { Decimal } from "decimal.js";
import { round2 } from "./money.ts";

export type CalculationMethod =
  | "ByTotalArea"
  | "ByLivingArea"
  | "ByMeter"
  | "ByNormative"
  | "ByResidents"
  | "Fixed"
  | "DerivedVolume"
  | "HeatingByHouseMeter";

export const METHODS: readonly CalculationMethod[] = [
  "ByTotalArea",
  "ByLivingArea",
  "ByMeter",
  "ByNormative",
  "ByResidents",
  "Fixed",
  "DerivedVolume",
  "HeatingByHouseMeter",
];

/** A calculation input that cannot be charged (a meter going backwards, no area…): the handler turns it into ctx.error. */
export class AccrualError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AccrualError";
  }
}

export interface AccountFacts {
  TotalArea: Decimal | null;
  LivingArea: Decimal | null;
  Residents: Decimal | null;
}

export interface ServiceFacts {
  name: string;
  Unit?: string | null;
  CalculationMethod: CalculationMethod;
  Normative: Decimal | null;
  RaisingFactor: Decimal | null;
}

export interface TariffFacts {
  Rate: Decimal;
  RateOverNorm: Decimal | null;
}

/** What the meter part (accrual-meters.ts) determined for a ByMeter line. */
export interface MeterVolume {
  volume: Decimal;
  previousReading: Decimal | null;
  currentReading: Decimal | null;
  /** "normative" means no consumption could be measured and the volume is residents × Normative. */
  how: "reading" | "average" | "normative" | "recalculated" | "noMeter";
  /** How the volume came about, for the explanation ("показания 100,0000 → 143,4205"). */
  note: string;
}

export interface ChargeInput {
  account: AccountFacts;
  service: ServiceFacts;
  tariff: TariffFacts;
  /** ByMeter: the meters' combined volume; absent = the account has no individual meter. */
  meter?: MeterVolume;
  /** DerivedVolume: the source services' volumes of this account this month, summed. */
  sourceVolume?: Decimal;
  /** DerivedVolume: the source services' names, for the explanation. */
  sourceNames?: string[];
  /** HeatingByHouseMeter: the collective meter's consumption and the building's total area. */
  house?: { consumption: Decimal; buildingArea: Decimal | null; note?: string };
}

export interface ChargeLine {
  method: CalculationMethod;
  volume: Decimal;
  amount: Decimal;
  base: Decimal | null;
  rate: Decimal;
  previousReading: Decimal | null;
  currentReading: Decimal | null;
  explanation: string;
}

const ZERO = new Decimal(0);

/** Volumes are kept to 4 decimal places, half up (the Accruals.Volume scale). */
export const round4 = (d: Decimal): Decimal => d.toDecimalPlaces(4, Decimal.ROUND_HALF_UP);

/** Russian number text: 59,00 / 2,5000. */
export const fmt = (d: Decimal, places: number): string => d.toFixed(places).replace(".", ",");

const nz = (d: Decimal | null | undefined): Decimal => d ?? ZERO;

/** The norm volume of an account for a service: residents × Normative (null without a normative). */
export function normVolume(account: AccountFacts, service: ServiceFacts): Decimal | null {
  if (!service.Normative || service.Normative.lte(0)) return null;
  return round4(nz(account.Residents).times(service.Normative));
}

/**
 * The amount of a volume at the tariff, unrounded: within the norm at Rate, above it at
 * RateOverNorm (only when the service has a normative and the tariff a rate over norm).
 */
export function price(
  volume: Decimal,
  tariff: TariffFacts,
  norm: Decimal | null,
): { amount: Decimal; overNorm: Decimal } {
  const over = tariff.RateOverNorm;
  if (norm === null || !over || over.lte(0) || volume.lte(norm))
    return { amount: volume.times(tariff.Rate), overNorm: ZERO };
  const above = volume.minus(norm);
  return { amount: norm.times(tariff.Rate).plus(above.times(over)), overNorm: above };
}

export function unitOf(service: { Unit?: string | null }, fallback: string): string {
  return service.Unit ? String(service.Unit) : fallback;
}

// The explanation's parts from figures already written as text (fmt), shared with the integer
// path (accrual-fast.ts) so that both write the same words.
export const areaHead = (area: string, living: boolean) => `${area} м²${living ? " (жилая)" : ""}`;
export const residentsHead = (n: string) => `${n} чел.`;
export const FIXED_HEAD = "фиксированная сумма: 1";
export const NO_METER = "нет прибора учета: ";
export const normativeHead = (prefix: string, residents: string, normative: string, unit: string) =>
  `${prefix}${residents} чел. × ${normative} ${unit}`.trimEnd();
export const meterHead = (volume: string, unit: string, note: string) => `${volume} ${unit} (${note})`;
export const derivedHead = (volume: string, unit: string, names: string[]) =>
  `${volume} ${unit}${names.length ? ` (${names.join(" + ")})` : ""}`;
/** The tail after the head: "× rate" or the split over the norm (within/over/overRate set), the raising factor, "= amount". */
export function explanation(
  head: string,
  rate: string,
  within: string | null,
  over: string | null,
  overRate: string | null,
  factor: string | null,
  amount: string,
): string {
  let tail =
    within !== null
      ? ` = ${within} в пределах норматива × ${rate} + ${over} сверх норматива × ${overRate}`
      : ` × ${rate}`;
  if (factor !== null) tail += ` × ${factor} (повышающий коэффициент)`;
  return `${head}${tail} = ${amount}`;
}

/** Prices `volume` and writes the explanation's tail: "× 20,0000 = 868,41" (or the split over the norm). */
function priced(
  method: CalculationMethod,
  head: string,
  volume: Decimal,
  base: Decimal | null,
  input: ChargeInput,
  factor: Decimal | null,
  meter?: MeterVolume,
): ChargeLine {
  const { tariff } = input;
  const norm = normVolume(input.account, input.service);
  const p = price(volume, tariff, norm);
  const f = factor && !factor.eq(1) && factor.gt(0) ? factor : null;
  const amount = round2(f ? p.amount.times(f) : p.amount);
  const split = p.overNorm.gt(0);
  return {
    method,
    volume,
    amount,
    base,
    rate: tariff.Rate,
    previousReading: meter?.previousReading ?? null,
    currentReading: meter?.currentReading ?? null,
    explanation: explanation(
      head,
      fmt(tariff.Rate, 4),
      split ? fmt(volume.minus(p.overNorm), 4) : null,
      split ? fmt(p.overNorm, 4) : null,
      split ? fmt(tariff.RateOverNorm!, 4) : null,
      f ? fmt(f, 2) : null,
      fmt(amount, 2),
    ),
  };
}

/** The normative volume line (ByNormative, or ByMeter without a meter): residents × Normative × rate (× factor). */
function byNormative(method: CalculationMethod, input: ChargeInput, withFactor: boolean, prefix = ""): ChargeLine {
  const { account, service } = input;
  if (!service.Normative || service.Normative.lte(0))
    throw new AccrualError(`Услуга «${service.name}»: не задан норматив на человека — начислить по нормативу нельзя`);
  const residents = nz(account.Residents);
  const volume = round4(residents.times(service.Normative));
  const head = normativeHead(prefix, fmt(residents, 0), fmt(service.Normative, 4), unitOf(service, ""));
  return priced(method, head, volume, residents, input, withFactor ? service.RaisingFactor : null);
}

/** One charge line: volume, amount (kopecks), base, rate, readings and the explanation. */
export function chargeLine(input: ChargeInput): ChargeLine {
  const { account, service, tariff } = input;
  if (!tariff?.Rate) throw new AccrualError(`Услуга «${service.name}»: нет тарифа`);
  const method = service.CalculationMethod;
  switch (method) {
    case "ByTotalArea":
    case "ByLivingArea": {
      const living = method === "ByLivingArea";
      const area = nz(living ? account.LivingArea : account.TotalArea);
      return priced(method, areaHead(fmt(area, 2), living), area, area, input, null);
    }
    case "ByResidents": {
      const n = nz(account.Residents);
      return priced(method, residentsHead(fmt(n, 0)), n, n, input, null);
    }
    case "Fixed":
      return priced(method, FIXED_HEAD, new Decimal(1), null, input, null);
    case "ByNormative":
      return byNormative(method, input, true);
    case "ByMeter": {
      const m = input.meter;
      if (!m || m.how === "noMeter") return byNormative(method, input, true, NO_METER);
      if (m.how === "normative")
        return {
          ...byNormative(method, input, false, `${m.note}: `),
          previousReading: m.previousReading,
          currentReading: m.currentReading,
        };
      return priced(
        method,
        meterHead(fmt(m.volume, 4), unitOf(service, "м³"), m.note),
        m.volume,
        m.volume,
        input,
        null,
        m,
      );
    }
    case "DerivedVolume": {
      const v = round4(nz(input.sourceVolume));
      return priced(method, derivedHead(fmt(v, 4), unitOf(service, "м³"), input.sourceNames ?? []), v, v, input, null);
    }
    case "HeatingByHouseMeter": {
      const h = input.house;
      if (!h) throw new AccrualError(`Услуга «${service.name}»: у здания нет общедомового прибора учета`);
      if (!h.buildingArea || h.buildingArea.lte(0))
        throw new AccrualError(`Услуга «${service.name}»: у здания не указана общая площадь помещений`);
      const area = nz(account.TotalArea);
      const volume = round4(h.consumption.times(area).div(h.buildingArea));
      const head = `${fmt(h.consumption, 4)} ${unitOf(service, "Гкал")} по дому${h.note ? ` (${h.note})` : ""} × ${fmt(area, 2)} м² / ${fmt(h.buildingArea, 2)} м² = ${fmt(volume, 4)}`;
      return priced(method, head, volume, area, input, null);
    }
    default:
      throw new AccrualError(`Услуга «${service.name}»: неизвестный способ расчета «${String(method)}»`);
  }
}

/**
 * Orders services so that every DerivedVolume service comes after its sources (then by the
 * given order). A cycle among sources is an error naming a service in it.
 */
export function calculationOrder<T extends { id: string; name: string; sources: string[] }>(services: T[]): T[] {
  const byId = new Map(services.map((s) => [s.id, s]));
  const out: T[] = [];
  const state = new Map<string, 1 | 2>();
  const visit = (s: T) => {
    const st = state.get(s.id);
    if (st === 2) return;
    if (st === 1)
      throw new AccrualError(`Услуга «${s.name}»: услуги-источники объема ссылаются друг на друга по кругу`);
    state.set(s.id, 1);
    for (const src of s.sources) {
      const x = byId.get(src);
      if (x) visit(x);
    }
    state.set(s.id, 2);
    out.push(s);
  };
  for (const s of services) visit(s);
  return out;
}
