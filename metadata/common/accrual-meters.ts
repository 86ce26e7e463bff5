/**
 * Meter volumes for ByMeter lines and the house meter of HeatingByHouseMeter — DOMAIN.md §3.
 * Pure functions over readings already read (common/accrual-inputs.ts reads them in bulk); the
 * figures are scaled integers (accrual-figures.ts: readings and volumes in ten-thousandths).
 * What a volume came from is returned as a note (accrual-explanation.ts writes its words).
 *
 * Consumption = current − previous. A Cyclic meter with DigitCapacity N rolls over: when the
 * current reading is below the previous one, consumption = current − previous + 10^N. A
 * Cumulative meter never rolls over: a reading below the previous one is an error the user
 * sees (naming the meter, both readings and their dates). A cyclic meter without a digit
 * capacity (the seed's ГВС has 0) cannot roll over either: same error.
 *
 * The readings of a month M (DOMAIN.md §2, as the MeterReadings document takes them): those
 * dated after the READINGS_CUTOFF_DAY (25th) of M−1 up to the 25th of M; a reading's
 * "reading month" is the month it counts for (readingMonth()). `current` is the latest reading
 * of M; `previous` is the latest reading before it (the latest before M's readings when there is
 * no current one).
 *
 * Missing reading (no reading dated in the month), Правила 354 п.59–60 (verify):
 *  - for at most MAX_ESTIMATED_MONTHS months after the last real reading the month is charged
 *    the average monthly consumption; the average is the consumption between the last real
 *    reading and the earliest reading of the AVERAGE_MAX_MONTHS months before it, divided by
 *    the months between them, which must be at least AVERAGE_MIN_MONTHS (fewer months of
 *    history: no average), kept to 4 decimal places (half up);
 *  - after that, or without an average, by normative (residents × Normative, no raising factor).
 * Recalculation when the real reading arrives: the month with the real reading is charged the
 * real consumption since the last real reading MINUS what was estimated for the months in
 * between, recomputed by the rule above from the same readings (the k-th month after the last
 * reading: the average while k ≤ MAX_ESTIMATED_MONTHS and an average exists, else the normative
 * volume with the account's current residents). The net volume may be negative (a refund).
 * This assumes the months in between were accrued (the monthly cycle accrues every open account).
 * A meter whose first reading ever falls in the month has no consumption yet: by normative.
 *
 * Meter past its verification date (Meters.NextVerification), Правила 354 п.59а, 60: from the
 * month of the first day after that date (the reading month of that day), the k-th such month is
 * charged the average monthly consumption (as above, from the readings up to that date) while
 * k ≤ MAX_UNVERIFIED_MONTHS, then — or without an average — by normative WITH the service's
 * raising factor. A reading taken after the date is kept in the register but not used for the
 * charge (the explanation names it). Re-verified (a later NextVerification), the meter counts
 * again from its next readings.
 */
import { addDays, addMonths } from "../../server/api.ts";
import { AccrualError, dateText, quotientRounded, ru4, safe } from "./accrual-figures.ts";
import { normativeWhy, type Estimate, type MeterNote, type NormativeWhy, type Reading } from "./accrual-explanation.ts";

export type { Reading } from "./accrual-explanation.ts";

/** Readings not submitted: months charged by the average before the normative (verify: 3 for a failed meter, 6 for readings not submitted). */
export const MAX_ESTIMATED_MONTHS = 6;
/** The average needs at least this many months between two readings (verify). */
export const AVERAGE_MIN_MONTHS = 3;
/** …and looks back at most this many months from the last real reading (verify). */
export const AVERAGE_MAX_MONTHS = 12;
/** A meter past its verification date: months charged by the average before the normative with the raising factor (Правила 354 п.59а). */
export const MAX_UNVERIFIED_MONTHS = 3;

// the cutoff of a month's readings (the 25th): common/readings.ts, shared with the form
import { READINGS_CUTOFF_DAY, cutoffOf } from "./readings.ts";
export { READINGS_CUTOFF_DAY, cutoffOf };

/** The month ('YYYY-MM-01') a reading dated `period` counts for. */
export function readingMonth(period: string): string {
  const m = `${period.slice(0, 7)}-01`;
  if (Number(period.slice(8, 10)) <= READINGS_CUTOFF_DAY) return m;
  const y = Number(m.slice(0, 4)),
    mo = Number(m.slice(5, 7));
  return mo === 12
    ? `${String(y + 1).padStart(4, "0")}-01-01`
    : `${m.slice(0, 5)}${String(mo + 1).padStart(2, "0")}-01`;
}

