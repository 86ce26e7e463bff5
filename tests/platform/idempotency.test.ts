// Safe retries (server/idempotency): a write with an Idempotency-Key has one effect however
// often it is sent — sequentially or as 100 concurrent duplicates — and every duplicate gets the
// first answer; the key is refused for another request, a malformed key is refused, and a
// request that failed leaves its key unused so the corrected request may take it.
import { expect } from "chai";
import { randomUUID } from "node:crypto";
import { startApi, type Api } from "./api-client.ts";
import { verify } from "../../server/registers/index.ts";
import { tx } from "../../server/storage/db.ts";

describe("idempotency keys", function () {
  this.timeout(120_000);
  let api: Api;
  let wh: string, pr: string;
  const receipt = (q = "2") => ({
    date: "2024-03-01T10:00:00",
    Warehouse: wh,
    Items: [{ Product: pr, Quantity: q, Amount: "20" }],
  });
  const send = (key: string, body: unknown, path = "/api/documents/GoodsReceipt?post=true") =>
    api.call("POST", path, body, { headers: { "idempotency-key": key } });
  const count = async () =>
    (await api.platform.db.owner.query(`SELECT count(*)::int AS n FROM doc_goods_receipt`)).rows[0].n as number;

  before(async () => {
    api = await startApi();
    wh = (await api.post("/api/catalogs/Warehouses", { name: "Основной" })).body.id;
    pr = (await api.post("/api/catalogs/Products", { name: "Болт" })).body.id;
  });
  after(() => api?.close());

  it("a retried create-and-post has one effect and the same answer", async () => {
    const before = await count();
    const key = randomUUID();
    const a = await send(key, receipt());
    const b = await send(key, receipt());
    expect(a.status).to.equal(201);
    expect(b.status).to.equal(201);
    expect(b.body).to.deep.equal(a.body);
    expect(await count()).to.equal(before + 1);
  });

  it("100 concurrent duplicates: one document, one posting, every answer the same", async () => {
    const before = await count();
    const key = randomUUID();
    const replies = await Promise.all(Array.from({ length: 100 }, () => send(key, receipt("7"))));
    const statuses = [...new Set(replies.map((r) => r.status))];
    expect(statuses).to.deep.equal([201]);
    expect(new Set(replies.map((r) => r.body.id)).size).to.equal(1);
    expect(await count()).to.equal(before + 1);
    const stock = (
      await api.platform.db.owner.query(`SELECT count(*)::int AS n FROM acc_stock WHERE recorder = $1`, [
        replies[0].body.id,
      ])
    ).rows[0].n;
    expect(stock).to.equal(1);
    expect(
      await tx(api.platform.db.app, 1, (c) => verify(c, api.platform.conf.accumulationRegisters.get("Stock")!)),
    ).to.deep.equal([]);
  });

  it("refuses the key for another request, and a malformed key", async () => {
    const key = randomUUID();
    expect((await send(key, receipt("1"))).status).to.equal(201);
    const other = await send(key, receipt("2"));
    expect(other.status).to.equal(422);
    expect(other.body.error.code).to.equal("idempotency_key_reused");
    const bad = await send("with space", receipt());
    expect(bad.status).to.equal(400);
    expect(bad.body.error.field).to.equal("Idempotency-Key");
  });

  it("a refused request leaves its key unused: the corrected request takes it", async () => {
    const before = await count();
    const key = randomUUID();
    const refused = await send(key, { ...receipt(), Items: [{ Product: pr, Quantity: "-x" }] });
    expect(refused.status).to.be.within(400, 499);
    expect(await count()).to.equal(before);
    const ok = await send(key, receipt("3"));
    expect(ok.status).to.equal(201);
    expect(await count()).to.equal(before + 1);
  });

  it("works for unposting too: a retried unpost answers the same and changes nothing more", async () => {
    const doc = (await send(randomUUID(), receipt("4"))).body;
    const key = randomUUID();
    const a = await send(key, undefined, `/api/documents/GoodsReceipt/${doc.id}/unpost`);
    const b = await send(key, undefined, `/api/documents/GoodsReceipt/${doc.id}/unpost`);
    expect(a.status).to.equal(200);
    expect(b.body).to.deep.equal(a.body);
    expect(a.body.posted).to.equal(false);
  });
});

describe("documents: the batch route", function () {
  this.timeout(120_000);
  let api: Api;
  let wh: string, pr: string;
  before(async () => {
    api = await startApi();
    wh = (await api.post("/api/catalogs/Warehouses", { name: "Основной" })).body.id;
    pr = (await api.post("/api/catalogs/Products", { name: "Болт" })).body.id;
  });
  after(() => api?.close());
  const item = (q: string) => ({ date: "2024-03-01T10:00:00", Warehouse: wh, Items: [{ Product: pr, Quantity: q }] });

  it("posts every item in one transaction, or none, naming the bad item", async () => {
    const ok = await api.post("/api/documents/GoodsReceipt/batch?post=true", { items: [item("1"), item("2")] });
    expect(ok.status).to.equal(201);
    expect(ok.body.ids).to.have.length(2);
    const before = (await api.platform.db.owner.query(`SELECT count(*)::int AS n FROM doc_goods_receipt`)).rows[0].n;
    const bad = await api.post("/api/documents/GoodsReceipt/batch?post=true", {
      items: [item("1"), { ...item("1"), Extra: 1 }],
    });
    expect(bad.status).to.equal(400);
    expect(bad.body.error.field).to.match(/^items\[1\]/);
    const shape = await api.post("/api/documents/GoodsReceipt/batch", [item("1")]);
    expect(shape.status).to.equal(400);
    expect((await api.platform.db.owner.query(`SELECT count(*)::int AS n FROM doc_goods_receipt`)).rows[0].n).to.equal(
      before,
    );
  });
});
