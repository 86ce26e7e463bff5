// The rules of a meter reading, in one place for the posting (documents/MeterReadings.ts,
// InitialMeterReadings.ts, the accrual) and the form (forms/MeterReadings.ts), which marks a bad
// reading in its cell as it is typed by the same rule the posting refuses it with:
//  - readings count for a month until its 25th (the cutoff);
//  - consumption = current − previous; below the previous, a cyclic meter whose type has a
//    digit capacity N ≥ 1 rolls over (+10^N), any other meter is refused;
//  - a reading is never negative, and on a meter that rolls over it stays below 10^N.
// Pure code (decimal.js only): it is bundled into the web client too.
import { Decimal } from "decimal.js";

/** Readings are accepted until this day of the month; later ones count for the next month (DOMAIN.md §2). */
export const READINGS_CUTOFF_DAY = 25;

/** 'YYYY-MM-25': the last day whose readings count for `month`. */
export const cutoffOf = (month: string): string => `${month.slice(0, 8)}${READINGS_CUTOFF_DAY}`;

/** What the rules need of a meter: its name (for messages) and its type's reading kind and capacity. */
export interface MeterRule {
  name: string;
  cyclic: boolean;
  capacity: number;
  /** Cyclic type with a digit capacity ≥ 1: rolls over at 10^capacity. */
  rollsOver: boolean;
}

/** A meter's rule from its type (MeterTypes: ReadingType, DigitCapacity). */
export function meterRule(
  name: string,
  type: { ReadingType?: unknown; DigitCapacity?: { toString(): string } | string | number | null } | undefined,
): MeterRule {
  const cyclic = type?.ReadingType === "Cyclic";
  const capacity = type?.DigitCapacity ? Number(type.DigitCapacity.toString()) : 0;
  return { name, cyclic, capacity, rollsOver: cyclic && capacity > 0 };
}

/**
 * Consumption between two readings of a meter: current − previous; when the current is below
 * the previous, a meter that rolls over (cyclic, capacity N ≥ 1) adds 10^N; any other meter
 * gives null (a reading below the previous is an error the user must see).
 */
export function consumption(
  previous: Decimal,
  current: Decimal,
  meter: Pick<MeterRule, "rollsOver" | "capacity">,
): Decimal | null {
  const d = current.minus(previous);
  if (d.gte(0)) return d;
  return meter.rollsOver ? d.plus(new Decimal(10).pow(meter.capacity)) : null;
}

/** Refusals shared by both readings documents: negative, or not below 10^N on a cyclic meter. */
export function readingRangeError(reading: Decimal, meter: Pick<MeterRule, "rollsOver" | "capacity">): string | null {
  if (reading.lt(0)) return "показание не может быть отрицательным";
  if (meter.rollsOver && reading.gte(new Decimal(10).pow(meter.capacity)))
    return `показание ${fmt(reading)} не помещается в ${meter.capacity} разрядов счетчика (меньше ${new Decimal(10).pow(meter.capacity).toFixed(0)})`;
  return null;
}

/** Why a reading below the previous one is refused (`prevPeriod`: the previous reading's date, when known). */
export function belowPreviousMessage(
  line: number,
  reading: Decimal,
  prev: { period?: string; Reading: Decimal },
  m: MeterRule,
): string {
  const from = prev.period ? ` от ${ddmmyyyy(prev.period)}` : "";
  const base = `Строка ${line}: показание ${fmt(reading)} прибора «${m.name}» меньше предыдущего ${fmt(prev.Reading)}${from}`;
  if (m.cyclic)
    return `${base}; у вида прибора учета не задана разрядность, поэтому переход через ноль невозможен: укажите разрядность в виде прибора учета или исправьте показание`;
  return `${base}: счетчик накопительный, показание не может уменьшаться`;
}

export const fmt = (d: Decimal, dp = 4) => d.toFixed(dp).replace(".", ",");
export const ddmmyyyy = (d: string) => `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}`;
