// A document module's file hooks and afterPost (server/documents/files.ts, docs/metadata.md
// «Documents that write documents, files in and out»), on a copy of the warehouse fixture whose
// GoodsReceipt imports a «sku;quantity;price» file, exports its receipts and, posted with the
// supplier «copy», writes a second receipt and itself again. POST …/import takes the bytes (one
// transaction: a refusal writes nothing; 404 for a document without the hook; the rights to write
// and post it, and to write what it creates: the storekeeper may not create a Sale → 403, nothing
// written); GET …/export downloads the file; afterPost's documents commit with the posting.
import { expect } from "chai";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSecure, ADMIN_PW, type Secure, type Reply } from "../security/helpers.ts";
import type { TestSession } from "./api-client.ts";
import { testPlatform, WAREHOUSE } from "../helpers/db.ts";

const MODULE = `
export default {
  post(ctx) {
    for (const row of ctx.doc.Items)
      ctx.movements.Stock.add({ kind: "receipt", Warehouse: ctx.doc.Warehouse, Product: row.Product,
        Quantity: row.Quantity, Amount: row.Amount ?? 0 });
  },
  async afterPost(ctx) {
    if (ctx.doc.Supplier !== "copy") return;
    await ctx.createDocument("GoodsReceipt", { Warehouse: ctx.doc.Warehouse, Supplier: "copy of " + ctx.doc.number, Items: [] });
    await ctx.updateDocument("GoodsReceipt", ctx.doc.id, { Supplier: "copied" }, { post: true });
  },
  async import(ctx) {
    const lines = ctx.file.toString("utf8").split(/\\r?\\n/).filter((l) => l.trim());
    const skus = lines.map((l) => l.split(";")[0]);
    const products = new Map((await ctx.query("catalog", "Products", { Sku: skus })).map((p) => [p.Sku, p.id]));
    const Items = lines.map((l, i) => {
      const [sku, quantity, price] = l.split(";");
      if (!products.has(sku)) throw ctx.error("Строка " + (i + 1) + ": нет товара с артикулом " + sku);
      return { Product: products.get(sku), Quantity: quantity, Price: price, Amount: (Number(quantity) * Number(price)).toFixed(2) };
    });
    const [id] = await ctx.createDocuments("GoodsReceipt", [{ Warehouse: ctx.params.warehouse, Supplier: ctx.params.supplier ?? null, Items }], { post: true });
    if (ctx.params.sale === "1") await ctx.createDocument("Sale", { Warehouse: ctx.params.warehouse, Items: [] });
    return { receipt: await ctx.getDocument("GoodsReceipt", id), lines: Items.length };
  },
  async export(ctx) {
    const docs = await ctx.query("document", "GoodsReceipt", {});
    return { fileName: "поступления " + (ctx.params.tag ?? "") + ".csv", contentType: "text/csv; charset=utf-8",
      body: Buffer.from(docs.map((d) => d.number + ";" + (d.Supplier ?? "")).join("\\n")) };
  },
};
`;

