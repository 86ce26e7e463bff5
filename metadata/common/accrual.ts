/**
 * The charge calculation (начисление) of one account × service × month — DOMAIN.md §3: the one
 * implementation of each pricing rule. Pure functions: no database, no context. GroupAccrual's
 * posting (documents/GroupAccrual.ts) reads the inputs in bulk (common/accrual-inputs.ts, which
 * makes the facts below) and prices every line with chargeLine() (common/accrual-lines.ts).
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
 *    building TotalArea (Правила 354, formula 3);
 *  - CommonPropertyByHouseMeter (СОИ, Правила 354 п.40, 44–48, formulas 10–15; ЖК РФ ст.156
 *    ч.9.2): volume = (the house meter's consumption − the individual volumes of the building's
 *    accounts as charged) × account TotalArea / building PremisesArea, a negative difference
 *    giving 0, capped (Services.CommonPropertyCap, empty = true) at CommonPropertyNormative ×
 *    building CommonArea × TotalArea / PremisesArea; CommonPropertyByNormative: that cap itself.
 * Persons (residents) are the Residents register's, pro rata by days, the owners on days nobody
 * is registered (п.56(2)); a tariff changed within the month is priced pro rata by days.
 * Rate over norm: when the service has Normative > 0 and the tariff RateOverNorm > 0, the volume
 * up to residents × Normative is at Rate and the rest at RateOverNorm; otherwise all at Rate.
 * Rounding (accrual-figures.ts, exact integers): a volume is kept to 4 decimal places (the
 * register's scale, half up) before it is priced; the amount is rounded half up to kopecks once,
 * after all multiplications; totals are sums of rounded lines. The explanation of the line is
 * written by accrual-explanation.ts from the Basis the rule gives it.
 */
import type { Decimal } from "decimal.js";
import {
  AccrualError,
  bigQuotient,
  decText,
  kopText,
  productRounded,
  quotientRounded,
  ru4,
  safe,
  scaled,
  text4,
} from "./accrual-figures.ts";
import {
  explanation,
  type Basis,
  type CommonBasis,
  type MeterNote,
  type PeopleNote,
  type Pricing,
} from "./accrual-explanation.ts";
import {
  houseConsumption,
  metersVolume,
  type LineMonth,
  type MeterFacts,
  type MeterHistory,
} from "./accrual-meters.ts";

export type CalculationMethod =
  | "ByTotalArea"
  | "ByLivingArea"
  | "ByMeter"
  | "ByNormative"
  | "ByResidents"
  | "Fixed"
  | "DerivedVolume"
  | "HeatingByHouseMeter"
  | "CommonPropertyByHouseMeter"
  | "CommonPropertyByNormative";

export const METHODS: readonly CalculationMethod[] = [
  "ByTotalArea",
  "ByLivingArea",
  "ByMeter",
  "ByNormative",
  "ByResidents",
  "Fixed",
  "DerivedVolume",
  "HeatingByHouseMeter",
  "CommonPropertyByHouseMeter",
  "CommonPropertyByNormative",
];

/** The account's TotalArea, LivingArea and Residents in ten-thousandths (not set: 0). */
export interface AccountFacts {
  area: number;
  living: number;
  /** Persons of the month (the Residents register's, pro rata by days; else the catalog's Residents). */
  residents: number;
  /** How `residents` came about when it is not the catalog's plain figure (accrual-inputs.ts#residentsOf). */
  people?: PeopleNote | null;
}

export interface ServiceFacts {
  name: string;
  Unit?: string | null;
  CalculationMethod: CalculationMethod;
  /** Per person, in ten-thousandths (null: not set). */
  normative: number | null;
  /** RaisingFactor in hundredths (null: not set). */
  factor: number | null;
  /** СОИ: CommonPropertyNormative per m² of common area, in ten-thousandths (null: not set). */
  commonNormative: number | null;
  /** СОИ: capped by the normative (CommonPropertyCap; empty: true). */
  cap: boolean;
}

export interface TariffFacts {
  /** Rate and RateOverNorm in ten-thousandths. */
  rate: number;
  over: number | null;
  /** Rate as the record writes it ("20.0000") and as the explanation does ("20,0000"); RateOverNorm too. */
  rateText: string;
  rateRu: string;
  overRu: string | null;
  /** A tariff changed within the month: every rate in force with its days (null: one rate the whole month). */
  parts?: TariffPart[] | null;
  monthDays?: number;
}

