// Posting a ready record set in one round trip (txBatch + writeRecordSetStatement of bench/group-commit): the same
// movements, totals and balance as the interactive path; a negative balance is refused with the
// same UserError and leaves nothing behind (not even the statements before it); bad input is
// refused before anything is sent; values with quotes cannot break out of their literal.
import { expect } from "chai";
import { randomUUID } from "node:crypto";
import { testPlatform } from "../helpers/db.ts";
import type { Platform } from "../../server/platform.ts";
import { tx, txBatch, type Client } from "../../server/storage/db.ts";
import { lit } from "../../server/storage/naming.ts";
import { UserError } from "../../server/errors.ts";
import {
  balance,
  readRecordSet,
  verify,
  writeRecordSet,
  COPY_THRESHOLD,
  type MovementInput,
} from "../../server/registers/index.ts";
import { writeRecordSetStatement } from "../../bench/group-commit/write-many.ts";

describe("accumulation registers: one-round-trip posting (txBatch)", function () {
  this.timeout(120_000);
  let p: Platform;
  let w: string, p1: string, p2: string;
  const stock = () => p.conf.accumulationRegisters.get("Stock")!;
  const run = <T>(fn: (c: Client) => Promise<T>) => tx(p.db.app, 1, fn);
  const mv = (period: string, kind: 1 | -1, pr: string, q: string, a = "0"): MovementInput => ({
    period,
    recordKind: kind,
    values: { Warehouse: w, Product: pr, Quantity: q, Amount: a },
  });
  const state = async () =>
    JSON.stringify(
      (
        await p.db.owner.query(
          `SELECT (SELECT json_agg(t ORDER BY t) FROM acc_stock t) m, (SELECT json_agg(t ORDER BY t) FROM acc_stock__totals t) t, (SELECT json_agg(t ORDER BY t) FROM acc_stock__balance t) b, (SELECT json_agg(t ORDER BY t) FROM cat_warehouses t) w`,
        )
      ).rows[0],
    );

  before(async () => {
    p = await testPlatform();
    await run(async (c) => {
      w = (await c.query(`INSERT INTO cat_warehouses(code, name) VALUES ('00001', 'Основной') RETURNING id`)).rows[0]
        .id;
      p1 = (await c.query(`INSERT INTO cat_products(code, name) VALUES ('00000000001', 'Гвозди') RETURNING id`)).rows[0]
        .id;
      p2 = (await c.query(`INSERT INTO cat_products(code, name) VALUES ('00000000002', 'Шурупы') RETURNING id`)).rows[0]
        .id;
    });
  });
  after(() => p?.close());

  it("writes what the interactive path writes: movements, totals and balance agree", async () => {
    const a = randomUUID(),
      b = randomUUID();
    const set = [
      mv("2024-05-10T10:00:00", 1, p1, "10.5", "105.50"),
      mv("2024-06-01T00:00:00", 1, p2, "3", "30"),
      mv("2024-06-02T00:00:00", -1, p1, "2.25", "22.50"),
    ];
    await txBatch(p.db.app, 1, [writeRecordSetStatement(p.conf, stock(), { id: a, kind: "GoodsReceipt" }, set)!]);
    await run((c) => writeRecordSet(c, p.conf, stock(), { id: b, kind: "GoodsReceipt" }, set));
    const strip = (rows: Record<string, unknown>[]) => JSON.stringify(rows);
    expect(strip(await run((c) => readRecordSet(c, stock(), a)))).to.equal(
      strip(await run((c) => readRecordSet(c, stock(), b))),
    );
    expect(await run((c) => balance(c, stock(), undefined, { Warehouse: w, Product: p1 }))).to.deep.equal([
      { Warehouse: w, Product: p1, Quantity: "16.500", Amount: "166.00" },
    ]);
    expect(await run((c) => balance(c, stock(), "2024-05-31T23:59:59", { Product: p1 }))).to.deep.equal([
      { Warehouse: w, Product: p1, Quantity: "21.000", Amount: "211.00" },
    ]);
    // a repost through the batch replaces the set
    await txBatch(p.db.app, 1, [
      writeRecordSetStatement(p.conf, stock(), { id: a, kind: "GoodsReceipt" }, [
        mv("2024-06-03T00:00:00", 1, p2, "1", "10"),
      ])!,
    ]);
    expect(await run((c) => balance(c, stock(), undefined, { Product: p2 }))).to.deep.equal([
      { Warehouse: w, Product: p2, Quantity: "4.000", Amount: "40.00" },
    ]);
    expect(await run((c) => verify(c, stock()))).to.deep.equal([]);
  });

  it("a negative balance is refused by name and nothing of the batch stays", async () => {
    const before = await state();
    const id = randomUUID();
    const err = await txBatch(p.db.app, 1, [
      { sql: `INSERT INTO cat_warehouses(code, name) VALUES ('00099', 'Не должен остаться')` },
      writeRecordSetStatement(p.conf, stock(), { id, kind: "Sale" }, [mv("2024-07-01T00:00:00", -1, p2, "1000", "1")])!,
    ]).then(
      () => null,
      (e) => e,
    );
    expect(err).to.be.instanceOf(UserError);
    expect((err as UserError).code).to.equal("negative_balance");
    expect((err as Error).message).to.contain("Шурупы");
    expect(await state()).to.equal(before);
    // the pooled connection is usable again (the failed transaction was rolled back)
    expect(await run((c) => balance(c, stock(), undefined, { Product: p2 }))).to.have.length(1);
  });

  it("bad input is refused before anything is sent; a large set is left to writeRecordSet", async () => {
    const before = await state();
    expect(() =>
      writeRecordSetStatement(p.conf, stock(), { id: randomUUID(), kind: "GoodsReceipt" }, [
        mv("2024-13-01T00:00:00", 1, p1, "1"),
      ]),
    ).to.throw(UserError, /Период/);
    expect(() =>
      writeRecordSetStatement(p.conf, stock(), { id: randomUUID(), kind: "GoodsReceipt" }, [
        {
          period: "2024-01-01T00:00:00",
          recordKind: 1,
          values: { Warehouse: w, Product: p1, Quantity: "x'); DROP TABLE acc_stock; --" },
        },
      ]),
    ).to.throw(UserError);
    expect(() =>
      writeRecordSetStatement(p.conf, stock(), { id: "1'; DROP TABLE acc_stock; --", kind: "GoodsReceipt" }, []),
    ).to.throw(/UUID/);
    const big = Array.from({ length: COPY_THRESHOLD + 1 }, () => mv("2024-01-01T00:00:00", 1, p1, "1"));
    expect(writeRecordSetStatement(p.conf, stock(), { id: randomUUID(), kind: "GoodsReceipt" }, big)).to.equal(null);
    expect(await state()).to.equal(before);
  });

  it("quotes in values stay inside their literal", async () => {
    const name = `O'Brien'); DELETE FROM cat_products; --`;
    await txBatch(p.db.app, 1, [{ sql: `UPDATE cat_warehouses SET name = ${lit(name)} WHERE id = ${lit(w)}` }]);
    const r = await p.db.owner.query(
      `SELECT name, (SELECT count(*) FROM cat_products) n FROM cat_warehouses WHERE id = $1`,
      [w],
    );
    expect(r.rows[0]).to.deep.equal({ name, n: "2" });
  });
});