describe("platform: a document's import, export and afterPost hooks", function () {
  let dir: string;
  let s: Secure;
  let admin: TestSession;
  let keeper: TestSession;
  let warehouse: string;
  const D = "/api/documents/GoodsReceipt";
  const ok = (r: Reply, status = 200) => {
    if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${r.text.slice(0, 400)}`);
    return r.body as any;
  };
  async function upload(as: TestSession, path: string, data: string) {
    const r = await fetch(s.base + path, {
      method: "POST",
      headers: { cookie: as.cookie, "x-csrf-token": as.csrf, "content-type": "application/octet-stream" },
      body: data,
    });
    const text = await r.text();
    return {
      status: r.status,
      body: text.startsWith("{") ? JSON.parse(text) : text,
      headers: r.headers,
      text,
    } as Reply;
  }
  const count = async () => ok(await s.req("GET", `${D}?limit=100`, { session: admin })).rows.length as number;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "zhkh-file-hooks-"));
    cpSync(WAREHOUSE, dir, { recursive: true });
    writeFileSync(join(dir, "documents", "GoodsReceipt.ts"), MODULE);
    s = await startSecure({ platform: await testPlatform(dir, "filehooks") });
    admin = await s.login("admin", ADMIN_PW);
    keeper = await s.user("keeper", ["Storekeeper"]);
    warehouse = ok(
      await s.req("POST", "/api/catalogs/Warehouses", { session: admin, body: { name: "Основной" } }),
      201,
    ).id;
    for (const [name, Sku] of [
      ["Гвозди", "G-1"],
      ["Шурупы", "S-2"],
    ])
      ok(await s.req("POST", "/api/catalogs/Products", { session: admin, body: { name, Sku } }), 201);
  });
  after(async () => {
    await s?.close();
    await s?.platform.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("import: the file's bytes become a posted receipt in one transaction; the hook's answer is the reply", async () => {
    const r = ok(
      await upload(keeper, `${D}/import?warehouse=${warehouse}&supplier=ООО%20Метиз`, "G-1;10;2.50\nS-2;4;1.25\n"),
    );
    expect(r.lines).to.equal(2);
    expect(r.receipt).to.deep.include({ posted: true, Supplier: "ООО Метиз" });
    expect(r.receipt.Items.map((i: any) => [i.Quantity, i.Amount])).to.deep.equal([
      ["10.000", "25.00"],
      ["4.000", "5.00"],
    ]);
  });

  it("a refusal writes nothing (422 with the hook's message); a kind the user may not write is 403 and undoes the rest", async () => {
    const before = await count();
    const bad = await upload(keeper, `${D}/import?warehouse=${warehouse}`, "G-1;1;1\nX-9;1;1\n");
    expect(bad.status).to.equal(422);
    expect(bad.text).to.include("Строка 2: нет товара с артикулом X-9");
    const sale = await upload(keeper, `${D}/import?warehouse=${warehouse}&sale=1`, "G-1;1;1\n");
    expect(sale.status).to.equal(403);
    expect(sale.text).to.include("Sale");
    expect(await count()).to.equal(before);
    // the administrator may create the Sale: both commit
    ok(await upload(admin, `${D}/import?warehouse=${warehouse}&sale=1`, "G-1;1;1\n"));
    expect(await count()).to.equal(before + 1);
  });

  it("the route's rights and a document without the hook: read-only users 403, Sale 404", async () => {
    const viewer = await s.user("viewer", ["Viewer"]);
    expect((await upload(viewer, `${D}/import?warehouse=${warehouse}`, "G-1;1;1\n")).status).to.equal(403);
    expect((await upload(admin, "/api/documents/Sale/import", "x")).status).to.equal(404);
    expect((await s.req("GET", "/api/documents/Sale/export", { session: admin })).status).to.equal(404);
    expect((await upload(admin, `${D}/import?warehouse=${warehouse}&x=1&x=2`, "G-1;1;1\n")).status).to.equal(400);
  });

  it("export: the module's file downloaded as an attachment with its name", async () => {
    const r = await fetch(`${s.base}${D}/export?tag=май`, { headers: { cookie: keeper.cookie } });
    expect(r.status).to.equal(200);
    expect(r.headers.get("content-type")).to.match(/^text\/csv/);
    expect(r.headers.get("x-content-type-options")).to.equal("nosniff");
    const cd = r.headers.get("content-disposition")!;
    expect(decodeURIComponent(cd.split("UTF-8''")[1])).to.equal("поступления май.csv");
    expect(await r.text()).to.include("ООО Метиз");
  });

  it("afterPost: posted with the supplier «copy», the receipt writes another and itself again, in the same transaction", async () => {
    const before = await count();
    const r = ok(
      await s.req("POST", `${D}?post=true`, {
        session: admin,
        body: { Warehouse: warehouse, Supplier: "copy", Items: [] },
      }),
      201,
    );
    expect(r).to.deep.include({ posted: true, Supplier: "copied" });
    const rows = ok(await s.req("GET", `${D}?limit=100`, { session: admin })).rows;
    expect(rows.length).to.equal(before + 2);
    expect(rows.map((x: any) => x.Supplier)).to.include(`copy of ${r.number}`);
  });
});
