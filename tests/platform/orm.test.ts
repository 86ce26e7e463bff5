// The platform's TypeORM DataSource (server/storage/orm.ts): it is opened over the application
// pool itself, its EntityManager works on the transaction's own connection (app.area set, the
// transaction's uncommitted rows visible, rolled back with it), and a moment is written as the
// wall-clock time it was given whatever the server's time zone.
import { expect } from "chai";
import { testPlatform } from "../helpers/db.ts";
import type { Platform } from "../../server/platform.ts";
import { poolOf, ormOf } from "../../server/storage/orm.ts";
import { tx } from "../../server/storage/db.ts";
import * as cat from "../../server/catalogs/service.ts";
import * as docs from "../../server/documents/service.ts";
import { inArea } from "../helpers/services.ts";

describe("TypeORM inside the platform's transactions", () => {
  let p: Platform;
  let warehouse: string;

  before(async () => {
    p = await testPlatform(undefined, "orm-tx");
    warehouse = (await inArea(p, (ctx) => cat.createCatalogItem(ctx, "Warehouses", { name: "Склад ORM" }))).id;
  });
  after(() => p?.close());

  it("is opened over the application pool: one pool, one set of connections", () => {
    expect(poolOf(p.orm)).to.equal(p.db.app);
  });

  it("works in the transaction's area and sees, and loses, what the transaction wrote", async () => {
    const seen = await tx(p.db.app, 1, async (c) => {
      await ormOf(c)
        .createQueryBuilder()
        .insert()
        .into("cat_units")
        .values({ code: "900", name: "Откатится" })
        .execute();
      const plain = await c.query("SELECT name FROM cat_units WHERE code = '900'");
      return { plain: plain.rows, area: await ormOf(c).getRepository("cat_warehouses").countBy({ id: warehouse }) };
    });
    expect(seen).to.deep.equal({ plain: [{ name: "Откатится" }], area: 1 });
    // committed: now roll one back
    await tx(p.db.app, 1, async (c) => {
      await ormOf(c).createQueryBuilder().delete().from("cat_units").where("code = '900'").execute();
      throw new Error("rolled back");
    }).catch(() => {});
    const kept = await tx(p.db.app, 1, (c) => ormOf(c).getRepository("cat_units").countBy({ code: "900" }));
    expect(kept, "the deletion was rolled back with its transaction").to.equal(1);
    const otherArea = await tx(p.db.app, 2, (c) => ormOf(c).getRepository("cat_warehouses").countBy({ id: warehouse }));
    expect(otherArea, "row-level security applies to TypeORM's statements").to.equal(0);
  });

  it("writes a moment as the wall-clock time it was given, even one the server's zone skips", async () => {
    const zone = process.env.TZ;
    process.env.TZ = "America/New_York"; // 2024-03-10 02:00–03:00 does not exist there
    try {
      const doc = await inArea(p, (ctx) =>
        docs.createDocument(ctx, "GoodsReceipt", { date: "2024-03-10T02:30:00", Warehouse: warehouse, Items: [] }),
      );
      expect(doc.date).to.equal("2024-03-10T02:30:00");
      const moved = await inArea(p, (ctx) =>
        docs.updateDocument(ctx, "GoodsReceipt", doc.id, { date: "2024-03-10T02:45:00", version: doc.version }),
      );
      expect(moved.date).to.equal("2024-03-10T02:45:00");
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
});
