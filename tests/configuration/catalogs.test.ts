// The ЖКХ catalogs' checks before write (metadata/catalogs/*.ts) against a real database:
// each bad value is refused naming its field, nothing is written, and good values pass.
import { expect } from "chai";
import type { Platform } from "../../server/platform.ts";
import { openZhkh, seedCatalogs, item, updateItem, getItem, rejects, inArea, type Seed } from "./documents-fixtures.ts";
import * as cat from "../../server/catalogs/service.ts";

describe("configuration: catalog checks", function () {
  let p: Platform;
  let s: Seed;

  before(async () => {
    p = await openZhkh("zcat");
    s = await seedCatalogs(p);
  });
  after(() => p?.close());

  const account = (body: Record<string, unknown>) =>
    item(p, "PersonalAccounts", { name: "Тестов Тест", Building: s.building, ...body });
  const count = async (name: string) => (await inArea(p, (ctx) => cat.listCatalog(ctx, name, {}))).total;

  describe("PersonalAccounts", () => {
    for (const field of ["TotalArea", "LivingArea", "Residents", "Beneficiaries"]) {
      it(`refuses a negative ${field}, naming it, and writes nothing`, async () => {
        const before = await count("PersonalAccounts");
        const e = await rejects(account({ TotalArea: "50.00", [field]: field.endsWith("Area") ? "-0.01" : -1 }));
        expect(e.status).to.equal(422);
        expect(e.field).to.equal(field);
        expect(e.message).to.match(/отрицательн/);
        expect(await count("PersonalAccounts")).to.equal(before);
      });
    }

    it("refuses a living area above the total area", async () => {
      const e = await rejects(account({ TotalArea: "40.00", LivingArea: "40.01" }));
      expect(e.field).to.equal("LivingArea");
      expect(e.message).to.contain("больше общей");
      const ok = await account({ TotalArea: "40.00", LivingArea: "40.00", Residents: 0, Beneficiaries: 0 });
      expect(ok.LivingArea).to.equal("40.00");
    });

    it("refuses a closing date before the opening date, also on update", async () => {
      const e = await rejects(account({ Opened: "2011-05-01", Closed: "2011-04-30" }));
      expect(e.field).to.equal("Closed");
      const a = await account({ Opened: "2011-05-01", Closed: "2011-05-01" });
      const e2 = await rejects(updateItem(p, "PersonalAccounts", a.id, { Opened: "2011-06-01" }));
      expect(e2.field).to.equal("Closed");
      expect((await getItem(p, "PersonalAccounts", a.id)).Opened).to.equal("2011-05-01");
    });

    it("checks an update against the stored values (negative residents on an existing account)", async () => {
      const e = await rejects(updateItem(p, "PersonalAccounts", s.accounts[0], { Residents: -3 }));
      expect(e.field).to.equal("Residents");
      expect((await getItem(p, "PersonalAccounts", s.accounts[0])).Residents).to.equal("3");
    });
  });

  describe("Meters", () => {
    const base = () => ({ name: "Счетчик", MeterType: s.types.cold, Service: s.services["ХВС"] });

    it("refuses an individual meter without an account", async () => {
      const e = await rejects(item(p, "Meters", { ...base(), Kind: "Individual", Building: s.building }));
      expect(e.field).to.equal("Account");
    });

    it("refuses a collective meter without a building, or with an account", async () => {
      expect((await rejects(item(p, "Meters", { ...base(), Kind: "Collective" }))).field).to.equal("Building");
      expect(
        (
          await rejects(
            item(p, "Meters", { ...base(), Kind: "Collective", Building: s.building, Account: s.accounts[0] }),
          )
        ).field,
      ).to.equal("Account");
    });

    it("refuses an individual meter whose building is not its account's", async () => {
      const e = await rejects(
        item(p, "Meters", { ...base(), Kind: "Individual", Account: s.accounts[0], Building: s.building2 }),
      );
      expect(e.field).to.equal("Building");
      const ok = await item(p, "Meters", {
        ...base(),
        Kind: "Individual",
        Account: s.accounts[0],
        Building: s.building,
      });
      expect(ok.Account).to.equal(s.accounts[0]);
    });
  });

  describe("MeterTypes", () => {
    it("takes a digit capacity of 0..12, 0 also for a cyclic type (the seed's ГВС)", async () => {
      const seedHot = await getItem(p, "MeterTypes", s.types.hotSeed);
      expect(seedHot.ReadingType).to.equal("Cyclic");
      expect(seedHot.DigitCapacity).to.equal("0");
      const twelve = await item(p, "MeterTypes", { name: "Электро", ReadingType: "Cyclic", DigitCapacity: 12 });
      expect(twelve.DigitCapacity).to.equal("12");
    });

    it("refuses a capacity above 12 or below 0", async () => {
      expect(
        (await rejects(item(p, "MeterTypes", { name: "x", ReadingType: "Cyclic", DigitCapacity: 13 }))).field,
      ).to.equal("DigitCapacity");
      expect(
        (await rejects(item(p, "MeterTypes", { name: "y", ReadingType: "Cumulative", DigitCapacity: -1 }))).field,
      ).to.equal("DigitCapacity");
    });
  });

  describe("Services", () => {
    it("refuses a derived-volume service without source services", async () => {
      const e = await rejects(
        item(p, "Services", { name: "Водоотведение-2", CalculationMethod: "DerivedVolume", SourceServices: [] }),
      );
      expect(e.field).to.equal("SourceServices.Service");
      expect(e.message).to.contain("услугу-источник");
    });

    it("refuses a derived-volume service that is its own source, naming the row", async () => {
      const sewer = s.services["Водоотведение"];
      const e = await rejects(
        updateItem(p, "Services", sewer, { SourceServices: [{ Service: s.services["ХВС"] }, { Service: sewer }] }),
      );
      expect(e.field).to.equal("SourceServices[2].Service");
      const stored = await getItem(p, "Services", sewer);
      expect(stored.SourceServices.map((r: any) => r.Service)).to.deep.equal([s.services["ХВС"], s.services["ГВС"]]);
    });

    it("refuses a source listed twice and a cycle through another derived service", async () => {
      const dup = await rejects(
        item(p, "Services", {
          name: "Дубль",
          CalculationMethod: "DerivedVolume",
          SourceServices: [{ Service: s.services["ХВС"] }, { Service: s.services["ХВС"] }],
        }),
      );
      expect(dup.field).to.equal("SourceServices[2].Service");
      const a = await item(p, "Services", {
        name: "Производная А",
        CalculationMethod: "DerivedVolume",
        SourceServices: [{ Service: s.services["Водоотведение"] }],
      });
      const cycle = await rejects(
        updateItem(p, "Services", s.services["Водоотведение"], {
          SourceServices: [{ Service: s.services["ХВС"] }, { Service: a.id }],
        }),
      );
      expect(cycle.field).to.equal("SourceServices[2].Service");
      expect(cycle.message).to.contain("цикл");
    });

    it("lets other methods go without sources", async () => {
      const x = await item(p, "Services", { name: "Домофон", CalculationMethod: "Fixed" });
      expect(x.CalculationMethod).to.equal("Fixed");
    });
  });

  describe("Buildings", () => {
    it("refuses a negative total area and takes zero", async () => {
      const e = await rejects(item(p, "Buildings", { name: "Д", Address: "Адрес", TotalArea: "-1.00" }));
      expect(e.field).to.equal("TotalArea");
      const b = await item(p, "Buildings", { name: "Д", Address: "Адрес", TotalArea: "0.00" });
      expect(b.TotalArea).to.equal("0.00");
    });
  });
});
