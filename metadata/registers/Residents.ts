// Проживающие и собственники, checks before records are written (the API, initial data): the
// numbers of registered persons and owners are whole and not negative. A refusal names the
// account (code and name), the date, the record and the field; nothing is written. The accrual
// checks the records it reads as well (common/accrual-inputs.ts#residentsOf).
// After records are written or deleted (afterWrite, the same transaction): every posted
// GroupAccrual of the record's month or later that covers the account is marked as needing
// recalculation (documents/accrual-changes.ts, register AccrualRecordChanges, Source "Residents
// <date>"): its form lists the change and «Начислить» recomputes (pro rata by days).
import type { RecordsCheckContext, RecordsWrittenContext } from "../../server/api.ts";
import { dateText } from "../common/accrual-figures.ts";
import { type InputChange, RECORD_CHANGES, recordChangeMarks } from "../documents/accrual-changes.ts";
import type { Query } from "../types.gen.ts";

const TITLE = "Проживающие и собственники";

/** A record's fields, as the API or the initial data give them (flat, or under `values`). */
const valuesOf = (r: Record<string, unknown>) =>
  (r.values && typeof r.values === "object" ? r.values : r) as Record<string, unknown>;

const FIELDS = [
  ["Registered", "Зарегистрировано"],
  ["Owners", "Собственников"],
] as const;

export default {
  async beforeWrite(ctx: RecordsCheckContext): Promise<void> {
    for (const [i, r] of ctx.records.entries()) {
      const values = valuesOf(r);
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

  async afterWrite(ctx: RecordsWrittenContext): Promise<void> {
    const names = new Map<string, string>();
    const changes: InputChange[] = [];
    for (const r of ctx.records) {
      const v = valuesOf(r);
      const day = typeof r.period === "string" ? r.period.trim().slice(0, 10) : "";
      const account = typeof v.Account === "string" ? v.Account : null;
      if (!day || !account) continue;
      const figure = (x: unknown) => (x === null || x === undefined || x === "" ? "0" : String(x));
      changes.push({
        from: day,
        account,
        source: `Residents ${day}`,
        what: () =>
          `л/с ${names.get(account) ?? account}: ${
            ctx.deleted
              ? `запись на ${dateText(day)} удалена`
              : `с ${dateText(day)} зарегистрировано ${figure(v.Registered)}, собственников ${figure(v.Owners)}`
          }`,
      });
    }
    // (the platform's query API, typed by this configuration: a register module has no definer)
    const q = ctx as unknown as Query;
    const marks = await recordChangeMarks(q, "Residents", TITLE, changes, async () => {
      const ids = [...new Set(changes.map((c) => c.account as string))];
      for (const a of await q.query("catalog", "PersonalAccounts", { id: ids })) names.set(a.id, a.code);
    });
    if (marks.length) await ctx.writeRecords(RECORD_CHANGES, marks);
  },
};
