// The pure charge calculation (metadata/common/accrual.ts, accrual-meters.ts, accrual-explanation.ts)
// without a database, against figures computed by hand (DOMAIN.md §3–4).
import { expect } from "chai";
import {
  accountFacts,
  calculationOrder,
  chargeLine,
  price,
  serviceFacts,
  tariffFacts,
  type AccountFacts,
  type CalculationMethod,
  type ChargeInput,
  type TariffFacts,
} from "../../metadata/common/accrual.ts";
import { AccrualError, scaled, text4 } from "../../metadata/common/accrual-figures.ts";
import {
  averageMonthly,
  consumption,
  lineMonth,
  meterVolume,
  metersVolume,
  readingMonth,
  MAX_ESTIMATED_MONTHS,
  type MeterFacts,
  type MeterHistory,
} from "../../metadata/common/accrual-meters.ts";

const acc: AccountFacts = accountFacts({ TotalArea: "59.0", LivingArea: "0.0", Residents: "3" });
const svc = (method: CalculationMethod, extra: { Normative?: string; RaisingFactor?: string; Unit?: string } = {}) =>
  serviceFacts({ name: "Услуга", Unit: "м3", CalculationMethod: method, ...extra });
const tariff = (rate: string, over = "0"): TariffFacts => tariffFacts({ Rate: rate, RateOverNorm: over })!;
const cold: MeterFacts = { id: "m1", name: "ХВС", ReadingType: "Cumulative", DigitCapacity: 5 };
const cyc = (digits: number | null): MeterFacts => ({
  id: "m2",
  name: "ГВС",
  ReadingType: "Cyclic",
  DigitCapacity: digits,
});
const r = (period: string, value: string) => ({ period, value: scaled(value, 4, "Показание")! });
const line = (input: Partial<ChargeInput> & Pick<ChargeInput, "service" | "tariff">) =>
  chargeLine({ account: acc, ...input }).fields;
const amount = (input: Partial<ChargeInput> & Pick<ChargeInput, "service" | "tariff">) => line(input).Amount;
const volume = (v: { volume: number }) => text4(v.volume);
const NOV = lineMonth("2011-11-01");
const month = (m: string) => lineMonth(m);

