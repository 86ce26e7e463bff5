// Услуги, checks before write: a service charged by the volume of other services (DerivedVolume,
// e.g. Водоотведение = ХВС + ГВС) needs at least one source service, never itself, no source
// twice, and no cycle through other derived services (the accrual would never end).
import { defineCatalog } from "../types.gen.ts";

export default defineCatalog("Services", {
  async beforeWrite(ctx) {
    const o = ctx.object;
    if (o.CalculationMethod !== "DerivedVolume") return;
    const rows = o.SourceServices ?? [];
    if (rows.length === 0)
      throw ctx.error("Для способа расчета «По объему других услуг» укажите хотя бы одну услугу-источник объема", {
        table: "SourceServices",
        field: "Service",
      });
    const seen = new Set<string>();
    rows.forEach((r, i) => {
      const target = { table: "SourceServices", line: i + 1, field: "Service" };
      if (o.id && r.Service === o.id)
        throw ctx.error(`Строка ${i + 1}: услуга не может быть источником объема для самой себя`, target);
      if (seen.has(r.Service)) throw ctx.error(`Строка ${i + 1}: услуга-источник указана дважды`, target);
      seen.add(r.Service);
    });
    if (!o.id) return; // a new item: nothing can refer to it yet, so no cycle
    const derived = await ctx.query("catalog", "Services", { CalculationMethod: "DerivedVolume" }, { tables: true });
    const sources = new Map<string, string[]>(
      derived.map((s) => [s.id, (s.SourceServices ?? []).map((x) => x.Service)]),
    );
    sources.set(o.id, [...seen]);
    for (const [i, r] of rows.entries()) {
      const stack = [r.Service];
      const visited = new Set<string>();
      while (stack.length) {
        const s = stack.pop()!;
        if (s === o.id)
          throw ctx.error(`Строка ${i + 1}: объем этой услуги сам зависит от объема редактируемой услуги (цикл)`, {
            table: "SourceServices",
            line: i + 1,
            field: "Service",
          });
        if (visited.has(s)) continue;
        visited.add(s);
        stack.push(...(sources.get(s) ?? []));
      }
    }
  },
});
