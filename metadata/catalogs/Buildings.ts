// Здания, checks before write: the areas (total area of the premises, the common property's
// area and the area of all living and non-living premises) are never negative, and the common
// property (СОИ, Правила 354 п.44–48) is not larger than all the premises. Each refusal names
// the building and the field.
import { defineCatalog } from "../types.gen.ts";

const AREAS = [
  ["TotalArea", "Общая площадь помещений"],
  ["CommonArea", "Площадь общего имущества"],
  ["PremisesArea", "Площадь всех жилых и нежилых помещений"],
] as const;

export default defineCatalog("Buildings", {
  beforeWrite(ctx) {
    const o = ctx.object;
    const who = `Здание «${o.name || o.Address || "новое"}»`;
    for (const [field, title] of AREAS) {
      const a = o[field];
      if (a?.lt(0))
        throw ctx.error(`${who}: ${title} не может быть отрицательной (указано ${a.toString()})`, { field });
    }
    if (o.CommonArea != null && o.PremisesArea != null && o.CommonArea.gt(o.PremisesArea))
      throw ctx.error(
        `${who}: площадь общего имущества (${o.CommonArea.toString()} м²) больше площади всех жилых и нежилых помещений (${o.PremisesArea.toString()} м²)`,
        { field: "CommonArea" },
      );
  },
});
