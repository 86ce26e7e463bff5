/**
 * Meter volumes for ByMeter lines and the house meter of HeatingByHouseMeter — DOMAIN.md §3.
 * Pure functions over readings already read (common/accrual-inputs.ts reads them in bulk).
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
 *    history: no average);
 *  - after that, or without an average, by normative (residents × Normative, no raising factor).
 * Recalculation when the real reading arrives: the month with the real reading is charged the
 * real consumption since the last real reading MINUS what was estimated for the months in
 * between, recomputed by the rule above from the same readings (the k-th month after the last
 * reading: the average while k ≤ MAX_ESTIMATED_MONTHS and an average exists, else the normative
 * volume with the account's current residents). The net volume may be negative (a refund).
 * This assumes the months in between were accrued (the monthly cycle accrues every open account).
 * A meter whose first reading ever falls in the month has no consumption yet: by normative.
 */
import { Decimal } from "decimal.js";
import { AccrualError, fmt, round4, type MeterVolume } from "./accrual.ts";

/** Readings not submitted: months charged by the average before the normative (verify: 3 for a failed meter, 6 for readings not submitted). */
export const MAX_ESTIMATED_MONTHS = 6;
/** The average needs at least this many months between two readings (verify). */
export const AVERAGE_MIN_MONTHS = 3;
/** …and looks back at most this many months from the last real reading (verify). */
export const AVERAGE_MAX_MONTHS = 12;

/** Readings are accepted until this day of the month; later ones count for the next month (DOMAIN.md §2). */
export const READINGS_CUTOFF_DAY = 25;

/** 'YYYY-MM-25': the last day whose readings count for `month`. */
export const cutoffOf = (month: string): string => `${month.slice(0, 8)}${READINGS_CUTOFF_DAY}`;

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

export interface MeterFacts {
  id: string;
  name: string;
  ReadingType: string | null;
  DigitCapacity: Decimal | null;
}

export interface Reading {
  /** 'YYYY-MM-DD' */
  period: string;
  value: Decimal;
}

export interface MeterHistory {
  current: Reading | null;
  previous: Reading | null;
  /** The earliest reading whose reading month is at most AVERAGE_MAX_MONTHS before `previous`'s. */
  windowStart: Reading | null;
}

const ZERO = new Decimal(0);

export const dateText = (d: string): string => `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}`;

/** Calendar months from the month of `a` to the month of `b` (b − a), both 'YYYY-MM-DD'. */
export function monthsBetween(a: string, b: string): number {
  return (Number(b.slice(0, 4)) - Number(a.slice(0, 4))) * 12 + Number(b.slice(5, 7)) - Number(a.slice(5, 7));
}

const readingText = (r: Reading) => `${fmt(r.value, 4)} на ${dateText(r.period)}`;

// Notes from figures already written as text (fmt), shared with the integer path (accrual-fast.ts).
export const readingsNote = (previous: string, current: string) => `показания ${previous} → ${current}`;
export const NO_READINGS = "нет показаний";
export const firstReadingWhy = (value: string, period: string) =>
  `первое показание ${value} на ${dateText(period)}, расход еще не измерен`;
export const normativeNote = (meter: string, why: string) => `прибор «${meter}»: ${why}, по нормативу`;
export const averageNote = (k: number, months: number, last: string) =>
  `нет показания за месяц (${k}-й мес. без показаний), среднемесячный расход за ${months} мес. до ${dateText(last)}`;
export const noAverageWhy = (k: number, hadAverage: boolean) =>
  hadAverage
    ? `нет показаний ${k} мес. (более ${MAX_ESTIMATED_MONTHS})`
    : `нет показания за месяц и истории для среднего (менее ${AVERAGE_MIN_MONTHS} мес.)`;
export const estimatePart = (volume: string, byAverage: boolean) => `${volume} ${byAverage ? "ср." : "норм."}`;
export const recalculationNote = (
  previous: string,
  current: string,
  since: string,
  real: string,
  gap: number,
  estimated: string,
  parts: string[],
) =>
  `показания ${previous} → ${current} с ${dateText(since)}: ${real} за ${gap + 1} мес. минус начисленное без показаний за ${gap} мес. ${estimated}${parts.length ? ` (${parts.join(" + ")})` : ""}`;

