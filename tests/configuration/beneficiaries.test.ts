// «Льготников» on the account card (PersonalAccounts.Beneficiaries) is derived from the register
// «Льготы лицевых счетов» (AccountBenefits; ЖК РФ ст.159–160, docs/benefits.md): writing or
// deleting the account's benefit records sets it to the persons of the benefits in force today;
// a typed figure other than the register's is refused naming the account and the field; an
// account without benefit records keeps the typed figure.
import { expect } from "chai";
import type { Platform } from "../../server/platform.ts";
import * as cat from "../../server/catalogs/service.ts";
import { deleteCheckedRecords, writeCheckedRecords } from "../../server/registers/checked.ts";
import {
  accrualPlatform,
  account,
  inArea,
  item,
  rejects,
  seedService,
  seedWorld,
  type Row,
  type ServiceSpec,
  type World,
} from "./accrual-fixtures.ts";

const SPECS: ServiceSpec[] = [seedService("Вывоз мусора")];

describe("beneficiaries derived from AccountBenefits (ЖК 159–160)", function () {
  let p: Platform;
  let w: World;
  let veteran: string;
  let disabled: string;

  before(async () => {
    p = await accrualPlatform("benefic");
    w = await seedWorld(p, SPECS);
    const services = [{ Service: w.services["Вывоз мусора"] }];
    veteran = await item(p, "BenefitCategories", { name: "Ветеран труда", Percent: "50.00", Services: services });
    disabled = await item(p, "BenefitCategories", { name: "Инвалид", Percent: "50.00", Services: services });
  });
  after(() => p?.close());

  const register = "AccountBenefits";
  const write = (rows: Row[]) =>
    inArea(p, (ctx) => writeCheckedRecords(ctx, ctx.conf.informationRegisters.get(register)!, rows));
  const remove = (keys: Row[]) =>
    inArea(p, (ctx) => deleteCheckedRecords(ctx, ctx.conf.informationRegisters.get(register)!, keys));
  const card = (id: string) => inArea(p, (ctx) => cat.getCatalogItem(ctx, "PersonalAccounts", id));
  const update = (id: string, body: Row) =>
    inArea(p, (ctx) => cat.updateCatalogItem(ctx, "PersonalAccounts", id, body));

  it("ЖК 159–160: 2 veterans and 1 disabled person in force → «Льготников» 3; a benefit ended in 2011 does not count (→ 1); deleting the last one in force → 0", async () => {
    const a = await account(w, { Residents: "4", Beneficiaries: 0 }, ["Вывоз мусора"], SPECS);
    await write([{ Account: a, Category: veteran, Persons: 2, From: "2011-01-01", To: null }]);
    expect((await card(a)).Beneficiaries).to.equal("2");
    await write([{ Account: a, Category: disabled, Persons: 1, From: "2011-06-01", To: null }]);
    expect((await card(a)).Beneficiaries).to.equal("3");
    // the veterans' benefit ends on 31.12.2011: today (after it) only the disabled person counts
    await write([{ Account: a, Category: veteran, Persons: 2, From: "2011-01-01", To: "2011-12-31" }]);
    expect((await card(a)).Beneficiaries).to.equal("1");
    await remove([{ Account: a, Category: disabled }]);
    expect((await card(a)).Beneficiaries).to.equal("0");
  });

  it("a typed «Льготников» other than the register's is refused naming the account and the field; the card keeps the register's figure; other edits pass", async () => {
    const a = await account(w, { Residents: "3", Beneficiaries: 0 }, ["Вывоз мусора"], SPECS);
    await write([{ Account: a, Category: veteran, Persons: 2, From: null, To: null }]);
    const e = await rejects(update(a, { Beneficiaries: 5 }));
    expect(e.field).to.equal("Beneficiaries");
    expect(e.message)
      .to.include("Лицевой счет")
      .and.include("«Льготников» считается по регистру «Льготы лицевых счетов»")
      .and.include("их 2, указано 5");
    expect((await card(a)).Beneficiaries).to.equal("2");
    await update(a, { Apartment: "17", Beneficiaries: 2 });
    expect(await card(a)).to.include({ Apartment: "17", Beneficiaries: "2" });
  });

  it("an account without benefit records keeps its typed figure (imported data, the demo's Симак: 1)", async () => {
    const a = await account(w, { Residents: "4", Beneficiaries: 1 }, ["Вывоз мусора"], SPECS);
    expect((await card(a)).Beneficiaries).to.equal("1");
    await update(a, { Beneficiaries: 2 });
    expect((await card(a)).Beneficiaries).to.equal("2");
  });

  it("a refused benefit record (Persons −1) changes neither the register nor the card", async () => {
    const a = await account(w, { Residents: "3", Beneficiaries: 0 }, ["Вывоз мусора"], SPECS);
    const e = await rejects(write([{ Account: a, Category: veteran, Persons: -1, From: null, To: null }]));
    expect(e.field).to.equal("Persons");
    expect(e.message).to.include("Льготы лицевых счетов").and.include("«Льготников»");
    expect((await card(a)).Beneficiaries).to.equal("0");
  });
});