describe("accrual: pure calculation", function () {
  it("prices the seed's lines and explains them (DOMAIN.md §4)", () => {
    const upkeep = line({ service: svc("ByTotalArea"), tariff: tariff("2.50", "5.00") });
    expect(upkeep.Amount).to.equal("147.50");
    expect(upkeep.Explanation).to.equal("59,00 м² × 2,5000 = 147,50");
    expect(amount({ service: svc("ByResidents"), tariff: tariff("250") })).to.equal("750.00");
    expect(amount({ service: svc("ByTotalArea"), tariff: tariff("150") })).to.equal("8850.00");
    const cold1 = {
      ...cold,
      current: r("2011-11-25", "143.4205"),
      previous: r("2011-10-31", "100"),
      windowStart: null,
    };
    const water = line({ service: svc("ByMeter"), tariff: tariff("20"), month: NOV, meters: [cold1] });
    expect(water).to.include({
      Volume: "43.4205",
      Amount: "868.41",
      Base: "43.4205",
      Rate: "20.0000",
      PreviousReading: "100.0000",
      CurrentReading: "143.4205",
      Explanation: "43,4205 м3 (показания 100,0000 → 143,4205) × 20,0000 = 868,41",
    });
    const sewer = line({
      service: svc("DerivedVolume"),
      tariff: tariff("40"),
      sources: [
        { name: "ХВС", volume: scaled("43.4205", 4, "")! },
        { name: "ГВС", volume: scaled("20", 4, "")! },
      ],
    });
    expect(sewer).to.include({
      Amount: "2536.82",
      Volume: "63.4205",
      Explanation: "63,4205 м3 (ХВС 43,4205 + ГВС 20,0000) × 40,0000 = 2536,82",
    });
  });

  it("ByNormative: residents × normative × rate × raising factor, rounded once", () => {
    const l = line({ service: svc("ByNormative", { Normative: "6.935", RaisingFactor: "1.5" }), tariff: tariff("20") });
    expect(l.Volume).to.equal("20.8050");
    expect(l.Amount).to.equal("624.15"); // 20.805 × 20 × 1.5 = 624.15
    expect(l.Explanation).to.equal("3 чел. × 6,9350 м3 × 20,0000 × 1,50 (повышающий коэффициент) = 624,15");
    expect(() => line({ service: svc("ByNormative"), tariff: tariff("20") })).to.throw(AccrualError, /норматив/);
    // A by-meter service without a meter: the same, with the raising factor; a factor of 1 is no factor.
    const none = line({ service: svc("ByMeter", { Normative: "6.935", RaisingFactor: "1" }), tariff: tariff("20") });
    expect(none.Explanation).to.equal("нет прибора учета: 3 чел. × 6,9350 м3 × 20,0000 = 416,10");
  });

  it("ByLivingArea, Fixed and heating by the house meter", () => {
    expect(
      amount({ account: accountFacts({ LivingArea: "40.1" }), service: svc("ByLivingArea"), tariff: tariff("12.34") }),
    ).to.equal("494.83");
    expect(line({ service: svc("Fixed"), tariff: tariff("85") })).to.include({
      Amount: "85.00",
      Volume: "1.0000",
      Base: null,
      Explanation: "фиксированная сумма: 1 × 85,0000 = 85,00",
    });
    const odpu: MeterFacts & MeterHistory = {
      id: "h1",
      name: "ОДПУ",
      ReadingType: "Cumulative",
      DigitCapacity: null,
      current: r("2011-11-25", "1050"),
      previous: r("2011-10-25", "1000"),
      windowStart: null,
    };
    const house = { meters: [odpu], buildingArea: scaled("296.40", 4, "")! };
    const h = line({ service: svc("HeatingByHouseMeter", { Unit: "Гкал" }), tariff: tariff("1500"), house });
    expect(h.Volume).to.equal("9.9528"); // 50 × 59 / 296.4 = 9.95276…
    expect(h.Amount).to.equal("14929.20");
    expect(h.Explanation).to.equal(
      "50,0000 Гкал по дому («ОДПУ» 1000,0000 → 1050,0000) × 59,00 м² / 296,40 м² = 9,9528 × 1500,0000 = 14929,20",
    );
    expect(() =>
      line({
        service: svc("HeatingByHouseMeter"),
        tariff: tariff("1500"),
        house: { ...house, meters: [{ ...odpu, current: null }] },
      }),
    ).to.throw(AccrualError, /нет показаний общедомового прибора «ОДПУ»/);
    expect(() =>
      line({ service: svc("HeatingByHouseMeter"), tariff: tariff("1500"), house: { ...house, buildingArea: null } }),
    ).to.throw(/площадь/);
    expect(() => line({ service: svc("HeatingByHouseMeter"), tariff: tariff("1500") })).to.throw(/общедомового/);
    expect(() => line({ service: svc("Fixed"), tariff: null })).to.throw(AccrualError, /нет тарифа/);
  });

  it("rate over norm only with a normative and a positive rate over norm", () => {
    const norm = scaled("20.805", 4, "")!;
    const v = scaled("43.4205", 4, "")!;
    expect(price(v, tariff("20", "40"), norm, null)).to.deep.equal({
      rate: "20,0000",
      overRate: "40,0000",
      amount: 132072, // 20.805 × 20 + 22.6155 × 40 = 1320.72
      within: norm,
      over: v - norm,
      factor: null,
    });
    expect(price(v, tariff("20", "0"), norm, null).amount).to.equal(86841);
    expect(price(v, tariff("20", "40"), null, null).amount).to.equal(86841);
    expect(price(100000, tariff("20", "40"), norm, null).over).to.equal(0);
    const cold1 = {
      ...cold,
      current: r("2011-11-25", "143.4205"),
      previous: r("2011-10-31", "100"),
      windowStart: null,
    };
    expect(
      line({
        service: svc("ByMeter", { Normative: "6.935" }),
        tariff: tariff("20", "40"),
        month: NOV,
        meters: [cold1],
      }).Explanation,
    ).to.equal(
      "43,4205 м3 (показания 100,0000 → 143,4205) = 20,8050 в пределах норматива × 20,0000 + 22,6155 сверх норматива × 40,0000 = 1320,72",
    );
  });

  it("rounds half up after multiplication: 0.125 → 0.13, 0.0049 → 0.00, −0.125 → −0.13", () => {
    expect(
      amount({ account: accountFacts({ TotalArea: "0.05" }), service: svc("ByTotalArea"), tariff: tariff("2.5") }),
    ).to.equal("0.13");
    const tiny = line({
      account: accountFacts({ TotalArea: "0.01" }),
      service: svc("ByTotalArea"),
      tariff: tariff("0.49"),
    });
    expect(tiny.Amount).to.equal("0.00");
    expect(
      chargeLine({ account: accountFacts({ TotalArea: "0.01" }), service: svc("ByTotalArea"), tariff: tariff("0.49") })
        .charged,
    ).to.equal(false);
    const refund = line({
      service: svc("DerivedVolume"),
      tariff: tariff("2.5"),
      sources: [{ name: "ХВС", volume: -500 }],
    });
    expect(refund.Amount).to.equal("-0.13"); // −0.05 × 2.5 = −0.125: away from zero
  });

  it("is exact beyond 2^53 in the products: the amount, not the product, must fit", () => {
    // 1 234 567.89 m² × 9 876.5432 = 12 193 263 098.917848 (the product in 10^-8 is ~1.2·10^18)
    const big = accountFacts({ TotalArea: "1234567.89", Residents: "2" });
    expect(amount({ account: big, service: svc("ByTotalArea"), tariff: tariff("9876.5432") })).to.equal(
      "12193263098.92",
    );
    const m3 = line({
      account: big,
      service: svc("ByNormative", { Normative: "617283.945", RaisingFactor: "1.5" }),
      tariff: tariff("9876.5432"),
    });
    // 2 × 617 283.945 = 1 234 567.89 m³ × 9 876.5432 × 1.5 = 18 289 894 648.376772
    expect(m3.Amount).to.equal("18289894648.38");
    // An amount no register holds is refused, naming what to check.
    expect(() =>
      line({
        account: accountFacts({ TotalArea: "99999999.99" }),
        service: svc("ByTotalArea"),
        tariff: tariff("99999999999"),
      }),
    ).to.throw(AccrualError, /не помещается/);
    expect(() => svc("ByNormative", { Normative: "1.23456" })).to.throw(AccrualError, /не более 4 знаков/);
  });

  it("consumption rolls a cyclic meter over and refuses a cumulative one going backwards", () => {
    expect(text4(consumption(cyc(4), r("2011-10-20", "9990"), r("2011-11-20", "15")))).to.equal("25.0000");
    expect(text4(consumption(cold, r("2011-10-20", "10"), r("2011-11-20", "15")))).to.equal("5.0000");
    expect(() => consumption(cold, r("2011-10-20", "500"), r("2011-11-20", "450"))).to.throw(
      AccrualError,
      /«ХВС».*450,0000 на 20\.11\.2011.*500,0000 на 20\.10\.2011/,
    );
    expect(() => consumption(cyc(0), r("2011-10-20", "30"), r("2011-11-20", "10"))).to.throw(/разрядность/);
    expect(() => consumption(cyc(null), r("2011-10-20", "30"), r("2011-11-20", "10"))).to.throw(/разрядность/);
  });

  it("counts readings after the 25th for the next month", () => {
    expect(readingMonth("2011-10-25")).to.equal("2011-10-01");
    expect(readingMonth("2011-10-26")).to.equal("2011-11-01");
    expect(readingMonth("2011-12-31")).to.equal("2012-01-01");
  });

  it("averages over at least 3 months of history, then normative after the limit, then recalculates", () => {
    const prev = r("2012-04-20", "30");
    const h: MeterHistory = { current: null, previous: prev, windowStart: r("2012-01-20", "0") };
    expect(text4(averageMonthly(cold, h)!.average)).to.equal("10.0000");
    expect(averageMonthly(cold, { ...h, windowStart: r("2012-02-20", "10") })).to.equal(null); // 2 months
    // 10 / 3 = 3.33333…, kept to 4 decimals
    expect(text4(averageMonthly(cold, { ...h, previous: r("2012-04-20", "10") })!.average)).to.equal("3.3333");
    const norm = scaled("20.805", 4, "")!;
    expect(meterVolume(month("2012-05-01"), cold, h, norm).note).to.deep.equal({
      how: "average",
      k: 1,
      months: 3,
      last: "2012-04-20",
    });
    expect(
      meterVolume(month(`2012-${String(4 + MAX_ESTIMATED_MONTHS).padStart(2, "0")}-01`), cold, h, norm).note.how,
    ).to.equal("average");
    const after = meterVolume(month("2012-11-01"), cold, h, norm);
    expect(after.normative).to.equal(true);
    expect(volume(after)).to.equal("20.8050");
    expect(() => meterVolume(month("2012-11-01"), cold, h, null)).to.throw(
      /нет показаний 7 мес\. \(более 6\).*норматив/,
    );
    const back = meterVolume(month("2012-12-01"), cold, { ...h, current: r("2012-12-20", "150") }, norm);
    expect(back.note.how).to.equal("recalculated");
    expect(volume(back)).to.equal("39.1950"); // 120 − (6 × 10 + 20.805)
    const refund = meterVolume(month("2012-06-01"), cold, { ...h, current: r("2012-06-20", "35") }, norm);
    expect(volume(refund)).to.equal("-5.0000"); // 5 real − 10 estimated in May
    const service = svc("ByMeter", { Normative: "6.935" });
    expect(
      line({
        service,
        tariff: tariff("20"),
        month: month("2012-12-01"),
        meters: [{ ...cold, ...h, current: r("2012-12-20", "150") }],
      }).Explanation,
    ).to.equal(
      "39,1950 м3 (показания 30,0000 → 150,0000 с 20.04.2012: 120,0000 за 8 мес. минус начисленное без показаний за 7 мес. 80,8050 (10,0000 ср. + 10,0000 ср. + 10,0000 ср. + 10,0000 ср. + 10,0000 ср. + 10,0000 ср. + 20,8050 норм.)) × 20,0000 = 783,90",
    );
  });

  it("a meter's first reading is no consumption yet: by normative", () => {
    const v = meterVolume(
      NOV,
      cold,
      { current: r("2011-11-01", "5510"), previous: null, windowStart: null },
      scaled("13.87", 4, "")!,
    );
    expect(v.normative).to.equal(true);
    expect(volume(v)).to.equal("13.8700");
    const l = line({
      service: svc("ByMeter", { Normative: "6.935", RaisingFactor: "1.5" }),
      tariff: tariff("20"),
      month: NOV,
      meters: [{ ...cold, current: r("2011-11-01", "5510"), previous: null, windowStart: null }],
    });
    // (no raising factor: the meter is installed)
    expect(l).to.include({
      Volume: "20.8050",
      PreviousReading: null,
      CurrentReading: "5510.0000",
      Explanation:
        "прибор «ХВС»: первое показание 5510,0000 на 01.11.2011, расход еще не измерен, по нормативу: 3 чел. × 6,9350 м3 × 20,0000 = 416,10",
    });
  });

  it("adds the volumes of several meters of one service", () => {
    const a = { ...cold, current: r("2011-11-20", "15"), previous: r("2011-10-20", "10"), windowStart: null };
    const b = { ...cold, id: "m3", current: r("2011-11-20", "7"), previous: r("2011-10-20", "4"), windowStart: null };
    expect(volume(metersVolume(NOV, [a, b], null))).to.equal("8.0000");
    expect(line({ service: svc("ByMeter"), tariff: tariff("20"), month: NOV, meters: [a, b] })).to.include({
      PreviousReading: null,
      Explanation: "8,0000 м3 (показания 10,0000 → 15,0000; показания 4,0000 → 7,0000) × 20,0000 = 160,00",
    });
  });

  it("orders derived services after their sources and refuses a cycle", () => {
    const s = (id: string, sources: string[] = []) => ({ id, name: id, sources });
    expect(calculationOrder([s("sewer", ["cold", "hot"]), s("cold"), s("hot")]).map((x) => x.id)).to.deep.equal([
      "cold",
      "hot",
      "sewer",
    ]);
    expect(() => calculationOrder([s("a", ["b"]), s("b", ["a"])])).to.throw(AccrualError, /по кругу/);
  });
});
