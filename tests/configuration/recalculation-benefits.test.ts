// Benefits on recalculations (ЖК РФ ст.159–160, ФЗ №181 ст.17; Правила 354 п.61, 86–91;
// docs/benefits.md, docs/recalculations.md): «Перерасчет» re-applies the account's benefits in
// force in the corrected month to its sum the way GroupAccrual applies them to a charge
// (accrual-benefits.ts), signed like the sum: Accruals.Benefits, and Settlements takes the sum
// less the benefit. Every figure by hand.
import { expect } from "chai";
import type { Platform } from "../../server/platform.ts";
import { writeCheckedRecords } from "../../server/registers/checked.ts";
import {
  accrualPlatform,
  account,
  accrue,
  inArea,
  item,
  linesByService,
  rejects,
  seedService,
  seedWorld,
  UPKEEP_BY_AREA,
  type Row,
  type ServiceSpec,
  type World,
} from "./accrual-fixtures.ts";
import { doc, movements } from "./documents-fixtures.ts";

const SPECS: ServiceSpec[] = [seedService("Вывоз мусора"), UPKEEP_BY_AREA];

describe("recalculation with benefits: ЖК 159–160, ФЗ 181 ст.17, Правила 354 п.61", function () {
  let p: Platform;
  let w: World;
  let disabled: string;

  before(async () => {
    p = await accrualPlatform("recben");
    w = await seedWorld(p, SPECS);
    // 50 % on Вывоз мусора only, by persons (the default limit)
    disabled = await item(p, "BenefitCategories", {
      name: "Инвалид",
      Percent: "50.00",
      Services: [{ Service: w.services["Вывоз мусора"] }],
    });
  });
  after(() => p?.close());

  const benefits = (rows: Row[]) =>
    inArea(p, (ctx) => writeCheckedRecords(ctx, ctx.conf.informationRegisters.get("AccountBenefits")!, rows));
  const recalculation = (body: Row) =>
    doc(p, "Recalculation", {
      date: "2011-12-05T10:00:00",
      Month: "2011-12-01",
      CorrectedPeriod: "2011-11-01",
      ...body,
    });
  const posted = async (id: string) => {
    const [a] = await movements(p, "Recalculation", id, "Accruals");
    const st = await movements(p, "Recalculation", id, "Settlements");
    return { a, due: st[0]?.Amount ?? null };
  };

  it("ЖК 159–160, Правила 354 п.86, 90: temporary absence −750,00 × 1/3 × 10/30 = −83,33; the benefit of 1 of 3 persons at 50 %: 83,33 × 1/3 × 50 % = 13,89 → Benefits −13,89, the debt −69,44", async () => {
    const a = await account(w, { Residents: "3" }, ["Вывоз мусора"], SPECS);
    await benefits([{ Account: a, Category: disabled, Persons: 1, From: null, To: null }]);
    const g = await accrue(p, "2011-11-01", [a]);
    // November as GroupAccrual charged it: 750,00 × 1/3 × 50 % = 125,00
    expect((await linesByService(w, g.id))["Вывоз мусора"]).to.include({ Amount: "750.00", Benefits: "125.00" });
    const d = await recalculation({
      Account: a,
      Service: w.services["Вывоз мусора"],
      ReasonKind: "TemporaryAbsence",
      DaysAbsent: 10,
      PersonsAbsent: 1,
    });
    const { a: rec, due } = await posted(d.id);
    // 83,33 / 3 / 2 = 13,888… → 13,89
    expect([rec.Recalculation, rec.Benefits, rec.Amount]).to.deep.equal(["-83.33", "-13.89", "0.00"]);
    expect(due).to.equal("-69.44");
    expect(rec.Explanation).to.equal(
      "Перерасчет за ноябрь 2011: Временное отсутствие потребителя (−750,00 × 1 чел. / 3 прож. × 10 дн. / 30 дн. = -83,33; п.86–91 Правил 354); льгота «Инвалид»: 83,33 × 1 из 3 чел. × 50 % = 13,89 (со знаком перерасчета: -13,89)",
    );
  });

  it("ЖК 159–160: a typed +300,00 with the benefit for all 3 persons at 50 % → Benefits 150,00, the debt 150,00; a service the category does not list keeps no benefit", async () => {
    const a = await account(w, { Residents: "3" }, ["Вывоз мусора", "Содержание"], SPECS);
    await benefits([{ Account: a, Category: disabled, Persons: 3, From: "2011-01-01", To: null }]);
    const d = await recalculation({
      Account: a,
      Service: w.services["Вывоз мусора"],
      ReasonKind: "Correction",
      Amount: "300.00",
    });
    const { a: rec, due } = await posted(d.id);
    // 300,00 × 3/3 × 50 % = 150,00
    expect([rec.Recalculation, rec.Benefits]).to.deep.equal(["300.00", "150.00"]);
    expect(due).to.equal("150.00");
    const other = await recalculation({ Account: a, Service: w.services["Содержание"], Amount: "100.00" });
    const o = await posted(other.id);
    expect([o.a.Recalculation, o.a.Benefits, o.due]).to.deep.equal(["100.00", "0.00", "100.00"]);
  });

  it("ЖК 159–160: a benefit in force from 16.11 covers 15 of November's 30 days — +300,00 × 1/3 × 50 % × 15/30 = 25,00; a benefit ended before the corrected month gives none", async () => {
    const a = await account(w, { Residents: "3" }, ["Вывоз мусора"], SPECS);
    await benefits([{ Account: a, Category: disabled, Persons: 1, From: "2011-11-16", To: null }]);
    const d = await recalculation({ Account: a, Service: w.services["Вывоз мусора"], Amount: "300.00" });
    const { a: rec, due } = await posted(d.id);
    expect([rec.Benefits, due]).to.deep.equal(["25.00", "275.00"]);
    expect(rec.Explanation).to.include("льгота «Инвалид»: 300,00 × 1 из 3 чел. × 50 % × 15/30 дн. = 25,00");
    const b = await account(w, { Residents: "3" }, ["Вывоз мусора"], SPECS);
    await benefits([{ Account: b, Category: disabled, Persons: 1, From: "2011-01-01", To: "2011-10-31" }]);
    const e = await recalculation({ Account: b, Service: w.services["Вывоз мусора"], Amount: "300.00" });
    const r = await posted(e.id);
    expect([r.a.Benefits, r.due]).to.deep.equal(["0.00", "300.00"]);
  });

  it("a ByNormativeVolume benefit on a service without a normative is refused naming «Перерасчет» and the field; nothing posted", async () => {
    const cat = await item(p, "BenefitCategories", {
      name: "В пределах норматива",
      Percent: "50.00",
      Limit: "ByNormativeVolume",
      Services: [{ Service: w.services["Содержание"] }],
    });
    const a = await account(w, { Residents: "3" }, ["Содержание"], SPECS);
    await benefits([{ Account: a, Category: cat, Persons: 1, From: null, To: null }]);
    const e = await rejects(
      doc(p, "Recalculation", {
        date: "2011-12-05T10:00:00",
        Month: "2011-12-01",
        CorrectedPeriod: "2011-11-01",
        Account: a,
        Service: w.services["Содержание"],
        Amount: "100.00",
      }),
    );
    expect(e.field).to.equal("Service");
    expect(e.message).to.include("Перерасчет").and.include("не задан норматив");
    const posted = await inArea(p, (ctx) =>
      ctx.c.query("SELECT count(*)::int AS n FROM doc_recalculation WHERE account = $1 AND posted", [a]),
    );
    expect(posted.rows[0].n).to.equal(0);
  });
});
