// The register engine's write paths agree: the same random sequences of record-set writes (posts,
// reposts over a changed set, clears) go through
//  - the small path: writeRecordSet of a set up to COPY_THRESHOLD rows → acc_<r>__write (jsonb);
//  - the staged path: StagedStream (COPY into the staging table) → acc_<r>__write_staged, here
//    for sets of any size, so both paths see the same small random sets;
//  - the group writer (bench/group-commit: GroupWriter → acc_<r>__write_many), the writes of distinct recorders
//    submitted together so they share batches;
// and each must leave identical movements, month totals and balances — equal, too, to a brute-force
// model in Decimal — with verify() clean. A second property, with negative control on, checks that
// the small and staged paths refuse the same writes. Sequences are fast-check samples from a fixed
// seed (REG_SEED=… tries another); a failure prints the seed and the failing sequence.
import { expect } from "chai";
import { randomUUID } from "node:crypto";
import { Decimal } from "decimal.js";
import fc from "fast-check";
import { testPlatform } from "../helpers/db.ts";
import type { Platform } from "../../server/platform.ts";
import { tx, type Client } from "../../server/storage/db.ts";
import { UserError } from "../../server/errors.ts";
import { StagedStream, verify, writeRecordSet, type MovementInput } from "../../server/registers/index.ts";
import { GroupWriter } from "../../bench/group-commit/group.ts";
import { installWriteMany } from "../../bench/group-commit/write-many.ts";

const seed = Number(process.env.REG_SEED ?? 20261206);
const pad = (n: number, w = 2) => String(n).padStart(w, "0");

interface Mv {
  period: string;
  kind: 1 | -1;
  w: number;
  p: number;
  q: string;
  a: string;
}
/** One write: recorder number `r` gets the set `mvs` (empty: cleared). */
interface Op {
  r: number;
  mvs: Mv[];
}

const moment = fc
  .record({
    y: fc.integer({ min: 2024, max: 2025 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 28 }),
    h: fc.integer({ min: 0, max: 23 }),
  })
  .map(({ y, m, d, h }) => `${y}-${pad(m)}-${pad(d)}T${pad(h)}:00:00`);
const mv: fc.Arbitrary<Mv> = fc.record({
  period: moment,
  kind: fc.constantFrom<1 | -1>(1, 1, -1),
  w: fc.integer({ min: 0, max: 2 }),
  p: fc.integer({ min: 0, max: 3 }),
  q: fc.integer({ min: 0, max: 99_999 }).map((n) => new Decimal(n).div(1000).toFixed(3)),
  a: fc.integer({ min: -50_000, max: 999_999 }).map((n) => new Decimal(n).div(100).toFixed(2)),
});
/** A sequence of writes over 6 recorders; a set is empty one time in six (a clear). */
const ops = fc.array(
  fc.record({
    r: fc.integer({ min: 0, max: 5 }),
    mvs: fc.oneof(
      { weight: 1, arbitrary: fc.constant([] as Mv[]) },
      { weight: 5, arbitrary: fc.array(mv, { minLength: 1, maxLength: 12 }) },
    ),
  }),
  { minLength: 1, maxLength: 14 },
);

type Path = "small" | "staged" | "group";

