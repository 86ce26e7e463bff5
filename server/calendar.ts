/**
 * The platform's one calendar module. Dates and moments are wall-clock texts without a time
 * zone, as 1C keeps them: a date 'YYYY-MM-DD', a moment 'YYYY-MM-DDTHH:MM:SS', a month its
 * first day 'YYYY-MM-01'. Pure: no node or DOM dependency, so the server, the configuration
 * (through server/api.ts, which re-exports it) and the client bundle (a relative import) share it.
 *
 * Library: date-fns with @date-fns/utc's UTCDate (a Date whose getters and setters are the UTC
 * ones, so no local zone or daylight-saving change can shift a day) does the moment (second)
 * arithmetic and formats "today" and "now". temporal-polyfill (PlainDate/PlainDateTime are exactly this
 * concept) was measured too and was 3–10× slower than date-fns here (addDays ≈ 7 µs,
 * daysBetween ≈ 7 µs, monthEnd ≈ 4 µs per call on this machine) and is not tree-shaken out of
 * the client bundle; date-fns is.
 * Hot functions (addDays, daysBetween, daysInMonth/monthEnd, addMonths — the periodic
 * calculations of the configuration call them per day range of every object) are integer arithmetic
 * on day numbers instead: bench/calendar.ts measured date-fns 3–15× slower for them.
 *
 * "Today" is the local date of the machine running the code (the server's zone on the server,
 * the user's browser on the client): an organization works in its local time, and a single-
 * tenant install runs in that organization's zone; document dates (nowMoment) are local time too.
 * UTC would make "today" yesterday for the first hours of every day east of Greenwich.
 */
// Subpath imports: the package roots load every function (date-fns's ≈ 0.2–0.4 s at start-up).
import { UTCDate } from "@date-fns/utc/date";
import { addSeconds as fnsAddSeconds } from "date-fns/addSeconds";
import { lightFormat } from "date-fns/lightFormat";

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MOMENT_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;
const TWO = Array.from({ length: 61 }, (_, i) => String(i).padStart(2, "0"));
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The earliest moment the platform stores (year 1). */
export const MIN_MOMENT = "0001-01-01T00:00:00";

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const days = (y: number, m: number) => (m === 2 && isLeap(y) ? 29 : DAYS[m - 1]);
const year4 = (y: number) => (y >= 1000 ? String(y) : String(y).padStart(4, "0"));

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function dayNumber(y: number, m: number, d: number): number {
  if (m <= 2) y -= 1;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

/** 'YYYY-MM-DD' of a day number (civil_from_days). */
function dateOfDay(z: number): string {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return `${year4(yoe + era * 400 + (m <= 2 ? 1 : 0))}-${TWO[m]}-${TWO[d]}`;
}

const dayOfText = (s: string) => dayNumber(+s.slice(0, 4), +s.slice(5, 7), +s.slice(8, 10));

/** A UTCDate of a date or moment text (years below 100 kept as they are, unlike Date.UTC). */
function utcDate(s: string): UTCDate {
  const d = new UTCDate(0);
  d.setFullYear(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10));
  d.setHours(+s.slice(11, 13) || 0, +s.slice(14, 16) || 0, +s.slice(17, 19) || 0, 0);
  return d;
}

const dateText = (d: Date) => `${year4(d.getFullYear())}-${TWO[d.getMonth() + 1]}-${TWO[d.getDate()]}`;
const momentText = (d: Date) => `${dateText(d)}T${TWO[d.getHours()]}:${TWO[d.getMinutes()]}:${TWO[d.getSeconds()]}`;

// ---- parse / validate --------------------------------------------------------------------

/** Is `y-m-d` a real calendar date (month 1–12, day within the month; year 1–9999)? */
export function isRealDate(y: number, m: number, d: number): boolean {
  return Number.isInteger(y) && y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= days(y, m);
}

