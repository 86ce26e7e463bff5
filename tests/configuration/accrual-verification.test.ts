// A meter past its verification date (Meters.NextVerification), Правила 354 п.59а, 60: the
// average for up to 3 months, then the normative with the raising factor; a reading taken after
// the date is kept in the register but not used. GroupAccrual on a real database; figures by hand.
import { expect } from "chai";
import type { Platform } from "../../server/platform.ts";
import {
  accrualPlatform,
  account,
  accrue,
  inArea,
  item,
  linesByService,
  readings,
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
];

describe("accrual: meters past their verification date", function () {
  let p: Platform;
  let w: World;

  before(async () => {
    p = await accrualPlatform("accverif");
    w = await seedWorld(p, SPECS);
  });
  after(() => p?.close());

  /** An account (3 residents) with a ХВС meter verified until `until` and readings `values` on the 20th of January, February… 2012. */
  async function metered(until: string, values: string[], name: string): Promise<{ a: string; m: string }> {
    const a = await account(w, {}, ["ХВС"], SPECS);
    const m = await item(p, "Meters", {
      name,
      MeterType: w.coldType,
      Service: w.services["ХВС"],
      Kind: "Individual",
      Account: a,
      NextVerification: until,
    });
    for (const [i, value] of values.entries())
      await readings(w, [{ account: a, meter: m, date: `2012-${String(i + 1).padStart(2, "0")}-20`, value }]);
    return { a, m };
  }

  describe("verified until 30.04.2012, 10 m³ a month January–April", () => {
    let a: string, m: string;
    before(async () => {
      ({ a, m } = await metered("2012-04-30", ["0", "10", "20", "30"], "ХВС поверка 1"));
      // a reading after the date: kept, not used
      await readings(w, [{ account: a, meter: m, date: "2012-05-20", value: "45" }]);
    });

    it("Правила 354 п.59а: the 1st month after the verification date — the average 30 / 3 = 10 m³ → 200,00; the reading 45 of 20.05 is not used", async () => {
      const l = await linesByService(w, (await accrue(p, "2012-05-01", [a])).id);
      expect(l["ХВС"]).to.include({ Volume: "10.0000", Amount: "200.00", CurrentReading: null });
      expect(l["ХВС"].Explanation).to.equal(
        "10,0000 м3 (прибор «ХВС поверка 1»: истек срок поверки 30.04.2012 (п.59а), 1-й мес., среднемесячный расход за 3 мес. до 20.04.2012; показание 45,0000 на 20.05.2012 не учтено (прибор не поверен)) × 20,0000 = 200,00",
      );
      // the reading stays in the register
      const kept = await inArea(p, (ctx) =>
        ctx.c.query("SELECT reading::text AS r FROM inf_meter_readings WHERE meter = $1 AND period = '2012-05-20'", [
          m,
        ]),
      );
      expect(kept.rows.map((r) => r.r)).to.deep.equal(["45.0000"]);
    });

    it("Правила 354 п.59а: the 3rd month is still the average — 10 m³ → 200,00", async () => {
      const l = await linesByService(w, (await accrue(p, "2012-07-01", [a])).id);
      expect(l["ХВС"]).to.include({ Volume: "10.0000", Amount: "200.00" });
      expect(l["ХВС"].Explanation).to.include("3-й мес.");
    });

    it("Правила 354 п.60: the 4th month by the normative with the raising factor — 3 × 6,935 × 20,00 × 1,5 = 624,15", async () => {
      const l = await linesByService(w, (await accrue(p, "2012-08-01", [a])).id);
      expect(l["ХВС"]).to.include({ Volume: "20.8050", Amount: "624.15" });
      expect(l["ХВС"].Explanation)
        .to.include("истек срок поверки 30.04.2012, 4-й мес. — более 3 мес. по среднему (п.59а)")
        .and.include("по нормативу с повышающим коэффициентом (п.60)")
        .and.include("× 1,50 (повышающий коэффициент) = 624,15");
    });
  });

  it("Правила 354 п.60: past the date without history for an average — at once the normative with the raising factor, 624,15", async () => {
    const { a } = await metered("2012-01-31", ["0"], "ХВС поверка 2");
    const l = await linesByService(w, (await accrue(p, "2012-02-01", [a])).id);
    expect(l["ХВС"]).to.include({ Volume: "20.8050", Amount: "624.15" });
    expect(l["ХВС"].Explanation).to.include("нет истории для среднего");
  });

  it("Правила 354 п.59а: a reading taken on or before the date counts — verified until 25.05.2012, May's reading 45 → 15 m³ → 300,00", async () => {
    const { a, m } = await metered("2012-05-25", ["0", "10", "20", "30"], "ХВС поверка 3");
    await readings(w, [{ account: a, meter: m, date: "2012-05-20", value: "45" }]);
    const l = await linesByService(w, (await accrue(p, "2012-05-01", [a])).id);
    expect(l["ХВС"]).to.include({ Volume: "15.0000", Amount: "300.00", CurrentReading: "45.0000" });
  });
});
