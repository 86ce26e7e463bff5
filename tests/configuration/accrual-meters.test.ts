// GroupAccrual by meters on a real database: rollover at the digit capacity, a cumulative meter
// going backwards, missing readings (average, normative after the limit, recalculation when the
// reading arrives), rate over norm, and heating by the house meter.
import { expect } from "chai";
import type { Platform } from "../../server/platform.ts";
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
  rejects,
  seedWorld,
  type ServiceSpec,
  type World,
} from "./accrual-fixtures.ts";

const SPECS: ServiceSpec[] = [
  {
    name: "ХВС",
    unit: "м3",
    method: "ByMeter",
    kind: "Основной",
    rate: "20.0000",
    over: "0.0000",
    normative: "6.9350",
    factor: "1.50",
  },
  {
    name: "ХВС сверх",
    unit: "м3",
    method: "ByMeter",
    kind: "Основной",
    rate: "20.0000",
    over: "40.0000",
    normative: "6.9350",
  },
  {
    name: "Отопление ОДПУ",
    unit: "Гкал",
    method: "HeatingByHouseMeter",
    kind: "Основной",
    rate: "1500.0000",
    over: "0.0000",
  },
];

describe("accrual: meters", function () {
  let p: Platform;
  let w: World;

  before(async () => {
    p = await accrualPlatform("accmeter");
    w = await seedWorld(p, SPECS);
  });
  after(() => p?.close());

  const onlyCold = (body = {}) => account(w, body, ["ХВС"], SPECS);

  it("rolls a cyclic meter over at its digit capacity: 9990 → 15 with 4 digits is 25", async () => {
    const type = await item(p, "MeterTypes", { name: "4 разряда", ReadingType: "Cyclic", DigitCapacity: "4" });
    const a = await onlyCold();
    const m = await meter(w, a, "ХВС", type);
    await readings(w, [{ account: a, meter: m, date: "2011-10-20", value: "9990.0000" }]);
    await readings(w, [{ account: a, meter: m, date: "2011-11-20", value: "15.0000" }]);
    const doc = await accrue(p, "2011-11-01", [a]);
    const l = await linesByService(w, doc.id);
    expect(l["ХВС"]).to.include({
      Volume: "25.0000",
      Amount: "500.00",
      PreviousReading: "9990.0000",
      CurrentReading: "15.0000",
    });
  });

  it("refuses a cumulative meter going backwards, naming the meter, the readings and the row; nothing is written", async () => {
    const a = await onlyCold();
    const m = await meter(w, a, "ХВС", w.coldType, "ХВС счетчик 777");
    await readings(w, [{ account: a, meter: m, date: "2011-10-20", value: "500.0000" }]);
    await readings(w, [{ account: a, meter: m, date: "2011-11-20", value: "450.0000" }]);
    const e = await rejects(accrue(p, "2011-11-01", [a]));
    expect(e.status).to.equal(422);
    expect(e.message)
      .to.include("«ХВС счетчик 777»")
      .and.include("450,0000 на 20.11.2011")
      .and.include("500,0000 на 20.10.2011");
    expect(e.field).to.equal("Accounts[1].Account");
    const rows = await inArea(p, (ctx) =>
      ctx.c.query("SELECT count(*)::int AS n FROM acc_accruals WHERE account = $1", [a]),
    );
    expect(rows.rows[0].n).to.equal(0);
  });

  it("refuses a cyclic meter without digit capacity going backwards", async () => {
    const a = await onlyCold();
    const m = await meter(w, a, "ХВС", w.hotType, "ГВС без разрядности");
    await readings(w, [{ account: a, meter: m, date: "2011-10-20", value: "30.0000" }]);
    await readings(w, [{ account: a, meter: m, date: "2011-11-20", value: "10.0000" }]);
    const e = await rejects(accrue(p, "2011-11-01", [a]));
    expect(e.message).to.include("«ГВС без разрядности»").and.include("разрядность");
  });

  describe("missing readings", function () {
    let a: string;
    before(async () => {
      a = await onlyCold();
      const m = await meter(w, a, "ХВС", w.coldType, "ХВС с пропусками");
      // Readings for January..April 2012: 10 m³ a month.
      for (const [date, value] of [
        ["2012-01-20", "0"],
        ["2012-02-20", "10"],
        ["2012-03-20", "20"],
        ["2012-04-20", "30"],
      ])
        await readings(w, [{ account: a, meter: m, date, value }]);
    });

    it("charges the average monthly consumption of the months before (3 months: 30 / 3 = 10)", async () => {
      const l = await linesByService(w, (await accrue(p, "2012-05-01", [a])).id);
      expect(l["ХВС"]).to.include({
        Volume: "10.0000",
        Amount: "200.00",
        PreviousReading: "30.0000",
        CurrentReading: null,
      });
      expect(l["ХВС"].Explanation).to.include("среднемесячный расход за 3 мес.");
    });

    it("after 6 months without readings charges by normative (3 × 6.935, no raising factor)", async () => {
      const l = await linesByService(w, (await accrue(p, "2012-10-01", [a])).id); // the 6th month: still the average
      expect(l["ХВС"]).to.include({ Volume: "10.0000", Amount: "200.00" });
      const l7 = await linesByService(w, (await accrue(p, "2012-11-01", [a])).id); // the 7th: normative
      expect(l7["ХВС"]).to.include({ Volume: "20.8050", Amount: "416.10" });
      expect(l7["ХВС"].Explanation).to.include("по нормативу");
    });

    it("recalculates when the real reading arrives: real consumption since the last reading minus what was estimated", async () => {
      const [m] = (await inArea(p, (ctx) => ctx.c.query("SELECT id FROM cat_meters WHERE name = 'ХВС с пропусками'")))
        .rows;
      await readings(w, [{ account: a, meter: m.id, date: "2012-12-20", value: "150" }]);
      const l = await linesByService(w, (await accrue(p, "2012-12-01", [a])).id);
      // 150 − 30 = 120 over May..December; estimated May..October 6 × 10 + November 20.805 = 80.805; net 39.195.
      expect(l["ХВС"]).to.include({
        Volume: "39.1950",
        Amount: "783.90",
        PreviousReading: "30.0000",
        CurrentReading: "150.0000",
      });
      expect(l["ХВС"].Explanation).to.include("минус начисленное без показаний за 7 мес. 80,8050");
    });

    it("charges by normative when there is less than 3 months of history", async () => {
      const b = await onlyCold();
      const m = await meter(w, b, "ХВС", w.coldType);
      await readings(w, [{ account: b, meter: m, date: "2012-03-20", value: "0" }]);
      await readings(w, [{ account: b, meter: m, date: "2012-04-20", value: "5" }]);
      const l = await linesByService(w, (await accrue(p, "2012-05-01", [b])).id);
      expect(l["ХВС"]).to.include({ Volume: "20.8050", Amount: "416.10" });
    });
  });

  it("charges the volume above the norm at the rate over norm", async () => {
    const a = await account(w, {}, ["ХВС сверх"], SPECS);
    const m = await meter(w, a, "ХВС сверх", w.coldType);
    await readings(w, [{ account: a, meter: m, date: "2011-10-31", value: "100.0000" }]);
    await readings(w, [{ account: a, meter: m, date: "2011-11-25", value: "143.4205" }]);
    const l = await linesByService(w, (await accrue(p, "2011-11-01", [a])).id);
    // norm 3 × 6.935 = 20.805 at 20.00 = 416.10; the rest 22.6155 at 40.00 = 904.62; one rounding: 1320.72.
    expect(l["ХВС сверх"]).to.include({ Volume: "43.4205", Amount: "1320.72" });
    expect(l["ХВС сверх"].Explanation).to.include(
      "20,8050 в пределах норматива × 20,0000 + 22,6155 сверх норматива × 40,0000",
    );
  });

  it("charges heating by the house meter: house Gcal × area / building area × rate", async () => {
    const a1 = await account(w, {}, ["Отопление ОДПУ"], SPECS);
    const a2 = await account(w, { TotalArea: "45.30" }, ["Отопление ОДПУ"], SPECS);
    const house = await item(p, "Meters", {
      name: "ОДПУ тепла",
      MeterType: w.coldType,
      Service: w.services["Отопление ОДПУ"],
      Kind: "Collective",
      Building: w.building,
    });
    await readings(w, [{ building: w.building, meter: house, date: "2012-01-31", value: "1000.0000" }]);
    const noReading = await rejects(accrue(p, "2012-02-01", [a1]));
    expect(noReading.message).to.include("«ОДПУ тепла»");
    await readings(w, [{ building: w.building, meter: house, date: "2012-02-25", value: "1050.0000" }]);
    const doc = await accrue(p, "2012-02-01", [a1, a2]);
    const rows = (await movements(p, doc.id)).Accruals.rows;
    const by = Object.fromEntries(rows.map((r: any) => [r.Account, r]));
    // 50 × 59 / 296.40 = 9.95277 → 9.9528 Gcal × 1500 = 14929.20; 50 × 45.30 / 296.40 = 7.64170 → 7.6417 × 1500 = 11462.55
    expect(by[a1]).to.include({ Method: "HeatingByHouseMeter", Volume: "9.9528", Amount: "14929.20", Base: "59.0000" });
    expect(by[a2]).to.include({ Volume: "7.6417", Amount: "11462.55" });
    expect(by[a1].Explanation).to.include("50,0000 Гкал по дому").and.include("× 59,00 м² / 296,40 м²");
  });
});
