// Accumulation registers against a brute-force model: 1,000 random movements (receipts and
// expenses over ~2 years, ~40 recorders, some record sets rewritten or cleared), then balance,
// turnovers and balanceAndTurnovers at 50 random moments must equal sums computed in JS with
// Decimal over the movements. A seeded PRNG makes a failure reproducible (REG_SEED=…).
import { expect } from "chai";
import { randomUUID } from "node:crypto";
import { Decimal } from "decimal.js";
import { testPlatform } from "../helpers/db.ts";
import type { Platform } from "../../server/platform.ts";
import { tx } from "../../server/storage/db.ts";
import { balance, balanceAndTurnovers, turnovers, verify, writeRecordSet, clearRecordSet, type MovementInput } from "../../server/registers/index.ts";
import { seeded } from "../helpers/random.ts";

type Row = Record<string, unknown>;
type P = "day" | "month" | "year" | "none";

const prng = seeded;

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
    return p === "day" ? ts.slice(0, 10) : p === "month" ? ts.slice(0, 7) + "-01" : p === "year" ? ts.slice(0, 4) + "-01-01" : "";
  },
  balance(mvs: Mv[], pred: (m: Mv) => boolean): Map<string, { w: string | null; p: string | null; q: Decimal; a: Decimal }> {
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
    const out = new Map<string, { period: string; w: string | null; p: string | null; qr: Decimal; qe: Decimal; ar: Decimal; ae: Decimal }>();
    for (const m of mvs) {
      if (m.period < F || m.period > U) continue;
      const period = model.start(m.period, p);
      const k = period + model.key(m);
      const e = out.get(k) ?? { period, w: m.w, p: m.p, qr: new Decimal(0), qe: new Decimal(0), ar: new Decimal(0), ae: new Decimal(0) };
      if (m.kind === 1) (e.qr = e.qr.plus(m.q)), (e.ar = e.ar.plus(m.a));
      else (e.qe = e.qe.plus(m.q)), (e.ae = e.ae.plus(m.a));
      out.set(k, e);
    }
    return [...out.values()].filter((e) => !(e.qr.isZero() && e.qe.isZero() && e.ar.isZero() && e.ae.isZero()));
  },
};

const canon = (rows: Row[]) => rows.map((r) => JSON.stringify(Object.keys(r).sort().map((k) => [k, r[k]]))).sort();

function periodEnd(start: string, p: P): string {
  const [y, m] = [Number(start.slice(0, 4)), Number(start.slice(5, 7))];
  if (p === "day") return start + "T23:59:59";
  if (p === "month") return `${start.slice(0, 8)}${pad(lastDay(y, m))}T23:59:59`;
  return `${y}-12-31T23:59:59`;
}

