// Integrity in the database (issue 14 §4): every reference attribute of catalogs, documents and
// tabular parts, a tabular row's owner and a group's parent are foreign keys on (area, id). The
// checks before writing cannot see another transaction's uncommitted rows; the keys can: when
// "create a row referring to X" races "delete X" on two connections, one of them is refused
// (a 409 naming what happened) and the two never both commit.
import { expect } from "chai";
import type pg from "pg";
import * as catalogs from "../../server/catalogs/service.ts";
import * as documents from "../../server/documents/service.ts";
import type { Platform } from "../../server/platform.ts";
import { AppError } from "../../server/errors.ts";
import { testPlatform, WAREHOUSE } from "../helpers/db.ts";
import { inArea } from "../helpers/services.ts";

/** A transaction of area 1 left open on its own connection, for the test to interleave. */
async function openTx(p: Platform) {
  const c = (await p.db.app.connect()) as pg.PoolClient;
  await c.query("BEGIN; SELECT set_config('app.area', '1', true)");
  const ctx = { c, conf: p.conf, area: 1 };
  return {
    ctx,
    commit: async () => {
      await c.query("COMMIT");
      c.release();
    },
    rollback: async () => {
      await c.query("ROLLBACK").catch(() => {});
      c.release();
    },
  };
}

/** Waits (on the database's own word, not a timer) until some statement waits for a lock. */
async function someoneWaitsForALock(p: Platform): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const r = await p.db.owner.query(
      `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (r.rowCount) return;
    await new Promise((res) => setImmediate(res));
  }
  throw new Error("no statement came to wait for a lock");
}

/** Resolves to the settled outcome without throwing. */
const settle = <T>(p: Promise<T>) =>
  p.then(
    (v) => ({ ok: true as const, v }),
    (e: unknown) => ({ ok: false as const, e }),
  );

describe("platform: references kept by the database", function () {
  let p: Platform;
  let warehouse: string;
  let unit: string;
  before(async () => {
    p = await testPlatform(WAREHOUSE, "refs");
    unit = (await inArea(p, (ctx) => catalogs.createCatalogItem(ctx, "Units", { name: "шт" }))).id;
    warehouse = (await inArea(p, (ctx) => catalogs.createCatalogItem(ctx, "Warehouses", { name: "Склад" }))).id;
  });
  after(async () => {
    await p?.close();
  });

  const newProduct = async (name: string) =>
    (await inArea(p, (ctx) => catalogs.createCatalogItem(ctx, "Products", { name, Unit: unit, ProductKind: "Goods" })))
      .id;
  const receipt = (product: string) => ({
    date: "2024-03-01T10:00:00",
    Warehouse: warehouse,
    Items: [{ Product: product, Quantity: "1", Price: "1.00" }],
  });
  const exists = async (table: string, id: string) =>
    (await p.db.owner.query(`SELECT 1 FROM ${table} WHERE id = $1`, [id])).rowCount === 1;

  it("the database has the keys: a row naming a missing object is refused even past the application's checks", async () => {
    const keys = await p.db.owner.query(
      `SELECT conrelid::regclass::text AS t, confrelid::regclass::text AS r FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text LIKE 'doc_goods_receipt%'`,
    );
    expect(keys.rows.map((k) => `${k.t} → ${k.r}`).sort()).to.include.members([
      "doc_goods_receipt → cat_warehouses",
      "doc_goods_receipt__items → cat_products",
      "doc_goods_receipt__items → doc_goods_receipt",
    ]);
    const e = await p.db.owner
      .query(
        `INSERT INTO doc_goods_receipt (area, number, date, warehouse) VALUES (1, 'X-1', now(), gen_random_uuid())`,
      )
      .then(
        () => null,
        (x) => x as { code: string },
      );
    expect(e?.code).to.equal("23503");
  });

  it("a receipt naming a product, raced by the product's deletion: the deletion waits and is refused (409); both exist", async () => {
    const product = await newProduct("Гвоздь А");
    const a = await openTx(p);
    const doc = await documents.createDocument(a.ctx, "GoodsReceipt", receipt(product)); // not committed yet
    const deleting = settle(inArea(p, (ctx) => catalogs.deleteCatalogItem(ctx, "Products", product)));
    await someoneWaitsForALock(p); // the deletion reaches the product row the receipt's key holds, and waits
    await a.commit();
    const del = await deleting;
    expect(del.ok, "the deletion must be refused").to.equal(false);
    expect(del.ok ? null : del.e).to.be.instanceOf(AppError);
    expect((del as { e: AppError }).e.status).to.equal(409);
    expect((del as { e: AppError }).e.message).to.match(/Нельзя удалить «Гвоздь А»/);
    expect(await exists("cat_products", product)).to.equal(true);
    expect(await exists("doc_goods_receipt", doc.id)).to.equal(true);
  });

  it("a product's deletion, raced by a receipt naming it: the receipt waits and is refused (409); neither half-written", async () => {
    const product = await newProduct("Гвоздь Б");
    const b = await openTx(p);
    await catalogs.deleteCatalogItem(b.ctx, "Products", product); // not committed yet
    const creating = settle(inArea(p, (ctx) => documents.createDocument(ctx, "GoodsReceipt", receipt(product))));
    await someoneWaitsForALock(p); // the receipt's key check reaches the product being deleted, and waits
    await b.commit();
    const made = await creating;
    expect(made.ok, "the receipt must be refused").to.equal(false);
    expect((made as { e: AppError }).e).to.be.instanceOf(AppError);
    expect((made as { e: AppError }).e.status).to.equal(409);
    expect(await exists("cat_products", product)).to.equal(false);
    const left = await p.db.owner.query(`SELECT count(*)::int AS n FROM doc_goods_receipt__items WHERE product = $1`, [
      product,
    ]);
    expect(left.rows[0].n).to.equal(0);
  });

  it("a document's tabular rows go with it", async () => {
    const product = await newProduct("Гвоздь В");
    const doc = await inArea(p, (ctx) => documents.createDocument(ctx, "GoodsReceipt", receipt(product)));
    await inArea(p, (ctx) => documents.deleteDocument(ctx, "GoodsReceipt", doc.id));
    const left = await p.db.owner.query(`SELECT count(*)::int AS n FROM doc_goods_receipt__items WHERE owner = $1`, [
      doc.id,
    ]);
    expect(left.rows[0].n).to.equal(0);
  });
});
