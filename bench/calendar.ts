/**
 * Micro-benchmark of the calendar module's hot functions (server/calendar.ts) — not a test.
 * For each function: the module's version, the hand-written one it replaced (Date.UTC based, as
 * metadata/common/money.ts had it), and the plain date-fns + UTCDate version. Prints ns per call.
 * Run: npx tsx bench/calendar.ts
 */
import "./quiet-log.ts";
import { UTCDate } from "@date-fns/utc";
import { addDays as fnsAddDays, addMonths as fnsAddMonths, differenceInCalendarDays, lastDayOfMonth } from "date-fns";
import * as cal from "../server/calendar.ts";

const pad = (n: number, l = 2) => String(n).padStart(l, "0");
// The replaced implementations (metadata/common/money.ts before the calendar module).
const old = {
  addDays(date: string, n: number): string {
    const d = new Date(Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) + n * 86400000);
    return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  },
  daysBetween(a: string, b: string): number {
    const u = (s: string) => Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10));
    return Math.round((u(b) - u(a)) / 86400000);
  },
  monthEnd(month: string): string {
    const y = +month.slice(0, 4),
      m = +month.slice(5, 7);
    return `${pad(y, 4)}-${pad(m)}-${pad(new Date(Date.UTC(y, m, 0)).getUTCDate())}`;
  },
  addMonths(month: string, n: number): string {
    const y = +month.slice(0, 4),
      m = +month.slice(5, 7) - 1 + n;
    return `${pad(y + Math.floor(m / 12), 4)}-${pad((((m % 12) + 12) % 12) + 1)}-01`;
  },
};
const u = (s: string) => new UTCDate(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10));
const txt = (d: Date) => `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
const fns = {
  addDays: (s: string, n: number) => txt(fnsAddDays(u(s), n)),
  daysBetween: (a: string, b: string) => differenceInCalendarDays(u(b), u(a)),
  monthEnd: (s: string) => txt(lastDayOfMonth(u(s))),
  addMonths: (s: string, n: number) => txt(fnsAddMonths(u(s.slice(0, 8) + "01"), n)),
};

const DATES = Array.from({ length: 1000 }, (_, i) => old.addDays("2019-12-20", i * 3));
const N = Number(process.env.BENCH_N ?? 300000);
let sink = 0;
function time(fn: (i: number) => string | number): number {
  for (let i = 0; i < 20000; i++) fn(i);
  const t = performance.now();
  for (let i = 0; i < N; i++) {
    const r = fn(i);
    sink += typeof r === "number" ? r : r.length;
  }
  return ((performance.now() - t) * 1e6) / N;
}
const d = (i: number) => DATES[i % 1000];
const cases: Record<string, Record<string, (i: number) => string | number>> = {
  addDays: {
    module: (i) => cal.addDays(d(i), (i % 90) - 45),
    old: (i) => old.addDays(d(i), (i % 90) - 45),
    "date-fns": (i) => fns.addDays(d(i), (i % 90) - 45),
  },
  daysBetween: {
    module: (i) => cal.daysBetween(d(i), d(i + 7)),
    old: (i) => old.daysBetween(d(i), d(i + 7)),
    "date-fns": (i) => fns.daysBetween(d(i), d(i + 7)),
  },
  monthEnd: {
    module: (i) => cal.monthEnd(d(i)),
    old: (i) => old.monthEnd(d(i)),
    "date-fns": (i) => fns.monthEnd(d(i)),
  },
  addMonths: {
    module: (i) => cal.addMonths(d(i), (i % 30) - 15),
    old: (i) => old.addMonths(d(i), (i % 30) - 15),
    "date-fns": (i) => fns.addMonths(d(i), (i % 30) - 15),
  },
};
console.log("function       module      old (Date.UTC)   date-fns+UTCDate   (ns per call)");
for (const [name, c] of Object.entries(cases)) {
  const r = Object.fromEntries(Object.entries(c).map(([k, fn]) => [k, time(fn)]));
  console.log(
    `${name.padEnd(14)} ${r.module.toFixed(0).padStart(6)}   ${r.old.toFixed(0).padStart(12)}   ${r["date-fns"].toFixed(0).padStart(14)}`,
  );
}
if (sink === 0.5) console.log(sink);
