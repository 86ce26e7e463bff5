// Показания приборов учета (the monthly readings document).
// Posting: every row with a reading records it in the MeterReadings information register on its
// ReadingDate. The 25th rule (DOMAIN.md §2: readings are accepted until the 25th, later ones go
// to the next month): the document of month M takes readings dated after the 25th of M−1 and
// up to the 25th of M; an empty ReadingDate means the 25th of M. A later date is refused with
// a message to enter it in the next month's document, an earlier one in that month's document.
// So the readings for month M's accrual are the register's slice at the 25th of M (or at M's
// last day: the same, since no document of M records after the 25th).
// Checks, each naming the row and field, nothing written on refusal:
//  - the meter must be the row's account's (an individual meter of another account, or a
//    collective meter on a row with an account, is refused: field "Meter");
//  - the same meter twice in the document (field "Meter"); a negative reading ("Reading");
//  - a reading below the previous one (the register's slice the day before the reading date,
//    read in bulk) on a cumulative meter, or on a cyclic meter whose type has no digit
//    capacity (0 = never rolls over), is refused ("Reading"); a cyclic meter with capacity N
//    rolls over: consumption = current − previous + 10^N; its reading must be below 10^N;
//  - a meter with no previous reading is fine (its first reading).
// A row without a reading is skipped: the meter was not read this month (the accrual then
// charges the average or the normative).
// A posted GroupAccrual of the month or later that covers the meter's account (or building, for
// a house meter) is marked as needing recalculation (accrual-changes.ts).
// Consumption = Reading − PreviousReading (with rollover) is computed on posting (for the
// checks) and in beforeWrite, which fills the rows' Consumption from their PreviousReading;
// the form recomputes it as the user types.
// Fill (Заполнить): every meter of the header's building (individual meters through their
// accounts, collective meters of the building), or of all buildings when it is empty, with the
// last reading before the 25th of the month as PreviousReading, Reading and Consumption empty.
//
// The helpers below (meters with their types, previous readings in bulk, consumption with
// rollover) are shared with InitialMeterReadings and the accrual.
import { Decimal } from "decimal.js";
import type { SliceRow } from "../../server/api.ts";
import { addDays, addMonths, monthStart } from "../../server/api.ts";
import { cutoffOf } from "../common/accrual-meters.ts";
import {
  belowPreviousMessage,
  consumption,
  ddmmyyyy,
  fmt,
  meterRule,
  readingRangeError,
  type MeterRule,
} from "../common/readings.ts";

// the reading rules, shared with the form (common/readings.ts)
export { consumption, ddmmyyyy, fmt, readingRangeError };
import { type Configuration, defineDocument, type MetersCatalog, type Query } from "../types.gen.ts";
import { monthName } from "../common/texts.ts";
import { documentTitle, type InputChange, markAccrualChanges } from "./accrual-changes.ts";

/** A meter with what the readings need from its type (the rule: common/readings.ts). */
export interface MeterInfo extends MeterRule {
  id: string;
  code: string;
  Kind: "Individual" | "Collective";
  Account: string | null;
  Building: string | null;
  Service: string;
}

/** The meters with these ids (one query for the meters, one for their types). */
export async function loadMeters(ctx: Query, ids: string[]): Promise<Map<string, MeterInfo>> {
  const unique = [...new Set(ids.filter(Boolean))];
  if (unique.length === 0) return new Map();
  const meters = await ctx.query("catalog", "Meters", { id: unique });
  return withTypes(ctx, meters);
}

/** Catalog rows of Meters joined with their MeterTypes. */
export async function withTypes(ctx: Query, meters: MetersCatalog[]): Promise<Map<string, MeterInfo>> {
  const typeIds = [...new Set(meters.map((m) => m.MeterType).filter(Boolean))];
  const types = new Map(
    (typeIds.length ? await ctx.query("catalog", "MeterTypes", { id: typeIds }) : []).map((t) => [t.id, t]),
  );
  const out = new Map<string, MeterInfo>();
  for (const m of meters) {
    out.set(m.id, {
      ...meterRule(m.name, types.get(m.MeterType)),
      id: m.id,
      code: m.code,
      Kind: m.Kind,
      Account: m.Account ?? null,
      Building: m.Building ?? null,
      Service: m.Service,
    });
  }
  return out;
}

