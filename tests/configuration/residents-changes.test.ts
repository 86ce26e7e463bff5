// Residents changed after the month's GroupAccrual was posted (issue 15 §3–§4; Правила 354
// п.56(2), п.61): a record of the register Residents written or deleted directly (the API, not a
// document) marks the posted accrual as needing recalculation (register AccrualRecordChanges,
// written by registers/Residents.ts afterWrite in the same transaction); the accrual's
// accrualChanges lists it, the HTTP listing the form reads has it, and «Начислить» (a repost)
// recomputes the per-person and normative lines pro rata by days. Every figure by hand.
import { expect } from "chai";
import { accrualChanges } from "../../metadata/documents/accrual-changes.ts";
import * as docs from "../../server/documents/service.ts";
import type { Platform } from "../../server/platform.ts";
import { deleteCheckedRecords, writeCheckedRecords } from "../../server/registers/checked.ts";
import { serve } from "../platform/api-client.ts";
import {
  account,
  accrualPlatform,
  accrue,
  inArea,
  linesByService,
  rejects,
  type ServiceSpec,
  seedService,
  seedWorld,
  UPKEEP_BY_AREA,
  type World,
} from "./accrual-fixtures.ts";
import { doc, movements, read } from "./documents-fixtures.ts";
import { expectSummary } from "./accrual-summary.ts";

const SPECS: ServiceSpec[] = [seedService("ХВС"), seedService("Вывоз мусора"), UPKEEP_BY_AREA];

