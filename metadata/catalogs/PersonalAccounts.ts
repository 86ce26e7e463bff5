// Лицевые счета, checks before write: areas, residents and beneficiaries are never negative,
// the living area is part of the total area, and an account closes on or after the day it opens.
// Each refusal names the account and the field the form should select. The Residents field is
// the current figure; the charges read the Residents register (Проживающие и собственники) when
// the account has records there (docs/residents.md).
// «Льготников» (Beneficiaries) is derived from the register «Льготы лицевых счетов»
// (AccountBenefits): its write sets the field (registers/AccountBenefits.ts afterWrite); an
// account with benefit records refuses a typed figure other than the register's (or the one
// stored); an account without records keeps the typed one (docs/benefits.md).
import { today } from "../../server/api.ts";
import { dateText } from "../common/accrual-figures.ts";
import { beneficiariesOf } from "../registers/AccountBenefits.ts";
import { defineCatalog } from "../types.gen.ts";

export default defineCatalog("PersonalAccounts", {
  async beforeWrite(ctx) {
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
    if (!ctx.isNew && o.id && o.Beneficiaries != null) {
      const day = today();
      const derived = (await beneficiariesOf(ctx, [o.id], day)).get(o.id);
      if (derived !== undefined && !o.Beneficiaries.eq(derived)) {
        const [stored] = await ctx.query("catalog", "PersonalAccounts", { id: o.id });
        if (!stored?.Beneficiaries || !o.Beneficiaries.eq(stored.Beneficiaries))
          throw ctx.error(
            `${who}: «Льготников» считается по регистру «Льготы лицевых счетов» — на ${dateText(day)} их ${derived}, указано ${o.Beneficiaries.toString()}: измените льготы счета в регистре`,
            { field: "Beneficiaries" },
          );
      }
    }
  },
});
