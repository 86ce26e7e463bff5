// The integer path of the accrual (metadata/common/accrual-fast.ts) against the decimal.js
// definition (accrual.ts, accrual-meters.ts) on random inputs: whenever it prices a line, the
// record is the one accrual.ts gives, to the character; otherwise it leaves the line to it.
import { expect } from "chai";
import { Decimal } from "decimal.js";
import { AccrualError, chargeLine, normVolume, type AccountFacts, type CalculationMethod, type ChargeInput, type ServiceFacts, type TariffFacts } from "../../metadata/common/accrual.ts";
import { combineMeters, meterVolume, type MeterFacts, type MeterHistory, type Reading } from "../../metadata/common/accrual-meters.ts";
import { derivedLine, fastAccount, fastService, fastTariff, lineMonth, meterLine, s4, ScaledReading, simpleLine, type LineRecord } from "../../metadata/common/accrual-fast.ts";
import { recordOf } from "../../metadata/common/accrual-lines.ts";
import { seeded } from "../helpers/random.ts";

/** The seeded generator of tests/helpers/random.ts, with decimal texts. */
function random(seed: number) {
  const { next, int, pick } = seeded(seed);
  const num = (max: number, places: number, negative = false) => {
    const i = String(int(max));
    const f = places > 0 ? "." + String(int(10 ** places)).padStart(places, "0") : "";
    return (negative && int(5) === 0 ? "-" : "") + i + f;
  };
  return { next, int, pick, num };
}

const D = (x: string | number) => new Decimal(x);
const MONTH = "2024-06-01";
const LM = lineMonth(MONTH);
const METHODS: CalculationMethod[] = ["ByTotalArea", "ByLivingArea", "ByResidents", "Fixed", "ByNormative", "ByMeter", "DerivedVolume"];

type Meter = MeterFacts & MeterHistory;

function scenario(r: ReturnType<typeof random>) {
  const big = () => r.pick([10, 300, 1e4, 1e7, 1e11]);
  const account: AccountFacts = {
    TotalArea: r.pick([null, D(r.num(200, 2)), D(r.num(big(), 2))]),
    LivingArea: r.pick([null, D(r.num(150, 2))]),
    Residents: r.pick([null, D(r.int(7)), D(r.int(1000))]),
  };
  const service: ServiceFacts = {
    name: "Услуга",
    Unit: r.pick([null, "м3", "Гкал"]),
    CalculationMethod: r.int(2) ? "ByMeter" : r.pick(METHODS),
    Normative: r.pick([null, D(0), D(r.num(10, 4)), D(r.num(big(), 4)), D(r.num(10, 5))]),
    RaisingFactor: r.pick([null, D(1), D("1.5"), D(0), D(r.num(5, 2)), D(r.num(3, 3))]),
  };
  const tariff: TariffFacts = {
    Rate: r.pick([D(r.num(100, 4)), D(r.num(big(), 4)), D(0), D(r.num(50, 2))]),
    RateOverNorm: r.pick([null, D(0), D(r.num(100, 4)), D(r.num(big(), 4))]),
  };
  const reading = (period: string, value: string): Reading => (r.int(2) ? new ScaledReading(period, D(value)) : { period, value: D(value) });
  const meters: Meter[] = Array.from({ length: r.pick([0, 1, 1, 1, 2, 3]) }, (_, i) => {
    const prev = r.num(big(), r.pick([0, 2, 4]));
    const cur = r.pick([
      D(prev).plus(D(r.num(60, 4))).toFixed(),
      r.num(big(), 4),
      prev,
      D(prev).minus(D(r.num(60, 4))).abs().toFixed(),
    ]);
    const current = r.int(6) ? reading(r.pick(["2024-06-20", "2024-06-25", "2024-05-26"]), cur) : null;
    const previous = r.int(6) ? reading(r.pick(["2024-05-20", "2024-05-25", "2024-04-26", "2024-04-25", "2024-02-20", "2023-10-01"]), prev) : null;
    const windowStart = r.int(2) ? reading(r.pick(["2023-06-20", "2024-01-20", "2024-03-20"]), r.num(100, 4)) : null;
    return {
      id: `m${i}`,
      name: `Прибор ${i}`,
      ReadingType: r.pick(["Cumulative", "Cyclic", null]),
      DigitCapacity: r.pick([null, D(0), D(4), D(5), D(12)]),
      current,
      previous,
      windowStart,
    };
  });
  const sources = Array.from({ length: r.pick([0, 1, 2, 2]) }, (_, i) => ({ name: `Источник ${i}`, volume: D(r.num(big(), 4, true)) }));
  return { account, service, tariff, meters, sources };
}

/** The record by accrual.ts, or the refusal. */
function reference(s: ReturnType<typeof scenario>): LineRecord | AccrualError {
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
function fast(s: ReturnType<typeof scenario>): LineRecord | null {
  const a = fastAccount(s.account), svc = fastService(s.service), t = fastTariff(s.tariff);
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
    const r = random(7);
    for (let i = 0; i < 50_000; i++) {
      const d = D(r.num(r.pick([1, 10, 1e4, 1e9, 1e12, 1e15, 1e17]), r.int(9), true));
      for (const v of [d, d.div(7), d.times(r.int(1000)), d.neg()]) {
        const x = Number(v.toFixed(4).replace(".", ""));
        const want = v.decimalPlaces() <= 4 && Number.isSafeInteger(x) ? (x === 0 ? 0 : x) : undefined;
        expect(s4(v), v.toString()).to.equal(want);
        expect(s4(v.toFixed()), v.toString()).to.equal(want);
      }
    }
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
    const r = random(20240601);
    const priced = new Map<string, number>();
    for (let i = 0; i < 50_000; i++) {
      const s = scenario(r);
      const want = reference(s);
      const got = fast(s);
      if (got === null) continue;
      if (want instanceof AccrualError) expect.fail(`case ${i}: the integer path priced a line accrual.ts refuses (${want.message})`);
      expect(got, `case ${i} (${s.service.CalculationMethod})`).to.deep.equal(want);
      const e = got.fields.Explanation;
      const kind =
        s.service.CalculationMethod !== "ByMeter" ? s.service.CalculationMethod
        : e.startsWith("нет прибора учета") ? "ByMeter: no meter"
        : e.includes("по нормативу") ? "ByMeter: normative"
        : e.includes("среднемесячный") ? "ByMeter: average"
        : e.includes("минус начисленное") ? "ByMeter: recalculated"
        : e.includes(";") ? "ByMeter: several meters"
        : Number(got.fields.CurrentReading) < Number(got.fields.PreviousReading) ? "ByMeter: rollover"
        : "ByMeter: readings";
      for (const k of [kind, e.includes("сверх норматива") && "over the norm", e.includes("повышающий") && "raising factor", got.fields.Amount.startsWith("-") && "negative"])
        if (k) priced.set(k, (priced.get(k) ?? 0) + 1);
    }
    // Every method is covered by the integer path in a good share of the cases.
    const kinds = [...METHODS.filter((m) => m !== "ByMeter"), ...["no meter", "normative", "average", "recalculated", "several meters", "rollover", "readings"].map((k) => `ByMeter: ${k}`), "over the norm", "raising factor", "negative"];
    for (const k of kinds) expect(priced.get(k) ?? 0, k).to.be.above(50);
  });
});
