// Перерасчет.
// Posting: one Accruals record for (Account, Service, Month) with the Recalculation resource
// (Volume, Amount and Benefits 0; period = the month's first day 00:00), Explanation = the
// reason and how the sum was found; and one Settlements receipt of the same signed sum on
// (Account, Service, DebtPeriod = Month) at the same period — a negative sum lowers the debt.
// The sum: Amount when given (either sign, not zero); otherwise, with DaysAbsent, minus the
// month's accrual of that account and service (Accruals turnovers of the month, Amount)
// × DaysAbsent / days in the month, rounded half up to kopecks once. Refused, naming the field:
// neither given, a zero amount, DaysAbsent outside 1..days in month, no accrual to recalculate.
import { Decimal } from "decimal.js";
import { daysInMonth, monthEnd, monthStart } from "../../server/api.ts";
import { round2 } from "../common/money.ts";
import { defineDocument } from "../types.gen.ts";

// Numbers go to the engine as decimal strings (toFixed), not as Decimal objects: a Decimal made
// here may come from another copy of decimal.js than the engine's (ESM vs CommonJS) and fail its
// instanceof checks.
const fmt = (d: Decimal) => d.toFixed(2).replace(".", ",");

export default defineDocument("Recalculation", {
  async post(ctx) {
    const d = ctx.doc;
    const month = monthStart(d.Month);
    const period = `${month}T00:00:00`;
    let amount: Decimal;
    let how: string;
    let base: Decimal | null = null;
    if (d.Amount != null) {
      if (d.Amount.isZero()) throw ctx.error("Сумма перерасчета не может быть нулевой", { field: "Amount" });
      amount = d.Amount;
      how = `${fmt(amount)}`;
    } else if (d.DaysAbsent != null) {
      const days = daysInMonth(month);
      if (!d.DaysAbsent.isInteger() || d.DaysAbsent.lt(1) || d.DaysAbsent.gt(days))
        throw ctx.error(`Дней отсутствия — от 1 до ${days} (дней в месяце)`, { field: "DaysAbsent" });
      const turns = await ctx.registers.Accruals.turnovers(month, monthEnd(month), "none", {
        Account: d.Account,
        Service: d.Service,
      });
      const accrued = turns.reduce((s, t) => s.plus(t.Amount), new Decimal(0));
      if (accrued.isZero())
        throw ctx.error(
          "За этот месяц по услуге лицевого счета ничего не начислено: перерассчитывать по дням отсутствия нечего (укажите сумму)",
          { field: "DaysAbsent" },
        );
      amount = round2(accrued.times(d.DaysAbsent).div(days)).neg();
      if (amount.isZero()) throw ctx.error("Перерасчет за дни отсутствия округляется до нуля", { field: "DaysAbsent" });
      base = d.DaysAbsent;
      how = `−${fmt(accrued)} × ${d.DaysAbsent.toString()} дн. отсутствия / ${days} дн. = ${fmt(amount)}`;
    } else {
      throw ctx.error("Укажите сумму перерасчета или количество дней отсутствия", { field: "Amount" });
    }
    const explanation = `Перерасчет${d.Reason ? ": " + d.Reason : ""} (${how})`;
    ctx.movements.Accruals.add({
      period,
      Account: d.Account,
      Service: d.Service,
      Volume: 0,
      Amount: 0,
      Benefits: 0,
      Recalculation: amount.toFixed(2),
      Base: base?.toFixed() ?? null,
      Explanation: [...explanation].slice(0, 500).join(""),
    });
    ctx.movements.Settlements.add({
      period,
      kind: "receipt",
      Account: d.Account,
      Service: d.Service,
      DebtPeriod: month,
      Amount: amount.toFixed(2),
    });
  },
});
