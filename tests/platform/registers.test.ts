// Accumulation registers against a brute-force model: 1,000 random movements (receipts and
// expenses over ~2 years, ~40 recorders, some record sets rewritten or cleared), then balance,
// turnovers and balanceAndTurnovers at 50 random moments must equal sums computed in JS with
// Decimal over the movements. The movements are a fast-check sample and the queries fast-check
// properties, from a fixed seed (a failure prints it with the path to replay; REG_SEED=… tries another).
import { expect } from "chai";
import { randomUUID } from "node:crypto";
import { Decimal } from "decimal.js";
import { testPlatform } from "../helpers/db.ts";
import type { Platform } from "../../server/platform.ts";
import { tx } from "../../server/storage/db.ts";
import {
  balance,
  balanceAndTurnovers,
  turnovers,
  verify,
  writeRecordSet,
  clearRecordSet,
  type MovementInput,
} from "../../server/registers/index.ts";
import fc from "fast-check";

type Row = Record<string, unknown>;
type P = "day" | "month" | "year" | "none";

const pad = (n: number, w = 2) => String(n).padStart(w, "0");
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

interface Mv {
  period: string;
  kind: 1 | -1;
  w: string | null;
  p: string | null;
  q: Decimal;
  a: Decimal;
}

/** The brute-force model: sums over movements, in Decimal. */
const model = {
  key: (m: { w: string | null; p: string | null }) => JSON.stringify([m.w, m.p]),
  start(ts: string, p: P): string {
    return p === "day"
      ? ts.slice(0, 10)
      : p === "month"
        ? ts.slice(0, 7) + "-01"
        : p === "year"
          ? ts.slice(0, 4) + "-01-01"
          : "";
  },
  balance(
    mvs: Mv[],
    pred: (m: Mv) => boolean,
  ): Map<string, { w: string | null; p: string | null; q: Decimal; a: Decimal }> {
    const out = new Map<string, { w: string | null; p: string | null; q: Decimal; a: Decimal }>();
    for (const m of mvs) {
      if (!pred(m)) continue;
      const k = model.key(m);
      const e = out.get(k) ?? { w: m.w, p: m.p, q: new Decimal(0), a: new Decimal(0) };
      e.q = e.q.plus(m.q.times(m.kind));
      e.a = e.a.plus(m.a.times(m.kind));
      out.set(k, e);
    }
    return out;
  },
  turnovers(mvs: Mv[], F: string, U: string, p: P) {
    const out = new Map<
      string,
      { period: string; w: string | null; p: string | null; qr: Decimal; qe: Decimal; ar: Decimal; ae: Decimal }
    >();
    for (const m of mvs) {
      if (m.period < F || m.period > U) continue;
      const period = model.start(m.period, p);
      const k = period + model.key(m);
      const e = out.get(k) ?? {
        period,
        w: m.w,
        p: m.p,
        qr: new Decimal(0),
        qe: new Decimal(0),
        ar: new Decimal(0),
        ae: new Decimal(0),
      };
      if (m.kind === 1) (e.qr = e.qr.plus(m.q)), (e.ar = e.ar.plus(m.a));
      else (e.qe = e.qe.plus(m.q)), (e.ae = e.ae.plus(m.a));
      out.set(k, e);
    }
    return [...out.values()].filter((e) => !(e.qr.isZero() && e.qe.isZero() && e.ar.isZero() && e.ae.isZero()));
  },
};

const canon = (rows: Row[]) =>
  rows
    .map((r) =>
      JSON.stringify(
        Object.keys(r)
          .sort()
          .map((k) => [k, r[k]]),
      ),
    )
    .sort();

function periodEnd(start: string, p: P): string {
  const [y, m] = [Number(start.slice(0, 4)), Number(start.slice(5, 7))];
  if (p === "day") return start + "T23:59:59";
  if (p === "month") return `${start.slice(0, 8)}${pad(lastDay(y, m))}T23:59:59`;
  return `${y}-12-31T23:59:59`;
}

