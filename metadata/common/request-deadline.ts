/**
 * Deadlines of service requests (заявки; docs/service-requests.md): a request type
 * (catalog RequestTypes) gives the hours to respond and to complete, and how they are counted:
 *  - `Calendar` (круглосуточно): wall-clock hours, night and weekends included — emergencies.
 *    Правила 416 (ПП РФ от 15.05.2013 №416) п.13: the emergency service localizes a damage of the
 *    in-house water, sewerage, heating and power systems within 30 minutes of the request's
 *    registration, clears a sewer blockage within 2 hours, and restores the utility within
 *    3 days (the defaults of the demo's types; **verify** against the current wording);
 *  - `Working` (рабочее время): only the working hours of working days count — by default
 *    Monday to Friday, 08:00–17:00 (the type may set its own day's start and end hours). A request
 *    received at night or on a weekend starts counting at the next working day's start; a
 *    deadline that falls exactly on the day's end stays on that day (17:00, not the next 08:00).
 * Moments are the platform's zone-less texts 'YYYY-MM-DDTHH:MM:SS' (local wall-clock time, as 1C
 * keeps them). Hours may be fractional (0.5 = 30 minutes), counted to the second. Pure: no
 * database, no clock — the document's check calls it, and the tests call it directly.
 * Public holidays come from the production calendar (register Holidays, production-calendar.ts):
 * its holidays are not working days whatever their weekday, its working days (a Saturday a day off
 * was moved from) are, and its pre-holiday days end an hour earlier (ТК РФ ст.95). Without a
 * calendar a holiday on a weekday counts as a working day.
 */
import { Decimal } from "decimal.js";
import { addDays, addSeconds, parseMoment } from "../../server/api.ts";

/** When working time runs: ISO weekdays (1 = Monday … 7 = Sunday) and the day's start and end in minutes. */
export interface WorkingTime {
  readonly days: readonly number[];
  readonly start: number;
  readonly end: number;
  /** Days ('YYYY-MM-DD') that are not working days whatever their weekday. */
  readonly holidays?: ReadonlySet<string>;
  /** Days that are working days whatever their weekday (a working Saturday of a transfer). */
  readonly workdays?: ReadonlySet<string>;
  /** Working days one hour shorter: the day ends an hour earlier (pre-holiday days). */
  readonly shortened?: ReadonlySet<string>;
}

/** The production calendar's days as the deadline computation takes them (production-calendar.ts). */
export interface DayCalendar {
  holidays?: ReadonlySet<string>;
  workdays?: ReadonlySet<string>;
  shortened?: ReadonlySet<string>;
}

/** The default working time of planned and paid works: Monday–Friday, 08:00–17:00. */
export const WORKING_TIME: WorkingTime = Object.freeze({
  days: Object.freeze([1, 2, 3, 4, 5]),
  start: 8 * 60,
  end: 17 * 60,
});

/** How a type's hours are counted (enum WorkingTimeModes). */
export type TimeMode = "Calendar" | "Working";

/** What a request type (catalog RequestTypes) gives the deadline computation. */
export interface RequestTypeTimes {
  ResponseHours?: Decimal | string | number | null;
  CompletionHours?: Decimal | string | number | null;
  TimeMode?: TimeMode | null;
  /** The working day's start and end, whole hours (empty: WORKING_TIME's). */
  WorkdayStart?: Decimal | string | number | null;
  WorkdayEnd?: Decimal | string | number | null;
}

/** The longest a working-time deadline may look ahead (a guard against a schedule with no working day). */
const MAX_DAYS = 3660;

const seconds = (hours: Decimal | string | number): number =>
  new Decimal(hours).times(3600).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();

