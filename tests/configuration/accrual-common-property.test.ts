// Common property (СОИ), Правила 354 п.40, 44–48, formulas 10–15; ЖК РФ ст.156 ч.9.2: GroupAccrual
// on a real database. Every figure is computed by hand in the test's name or beside it; the
// example of issue 15 §1 (house 1 000 m³, individual 995 m³, 60 of 3 000 m², normative 0,03 on
// 300 m² of common area, 20,00 a m³ → 0,1 m³ → 2,00) among them. Also: the statement
// «Сверхнормативный расход на СОИ» (reports/common-property-excess) and the Buildings checks.
import { expect } from "chai";
import type { Platform } from "../../server/platform.ts";
import { tx } from "../../server/storage/db.ts";
import { queryApi } from "../../server/documents/context.ts";
import * as cat from "../../server/catalogs/service.ts";
import excessReport from "../../reports/common-property-excess/data.ts";
import {
  accrualPlatform,
  account,
  accrue,
  inArea,
  item,
  linesByService,
  readings,
  rejects,
  seedWorld,
  setTariffs,
  seedService,
  type ServiceSpec,
  type World,
} from "./accrual-fixtures.ts";

const SPECS: ServiceSpec[] = [seedService("ХВС")];

/** The СОИ services of these tests (tariff kind «Основной»). */
const COI_NAMES = [
  "ХВС на СОИ",
  "ХВС на СОИ без ограничения",
  "ХВС на СОИ по нормативу",
  "ХВС на СОИ отрицательный норматив",
  "ХВС на СОИ без источников",
];

