// Учетная политика (счета учета), checks before records are written (the form, the API, initial
// data): every account code a record names is in the chart ChartOfAccounts and has no
// sub-accounts (entries go to the lowest level). A refusal names the record, the field and the
// code; nothing is written. Posting checks the records it reads again (common/bookkeeping.ts):
// a sub-account added later can make a written code a parent.
import type { RecordsCheckContext } from "../../server/api.ts";
import { POLICY_FIELDS } from "../common/bookkeeping.ts";
import { ledger } from "../common/ledger.ts";
import type { Query } from "../types.gen.ts";

export default {
  async beforeWrite(ctx: RecordsCheckContext): Promise<void> {
    const chart = await ledger(ctx as unknown as Query);
    for (const [i, r] of ctx.records.entries()) {
      const values = (r.values && typeof r.values === "object" ? r.values : r) as Record<string, unknown>;
      for (const [, field, synonym] of POLICY_FIELDS) {
        const v = values[field];
        if (typeof v !== "string" || v.trim() === "") continue;
        const code = v.trim();
        const a = chart.find(code);
        const subs = a?.children ?? [];
        if (a && subs.length === 0) continue;
        throw ctx.error(
          `Учетная политика (счета учета), запись ${i + 1}: «${synonym}» = «${code}»: ${
            a
              ? `у счета ${a.code} есть субсчета (${subs.join(", ")}) — укажите субсчет`
              : "такого счета нет в плане счетов"
          }`,
          { line: i + 1, field },
        );
      }
    }
  },
};
