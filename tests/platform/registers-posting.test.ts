// Writing accumulation registers: repost replaces the record set, clear removes it, the negative
// balance control refuses and leaves nothing behind, concurrent posters on shared keys keep the
// totals exact, verify notices a corrupted total and rebuild repairs it, large record sets go
// through COPY (and past 1000 keys take the register's data-area lock), and bad input is refused by name.
import { expect } from "chai";
import { randomUUID } from "node:crypto";
import { Decimal } from "decimal.js";
import { testPlatform, WAREHOUSE } from "../helpers/db.ts";
import { tracked, waitFor } from "../helpers/wait.ts";
import type { Platform } from "../../server/platform.ts";
import { tx, type Client } from "../../server/storage/db.ts";
import { UserError } from "../../server/errors.ts";
import {
  balance,
  clearRecordSet,
  readRecordSet,
  rebuild,
  turnovers,
  verify,
  writeRecordSet,
  COPY_THRESHOLD,
  type MovementInput,
} from "../../server/registers/index.ts";

type Row = Record<string, unknown>;

describe("accumulation registers: posting", function () {
  this.timeout(300_000);
  let p: Platform;
  let w1: string, w2: string, p1: string, p2: string;
  const stock = () => p.conf.accumulationRegisters.get("Stock")!;
  const run = <T>(fn: (c: Client) => Promise<T>) => tx(p.db.app, 1, fn);
  const mv = (period: string, kind: 1 | -1, w: string, pr: string, q: string, a = "0"): MovementInput => ({
    period,
    recordKind: kind,
    values: { Warehouse: w, Product: pr, Quantity: q, Amount: a },
  });
  const snapshot = async () => {
    const r =
      await p.db.owner.query(`SELECT (SELECT json_agg(t ORDER BY t) FROM acc_stock t) AS m, (SELECT json_agg(t ORDER BY t) FROM acc_stock__totals t) AS t,
                                              (SELECT json_agg(t ORDER BY t) FROM acc_stock__balance t) AS b`);
    return JSON.stringify(r.rows[0]);
  };
  async function failure(fn: () => Promise<unknown>): Promise<UserError> {
    try {
      await fn();
    } catch (e) {
      expect(e).to.be.instanceOf(UserError);
      return e as UserError;
    }
    throw new Error("expected a UserError");
  }

  before(async () => {
    p = await testPlatform();
    await run(async (c) => {
      const ins = async (sql: string, args: unknown[]) => (await c.query(sql, args)).rows[0].id as string;
      w1 = await ins(`INSERT INTO cat_warehouses(code, name) VALUES ('00001', 'Основной') RETURNING id`, []);
      w2 = await ins(`INSERT INTO cat_warehouses(code, name) VALUES ('00002', 'Дальний') RETURNING id`, []);
      p1 = await ins(`INSERT INTO cat_products(code, name) VALUES ('00000000001', 'Гвозди') RETURNING id`, []);
      p2 = await ins(`INSERT INTO cat_products(code, name) VALUES ('00000000002', 'Шурупы') RETURNING id`, []);
    });
  });
  after(() => p?.close());

  it("repost replaces the record set: totals reflect only the new one; clear removes it", async () => {
    const id = randomUUID();
    await run((c) =>
      writeRecordSet(c, p.conf, stock(), { id, kind: "GoodsReceipt" }, [
        mv("2024-01-10T10:00:00", 1, w2, p1, "10", "100"),
        mv("2024-02-10T10:00:00", 1, w2, p1, "5", "50"),
      ]),
    );
    expect(await run((c) => balance(c, stock(), undefined, { Warehouse: w2 }))).to.deep.equal([
      { Warehouse: w2, Product: p1, Quantity: "15.000", Amount: "150.00" },
    ]);
    await run((c) =>
      writeRecordSet(c, p.conf, stock(), { id, kind: "GoodsReceipt" }, [
        mv("2024-03-05T00:00:00", 1, w2, p2, "4", "40"),
      ]),
    );
    expect(await run((c) => balance(c, stock(), undefined, { Warehouse: w2 }))).to.deep.equal([
      { Warehouse: w2, Product: p2, Quantity: "4.000", Amount: "40.00" },
    ]);
    expect(await run((c) => balance(c, stock(), "2024-02-28", { Warehouse: w2 }))).to.deep.equal([]);
    const totals = await p.db.owner.query(
      `SELECT month, product, quantity_receipt, quantity FROM acc_stock__totals WHERE warehouse = $1 ORDER BY month`,
      [w2],
    );
    expect(totals.rows).to.deep.equal([
      { month: "2024-03-01", product: p2, quantity_receipt: "4.000", quantity: "4.000" },
    ]);
    const rows = await run((c) => readRecordSet(c, stock(), id));
    expect(rows).to.deep.equal([
      {
        line: 1,
        period: "2024-03-05T00:00:00",
        recordKind: "receipt",
        Warehouse: w2,
        Product: p2,
        Quantity: "4.000",
        Amount: "40.00",
      },
    ]);
    await run((c) => clearRecordSet(c, p.conf, stock(), id));
    expect(await run((c) => readRecordSet(c, stock(), id))).to.deep.equal([]);
    const left = await p.db.owner.query(
      `SELECT (SELECT count(*) FROM acc_stock__totals WHERE warehouse = $1)::int AS t, (SELECT count(*) FROM acc_stock__balance WHERE warehouse = $1)::int AS b`,
      [w2],
    );
    expect(left.rows[0]).to.deep.equal({ t: 0, b: 0 });
  });

  it("refuses an expense beyond the balance, naming the key and the shortfall, and keeps nothing of it", async () => {
    await run((c) =>
      writeRecordSet(c, p.conf, stock(), { id: randomUUID(), kind: "GoodsReceipt" }, [
        mv("2024-05-01T09:00:00", 1, w1, p2, "5", "500"),
      ]),
    );
    const before = await snapshot();
    const sale = randomUUID();
    const e = await failure(() =>
      run((c) =>
        writeRecordSet(c, p.conf, stock(), { id: sale, kind: "Sale" }, [
          mv("2024-05-02T09:00:00", -1, w1, p2, "8", "100"),
          mv("2024-05-02T09:00:00", -1, w1, p1, "0", "0"),
        ]),
      ),
    );
    expect(e.code).to.equal("negative_balance");
    expect(e.message).to.equal(
      "Остатки товаров: не хватает 3.000 (Количество) по ключу Склад=Основной, Номенклатура=Шурупы",
    );
    expect(await snapshot()).to.equal(before);
    // Within the balance it goes through; a receipt to a key still negative is not refused.
    await run((c) =>
      writeRecordSet(c, p.conf, stock(), { id: sale, kind: "Sale" }, [
        mv("2024-05-02T09:00:00", -1, w1, p2, "5", "500"),
      ]),
    );
    expect(await run((c) => balance(c, stock(), undefined, { Warehouse: w1, Product: p2 }))).to.deep.equal([]);
    // Unposting the receipt would leave the sale short: refused as well.
    const rec = await p.db.owner.query(
      `SELECT recorder FROM acc_stock WHERE warehouse = $1 AND product = $2 AND record_kind = 1`,
      [w1, p2],
    );
    const e2 = await failure(() => run((c) => clearRecordSet(c, p.conf, stock(), rec.rows[0].recorder)));
    expect(e2.message).to.match(/не хватает 5\.000 \(Количество\), 500\.00 \(Сумма\)/);
  });

  it("keeps the totals exact under 16 concurrent reposts of one document and 8 posters on shared keys", async () => {
    const keys = [
      [w1, p1],
      [w1, p2],
      [w2, p1],
      [w2, p2],
    ];
    const doc = (n: number) =>
      run(
        async (c) =>
          (
            await c.query(
              `INSERT INTO doc_goods_receipt(number, date, warehouse) VALUES ($1, '2024-06-01', $2) RETURNING id`,
              [`C${n}`, w1],
            )
          ).rows[0].id as string,
      );
    const shared = await doc(0);
    const others = await Promise.all(Array.from({ length: 8 }, (_, i) => doc(i + 1)));
    const setFor = (salt: number): MovementInput[] =>
      keys.map(([w, pr], i) =>
        mv(
          `2024-0${6 + ((salt + i) % 3)}-${String(1 + ((salt * 7 + i) % 28)).padStart(2, "0")}T12:00:00`,
          1,
          w,
          pr,
          `${salt % 13}.${i}`,
          `${salt}.25`,
        ),
      );
    const candidates = new Map<string, string>();
    const post = (id: string, salt: number) =>
      run(async (c) => {
        await c.query(`SELECT id FROM doc_goods_receipt WHERE id = $1 FOR UPDATE`, [id]);
        const set = setFor(salt);
        if (id === shared)
          candidates.set(
            JSON.stringify(set.map((m) => [m.period, new Decimal(String(m.values.Quantity)).toString()])),
            "",
          );
        await writeRecordSet(c, p.conf, stock(), { id, kind: "GoodsReceipt" }, set);
      });
    const jobs: Promise<unknown>[] = [];
    for (let i = 0; i < 16; i++) jobs.push(post(shared, 100 + i));
    others.forEach((id, j) =>
      jobs.push(
        (async () => {
          for (let k = 0; k < 6; k++) await post(id, 200 + j * 10 + k);
        })(),
      ),
    );
    await Promise.all(jobs);
    expect(await run((c) => verify(c, stock()))).to.deep.equal([]);
    // The shared document holds exactly one of the sets posted, never a mixture.
    const final = await run((c) => readRecordSet(c, stock(), shared));
    expect(final).to.have.length(4);
    expect(
      candidates.has(JSON.stringify(final.map((r) => [r.period, new Decimal(String(r.Quantity)).toString()]))),
    ).to.equal(true);
    // Balances equal the sums over the stored movements.
    const sums = await p.db.owner.query(
      `SELECT warehouse, product, sum(quantity * record_kind)::text AS q FROM acc_stock GROUP BY 1, 2 HAVING sum(quantity * record_kind) <> 0 OR sum(amount * record_kind) <> 0`,
    );
    const got = await run((c) => balance(c, stock()));
    expect(got.length).to.equal(sums.rows.length);
    for (const s of sums.rows) {
      const g = got.find((r) => r.Warehouse === s.warehouse && r.Product === s.product);
      expect(new Decimal(String(g?.Quantity)).equals(new Decimal(s.q)), JSON.stringify(s)).to.equal(true);
    }
  });

  it("refuses, never double counts, a second unsynchronized writer of the same recorder", async () => {
    const id = randomUUID();
    await run((c) =>
      writeRecordSet(c, p.conf, stock(), { id, kind: "GoodsReceipt" }, [mv("2024-08-01T10:00:00", 1, w2, p1, "1")]),
    );
    const c1 = await p.db.app.connect(),
      c2 = await p.db.app.connect();
    try {
      for (const c of [c1, c2]) await c.query(`BEGIN; SELECT set_config('app.area', '1', true)`);
      const pid2 = (await c2.query("SELECT pg_backend_pid() AS pid")).rows[0].pid;
      await writeRecordSet(c1, p.conf, stock(), { id, kind: "GoodsReceipt" }, [
        mv("2024-08-02T10:00:00", 1, w2, p1, "10"),
      ]);
      const second = writeRecordSet(c2, p.conf, stock(), { id, kind: "GoodsReceipt" }, [
        mv("2024-08-03T10:00:00", 1, w2, p1, "100"),
      ]).then(
        () => "written",
        (e) => (e as { code?: string }).code,
      );
      const t = tracked(second); // the second writer is now waiting for the first (a lock), or done:
      const lockWait = `SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock'`;
      await waitFor(async () => t.settled() || (await p.db.owner.query(lockWait, [pid2])).rowCount, {
        what: "the second writer waiting for the first",
      });
      await c1.query("COMMIT");
      expect(await second).to.equal("conflict");
      await c2.query("ROLLBACK");
    } finally {
      c1.release();
      c2.release();
    }
    expect((await run((c) => readRecordSet(c, stock(), id))).map((r) => r.Quantity)).to.deep.equal(["10.000"]);
    expect(await run((c) => verify(c, stock()))).to.deep.equal([]);
  });

  it("verify detects a corrupted total and rebuild repairs it", async () => {
    expect(await run((c) => verify(c, stock()))).to.deep.equal([]);
    const t = await p.db.owner.query(
      `UPDATE acc_stock__totals SET quantity_receipt = quantity_receipt + 1 WHERE ctid = (SELECT min(ctid) FROM acc_stock__totals) RETURNING month, warehouse, product`,
    );
    await p.db.owner.query(`DELETE FROM acc_stock__balance WHERE ctid = (SELECT min(ctid) FROM acc_stock__balance)`);
    const diffs = await run((c) => verify(c, stock()));
    const totalsDiff = diffs.find((d) => d.table === "acc_stock__totals");
    expect(totalsDiff).to.include({ month: t.rows[0].month, column: "quantity_receipt" });
    expect(totalsDiff!.key).to.deep.equal({ Warehouse: t.rows[0].warehouse, Product: t.rows[0].product });
    expect(new Decimal(totalsDiff!.stored!).minus(totalsDiff!.computed!).toString()).to.equal("1");
    expect(diffs.some((d) => d.table === "acc_stock__balance" && d.stored === null)).to.equal(true);
    const r = await run((c) => rebuild(c, stock()));
    expect(r.differences.length).to.equal(diffs.length);
    expect(r.rewritten).to.equal(true);
    expect(await run((c) => verify(c, stock()))).to.deep.equal([]);
    expect((await run((c) => rebuild(c, stock()))).rewritten).to.equal(false);
  });

  it("writes a large record set through COPY, over 1000 keys, and reposts it small", async () => {
    const n = COPY_THRESHOLD + 2000;
    const prods = await run(async (c) =>
      (
        await c.query(
          `INSERT INTO cat_products(code, name) SELECT lpad((100 + g)::text, 11, '0'), 'Массовый ' || g FROM generate_series(1, 1100) g RETURNING id`,
        )
      ).rows.map((r) => r.id as string),
    );
    const id = randomUUID();
    const rows = Array.from({ length: n }, (_, i) =>
      mv(`2024-0${1 + (i % 9)}-15T08:00:00`, 1, i % 2 ? w1 : w2, prods[i % prods.length], "1.5", "2.25"),
    );
    const before = await run((c) => turnovers(c, stock(), "2024-01-01", "2024-12-31"));
    await run((c) => writeRecordSet(c, p.conf, stock(), { id, kind: "GoodsReceipt" }, rows));
    expect((await run((c) => readRecordSet(c, stock(), id))).length).to.equal(n);
    expect(await run((c) => verify(c, stock()))).to.deep.equal([]);
    const after = await run((c) => turnovers(c, stock(), "2024-01-01", "2024-12-31"));
    const sum = (rs: Row[]) => rs.reduce((s, r) => s.plus(String(r.QuantityReceipt)), new Decimal(0));
    expect(sum(after).minus(sum(before)).toFixed(3)).to.equal(new Decimal("1.5").times(n).toFixed(3));
    await run((c) => writeRecordSet(c, p.conf, stock(), { id, kind: "GoodsReceipt" }, rows.slice(0, 3)));
    expect(await run((c) => verify(c, stock()))).to.deep.equal([]);
    expect(
      sum(await run((c) => turnovers(c, stock(), "2024-01-01", "2024-12-31")))
        .minus(sum(before))
        .toFixed(3),
    ).to.equal("4.500");
  });

  it("reposts a large set with another large set (old set staged, one month per key), then clears it", async () => {
    const n = COPY_THRESHOLD + 1500;
    const prods = await run(async (c) =>
      (
        await c.query(
          `INSERT INTO cat_products(code, name) SELECT lpad((5000 + g)::text, 11, '0'), 'Партия ' || g FROM generate_series(1, $1::int) g RETURNING id`,
          [n],
        )
      ).rows.map((r) => r.id as string),
    );
    const id = randomUUID();
    const total = async () =>
      (await run((c) => balance(c, stock(), undefined, {}))).reduce(
        (s, r) => s.plus(String(r.Quantity)),
        new Decimal(0),
      );
    const start = await total();
    // One row per product (every key in one month): the fast path of the staged function.
    const first = prods.map((pr, i) => mv("2024-03-10T09:00:00", 1, w1, pr, String(1 + (i % 7)), "1.00"));
    await run((c) => writeRecordSet(c, p.conf, stock(), { id, kind: "GoodsReceipt" }, first));
    const sumOf = (rows: MovementInput[]) => rows.reduce((s, r) => s.plus(String(r.values.Quantity)), new Decimal(0));
    expect((await total()).minus(start).toFixed(3)).to.equal(sumOf(first).toFixed(3));
    // Repost: fewer products, other quantities, a later month for some — the old set is deleted
    // into the staged function's temporary table and subtracted.
    const second = prods
      .slice(0, n - 700)
      .map((pr, i) =>
        mv(i % 3 ? "2024-03-12T09:00:00" : "2024-04-02T09:00:00", 1, w1, pr, String(2 + (i % 5)), "1.00"),
      );
    await run((c) => writeRecordSet(c, p.conf, stock(), { id, kind: "GoodsReceipt" }, second));
    expect((await run((c) => readRecordSet(c, stock(), id))).length).to.equal(second.length);
    expect((await total()).minus(start).toFixed(3)).to.equal(sumOf(second).toFixed(3));
    expect(await run((c) => verify(c, stock()))).to.deep.equal([]);
    const dropped = await run((c) => balance(c, stock(), undefined, { Product: prods[n - 1] }));
    expect(dropped).to.deep.equal([]);
    await run((c) => clearRecordSet(c, p.conf, stock(), id));
    expect((await total()).minus(start).toFixed(3)).to.equal("0.000");
    expect(await run((c) => verify(c, stock()))).to.deep.equal([]);
  });

  it("refuses a large set that leaves keys negative — new keys and stored ones — and writes nothing", async () => {
    const n = COPY_THRESHOLD + 100;
    const prods = await run(async (c) =>
      (
        await c.query(
          `INSERT INTO cat_products(code, name) SELECT lpad((20000 + g)::text, 11, '0'), 'Дефицит ' || g FROM generate_series(1, $1::int) g RETURNING id`,
          [n],
        )
      ).rows.map((r) => r.id as string),
    );
    const stored = await run((c) => balance(c, stock(), undefined, { Warehouse: w1, Product: p1 }));
    const have = new Decimal(String(stored[0]?.Quantity ?? "0"));
    const id = randomUUID();
    // Receipts for every new product but the last (new keys, plain INSERT), an expense of the
    // last one (a new key going negative) and an expense beyond the stored balance of p1.
    const rows = prods.map((pr, i) => mv("2024-05-05T10:00:00", i === n - 1 ? -1 : 1, w2, pr, "3"));
    rows.push(mv("2024-05-05T10:00:00", -1, w1, p1, have.plus(2).toFixed(3)));
    let err: any;
    try {
      await run((c) => writeRecordSet(c, p.conf, stock(), { id, kind: "Sale" }, rows));
    } catch (e) {
      err = e;
    }
    expect(err?.code).to.equal("negative_balance");
    // Both keys are named with their shortfall: the new key (3) and the stored one (2).
    expect(String(err.message)).to.contain("3.000").and.to.contain("2.000");
    expect(await run((c) => readRecordSet(c, stock(), id))).to.deep.equal([]);
    expect(await run((c) => balance(c, stock(), undefined, { Warehouse: w2, Product: prods[0] }))).to.deep.equal([]);
    expect(await run((c) => verify(c, stock()))).to.deep.equal([]);
  });

  it("keeps its indexes and functions across restarts (the migrator re-runs the register SQL)", async () => {
    const objects = async () =>
      (
        await p.db.owner.query(`SELECT c.relname AS name, c.oid::int AS oid FROM pg_class c WHERE c.relname LIKE 'acc\\_stock%' AND c.relkind = 'i'
                                UNION ALL SELECT p.proname, p.oid::int FROM pg_proc p WHERE p.proname LIKE 'acc\\_stock\\_\\_write%' ORDER BY 1`)
      ).rows;
    const before = await objects();
    expect(before.map((r) => r.name)).to.include.members([
      "acc_stock__write",
      "acc_stock__write_staged",
      "acc_stock__period_brin",
      "acc_stock_pkey",
    ]);
    expect(before.some((r) => /^acc_stock__key_[0-9a-f]{8}$/.test(r.name))).to.equal(true);
    const again = await testPlatform(WAREHOUSE, "t", p.db.ownerUrl);
    try {
      expect(again.migration).to.deep.equal([]);
      const after = await objects();
      // Same indexes (same oids: not dropped and rebuilt); the functions are replaced in place.
      expect(after.filter((r) => !/write/.test(r.name))).to.deep.equal(before.filter((r) => !/write/.test(r.name)));
      expect(after.map((r) => r.name)).to.deep.equal(before.map((r) => r.name));
    } finally {
      await again.close();
    }
  });

  it("refuses bad input naming the record and field", async () => {
    const id = { id: randomUUID(), kind: "GoodsReceipt" };
    let e = await failure(() =>
      run((c) =>
        writeRecordSet(c, p.conf, stock(), id, [
          mv("2024-01-01T00:00:00", 1, w1, p1, "1"),
          mv("2024-01-01T00:00:00", 1, w1, p1, "abc"),
        ]),
      ),
    );
    expect(e.message).to.match(/^Остатки товаров, запись 2: Количество: ожидается число/);
    expect(e.field).to.equal("Stock[2].Quantity");
    e = await failure(() =>
      run((c) => writeRecordSet(c, p.conf, stock(), id, [mv("2024-01-01T00:00:00", 1, w1, p1, "1.2345")])),
    );
    expect(e.message).to.match(/Количество: не более 3 знаков/);
    e = await failure(() =>
      run((c) =>
        writeRecordSet(c, p.conf, stock(), id, [{ period: "2024-13-01T00:00:00", recordKind: 1, values: {} }]),
      ),
    );
    expect(e.field).to.equal("Stock[1].period");
    e = await failure(() =>
      run((c) =>
        writeRecordSet(c, p.conf, stock(), id, [
          { period: "2024-01-01T00:00:00", recordKind: 1, values: { Colour: "red" } },
        ]),
      ),
    );
    expect(e.code).to.equal("unknown_field");
    e = await failure(() =>
      run((c) =>
        writeRecordSet(c, p.conf, p.conf.accumulationRegisters.get("Purchases")!, id, [
          { period: "2024-01-01T00:00:00", recordKind: -1, values: {} },
        ]),
      ),
    );
    expect(e.code).to.equal("invalid_movement");
    e = await failure(() => run((c) => balance(c, stock(), "2024-01-01", { Colour: "red" })));
    expect(e.code).to.equal("unknown_dimension");
    e = await failure(() => run((c) => balance(c, stock(), "yesterday")));
    expect(e.code).to.equal("invalid_date");
    e = await failure(() => run((c) => balance(c, p.conf.accumulationRegisters.get("Purchases")!)));
    expect(e.code).to.equal("wrong_register_kind");
    // null dimensions are the empty value, and read back as null
    await run((c) =>
      writeRecordSet(c, p.conf, stock(), id, [
        { period: "2024-01-01T00:00:00", recordKind: 1, values: { Warehouse: w1, Quantity: 2 } },
      ]),
    );
    expect(await run((c) => balance(c, stock(), "2024-01-01", { Warehouse: w1, Product: null }))).to.deep.equal([
      { Warehouse: w1, Product: null, Quantity: "2.000", Amount: "0.00" },
    ]);
  });
});
