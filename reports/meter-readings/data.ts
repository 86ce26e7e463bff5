/**
 * Ведомость показаний приборов учета: for every meter of the building (or all) the last
 * reading before the month (previous) and the last reading within it (current) from the
 * MeterReadings register, and the consumption between them (common/accrual-meters.ts:
 * consumption, with a cyclic meter's rollover). A meter without a reading this month says so.
 */
import type { Decimal } from "decimal.js";
import { scaled, text4 } from "../../metadata/common/accrual-figures.ts";
import { consumption } from "../../metadata/common/accrual-meters.ts";
import { dec } from "../../metadata/common/money.ts";
import type { ReportContext, ReportParams } from "../../server/api.ts";
import { addDays, monthEnd } from "../../server/api.ts";
import { accountsOf, servicesById } from "../_lib/catalogs.ts";
import { typed } from "../_lib/typed.ts";

export default async function meterReadings(context: ReportContext, p: ReportParams) {
  const ctx = typed(context);
  const month: string = p.period;
  const accounts = new Map((await accountsOf(ctx, { building: p.building })).map((a) => [a.id, a]));
  const meters = (await ctx.query("catalog", "Meters", {})).filter(
    (m) => !m.deletionMark && (m.Account ? accounts.has(m.Account) : !p.building || m.Building === p.building),
  );
  const types = new Map((await ctx.query("catalog", "MeterTypes", {})).map((t) => [t.id, t]));
  const services = await servicesById(ctx);
  const reading = (rows: { Meter: string | null; period?: string; Reading: Decimal }[]) =>
    new Map(rows.map((r) => [r.Meter, { period: String(r.period).slice(0, 10), value: dec(r.Reading) }]));
  const previous = reading(await ctx.info.MeterReadings.sliceLast(addDays(month, -1)));
  const latest = reading(await ctx.info.MeterReadings.sliceLast(monthEnd(month)));
  const rows = meters
    .map((m) => {
      const a = m.Account ? accounts.get(m.Account) : undefined;
      const t = types.get(m.MeterType);
      const prev = previous.get(m.id) ?? null;
      const last = latest.get(m.id);
      const cur = last && last.period >= month ? last : null;
      let used: Decimal | null = null;
      let note = cur ? "" : "нет показания за месяц";
      if (prev && cur) {
        try {
          // (the accrual's figures are in ten-thousandths)
          const s4 = (r: { period: string; value: Decimal }) => ({ ...r, value: scaled(r.value, 4, "Показание")! });
          used = dec(
            text4(
              consumption(
                {
                  id: m.id,
                  name: String(m.name),
                  ReadingType: t?.ReadingType ?? null,
                  DigitCapacity: t?.DigitCapacity == null ? null : dec(t.DigitCapacity).toNumber(),
                },
                s4(prev),
                s4(cur),
              ),
            ),
          );
        } catch (e) {
          note = (e as Error).message;
        }
      } else if (cur && !prev) note = "первое показание";
      return {
        account: a?.code ?? "",
        name: a?.name ?? "",
        address: a?.address ?? "",
        meter: String(m.name ?? ""),
        serial: String(m.SerialNumber ?? ""),
        service: services.get(m.Service)?.name ?? "",
        unit: String(t?.Unit ?? ""),
        previous: prev?.value ?? null,
        previousDate: prev?.period ?? null,
        current: cur?.value ?? null,
        currentDate: cur?.period ?? null,
        consumption: used,
        note,
      };
    })
    .sort(
      (x, y) =>
        x.account.localeCompare(y.account) || x.service.localeCompare(y.service) || x.meter.localeCompare(y.meter),
    );
  return { period: month, rows, missing: rows.filter((r) => r.current === null).length };
}
