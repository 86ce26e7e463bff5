// Льготы лицевых счетов, checks before records are written (the API, initial data): the number of
// benefit holders is whole and not negative, «По» is not before «С». A refusal names the account
// (code and name), the record and the field; nothing is written. The accrual checks the records
// it reads as well (common/accrual-inputs.ts#benefitsOf).
// After records are written or deleted (afterWrite, the same transaction): the account card's
// «Льготников» (PersonalAccounts.Beneficiaries) of every account touched is set to the persons of
// its benefits in force today (beneficiariesOf) — derived, not typed (docs/benefits.md).
import type { RecordsCheckContext, RecordsWrittenContext } from "../../server/api.ts";
import { today } from "../../server/api.ts";
import { dateText } from "../common/accrual-figures.ts";
import type { Query } from "../types.gen.ts";

/**
 * The card's «Льготников» of each of `accounts` as the register has it on `day` ('YYYY-MM-DD',
 * default today): Σ Persons of its records in force that day (From ≤ day ≤ To, empty = open).
 * An account without records is absent from the map (its card keeps the typed figure).
 */
export async function beneficiariesOf(ctx: Query, accounts: string[], day = today()): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (accounts.length === 0) return out;
  for (const r of await ctx.info.AccountBenefits.sliceLast(undefined, { Account: accounts })) {
    if (!r.Account) continue;
    const from = r.From ? String(r.From).slice(0, 10) : null;
    const to = r.To ? String(r.To).slice(0, 10) : null;
    const inForce = (!from || from <= day) && (!to || to >= day);
    out.set(r.Account, (out.get(r.Account) ?? 0) + (inForce && r.Persons ? Number(r.Persons) : 0));
  }
  return out;
}

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

  async afterWrite(ctx: RecordsWrittenContext): Promise<void> {
    // (the platform's query API, typed by this configuration: a register module has no definer)
    const q = ctx as unknown as Query;
    const named = ctx.records.map((r) => {
      const v = (r.values && typeof r.values === "object" ? r.values : r) as Record<string, unknown>;
      return typeof v.Account === "string" ? v.Account : null;
    });
    // a deletion by category alone may touch any account
    const ids = named.includes(null)
      ? (await q.query("catalog", "PersonalAccounts", {})).map((a) => a.id)
      : [...new Set(named as string[])];
    if (ids.length === 0) return;
    const derived = await beneficiariesOf(q, ids);
    for (const a of await q.query("catalog", "PersonalAccounts", { id: ids })) {
      const n = derived.get(a.id) ?? 0;
      const stored = a.Beneficiaries == null ? null : Number(a.Beneficiaries);
      // (an account that never had records and none now keeps its typed figure)
      if (stored !== n && (derived.has(a.id) || !named.includes(null)))
        await ctx.updateCatalogItem("PersonalAccounts", a.id, { Beneficiaries: n });
    }
  },
};