/** Consumption between two readings of one meter, with the rollover of a cyclic meter. */
export function consumption(meter: MeterFacts, from: Reading, to: Reading): Decimal {
  const d = to.value.minus(from.value);
  if (d.gte(0)) return d;
  const digits = meter.DigitCapacity ? meter.DigitCapacity.toNumber() : 0;
  if (meter.ReadingType === "Cyclic" && digits > 0) return d.plus(new Decimal(10).pow(digits));
  const why =
    meter.ReadingType === "Cyclic"
      ? "у циклического прибора не указана разрядность, переход через ноль невозможен"
      : "показания накопительного прибора не уменьшаются";
  throw new AccrualError(
    `Прибор учета «${meter.name}»: показание ${readingText(to)} меньше предыдущего ${readingText(from)} — ${why}; исправьте показание`,
  );
}

/** The average monthly consumption before a gap, or null when there are fewer than AVERAGE_MIN_MONTHS months of history. */
export function averageMonthly(meter: MeterFacts, h: MeterHistory): { average: Decimal; months: number } | null {
  const { previous, windowStart } = h;
  if (!previous || !windowStart || windowStart.period >= previous.period) return null;
  const months = monthsBetween(readingMonth(windowStart.period), readingMonth(previous.period));
  if (months < AVERAGE_MIN_MONTHS || months > AVERAGE_MAX_MONTHS) return null;
  return { average: round4(consumption(meter, windowStart, previous).div(months)), months };
}

/** The volume estimated for the k-th month after the last real reading; null: nothing to charge by. */
function estimate(
  k: number,
  avg: { average: Decimal } | null,
  norm: Decimal | null,
): { volume: Decimal; by: "average" | "normative" } | null {
  if (avg && k <= MAX_ESTIMATED_MONTHS) return { volume: avg.average, by: "average" };
  return norm ? { volume: norm, by: "normative" } : null;
}

/**
 * The volume of one meter for `month` ('YYYY-MM-01'). `norm` is residents × Normative (null
 * without a normative). how = "normative": charge the line by normative (the volume is the norm).
 */
export function meterVolume(month: string, meter: MeterFacts, h: MeterHistory, norm: Decimal | null): MeterVolume {
  const { current, previous } = h;
  const noData = (why: string): MeterVolume => {
    if (!norm)
      throw new AccrualError(
        `Прибор учета «${meter.name}»: ${why}, а норматив услуги не задан — введите показание или норматив`,
      );
    return {
      volume: norm,
      previousReading: previous?.value ?? null,
      currentReading: current?.value ?? null,
      how: "normative",
      note: normativeNote(meter.name, why),
    };
  };
  if (current) {
    if (!previous) return noData(firstReadingWhy(fmt(current.value, 4), current.period));
    const real = consumption(meter, previous, current);
    const gap = monthsBetween(readingMonth(previous.period), month) - 1;
    if (gap <= 0)
      return {
        volume: real,
        previousReading: previous.value,
        currentReading: current.value,
        how: "reading",
        note: readingsNote(fmt(previous.value, 4), fmt(current.value, 4)),
      };
    const avg = averageMonthly(meter, h);
    let estimated = ZERO;
    const parts: string[] = [];
    for (let k = 1; k <= gap; k++) {
      const e = estimate(k, avg, norm);
      if (!e) continue;
      estimated = estimated.plus(e.volume);
      parts.push(estimatePart(fmt(e.volume, 4), e.by === "average"));
    }
    return {
      volume: real.minus(estimated),
      previousReading: previous.value,
      currentReading: current.value,
      how: "recalculated",
      note: recalculationNote(
        fmt(previous.value, 4),
        fmt(current.value, 4),
        previous.period,
        fmt(real, 4),
        gap,
        fmt(estimated, 4),
        parts,
      ),
    };
  }
  if (!previous) return noData(NO_READINGS);
  const k = monthsBetween(readingMonth(previous.period), month);
  const avg = averageMonthly(meter, h);
  const e = estimate(k, avg, null);
  if (e)
    return {
      volume: e.volume,
      previousReading: previous.value,
      currentReading: null,
      how: "average",
      note: averageNote(k, avg!.months, previous.period),
    };
  return noData(noAverageWhy(k, avg !== null));
}

/**
 * Several meters of one account and service (kitchen and bathroom risers): the volumes add up;
 * if any meter has no data the whole line is by normative (the norm is per account, not per meter).
 */
export function combineMeters(volumes: MeterVolume[]): MeterVolume {
  if (volumes.length === 1) return volumes[0];
  const normative = volumes.find((v) => v.how === "normative");
  if (normative) return { ...normative, previousReading: null, currentReading: null };
  return {
    volume: volumes.reduce((a, v) => a.plus(v.volume), ZERO),
    previousReading: null,
    currentReading: null,
    how: volumes.some((v) => v.how === "recalculated")
      ? "recalculated"
      : volumes.some((v) => v.how === "average")
        ? "average"
        : "reading",
    note: volumes.map((v) => v.note).join("; "),
  };
}
