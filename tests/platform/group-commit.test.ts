// Group commit of register writes (bench/group-commit/group.ts, write-many.ts): concurrent documents
// written through the GroupWriter share transactions and write_many calls, yet the result is that
// of one transaction per document — totals verify, balances and turnovers equal brute-force sums
// of the final record sets, a document refused by negative control (also when only its place in
// the batch makes it short) gets its own negative_balance error while the others commit, and a
// repost through the writer replaces the record set.
import { expect } from "chai";
import { Decimal } from "decimal.js";
import { testPlatform } from "../helpers/db.ts";
import type { Platform } from "../../server/platform.ts";
import { tx, type Client } from "../../server/storage/db.ts";
import { UserError } from "../../server/errors.ts";
import {
  balance,
  readRecordSet,
  turnovers,
  verify,
  writeRecordSet,
  type MovementInput,
} from "../../server/registers/index.ts";
import { GroupWriter, type GroupDocument } from "../../bench/group-commit/group.ts";
import { installWriteMany } from "../../bench/group-commit/write-many.ts";

describe("accumulation registers: group commit", function () {
  this.timeout(300_000);
  let p: Platform;
  let ws: string[], ps: string[];
  const stock = () => p.conf.accumulationRegisters.get("Stock")!;
  const purchases = () => p.conf.accumulationRegisters.get("Purchases")!;
  const run = <T>(fn: (c: Client) => Promise<T>) => tx(p.db.app, 1, fn);
  const mv = (period: string, kind: 1 | -1, w: string, pr: string, q: string, a = "0"): MovementInput => ({
    period,
    recordKind: kind,
    values: { Warehouse: w, Product: pr, Quantity: q, Amount: a },
  });
  let n = 0;
  const newDoc = () =>
    run(
      async (c) =>
        (
          await c.query(
            `INSERT INTO doc_goods_receipt(number, date, warehouse) VALUES ($1, '2024-06-01', $2) RETURNING id`,
            [`G${n++}`, ws[0]],
          )
        ).rows[0].id as string,
    );
  const stockDoc = (id: string, rows: MovementInput[], checkNegative?: boolean): GroupDocument => ({
    lock: { kind: "GoodsReceipt", id },
    sets: [
      {
        register: stock(),
        recorder: { id, kind: "GoodsReceipt" },
        rows,
        options: checkNegative === undefined ? undefined : { checkNegative },
      },
    ],
  });
  const settle = (x: Promise<void>) =>
    x.then(
      () => null,
      (e: unknown) => e,
    );
  /** A product of its own, so that a test's balances start at zero. */
  const newProduct = (name: string) =>
    run(
      async (c) =>
        (
          await c.query(`INSERT INTO cat_products(code, name) VALUES (lpad($1::text, 11, '0'), $2) RETURNING id`, [
            String(100 + n++),
            name,
          ])
        ).rows[0].id as string,
    );

  before(async () => {
    p = await testPlatform();
    await installWriteMany(p.db.owner, p.conf);
    await run(async (c) => {
      ws = (
        await c.query(
          `INSERT INTO cat_warehouses(code, name) SELECT lpad(g::text, 5, '0'), 'Склад ' || g FROM generate_series(1, 3) g RETURNING id`,
        )
      ).rows.map((r) => r.id);
      ps = (
        await c.query(
          `INSERT INTO cat_products(code, name) SELECT lpad(g::text, 11, '0'), 'Товар ' || g FROM generate_series(1, 5) g RETURNING id`,
        )
      ).rows.map((r) => r.id);
    });
  });
  after(() => p?.close());

  it("keeps totals exact under concurrent group writes, reposts and clears on shared keys (two registers)", async () => {
    let seed = 7;
    const rand = () => {
      seed = (seed + 0x6d2b79f5) >>> 0;
      let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
    const day = () => `2024-0${1 + Math.floor(rand() * 6)}-${String(1 + Math.floor(rand() * 28)).padStart(2, "0")}`;
    // Stock: receipts and expenses in several months (a key may occur in two months of one
    // document: the general path); Purchases: turnovers of the same lines.
    const setFor = () => {
      const stockRows: MovementInput[] = [];
      const purchaseRows: MovementInput[] = [];
      const lines = 1 + Math.floor(rand() * 6);
      for (let i = 0; i < lines; i++) {
        const kind = rand() < 0.3 ? -1 : 1;
        const m = mv(
          `${day()}T12:00:00`,
          kind,
          pick(ws),
          pick(ps),
          `${Math.floor(rand() * 50)}.${Math.floor(rand() * 1000)}`,
          `${Math.floor(rand() * 900)}.${Math.floor(rand() * 100)}`,
        );
        stockRows.push(m);
        if (kind === 1)
          purchaseRows.push({
            period: m.period,
            recordKind: 1,
            values: { Product: m.values.Product, Quantity: m.values.Quantity, Amount: m.values.Amount },
          });
      }
      return { stockRows, purchaseRows };
    };
    const docs = await Promise.all(Array.from({ length: 240 }, () => newDoc()));
    const final = new Map<string, ReturnType<typeof setFor>>();
    const gw = new GroupWriter(p.db.app, p.conf, { maxDocs: 16 });
    const post = (id: string, set: ReturnType<typeof setFor>) =>
      gw
        .write(1, {
          lock: { kind: "GoodsReceipt", id },
          sets: [
            {
              register: stock(),
              recorder: { id, kind: "GoodsReceipt" },
              rows: set.stockRows,
              options: { checkNegative: false },
            },
            { register: purchases(), recorder: { id, kind: "GoodsReceipt" }, rows: set.purchaseRows },
          ],
        })
        .then(() => void final.set(id, set));
    // Round 1: every document posted by 8 concurrent posters; round 2: a third reposted, a
    // sixth cleared, some twice at once (the writer keeps one document out of a batch in flight).
    const posters = async (jobs: (() => Promise<void>)[]) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < jobs.length) await jobs[next++]();
        }),
      );
    };
    await posters(docs.map((id) => () => post(id, setFor())));
    const round2: (() => Promise<void>)[] = [];
    docs.forEach((id, i) => {
      if (i % 3 === 0) round2.push(() => post(id, setFor()));
      if (i % 6 === 1) round2.push(() => post(id, { stockRows: [], purchaseRows: [] }));
      if (i % 12 === 0) round2.push(() => post(id, setFor()));
    });
    await posters(round2);
    await gw.drain();
    expect(gw.stats.batches, "documents were combined into batches").to.be.greaterThan(10);
    expect(gw.stats.batchedDocuments / gw.stats.batches).to.be.greaterThan(2);
    expect(gw.stats.failedBatches).to.equal(0);

    expect(await run((c) => verify(c, stock()))).to.deep.equal([]);
    expect(await run((c) => verify(c, purchases()))).to.deep.equal([]);
    // The stored record sets are the last ones written.
    for (const id of docs.slice(0, 40)) {
      const stored = await run((c) => readRecordSet(c, stock(), id));
      const want = final.get(id)!.stockRows;
      expect(
        stored.map((r) => [r.period, r.recordKind, r.Product, new Decimal(String(r.Quantity)).toString()]),
      ).to.deep.equal(
        want.map((m) => [
          m.period,
          m.recordKind === 1 ? "receipt" : "expense",
          m.values.Product,
          new Decimal(String(m.values.Quantity)).toString(),
        ]),
      );
    }
    // Balances at several moments and turnovers equal brute-force sums over the final sets.
    const key = (...xs: unknown[]) => xs.join("|");
    for (const at of ["2024-02-14", "2024-04-30", "2024-05-01", undefined]) {
      const want = new Map<string, [Decimal, Decimal]>();
      for (const set of final.values())
        for (const m of set.stockRows) {
          if (at && m.period.slice(0, 10) > at) continue;
          const k = key(m.values.Warehouse, m.values.Product);
          const [q0, a0] = want.get(k) ?? [new Decimal(0), new Decimal(0)];
          want.set(k, [
            q0.plus(new Decimal(String(m.values.Quantity)).times(m.recordKind)),
            a0.plus(new Decimal(String(m.values.Amount)).times(m.recordKind)),
          ]);
        }
      for (const [k, [q0, a0]] of want) if (q0.isZero() && a0.isZero()) want.delete(k);
      const got = await run((c) => balance(c, stock(), at));
      expect(got.length, `keys at ${at}`).to.equal(want.size);
      for (const r of got) {
        const w = want.get(key(r.Warehouse, r.Product));
        expect(w, `key at ${at}`).to.not.equal(undefined);
        expect([String(r.Quantity), String(r.Amount)], `balance at ${at}`).to.deep.equal([
          w![0].toFixed(3),
          w![1].toFixed(2),
        ]);
      }
    }
    const bought = new Map<string, Decimal>();
    for (const set of final.values())
      for (const m of set.purchaseRows)
        bought.set(
          String(m.values.Product),
          (bought.get(String(m.values.Product)) ?? new Decimal(0)).plus(String(m.values.Quantity)),
        );
    const t = await run((c) => turnovers(c, purchases(), "2024-01-01", "2024-12-31"));
    expect(Object.fromEntries(t.map((r) => [r.Product, String(r.Quantity)]))).to.deep.equal(
      Object.fromEntries([...bought].filter(([, v]) => !v.isZero()).map(([k, v]) => [k, v.toFixed(3)])),
    );
  });

  it("refuses only the document that goes short, by its place in the batch; the others commit", async () => {
    const [w, pr, other] = [ws[2], await newProduct("Гайки"), await newProduct("Шайбы")];
    const gw = new GroupWriter(p.db.app, p.conf, { inFlight: 1 });
    const seedDoc = await newDoc();
    await gw.write(1, stockDoc(seedDoc, [mv("2024-07-01T00:00:00", 1, w, pr, "10", "100")]));
    // A blocker takes the only slot, so the next four wait and go as one batch, in this order:
    // A receipt elsewhere; B takes 15 of the 10 (short, though C's receipt of 10 comes after it
    // and the batch as a whole ends at +5); C that receipt; D takes 3 after C (fine: 10 + 10 − 3).
    const ids = await Promise.all(Array.from({ length: 5 }, () => newDoc()));
    const [blocker, a, b, c, d] = ids;
    const results = [
      settle(gw.write(1, stockDoc(blocker, [mv("2024-07-02T00:00:00", 1, ws[0], other, "1", "1")]))),
      settle(gw.write(1, stockDoc(a, [mv("2024-07-03T00:00:00", 1, ws[1], other, "2", "2")]))),
      settle(gw.write(1, stockDoc(b, [mv("2024-07-04T00:00:00", -1, w, pr, "15", "150")]))),
      settle(gw.write(1, stockDoc(c, [mv("2024-07-05T00:00:00", 1, w, pr, "10", "100")]))),
      settle(gw.write(1, stockDoc(d, [mv("2024-07-06T00:00:00", -1, w, pr, "3", "30")]))),
    ];
    const [r0, ra, rb, rc, rd] = await Promise.all(results);
    expect([r0, ra, rc, rd]).to.deep.equal([null, null, null, null]);
    expect(rb).to.be.instanceOf(UserError);
    expect((rb as UserError).code).to.equal("negative_balance");
    expect((rb as UserError).message).to.equal(
      "Остатки товаров: не хватает 5.000 (Количество), 50.00 (Сумма) по ключу Склад=Склад 3, Номенклатура=Гайки",
    );
    expect(gw.stats.failedBatches, "the batch of four failed and was retried one by one").to.equal(1);
    expect(await run((cl) => readRecordSet(cl, stock(), b))).to.deep.equal([]);
    for (const id of [a, c, d]) expect(await run((cl) => readRecordSet(cl, stock(), id))).to.have.length(1);
    expect(await run((cl) => balance(cl, stock(), undefined, { Warehouse: w, Product: pr }))).to.deep.equal([
      { Warehouse: w, Product: pr, Quantity: "17.000", Amount: "170.00" },
    ]);

    // The same shortage in the other order within one batch (receipt first) is no shortage:
    // the batch commits as a whole.
    const [blocker2, e, f] = await Promise.all(Array.from({ length: 3 }, () => newDoc()));
    const second = await Promise.all([
      settle(gw.write(1, stockDoc(blocker2, [mv("2024-07-07T00:00:00", 1, ws[0], other, "1", "1")]))),
      settle(gw.write(1, stockDoc(e, [mv("2024-07-08T00:00:00", 1, w, pr, "10", "100")]))),
      settle(gw.write(1, stockDoc(f, [mv("2024-07-09T00:00:00", -1, w, pr, "25", "250")]))),
    ]);
    expect(second).to.deep.equal([null, null, null]);
    expect(gw.stats.failedBatches).to.equal(1);
    expect(gw.stats.batches, "only the second batch committed as one").to.equal(1);
    expect(await run((cl) => balance(cl, stock(), undefined, { Warehouse: w, Product: pr }))).to.deep.equal([
      { Warehouse: w, Product: pr, Quantity: "2.000", Amount: "20.00" },
    ]);
    // A repost that lowers a key below zero is refused the same way (here: the receipt removed).
    const [blocker3] = await Promise.all([newDoc()]);
    const third = await Promise.all([
      settle(gw.write(1, stockDoc(blocker3, [mv("2024-07-10T00:00:00", 1, ws[0], other, "1", "1")]))),
      settle(gw.write(1, stockDoc(e, [mv("2024-07-08T00:00:00", 1, ws[1], pr, "10", "100")]))),
      settle(gw.write(1, stockDoc(a, [mv("2024-07-03T00:00:00", 1, ws[1], other, "5", "5")]))),
    ]);
    expect(third[0]).to.equal(null);
    expect((third[1] as UserError).code).to.equal("negative_balance");
    expect(third[2]).to.equal(null);
    expect(await run((cl) => verify(cl, stock()))).to.deep.equal([]);
  });

  it("documents of different data areas never share a batch; each lands in its own area", async () => {
    const gw = new GroupWriter(p.db.app, p.conf, { inFlight: 1 });
    const pr = await newProduct("Болты");
    // area 2 has its own warehouse and product rows, under the same ids (references stay within an area)
    await tx(p.db.app, 2, async (c) => {
      await c.query(
        `INSERT INTO cat_warehouses(id, code, name) VALUES ($1, 'W2', 'Склад области 2') ON CONFLICT DO NOTHING`,
        [ws[0]],
      );
      await c.query(`INSERT INTO cat_products(id, code, name) VALUES ($1, 'P2', 'Болты области 2')`, [pr]);
    });
    const inArea = (area: number) =>
      tx(
        p.db.app,
        area,
        async (c) =>
          (
            await c.query(
              `INSERT INTO doc_goods_receipt(number, date, warehouse) VALUES ($1, '2024-06-01', $2) RETURNING id`,
              [`A${n++}`, ws[0]],
            )
          ).rows[0].id as string,
      );
    const [blocker, a1, c1] = [await inArea(1), await inArea(1), await inArea(1)];
    const [b2, d2] = [await inArea(2), await inArea(2)];
    const one = (id: string, q: string) => stockDoc(id, [mv("2024-10-01T00:00:00", 1, ws[0], pr, q, q)]);
    await Promise.all([
      gw.write(1, one(blocker, "1")),
      gw.write(1, one(a1, "2")),
      gw.write(2, one(b2, "30")),
      gw.write(1, one(c1, "4")),
      gw.write(2, one(d2, "50")),
    ]);
    expect([gw.stats.batches, gw.stats.batchedDocuments]).to.deep.equal([2, 4]);
    const bal = (area: number) =>
      tx(p.db.app, area, (c) => balance(c, stock(), undefined, { Warehouse: ws[0], Product: pr }));
    expect((await bal(1)).map((r) => r.Quantity)).to.deep.equal(["7.000"]);
    expect((await bal(2)).map((r) => r.Quantity)).to.deep.equal(["80.000"]);
    expect(await tx(p.db.app, 1, (c) => readRecordSet(c, stock(), b2))).to.deep.equal([]);
    expect(await tx(p.db.app, 2, (c) => readRecordSet(c, stock(), b2))).to.have.length(1);
    expect(await tx(p.db.app, 2, (c) => verify(c, stock()))).to.deep.equal([]);
  });

  it("a repost through the writer replaces the record set, batched with other documents", async () => {
    const gw = new GroupWriter(p.db.app, p.conf, { inFlight: 1 });
    const id = await newDoc();
    const w = ws[1],
      pr = await newProduct("Винты");
    await gw.write(
      1,
      stockDoc(id, [mv("2024-08-10T10:00:00", 1, w, pr, "7", "70"), mv("2024-09-10T10:00:00", 1, w, pr, "1", "10")]),
    );
    const others = await Promise.all(Array.from({ length: 4 }, () => newDoc()));
    const before = await run((c) => balance(c, stock(), undefined, { Warehouse: w, Product: pr }));
    await Promise.all([
      gw.write(1, stockDoc(others[0], [mv("2024-08-11T00:00:00", 1, ws[0], pr, "1", "1")])),
      gw.write(1, stockDoc(id, [mv("2024-08-20T10:00:00", 1, w, pr, "2", "20")])),
      ...others.slice(1).map((o, i) => gw.write(1, stockDoc(o, [mv(`2024-08-1${i}T00:00:00`, 1, w, pr, "1", "1")]))),
    ]);
    expect(gw.stats.batches).to.equal(1);
    expect(gw.stats.batchedDocuments).to.equal(4);
    expect(await run((c) => readRecordSet(c, stock(), id))).to.deep.equal([
      {
        line: 1,
        period: "2024-08-20T10:00:00",
        recordKind: "receipt",
        Warehouse: w,
        Product: pr,
        Quantity: "2.000",
        Amount: "20.00",
      },
    ]);
    const q0 = new Decimal(String(before[0].Quantity));
    expect(await run((c) => balance(c, stock(), undefined, { Warehouse: w, Product: pr }))).to.deep.equal([
      {
        Warehouse: w,
        Product: pr,
        Quantity: q0.minus(8).plus(2).plus(3).toFixed(3),
        Amount: new Decimal(String(before[0].Amount)).minus(80).plus(20).plus(3).toFixed(2),
      },
    ]);
    const sept = await p.db.owner.query(
      `SELECT count(*)::int AS n FROM acc_stock__totals WHERE warehouse = $1 AND product = $2 AND month = '2024-09-01'`,
      [w, pr],
    );
    expect(sept.rows[0].n, "the emptied September row is dropped").to.equal(0);
    expect(await run((c) => verify(c, stock()))).to.deep.equal([]);
    // The single path and the writer agree: clearing through writeRecordSet leaves nothing.
    await run((c) => writeRecordSet(c, p.conf, stock(), { id, kind: "GoodsReceipt" }, []));
    expect(await run((c) => readRecordSet(c, stock(), id))).to.deep.equal([]);
  });
});