/** A rate in force for `days` days of the month. */
export interface TariffPart {
  rate: number;
  over: number | null;
  rateRu: string;
  overRu: string | null;
  days: number;
}

/** An account's facts from its catalog row. */
export function accountFacts(a: {
  TotalArea?: Decimal | string | null;
  LivingArea?: Decimal | string | null;
  Residents?: Decimal | string | null;
}): AccountFacts {
  return {
    area: scaled(a.TotalArea, 4, "Общая площадь") ?? 0,
    living: scaled(a.LivingArea, 4, "Жилая площадь") ?? 0,
    residents: scaled(a.Residents, 4, "Проживающих") ?? 0,
  };
}

/** A service's facts from its catalog row. */
export function serviceFacts(s: {
  name: string;
  Unit?: string | null;
  CalculationMethod: CalculationMethod;
  Normative?: Decimal | string | null;
  RaisingFactor?: Decimal | string | null;
  CommonPropertyNormative?: Decimal | string | null;
  CommonPropertyCap?: boolean | null;
}): ServiceFacts {
  return {
    name: s.name,
    Unit: s.Unit ?? null,
    CalculationMethod: s.CalculationMethod,
    normative: scaled(s.Normative, 4, `Услуга «${s.name}»: норматив`),
    factor: scaled(s.RaisingFactor, 2, `Услуга «${s.name}»: повышающий коэффициент`),
    commonNormative: scaled(s.CommonPropertyNormative, 4, `Услуга «${s.name}»: норматив на СОИ`),
    cap: s.CommonPropertyCap !== false,
  };
}

/** A tariff's facts from its register row; null without a rate. */
export function tariffFacts(t: {
  Rate?: Decimal | string | null;
  RateOverNorm?: Decimal | string | null;
}): TariffFacts | null {
  const rate = scaled(t.Rate, 4, "Тариф");
  if (rate === null) return null;
  const over = scaled(t.RateOverNorm, 4, "Тариф сверх нормы");
  const rateText = text4(rate);
  return { rate, over, rateText, rateRu: ru4(rate), overRu: over === null ? null : ru4(over) };
}

/**
 * The tariff of a month in which it changed: `parts` are the tariffs in force, in date order,
 * each with its days of the month's `monthDays`; a part without a rate (null) counts with the
 * one before it (the first with the next). The record's Rate is the one in force at the month's
 * end; the amount is priced pro rata by days (price()). Null when no part has a rate.
 */
export function proRataTariff(
  parts: { tariff: TariffFacts | null; days: number }[],
  monthDays: number,
): TariffFacts | null {
  const out: TariffPart[] = [];
  let carry = 0;
  for (const { tariff: t, days } of parts) {
    if (!t) {
      if (out.length) out[out.length - 1].days += days;
      else carry += days;
      continue;
    }
    out.push({ rate: t.rate, over: t.over, rateRu: t.rateRu, overRu: t.overRu, days: days + carry });
    carry = 0;
  }
  // (no rate at the month's end: no tariff, as without a change)
  const last = parts.at(-1)?.tariff;
  if (!last || out.length === 0) return null;
  if (out.length === 1) return last;
  return { ...last, parts: out, monthDays };
}

/** The register fields of one Accruals record: decimal strings of the register's scales. */
export interface LineFields {
  Volume: string;
  Amount: string;
  Benefits: string;
  Recalculation: string;
  Method: string;
  Base: string | null;
  Rate: string;
  PreviousReading: string | null;
  CurrentReading: string | null;
  Explanation: string;
  /** The raising factor the amount was multiplied by ("1.50"; "0.00": none) and what it added ("138.70"), for the 43/пр receipt. */
  RaisingFactor: string;
  RaisingFactorExcess: string;
}

/**
 * A priced line ready to write; `charged`: the amount due is not zero (it goes to Settlements);
 * `due`: with benefits, Amount − Benefits as Settlements takes it (accrual-benefits.ts; absent: Amount).
 */
