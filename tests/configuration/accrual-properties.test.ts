// Properties of the accrual's rules (metadata/common/accrual.ts, accrual-meters.ts, accrual-figures.ts)
// on random inputs within the registers' scales, against DOMAIN.md §3 written out in decimal.js
// here: every line's amount is its volume priced at the rate (within and over the norm) × the
// raising factor, rounded half up to kopecks once; every volume is the one its method names; the
// explanation ends with the amount; the scaled-integer arithmetic is exact beyond 2^53. Inputs are
// fast-check properties from a fixed seed (a failure prints it, with the path to replay; FC_SEED=…
// tries another).
import { expect } from "chai";
import { Decimal } from "decimal.js";
import fc from "fast-check";
import {
  accountFacts,
  chargeLine,
  serviceFacts,
  tariffFacts,
  type CalculationMethod,
  type LineRecord,
} from "../../metadata/common/accrual.ts";
import { AccrualError, productRounded, quotientRounded, s4, scaled } from "../../metadata/common/accrual-figures.ts";
import { lineMonth, type MeterFacts, type MeterHistory, type Reading } from "../../metadata/common/accrual-meters.ts";

const SEED = Number(process.env.FC_SEED ?? 20240601);
/** decimal.js with room for every exact product here (the default keeps 20 digits). */
const X = Decimal.clone({ precision: 80, rounding: Decimal.ROUND_HALF_UP });
const D = (x: string | number | bigint) => new X(typeof x === "bigint" ? x.toString() : x);
const half = (d: Decimal, places: number) => d.toDecimalPlaces(places, Decimal.ROUND_HALF_UP);

const MONTH = "2024-06-01";
const METHODS: CalculationMethod[] = [
  "ByTotalArea",
  "ByLivingArea",
  "ByResidents",
  "Fixed",
  "ByNormative",
  "ByMeter",
  "DerivedVolume",
];

const nil = fc.constant(null);
const one = <T>(...xs: T[]) => fc.constantFrom(...xs);
/** A decimal text: an integer part below `max`, `places` decimals; negative one time in five if `negative`. */
const num = (max: number, places: number, negative = false): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.bigInt({ min: 0n, max: BigInt(max) - 1n }),
      fc.bigInt({ min: 0n, max: 10n ** BigInt(places) - 1n }),
      fc.integer({ min: 0, max: 4 }),
    )
    .map(
      ([i, f, sign]) =>
        (negative && sign === 0 ? "-" : "") + String(i) + (places > 0 ? "." + String(f).padStart(places, "0") : ""),
    );
/** The same below a bound of any size the register allows (number(15,4): below 10^11). */
const big = (places: number, negative = false) =>
  one(10, 300, 1e4, 1e7, 1e11).chain((max) => num(max, places, negative));

type Meter = MeterFacts & MeterHistory;
const reading = (periods: string[], value: fc.Arbitrary<string>): fc.Arbitrary<Reading> =>
  fc.tuple(one(...periods), value).map(([period, v]) => ({ period, value: scaled(v, 4, "Показание")! }));

/** A meter: the previous reading, and the current one above it, equal, below it (rolled over) or anywhere. */
const meter = (i: number): fc.Arbitrary<Meter> =>
  one(0, 2, 4)
    .chain((places) => num(1e6, places))
    .chain((prev) =>
      fc.record({
        ReadingType: one<Meter["ReadingType"]>("Cumulative", "Cyclic", null),
        DigitCapacity: fc.oneof(nil, one(0, 4, 5, 7)),
        current: fc.option(
          reading(
            ["2024-06-20", "2024-06-25", "2024-05-26"],
            fc.oneof(
              num(60, 4).map((x) => D(prev).plus(x).toFixed()),
              num(1e6, 4),
              fc.constant(prev),
              num(60, 4).map((x) => D(prev).minus(x).abs().toFixed()),
            ),
          ),
          { freq: 6, nil: null },
        ),
        previous: fc.option(
          reading(
            ["2024-05-20", "2024-05-25", "2024-04-26", "2024-04-25", "2024-02-20", "2023-10-01"],
            fc.constant(prev),
          ),
          { freq: 6, nil: null },
        ),
        windowStart: fc.option(reading(["2023-06-20", "2024-01-20", "2024-03-20"], num(100, 4)), {
          freq: 2,
          nil: null,
        }),
      }),
    )
    .map((m) => ({ id: `m${i}`, name: `Прибор ${i}`, ...m }));

const many = <T>(counts: number[], item: (i: number) => fc.Arbitrary<T>): fc.Arbitrary<T[]> =>
  one(...counts).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => item(i))));