/** Up to this many meters are probed one by one (an index lookup each); more: one slice of all. */
const PROBE_LIMIT = 32;

/**
 * The last reading at or before `at` ('YYYY-MM-DD', inclusive) of each of `meters`, in bulk:
 * a few meters are probed by key, many are read with one slice of the whole register.
 */
export async function lastReadings(
  ctx: Query,
  at: string,
  meters: string[],
): Promise<Map<string, { period: string; Reading: Decimal }>> {
  // (string | null: a register row's Meter is looked up as it comes; one found in it is a string)
  const wanted = new Set<string | null>(meters);
  const rows: SliceRow<Configuration["informationRegisters"]["MeterReadings"]>[] = [];
  if (wanted.size <= PROBE_LIMIT)
    for (const m of wanted) rows.push(...(await ctx.info.MeterReadings.sliceLast(at, { Meter: m })));
  else rows.push(...(await ctx.info.MeterReadings.sliceLast(at)));
  const out = new Map<string, { period: string; Reading: Decimal }>();
  for (const r of rows)
    if (wanted.has(r.Meter) && r.Reading != null)
      out.set(r.Meter as string, { period: String(r.period).slice(0, 10), Reading: new Decimal(r.Reading) });
  return out;
}

/**
 * A number for the engine (movements, fill rows) as a decimal string. Not a Decimal object: one
 * made in configuration code may come from another copy of decimal.js than the engine's (ESM vs
 * CommonJS) and fail its instanceof checks.
 */
export const num = (d: { toFixed(): string } | null | undefined): string | null => (d == null ? null : d.toFixed());

