// The integer path of the accrual (metadata/common/accrual-fast.ts) against the decimal.js
// definition (accrual.ts, accrual-meters.ts) on random inputs: whenever it prices a line, the
// record is the one accrual.ts gives, to the character; otherwise it leaves the line to it. The
// inputs are fast-check properties from a fixed seed.
import { expect } from "chai";
import { Decimal } from "decimal.js";
import {
  AccrualError,
  chargeLine,
  normVolume,
  type AccountFacts,
  type CalculationMethod,
  type ChargeInput,
  type ServiceFacts,
  type TariffFacts,
} from "../../metadata/common/accrual.ts";
import {
  combineMeters,
  meterVolume,
  type MeterFacts,
  type MeterHistory,
  type Reading,
} from "../../metadata/common/accrual-meters.ts";
import {
  derivedLine,
  fastAccount,
  fastService,
  fastTariff,
  lineMonth,
  meterLine,
  s4,
  ScaledReading,
  simpleLine,
  type LineRecord,
} from "../../metadata/common/accrual-fast.ts";
import { recordOf } from "../../metadata/common/accrual-lines.ts";
import fc from "fast-check";

/** fast-check's runs start from a fixed seed (a failure prints it, with the path to replay; FC_SEED=… tries another). */
const SEED = Number(process.env.FC_SEED ?? 20240601);

const D = (x: string | number) => new Decimal(x);
const MONTH = "2024-06-01";
const LM = lineMonth(MONTH);
const METHODS: CalculationMethod[] = [
  "ByTotalArea",
  "ByLivingArea",
  "ByResidents",
  "Fixed",
  "ByNormative",
  "ByMeter",
  "DerivedVolume",
];

type Meter = MeterFacts & MeterHistory;

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
/** The same below a bound of any size, from tens to 10^11. */
const big = (places: number, negative = false) =>
  one(10, 300, 1e4, 1e7, 1e11).chain((max) => num(max, places, negative));
const dec = (a: fc.Arbitrary<string>) => a.map(D);

const reading = (periods: string[], value: fc.Arbitrary<string>): fc.Arbitrary<Reading> =>
  fc
    .tuple(fc.boolean(), one(...periods), value)
    .map(([scaled, period, v]) => (scaled ? new ScaledReading(period, D(v)) : { period, value: D(v) }));