describe("accumulation registers: every write path gives the same movements and totals", function () {
  this.timeout(600_000);
  let p: Platform;
  const ws: string[] = [];
  const ps: string[] = [];
  const recorders = Array.from({ length: 6 }, () => randomUUID());
  const stock = () => p.conf.accumulationRegisters.get("Stock")!;
  const purchases = () => p.conf.accumulationRegisters.get("Purchases")!;
  /** What the sequences exercised (so a property cannot pass vacuously). */
  const seen = { batches: 0, refused: 0 };

  const stockRows = (mvs: Mv[]): MovementInput[] =>
    mvs.map((m) => ({
      period: m.period,
      recordKind: m.kind,
      values: { Warehouse: ws[m.w], Product: ps[m.p], Quantity: m.q, Amount: m.a },
    }));
  const purchaseRows = (mvs: Mv[]): MovementInput[] =>
    mvs
      .filter((m) => m.kind === 1)
      .map((m) => ({ period: m.period, recordKind: 1, values: { Product: ps[m.p], Quantity: m.q, Amount: m.a } }));

  before(async () => {
    p = await testPlatform();
    await installWriteMany(p.db.owner, p.conf);
    await tx(p.db.app, 1, async (c) => {
      for (let i = 1; i <= 3; i++)
        ws.push(
          (
            await c.query(`INSERT INTO cat_warehouses(code, name) VALUES ($1, $2) RETURNING id`, [
              pad(i, 5),
              `Склад П${i}`,
            ])
          ).rows[0].id,
        );
      for (let i = 1; i <= 4; i++)
        ps.push(
          (
            await c.query(`INSERT INTO cat_products(code, name) VALUES ($1, $2) RETURNING id`, [
              pad(90 + i, 11),
              `Товар П${i}`,
            ])
          ).rows[0].id,
        );
    });
  });
  after(async () => {
    await p?.close();
  });

  /** Empties the registers' tables (as the owner: the test starts every sequence from nothing). */
  async function reset(): Promise<void> {
    await p.db.owner.query(
      `TRUNCATE acc_stock, acc_stock__totals, acc_stock__balance, acc_purchases, acc_purchases__totals`,
    );
  }

  /** One record set written by `path`'s single-document way in the caller's transaction. */
  async function writeOne(c: Client, path: "small" | "staged", r: number, mvs: Mv[], check: boolean): Promise<void> {
    const recorder = { id: recorders[r], kind: "GoodsReceipt" };
    for (const [reg, rows, opts] of [
      [purchases(), purchaseRows(mvs), {}],
      [stock(), stockRows(mvs), { checkNegative: check }],
    ] as const) {
      if (path === "small") await writeRecordSet(c, p.conf, reg, recorder, rows, opts);
      else {
        const stream = new StagedStream(
          c,
          p.conf,
          reg,
          {
            count: rows.length,
            at: (i) => rows[i],
            check: (opts.checkNegative ?? false) && reg.registerKind === "balance",
          },
          recorder,
        );
        await (await stream.queue()).done;
      }
    }
  }

  /** Writes the sequence through `path`; per write its outcome ("ok" or the refusal's code). */
  async function run(path: Path, seq: Op[], check: boolean): Promise<string[]> {
    await reset();
    if (path !== "group") {
      const out: string[] = [];
      for (const op of seq) {
        try {
          await tx(p.db.app, 1, (c) => writeOne(c, path, op.r, op.mvs, check));
          out.push("ok");
        } catch (e) {
          if (!(e instanceof UserError)) throw e;
          out.push(e.code);
          if (path === "small") seen.refused++;
        }
      }
      return out;
    }
    // The group writer: writes of distinct recorders go together (a recorder's next write waits
    // for the round after), so they share batches and write_many calls.
    const gw = new GroupWriter(p.db.app, p.conf, { inFlight: 1, minConcurrent: 1 });
    const rounds: Op[][] = [];
    const nextRound = new Map<number, number>();
    for (const op of seq) {
      const i = nextRound.get(op.r) ?? 0;
      (rounds[i] ??= []).push(op);
      nextRound.set(op.r, i + 1);
    }
    for (const round of rounds)
      await Promise.all(
        round.map((op) =>
          gw.write(1, {
            sets: [
              {
                register: stock(),
                recorder: { id: recorders[op.r], kind: "GoodsReceipt" },
                rows: stockRows(op.mvs),
                options: { checkNegative: false },
              },
              {
                register: purchases(),
                recorder: { id: recorders[op.r], kind: "GoodsReceipt" },
                rows: purchaseRows(op.mvs),
              },
            ],
          }),
        ),
      );
    await gw.drain();
    seen.batches += gw.stats.batches;
    return seq.map(() => "ok");
  }

  /** Numbers as Decimal text, so 1.500 and 1.5 compare equal (the values, not their scale). */
  const norm = (v: unknown) =>
    typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v)
      ? new Decimal(v).toString()
      : v instanceof Date
        ? v.toISOString()
        : v;
  const rowsOf = async (sql: string) =>
    (await tx(p.db.app, 1, (c) => c.query(sql))).rows.map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, norm(v)])),
    );

  /** The registers' tables, ordered by their keys. */
  async function dump() {
    return {
      stock: await rowsOf(
        `SELECT recorder, line, period, record_kind, warehouse, product, quantity, amount FROM acc_stock ORDER BY recorder, line`,
      ),
      stockTotals: await rowsOf(`SELECT * FROM acc_stock__totals ORDER BY warehouse, product, month`),
      stockBalance: await rowsOf(`SELECT * FROM acc_stock__balance ORDER BY warehouse, product`),
      purchases: await rowsOf(
        `SELECT recorder, line, period, record_kind, product, quantity, amount FROM acc_purchases ORDER BY recorder, line`,
      ),
      purchaseTotals: await rowsOf(`SELECT * FROM acc_purchases__totals ORDER BY product, month`),
    };
  }

  /** The brute-force model: the final set per recorder, balances per key summed in Decimal. */
  function modelBalance(seq: Op[]): Map<string, { q: string; a: string }> {
    const last = new Map<number, Mv[]>();
    for (const op of seq) last.set(op.r, op.mvs);
    const out = new Map<string, { q: Decimal; a: Decimal }>();
    for (const mvs of last.values())
      for (const m of mvs) {
        const k = `${ws[m.w]}|${ps[m.p]}`;
        const e = out.get(k) ?? { q: new Decimal(0), a: new Decimal(0) };
        out.set(k, { q: e.q.plus(new Decimal(m.q).times(m.kind)), a: e.a.plus(new Decimal(m.a).times(m.kind)) });
      }
    return new Map(
      [...out]
        .filter(([, v]) => !(v.q.isZero() && v.a.isZero()))
        .map(([k, v]) => [k, { q: v.q.toString(), a: v.a.toString() }]),
    );
  }

  async function clean(): Promise<void> {
    await tx(p.db.app, 1, async (c) => {
      expect(await verify(c, stock()), "verify(Stock)").to.deep.equal([]);
      expect(await verify(c, purchases()), "verify(Purchases)").to.deep.equal([]);
    });
  }

  it("small, staged and group-writer paths: identical tables, equal to the model, verify clean", async () => {
    await fc.assert(
      fc.asyncProperty(ops, async (seq) => {
        const small = (await run("small", seq, false), await dump());
        await clean();
        const balances = new Map(
          small.stockBalance.map((b) => [
            `${b.warehouse}|${b.product}`,
            { q: b.quantity as string, a: b.amount as string },
          ]),
        );
        expect(balances, "the balance equals the model's").to.deep.equal(modelBalance(seq));
        for (const path of ["staged", "group"] as const) {
          await run(path, seq, false);
          expect(await dump(), `${path} path: the same tables as the small path`).to.deep.equal(small);
          await clean();
        }
      }),
      { seed, numRuns: Number(process.env.REG_RUNS ?? 25), endOnFailure: true },
    );
    expect(seen.batches, "the group writer shared batches").to.be.greaterThan(0);
  });

  it("with negative control, the small and staged paths refuse the same writes and keep the same tables", async () => {
    await fc.assert(
      fc.asyncProperty(ops, async (seq) => {
        const outcomes = await run("small", seq, true);
        const small = await dump();
        await clean();
        expect(await run("staged", seq, true), "the same writes refused").to.deep.equal(outcomes);
        expect(await dump(), "the staged path: the same tables").to.deep.equal(small);
        await clean();
      }),
      { seed: seed + 1, numRuns: Number(process.env.REG_RUNS ?? 25), endOnFailure: true },
    );
    expect(seen.refused, "some writes were refused").to.be.greaterThan(0);
  });
});
