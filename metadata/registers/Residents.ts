// Проживающие и собственники, checks before records are written (the API, initial data): the
// numbers of registered persons and owners are whole and not negative. A refusal names the
// account (code and name), the date, the record and the field; nothing is written. The accrual
// checks the records it reads as well (common/accrual-inputs.ts#residentsOf).
import type { RecordsCheckContext } from "../../server/api.ts";
import { dateText } from "../common/accrual-figures.ts";

const FIELDS = [
  ["Registered", "Зарегистрировано"],
  ["Owners", "Собственников"],
] as const;

export default {
  async beforeWrite(ctx: RecordsCheckContext): Promise<void> {
    for (const [i, r] of ctx.records.entries()) {
      const values = (r.values && typeof r.values === "object" ? r.values : r) as Record<string, unknown>;
      for (const [field, title] of FIELDS) {
        const v = values[field];
        if (v === null || v === undefined || v === "") continue;
        const n = Number(typeof v === "string" ? v.trim() : v);
        // (not a number: the platform refuses it naming the field)
        if (!Number.isFinite(n) || (n >= 0 && Number.isInteger(n))) continue;
        const id = typeof values.Account === "string" ? values.Account : null;
        const [a] = id ? await ctx.query("catalog", "PersonalAccounts", { id }) : [];
        const who = a ? `лицевой счет ${String(a.code)} (${String(a.name)})` : "лицевой счет не указан";
        const period = typeof r.period === "string" ? ` на ${dateText(r.period.slice(0, 10))}` : "";
        throw ctx.error(
          `Проживающие и собственники, запись ${i + 1} (${who}${period}): «${title}» — целое неотрицательное число, указано ${String(v)}`,
          { line: i + 1, field },
        );
      }
    }
  },
};