export default defineDocument("MeterReadings", {
  async post(ctx) {
    const month = monthStart(ctx.doc.Month);
    const cutoff = cutoffOf(month);
    const previousCutoff = cutoffOf(addMonths(month, -1));
    const rows = ctx.doc.Readings;
    const meters = await loadMeters(
      ctx,
      rows.map((r) => r.Meter),
    );
    const at = (i: number, field: string) => ({ table: "Readings", line: i + 1, field });
    const byDate = new Map<string, number[]>();
    const seen = new Map<string, number>();
    rows.forEach((r, i) => {
      if (r.Reading == null) return;
      const m = meters.get(r.Meter);
      if (!m) throw ctx.error(`Строка ${i + 1}: прибор учета не найден`, at(i, "Meter"));
      if (r.Account && m.Account !== r.Account)
        throw ctx.error(
          m.Kind === "Collective"
            ? `Строка ${i + 1}: «${m.name}» — общедомовой прибор, он не принадлежит лицевому счету строки`
            : `Строка ${i + 1}: прибор учета «${m.name}» принадлежит другому лицевому счету`,
          at(i, "Meter"),
        );
      const earlier = seen.get(r.Meter);
      if (earlier)
        throw ctx.error(
          `Строка ${i + 1}: показание прибора «${m.name}» уже указано в строке ${earlier}`,
          at(i, "Meter"),
        );
      seen.set(r.Meter, i + 1);
      const bad = readingRangeError(r.Reading, m);
      if (bad) throw ctx.error(`Строка ${i + 1}: ${bad}`, at(i, "Reading"));
      const date: string = r.ReadingDate ?? cutoff;
      if (date > cutoff)
        throw ctx.error(
          `Строка ${i + 1}: показания за ${monthName(month)} принимаются до ${ddmmyyyy(cutoff)}; показание от ${ddmmyyyy(date)} внесите в документ за ${monthName(addMonths(month, 1))}`,
          at(i, "ReadingDate"),
        );
      if (date <= previousCutoff) {
        const belongs = date <= cutoffOf(monthStart(date)) ? monthStart(date) : addMonths(date, 1);
        throw ctx.error(
          `Строка ${i + 1}: показание от ${ddmmyyyy(date)} относится к периоду ${monthName(belongs)}: внесите его в документ за тот месяц`,
          at(i, "ReadingDate"),
        );
      }
      byDate.set(date, [...(byDate.get(date) ?? []), i]);
    });
    for (const [date, lines] of [...byDate.entries()].sort()) {
      const prev = await lastReadings(
        ctx,
        addDays(date, -1),
        lines.map((i) => rows[i].Meter),
      );
      for (const i of lines) {
        const r = rows[i];
        if (r.Reading == null) continue;
        const m = meters.get(r.Meter)!;
        const p = prev.get(r.Meter);
        if (p && consumption(p.Reading, r.Reading, m) === null)
          throw ctx.error(belowPreviousMessage(i + 1, r.Reading, p, m), at(i, "Reading"));
      }
    }
    const changes: InputChange[] = [];
    rows.forEach((r, _i) => {
      if (r.Reading == null) return;
      const date = r.ReadingDate ?? cutoff;
      ctx.movements.MeterReadings.add({ period: date, Meter: r.Meter, Reading: num(r.Reading) });
      const m = meters.get(r.Meter)!;
      const reading = r.Reading;
      changes.push({
        from: month,
        account: m.Kind === "Individual" ? m.Account : null,
        building: m.Kind === "Collective" ? m.Building : null,
        what: () => `«${m.name}» — показание ${fmt(reading)} на ${ddmmyyyy(date)}`,
      });
    });
    // A reading entered after the month's accrual was posted marks that accrual (and later ones).
    await markAccrualChanges(
      ctx,
      ctx.movements.AccrualChanges,
      `MeterReadings ${ctx.doc.id}`,
      documentTitle("Показания приборов учета", ctx.doc),
      changes,
    );
  },

  // Записать: Consumption of each row from its PreviousReading and Reading (with rollover);
  // left empty when either is missing or the reading is below the previous (posting refuses that).
  async beforeWrite(ctx) {
    const rows = ctx.doc.Readings ?? [];
    const meters = await loadMeters(
      ctx,
      rows.filter((r) => r.Reading != null && r.PreviousReading != null).map((r) => r.Meter),
    );
    for (const r of rows) {
      const m = meters.get(r.Meter);
      r.Consumption =
        m && r.Reading != null && r.PreviousReading != null ? consumption(r.PreviousReading, r.Reading, m) : null;
    }
  },

  fill: {
    async Readings(ctx) {
      if (!ctx.doc.Month) throw ctx.error("Укажите период, за который вводятся показания", { field: "Month" });
      const month = monthStart(ctx.doc.Month);
      const building: string | null = ctx.doc.Building ?? null;
      // Accounts closed before the month have no readings to take.
      const accounts = (await ctx.query("catalog", "PersonalAccounts", building ? { Building: building } : {})).filter(
        (a) => !a.deletionMark && !(a.Closed && a.Closed < month),
      );
      const accountOrder = new Map<string | null, number>(accounts.map((a, i) => [a.id, i]));
      const found = building
        ? [
            ...(accounts.length
              ? await ctx.query("catalog", "Meters", { Kind: "Individual", Account: accounts.map((a) => a.id) })
              : []),
            ...(await ctx.query("catalog", "Meters", { Kind: "Collective", Building: building })),
          ]
        : await ctx.query("catalog", "Meters");
      const chosen = found.filter((m) => !m.deletionMark && (m.Kind === "Collective" || accountOrder.has(m.Account)));
      // Individual meters in account order, then the house meters; by meter code within.
      const rank = (m: MetersCatalog) => (m.Kind === "Individual" ? accountOrder.get(m.Account)! : accounts.length);
      chosen.sort((a, b) => rank(a) - rank(b) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
      const prev = await lastReadings(
        ctx,
        addDays(cutoffOf(month), -1),
        chosen.map((m) => m.id),
      );
      return chosen.map((m) => ({
        Account: m.Kind === "Individual" ? m.Account : null,
        Meter: m.id,
        PreviousReading: num(prev.get(m.id)?.Reading),
        Reading: null,
        Consumption: null,
        ReadingDate: null,
      }));
    },
  },
});