describe("accrual: common property (СОИ)", function () {
  let p: Platform;
  let w: World;
  /** «ХВС на СОИ» (capped), «ХВС на СОИ без ограничения» (CommonPropertyCap false), «ХВС на СОИ по нормативу». */
  let coi: string, free: string, byNorm: string;
  const coiSpecs: ServiceSpec[] = [
    ...SPECS,
    ...COI_NAMES.map((name) => ({ name, unit: "м3", method: "", kind: "Основной", rate: "", over: "" })),
  ];

  before(async () => {
    p = await accrualPlatform("acccoi");
    w = await seedWorld(p, SPECS);
    const cold = w.services["ХВС"];
    const mk = (name: string, method: string, cap: boolean | null) =>
      item(p, "Services", {
        name,
        Unit: "м3",
        CalculationMethod: method,
        CommonPropertyNormative: "0.0300",
        CommonPropertyCap: cap,
        ReceiptOrder: "20",
        SourceServices: [{ Service: cold }],
      });
    coi = w.services["ХВС на СОИ"] = await mk("ХВС на СОИ", "CommonPropertyByHouseMeter", null);
    free = w.services["ХВС на СОИ без ограничения"] = await mk(
      "ХВС на СОИ без ограничения",
      "CommonPropertyByHouseMeter",
      false,
    );
    byNorm = w.services["ХВС на СОИ по нормативу"] = await mk(
      "ХВС на СОИ по нормативу",
      "CommonPropertyByNormative",
      null,
    );
    await setTariffs(
      p,
      "2011-01-01T00:00:00",
      [coi, free, byNorm].map((service) => ({ service, kind: w.kinds["Основной"], rate: "20.0000" })),
    );
  });
  after(() => p?.close());

  /** A building of 3 000 m² of premises and 300 m² of common property, with a house ХВС meter 0 → `house` m³ in November 2011. */
  async function building(name: string, house: string | null, meterService = "ХВС"): Promise<string> {
    const b = await item(p, "Buildings", {
      name,
      Address: name,
      PremisesArea: "3000.00",
      CommonArea: "300.00",
    });
    if (house !== null) {
      const m = await item(p, "Meters", {
        name: `ОДПУ ХВС ${name}`,
        MeterType: w.coldType,
        Service: w.services[meterService],
        Kind: "Collective",
        Building: b,
      });
      await readings(w, [{ building: b, meter: m, date: "2011-10-20", value: "0" }]);
      await readings(w, [{ building: b, meter: m, date: "2011-11-20", value: house }]);
    }
    return b;
  }

  /** An account of `area` m² in `b`, connected to ХВС and `services`; with a ХВС meter 0 → `used` m³ in November (null: no meter). */
  async function flat(b: string, area: string, used: string | null, services: string[], body = {}): Promise<string> {
    const a = await account(w, { Building: b, TotalArea: area, ...body }, ["ХВС", ...services], coiSpecs);
    if (used !== null) {
      const m = await item(p, "Meters", {
        name: `ХВС ${a.slice(0, 8)}`,
        MeterType: w.coldType,
        Service: w.services["ХВС"],
        Kind: "Individual",
        Account: a,
      });
      await readings(w, [{ account: a, meter: m, date: "2011-10-20", value: "0" }]);
      await readings(w, [{ account: a, meter: m, date: "2011-11-20", value: used }]);
    }
    return a;
  }

  it("Правила 354 ф.15: СОИ by the house meter — 1 000 − 995 m³, 60 of 3 000 m² → 0,1 m³ → 2,00", async () => {
    const b = await building("СОИ пример", "1000");
    const a = await flat(b, "60.00", "995", ["ХВС на СОИ"]);
    const l = await linesByService(w, (await accrue(p, "2011-11-01", [a])).id);
    expect(l["ХВС"]).to.include({ Volume: "995.0000", Amount: "19900.00" });
    // (1 000 − 995) × 60 / 3 000 = 0,1 m³ (the cap 0,03 × 300 × 60 / 3 000 = 0,18 is not reached) × 20 = 2,00
    expect(l["ХВС на СОИ"]).to.include({
      Method: "CommonPropertyByHouseMeter",
      Volume: "0.1000",
      Amount: "2.00",
      Base: "60.0000",
      Rate: "20.0000",
    });
    expect(l["ХВС на СОИ"].Explanation).to.equal(
      "СОИ: по дому 1000,0000 м3 («ОДПУ ХВС СОИ пример» 0,0000 → 1000,0000) − индивидуальные 995,0000 = 5,0000 × 60,00 м² / 3000,00 м² = 0,1000 (не больше норматива: норматив 0,0300 × 300,00 м² × 60,00 м² / 3000,00 м² = 0,1800 м3) × 20,0000 = 2,00",
    );
  });

  it("Правила 354 п.44, ф.10: the share above the normative is capped — 1 000 − 900 m³ → 2 m³ > 0,18 m³ → 3,60; the excess stays with the company", async () => {
    const b = await building("СОИ сверх норматива", "1000");
    const a = await flat(b, "60.00", "900", ["ХВС на СОИ", "ХВС на СОИ без ограничения"]);
    const l = await linesByService(w, (await accrue(p, "2011-11-01", [a])).id);
    // 100 × 60 / 3 000 = 2 m³ > 0,03 × 300 × 60 / 3 000 = 0,18 m³: 0,18 × 20 = 3,60
    expect(l["ХВС на СОИ"]).to.include({ Volume: "0.1800", Amount: "3.60" });
    expect(l["ХВС на СОИ"].Explanation).to.include("больше норматива").and.include("за счет управляющей организации");
    // ЖК РФ ст.156 ч.9.2 / п.44: the owners decided otherwise (CommonPropertyCap = false) — the whole 2 m³: 40,00
    expect(l["ХВС на СОИ без ограничения"]).to.include({ Volume: "2.0000", Amount: "40.00" });
    expect(l["ХВС на СОИ без ограничения"].Explanation).to.include("без ограничения нормативом");
  });

  it("Правила 354 п.44: a negative difference gives zero and says so — 990 − 995 m³ → 0,00", async () => {
    const b = await building("СОИ отрицательная разница", "990");
    const a = await flat(b, "60.00", "995", ["ХВС на СОИ"]);
    const l = await linesByService(w, (await accrue(p, "2011-11-01", [a])).id);
    expect(l["ХВС на СОИ"]).to.include({ Volume: "0.0000", Amount: "0.00" });
    expect(l["ХВС на СОИ"].Explanation).to.include("= -5,0000 < 0: на СОИ 0");
  });

  it("Правила 354 ф.15: the individual volumes are every account's of the building as charged — a metered flat not in the document and a flat by normative", async () => {
    const b = await building("СОИ весь дом", "1000");
    const a = await flat(b, "60.00", "900", ["ХВС на СОИ без ограничения"]);
    // not accrued here, but its 50 m³ are subtracted
    await flat(b, "40.00", "50", ["ХВС на СОИ без ограничения"]);
    // no meter: 2 × 6,935 = 13,87 m³ by normative
    await flat(b, "45.00", null, [], { Residents: "2" });
    const l = await linesByService(w, (await accrue(p, "2011-11-01", [a])).id);
    // 1 000 − (900 + 50 + 13,87) = 36,13 m³ × 60 / 3 000 = 0,7226 m³ × 20 = 14,452 → 14,45
    expect(l["ХВС на СОИ без ограничения"]).to.include({ Volume: "0.7226", Amount: "14.45" });
    expect(l["ХВС на СОИ без ограничения"].Explanation).to.include("− индивидуальные 963,8700 = 36,1300");
  });

  it("Правила 354 ф.15: a house meter on the СОИ service itself counts too — 1 000 − 995 m³ → 2,00", async () => {
    const b = await building("СОИ прибор на услуге СОИ", "1000", "ХВС на СОИ");
    const a = await flat(b, "60.00", "995", ["ХВС на СОИ"]);
    const l = await linesByService(w, (await accrue(p, "2011-11-01", [a])).id);
    expect(l["ХВС на СОИ"]).to.include({ Volume: "0.1000", Amount: "2.00" });
  });

  it("Правила 354 п.48, ф.10: without a house meter by the normative — 0,03 × 300 × 60 / 3 000 = 0,18 m³ → 3,60", async () => {
    const b = await building("СОИ без ОДПУ", null);
    const a = await flat(b, "60.00", "10", ["ХВС на СОИ по нормативу"]);
    const l = await linesByService(w, (await accrue(p, "2011-11-01", [a])).id);
    expect(l["ХВС на СОИ по нормативу"]).to.include({
      Method: "CommonPropertyByNormative",
      Volume: "0.1800",
      Amount: "3.60",
    });
    expect(l["ХВС на СОИ по нормативу"].Explanation).to.equal(
      "СОИ по нормативу: норматив 0,0300 × 300,00 м² × 60,00 м² / 3000,00 м² = 0,1800 м3 × 20,0000 = 3,60",
    );
  });

  it("refuses СОИ by the house meter in a building without one, naming the building; nothing is posted", async () => {
    const b = await building("СОИ нет прибора", null);
    const a = await flat(b, "60.00", "10", ["ХВС на СОИ"]);
    const e = await rejects(accrue(p, "2011-11-01", [a]));
    expect(e.status).to.equal(422);
    expect(e.message).to.include("«СОИ нет прибора»").and.include("СОИ по нормативу");
    const n = await inArea(p, (ctx) =>
      ctx.c.query("SELECT count(*)::int AS n FROM acc_accruals WHERE account = $1", [a]),
    );
    expect(n.rows[0].n).to.equal(0);
  });

  it("refuses СОИ in a building without the area of all premises, naming the building", async () => {
    const b = await item(p, "Buildings", { name: "СОИ без площади", Address: "СОИ без площади", CommonArea: "10.00" });
    const a = await flat(b, "60.00", "10", ["ХВС на СОИ по нормативу"]);
    const e = await rejects(accrue(p, "2011-11-01", [a]));
    expect(e.message).to.include("Здание «СОИ без площади»").and.include("площадь всех жилых и нежилых помещений");
  });

  it("Правила 354 ф.15: without source services the house ХВС meter names the individual service — 1 000 − 995 m³ → 2,00", async () => {
    const plain = await item(p, "Services", {
      name: "ХВС на СОИ без источников",
      Unit: "м3",
      CalculationMethod: "CommonPropertyByHouseMeter",
      CommonPropertyNormative: "0.0300",
      ReceiptOrder: "22",
    });
    w.services["ХВС на СОИ без источников"] = plain;
    await setTariffs(p, "2011-01-03T00:00:00", [{ service: plain, kind: w.kinds["Основной"], rate: "20.0000" }]);
    const b = await building("СОИ без источников", "1000");
    const a = await flat(b, "60.00", "995", ["ХВС на СОИ без источников"]);
    const l = await linesByService(w, (await accrue(p, "2011-11-01", [a])).id);
    expect(l["ХВС на СОИ без источников"]).to.include({ Volume: "0.1000", Amount: "2.00" });
  });

  it("refuses a negative СОИ normative, naming the service; nothing is posted", async () => {
    const bad = await item(p, "Services", {
      name: "ХВС на СОИ отрицательный норматив",
      Unit: "м3",
      CalculationMethod: "CommonPropertyByNormative",
      CommonPropertyNormative: "-0.0100",
      ReceiptOrder: "21",
    });
    w.services["ХВС на СОИ отрицательный норматив"] = bad;
    await setTariffs(p, "2011-01-02T00:00:00", [{ service: bad, kind: w.kinds["Основной"], rate: "20.0000" }]);
    const b = await building("СОИ отрицательный норматив", null);
    const a = await flat(b, "60.00", "10", ["ХВС на СОИ отрицательный норматив"]);
    const e = await rejects(accrue(p, "2011-11-01", [a]));
    expect(e.message)
      .to.include("«ХВС на СОИ отрицательный норматив»")
      .and.include("норматив на СОИ не может быть отрицательным");
  });

  it("«Сверхнормативный расход на СОИ»: by building and service — 100 m³ difference, 9 m³ normative → 91 m³ above it", async () => {
    const b = await building("СОИ ведомость", "1000");
    const a = await flat(b, "60.00", "900", ["ХВС на СОИ"]);
    await accrue(p, "2011-11-01", [a]);
    const out = await tx(p.db.app, 1, (c) =>
      excessReport(
        { ...queryApi({ c, conf: p.conf, area: 1 }), area: 1, report: { name: "common-property-excess", title: "" } },
        { period: "2011-11-01", building: b },
      ),
    );
    const rows = out.rows as Record<string, unknown>[];
    expect(rows).to.have.length(1);
    const r = rows[0];
    expect(r.building).to.equal("СОИ ведомость");
    expect(r.service).to.equal("ХВС на СОИ");
    // house 1 000, individual 900, difference 100, the house's normative 0,03 × 300 = 9, charged 0,18, above it 91
    expect(String(r.house)).to.equal("1000");
    expect(String(r.individual)).to.equal("900");
    expect(String(r.difference)).to.equal("100");
    expect(String(r.normative)).to.equal("9");
    expect(String(r.charged)).to.equal("0.18");
    expect(String(r.excess)).to.equal("91");
  });

  describe("Buildings: checks before write", () => {
    const count = async () => (await inArea(p, (ctx) => cat.listCatalog(ctx, "Buildings", {}))).total;

    it("refuses a common area larger than the area of all premises, naming the building and the field; nothing is written", async () => {
      const before = await count();
      const e = await rejects(
        item(p, "Buildings", { name: "Дом 7", Address: "Дом 7", PremisesArea: "200.00", CommonArea: "300.00" }),
      );
      expect(e.status).to.equal(422);
      expect(e.field).to.equal("CommonArea");
      expect(e.message).to.include("Здание «Дом 7»").and.include("площадь общего имущества");
      expect(await count()).to.equal(before);
    });

    for (const field of ["CommonArea", "PremisesArea", "TotalArea"])
      it(`refuses a negative ${field}, naming the building and the field`, async () => {
        const e = await rejects(item(p, "Buildings", { name: "Дом 8", Address: "Дом 8", [field]: "-1.00" }));
        expect(e.field).to.equal(field);
        expect(e.message).to.include("Здание «Дом 8»").and.include("отрицательной");
      });
  });
});