describe("accumulation registers against a brute-force model", function () {
  this.timeout(300_000);
  const seed = Number(process.env.REG_SEED ?? 20240611);
  /** The queries' runs: 50 each, as many as the test made before. */
  const runs = { seed, numRuns: 50 };
  let p: Platform;
  const warehouses: string[] = [];
  const products: (string | null)[] = [];
  const sets = new Map<string, Mv[]>();
  const all = () => [...sets.values()].flat();
  const stock = () => p.conf.accumulationRegisters.get("Stock")!;
  const purchases = () => p.conf.accumulationRegisters.get("Purchases")!;

  const int = (min: number, max: number) => fc.integer({ min, max });
  /** A moment of 2023–2024: a month's first instant one time in ten, its last one in ten, else any second. */
  const moment: fc.Arbitrary<string> = fc
    .record({
      y: int(2023, 2024),
      m: int(1, 12),
      edge: int(0, 9),
      d: int(1, 31),
      h: int(0, 23),
      mi: int(0, 59),
      s: int(0, 59),
    })
    .map(({ y, m, edge, d, h, mi, s }) =>
      edge === 0
        ? `${y}-${pad(m)}-01T00:00:00`
        : edge === 1
          ? `${y}-${pad(m)}-${pad(lastDay(y, m))}T23:59:59`
          : `${y}-${pad(m)}-${pad(1 + ((d - 1) % lastDay(y, m)))}T${pad(h)}:${pad(mi)}:${pad(s)}`,
    );

  /** A record set of `min`–`max` movements: receipts three times in five, over the warehouses and products. */
  const recordSet = (min: number, max: number): fc.Arbitrary<Mv[]> =>
    fc.array(
      fc.record({
        period: moment,
        kind: fc.oneof(
          { weight: 3, arbitrary: fc.constant<1 | -1>(1) },
          { weight: 2, arbitrary: fc.constant<1 | -1>(-1) },
        ),
        w: fc.constantFrom(...warehouses),
        p: fc.constantFrom(...products),
        q: int(0, 99_999).map((n) => new Decimal(n).div(1000)),
        a: int(0, 999_999).map((n) => new Decimal(n - 100_000).div(100)),
      }),
      { minLength: min, maxLength: max },
    );

  const inputs = (mvs: Mv[]): MovementInput[] =>
    mvs.map((m) => ({
      period: m.period,
      recordKind: m.kind,
      values: { Warehouse: m.w, Product: m.p, Quantity: m.q.toFixed(3), Amount: m.a },
    }));
  const purchaseInputs = (mvs: Mv[]): MovementInput[] =>
    mvs
      .filter((m) => m.kind === 1)
      .map((m) => ({
        period: m.period,
        recordKind: 1,
        values: { Product: m.p, Quantity: m.q, Amount: m.a.toFixed(2) },
      }));

  async function post(id: string, mvs: Mv[]) {
    await tx(p.db.app, 1, async (c) => {
      await writeRecordSet(c, p.conf, stock(), { id, kind: "GoodsReceipt" }, inputs(mvs), { checkNegative: false });
      await writeRecordSet(c, p.conf, purchases(), { id, kind: "GoodsReceipt" }, purchaseInputs(mvs));
    });
    sets.set(id, mvs);
  }

  before(async () => {
    p = await testPlatform();
    await tx(p.db.app, 1, async (c) => {
      for (let i = 1; i <= 3; i++)
        warehouses.push(
          (
            await c.query(`INSERT INTO cat_warehouses(code, name) VALUES ($1, $2) RETURNING id`, [
              pad(i, 5),
              `Склад ${i}`,
            ])
          ).rows[0].id,
        );
      for (let i = 1; i <= 4; i++)
        products.push(
          (
            await c.query(`INSERT INTO cat_products(code, name) VALUES ($1, $2) RETURNING id`, [
              pad(i, 11),
              `Товар ${i}`,
            ])
          ).rows[0].id,
        );
    });
    products.push(null); // the empty product is a key like any other
    const ids = Array.from({ length: 40 }, () => randomUUID());
    // 40 record sets of 25, then 10 of them rewritten with 5–44 movements
    const [first, again] = fc.sample(
      fc.tuple(
        fc.array(recordSet(25, 25), { minLength: 40, maxLength: 40 }),
        fc.array(recordSet(5, 44), { minLength: 10, maxLength: 10 }),
      ),
      { seed, numRuns: 1 },
    )[0];
    for (const [i, id] of ids.entries()) await post(id, first[i]);
    for (const [i, id] of ids.slice(0, 10).entries()) await post(id, again[i]); // reposts
    for (const id of ids.slice(10, 15)) {
      await tx(p.db.app, 1, async (c) => {
        await clearRecordSet(c, p.conf, stock(), id, { checkNegative: false });
        await clearRecordSet(c, p.conf, purchases(), id);
      });
      sets.delete(id);
    }
    expect(all().length).to.be.greaterThan(700);
  });

  after(() => p?.close());

  const stockRow = (e: { w: string | null; p: string | null }, extra: Row) => ({
    Warehouse: e.w,
    Product: e.p,
    ...extra,
  });

  it("balance(at) equals the sum of movements up to at, for 50 random moments", async () => {
    let nonEmpty = 0;
    const check = async (
      T: string,
      dateOnly: boolean,
      filter: { Warehouse: string; Product?: string | null } | undefined,
    ) => {
      const at = dateOnly ? T.slice(0, 10) : T;
      const limit = dateOnly ? T.slice(0, 10) + "T23:59:59" : T;
      const match = (m: Mv) =>
        m.period <= limit &&
        (!filter || (filter.Warehouse === m.w && (!("Product" in filter) || filter.Product === m.p)));
      const expected = [...model.balance(all(), match).values()]
        .filter((e) => !(e.q.isZero() && e.a.isZero()))
        .map((e) => stockRow(e, { Quantity: e.q.toFixed(3), Amount: e.a.toFixed(2) }));
      const got = await tx(p.db.app, 1, (c) => balance(c, stock(), at, filter));
      expect(canon(got), `balance at ${at} filter ${JSON.stringify(filter)}`).to.deep.equal(canon(expected));
      return got.length > 0;
    };
    // the edges: before everything, after everything, a month's start, a leap day's end, the first movement
    for (const T of [
      "2022-06-01T00:00:00",
      "2026-01-01T00:00:00",
      "2023-03-01T00:00:00",
      "2024-02-29T23:59:59",
      all()[0].period,
    ])
      if (await check(T, false, undefined)) nonEmpty++;
    const filter = fc.oneof(
      { weight: 7, arbitrary: fc.constant(undefined) },
      { weight: 2, arbitrary: fc.constantFrom(...warehouses).map((Warehouse) => ({ Warehouse })) },
      {
        weight: 1,
        arbitrary: fc
          .tuple(fc.constantFrom(...warehouses), fc.constantFrom(...products))
          .map(([Warehouse, Product]) => ({ Warehouse, Product })),
      },
    );
    // a moment of a movement three times in ten, else any; a date (its whole day) three times in ten
    const at = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...all().map((m) => m.period)) },
      { weight: 7, arbitrary: moment },
    );
    const dateOnly = fc.oneof(
      { weight: 3, arbitrary: fc.constant(true) },
      { weight: 7, arbitrary: fc.constant(false) },
    );
    await fc.assert(
      fc.asyncProperty(at, dateOnly, filter, async (T, d, f) => {
        if (await check(T, d, f)) nonEmpty++;
      }),
      { ...runs, numRuns: 45 },
    );
    expect(nonEmpty).to.be.greaterThan(30);
    const allTime = await tx(p.db.app, 1, (c) => balance(c, stock()));
    const expected = [...model.balance(all(), () => true).values()]
      .filter((e) => !(e.q.isZero() && e.a.isZero()))
      .map((e) => stockRow(e, { Quantity: e.q.toFixed(3), Amount: e.a.toFixed(2) }));
    expect(canon(allTime)).to.deep.equal(canon(expected));
  });

  /**
   * A range [from, to] as asked and as the model reads it [F, U]: dates (whole days) three times
   * in ten, from a month's start to a date 15 in a hundred, else moments.
   */
  const range: fc.Arbitrary<[string, string, string, string]> = fc
    .tuple(moment, moment, int(0, 99))
    .map(([x, y, r]) => {
      const [a, b] = x <= y ? [x, y] : [y, x];
      if (r < 30) return [a.slice(0, 10), b.slice(0, 10), a.slice(0, 10) + "T00:00:00", b.slice(0, 10) + "T23:59:59"];
      if (r < 45)
        return [a.slice(0, 7) + "-01", b.slice(0, 10), a.slice(0, 7) + "-01T00:00:00", b.slice(0, 10) + "T23:59:59"];
      return [a, b, a, b];
    });
  const periodicity = fc.constantFrom<P>("day", "month", "year", "none");

  it("turnovers(from, to, periodicity) equal the movements' sums, for 50 random ranges", async () => {
    await fc.assert(
      fc.asyncProperty(range, periodicity, async ([from, to, F, U], per) => {
        const expected = model.turnovers(all(), F, U, per).map((e) =>
          stockRow(e, {
            ...(per === "none" ? {} : { period: e.period }),
            QuantityReceipt: e.qr.toFixed(3),
            QuantityExpense: e.qe.toFixed(3),
            QuantityTurnover: e.qr.minus(e.qe).toFixed(3),
            AmountReceipt: e.ar.toFixed(2),
            AmountExpense: e.ae.toFixed(2),
            AmountTurnover: e.ar.minus(e.ae).toFixed(2),
          }),
        );
        const got = await tx(p.db.app, 1, (c) => turnovers(c, stock(), from, to, per));
        expect(canon(got), `turnovers ${from}..${to} by ${per}`).to.deep.equal(canon(expected));
        // The turnover register: receipts only, keyed by product.
        const bought = new Map<string, { period: string; p: string | null; q: Decimal; a: Decimal }>();
        for (const m of all()) {
          if (m.kind !== 1 || m.period < F || m.period > U) continue;
          const k = model.start(m.period, per) + JSON.stringify(m.p);
          const e = bought.get(k) ?? {
            period: model.start(m.period, per),
            p: m.p,
            q: new Decimal(0),
            a: new Decimal(0),
          };
          (e.q = e.q.plus(m.q)), (e.a = e.a.plus(m.a));
          bought.set(k, e);
        }
        const exp2 = [...bought.values()]
          .filter((e) => !(e.q.isZero() && e.a.isZero()))
          .map((e) => ({
            ...(per === "none" ? {} : { period: e.period }),
            Product: e.p,
            Quantity: e.q.toFixed(3),
            Amount: e.a.toFixed(2),
          }));
        const got2 = await tx(p.db.app, 1, (c) => turnovers(c, purchases(), from, to, per));
        expect(canon(got2), `purchases ${from}..${to} by ${per}`).to.deep.equal(canon(exp2));
      }),
      runs,
    );
  });

  it("balanceAndTurnovers: opening, receipt, expense and closing per period agree with the model", async () => {
    const filters = fc.oneof(
      { weight: 7, arbitrary: fc.constant(undefined) },
      { weight: 3, arbitrary: fc.constantFrom(...products).map((Product) => ({ Product })) },
    );
    await fc.assert(
      fc.asyncProperty(range, periodicity, filters, async ([from, to, F, U], per, filter) => {
        const mvs = all().filter((m) => !filter || m.p === filter.Product);
        const got = await tx(p.db.app, 1, (c) => balanceAndTurnovers(c, stock(), from, to, per, filter));
        const turns = model.turnovers(mvs, F, U, per);
        const opening = model.balance(mvs, (m) => m.period < F);
        // Which rows: every (key, period) with turnovers; a key with only an opening balance gets the first period.
        const want = new Set(turns.map((t) => `${t.period}|${model.key(t)}`));
        for (const [k, e] of opening)
          if (!(e.q.isZero() && e.a.isZero()) && !turns.some((t) => model.key(t) === k))
            want.add(`${model.start(F, per)}|${k}`);
        const gotKeys = got.map(
          (r) => `${r.period ?? ""}|${model.key({ w: r.Warehouse as string | null, p: r.Product as string | null })}`,
        );
        expect(new Set(gotKeys), `rows of ${from}..${to} by ${per}`).to.deep.equal(want);
        expect(gotKeys.length).to.equal(want.size);
        for (const r of got) {
          const k = model.key({ w: r.Warehouse as string | null, p: r.Product as string | null });
          const ps = per === "none" ? F : (r.period as string) + "T00:00:00";
          const lo = ps > F ? ps : F;
          const pe = per === "none" ? U : periodEnd(r.period as string, per);
          const hi = pe < U ? pe : U;
          const open = model.balance(mvs, (m) => m.period < lo).get(k);
          const close = model.balance(mvs, (m) => m.period <= hi).get(k);
          const t = model.turnovers(mvs, lo, hi, "none").find((x) => model.key(x) === k);
          const z = new Decimal(0);
          const ctx = `${from}..${to} by ${per}, row ${JSON.stringify(r)}`;
          expect(r.QuantityOpening, ctx).to.equal((open?.q ?? z).toFixed(3));
          expect(r.AmountOpening, ctx).to.equal((open?.a ?? z).toFixed(2));
          expect(r.QuantityClosing, ctx).to.equal((close?.q ?? z).toFixed(3));
          expect(r.AmountClosing, ctx).to.equal((close?.a ?? z).toFixed(2));
          expect(r.QuantityReceipt, ctx).to.equal((t?.qr ?? z).toFixed(3));
          expect(r.AmountExpense, ctx).to.equal((t?.ae ?? z).toFixed(2));
        }
      }),
      runs,
    );
  });

  it("verify finds no difference between the totals and the movements", async () => {
    const diffs = await tx(p.db.app, 1, async (c) => [
      ...(await verify(c, stock())),
      ...(await verify(c, purchases())),
    ]);
    expect(diffs).to.deep.equal([]);
    const n = await p.db.owner.query(
      "SELECT (SELECT count(*) FROM acc_stock__totals)::int AS t, (SELECT count(*) FROM acc_stock)::int AS m",
    );
    expect(n.rows[0].m).to.equal(all().length);
    expect(n.rows[0].t).to.be.greaterThan(100);
  });
});