/** A meter: the previous reading, and the current one above it, equal, below it (rolled over) or anywhere. */
const meter = (i: number): fc.Arbitrary<Meter> =>
  one(0, 2, 4)
    .chain((places) => big(places))
    .chain((prev) =>
      fc.record({
        ReadingType: one<Meter["ReadingType"]>("Cumulative", "Cyclic", null),
        DigitCapacity: fc.oneof(nil, one(D(0), D(4), D(5), D(12))),
        current: fc.option(
          reading(
            ["2024-06-20", "2024-06-25", "2024-05-26"],
            fc.oneof(
              num(60, 4).map((x) => D(prev).plus(D(x)).toFixed()),
              big(4),
              fc.constant(prev),
              num(60, 4).map((x) => D(prev).minus(D(x)).abs().toFixed()),
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

/** One line to price: the account's, service's and tariff's facts, the meters, the source volumes. */
const scenario = fc.record({
  account: fc.record<AccountFacts>({
    TotalArea: fc.oneof(nil, dec(num(200, 2)), dec(big(2))),
    LivingArea: fc.oneof(nil, dec(num(150, 2))),
    Residents: fc.oneof(nil, fc.integer({ min: 0, max: 6 }).map(D), fc.integer({ min: 0, max: 999 }).map(D)),
  }),
  service: fc.record<ServiceFacts>({
    name: fc.constant("Услуга"),
    Unit: one(null, "м3", "Гкал"),
    CalculationMethod: fc.oneof(fc.constant<CalculationMethod>("ByMeter"), one(...METHODS)),
    Normative: fc.oneof(nil, fc.constant(D(0)), dec(num(10, 4)), dec(big(4)), dec(num(10, 5))),
    RaisingFactor: fc.oneof(nil, one(D(1), D("1.5"), D(0)), dec(num(5, 2)), dec(num(3, 3))),
  }),
  tariff: fc.record<TariffFacts>({
    Rate: fc.oneof(dec(num(100, 4)), dec(big(4)), fc.constant(D(0)), dec(num(50, 2))),
    RateOverNorm: fc.oneof(nil, fc.constant(D(0)), dec(num(100, 4)), dec(big(4))),
  }),
  meters: many([0, 1, 1, 1, 2, 3], meter),
  sources: many([0, 1, 2, 2], (i) => big(4, true).map((v) => ({ name: `Источник ${i}`, volume: D(v) }))),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

/** The record by accrual.ts, or the refusal. */
function reference(s: Scenario): LineRecord | AccrualError {
  try {
    const input: ChargeInput = { account: s.account, service: s.service, tariff: s.tariff };
    if (s.service.CalculationMethod === "ByMeter" && s.meters.length) {
      const norm = normVolume(s.account, s.service);
      input.meter = combineMeters(s.meters.map((m) => meterVolume(MONTH, m, m, norm)));
    }
    if (s.service.CalculationMethod === "DerivedVolume") {
      input.sourceVolume = s.sources.reduce((a, x) => a.plus(x.volume), D(0));
      input.sourceNames = s.sources.map((x) => `${x.name} ${x.volume.toFixed(4).replace(".", ",")}`);
    }
    return recordOf(chargeLine(input));
  } catch (e) {
    if (e instanceof AccrualError) return e;
    throw e;
  }
}

/** The record by accrual-fast.ts, or null. */
function fast(s: Scenario): LineRecord | null {
  const a = fastAccount(s.account),
    svc = fastService(s.service),
    t = fastTariff(s.tariff);
  if (!a || !svc || !t) return null;
  switch (svc.CalculationMethod) {
    case "ByMeter":
      return meterLine(LM, a, svc, t, s.meters);
    case "DerivedVolume": {
      const sources = s.sources.map((x) => ({ name: x.name, volume: s4(x.volume) }));
      if (sources.some((x) => x.volume === null || x.volume === undefined)) return null;
      return derivedLine(a, svc, t, sources as { name: string; volume: number }[]);
    }
    default:
      return simpleLine(a, svc, t);
  }
}

describe("accrual: the integer path gives the decimal.js figures", function () {
  it("reads a Decimal's ten-thousandths as toFixed(4) does, refusing more decimals or 2^53", () => {
    const decimal = fc
      .tuple(one(1, 10, 1e4, 1e9, 1e12, 1e15, 1e17), fc.integer({ min: 0, max: 8 }))
      .chain(([max, places]) => num(max, places, true));
    fc.assert(
      fc.property(decimal, fc.integer({ min: 0, max: 999 }), (text, k) => {
        const d = D(text);
        for (const v of [d, d.div(7), d.times(k), d.neg()]) {
          const x = Number(v.toFixed(4).replace(".", ""));
          const want = v.decimalPlaces() <= 4 && Number.isSafeInteger(x) ? (x === 0 ? 0 : x) : undefined;
          expect(s4(v), v.toString()).to.equal(want);
          expect(s4(v.toFixed()), v.toString()).to.equal(want);
        }
      }),
      { seed: SEED, numRuns: 50_000 },
    );
    expect(s4(null)).to.equal(null);
    expect(s4(D(NaN))).to.equal(undefined);
  });

  it("keeps a reading's value", () => {
    for (const v of ["143.4205", "0", "-5.5", "99999999999.9999", "1.23456", "123456789012345678"]) {
      const x = new ScaledReading("2024-06-20", D(v));
      expect(x.value.toFixed(), v).to.equal(D(v).toFixed());
    }
  });

  it("prices random lines exactly as accrual.ts, or leaves them to it", () => {
    const priced = new Map<string, number>();
    fc.assert(
      fc.property(scenario, (s) => {
        const want = reference(s);
        const got = fast(s);
        if (got === null) return;
        if (want instanceof AccrualError)
          expect.fail(`the integer path priced a line accrual.ts refuses (${want.message})`);
        expect(got, s.service.CalculationMethod).to.deep.equal(want);
        const e = got.fields.Explanation;
        const kind =
          s.service.CalculationMethod !== "ByMeter"
            ? s.service.CalculationMethod
            : e.startsWith("нет прибора учета")
              ? "ByMeter: no meter"
              : e.includes("по нормативу")
                ? "ByMeter: normative"
                : e.includes("среднемесячный")
                  ? "ByMeter: average"
                  : e.includes("минус начисленное")
                    ? "ByMeter: recalculated"
                    : e.includes(";")
                      ? "ByMeter: several meters"
                      : Number(got.fields.CurrentReading) < Number(got.fields.PreviousReading)
                        ? "ByMeter: rollover"
                        : "ByMeter: readings";
        for (const k of [
          kind,
          e.includes("сверх норматива") && "over the norm",
          e.includes("повышающий") && "raising factor",
          got.fields.Amount.startsWith("-") && "negative",
        ])
          if (k) priced.set(k, (priced.get(k) ?? 0) + 1);
      }),
      { seed: SEED, numRuns: 50_000 },
    );
    // Every method is covered by the integer path in a good share of the cases.
    const kinds = [
      ...METHODS.filter((m) => m !== "ByMeter"),
      ...["no meter", "normative", "average", "recalculated", "several meters", "rollover", "readings"].map(
        (k) => `ByMeter: ${k}`,
      ),
      "over the norm",
      "raising factor",
      "negative",
    ];
    for (const k of kinds) expect(priced.get(k) ?? 0, k).to.be.above(50);
  });
});
