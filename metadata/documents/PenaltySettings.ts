// Настройка пени.
// Posting: one record of the PenaltySettings information register (periodic by month) for the
// document's Month (normalised to its first day). Only what the document changes is taken from
// it; the rest is carried over from the settings in force the month before (sliceLast):
//  - ChangeDueDay: DueDay (1..31), the day of the following month a charge is due by;
//  - ChangeRate: Mode, Rate, RateDate. Mode left empty means FixedDailyRate (a user-set daily
//    percentage, as the seed's 0,0344) when a Rate is given, Statutory (1/300, 1/130 of the key
//    rate, ЖК РФ ст.155 ч.14) otherwise; RateDate left empty means the month's first day. A fixed
//    daily rate never charges more than the statutory penalty (ч.14: an increase is not allowed;
//    common/penalties.ts compares the two per debt and says in the Explanation when it limited it).
// With no earlier settings: DueDay 10 (ЖК РФ ст.155 ч.1), Mode Statutory, no rate.
// A document that changes nothing (neither box ticked) is refused, as are a due day outside
// 1..31, a negative rate and a fixed daily rate without a rate, each naming the field.
import { addDays, monthStart } from "../../server/api.ts";
import { num } from "./MeterReadings.ts";
import { defineDocument } from "../types.gen.ts";

export const DEFAULT_DUE_DAY = 10;

export default defineDocument("PenaltySettings", {
  async post(ctx) {
    const d = ctx.doc;
    const month = monthStart(d.Month);
    if (!d.ChangeDueDay && !d.ChangeRate)
      throw ctx.error("Документ ничего не меняет: отметьте «Изменить срок оплаты» или «Изменить ставку»", {
        field: "ChangeDueDay",
      });
    const [prev] = await ctx.info.PenaltySettings.sliceLast(addDays(month, -1));
    const record: Record<string, unknown> = {
      period: month,
      DueDay: num(prev?.DueDay) ?? DEFAULT_DUE_DAY,
      Mode: prev?.Mode ?? "Statutory",
      Rate: num(prev?.Rate),
      RateDate: prev?.RateDate ?? null,
    };
    if (d.ChangeDueDay) {
      if (d.DueDay == null || !d.DueDay.isInteger() || d.DueDay.lt(1) || d.DueDay.gt(31))
        throw ctx.error("Срок оплаты — день месяца от 1 до 31", { field: "DueDay" });
      record.DueDay = num(d.DueDay);
    }
    if (d.ChangeRate) {
      if (d.Rate?.lt(0)) throw ctx.error("Ставка не может быть отрицательной", { field: "Rate" });
      const mode = d.Mode ?? (d.Rate != null ? "FixedDailyRate" : "Statutory");
      if (mode === "FixedDailyRate" && d.Rate == null)
        throw ctx.error("Для фиксированного процента в день укажите ставку", { field: "Rate" });
      record.Mode = mode;
      record.Rate = num(d.Rate);
      record.RateDate = d.RateDate ?? month;
    }
    ctx.movements.PenaltySettings.add(record);
  },
});
