/**
 * Moments and periods of the register engine, as wall-clock texts 'YYYY-MM-DDTHH:MM:SS' (no
 * time zone, as 1C keeps them). A date-only `at` or `to` means the end of that day
 * (23:59:59, inclusive); a date-only `from` its start. Month and second arithmetic is
 * server/calendar.ts's (re-exported below). Used by read.ts, info.ts and post.ts.
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

// The calendar arithmetic of the engine is the platform's calendar module.
export { addMonths, addSeconds, dayOf, MIN_MOMENT, monthStart as monthOf, periodStart } from "../calendar.ts";
