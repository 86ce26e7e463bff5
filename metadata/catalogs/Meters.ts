// Приборы учета, checks before write: an individual meter belongs to a personal account (field
// Account), a collective (house) meter to a building (field Building). An individual meter may
// name a building too, but then it must be its account's building.
import { defineCatalog } from "../types.gen.ts";

export default defineCatalog("Meters", {
  async beforeWrite(ctx) {
    const o = ctx.object;
    if (o.Kind === "Individual") {
      if (!o.Account)
        throw ctx.error("Индивидуальный прибор учета должен принадлежать лицевому счету: укажите лицевой счет", {
          field: "Account",
        });
      if (o.Building) {
        const [acc] = await ctx.query("catalog", "PersonalAccounts", { id: o.Account });
        if (acc && acc.Building !== o.Building)
          throw ctx.error(`Здание прибора не совпадает со зданием лицевого счета ${acc.code}`, { field: "Building" });
      }
    } else if (o.Kind === "Collective") {
      if (!o.Building)
        throw ctx.error("Коллективный (общедомовой) прибор учета должен принадлежать зданию: укажите здание", {
          field: "Building",
        });
      if (o.Account)
        throw ctx.error("У коллективного (общедомового) прибора учета не указывается лицевой счет", {
          field: "Account",
        });
    }
  },
});
