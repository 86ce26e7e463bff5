/**
 * Производственный календарь (register Holidays): the Russian non-working holidays shipped for
 * 2024–2027 and the way working-time deadlines read the register.
 *  - ТК РФ ст.112 ч.1: 1–6 and 8 January (Новогодние каникулы), 7 January (Рождество Христово),
 *    23 February, 8 March, 1 May, 9 May, 12 June, 4 November — every year;
 *  - transfers (ст.112 ч.2 — a holiday on a weekend moves the day off to the next working day,
 *    but not the January ones; ч.5 — the government moves days off by a decree each year): only
 *    those listed in TRANSFERS, each naming its ground. **The administrator must check them
 *    against each year's decree** and add the next year's when it is published (the register is
 *    data: a record per day);
 *  - ТК РФ ст.95 ч.1: the working day right before a non-working holiday is one hour shorter —
 *    derived here from the holidays and transfers (a Monday–Friday or transferred working day
 *    whose next day is a ст.112 holiday).
 */
import { addDays } from "../../server/api.ts";
import { isoWeekday, type DayCalendar } from "./request-deadline.ts";

export type CalendarDayKind = "Holiday" | "Shortened" | "Working";

export type CalendarRecord = {
  Day: string;
  Kind: CalendarDayKind;
  Note: string;
};

/** The years shipped. */
export const CALENDAR_YEARS = [2024, 2025, 2026, 2027] as const;

const ART112: [string, string][] = [
  ["01-01", "Новогодние каникулы (ТК РФ ст.112)"],
  ["01-02", "Новогодние каникулы (ТК РФ ст.112)"],
  ["01-03", "Новогодние каникулы (ТК РФ ст.112)"],
  ["01-04", "Новогодние каникулы (ТК РФ ст.112)"],
  ["01-05", "Новогодние каникулы (ТК РФ ст.112)"],
  ["01-06", "Новогодние каникулы (ТК РФ ст.112)"],
  ["01-07", "Рождество Христово (ТК РФ ст.112)"],
  ["01-08", "Новогодние каникулы (ТК РФ ст.112)"],
  ["02-23", "День защитника Отечества (ТК РФ ст.112)"],
  ["03-08", "Международный женский день (ТК РФ ст.112)"],
  ["05-01", "Праздник Весны и Труда (ТК РФ ст.112)"],
  ["05-09", "День Победы (ТК РФ ст.112)"],
  ["06-12", "День России (ТК РФ ст.112)"],
  ["11-04", "День народного единства (ТК РФ ст.112)"],
];

const PP2024 = "перенос, ПП РФ от 10.08.2023 №1314";
const PP2025 = "перенос, ПП РФ от 04.10.2024 №1335";
const PP2026 = "перенос выходного (постановление Правительства РФ на 2026 год)";
const PART2 = "перенос выходного, совпавшего с праздником (ТК РФ ст.112 ч.2)";

/** The transfers shipped (verify each year: docs/service-requests.md#production-calendar). */
const TRANSFERS: CalendarRecord[] = [
  // 2024: six-day weeks before the May and New Year holidays
  { Day: "2024-04-27", Kind: "Working", Note: `Рабочая суббота (${PP2024})` },
  { Day: "2024-04-29", Kind: "Holiday", Note: `Выходной (${PP2024})` },
  { Day: "2024-04-30", Kind: "Holiday", Note: `Выходной (${PP2024})` },
  { Day: "2024-05-10", Kind: "Holiday", Note: `Выходной с 6 января (${PP2024})` },
  { Day: "2024-11-02", Kind: "Working", Note: `Рабочая суббота (${PP2024})` },
  { Day: "2024-12-28", Kind: "Working", Note: `Рабочая суббота (${PP2024})` },
  { Day: "2024-12-30", Kind: "Holiday", Note: `Выходной (${PP2024})` },
  { Day: "2024-12-31", Kind: "Holiday", Note: `Выходной с 7 января (${PP2024})` },
  // 2025
  { Day: "2025-05-02", Kind: "Holiday", Note: `Выходной с 4 января (${PP2025})` },
  { Day: "2025-11-01", Kind: "Working", Note: `Рабочая суббота (${PP2025})` },
  { Day: "2025-11-03", Kind: "Holiday", Note: `Выходной с 1 ноября (${PP2025})` },
  { Day: "2025-12-31", Kind: "Holiday", Note: `Выходной с 5 января (${PP2025})` },
  // 2026
  { Day: "2026-01-09", Kind: "Holiday", Note: `Выходной с 3 января (${PP2026})` },
  { Day: "2026-03-09", Kind: "Holiday", Note: `Выходной с 8 марта (${PART2})` },
  { Day: "2026-05-11", Kind: "Holiday", Note: `Выходной с 9 мая (${PART2})` },
  { Day: "2026-12-31", Kind: "Holiday", Note: `Выходной с 4 января (${PP2026})` },
  // 2027: the decree is not known yet — only the moves of ст.112 ч.2
  { Day: "2027-05-03", Kind: "Holiday", Note: `Выходной с 1 мая (${PART2})` },
  { Day: "2027-05-10", Kind: "Holiday", Note: `Выходной с 9 мая (${PART2})` },
  { Day: "2027-06-14", Kind: "Holiday", Note: `Выходной с 12 июня (${PART2})` },
];

/** The register's records shipped: the holidays, the transfers, and the pre-holiday days (ст.95). */
export function productionCalendarRecords(): CalendarRecord[] {
  const byDay = new Map<string, CalendarRecord>();
  const holidays112 = new Set<string>();
  for (const y of CALENDAR_YEARS)
    for (const [md, note] of ART112) {
      const Day = `${y}-${md}`;
      holidays112.add(Day);
      byDay.set(Day, { Day, Kind: "Holiday", Note: note });
    }
  for (const t of TRANSFERS) byDay.set(t.Day, t);
  const working = (day: string) => {
    const r = byDay.get(day);
    return r ? r.Kind !== "Holiday" : isoWeekday(day) <= 5;
  };
  for (const h of holidays112) {
    const before = addDays(h, -1);
    if (working(before) && !byDay.has(before))
      byDay.set(before, { Day: before, Kind: "Shortened", Note: "Предпраздничный день, на час короче (ТК РФ ст.95)" });
  }
  return [...byDay.values()].sort((a, b) => (a.Day < b.Day ? -1 : 1));
}

/** The deadline computation's calendar from the register's records (any of its kinds). */
export function dayCalendarOf(records: { Day?: string | null; Kind?: string | null }[]): DayCalendar {
  const holidays = new Set<string>(),
    workdays = new Set<string>(),
    shortened = new Set<string>();
  for (const r of records) {
    if (!r.Day) continue;
    if (r.Kind === "Holiday") holidays.add(r.Day);
    else if (r.Kind === "Working") workdays.add(r.Day);
    else if (r.Kind === "Shortened") shortened.add(r.Day);
  }
  return { holidays, workdays, shortened };
}
