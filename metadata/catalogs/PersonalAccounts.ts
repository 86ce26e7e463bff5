// Лицевые счета, checks before write: areas, residents and beneficiaries are never negative,
// the living area is part of the total area, and an account closes on or after the day it opens.
// Each refusal names the account and the field the form should select. The Residents field is
// the current figure; the charges read the Residents register (Проживающие и собственники) when
// the account has records there (docs/residents.md).
import { defineCatalog } from "../types.gen.ts";

export default defineCatalog("PersonalAccounts", {
  beforeWrite(ctx) {
    const o = ctx.object;
    const who = `Лицевой счет ${o.code ? `${String(o.code)} ` : ""}(${o.name || "новый"})`;
    const nonNegative = [
      ["TotalArea", "Общая площадь"],
      ["LivingArea", "Жилая площадь"],
      ["Residents", "Количество проживающих"],
      ["Beneficiaries", "Количество льготников"],
    ] as const;
    for (const [field, title] of nonNegative) {
      const v = o[field];
      if (v?.lt(0))
        throw ctx.error(`${who}: ${title} не может быть отрицательной величиной (указано ${v.toString()})`, { field });
    }
    if (o.LivingArea != null && o.TotalArea != null && o.LivingArea.gt(o.TotalArea))
      throw ctx.error(
        `${who}: жилая площадь (${o.LivingArea.toString()} м²) больше общей (${o.TotalArea.toString()} м²)`,
        { field: "LivingArea" },
      );
    if (o.Opened && o.Closed && o.Closed < o.Opened)
      throw ctx.error(`${who}: дата закрытия ${o.Closed} раньше даты открытия ${o.Opened}`, { field: "Closed" });
  },
});
