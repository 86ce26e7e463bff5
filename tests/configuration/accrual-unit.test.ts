// The pure charge calculation (metadata/common/accrual.ts, accrual-meters.ts) without a database.
import { expect } from "chai";
import { Decimal } from "decimal.js";
import {
  AccrualError,
  calculationOrder,
  chargeLine,
  price,
  type AccountFacts,
  type ServiceFacts,
  type TariffFacts,
} from "../../metadata/common/accrual.ts";
import {
  averageMonthly,
  combineMeters,
  consumption,
  meterVolume,
  readingMonth,
  MAX_ESTIMATED_MONTHS,
  type MeterFacts,
} from "../../metadata/common/accrual-meters.ts";

const D = (x: string | number) => new Decimal(x);
const acc: AccountFacts = { TotalArea: D("59.0"), LivingArea: D("0.0"), Residents: D(3) };
const svc = (method: ServiceFacts["CalculationMethod"], extra: Partial<ServiceFacts> = {}): ServiceFacts => ({
  name: "Услуга",
  Unit: "м3",
  CalculationMethod: method,
  Normative: null,
  RaisingFactor: null,
  ...extra,
});
const tariff = (rate: string, over = "0"): TariffFacts => ({ Rate: D(rate), RateOverNorm: D(over) });
const cold: MeterFacts = { id: "m1", name: "ХВС", ReadingType: "Cumulative", DigitCapacity: D(5) };
const cyc = (digits: number | null): MeterFacts => ({
  id: "m2",
  name: "ГВС",
  ReadingType: "Cyclic",
  DigitCapacity: digits === null ? null : D(digits),
});
const r = (period: string, value: string) => ({ period, value: D(value) });

