/**
 * Russian formatting for printed forms (the Handlebars helpers of helpers.ts and the CSV export
 * call these): money «13 996,24», quantities with their decimals «43,4205», dates «24.11.11»,
 * months «Ноябрь 2011 г.». Numbers come as Decimal (any copy of decimal.js), decimal strings or
 * integers and are handled as decimal strings: a float never carries money here.
 */
import { Decimal } from "decimal.js";

/** The no-break space between thousands: a figure never wraps in the middle. */
export const NBSP = "\u00a0";

const MONTHS = ["Январь", "Февраль", "Март", "Апрель", "Май", "Июнь", "Июль", "Август", "Сентябрь", "Октябрь", "Ноябрь", "Декабрь"];
const MONTHS_GENITIVE = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"];

/** A Decimal from what a data module may hand over; null for empty values. */
export function toDecimal(v: unknown): Decimal | null {
  if (v === null || v === undefined || v === "") return null;
  if (typeof v === "bigint") return new Decimal(v.toString());
  if (typeof v === "number" || typeof v === "string" || Decimal.isDecimal(v) || (typeof v === "object" && v !== null && "toFixed" in v)) {
    try {
      return new Decimal(String(v));
    } catch {
      throw new TypeError(`not a number: ${String(v)}`);
    }
  }
  throw new TypeError(`not a number: ${String(v)}`);
}

function group(int: string, sep: string): string {
  return int.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
}

export interface NumberFormat {
  /** Decimal places (half up); undefined keeps the value's own places. */
  places?: number;
  /** The thousands separator (default a no-break space; "" for none). */
  thousands?: string;
  /** Decimal comma (default ","). */
  point?: string;
}

/** 13996.24 → «13 996,24» with `places`; the value's own decimals when places is undefined. */
export function formatNumber(v: unknown, f: NumberFormat = {}): string {
  const d = toDecimal(v);
  if (d === null) return "";
  const text = f.places === undefined ? d.toFixed() : d.toFixed(f.places, Decimal.ROUND_HALF_UP);
  const negative = text.startsWith("-");
  const [int, frac] = (negative ? text.slice(1) : text).split(".");
  const body = group(int, f.thousands ?? NBSP) + (frac ? (f.point ?? ",") + frac : "");
  return (negative && !/^[0,.\s\u00a0]*$/.test(body) ? "-" : "") + body;
}

/** Money to kopecks: «13 996,24»; empty for null. */
export const money = (v: unknown, thousands = NBSP) => formatNumber(v, { places: 2, thousands });

/** A quantity with the given decimals («43,4205», «59,0»), or its own decimals when omitted. */
export const quantity = (v: unknown, places?: number) => formatNumber(v, { places });

/** 'YYYY-MM-DD…' (or a Date) as the parts of a calendar date, with no time-zone shift. */
function dateParts(v: unknown): { y: string; m: string; d: string; time: string } | null {
  if (v === null || v === undefined || v === "") return null;
  if (v instanceof Date) {
    const iso = new Date(v.getTime() - v.getTimezoneOffset() * 60000).toISOString();
    return { y: iso.slice(0, 4), m: iso.slice(5, 7), d: iso.slice(8, 10), time: iso.slice(11, 19) };
  }
  const s = String(v);
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?))?/.exec(s);
  if (!m) throw new TypeError(`not a date: ${s}`);
  return { y: m[1], m: m[2], d: m[3], time: m[4] ?? "00:00:00" };
}

/**
 * A date by a pattern of tokens: dd, MM, yy, yyyy, HH, mm, ss, MMMM (month name), MMMMг (genitive).
 * Default «dd.MM.yyyy»; the seed's receipt writes «dd.MM.yy» (24.11.11).
 */
export function formatDate(v: unknown, pattern = "dd.MM.yyyy"): string {
  const p = dateParts(v);
  if (!p) return "";
  const [hh, mi, ss] = (p.time + ":00").split(":");
  const month = Number(p.m) - 1;
  return pattern.replace(/yyyy|yy|MMMMг|MMMM|MM|dd|HH|mm|ss/g, (t) => {
    switch (t) {
      case "yyyy": return p.y;
      case "yy": return p.y.slice(2);
      case "MMMMг": return MONTHS_GENITIVE[month];
      case "MMMM": return MONTHS[month];
      case "MM": return p.m;
      case "dd": return p.d;
      case "HH": return hh;
      case "mm": return mi;
      default: return ss;
    }
  });
}

/** «Ноябрь 2011 г.» for any date in the month. */
export const formatMonth = (v: unknown) => {
  const p = dateParts(v);
  return p ? `${MONTHS[Number(p.m) - 1]} ${p.y} г.` : "";
};

/** «24 ноября 2011 г.» */
export const formatLongDate = (v: unknown) => {
  const p = dateParts(v);
  return p ? `${Number(p.d)} ${MONTHS_GENITIVE[Number(p.m) - 1]} ${p.y} г.` : "";
};
