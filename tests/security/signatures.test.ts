/**
 * Signed documents over the API: a user registers an Ed25519 public key, reads a posted
 * document's canonical bytes, signs them on the client and posts the signature; the server
 * verifies it, the document reads and lists carry `signed`, and any change, repost or unpost
 * voids the signatures visibly (kept, with when and why) and journals it. A change made outside
 * the application (in the database) shows as "changed" on verification.
 */
import { expect } from "chai";
import { generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { startApi, seed, expectError, type Api, type Seed } from "../platform/api-client.ts";

describe("security: signed documents (Ed25519)", function () {
  let api: Api;
  let s: Seed;
  let priv: KeyObject;
  let pubPem: string;
  let docId: string;
  const path = () => `/api/documents/GoodsReceipt/${docId}`;
  const canonical = async () => {
    const r = await fetch(api.base + path() + "/canonical");
    expect(r.status).to.equal(200);
    return { bytes: Buffer.from(await r.arrayBuffer()), sha: r.headers.get("x-canonical-sha256")! };
  };
  const signNow = async () => {
    const c = await canonical();
    return api.post(path() + "/signatures", {
      signature: sign(null, c.bytes, priv).toString("base64"),
      canonicalSha256: c.sha,
    });
  };
  const signatures = async () => (await api.get(path() + "/signatures")).body;

  before(async () => {
    api = await startApi();
    s = await seed(api);
    const pair = generateKeyPairSync("ed25519");
    priv = pair.privateKey;
    pubPem = pair.publicKey.export({ format: "pem", type: "spki" }).toString();
    const r = await api.post("/api/documents/GoodsReceipt?post=true", {
      date: "2024-05-02T12:00:00",
      Warehouse: s.warehouse,
      Items: [{ Product: s.products[0], Quantity: "5", Price: "10.50" }],
    });
    expect(r.status, JSON.stringify(r.body)).to.equal(201);
    docId = r.body.id;
  });
  after(() => api?.close());

  it("registers the user's public key; refuses a duplicate and a key that is not Ed25519", async () => {
    const r = await api.post("/api/signatures/keys", { publicKey: pubPem, title: "ноутбук" });
    expect(r.status, JSON.stringify(r.body)).to.equal(201);
    expect(r.body).to.include({ algorithm: "ed25519", title: "ноутбук", revokedAt: null });
    expect(r.body.fingerprint).to.match(/^[0-9a-f]{64}$/);
    expectError(await api.post("/api/signatures/keys", { publicKey: pubPem }), 409, "publicKey");
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 })
      .publicKey.export({ format: "pem", type: "spki" })
      .toString();
    expect(
      expectError(await api.post("/api/signatures/keys", { publicKey: rsa }), 422, "publicKey").message,
    ).to.contain("ожидается Ed25519");
    expectError(await api.post("/api/signatures/keys", { publicKey: "bm90IGEga2V5" }), 422, "publicKey");
    expectError(await api.post("/api/signatures/keys", { publicKey: 5 }), 400, "publicKey");
    expect((await api.get("/api/signatures/keys")).body.keys).to.have.length(1);
  });

  it("the canonical form: sorted keys, decimal strings, no whitespace, document and register records", async () => {
    const { bytes, sha } = await canonical();
    const text = bytes.toString("utf8");
    expect(text).not.to.match(/\s(?=(?:[^"]*"[^"]*")*[^"]*$)/); // no whitespace outside strings
    const parsed = JSON.parse(text);
    expect(Object.keys(parsed)).to.deep.equal(["document", "format", "object", "registers"]);
    expect(parsed.object.Items[0]).to.include({ Quantity: "5.000", Price: "10.50", Amount: "52.50", line: "1" });
    expect(parsed.registers.Stock[0]).to.include({ Quantity: "5.000", Amount: "52.50", recordKind: "receipt" });
    expect(parsed.object).not.to.have.property("version");
    expect(sha).to.match(/^[0-9a-f]{64}$/);
    expect((await canonical()).bytes.equals(bytes)).to.equal(true);
  });

  it("a client-side signature is verified, stored with signer, time and key, and marks the document «Подписан»", async () => {
    expect((await api.get(path())).body.signed).to.equal(false);
    const r = await signNow();
    expect(r.status, JSON.stringify(r.body)).to.equal(201);
    expect(r.body).to.include({ algorithm: "ed25519", void: null });
    expect(r.body.signer.login).to.be.a("string");
    expect(r.body.publicKey).to.contain("BEGIN PUBLIC KEY");
    expect(r.body.verify).to.deep.equal({ valid: true, status: "valid", message: "Подпись верна" });
    expect((await api.get(path())).body.signed).to.equal(true);
    const list = await api.get("/api/documents/GoodsReceipt");
    expect(list.body.rows.find((x: any) => x.id === docId).signed).to.equal(true);
    const sigs = await signatures();
    expect(sigs.signed).to.equal(true);
    expect(sigs.signatures).to.have.length(1);
    const j = await api.get(`/api/journal?action=sign&object=${docId}`);
    expect(j.body.total).to.equal(1);
  });

  it("refuses a wrong signature, a stale canonical form, an unposted document, naming what to do", async () => {
    const c = await canonical();
    const wrong = sign(null, Buffer.from("something else"), priv).toString("base64");
    expect(
      expectError(await api.post(path() + "/signatures", { signature: wrong }), 422, "signature").message,
    ).to.contain("GET …/canonical");
    expectError(
      await api.post(path() + "/signatures", {
        signature: sign(null, c.bytes, priv).toString("base64"),
        canonicalSha256: "0".repeat(64),
      }),
      409,
      "canonicalSha256",
    );
    expectError(await api.post(path() + "/signatures", { signature: "AAAA" }), 422, "signature");
    expectError(await api.post(path() + "/signatures", { signature: wrong, extra: "x" }), 400, "extra");
    const draft = await api.post("/api/documents/GoodsReceipt", {
      date: "2024-05-03T12:00:00",
      Warehouse: s.warehouse,
      Items: [],
    });
    const e = expectError(
      await api.post(`/api/documents/GoodsReceipt/${draft.body.id}/signatures`, { signature: wrong }),
      422,
      "posted",
    );
    expect(e.message).to.contain("не проведен");
    expectError(await api.get(`/api/documents/GoodsReceipt/00000000-0000-0000-0000-000000000000/signatures`), 404);
  });

  it("changing, reposting and unposting void the signatures: kept, marked void with when and why, journalled", async () => {
    const put = await api.put(path(), { Supplier: "ООО Поставщик" });
    expect(put.status, JSON.stringify(put.body)).to.equal(200);
    expect(put.body.signed).to.equal(false);
    let sigs = await signatures();
    expect(sigs.signed).to.equal(false);
    expect(sigs.signatures[0].void).to.include({ reason: "документ изменен" });
    expect(sigs.signatures[0].verify.status).to.equal("void");

    expect((await signNow()).status).to.equal(201);
    expect((await api.post(path() + "/post")).status).to.equal(200);
    sigs = await signatures();
    expect(sigs.signatures.map((x: any) => x.void?.reason)).to.deep.equal([
      "документ изменен",
      "документ перепроведен",
    ]);

    expect((await signNow()).status).to.equal(201);
    expect((await api.post(path() + "/unpost")).status).to.equal(200);
    sigs = await signatures();
    expect(sigs.signatures.map((x: any) => x.void?.reason)).to.deep.equal([
      "документ изменен",
      "документ перепроведен",
      "проведение документа отменено",
    ]);
    for (const x of sigs.signatures) expect(x.void.at).to.match(/^\d{4}-\d\d-\d\dT/);

    const j = await api.get(`/api/journal?action=signaturesVoid&object=${docId}`);
    expect(j.body.total).to.equal(3);
    expect(j.body.rows.map((x: any) => x.details.reason)).to.deep.equal([
      "проведение документа отменено",
      "документ перепроведен",
      "документ изменен",
    ]);
    expect(j.body.rows[0].actionTitle).to.equal("Подписи аннулированы");
  });

  it("a change made in the database behind the application's back shows as «changed»", async () => {
    expect((await api.post(path() + "/post")).status).to.equal(200);
    expect((await signNow()).status).to.equal(201);
    await api.platform.db.owner.query(`UPDATE acc_stock SET quantity = quantity + 1 WHERE recorder = $1`, [docId]);
    const last = (await signatures()).signatures.at(-1);
    expect(last.void).to.equal(null);
    expect(last.verify).to.include({ valid: false, status: "changed" });
  });
});
