// Лицевые счета, checks before write: areas, residents and beneficiaries are never negative,
// the living area is part of the total area, and an account closes on or after the day it opens.
// Each refusal names the field the form should select.
import type { CatalogContext } from "../../server/api.ts";

export default {
  beforeWrite(ctx: CatalogContext) {
    const o = ctx.object;
    if (o.isFolder) return;
    const nonNegative: [string, string][] = [
      ["TotalArea", "Общая площадь"],
      ["LivingArea", "Жилая площадь"],
      ["Residents", "Количество проживающих"],
      ["Beneficiaries", "Количество льготников"],
    ];
    for (const [field, title] of nonNegative) {
      if (o[field] != null && o[field].lt(0))
        throw ctx.error(`${title} не может быть отрицательной величиной (указано ${o[field].toString()})`, { field });
    }
    if (o.LivingArea != null && o.TotalArea != null && o.LivingArea.gt(o.TotalArea))
      throw ctx.error(`Жилая площадь (${o.LivingArea.toString()} м²) больше общей (${o.TotalArea.toString()} м²)`, { field: "LivingArea" });
    if (o.Opened && o.Closed && o.Closed < o.Opened)
      throw ctx.error(`Дата закрытия ${o.Closed} раньше даты открытия ${o.Opened}`, { field: "Closed" });
  },
};