/** ISO weekday of a date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const d = new Date(Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10))).getUTCDay();
  return d === 0 ? 7 : d;
}

const momentOf = (day: string, second: number): string => {
  if (second >= 86400) return momentOf(addDays(day, 1), second - 86400); // a day ending at 24:00
  const h = Math.floor(second / 3600),
    m = Math.floor((second % 3600) / 60),
    s = second % 60;
  const two = (n: number) => String(n).padStart(2, "0");
  return `${day}T${two(h)}:${two(m)}:${two(s)}`;
};

function checkedMoment(text: string): string {
  const m = parseMoment(text);
  if (!m) throw new Error(`request-deadline: not a moment: ${text}`);
  return m;
}

/** The working time of a type: its own day's start and end hours, else WORKING_TIME's. */
export function workingTimeOf(type: RequestTypeTimes, base: WorkingTime = WORKING_TIME): WorkingTime {
  const hour = (v: RequestTypeTimes["WorkdayStart"], dflt: number) =>
    v == null || v === "" ? dflt : new Decimal(v).times(60).toDecimalPlaces(0).toNumber();
  const start = hour(type.WorkdayStart, base.start),
    end = hour(type.WorkdayEnd, base.end);
  if (!(start >= 0 && end <= 24 * 60 && start < end))
    throw new Error(`request-deadline: working day ${start}–${end} minutes is empty`);
  return { ...base, start, end };
}

/**
 * `hours` after the moment `from`: wall-clock hours (`time` null), or only the working time
 * `time` counts. Zero hours give `from` itself.
 */
export function addServiceHours(from: string, hours: Decimal | string | number, time: WorkingTime | null): string {
  const start = checkedMoment(from);
  let left = seconds(hours);
  if (left < 0) throw new Error(`request-deadline: negative hours ${String(hours)}`);
  if (left === 0) return start;
  if (!time) return addSeconds(start, left);
  let day = start.slice(0, 10);
  let at = +start.slice(11, 13) * 3600 + +start.slice(14, 16) * 60 + +start.slice(17, 19);
  for (let i = 0; i < MAX_DAYS; i++) {
    if (time.workdays?.has(day) || (time.days.includes(isoWeekday(day)) && !time.holidays?.has(day))) {
      const from = Math.max(at, time.start * 60),
        to = Math.max(time.start, time.end - (time.shortened?.has(day) ? 60 : 0)) * 60;
      if (from < to) {
        if (left <= to - from) return momentOf(day, from + left);
        left -= to - from;
      }
    }
    day = addDays(day, 1);
    at = 0;
  }
  throw new Error(`request-deadline: no working time within ${MAX_DAYS} days after ${start}`);
}

/** The response and completion deadlines of a request received at `receivedAt` (null: the type sets no hours). */
export function requestDeadlines(
  receivedAt: string,
  type: RequestTypeTimes,
  calendar?: ReadonlySet<string> | DayCalendar,
): { response: string | null; completion: string | null } {
  // a bare set: the holidays alone
  const days: DayCalendar | undefined = calendar instanceof Set ? { holidays: calendar } : (calendar as DayCalendar);
  const time = type.TimeMode === "Working" ? { ...workingTimeOf(type), ...days } : null;
  const at = (h: RequestTypeTimes["ResponseHours"]) =>
    h == null || h === "" ? null : addServiceHours(receivedAt, h, time);
  return { response: at(type.ResponseHours), completion: at(type.CompletionHours) };
}

/** Wall-clock hours from `a` to `b` (moments), to the second: 1.5 for 90 minutes. */
export function hoursBetween(a: string, b: string): Decimal {
  const t = (m: string) =>
    Date.UTC(+m.slice(0, 4), +m.slice(5, 7) - 1, +m.slice(8, 10), +m.slice(11, 13), +m.slice(14, 16), +m.slice(17, 19));
  return new Decimal(t(checkedMoment(b)) - t(checkedMoment(a))).div(3_600_000);
}

/**
 * Is a request overdue at the moment `now`: its completion deadline passed while it was not done
 * (`doneAt` null), or it was done after the deadline.
 */
export function isOverdue(deadline: string | null, doneAt: string | null, now: string): boolean {
  if (!deadline) return false;
  return (doneAt ?? now) > deadline;
}
