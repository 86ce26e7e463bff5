// Льготы лицевых счетов, checks before records are written (the API, initial data): the number of
// benefit holders is whole and not negative, «По» is not before «С». A refusal names the account
// (code and name), the record and the field; nothing is written. The accrual checks the records
// it reads as well (common/accrual-inputs.ts#benefitsOf).
import type { RecordsCheckContext } from "../../server/api.ts";
import { dateText } from "../common/accrual-figures.ts";

export default {
  async beforeWrite(ctx: RecordsCheckContext): Promise<void> {
    for (const [i, r] of ctx.records.entries()) {
      const values = (r.values && typeof r.values === "object" ? r.values : r) as Record<string, unknown>;
      const who = async () => {
        const id = typeof values.Account === "string" ? values.Account : null;
        const [a] = id ? await ctx.query("catalog", "PersonalAccounts", { id }) : [];
        return a ? `лицевой счет ${String(a.code)} (${String(a.name)})` : "лицевой счет не указан";
      };
      const v = values.Persons;
      if (v !== null && v !== undefined && v !== "") {
        const n = Number(typeof v === "string" ? v.trim() : v);
        if (Number.isFinite(n) && !(n >= 0 && Number.isInteger(n)))
          throw ctx.error(
            `Льготы лицевых счетов, запись ${i + 1} (${await who()}): «Льготников» — целое неотрицательное число, указано ${String(v)}`,
            { line: i + 1, field: "Persons" },
          );
      }
      const day = (x: unknown) => (typeof x === "string" && x ? x.slice(0, 10) : null);
      const from = day(values.From),
        to = day(values.To);
      if (from && to && to < from)
        throw ctx.error(
          `Льготы лицевых счетов, запись ${i + 1} (${await who()}): дата «По» (${dateText(to)}) раньше даты «С» (${dateText(from)})`,
          { line: i + 1, field: "To" },
        );
    }
  },
};
