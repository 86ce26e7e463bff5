// Catalogs and documents against a real PostgreSQL: codes, numbering under concurrency, write,
// post / repost / unpost, refusals that leave nothing behind, fill, deletion rules.
import { expect } from "chai";
import { testPlatform } from "../helpers/db.ts";
import type { Platform } from "../../server/platform.ts";
import * as cat from "../../server/catalogs/service.ts";
import * as docs from "../../server/documents/service.ts";
import { verify, balance } from "../../server/registers/index.ts";
import { UserError } from "../../server/errors.ts";
import { inArea, rejects } from "../helpers/services.ts";

type Ctx = cat.Ctx;

describe("catalogs and documents", function () {
  let p: Platform;
  let wh: string;
  let units: string;
  const products: string[] = [];

  before(async () => {
    p = await testPlatform();
    await inArea(p, async (ctx) => {
      wh = (await cat.createCatalogItem(ctx, "Warehouses", { name: "Основной склад" })).id;
      units = (await cat.createCatalogItem(ctx, "Units", { name: "шт" })).id;
      for (const n of ["Болт", "Гайка", "Шайба"])
        products.push((await cat.createCatalogItem(ctx, "Products", { name: n, Unit: units, Price: "10.50" })).id);
    });
  });
  after(() => p.close());

  it("hands out zero-padded catalog codes and keeps attributes", async () => {
    const item = await inArea(p, (ctx) => cat.getCatalogItem(ctx, "Products", products[1]));
    expect(item.code).to.equal("00000000002");
    expect(item.Price).to.equal("10.50");
    expect(item.refs[units]).to.equal("шт");
  });

  it("lists with total, search, sort and paging", async () => {
    const page = await inArea(p, (ctx) => cat.listCatalog(ctx, "Products", { sort: "-name", offset: 1, limit: 1 }));
    expect(page.total).to.equal(3);
    expect(page.rows.map((r) => r.name)).to.deep.equal(["Гайка"]);
    const found = await inArea(p, (ctx) => cat.listCatalog(ctx, "Products", { search: "айб" }));
    expect(found.rows.map((r) => r.name)).to.deep.equal(["Шайба"]);
  });

  it("refuses a stale version and a check from the catalog's module", async () => {
    const stale = await rejects(
      inArea(p, (ctx) => cat.updateCatalogItem(ctx, "Products", products[0], { name: "Болт М8", version: 99 })),
    );
    expect(stale.status).to.equal(409);
    const neg = await rejects(
      inArea(p, (ctx) => cat.updateCatalogItem(ctx, "Products", products[0], { Price: "-1.00" })),
    );
    expect(neg.field).to.equal("Price");
    expect((await inArea(p, (ctx) => cat.getCatalogItem(ctx, "Products", products[0]))).Price).to.equal("10.50");
  });

  it("keeps groups: a parent must be a group and never a descendant", async () => {
    const g1 = await inArea(p, (ctx) => cat.createCatalogItem(ctx, "Products", { name: "Крепёж", isFolder: true }));
    const g2 = await inArea(p, (ctx) =>
      cat.createCatalogItem(ctx, "Products", { name: "Метизы", isFolder: true, parent: g1.id }),
    );
    const item = await inArea(p, (ctx) => cat.createCatalogItem(ctx, "Products", { name: "Винт", parent: g2.id }));
    expect(item.parent).to.equal(g2.id);
    const notGroup = await rejects(
      inArea(p, (ctx) => cat.createCatalogItem(ctx, "Products", { name: "x", parent: item.id })),
    );
    expect(notGroup.field).to.equal("parent");
    const cycle = await rejects(inArea(p, (ctx) => cat.updateCatalogItem(ctx, "Products", g1.id, { parent: g2.id })));
    expect(cycle.code).to.equal("invalid_parent");
    const refused = await rejects(inArea(p, (ctx) => cat.deleteCatalogItem(ctx, "Products", g2.id)));
    expect(refused.status).to.equal(409);
    for (const id of [item.id, g2.id, g1.id]) await inArea(p, (ctx) => cat.deleteCatalogItem(ctx, "Products", id));
  });

  it("refuses a reference to an object that does not exist, naming the row and field", async () => {
    const e = await rejects(
      inArea(p, (ctx) =>
        docs.createDocument(ctx, "GoodsReceipt", {
          Warehouse: wh,
          Items: [
            { Product: products[0], Quantity: 1 },
            { Product: "6f1c1c1e-0000-4000-8000-000000000000", Quantity: 1 },
          ],
        }),
      ),
    );
    expect(e.field).to.equal("Items[2].Product");
  });

  it("numbers documents without duplicates under 16 concurrent writers, per year", async () => {
    const made = await Promise.all(
      Array.from({ length: 16 }, () =>
        inArea(p, (ctx) => docs.createDocument(ctx, "GoodsReceipt", { date: "2024-03-01T10:00:00", Warehouse: wh })),
      ),
    );
    const numbers = made.map((d) => d.number).sort();
    expect(new Set(numbers).size).to.equal(16);
    expect(numbers[0]).to.equal("000000001");
    expect(numbers[15]).to.equal("000000016");
    const next = await inArea(p, (ctx) =>
      docs.createDocument(ctx, "GoodsReceipt", { date: "2025-01-02T00:00:00", Warehouse: wh }),
    );
    expect(next.number).to.equal("000000001");
  });

  it("posts, reposts with the new record set, unposts", async () => {
    const d = await inArea(p, (ctx) =>
      docs.createDocument(
        ctx,
        "GoodsReceipt",
        { date: "2024-05-01T09:00:00", Warehouse: wh, Items: [{ Product: products[0], Quantity: "5", Amount: "50" }] },
        { post: true },
      ),
    );
    expect(d.posted).to.equal(true);
    let mv = await inArea(p, (ctx) => docs.documentMovements(ctx, "GoodsReceipt", d.id));
    expect(mv.Stock.rows).to.have.length(1);
    expect(mv.Purchases.rows).to.have.length(1);
    // writing a posted document reposts it
    await inArea(p, (ctx) =>
      docs.updateDocument(ctx, "GoodsReceipt", d.id, {
        Items: [
          { Product: products[0], Quantity: "7" },
          { Product: products[1], Quantity: "1" },
        ],
      }),
    );
    mv = await inArea(p, (ctx) => docs.documentMovements(ctx, "GoodsReceipt", d.id));
    expect(mv.Stock.rows.map((r: any) => r.Quantity)).to.deep.equal(["7.000", "1.000"]);
    const bal = await inArea(p, (ctx) =>
      balance(ctx.c, p.conf.accumulationRegisters.get("Stock")!, undefined, { Product: products[0] }),
    );
    expect(bal[0].Quantity).to.match(/^7(\.0+)?$/);
    const un = await inArea(p, (ctx) => docs.unpostDocument(ctx, "GoodsReceipt", d.id));
    expect(un.posted).to.equal(false);
    mv = await inArea(p, (ctx) => docs.documentMovements(ctx, "GoodsReceipt", d.id));
    expect(mv.Stock.rows).to.have.length(0);
  });

  it("writes what the module's check before write computed", async () => {
    const d = await inArea(p, (ctx) =>
      docs.createDocument(ctx, "GoodsReceipt", {
        Warehouse: wh,
        Items: [
          { Product: products[0], Quantity: "3", Price: "10.25" },
          { Product: products[1], Quantity: "1", Price: "5", Amount: "4.00" },
        ],
      }),
    );
    expect(d.Items.map((r: any) => r.Amount)).to.deep.equal(["30.75", "4.00"]);
  });

  it("a refused posting leaves the document unposted with no movements", async () => {
    const d = await inArea(p, (ctx) =>
      docs.createDocument(ctx, "Sale", {
        date: "2024-06-01T09:00:00",
        Warehouse: wh,
        Items: [{ Product: products[2], Quantity: "1000" }],
      }),
    );
    const e = await rejects(inArea(p, (ctx) => docs.postDocument(ctx, "Sale", d.id)));
    expect(e).to.be.instanceOf(UserError);
    expect(e.code).to.equal("negative_balance");
    const after = await inArea(p, (ctx) => docs.getDocument(ctx, "Sale", d.id));
    expect(after.posted).to.equal(false);
    const mv = await inArea(p, (ctx) => docs.documentMovements(ctx, "Sale", d.id));
    expect(mv.Stock.rows).to.have.length(0);
    expect(mv.PriceHistory.rows).to.have.length(0);
  });

  it("a handler's error names the row and field", async () => {
    const e = await rejects(
      inArea(p, (ctx) =>
        docs.createDocument(
          ctx,
          "Sale",
          {
            Warehouse: wh,
            Items: [
              { Product: products[0], Quantity: "1" },
              { Product: products[0], Quantity: "0" },
            ],
          },
          { post: true },
        ),
      ),
    );
    expect(e.field).to.equal("Items[2].Quantity");
    expect(e.status).to.equal(422);
  });

  it("a required field left empty is refused on posting", async () => {
    const e = await rejects(
      inArea(p, (ctx) => docs.createDocument(ctx, "GoodsReceipt", { Items: [] }, { post: true })),
    );
    expect(e.field).to.equal("Warehouse");
  });

  it("fills a tabular part through the module's handler", async () => {
    const rows = await inArea(p, (ctx) => docs.fillTable(ctx, "GoodsReceipt", null, "Items", { Warehouse: wh }));
    expect(rows.map((r) => r.Product)).to.have.members(products);
    expect(rows[0].Price).to.equal("10.50");
    const none = await rejects(inArea(p, (ctx) => docs.fillTable(ctx, "Sale", null, "Items")));
    expect(none.code).to.equal("no_fill_handler");
  });

  it("refuses to delete a referenced catalog item; the deletion mark is allowed", async () => {
    const e = await rejects(inArea(p, (ctx) => cat.deleteCatalogItem(ctx, "Units", units)));
    expect(e.status).to.equal(409);
    expect(e.message).to.contain("Номенклатура");
    const marked = await inArea(p, (ctx) => cat.updateCatalogItem(ctx, "Units", units, { deletionMark: true }));
    expect(marked.deletionMark).to.equal(true);
    const free = await inArea(p, (ctx) => cat.createCatalogItem(ctx, "Units", { name: "кг" }));
    await inArea(p, (ctx) => cat.deleteCatalogItem(ctx, "Units", free.id));
    const gone = await rejects(inArea(p, (ctx) => cat.getCatalogItem(ctx, "Units", free.id)));
    expect(gone.status).to.equal(404);
  });

  it("16 concurrent reposts of one document and 8 posters on shared keys leave consistent totals", async () => {
    const big = await inArea(p, (ctx) =>
      docs.createDocument(
        ctx,
        "GoodsReceipt",
        {
          date: "2024-07-01T00:00:00",
          Warehouse: wh,
          Items: products.map((pr) => ({ Product: pr, Quantity: "1000" })),
        },
        { post: true },
      ),
    );
    const sales = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        inArea(p, (ctx) =>
          docs.createDocument(ctx, "Sale", {
            date: `2024-07-0${1 + (i % 8)}T12:00:00`,
            Warehouse: wh,
            Items: products.map((pr) => ({ Product: pr, Quantity: String(i + 1) })),
          }),
        ),
      ),
    );
    await Promise.all([
      ...Array.from({ length: 16 }, (_, i) =>
        inArea(p, (ctx) =>
          docs.updateDocument(ctx, "GoodsReceipt", big.id, {
            Items: products.map((pr) => ({ Product: pr, Quantity: String(1000 + i) })),
          }),
        ),
      ),
      ...sales.map((s) => inArea(p, (ctx) => docs.postDocument(ctx, "Sale", s.id))),
    ]);
    const diffs = await inArea(p, (ctx) => verify(ctx.c, p.conf.accumulationRegisters.get("Stock")!));
    expect(diffs).to.deep.equal([]);
    // the final receipt quantity is one of the 16 writes; the balance equals it minus the sales
    const final = await inArea(p, (ctx) => docs.getDocument(ctx, "GoodsReceipt", big.id));
    const q = Number(final.Items[0].Quantity);
    const sold = (8 * 9) / 2;
    const bal = await inArea(p, (ctx) =>
      balance(ctx.c, p.conf.accumulationRegisters.get("Stock")!, undefined, { Warehouse: wh, Product: products[2] }),
    );
    expect(Number(bal[0].Quantity)).to.equal(q - sold);
  });
});
