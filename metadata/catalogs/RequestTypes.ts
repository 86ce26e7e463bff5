// Виды заявок, checks before write (docs/service-requests.md): the hours are not negative; a
// working day (TimeMode = Working) has its start before its end within 0–24; a paid type names the
// service its charge goes to (Accruals, the receipt's line) and has no negative price.
import { defineCatalog } from "../types.gen.ts";

export default defineCatalog("RequestTypes", {
  beforeWrite(ctx) {
    const o = ctx.object;
    const what = `Вид заявки «${o.name || "новый"}»`;
    for (const [field, title] of [
      ["ResponseHours", "Срок реагирования"],
      ["CompletionHours", "Срок выполнения"],
    ] as const)
      if (o[field]?.lt(0))
        throw ctx.error(`${what}: ${title} не может быть отрицательным (указано ${o[field].toString()})`, { field });
    const start = o.WorkdayStart?.toNumber() ?? 8,
      end = o.WorkdayEnd?.toNumber() ?? 17;
    if (start < 0 || end > 24 || start >= end)
      throw ctx.error(
        `${what}: рабочий день должен начинаться раньше, чем заканчивается, в пределах 0–24 часов (указано ${start}–${end})`,
        { field: o.WorkdayStart != null ? "WorkdayStart" : "WorkdayEnd" },
      );
    if (o.Price?.lt(0))
      throw ctx.error(`${what}: цена не может быть отрицательной (указано ${o.Price.toString()})`, { field: "Price" });
    if (o.Category === "Paid" && !o.Service)
      throw ctx.error(
        `${what}: для платной заявки укажите услугу для начисления (например «Платные работы»): по ней сумма попадет в квитанцию`,
        { field: "Service" },
      );
  },
});