/** One line to price, as the catalogs and registers hold its facts. */
const scenario = fc.record({
  account: fc.record({
    TotalArea: fc.oneof(nil, num(200, 2), num(1e8, 2)),
    LivingArea: fc.oneof(nil, num(150, 2)),
    Residents: fc.oneof(nil, fc.integer({ min: 0, max: 6 }).map(String), fc.integer({ min: 0, max: 999 }).map(String)),
  }),
  service: fc.record({
    CalculationMethod: fc.oneof(fc.constant<CalculationMethod>("ByMeter"), one(...METHODS)),
    Normative: fc.oneof(nil, fc.constant("0"), num(10, 4), big(4)),
    RaisingFactor: fc.oneof(nil, one("1", "1.5", "0"), num(1000, 2)),
  }),
  tariff: fc.record({
    Rate: fc.oneof(num(100, 4), big(4), fc.constant("0"), num(50, 2)),
    RateOverNorm: fc.oneof(nil, fc.constant("0"), num(100, 4), big(4)),
  }),
  meters: many([0, 1, 1, 1, 2, 3], meter),
  sources: many([0, 1, 2, 2], (i) => num(1e6, 4, true).map((v) => ({ name: `Источник ${i}`, volume: v }))),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function price(s: Scenario): LineRecord | AccrualError {
  try {
    return chargeLine({
      account: accountFacts(s.account),
      service: serviceFacts({ name: "Услуга", Unit: "м3", ...s.service }),
      tariff: tariffFacts(s.tariff),
      month: lineMonth(MONTH),
      meters: s.meters,
      sources: s.sources.map((x) => ({ name: x.name, volume: scaled(x.volume, 4, "Объем")! })),
    });
  } catch (e) {
    if (e instanceof AccrualError) return e;
    throw e;
  }
}

/** DOMAIN.md §3 in decimal.js: the amount of `volume` for the scenario's tariff, norm and raising factor. */
function expectedAmount(s: Scenario, volume: Decimal, withFactor: boolean): string {
  const { Normative, RaisingFactor } = s.service;
  const norm = Normative && D(Normative).gt(0) ? half(D(s.account.Residents ?? 0).times(Normative), 4) : null;
  const over = s.tariff.RateOverNorm ? D(s.tariff.RateOverNorm) : null;
  let amount =
    norm && over?.gt(0) && volume.gt(norm)
      ? norm.times(s.tariff.Rate).plus(volume.minus(norm).times(over))
      : volume.times(s.tariff.Rate);
  const f = RaisingFactor ? D(RaisingFactor) : null;
  if (withFactor && f?.gt(0) && !f.eq(1)) amount = amount.times(f);
  return half(amount, 2).toFixed(2);
}

/** The volume a method names, where it needs no meter (null: a meter's, checked apart). */
function expectedVolume(s: Scenario): Decimal | null {
  const a = s.account;
  const norm = () => half(D(a.Residents ?? 0).times(s.service.Normative!), 4);
  switch (s.service.CalculationMethod) {
    case "ByTotalArea":
      return D(a.TotalArea ?? 0);
    case "ByLivingArea":
      return D(a.LivingArea ?? 0);
    case "ByResidents":
      return D(a.Residents ?? 0);
    case "Fixed":
      return D(1);
    case "ByNormative":
      return norm();
    case "ByMeter":
      return s.meters.length === 0 ? norm() : null;
    case "DerivedVolume":
      return s.sources.reduce((t, x) => t.plus(x.volume), D(0));
    default:
      return null;
  }
}

describe("accrual: properties of the rules", function () {
  it("reads a Decimal's ten-thousandths as toFixed(4) does, refusing more decimals or 2^53", () => {
    const decimal = fc
      .tuple(one(1, 10, 1e4, 1e9, 1e12, 1e15, 1e17), fc.integer({ min: 0, max: 8 }))
      .chain(([max, places]) => num(max, places, true));
    fc.assert(
      fc.property(decimal, fc.integer({ min: 0, max: 999 }), (text, k) => {
        const d = new Decimal(text);
        for (const v of [d, d.div(7), d.times(k), d.neg()]) {
          const x = Number(v.toFixed(4).replace(".", ""));
          const want = v.decimalPlaces() <= 4 && Number.isSafeInteger(x) ? (x === 0 ? 0 : x) : undefined;
          expect(s4(v), v.toString()).to.equal(want);
          expect(s4(v.toFixed()), v.toString()).to.equal(want);
        }
      }),
      { seed: SEED, numRuns: 20_000 },
    );
    expect(s4(null)).to.equal(null);
    expect(s4(new Decimal(NaN))).to.equal(undefined);
  });

  it("rounds products and quotients half up once, exactly, in doubles and beyond 2^53", () => {
    const int = fc.oneof(
      fc.integer({ min: -1e6, max: 1e6 }),
      fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
      fc.integer({ min: -1e9, max: 1e9 }),
    );
    fc.assert(
      fc.property(int, int, int, int, fc.integer({ min: 1, max: 99999 }), one(0, 2, 4, 6, 8), (a, b, c, d, f, p) => {
        const exact = D(a).times(b).plus(D(c).times(d)).times(f).div(D(10).pow(p));
        const want = half(exact, 0);
        if (want.abs().gt(Number.MAX_SAFE_INTEGER))
          expect(() => productRounded(a, b, c, d, f, p)).to.throw(AccrualError, /не помещается/);
        else expect(productRounded(a, b, c, d, f, p)).to.equal(want.toNumber());
        const q = half(D(a).times(b).div(f), 0);
        if (q.abs().lte(Number.MAX_SAFE_INTEGER)) expect(quotientRounded(a, b, f)).to.equal(q.toNumber());
      }),
      { seed: SEED, numRuns: 20_000 },
    );
  });

  it("prices every line at its rate, within and over the norm, × the raising factor, rounded once", () => {
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(scenario, (s) => {
        const line = price(s);
        const method = s.service.CalculationMethod;
        if (line instanceof AccrualError) {
          seen.set("refused", (seen.get("refused") ?? 0) + 1);
          return;
        }
        const f = line.fields;
        const volume = D(f.Volume);
        // The volume is the one the method names (a meter's: consumption, checked below).
        const want = expectedVolume(s);
        if (want) expect(f.Volume, method).to.equal(want.toFixed(4));
        const meterNormative = method === "ByMeter" && s.meters.length > 0 && /по нормативу/.test(f.Explanation);
        if (meterNormative) expect(f.Volume).to.equal(expectedVolume({ ...s, meters: [] })!.toFixed(4));
        // A single meter read this month and the month before: current − previous (a cyclic one rolled over).
        const [m] = s.meters;
        if (
          method === "ByMeter" &&
          s.meters.length === 1 &&
          m.current &&
          m.previous &&
          f.Explanation.includes("показания") &&
          !f.Explanation.includes("минус")
        ) {
          let d = D(m.current.value).minus(m.previous.value).div(10000);
          if (d.lt(0)) d = d.plus(D(10).pow(m.DigitCapacity!));
          expect(f.Volume).to.equal(d.toFixed(4));
          expect(f.PreviousReading).to.equal(D(m.previous.value).div(10000).toFixed(4));
          seen.set("ByMeter: readings", (seen.get("ByMeter: readings") ?? 0) + 1);
        }
        // The amount: DOMAIN.md §3 in decimal.js; the raising factor only where no meter is installed.
        const withFactor = method === "ByNormative" || (method === "ByMeter" && s.meters.length === 0);
        expect(f.Amount, `${method}: ${f.Explanation}`).to.equal(expectedAmount(s, volume, withFactor));
        expect(line.charged).to.equal(f.Amount !== "0.00");
        expect(f.Rate).to.equal(D(s.tariff.Rate).toFixed(4));
        // The explanation states the rate and ends with the amount (a long one is cut to the field's 500 characters).
        if (f.Explanation.endsWith("…")) expect(f.Explanation.length).to.equal(500);
        else {
          expect(f.Explanation).to.include(`× ${f.Rate.replace(".", ",")}`);
          expect(f.Explanation.endsWith(` = ${f.Amount.replace(".", ",")}`), f.Explanation).to.equal(true);
        }
        for (const k of [
          meterNormative ? "ByMeter: normative" : method,
          f.Explanation.includes("сверх норматива") && "over the norm",
          f.Explanation.includes("повышающий") && "raising factor",
          f.Explanation.includes("среднемесячный") && "average",
          f.Explanation.includes("минус начисленное") && "recalculated",
          f.Amount.startsWith("-") && "negative",
        ])
          if (k) seen.set(k, (seen.get(k) ?? 0) + 1);
      }),
      { seed: SEED, numRuns: 20_000 },
    );
    // Every rule and case is met in a good share of the runs.
    for (const k of [
      ...METHODS,
      "ByMeter: readings",
      "ByMeter: normative",
      "average",
      "recalculated",
      "over the norm",
      "raising factor",
      "negative",
      "refused",
    ])
      expect(seen.get(k) ?? 0, k).to.be.above(50);
  });
});