export interface LineRecord {
  fields: LineFields;
  charged: boolean;
  due?: string;
  /** The volume in ten-thousandths (a DerivedVolume line adds its sources' ones). */
  volume: number;
}

/** One line to price: the facts, and what its method needs beside them. */
export interface ChargeInput {
  account: AccountFacts;
  service: ServiceFacts;
  tariff: TariffFacts | null | undefined;
  /** ByMeter: the account's meters of the service (none: by normative) and the month. */
  month?: LineMonth;
  meters?: (MeterFacts & MeterHistory)[];
  /** DerivedVolume: the source services' volumes of this account this month (ten-thousandths). */
  sources?: { name: string; volume: number }[];
  /** HeatingByHouseMeter, CommonPropertyByHouseMeter: the building's collective meters of the service and its total area (ten-thousandths). */
  house?: { meters: (MeterFacts & MeterHistory)[]; buildingArea: number | null };
  /** CommonProperty…: the building's areas and the individual volumes of its accounts this month (ten-thousandths). */
  common?: CommonFacts;
}

/** A building's figures for its common property (СОИ) line of one service. */
export interface CommonFacts {
  building: string;
  /** PremisesArea and CommonArea (null: not set). */
  premises: number | null;
  commonArea: number | null;
  /** Σ the individual volumes (as charged) of the building's accounts for the source services. */
  individual: number;
}

export const text500 = (s: string): string => (s.length > 500 ? s.slice(0, 499) + "…" : s);
/** 1 in ten-thousandths (a Fixed line's volume) and in hundredths (no raising factor). */
const ONE = 10000;
const FACTOR_ONE = 100;

export function unitOf(service: { Unit?: string | null }, fallback: string): string {
  return service.Unit ? String(service.Unit) : fallback;
}

/**
 * The norm volume of an account for a service: residents × Normative, to 4 decimals (null without
 * a normative). One beyond 2^53 ten-thousandths exceeds every volume the registers hold: it is
 * Infinity, refused (safe()) only where a line is charged by it.
 */
export function normVolume(account: AccountFacts, service: ServiceFacts): number | null {
  if (service.normative === null || service.normative <= 0) return null;
  try {
    return productRounded(account.residents, service.normative, 0, 0, 1, 4);
  } catch (e) {
    if (e instanceof AccrualError) return Infinity;
    throw e;
  }
}

/**
 * Prices `volume`: within the norm at Rate, above it at RateOverNorm (only when the service has
 * a normative and the tariff a rate over norm), × the raising factor `factor` (hundredths; none
 * when not above 0 or 1), rounded half up to kopecks once.
 */
export function price(volume: number, tariff: TariffFacts, norm: number | null, factor: number | null): Pricing {
  const f = factor !== null && factor !== FACTOR_ONE && factor > 0 ? factor : null;
  const parts = tariff.parts;
  if (parts) return priceProRata(volume, tariff, parts, norm, f);
  const over = tariff.over;
  const split = norm !== null && over !== null && over > 0 && volume > norm;
  const within = split ? norm : volume;
  const above = split ? safe(volume - norm) : 0;
  return {
    rate: tariff.rateRu,
    overRate: tariff.overRu,
    within,
    over: above,
    factor: f,
    amount: productRounded(within, tariff.rate, above, split ? over : 0, f ?? FACTOR_ONE, 8),
  };
}

/**
 * A tariff changed within the month: Σ (volume × rate of the part, split at the norm where that
 * part has a rate over norm) × its days / the month's days, × the factor — rounded once.
 */
function priceProRata(
  volume: number,
  tariff: TariffFacts,
  parts: TariffPart[],
  norm: number | null,
  f: number | null,
): Pricing {
  const monthDays = tariff.monthDays ?? parts.reduce((s, p) => s + p.days, 0);
  const split = norm !== null && volume > norm && parts.some((p) => p.over !== null && p.over > 0);
  const within = split ? norm : volume;
  const above = split ? safe(volume - norm) : 0;
  let sum = 0n;
  for (const p of parts) {
    const byRate = p.over !== null && p.over > 0;
    const x = byRate
      ? BigInt(within) * BigInt(p.rate) + BigInt(above) * BigInt(p.over!)
      : BigInt(volume) * BigInt(p.rate);
    sum += x * BigInt(p.days);
  }
  const amount = bigQuotient(sum * BigInt(f ?? FACTOR_ONE), BigInt(monthDays) * 10n ** 8n);
  return {
    rate: tariff.rateRu,
    overRate: tariff.overRu,
    within,
    over: above,
    factor: f,
    parts: parts.map((p) => ({ rate: p.rateRu, overRate: p.overRu, days: p.days })),
    monthDays,
    amount,
  };
}

