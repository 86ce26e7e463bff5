// Услуги, checks before write: a service charged by the volume of other services (DerivedVolume,
// e.g. Водоотведение = ХВС + ГВС) needs at least one source service, never itself, no source
// twice, and no cycle through other derived services (the accrual would never end). A Payee is an
// organization with its bank requisites filled in (docs/payees.md).
import { defineCatalog } from "../types.gen.ts";

export default defineCatalog("Services", {
  async beforeWrite(ctx) {
    const o = ctx.object;
    // Payee (docs/payees.md): an organization with the bank requisites its receipt block and QR print.
    if (o.Payee) {
      const [org] = await ctx.query("catalog", "Organizations", { id: o.Payee }, 1);
      const missing = org
        ? (
            [
              ["Inn", "ИНН"],
              ["BankAccount", "Расчетный счет"],
              ["BankName", "Банк"],
              ["Bik", "БИК"],
              ["CorrAccount", "Корреспондентский счет"],
            ] as const
          )
            .filter(([f]) => !org[f])
            .map(([, t]) => `«${t}»`)
        : [];
      if (!org || missing.length)
        throw ctx.error(
          org
            ? `Услуга «${o.name}»: у получателя платежа «${org.name}» не заполнены банковские реквизиты: ${missing.join(", ")} — заполните их в справочнике «Организации»`
            : `Услуга «${o.name}»: «Получатель платежа» должен быть организацией из справочника «Организации»`,
          { field: "Payee" },
        );
    }
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