/** A 'YYYY-MM-DD' text of a real date, or null (no time part, no other layout). */
export function parseDate(text: unknown): string | null {
  if (typeof text !== "string") return null;
  const m = DATE_RE.exec(text.trim());
  return m && isRealDate(+m[1], +m[2], +m[3]) ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

/** A moment text 'YYYY-MM-DDTHH:MM:SS' of a date or moment ('T' or a space, seconds optional), or null. */
export function parseMoment(text: unknown): string | null {
  if (typeof text !== "string") return null;
  const m = MOMENT_RE.exec(text.trim());
  if (!m || !isRealDate(+m[1], +m[2], +m[3])) return null;
  const [h, mi, s] = [m[4] ?? "00", m[5] ?? "00", m[6] ?? "00"];
  if (+h > 23 || +mi > 59 || +s > 59) return null;
  return `${m[1]}-${m[2]}-${m[3]}T${h}:${mi}:${s}`;
}

/** Is `text` a 'YYYY-MM-DD' of a real date? */
export const isDate = (text: unknown): boolean => parseDate(text) !== null;

// ---- today -------------------------------------------------------------------------------

/** Today's local date 'YYYY-MM-DD' (see the module's comment: the local zone, decided once). */
export const today = (): string => lightFormat(new Date(), "yyyy-MM-dd");

/** The current month's first day 'YYYY-MM-01', local. */
export const thisMonth = (): string => monthStart(today());

/** Now as a local moment 'YYYY-MM-DDTHH:MM:SS'. */
export const nowMoment = (): string => lightFormat(new Date(), "yyyy-MM-dd'T'HH:mm:ss");

// ---- months ------------------------------------------------------------------------------

/** 'YYYY-MM-01' of the month holding a date or moment. */
export const monthStart = (date: string): string => `${date.slice(0, 7)}-01`;

/** Number of days in the month of a date ('YYYY-MM-…'). Fast path: a table and the leap rule. */
export const daysInMonth = (date: string): number => days(+date.slice(0, 4), +date.slice(5, 7));

/** The last day 'YYYY-MM-DD' of the month of a date. */
export const monthEnd = (date: string): string => `${date.slice(0, 7)}-${TWO[daysInMonth(date)]}`;

/**
 * 'YYYY-MM-01' of the month `n` months after (n < 0: before) the month of `date`. Fast path:
 * bench/calendar.ts measured date-fns's addMonths on a UTCDate ≈ 1.5 µs against ≈ 0.2 µs here,
 * and the configuration's periodic calculations call it per object and month.
 */
export function addMonths(date: string, n: number): string {
  const m = +date.slice(5, 7) - 1 + n;
  const y = +date.slice(0, 4) + Math.floor(m / 12);
  return `${year4(y)}-${TWO[m - Math.floor(m / 12) * 12 + 1]}-01`;
}

// ---- days and seconds --------------------------------------------------------------------

/** The date `n` days after `date` ('YYYY-MM-DD'; n < 0: before). Fast path: day numbers. */
export const addDays = (date: string, n: number): string => dateOfDay(dayOfText(date) + n);

/** Days from `a` to `b` (b − a), both dates (a moment's time is ignored). Fast path: day numbers. */
export const daysBetween = (a: string, b: string): number => dayOfText(b) - dayOfText(a);

/** The moment `n` seconds after a moment (a date: its midnight) (date-fns). */
export function addSeconds(ts: string, n: number): string {
  return momentText(fnsAddSeconds(utcDate(ts), n));
}

/** The moment one second before a moment (a date: the end of the day before). */
export const momentBefore = (ts: string): string => addSeconds(ts, -1);

/** Day of the month (1..31) of a date or moment. */
export const dayOf = (ts: string): number => +ts.slice(8, 10);

/** Start of the day / month / year holding `ts`, as 'YYYY-MM-DD'. */
export function periodStart(ts: string, periodicity: "day" | "month" | "year"): string {
  if (periodicity === "day") return ts.slice(0, 10);
  if (periodicity === "month") return monthStart(ts);
  return `${ts.slice(0, 4)}-01-01`;
}
