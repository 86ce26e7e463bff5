/**
 * Moments and periods of the register engine, as wall-clock texts 'YYYY-MM-DDTHH:MM:SS' (no
 * time zone, as 1C keeps them). A date-only `at` or `to` means the end of that day
 * (23:59:59, inclusive); a date-only `from` its start. Calendar arithmetic goes through
 * Date.UTC so no local zone can shift a day. Used by read.ts, info.ts and post.ts.
 */
import { parseDateText } from "../storage/values.ts";
import { invalidDate } from "./errors.ts";

const DATE_ONLY = /^\s*\d{4}-\d{2}-\d{2}\s*$/;

/** A moment: date-only values become the start (`edge` = "start") or end of that day. */
export function moment(v: unknown, what: string, edge: "start" | "end"): string {
  if (typeof v !== "string") throw invalidDate(what, v);
  const s = parseDateText(v.trim(), true);
  if (!s) throw invalidDate(what, v);
  return DATE_ONLY.test(v) && edge === "end" ? s.slice(0, 10) + "T23:59:59" : s;
}

function parts(ts: string): number[] {
  return [ts.slice(0, 4), ts.slice(5, 7), ts.slice(8, 10), ts.slice(11, 13) || "0", ts.slice(14, 16) || "0", ts.slice(17, 19) || "0"].map(Number);
}

function fmt(ms: number, withTime: boolean): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const date = `${p(d.getUTCFullYear(), 4)}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}`;
  return withTime ? `${date}T${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}` : date;
}

function utc(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number {
  const dt = new Date(0);
  dt.setUTCFullYear(y, mo - 1, d);
  dt.setUTCHours(h, mi, s, 0);
  return dt.getTime();
}

/** 'YYYY-MM-01' of the month holding a date or moment. */
export const monthOf = (ts: string) => ts.slice(0, 7) + "-01";

/** The first day of the month `n` months after the month of `month` ('YYYY-MM-01'). */
export function addMonths(month: string, n: number): string {
  const [y, m] = parts(month);
  return fmt(utc(y, m + n, 1), false);
}

/** The moment `n` seconds after `ts`. */
export function addSeconds(ts: string, n: number): string {
  const [y, mo, d, h, mi, s] = parts(ts);
  return fmt(utc(y, mo, d, h, mi, s + n), true);
}

/** Day of the month (1..31) of a moment. */
export const dayOf = (ts: string) => Number(ts.slice(8, 10));

/** The earliest moment PostgreSQL's date range here starts with (year 1). */
export const MIN_MOMENT = "0001-01-01T00:00:00";

/** Start of the day/month/year holding `ts`, as 'YYYY-MM-DD'. */
export function periodStart(ts: string, periodicity: "day" | "month" | "year"): string {
  if (periodicity === "day") return ts.slice(0, 10);
  if (periodicity === "month") return monthOf(ts);
  return ts.slice(0, 4) + "-01-01";
}