/** Calendar months from the month of `a` to the month of `b` (b − a), both 'YYYY-MM-DD'. */
export function monthsBetween(a: string, b: string): number {
  return (Number(b.slice(0, 4)) - Number(a.slice(0, 4))) * 12 + Number(b.slice(5, 7)) - Number(a.slice(5, 7));
}

/** The month of a line: 'YYYY-MM-01', and cutoffOf(month − 2): a previous reading dated after it leaves no month between. */
export interface LineMonth {
  month: string;
  recent: string;
}
export const lineMonth = (month: string): LineMonth => ({ month, recent: cutoffOf(addMonths(month, -2)) });

export interface MeterFacts {
  id: string;
  name: string;
  ReadingType: string | null;
  /** Digits of a cyclic meter (null: not set). */
  DigitCapacity: number | null;
  /** Meters.NextVerification 'YYYY-MM-DD' (null: not set): readings after it are not used. */
  verifiedUntil?: string | null;
}

export interface MeterHistory {
  current: Reading | null;
  previous: Reading | null;
  /** The earliest reading whose reading month is at most AVERAGE_MAX_MONTHS before `previous`'s. */
  windowStart: Reading | null;
  /** Past verification: the latest reading after the verification date, kept but not used. */
  ignored?: Reading | null;
}

/** The volume of one meter (or several together) for a month, in ten-thousandths. */
export interface MeterVolume {
  volume: number;
  previous: number | null;
  current: number | null;
  /** No consumption could be measured: the line is by normative and `volume` is the norm. */
  normative: boolean;
  /** …with the service's raising factor (a meter past its verification, п.60). */
  raised: boolean;
  note: MeterNote;
}

/** The first month ('YYYY-MM-01') whose readings a meter verified until `until` no longer measures: that of the day after. */
export const firstUnverifiedMonth = (until: string): string => readingMonth(addDays(until, 1));

/** How many months `month` is past the meter's verification (1: the first month), 0 when it is not. */
export function monthsUnverified(month: string, until: string | null | undefined): number {
  if (!until) return 0;
  const first = firstUnverifiedMonth(until);
  return month >= first ? monthsBetween(first, month) + 1 : 0;
}

const readingText = (r: Reading) => `${ru4(r.value)} на ${dateText(r.period)}`;

/** Consumption between two readings of one meter, with the rollover of a cyclic meter. */
export function consumption(meter: MeterFacts, from: Reading, to: Reading): number {
  const d = to.value - from.value;
  if (d >= 0) return d;
  const digits = meter.DigitCapacity ?? 0;
  if (meter.ReadingType === "Cyclic" && digits > 0) return safe(d + 10 ** (digits + 4));
  const why =
    meter.ReadingType === "Cyclic"
      ? "у циклического прибора не указана разрядность, переход через ноль невозможен"
      : "показания накопительного прибора не уменьшаются";
  throw new AccrualError(
    `Прибор учета «${meter.name}»: показание ${readingText(to)} меньше предыдущего ${readingText(from)} — ${why}; исправьте показание`,
  );
}

/** The average monthly consumption before a gap, or null when there are fewer than AVERAGE_MIN_MONTHS months of history. */
export function averageMonthly(meter: MeterFacts, h: MeterHistory): { average: number; months: number } | null {
  const { previous, windowStart } = h;
  if (!previous || !windowStart || windowStart.period >= previous.period) return null;
  const months = monthsBetween(readingMonth(windowStart.period), readingMonth(previous.period));
  if (months < AVERAGE_MIN_MONTHS || months > AVERAGE_MAX_MONTHS) return null;
  return { average: quotientRounded(consumption(meter, windowStart, previous), 1, months), months };
}

/**
 * The volume of one meter for the month. `norm` is residents × Normative (null without a
 * normative). normative = true: charge the line by normative (the volume is the norm).
 */