/** Prices the line and writes its record, its explanation from `basis`. */
function priced(
  method: CalculationMethod,
  basis: Basis,
  volume: number,
  base: number | null,
  input: ChargeInput,
  tariff: TariffFacts,
  factor: number | null,
  previous: number | null = null,
  current: number | null = null,
): LineRecord {
  // (the norm matters only to a tariff with a rate over norm)
  const overNorm = tariff.parts
    ? tariff.parts.some((x) => x.over !== null && x.over > 0)
    : tariff.over !== null && tariff.over > 0;
  const norm = overNorm ? normVolume(input.account, input.service) : null;
  const p = price(volume, tariff, norm, factor);
  const volumeText = text4(volume);
  const amount = kopText(p.amount);
  return {
    fields: {
      Volume: volumeText,
      Amount: amount,
      Benefits: "0.00",
      Recalculation: "0.00",
      Method: method,
      Base: base === null ? null : base === volume ? volumeText : text4(base),
      Rate: tariff.rateText,
      PreviousReading: previous === null ? null : text4(previous),
      CurrentReading: current === null ? null : text4(current),
      Explanation: text500(explanation(basis, p)),
      RaisingFactor: p.factor === null ? "0.00" : decText(p.factor, 2, 2),
      RaisingFactorExcess: p.factor === null ? "0.00" : kopText(p.amount - price(volume, tariff, norm, null).amount),
    },
    charged: p.amount !== 0,
    volume,
  };
}

/** The normative volume line (ByNormative, or ByMeter without a measured consumption): residents × Normative × rate (× factor). */
function byNormative(
  method: CalculationMethod,
  input: ChargeInput,
  tariff: TariffFacts,
  withFactor: boolean,
  via: "none" | MeterNote | null,
  previous: number | null = null,
  current: number | null = null,
): LineRecord {
  const { account, service } = input;
  const norm = normVolume(account, service);
  if (norm === null)
    throw new AccrualError(`Услуга «${service.name}»: не задан норматив на человека — начислить по нормативу нельзя`);
  const volume = safe(norm);
  const basis: Basis = {
    kind: "normative",
    residents: account.residents,
    normative: service.normative!,
    unit: unitOf(service, ""),
    via,
    people: account.people,
  };
  return priced(
    method,
    basis,
    volume,
    account.residents,
    input,
    tariff,
    withFactor ? service.factor : null,
    previous,
    current,
  );
}

/**
 * A common property (СОИ) line, Правила 354 п.44–48: by the house meter (formulas 11–12 and 15:
 * (V house − Σ V individual) × S / S premises, a negative difference giving 0 — п.44's
 * volume above the normative, and a negative one, stay with the management company) capped by
 * the normative (formulas 10, 15: normative × S common × S / S premises) unless the owners
 * decided otherwise (Services.CommonPropertyCap = false); without a house meter the normative
 * figure itself (CommonPropertyByNormative).
 */
