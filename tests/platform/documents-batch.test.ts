// A batch of documents in one transaction (server/documents/batch.ts): all posted together, or
// — when any item is refused — none at all, with the refusal naming the item and its field.
import { expect } from "chai";
import { testPlatform } from "../helpers/db.ts";
import type { Platform } from "../../server/platform.ts";
import * as cat from "../../server/catalogs/service.ts";
import { createDocuments, MAX_BATCH } from "../../server/documents/batch.ts";
import { balance, verify } from "../../server/registers/index.ts";
import { inArea, rejects } from "../helpers/services.ts";

describe("documents: a batch in one transaction", function () {
  let p: Platform;
  let wh: string, pr: string;
  const count = async () => (await p.db.owner.query(`SELECT count(*)::int AS n FROM doc_goods_receipt`)).rows[0].n;
  const item = (q: string) => ({
    date: "2024-03-01T10:00:00",
    Warehouse: wh,
    Items: [{ Product: pr, Quantity: q, Amount: "10" }],
  });

  before(async () => {
    p = await testPlatform();
    await inArea(p, async (ctx) => {
      wh = (await cat.createCatalogItem(ctx, "Warehouses", { name: "Основной склад" })).id;
      pr = (await cat.createCatalogItem(ctx, "Products", { name: "Болт" })).id;
    });
  });
  after(() => p.close());

  it("writes and posts every item", async () => {
    const r = await inArea(p, (ctx) =>
      createDocuments(ctx, "GoodsReceipt", [item("1"), item("2.5"), item("3")], { post: true }),
    );
    expect(r.ids).to.have.length(3);
    const b = await inArea(p, (ctx) =>
      balance(ctx.c, p.conf.accumulationRegisters.get("Stock")!, undefined, { Product: pr }),
    );
    expect(b[0].Quantity).to.equal("6.500");
  });

  it("refuses the whole batch for one bad item, naming it; nothing is written", async () => {
    const before = await count();
    const e = await rejects(
      inArea(p, (ctx) =>
        createDocuments(
          ctx,
          "GoodsReceipt",
          [item("1"), item("1"), { ...item("1"), Items: [{ Product: pr, Quantity: "abc" }] }],
          { post: true },
        ),
      ),
    );
    expect([400, 422], e.message).to.include(e.status);
    expect(e.field, e.message).to.equal("items[2].Items[1].Quantity");
    expect(e.message).to.match(/^Документ 3 из 3: /);
    expect(await count()).to.equal(before);
    expect(await inArea(p, (ctx) => verify(ctx.c, p.conf.accumulationRegisters.get("Stock")!))).to.deep.equal([]);
  });

  it("refuses an empty, non-array or oversized batch and a non-object item", async () => {
    for (const items of [[], {}, "x", null])
      expect((await rejects(inArea(p, (ctx) => createDocuments(ctx, "GoodsReceipt", items)))).field).to.equal("items");
    expect(
      (
        await rejects(
          inArea(p, (ctx) => createDocuments(ctx, "GoodsReceipt", new Array(MAX_BATCH + 1).fill(item("1")))),
        )
      ).message,
    ).to.include("разделите");
    expect((await rejects(inArea(p, (ctx) => createDocuments(ctx, "GoodsReceipt", [item("1"), 5])))).field).to.equal(
      "items[1]",
    );
  });
});
