// Категории льгот, checks before write: the benefit is 0–100 %, a limit by the social norm of area
// has a non-negative norm, no service twice. A refusal names the category and the field; nothing
// is written. The accrual checks the categories it reads as well (common/accrual-benefits.ts).
import { defineCatalog } from "../types.gen.ts";

export default defineCatalog("BenefitCategories", {
  async beforeWrite(ctx) {
    const o = ctx.object;
    const who = `Категория льготы «${o.name || "без наименования"}»`;
    const percent = o.Percent;
    if (percent !== null && percent !== undefined && (percent.lt(0) || percent.gt(100)))
      throw ctx.error(`${who}: «Размер льготы, %» — от 0 до 100, указано ${percent.toString().replace(".", ",")}`, {
        field: "Percent",
      });
    const norm = o.SocialNorm;
    if (norm !== null && norm !== undefined && norm.lt(0))
      throw ctx.error(`${who}: «Социальная норма площади на человека» не может быть отрицательной`, {
        field: "SocialNorm",
      });
    if (o.Limit === "BySocialNormOfArea" && (norm === null || norm === undefined || norm.lte(0)))
      throw ctx.error(`${who}: для ограничения социальной нормой площади укажите норму на человека, м²`, {
        field: "SocialNorm",
      });
    const seen = new Set<string>();
    for (const [i, r] of (o.Services ?? []).entries()) {
      if (seen.has(r.Service))
        throw ctx.error(`${who}, строка ${i + 1}: услуга указана дважды`, {
          table: "Services",
          line: i + 1,
          field: "Service",
        });
      seen.add(r.Service);
    }
  },
});
