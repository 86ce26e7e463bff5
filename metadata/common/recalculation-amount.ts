/**
 * The sum of a Recalculation found from days rather than typed (docs/recalculations.md), in one
 * place for the document that posts it (metadata/documents/Recalculation.ts) and the 43/пр
 * receipt that lists it per document (reports/receipt-43pr): minus the corrected month's accrual
 * of the account and service × the days absent / the days of that month — and for a temporary
 * absence (Правила 354 п.86–91) × the persons absent / the account's residents too — rounded
 * half up to kopecks once.
 */
import { Decimal } from "decimal.js";
import { round2 } from "./money.ts";

export function daysAbsentAmount(
  accrued: Decimal,
  days: Decimal | number,
  monthDays: number,
  /** A temporary absence: how many of the account's residents were away. */
  persons?: { absent: number; residents: Decimal },
): Decimal {
  const x = new Decimal(accrued);
  if (persons) return round2(x.times(persons.absent).times(days).div(persons.residents.times(monthDays))).neg();
  return round2(x.times(days).div(monthDays)).neg();
}
