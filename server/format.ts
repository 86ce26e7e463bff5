/**
 * Russian formats of numbers, money and dates — the one implementation the client's screens,
 * the custom forms and the printed forms (server/reports/format.ts adds Decimal input and
 * strictness) all use: «13 996,24» (a no-break space between thousands, a decimal comma),
 * «43,4205», dates «24.11.2011», «24.11.11», «Ноябрь 2011 г.», «24 ноября 2011 г.».
 *
 * No imports and no node or DOM API: the client bundles this file too. Numbers are handled as
 * their decimal digits (a decimal string, a bigint, a Decimal of any decimal.js copy by its text,
 * or a JS number by its shortest text): rounding (half up) and sums work on the digits, so a
 * float never carries money here.
 *
 * Display is lenient: blanks give "", and a value that is not a number (a date) is shown as it
 * came — a screen never fails on one cell. Printed forms want errors instead: their module
 * checks values first.
 */

/** The no-break space between thousands: a figure never wraps in the middle. */
export const NBSP = "\u00a0";

export interface NumberFormat {
  /** Decimal places (half up); undefined keeps the value's own places. */
  places?: number;
  /** The thousands separator (default a no-break space; "" for none). */
  thousands?: string;
  /** Decimal comma (default ","). */
  point?: string;
}

/** A number's decimal digits: sign, integer digits (no leading zeros) and fraction digits. */
interface Digits {
  negative: boolean;
  int: string;
  frac: string;
}

const NUMBER = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;

/** The digits of a value; null for blanks (null, undefined, ""), undefined for what is not a number. */
export function decimalDigits(v: unknown): Digits | null | undefined {
  if (v === null || v === undefined || v === "") return null;
  if (typeof v !== "string" && typeof v !== "number" && typeof v !== "bigint" && typeof v !== "object")
    return undefined;
  const m = NUMBER.exec(String(v).trim());
  if (!m || (m[2] === "" && !m[3])) return undefined;
  let int = m[2];
  let frac = m[3] ?? "";
  const exp = m[4] ? Number(m[4]) : 0; // 1e-7, 1e+21: numbers and Decimals write these so
  if (exp > 0) {
    frac = frac.padEnd(exp, "0");
    int += frac.slice(0, exp);
    frac = frac.slice(exp);
  } else if (exp < 0) {
    int = int.padStart(1 - exp, "0");
    frac = int.slice(int.length + exp) + frac;
    int = int.slice(0, int.length + exp);
  }
  return { negative: m[1] === "-", int: int.replace(/^0+(?=\d)/, "") || "0", frac };
}

/** The digits rounded half up (away from zero) to `places` decimals. */
function round(int: string, frac: string, places: number): { int: string; frac: string } {
  if (frac.length <= places) return { int, frac: frac.padEnd(places, "0") };
  const digits = (int + frac.slice(0, places)).split("").map(Number);
  let carry = Number(frac[places]) >= 5 ? 1 : 0;
  for (let i = digits.length - 1; i >= 0 && carry; i--) {
    const d = digits[i] + carry;
    digits[i] = d % 10;
    carry = d >= 10 ? 1 : 0;
  }
  const all = (carry ? "1" : "") + digits.join("");
  return { int: all.slice(0, all.length - places) || "0", frac: all.slice(all.length - places) };
}

const group = (int: string, sep: string) => int.replace(/\B(?=(\d{3})+(?!\d))/g, sep);

/**
 * "13996.245" → «13 996,25» with 2 places; its own places when `places` is undefined («1,5» for
 * "1.50»). A number for `f` is the places. Blanks give "", what is not a number comes back as text.
 */
export function formatNumber(v: unknown, f: number | NumberFormat = {}): string {
  const d = decimalDigits(v);
  if (d === null) return "";
  if (d === undefined) return String(v);
  const { places, thousands = NBSP, point = "," } = typeof f === "number" ? { places: f } : f;
  const { int, frac } =
    places === undefined ? { int: d.int, frac: d.frac.replace(/0+$/, "") } : round(d.int, d.frac, places);
  const body = group(int, thousands) + (frac ? point + frac : "");
  return d.negative && /[1-9]/.test(int + frac) ? "-" + body : body;
}

/** Money to kopecks: «13 996,24»; empty for blanks. */
export const money = (v: unknown, thousands = NBSP) => formatNumber(v, { places: 2, thousands });

/** A quantity with the given decimals («43,4205», «59,0»), or its own decimals when omitted. */
export const quantity = (v: unknown, places?: number) => formatNumber(v, { places });

