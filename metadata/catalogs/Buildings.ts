// Здания, checks before write: the total area of the premises is never negative.
import { defineCatalog } from "../types.gen.ts";

export default defineCatalog("Buildings", {
  beforeWrite(ctx) {
    const a = ctx.object.TotalArea;
    if (a?.lt(0))
      throw ctx.error(`Общая площадь помещений не может быть отрицательной (указано ${a.toString()})`, {
        field: "TotalArea",
      });
  },
});
