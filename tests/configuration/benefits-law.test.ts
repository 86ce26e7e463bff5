// Benefits (льготы, ЖК РФ ст.159–160, ФЗ №181 ст.17; docs/benefits.md): GroupAccrual on a real
// database fills Accruals.Benefits, Settlements takes Amount − Benefits; every figure by hand.
// Bad categories and records are refused naming the object and the field; nothing is written.
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
  movements,
  rejects,
  seedWorld,
  type Row,
  seedService,
  UPKEEP_BY_AREA,
  type ServiceSpec,
  type World,
} from "./accrual-fixtures.ts";
import { read } from "./documents-fixtures.ts";
import { accrualChanges } from "../../metadata/documents/accrual-changes.ts";
import { expectSummary } from "./accrual-summary.ts";

const SPECS: ServiceSpec[] = [seedService("ХВС"), seedService("Вывоз мусора"), UPKEEP_BY_AREA];

describe("benefits (льготы): ЖК РФ ст.159–160, ФЗ №181 ст.17", function () {
  let p: Platform;
  let w: World;

  before(async () => {
    p = await accrualPlatform("benefits");
    w = await seedWorld(p, SPECS);
  });
  after(() => p?.close());

  const category = (body: Row) =>
    item(p, "BenefitCategories", {
      name: body.name ?? "Ветеран труда",
      Percent: body.Percent ?? "50.00",
      Limit: body.Limit ?? null,
      SocialNorm: body.SocialNorm ?? null,
      Services: (body.services ?? []).map((s: string) => ({ Service: w.services[s] })),
    });
  const benefits = (rows: Row[]) =>
    inArea(p, (ctx) => writeCheckedRecords(ctx, ctx.conf.informationRegisters.get("AccountBenefits")!, rows));
  const settlement = async (docId: string, account: string, service: string) =>
    (await movements(p, docId)).Settlements.rows.find(
      (r: Row) => r.Account === account && r.Service === w.services[service],
    )?.Amount;

  it("ЖК 159–160 / ФЗ 181 ст.17: a 50 % benefit for 1 of 3 persons within the social norm of 18 m² per person → 540,00 × min(54; 18 × 1) / 54 × 50 % = 90,00; the debt 450,00", async () => {
    const c = await category({ Limit: "BySocialNormOfArea", SocialNorm: "18", services: ["Содержание"] });
    const a = await account(w, { TotalArea: "54.00", Residents: "3" }, ["Содержание"], SPECS);
    await benefits([{ Account: a, Category: c, Persons: 1, From: "2011-01-01", To: null }]);
    const doc = await accrue(p, "2011-11-01", [a]);
    const l = await linesByService(w, doc.id);
    expect(l["Содержание"]).to.include({ Amount: "540.00", Benefits: "90.00" });
    expect(l["Содержание"].Explanation).to.equal(
      "54,00 м² × 10,0000 = 540,00; льгота «Ветеран труда»: 540,00 × min(54,00 м²; 18,0000 м² × 1 чел.) / 54,00 м² × 50 % = 90,00",
    );
    expect(await settlement(doc.id, a, "Содержание")).to.equal("450.00");
  });

  it("ЖК 159–160: 50 % for 1 of 3 registered persons → 750,00 × 1/3 × 50 % = 125,00; a service the category does not list keeps no benefit", async () => {
    const c = await category({ name: "Инвалид", services: ["Вывоз мусора"] });
    const a = await account(w, { TotalArea: "40.00", Residents: "3" }, ["Вывоз мусора", "Содержание"], SPECS);
    await benefits([{ Account: a, Category: c, Persons: 1, From: null, To: null }]);
    const doc = await accrue(p, "2011-11-01", [a]);
    const l = await linesByService(w, doc.id);
    expect(l["Вывоз мусора"]).to.include({ Amount: "750.00", Benefits: "125.00" });
    expect(l["Вывоз мусора"].Explanation).to.equal(
      "3 чел. × 250,0000 = 750,00; льгота «Инвалид»: 750,00 × 1 из 3 чел. × 50 % = 125,00",
    );
    expect(l["Содержание"]).to.include({ Amount: "400.00", Benefits: "0.00" });
    expect(await settlement(doc.id, a, "Вывоз мусора")).to.equal("625.00");
    expect(await settlement(doc.id, a, "Содержание")).to.equal("400.00");
  });

  it("ЖК 159–160: a 100 % benefit for every person leaves nothing to pay, yet the accrual's summary counts the charge (750,00)", async () => {
    const c = await category({ name: "Полная льгота", Percent: "100", services: ["Вывоз мусора"] });
    const a = await account(w, { TotalArea: "40.00", Residents: "3" }, ["Вывоз мусора"], SPECS);
    await benefits([{ Account: a, Category: c, Persons: 3, From: null, To: null }]);
    const doc = await accrue(p, "2011-11-01", [a]);
    expect((await linesByService(w, doc.id))["Вывоз мусора"]).to.include({ Amount: "750.00", Benefits: "750.00" });
    const { own } = await read(p, (api) => accrualChanges(api as never, doc.id));
    expectSummary(own!.Description, "Начислено: 1 л/с, 1 строк на сумму 750,00", {
      charged: 1,
      total: "750.00",
      services: { "Вывоз мусора": "750.00" },
    });
  });

  it("ФЗ 181 ст.17: rounded half up to kopecks once — ХВС by normative 3 × 6,935 × 20 × 1,5 = 624,15; 30 % for 1 of 3 → 62,415 → 62,42", async () => {
    const c = await category({ name: "Льгота 30", Percent: "30", services: ["ХВС"] });
    const a = await account(w, { Residents: "3" }, ["ХВС"], SPECS);
    await benefits([{ Account: a, Category: c, Persons: 1, From: null, To: null }]);
    const l = await linesByService(w, (await accrue(p, "2011-11-01", [a])).id);
    expect(l["ХВС"]).to.include({ Amount: "624.15", Benefits: "62.42" });
  });

  it("ЖК 159–160: a benefit from 16.11 counts for 15 of 30 days → 750,00 × 1/3 × 50 % × 15/30 = 62,50; one ended before the month counts not at all", async () => {
    const c = await category({ name: "С середины месяца", services: ["Вывоз мусора"] });
    const old = await category({ name: "Закончилась", services: ["Вывоз мусора"] });
    const a = await account(w, { Residents: "3" }, ["Вывоз мусора"], SPECS);
    await benefits([
      { Account: a, Category: c, Persons: 1, From: "2011-11-16", To: null },
      { Account: a, Category: old, Persons: 2, From: "2011-01-01", To: "2011-10-31" },
    ]);
    const l = await linesByService(w, (await accrue(p, "2011-11-01", [a])).id);
    expect(l["Вывоз мусора"]).to.include({ Amount: "750.00", Benefits: "62.50" });
    expect(l["Вывоз мусора"].Explanation).to.include("× 50 % × 15/30 дн. = 62,50");
  });

  it("Правила 354 норматив: within the normative volume — ХВС by normative is all within it: 624,15 × min(20,805; 6,935 × 1) / 20,805 × 100 % = 208,05", async () => {
    const c = await category({
      name: "В пределах норматива",
      Percent: "100",
      Limit: "ByNormativeVolume",
      services: ["ХВС"],
    });
    const a = await account(w, { Residents: "3" }, ["ХВС"], SPECS);
    await benefits([{ Account: a, Category: c, Persons: 1, From: null, To: null }]);
    const doc = await accrue(p, "2011-11-01", [a]);
    const l = await linesByService(w, doc.id);
    expect(l["ХВС"]).to.include({ Amount: "624.15", Benefits: "208.05" });
    expect(await settlement(doc.id, a, "ХВС")).to.equal("416.10");
  });

  it("refuses a category over 100 % or negative, naming the category and the field; nothing is written", async () => {
    const count = async () =>
      (
        await inArea(p, (ctx) =>
          ctx.c.query("SELECT count(*)::int AS n FROM cat_benefit_categories WHERE name = 'Плохая'"),
        )
      ).rows[0].n;
    for (const Percent of ["150", "-5"]) {
      const e = await rejects(category({ name: "Плохая", Percent, services: ["ХВС"] }));
      expect(e.status).to.equal(422);
      expect(e.field).to.equal("Percent");
      expect(e.message).to.include("Категория льготы «Плохая»").and.include("«Размер льготы, %» — от 0 до 100");
    }
    const e = await rejects(category({ name: "Плохая", Limit: "BySocialNormOfArea", services: ["ХВС"] }));
    expect(e.field).to.equal("SocialNorm");
    expect(await count()).to.equal(0);
  });

  it("refuses negative persons and «По» before «С», naming the account, the record and the field; nothing is written", async () => {
    const c = await category({ name: "Для отказов", services: ["Вывоз мусора"] });
    const a = await account(w, { Residents: "1" }, ["Вывоз мусора"], SPECS);
    const count = async () =>
      (
        await inArea(p, (ctx) =>
          ctx.c.query("SELECT count(*)::int AS n FROM inf_account_benefits WHERE account = $1", [a]),
        )
      ).rows[0].n;
    const e = await rejects(
      benefits([
        { Account: a, Category: c, Persons: 1, From: null, To: null },
        { Account: a, Category: c, Persons: -1, From: null, To: null },
      ]),
    );
    expect(e.status).to.equal(422);
    expect(e.field).to.equal("Persons");
    expect(e.message)
      .to.include("Льготы лицевых счетов, запись 2")
      .and.include("лицевой счет")
      .and.include("«Льготников»");
    const e2 = await rejects(benefits([{ Account: a, Category: c, Persons: 1, From: "2011-11-10", To: "2011-11-01" }]));
    expect(e2.field).to.equal("To");
    expect(e2.message).to.include("дата «По» (01.11.2011) раньше даты «С» (10.11.2011)");
    expect(await count()).to.equal(0);
  });
});