/**
 * "1.10" + "2.005" → "3.10": a sum of decimal strings at `scale` decimals (extra digits cut, not
 * rounded), by BigInt on the scaled digits.
 */
export function sumDecimals(values: unknown[], scale = 2): string {
  const scaled = (v: unknown): bigint => {
    const s = String(v ?? "0").trim() || "0";
    const neg = s.startsWith("-");
    const [i, f = ""] = s.replace(/^[-+]/, "").split(".");
    const n = BigInt((i || "0") + f.padEnd(scale, "0").slice(0, scale));
    return neg ? -n : n;
  };
  const total = values.reduce<bigint>((acc, v) => acc + scaled(v), 0n);
  const neg = total < 0n;
  const digits = (neg ? -total : total).toString().padStart(scale + 1, "0");
  const out = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return neg ? "-" + out : out;
}

/** What a user typed ("1 234,5", "1234.5") → the API's decimal string "1234.5", "" for nothing, or null if not a number. */
export function parseNumber(text: string): string | null {
  const s = text.replace(/[\s\u00a0\u202f]/g, "").replace(",", ".");
  if (s === "") return "";
  return /^-?\d+(\.\d+)?$/.test(s) || /^-?\d+\.$/.test(s) ? s.replace(/\.$/, "") : null;
}

// ---------------------------------------------------------------- dates

const MONTHS = [
  "Январь",
  "Февраль",
  "Март",
  "Апрель",
  "Май",
  "Июнь",
  "Июль",
  "Август",
  "Сентябрь",
  "Октябрь",
  "Ноябрь",
  "Декабрь",
];
const MONTHS_GENITIVE = [
  "января",
  "февраля",
  "марта",
  "апреля",
  "мая",
  "июня",
  "июля",
  "августа",
  "сентября",
  "октября",
  "ноября",
  "декабря",
];

/** The parts of a calendar date: 'YYYY-MM-DD…' as written (no time-zone shift), a Date by its local time. */
export function dateParts(v: unknown): { y: string; m: string; d: string; time: string } | null {
  if (v instanceof Date) {
    const iso = new Date(v.getTime() - v.getTimezoneOffset() * 60000).toISOString();
    return { y: iso.slice(0, 4), m: iso.slice(5, 7), d: iso.slice(8, 10), time: iso.slice(11, 19) };
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?))?/.exec(String(v));
  return m ? { y: m[1], m: m[2], d: m[3], time: m[4] ?? "00:00:00" } : null;
}

/**
 * A date by a pattern of tokens: dd, MM, yy, yyyy, HH, mm, ss, MMMM (month name), MMMMг (genitive).
 * Default «dd.MM.yyyy» (24.11.2011). Blanks give "", text that is not a date comes back as it is.
 */
export function formatDate(v: unknown, pattern = "dd.MM.yyyy"): string {
  if (!v) return "";
  const p = dateParts(v);
  if (!p) return String(v);
  const [hh, mi, ss] = (p.time + ":00").split(":");
  const month = Number(p.m) - 1;
  return pattern.replace(/yyyy|yy|MMMMг|MMMM|MM|dd|HH|mm|ss/g, (t) => {
    switch (t) {
      case "yyyy":
        return p.y;
      case "yy":
        return p.y.slice(2);
      case "MMMMг":
        return MONTHS_GENITIVE[month];
      case "MMMM":
        return MONTHS[month];
      case "MM":
        return p.m;
      case "dd":
        return p.d;
      case "HH":
        return hh;
      case "mm":
        return mi;
      default:
        return ss;
    }
  });
}

/** «Ноябрь 2011 г.» for any date in the month. */
export function formatMonth(v: unknown): string {
  const p = v ? dateParts(v) : null;
  return p ? `${MONTHS[Number(p.m) - 1]} ${p.y} г.` : v ? String(v) : "";
}

/** «24 ноября 2011 г.» */
export function formatLongDate(v: unknown): string {
  const p = v ? dateParts(v) : null;
  return p ? `${Number(p.d)} ${MONTHS_GENITIVE[Number(p.m) - 1]} ${p.y} г.` : v ? String(v) : "";
}

/** "24.11.2011" (or "2011-11-24") → "2011-11-24", or null. */
export function parseDate(text: string): string | null {
  const m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text.trim());
  if (!m) return /^\d{4}-\d{2}-\d{2}$/.test(text.trim()) ? text.trim() : null;
  return `${m[3]}-${m[2].padStart(2, "0")}-${m[1].padStart(2, "0")}`;
}