describe("residents changed after the accrual: Правила 354 п.56(2), п.61 (issue 15 §4)", function () {
  let p: Platform;
  let w: World;

  before(async () => {
    p = await accrualPlatform("reschg");
    w = await seedWorld(p, SPECS);
  });
  after(() => p?.close());

  const residents = (rows: { account: string; period: string; registered: number; owners?: number }[]) =>
    inArea(p, (ctx) =>
      writeCheckedRecords(
        ctx,
        ctx.conf.informationRegisters.get("Residents")!,
        rows.map((r) => ({ period: r.period, Account: r.account, Registered: r.registered, Owners: r.owners ?? 0 })),
      ),
    );
  const changes = (id: string) => read(p, (api) => accrualChanges(api as never, id));
  const repost = (id: string) => inArea(p, (ctx) => docs.postDocument(ctx, "GroupAccrual", id));
  const code = (id: string) => read(p, async (api) => (await api.query("catalog", "PersonalAccounts", { id }))[0].code);

  it("Правила 354 п.56(2), п.61: 3 registered, a 4th from 16.11 written after posting — marked; «Начислить»: Вывоз мусора 750,00 → 3 × 15/30 + 4 × 15/30 = 3,5 × 250,00 = 875,00, ХВС by the normative 3,5 × 6,935 × 20,00 × 1,5 = 728,18", async () => {
    const a = await account(w, { Residents: "3" }, ["ХВС", "Вывоз мусора", "Содержание"], SPECS);
    await residents([{ account: a, period: "2011-01-01", registered: 3 }]);
    const g = await accrue(p, "2011-11-01", [a]);
    let l = await linesByService(w, g.id);
    // 3 × 250,00 = 750,00; ХВС without a meter: 3 × 6,935 = 20,805 m³ × 20,00 × 1,5 = 624,15
    expect([l["Вывоз мусора"].Amount, l["ХВС"].Amount, l["Содержание"].Amount]).to.deep.equal([
      "750.00",
      "624.15",
      "590.00",
    ]);
    expect((await changes(g.id)).pending).to.deep.equal([]);

    await residents([{ account: a, period: "2011-11-16", registered: 4, owners: 1 }]);
    const { pending } = await changes(g.id);
    expect(pending.map((m) => [m.Source, m.Account])).to.deep.equal([["Residents 2011-11-16", a]]);
    expect(pending[0].Description).to.equal(
      `Проживающие и собственники: л/с ${await code(a)}: с 16.11.2011 зарегистрировано 4, собственников 1`,
    );
    // still the old bill until «Начислить»
    expect((await linesByService(w, g.id))["Вывоз мусора"].Amount).to.equal("750.00");

    await repost(g.id);
    l = await linesByService(w, g.id);
    // 3 × 15/30 + 4 × 15/30 = 3,5 persons: 3,5 × 250,00 = 875,00 (+125,00)
    expect(l["Вывоз мусора"]).to.include({ Volume: "3.5000", Amount: "875.00" });
    // 3,5 × 6,935 = 24,2725 m³ × 20,00 × 1,5 = 728,175 → 728,18 (+104,03); by area unchanged
    expect(l["ХВС"]).to.include({ Volume: "24.2725", Amount: "728.18" });
    expect(l["Содержание"].Amount).to.equal("590.00");
    const after = await changes(g.id);
    expect(after.pending).to.deep.equal([]);
    // 750 + 624,15 + 590 = 1 964,15 → 875 + 728,18 + 590 = 2 193,18 (+229,03)
    expectSummary(
      after.own!.Description,
      "Пересчитано: 1 л/с, 3 строк на сумму 2193,18 (было 1964,15, разница +229,03); учтено изменений после прошлого начисления: 1",
      { charged: 1, total: "2193.18", services: { ХВС: "728.18", Содержание: "590.00" } },
    );
  });

  it("Правила 354 п.56(2), п.61: a record deleted after posting is marked too; the repost goes back to 3 persons (750,00)", async () => {
    const a = await account(w, { Residents: "3" }, ["Вывоз мусора"], SPECS);
    await residents([
      { account: a, period: "2011-01-01", registered: 3 },
      { account: a, period: "2011-11-21", registered: 6 },
    ]);
    const g = await accrue(p, "2011-11-01", [a]);
    // 3 × 20/30 + 6 × 10/30 = 4 persons → 1 000,00
    expect((await linesByService(w, g.id))["Вывоз мусора"].Amount).to.equal("1000.00");
    const n = await inArea(p, (ctx) =>
      deleteCheckedRecords(ctx, ctx.conf.informationRegisters.get("Residents")!, [
        { period: "2011-11-21", Account: a },
      ]),
    );
    expect(n).to.equal(1);
    const { pending } = await changes(g.id);
    expect(pending.map((m) => m.Description)).to.deep.equal([
      `Проживающие и собственники: л/с ${await code(a)}: запись на 21.11.2011 удалена`,
    ]);
    await repost(g.id);
    expect((await linesByService(w, g.id))["Вывоз мусора"].Amount).to.equal("750.00");
    expect((await changes(g.id)).pending).to.deep.equal([]);
  });

  it("issue 15 §4: a record of a later month, or of an account the accrual does not cover, marks nothing", async () => {
    const a = await account(w, { Residents: "2" }, ["Вывоз мусора"], SPECS);
    const other = await account(w, { Residents: "2" }, ["Вывоз мусора"], SPECS);
    const g = await accrue(p, "2011-11-01", [a]);
    await residents([
      { account: a, period: "2011-12-05", registered: 1 },
      { account: other, period: "2011-11-10", registered: 1 },
    ]);
    expect((await changes(g.id)).pending).to.deep.equal([]);
  });

  it("issue 15 §4: through the HTTP API — the write marks the accrual and the listing the form reads (AccrualRecordChanges) has it; a refused record marks nothing", async () => {
    const a = await account(w, { Residents: "2" }, ["Вывоз мусора"], SPECS);
    const g = await accrue(p, "2011-11-01", [a]);
    const { server, base } = await serve(p);
    try {
      const write = (registered: number) =>
        fetch(`${base}/api/registers/Residents/records`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ records: [{ period: "2011-11-11", Account: a, Registered: registered, Owners: 0 }] }),
        });
      const bad = await write(-1);
      expect(bad.status).to.equal(422);
      expect((await changes(g.id)).pending).to.deep.equal([]);
      expect((await write(5)).status).to.equal(200);
      const r = await fetch(`${base}/api/registers/AccrualRecordChanges/records?Accrual=${g.id}&limit=1000`);
      const { rows } = (await r.json()) as { rows: { Source: string; Description: string }[] };
      expect(rows.map((x) => [x.Source, x.Description])).to.deep.equal([
        [
          "Residents 2011-11-11",
          `Проживающие и собственники: л/с ${await code(a)}: с 11.11.2011 зарегистрировано 5, собственников 0`,
        ],
      ]);
    } finally {
      server.close();
    }
    await repost(g.id);
    // 2 × 10/30 + 5 × 20/30 = 4 persons → 1 000,00
    expect((await linesByService(w, g.id))["Вывоз мусора"].Amount).to.equal("1000.00");
  });

  it("Правила 354 п.86–91: a temporary absence divides the month's charge by the persons it was charged for — 3 to 15.11, 4 from 16.11 (3,5 persons): −875,00 × 1 / 3,5 × 10 / 30 = −83,33 (the card's 3 would give −97,22); 4 absent is more than 3,5 — refused", async () => {
    const a = await account(w, { Residents: "3" }, ["ХВС", "Вывоз мусора", "Содержание"], SPECS);
    await residents([
      { account: a, period: "2011-01-01", registered: 3 },
      { account: a, period: "2011-11-16", registered: 4 },
    ]);
    await accrue(p, "2011-11-01", [a]);
    const absence = {
      date: "2011-12-05T10:00:00",
      Month: "2011-12-01",
      CorrectedPeriod: "2011-11-01",
      Account: a,
      Service: w.services["Вывоз мусора"],
      ReasonKind: "TemporaryAbsence",
      DaysAbsent: 10,
    };
    const d = await doc(p, "Recalculation", { ...absence, PersonsAbsent: 1 });
    const [rec] = await movements(p, "Recalculation", d.id, "Accruals");
    expect(rec.Recalculation).to.equal("-83.33");
    expect(rec.Explanation).to.contain("−875,00 × 1 чел. / 3,5 прож. × 10 дн. / 30 дн. = -83,33");
    const four = await rejects(doc(p, "Recalculation", { ...absence, PersonsAbsent: 4 }));
    expect(four.field).to.equal("PersonsAbsent");
    expect(four.message).to.contain("от 1 до 3,5 (проживало на лицевом счете");
  });

  it("a refused Residents record (negative) posts no mark and writes nothing", async () => {
    const a = await account(w, { Residents: "2" }, ["Вывоз мусора"], SPECS);
    const g = await accrue(p, "2011-11-01", [a]);
    const e = await rejects(residents([{ account: a, period: "2011-11-03", registered: -2 }]));
    expect(e.field).to.equal("Registered");
    expect(e.message).to.include("Проживающие и собственники").and.include("«Зарегистрировано»");
    expect((await changes(g.id)).pending).to.deep.equal([]);
  });
});