describe("accrual: pure calculation", function () {
  it("prices the seed's lines (DOMAIN.md §4)", () => {
    expect(
      chargeLine({ account: acc, service: svc("ByTotalArea"), tariff: tariff("2.50", "5.00") }).amount.toFixed(2),
    ).to.equal("147.50");
    expect(chargeLine({ account: acc, service: svc("ByResidents"), tariff: tariff("250") }).amount.toFixed(2)).to.equal(
      "750.00",
    );
    expect(chargeLine({ account: acc, service: svc("ByTotalArea"), tariff: tariff("150") }).amount.toFixed(2)).to.equal(
      "8850.00",
    );
    const meter = meterVolume(
      "2011-11-01",
      cold,
      { current: r("2011-11-25", "143.4205"), previous: r("2011-10-31", "100"), windowStart: null },
      null,
    );
    expect(
      chargeLine({ account: acc, service: svc("ByMeter"), tariff: tariff("20"), meter }).amount.toFixed(2),
    ).to.equal("868.41");
    const sewer = chargeLine({
      account: acc,
      service: svc("DerivedVolume"),
      tariff: tariff("40"),
      sourceVolume: D("63.4205"),
    });
    expect(sewer.amount.toFixed(2)).to.equal("2536.82");
    expect(sewer.volume.toFixed(4)).to.equal("63.4205");
  });

  it("ByNormative: residents × normative × rate × raising factor, rounded once", () => {
    const l = chargeLine({
      account: acc,
      service: svc("ByNormative", { Normative: D("6.935"), RaisingFactor: D("1.5") }),
      tariff: tariff("20"),
    });
    expect(l.volume.toFixed(4)).to.equal("20.8050");
    expect(l.amount.toFixed(2)).to.equal("624.15"); // 20.805 × 20 × 1.5 = 624.15
    expect(() => chargeLine({ account: acc, service: svc("ByNormative"), tariff: tariff("20") })).to.throw(
      AccrualError,
      /норматив/,
    );
  });

  it("ByLivingArea, Fixed and heating by the house meter", () => {
    expect(
      chargeLine({
        account: { ...acc, LivingArea: D("40.1") },
        service: svc("ByLivingArea"),
        tariff: tariff("12.34"),
      }).amount.toFixed(2),
    ).to.equal("494.83");
    expect(chargeLine({ account: acc, service: svc("Fixed"), tariff: tariff("85") }).amount.toFixed(2)).to.equal(
      "85.00",
    );
    const h = chargeLine({
      account: acc,
      service: svc("HeatingByHouseMeter"),
      tariff: tariff("1500"),
      house: { consumption: D(50), buildingArea: D("296.40") },
    });
    expect(h.volume.toFixed(4)).to.equal("9.9528");
    expect(h.amount.toFixed(2)).to.equal("14929.20");
    expect(() =>
      chargeLine({
        account: acc,
        service: svc("HeatingByHouseMeter"),
        tariff: tariff("1500"),
        house: { consumption: D(50), buildingArea: null },
      }),
    ).to.throw(/площадь/);
  });

  it("rate over norm only with a normative and a positive rate over norm", () => {
    expect(price(D("43.4205"), tariff("20", "40"), D("20.805")).amount.toFixed(4)).to.equal("1320.7200");
    expect(price(D("43.4205"), tariff("20", "0"), D("20.805")).amount.toFixed(4)).to.equal("868.4100");
    expect(price(D("43.4205"), tariff("20", "40"), null).amount.toFixed(4)).to.equal("868.4100");
    expect(price(D("10"), tariff("20", "40"), D("20.805")).overNorm.toFixed(4)).to.equal("0.0000");
  });

  it("rounds half up after multiplication: 0.125 → 0.13, 0.0049 → 0.00", () => {
    const half = chargeLine({
      account: { ...acc, TotalArea: D("0.05") },
      service: svc("ByTotalArea"),
      tariff: tariff("2.5"),
    });
    expect(half.amount.toFixed(2)).to.equal("0.13");
    const tiny = chargeLine({
      account: { ...acc, TotalArea: D("0.01") },
      service: svc("ByTotalArea"),
      tariff: tariff("0.49"),
    });
    expect(tiny.amount.toFixed(2)).to.equal("0.00");
  });

  it("consumption rolls a cyclic meter over and refuses a cumulative one going backwards", () => {
    expect(consumption(cyc(4), r("2011-10-20", "9990"), r("2011-11-20", "15")).toFixed(4)).to.equal("25.0000");
    expect(consumption(cold, r("2011-10-20", "10"), r("2011-11-20", "15")).toFixed(4)).to.equal("5.0000");
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
    const h = { current: null, previous: prev, windowStart: r("2012-01-20", "0") };
    expect(averageMonthly(cold, h)!.average.toFixed(4)).to.equal("10.0000");
    expect(averageMonthly(cold, { ...h, windowStart: r("2012-02-20", "10") })).to.equal(null); // 2 months
    const norm = D("20.805");
    expect(meterVolume("2012-05-01", cold, h, norm)).to.include({ how: "average" });
    expect(meterVolume(`2012-${String(4 + MAX_ESTIMATED_MONTHS).padStart(2, "0")}-01`, cold, h, norm).how).to.equal(
      "average",
    );
    const after = meterVolume("2012-11-01", cold, h, norm);
    expect(after.how).to.equal("normative");
    expect(after.volume.toFixed(4)).to.equal("20.8050");
    expect(() => meterVolume("2012-11-01", cold, h, null)).to.throw(/норматив/);
    const back = meterVolume("2012-12-01", cold, { ...h, current: r("2012-12-20", "150") }, norm);
    expect(back.how).to.equal("recalculated");
    expect(back.volume.toFixed(4)).to.equal("39.1950"); // 120 − (6 × 10 + 20.805)
    const refund = meterVolume("2012-06-01", cold, { ...h, current: r("2012-06-20", "35") }, norm);
    expect(refund.volume.toFixed(4)).to.equal("-5.0000"); // 5 real − 10 estimated in May
  });

  it("a meter's first reading is no consumption yet: by normative", () => {
    const v = meterVolume(
      "2011-11-01",
      cold,
      { current: r("2011-11-01", "5510"), previous: null, windowStart: null },
      D("13.87"),
    );
    expect(v.how).to.equal("normative");
    expect(v.volume.toFixed(4)).to.equal("13.8700");
  });

  it("adds the volumes of several meters of one service", () => {
    const a = meterVolume(
      "2011-11-01",
      cold,
      { current: r("2011-11-20", "15"), previous: r("2011-10-20", "10"), windowStart: null },
      null,
    );
    const b = meterVolume(
      "2011-11-01",
      cold,
      { current: r("2011-11-20", "7"), previous: r("2011-10-20", "4"), windowStart: null },
      null,
    );
    expect(combineMeters([a, b]).volume.toFixed(4)).to.equal("8.0000");
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