export function meterVolume(lm: LineMonth, meter: MeterFacts, h: MeterHistory, norm: number | null): MeterVolume {
  const unverified = monthsUnverified(lm.month, meter.verifiedUntil);
  if (unverified > 0) return unverifiedVolume(meter, h, norm, unverified);
  const { current, previous } = h;
  if (current) {
    if (!previous) return byNorm(meter, h, norm, { no: "consumption", first: current });
    const real = consumption(meter, previous, current);
    const p = previous.value,
      c = current.value;
    if (previous.period > lm.recent)
      return {
        volume: real,
        previous: p,
        current: c,
        normative: false,
        raised: false,
        note: { how: "reading", previous: p, current: c },
      };
    // Months without readings before this one: the real consumption minus what they were charged.
    const gap = monthsBetween(readingMonth(previous.period), lm.month) - 1;
    const avg = averageMonthly(meter, h);
    let estimated = 0;
    const parts: Estimate[] = [];
    for (let k = 1; k <= gap; k++) {
      const byAverage = avg !== null && k <= MAX_ESTIMATED_MONTHS;
      const volume = byAverage ? avg.average : norm;
      if (volume === null) continue;
      estimated = safe(estimated + volume);
      parts.push({ volume, byAverage });
    }
    return {
      volume: safe(real - estimated),
      previous: p,
      current: c,
      normative: false,
      raised: false,
      note: { how: "recalculated", previous: p, current: c, since: previous.period, real, gap, estimated, parts },
    };
  }
  if (!previous) return byNorm(meter, h, norm, { no: "readings" });
  const k = monthsBetween(readingMonth(previous.period), lm.month);
  const avg = averageMonthly(meter, h);
  if (avg && k <= MAX_ESTIMATED_MONTHS)
    return {
      volume: avg.average,
      previous: previous.value,
      current: null,
      normative: false,
      raised: false,
      note: { how: "average", k, months: avg.months, last: previous.period },
    };
  const why: NormativeWhy = avg
    ? { no: "average", k, over: MAX_ESTIMATED_MONTHS }
    : { no: "history", under: AVERAGE_MIN_MONTHS };
  return byNorm(meter, h, norm, why);
}

/**
 * The k-th month past the verification date (k ≥ 1): the average of the readings up to that date
 * (h.previous is the last of them) while k ≤ MAX_UNVERIFIED_MONTHS, then the normative with the
 * raising factor (Правила 354 п.59а, 60).
 */
function unverifiedVolume(meter: MeterFacts, h: MeterHistory, norm: number | null, k: number): MeterVolume {
  const until = meter.verifiedUntil!;
  const ignored = h.ignored ?? null;
  const avg = averageMonthly(meter, h);
  if (avg && h.previous && k <= MAX_UNVERIFIED_MONTHS)
    return {
      volume: avg.average,
      previous: h.previous.value,
      current: null,
      normative: false,
      raised: false,
      note: { how: "unverified", meter: meter.name, until, k, months: avg.months, last: h.previous.period, ignored },
    };
  const why: NormativeWhy = {
    no: "verification",
    until,
    k,
    over: MAX_UNVERIFIED_MONTHS,
    average: avg !== null,
    ignored,
  };
  return { ...byNorm(meter, { ...h, current: null }, norm, why), raised: true };
}

/** No consumption could be measured: the norm, or the refusal without a normative. */
function byNorm(meter: MeterFacts, h: MeterHistory, norm: number | null, why: NormativeWhy): MeterVolume {
  if (norm === null)
    throw new AccrualError(
      `Прибор учета «${meter.name}»: ${normativeWhy(why)}, а норматив услуги не задан — введите показание или норматив`,
    );
  return {
    volume: norm,
    previous: h.previous?.value ?? null,
    current: h.current?.value ?? null,
    normative: true,
    raised: false,
    note: { how: "normative", meter: meter.name, why },
  };
}

/**
 * The volume of an account's meters of one service (kitchen and bathroom risers): the volumes
 * add up; if any meter has no data the whole line is by normative (the norm is per account, not
 * per meter).
 */
export function metersVolume(lm: LineMonth, meters: (MeterFacts & MeterHistory)[], norm: number | null): MeterVolume {
  if (meters.length === 1) return meterVolume(lm, meters[0], meters[0], norm);
  const volumes = meters.map((m) => meterVolume(lm, m, m, norm));
  const normative = volumes.find((v) => v.normative);
  if (normative) return { ...normative, previous: null, current: null };
  let volume = 0;
  for (const v of volumes) volume = safe(volume + v.volume);
  return {
    volume,
    previous: null,
    current: null,
    normative: false,
    raised: false,
    note: { how: "several", notes: volumes.map((v) => v.note) },
  };
}

/** A building's collective meters of one service: their consumption in the month, summed. */
export interface HouseConsumption {
  consumption: number;
  meters: { name: string; previous: number; current: number }[];
}

/** The house consumption of the collective `meters` (each needs this month's and the previous reading). */
export function houseConsumption(meters: (MeterFacts & MeterHistory)[]): HouseConsumption {
  let total = 0;
  const read: HouseConsumption["meters"] = [];
  for (const m of meters) {
    if (!m.current || !m.previous)
      throw new AccrualError(
        `нет показаний общедомового прибора «${m.name}» за месяц (нужны текущее и предыдущее показания)`,
      );
    total = safe(total + consumption(m, m.previous, m.current));
    read.push({ name: m.name, previous: m.previous.value, current: m.current.value });
  }
  return { consumption: total, meters: read };
}
