// GroupAccrual on a real database: the seed's receipt to the kopeck (DOMAIN.md §4), the
// explanation on every record, the Settlements receipts, the other area-and-residents methods,
// per-line rounding, and reposting replacing the results.
import { expect } from "chai";
import type { Platform } from "../../server/platform.ts";
import * as docs from "../../server/documents/service.ts";
import * as cat from "../../server/catalogs/service.ts";
import { serve } from "../platform/api-client.ts";
import {
  accrualPlatform,
  account,
  accrue,
  inArea,
  item,
  linesByService,
  meter,
  movements,
  readings,
  seedWorld,
  setTariffs,
  total,
  SEED_LINES,
  type World,
} from "./accrual-fixtures.ts";

describe("accrual: the seed's receipt and the methods", function () {
  let p: Platform;
  let w: World;
  let seedAccount: string;
  let seedDoc: { id: string; number: string };

  before(async () => {
    p = await accrualPlatform("accseed");
    w = await seedWorld(p);
    seedAccount = await account(w);
    const cold = await meter(w, seedAccount, "ХВС", w.coldType);
    const hot = await meter(w, seedAccount, "ГВС", w.hotType);
    await readings(w, [
      { account: seedAccount, meter: cold, date: "2011-10-31", value: "100.0000" },
      { account: seedAccount, meter: hot, date: "2011-10-31", value: "50.0000" },
    ]);
    await readings(w, [
      { account: seedAccount, meter: cold, date: "2011-11-25", value: "143.4205" },
      { account: seedAccount, meter: hot, date: "2011-11-25", value: "70.0000" },
    ]);
    seedDoc = (await accrue(p, "2011-11-15", [seedAccount])) as any;
  });
  after(() => p?.close());

  it("charges the seed's account exactly as the receipt: 13 752,73", async () => {
    const l = await linesByService(w, seedDoc.id);
    const amounts = Object.fromEntries(Object.entries(l).map(([k, r]) => [k, r.Amount]));
    expect(amounts).to.deep.equal(SEED_LINES);
    expect(total(Object.values(l))).to.equal("13752.73");
    expect(l["ХВС"].Volume).to.equal("43.4205");
    expect(l["ГВС"].Volume).to.equal("20.0000");
    expect(l["Водоотведение"].Volume).to.equal("63.4205");
  });

  it("explains every charge in the record's attributes (method, base, rate, readings, text)", async () => {
    const l = await linesByService(w, seedDoc.id);
    expect(l["Тех. обслуживание"]).to.include({
      Method: "ByTotalArea",
      Base: "59.0000",
      Rate: "2.5000",
      Volume: "59.0000",
    });
    expect(l["Тех. обслуживание"].Explanation).to.equal("59,00 м² × 2,5000 = 147,50");
    expect(l["ХВС"]).to.include({
      Method: "ByMeter",
      PreviousReading: "100.0000",
      CurrentReading: "143.4205",
      Rate: "20.0000",
    });
    expect(l["ХВС"].Explanation).to.match(/^43,4205 м3 \(показания 100,0000 → 143,4205\) × 20,0000 = 868,41$/);
    expect(l["Вывоз мусора"]).to.include({ Method: "ByResidents", Base: "3.0000" });
    expect(l["Вывоз мусора"].Explanation).to.equal("3 чел. × 250,0000 = 750,00");
    expect(l["Водоотведение"].Explanation).to.equal("63,4205 м3 (ХВС 43,4205 + ГВС 20,0000) × 40,0000 = 2536,82");
    for (const r of Object.values(l)) {
      expect(r.period).to.equal("2011-11-01T00:00:00");
      expect(r.Benefits).to.equal("0.00");
      expect(r.Recalculation).to.equal("0.00");
    }
  });

  it("shows the explanation through GET /api/documents/GroupAccrual/:id/movements", async () => {
    const { server, base } = await serve(p); // logged in as the administrator
    try {
      const res = await fetch(`${base}/api/documents/GroupAccrual/${seedDoc.id}/movements`);
      expect(res.status).to.equal(200);
      const body = await res.json();
      const rows = body.registers.Accruals.rows.filter((r: any) => r.Service === w.services["Вывоз мусора"]);
      expect(rows).to.have.length(1);
      expect(rows[0]).to.include({
        Method: "ByResidents",
        Explanation: "3 чел. × 250,0000 = 750,00",
        Amount: "750.00",
      });
    } finally {
      server.close();
    }
  });

  it("adds one Settlements receipt per charged line with DebtPeriod = the month", async () => {
    const mv = await movements(p, seedDoc.id);
    const receipts = mv.Settlements.rows.filter(
      (r: any) => r.recordKind === "receipt" && r.Account === seedAccount && r.Service,
    );
    expect(receipts).to.have.length(6);
    for (const r of receipts) expect(r).to.include({ DebtPeriod: "2011-11-01", period: "2011-11-01T00:00:00" });
    expect(total(receipts)).to.equal("13752.73");
  });

  it("charges by living area, by normative with the raising factor, fixed, and a meter-less by-meter service by normative × factor", async () => {
    const liv = await item(p, "Services", {
      name: "Наем",
      Unit: "м2",
      CalculationMethod: "ByLivingArea",
      ReceiptOrder: "7",
    });
    const gas = await item(p, "Services", {
      name: "Газ",
      Unit: "м3",
      CalculationMethod: "ByNormative",
      Normative: "9.8000",
      RaisingFactor: "1.50",
      ReceiptOrder: "8",
    });
    const ant = await item(p, "Services", { name: "Антенна", CalculationMethod: "Fixed", ReceiptOrder: "9" });
    w.services["Наем"] = liv;
    w.services["Газ"] = gas;
    w.services["Антенна"] = ant;
    await setTariffs(p, "2011-12-01T00:00:00", [
      { service: liv, kind: w.kinds["Основной"], rate: "12.3400" },
      { service: gas, kind: w.kinds["Основной"], rate: "5.1500" },
      { service: ant, kind: w.kinds["Основной"], rate: "85.0000" },
    ]);
    const specs = [
      { name: "Наем", unit: "м2", method: "ByLivingArea", kind: "Основной", rate: "", over: "" },
      { name: "Газ", unit: "м3", method: "ByNormative", kind: "Основной", rate: "", over: "" },
      { name: "Антенна", unit: "", method: "Fixed", kind: "Основной", rate: "", over: "" },
      { name: "ХВС", unit: "м3", method: "ByMeter", kind: "Основной", rate: "", over: "" },
    ];
    const a = await account(
      w,
      { LivingArea: "40.10", Residents: "2" },
      ["Наем", "Газ", "Антенна", "ХВС"],
      specs,
      "2011-12-01",
    );
    const doc = await accrue(p, "2011-12-01", [a]);
    const l = await linesByService(w, doc.id);
    expect(l["Наем"]).to.include({ Method: "ByLivingArea", Volume: "40.1000", Amount: "494.83" }); // 40.10 × 12.34 = 494.834
    expect(l["Газ"]).to.include({ Method: "ByNormative", Volume: "19.6000", Amount: "151.41", Base: "2.0000" }); // 2 × 9.8 × 5.15 × 1.5 = 151.41
    expect(l["Газ"].Explanation).to.equal("2 чел. × 9,8000 м3 × 5,1500 × 1,50 (повышающий коэффициент) = 151,41");
    expect(l["Антенна"]).to.include({ Method: "Fixed", Volume: "1.0000", Amount: "85.00" });
    expect(l["ХВС"]).to.include({ Method: "ByMeter", Volume: "13.8700", Amount: "416.10" }); // 2 × 6.935 × 20 × 1.5
    expect(l["ХВС"].Explanation).to.match(/^нет прибора учета: /);
  });

  it("rounds each line to kopecks once and sums the rounded lines (not the rounded sum)", async () => {
    // Two services at 0.05 m² × 2.5 = 0.125 each: lines 0.13 + 0.13 = 0.26, while the sum rounded would be 0.25.
    const s1 = await item(p, "Services", { name: "Уборка", CalculationMethod: "ByTotalArea", ReceiptOrder: "10" });
    const s2 = await item(p, "Services", { name: "Лифт", CalculationMethod: "ByTotalArea", ReceiptOrder: "11" });
    w.services["Уборка"] = s1;
    w.services["Лифт"] = s2;
    await setTariffs(p, "2011-12-02T00:00:00", [
      { service: s1, kind: w.kinds["Основной"], rate: "2.5000" },
      { service: s2, kind: w.kinds["Основной"], rate: "2.5000" },
    ]);
    const specs = ["Уборка", "Лифт"].map((name) => ({
      name,
      unit: "",
      method: "ByTotalArea",
      kind: "Основной",
      rate: "",
      over: "",
    }));
    const a = await account(w, { TotalArea: "0.05" }, ["Уборка", "Лифт"], specs, "2011-12-01");
    const doc = await accrue(p, "2012-01-01", [a]);
    const l = await linesByService(w, doc.id);
    expect(l["Уборка"].Amount).to.equal("0.13");
    expect(l["Лифт"].Amount).to.equal("0.13");
    expect(total(Object.values(l))).to.equal("0.26");
  });

  it("reposting replaces the previous results", async () => {
    const a = await account(w, {}, ["Тех. обслуживание", "Вывоз мусора"]);
    const doc = await accrue(p, "2012-02-01", [a]);
    const before = await movements(p, doc.id);
    expect(before.Accruals.rows.map((r: any) => r.Amount)).to.deep.equal(["147.50", "750.00"]);
    await inArea(p, (ctx) => cat.updateCatalogItem(ctx, "PersonalAccounts", a, { TotalArea: "60.00", Residents: "2" }));
    await inArea(p, (ctx) => docs.postDocument(ctx, "GroupAccrual", doc.id));
    const after = await movements(p, doc.id);
    expect(after.Accruals.rows.map((r: any) => r.Amount)).to.deep.equal(["150.00", "500.00"]);
    expect(after.Settlements.rows.filter((r: any) => r.Service)).to.have.length(2);
    expect(total(after.Settlements.rows.filter((r: any) => r.Service))).to.equal("650.00");
    const bal = await inArea(p, (ctx) =>
      ctx.c.query("SELECT sum(amount)::text AS s FROM acc_accruals WHERE account = $1", [a]),
    );
    expect(bal.rows[0].s).to.equal("650.00");
  });
});
