// Posting documents whose handlers add more records than one staging batch (registers/staged.ts):
// the set is staged batch by batch after the handler, then written by the staged function. The totals must agree with the movements, a repost must replace the set, and a
// refusal — by the register (negative balance) or by the handler after adding many records — must
// leave nothing behind.
import { expect } from "chai";
import { Decimal } from "decimal.js";
import { testPlatform } from "../helpers/db.ts";
import type { Platform } from "../../server/platform.ts";
import * as cat from "../../server/catalogs/service.ts";
import * as docs from "../../server/documents/service.ts";
import { randomUUID } from "node:crypto";
import {
  balance,
  readRecordSet,
  turnovers,
  verify,
  COPY_THRESHOLD,
  StagedStream,
} from "../../server/registers/index.ts";
import { STREAM_BATCH } from "../../server/registers/staged.ts";
import { CopyBuffer } from "../../server/registers/copy.ts";
import { inArea, rejects } from "../helpers/services.ts";

describe("posting large record sets (staged in batches)", function () {
  this.timeout(120_000);
  let p: Platform;
  let wh: string;
  const products: string[] = [];
  const N = STREAM_BATCH + 1_500;
  const stock = () => p.conf.accumulationRegisters.get("Stock")!;
  const purchases = () => p.conf.accumulationRegisters.get("Purchases")!;
  const quantityOf = async (product: string) => {
    const rows = await inArea(p, (ctx) => balance(ctx.c, stock(), undefined, { Warehouse: wh, Product: product }));
    return new Decimal(String(rows[0]?.Quantity ?? "0"));
  };

  before(async () => {
    expect(N).to.be.greaterThan(COPY_THRESHOLD);
    p = await testPlatform();
    await inArea(p, async (ctx) => {
      wh = (await cat.createCatalogItem(ctx, "Warehouses", { name: "Склад потока" })).id;
      const unit = (await cat.createCatalogItem(ctx, "Units", { name: "шт" })).id;
      for (const n of ["Болт", "Гайка", "Шайба"])
        products.push((await cat.createCatalogItem(ctx, "Products", { name: n, Unit: unit, Price: "2.00" })).id);
    });
  });
  after(() => p.close());

  const items = (n: number, qty: (i: number) => string) =>
    Array.from({ length: n }, (_, i) => ({
      Product: products[i % 3],
      Quantity: qty(i),
      Price: "2.00",
      Amount: new Decimal(qty(i)).times(2).toFixed(2),
    }));

  let receipt = "";

  it("posts a receipt of more rows than a COPY batch; totals agree with the movements", async () => {
    const doc = await inArea(p, (ctx) =>
      docs.createDocument(
        ctx,
        "GoodsReceipt",
        { date: "2024-06-10T10:00:00", Warehouse: wh, Items: items(N, (i) => String(1 + (i % 4))) },
        { post: true },
      ),
    );
    receipt = doc.id;
    expect(doc.posted).to.equal(true);
    const moves = await inArea(p, (ctx) => readRecordSet(ctx.c, stock(), doc.id));
    expect(moves.length).to.equal(N);
    expect(moves[N - 1].line).to.equal(N);
    const expected = [0, 1, 2].map((k) => {
      let s = 0;
      for (let i = k; i < N; i += 3) s += 1 + (i % 4);
      return s;
    });
    for (let k = 0; k < 3; k++) expect((await quantityOf(products[k])).toNumber()).to.equal(expected[k]);
    expect((await inArea(p, (ctx) => readRecordSet(ctx.c, purchases(), doc.id))).length).to.equal(N);
    expect(await inArea(p, (ctx) => verify(ctx.c, stock()))).to.deep.equal([]);
    expect(await inArea(p, (ctx) => verify(ctx.c, purchases()))).to.deep.equal([]);
  });

  it("reposts it: the old set is replaced, not added to", async () => {
    const before = await Promise.all(products.map(quantityOf));
    await inArea(p, (ctx) => docs.postDocument(ctx, "GoodsReceipt", receipt));
    const after = await Promise.all(products.map(quantityOf));
    expect(after.map(String)).to.deep.equal(before.map(String));
    expect(await inArea(p, (ctx) => verify(ctx.c, stock()))).to.deep.equal([]);
  });

  it("refuses a sale beyond the stock (negative control of a staged set) and writes nothing", async () => {
    const have = await quantityOf(products[0]);
    const sale = await inArea(p, (ctx) =>
      docs.createDocument(ctx, "Sale", {
        date: "2024-06-11T10:00:00",
        Warehouse: wh,
        Items: items(N, () => "1").map((r) => ({ ...r, Product: products[0], Amount: null })),
      }),
    );
    const err = await rejects(inArea(p, (ctx) => docs.postDocument(ctx, "Sale", sale.id)));
    expect(err.code).to.equal("negative_balance");
    expect(err.message).to.contain(new Decimal(N).minus(have).toFixed(3));
    expect(await inArea(p, (ctx) => readRecordSet(ctx.c, stock(), sale.id))).to.deep.equal([]);
    expect((await quantityOf(products[0])).toString()).to.equal(have.toString());
    expect((await inArea(p, (ctx) => docs.getDocument(ctx, "Sale", sale.id))).posted).to.equal(false);
  });

  it("rolls back a handler that refuses a row after adding 20,000: nothing posted, the connection clean", async () => {
    const bad = STREAM_BATCH + 500;
    const sale = await inArea(p, (ctx) =>
      docs.createDocument(ctx, "Sale", {
        date: "2024-06-12T10:00:00",
        Warehouse: wh,
        Items: items(N, (i) => (i === bad ? "0" : "0.001")).map((r) => ({ ...r, Amount: null })),
      }),
    );
    const err = await rejects(inArea(p, (ctx) => docs.postDocument(ctx, "Sale", sale.id)));
    expect(err.field).to.equal(`Items[${bad + 1}].Quantity`);
    expect(await inArea(p, (ctx) => readRecordSet(ctx.c, stock(), sale.id))).to.deep.equal([]);
    expect((await inArea(p, (ctx) => docs.getDocument(ctx, "Sale", sale.id))).posted).to.equal(false);
    // The connection is clean afterwards: the next large posting on it works.
    await inArea(p, (ctx) => docs.postDocument(ctx, "GoodsReceipt", receipt));
    expect(await inArea(p, (ctx) => verify(ctx.c, stock()))).to.deep.equal([]);
  });

  // The stream driven as the engine drives it after a handler: queue() converts and queues the
  // batches, `done` settles when the set is written.
  const streamed = (id: string, n: number, qty: (i: number) => string) =>
    inArea(p, async (ctx) => {
      const rows: Record<string, unknown>[] = [];
      for (let i = 0; i < n; i++)
        rows.push({
          period: `2024-07-${String(1 + (i % 28)).padStart(2, "0")}T09:00:00`,
          Product: products[i % 3],
          Quantity: qty(i),
          Amount: "1.00",
        });
      const stream = new StagedStream(ctx.c, p.conf, purchases(), rows, "2024-07-01T00:00:00", {
        id,
        kind: "GoodsReceipt",
      });
      const { done } = await stream.queue();
      await done;
    });
  const july = async () => {
    const rows = await inArea(p, (ctx) => turnovers(ctx.c, purchases(), "2024-07-01", "2024-07-31", "none"));
    return Object.fromEntries(rows.map((r) => [String(r.Product), String(r.Quantity)]));
  };

  it("stages a set in several batches, writes it once, and a repost replaces it", async () => {
    const id = randomUUID();
    const n = 2 * STREAM_BATCH + 700;
    await streamed(id, n, () => "1");
    expect((await inArea(p, (ctx) => readRecordSet(ctx.c, purchases(), id))).length).to.equal(n);
    const counts = [0, 1, 2].map((k) => Math.floor((n - 1 - k) / 3) + 1);
    expect(await july()).to.deep.equal(Object.fromEntries(products.map((pr, k) => [pr, `${counts[k]}.000`])));
    expect(await inArea(p, (ctx) => verify(ctx.c, purchases()))).to.deep.equal([]);
    await streamed(id, STREAM_BATCH + 10, () => "2");
    const again = [0, 1, 2].map((k) => Math.floor((STREAM_BATCH + 10 - 1 - k) / 3) + 1);
    expect(await july()).to.deep.equal(Object.fromEntries(products.map((pr, k) => [pr, `${2 * again[k]}.000`])));
    expect(await inArea(p, (ctx) => verify(ctx.c, purchases()))).to.deep.equal([]);
  });

  it("refuses a record of the second batch while the first is being copied: nothing written, the connection clean", async () => {
    const id = randomUUID();
    const bad = STREAM_BATCH + 5;
    const err = await rejects(streamed(id, STREAM_BATCH + 100, (i) => (i === bad ? "много" : "1")));
    expect(err.message).to.contain(`запись ${bad + 1}`);
    expect(err.message).to.contain("Количество");
    expect(await inArea(p, (ctx) => readRecordSet(ctx.c, purchases(), id))).to.deep.equal([]);
    // The same set, valid, goes through afterwards.
    await streamed(id, STREAM_BATCH + 100, () => "1");
    expect((await inArea(p, (ctx) => readRecordSet(ctx.c, purchases(), id))).length).to.equal(STREAM_BATCH + 100);
    expect(await inArea(p, (ctx) => verify(ctx.c, purchases()))).to.deep.equal([]);
  });
});

describe("CopyBuffer (COPY text of a staged batch)", () => {
  it("holds exactly the UTF-8 of the lines pushed, across growth, whatever their characters", () => {
    const lines: string[] = [];
    const b = new CopyBuffer(16);
    for (let i = 0; i < 5_000; i++) {
      const line = `${i}\t${"Начислено ".repeat(i % 7)}\t${"€".repeat(i % 3)}\t${"😀".repeat(i % 2)}\t${"x".repeat(i % 50)}\n`;
      lines.push(line);
      b.push(line);
    }
    const expected = Buffer.from(lines.join(""), "utf8");
    expect(b.size).to.equal(expected.length);
    expect(b.bytes().equals(expected)).to.equal(true);
  });
});
