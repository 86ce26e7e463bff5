/**
 * Russian formatting for printed forms (the Handlebars helpers of helpers.ts and the CSV export
 * call these): money «13 996,24», quantities with their decimals «43,4205», dates «24.11.11»,
 * months «Ноябрь 2011 г.». The formats are the platform's one implementation (server/format.ts,
 * shared with the client); this module adds what printing needs: numbers also come as Decimal
 * (any copy of decimal.js), and a value that is not a number or a date throws (the template's
 * error names it) where a screen would show it as text. A float never carries money here.
 */
import { Decimal } from "decimal.js";
import * as ru from "../format.ts";

export { NBSP, type NumberFormat } from "../format.ts";

/** A Decimal from what a data module may hand over; null for empty values. */
export function toDecimal(v: unknown): Decimal | null {
  if (v === null || v === undefined || v === "") return null;
  if (typeof v === "bigint") return new Decimal(v.toString());
  if (
    typeof v === "number" ||
    typeof v === "string" ||
    Decimal.isDecimal(v) ||
    (typeof v === "object" && v !== null && "toFixed" in v)
  ) {
    try {
      return new Decimal(String(v));
    } catch {
      throw new TypeError(`not a number: ${String(v)}`);
    }
  }
  throw new TypeError(`not a number: ${String(v)}`);
}

/** 13996.24 → «13 996,24» with `places`; the value's own decimals when places is undefined. */
export const formatNumber = (v: unknown, f: ru.NumberFormat = {}) => ru.formatNumber(toDecimal(v), f);

/** Money to kopecks: «13 996,24»; empty for null. */
export const money = (v: unknown, thousands = ru.NBSP) => ru.money(toDecimal(v), thousands);

/** A quantity with the given decimals («43,4205», «59,0»), or its own decimals when omitted. */
export const quantity = (v: unknown, places?: number) => ru.quantity(toDecimal(v), places);

/** A date, or "" for a blank; throws for anything else that is not a date. */
function date(v: unknown): unknown {
  if (v === null || v === undefined || v === "") return null;
  if (!ru.dateParts(v)) throw new TypeError(`not a date: ${String(v)}`);
  return v;
}

/**
 * A date by a pattern of tokens: dd, MM, yy, yyyy, HH, mm, ss, MMMM (month name), MMMMг (genitive).
 * Default «dd.MM.yyyy»; the seed's receipt writes «dd.MM.yy» (24.11.11).
 */
export const formatDate = (v: unknown, pattern?: string) => ru.formatDate(date(v), pattern);

/** «Ноябрь 2011 г.» for any date in the month. */
export const formatMonth = (v: unknown) => ru.formatMonth(date(v));

/** «24 ноября 2011 г.» */
export const formatLongDate = (v: unknown) => ru.formatLongDate(date(v));