describe("accumulation registers against a brute-force model", function () {
  this.timeout(300_000);
  const seed = Number(process.env.REG_SEED ?? 20240611);
  const R = prng(seed);
  let p: Platform;
  const warehouses: string[] = [];
  const products: (string | null)[] = [];
  const sets = new Map<string, Mv[]>();
  const all = () => [...sets.values()].flat();
  const stock = () => p.conf.accumulationRegisters.get("Stock")!;
  const purchases = () => p.conf.accumulationRegisters.get("Purchases")!;

  function randomMoment(): string {
    const y = 2023 + R.int(2), m = 1 + R.int(12);
    const r = R.next();
    if (r < 0.1) return `${y}-${pad(m)}-01T00:00:00`;
    if (r < 0.2) return `${y}-${pad(m)}-${pad(lastDay(y, m))}T23:59:59`;
    return `${y}-${pad(m)}-${pad(1 + R.int(lastDay(y, m)))}T${pad(R.int(24))}:${pad(R.int(60))}:${pad(R.int(60))}`;
  }

  function randomSet(n: number): Mv[] {
    return Array.from({ length: n }, () => ({
      period: randomMoment(),
      kind: (R.next() < 0.6 ? 1 : -1) as 1 | -1,
      w: R.pick(warehouses),
      p: R.pick(products),
      q: new Decimal(R.int(100000)).div(1000),
      a: new Decimal(R.int(1000000) - 100000).div(100),
    }));
  }

  const inputs = (mvs: Mv[]): MovementInput[] =>
    mvs.map((m) => ({ period: m.period, recordKind: m.kind, values: { Warehouse: m.w, Product: m.p, Quantity: m.q.toFixed(3), Amount: m.a } }));
  const purchaseInputs = (mvs: Mv[]): MovementInput[] =>
    mvs.filter((m) => m.kind === 1).map((m) => ({ period: m.period, recordKind: 1, values: { Product: m.p, Quantity: m.q, Amount: m.a.toFixed(2) } }));

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
      for (let i = 1; i <= 3; i++) warehouses.push((await c.query(`INSERT INTO cat_warehouses(code, name) VALUES ($1, $2) RETURNING id`, [pad(i, 5), `Склад ${i}`])).rows[0].id);
      for (let i = 1; i <= 4; i++) products.push((await c.query(`INSERT INTO cat_products(code, name) VALUES ($1, $2) RETURNING id`, [pad(i, 11), `Товар ${i}`])).rows[0].id);
    });
    products.push(null); // the empty product is a key like any other
    const ids = Array.from({ length: 40 }, () => randomUUID());
    for (const id of ids) await post(id, randomSet(25));
    for (const id of ids.slice(0, 10)) await post(id, randomSet(5 + R.int(40))); // reposts
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

  const stockRow = (e: { w: string | null; p: string | null }, extra: Row) => ({ Warehouse: e.w, Product: e.p, ...extra });

  it("balance(at) equals the sum of movements up to at, for 50 random moments", async () => {
    let nonEmpty = 0;
    for (let i = 0; i < 50; i++) {
      const T = i < 5 ? ["2022-06-01T00:00:00", "2026-01-01T00:00:00", "2023-03-01T00:00:00", "2024-02-29T23:59:59", all()[0].period][i] : R.next() < 0.3 ? R.pick(all()).period : randomMoment();
      const dateOnly = R.next() < 0.3;
      const at = dateOnly ? T.slice(0, 10) : T;
      const limit = dateOnly ? T.slice(0, 10) + "T23:59:59" : T;
      const filter = R.next() < 0.3 ? { Warehouse: R.pick(warehouses) } : R.next() < 0.2 ? { Warehouse: R.pick(warehouses), Product: R.pick(products) } : undefined;
      const match = (m: Mv) => m.period <= limit && (!filter || ((filter as Row).Warehouse === m.w && (!("Product" in filter) || (filter as Row).Product === m.p)));
      const expected = [...model.balance(all(), match).values()]
        .filter((e) => !(e.q.isZero() && e.a.isZero()))
        .map((e) => stockRow(e, { Quantity: e.q.toFixed(3), Amount: e.a.toFixed(2) }));
      const got = await tx(p.db.app, 1, (c) => balance(c, stock(), at, filter));
      expect(canon(got), `balance at ${at} filter ${JSON.stringify(filter)} (seed ${seed})`).to.deep.equal(canon(expected));
      if (got.length) nonEmpty++;
    }
    expect(nonEmpty).to.be.greaterThan(30);
    const allTime = await tx(p.db.app, 1, (c) => balance(c, stock()));
    const expected = [...model.balance(all(), () => true).values()].filter((e) => !(e.q.isZero() && e.a.isZero())).map((e) => stockRow(e, { Quantity: e.q.toFixed(3), Amount: e.a.toFixed(2) }));
    expect(canon(allTime)).to.deep.equal(canon(expected));
  });

  function randomRange(): [string, string, string, string] {
    let a = randomMoment(), b = randomMoment();
    if (a > b) [a, b] = [b, a];
    const r = R.next();
    if (r < 0.3) return [a.slice(0, 10), b.slice(0, 10), a.slice(0, 10) + "T00:00:00", b.slice(0, 10) + "T23:59:59"];
    if (r < 0.45) return [a.slice(0, 7) + "-01", b.slice(0, 10), a.slice(0, 7) + "-01T00:00:00", b.slice(0, 10) + "T23:59:59"];
    return [a, b, a, b];
  }

  it("turnovers(from, to, periodicity) equal the movements' sums, for 50 random ranges", async () => {
    for (let i = 0; i < 50; i++) {
      const [from, to, F, U] = randomRange();
      const per = R.pick<P>(["day", "month", "year", "none"]);
      const expected = model.turnovers(all(), F, U, per).map((e) =>
        stockRow(e, {
          ...(per === "none" ? {} : { period: e.period }),
          QuantityReceipt: e.qr.toFixed(3), QuantityExpense: e.qe.toFixed(3), QuantityTurnover: e.qr.minus(e.qe).toFixed(3),
          AmountReceipt: e.ar.toFixed(2), AmountExpense: e.ae.toFixed(2), AmountTurnover: e.ar.minus(e.ae).toFixed(2),
        }),
      );
      const got = await tx(p.db.app, 1, (c) => turnovers(c, stock(), from, to, per));
      expect(canon(got), `turnovers ${from}..${to} by ${per} (seed ${seed})`).to.deep.equal(canon(expected));
      // The turnover register: receipts only, keyed by product.
      const bought = new Map<string, { period: string; p: string | null; q: Decimal; a: Decimal }>();
      for (const m of all()) {
        if (m.kind !== 1 || m.period < F || m.period > U) continue;
        const k = model.start(m.period, per) + JSON.stringify(m.p);
        const e = bought.get(k) ?? { period: model.start(m.period, per), p: m.p, q: new Decimal(0), a: new Decimal(0) };
        (e.q = e.q.plus(m.q)), (e.a = e.a.plus(m.a));
        bought.set(k, e);
      }
      const exp2 = [...bought.values()].filter((e) => !(e.q.isZero() && e.a.isZero())).map((e) => ({ ...(per === "none" ? {} : { period: e.period }), Product: e.p, Quantity: e.q.toFixed(3), Amount: e.a.toFixed(2) }));
      const got2 = await tx(p.db.app, 1, (c) => turnovers(c, purchases(), from, to, per));
      expect(canon(got2), `purchases ${from}..${to} by ${per}`).to.deep.equal(canon(exp2));
    }
  });

  it("balanceAndTurnovers: opening, receipt, expense and closing per period agree with the model", async () => {
    for (let i = 0; i < 50; i++) {
      const [from, to, F, U] = randomRange();
      const per = R.pick<P>(["day", "month", "year", "none"]);
      const filter = R.next() < 0.3 ? { Product: R.pick(products) } : undefined;
      const mvs = all().filter((m) => !filter || m.p === filter.Product);
      const got = await tx(p.db.app, 1, (c) => balanceAndTurnovers(c, stock(), from, to, per, filter));
      const turns = model.turnovers(mvs, F, U, per);
      const opening = model.balance(mvs, (m) => m.period < F);
      // Which rows: every (key, period) with turnovers; a key with only an opening balance gets the first period.
      const want = new Set(turns.map((t) => `${t.period}|${model.key(t)}`));
      for (const [k, e] of opening) if (!(e.q.isZero() && e.a.isZero()) && !turns.some((t) => model.key(t) === k)) want.add(`${model.start(F, per)}|${k}`);
      const gotKeys = got.map((r) => `${r.period ?? ""}|${model.key({ w: r.Warehouse as string | null, p: r.Product as string | null })}`);
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
        const ctx = `${from}..${to} by ${per}, row ${JSON.stringify(r)} (seed ${seed})`;
        expect(r.QuantityOpening, ctx).to.equal((open?.q ?? z).toFixed(3));
        expect(r.AmountOpening, ctx).to.equal((open?.a ?? z).toFixed(2));
        expect(r.QuantityClosing, ctx).to.equal((close?.q ?? z).toFixed(3));
        expect(r.AmountClosing, ctx).to.equal((close?.a ?? z).toFixed(2));
        expect(r.QuantityReceipt, ctx).to.equal((t?.qr ?? z).toFixed(3));
        expect(r.AmountExpense, ctx).to.equal((t?.ae ?? z).toFixed(2));
      }
    }
  });

  it("verify finds no difference between the totals and the movements", async () => {
    const diffs = await tx(p.db.app, 1, async (c) => [...(await verify(c, stock())), ...(await verify(c, purchases()))]);
    expect(diffs).to.deep.equal([]);
    const n = await p.db.owner.query("SELECT (SELECT count(*) FROM acc_stock__totals)::int AS t, (SELECT count(*) FROM acc_stock)::int AS m");
    expect(n.rows[0].m).to.equal(all().length);
    expect(n.rows[0].t).to.be.greaterThan(100);
  });
});