function commonProperty(method: CalculationMethod, input: ChargeInput, tariff: TariffFacts): LineRecord {
  const { account, service } = input;
  const c = input.common;
  if (!c) throw new Error("chargeLine: a common property line needs its building's figures");
  const premises = c.premises;
  if (premises === null || premises <= 0)
    throw new AccrualError(
      `Здание «${c.building}»: не указана площадь всех жилых и нежилых помещений — объем на СОИ делится пропорционально ей`,
    );
  const byNormative = method === "CommonPropertyByNormative";
  let cap: CommonBasis["cap"] = null;
  if (service.cap || byNormative) {
    if (service.commonNormative === null || service.commonNormative < 0)
      throw new AccrualError(
        `Услуга «${service.name}»: ${service.commonNormative === null ? "не задан норматив на СОИ на 1 м² общего имущества" : `норматив на СОИ не может быть отрицательным (указано ${ru4(service.commonNormative)})`}`,
      );
    if (c.commonArea === null)
      throw new AccrualError(
        `Здание «${c.building}»: не указана площадь общего имущества — норматив СОИ не рассчитать`,
      );
    const n = BigInt(service.commonNormative) * BigInt(c.commonArea) * BigInt(account.area);
    cap = {
      normative: service.commonNormative,
      commonArea: c.commonArea,
      volume: bigQuotient(n, BigInt(premises) * 10000n),
    };
  }
  const unit = unitOf(service, "м³");
  let house: CommonBasis["house"] = null;
  let volume: number;
  if (byNormative) volume = cap!.volume;
  else {
    const h = input.house;
    if (!h?.meters.length)
      throw new AccrualError(
        `у здания «${c.building}» нет общедомового прибора учета этой услуги — выберите способ расчета «СОИ по нормативу»`,
      );
    const { consumption, meters } = houseConsumption(h.meters);
    const difference = safe(consumption - c.individual);
    const share = difference > 0 ? quotientRounded(difference, account.area, premises) : 0;
    house = { consumption, meters, individual: c.individual, difference, share };
    volume = cap && share > cap.volume ? cap.volume : share;
  }
  const basis: CommonBasis = { kind: "common", unit, area: account.area, premises, cap, house, volume };
  return priced(method, basis, volume, account.area, input, tariff, null);
}

/** One charge line: volume, amount (kopecks), base, rate, readings and the explanation, as the record to write. */
export function chargeLine(input: ChargeInput): LineRecord {
  const { account, service, tariff } = input;
  if (!tariff) throw new AccrualError(`Услуга «${service.name}»: нет тарифа`);
  const method = service.CalculationMethod;
  switch (method) {
    case "ByTotalArea":
    case "ByLivingArea": {
      const living = method === "ByLivingArea";
      const area = living ? account.living : account.area;
      return priced(method, { kind: "area", area, living }, area, area, input, tariff, null);
    }
    case "ByResidents": {
      const n = account.residents;
      return priced(method, { kind: "residents", residents: n, people: account.people }, n, n, input, tariff, null);
    }
    case "Fixed":
      return priced(method, { kind: "fixed" }, ONE, null, input, tariff, null);
    case "ByNormative":
      return byNormative(method, input, tariff, true, null);
    case "ByMeter": {
      const meters = input.meters;
      if (!meters?.length) return byNormative(method, input, tariff, true, "none");
      if (!input.month) throw new Error("chargeLine: the meters' volume needs the month of the line");
      const v = metersVolume(input.month, meters, normVolume(account, service));
      if (v.normative) return byNormative(method, input, tariff, v.raised, v.note, v.previous, v.current);
      const basis: Basis = { kind: "meter", volume: v.volume, unit: unitOf(service, "м³"), note: v.note };
      return priced(method, basis, v.volume, v.volume, input, tariff, null, v.previous, v.current);
    }
    case "DerivedVolume": {
      const sources = input.sources ?? [];
      let volume = 0;
      for (const s of sources) volume = safe(volume + s.volume);
      const basis: Basis = { kind: "derived", volume, unit: unitOf(service, "м³"), sources };
      return priced(method, basis, volume, volume, input, tariff, null);
    }
    case "HeatingByHouseMeter": {
      const h = input.house;
      if (!h) throw new AccrualError(`Услуга «${service.name}»: у здания нет общедомового прибора учета`);
      if (h.buildingArea === null || h.buildingArea <= 0)
        throw new AccrualError(`Услуга «${service.name}»: у здания не указана общая площадь помещений`);
      const { consumption, meters } = houseConsumption(h.meters);
      const volume = quotientRounded(consumption, account.area, h.buildingArea);
      const basis: Basis = {
        kind: "house",
        consumption,
        unit: unitOf(service, "Гкал"),
        meters,
        area: account.area,
        buildingArea: h.buildingArea,
        volume,
      };
      return priced(method, basis, volume, account.area, input, tariff, null);
    }
    case "CommonPropertyByHouseMeter":
    case "CommonPropertyByNormative":
      return commonProperty(method, input, tariff);
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
