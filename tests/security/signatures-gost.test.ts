/**
 * GOST R 34.10-2012 / 34.11-2012 signatures (detached CMS through openssl's gost engine), run
 * when the engine is installed (Debian: libengine-gost-openssl) and skipped with that message
 * otherwise; and the server-side signing path kept for tests and the demo (signOnServer).
 */
import { expect } from "chai";
import { generateKeyPairSync } from "node:crypto";
import { startApi, seed, expectError, type Api } from "../platform/api-client.ts";
import { gostAvailable } from "../../server/signatures/gost.ts";
import { registerKey } from "../../server/signatures/keys.ts";
import { listSignatures } from "../../server/signatures/service.ts";
import { gostTestCertificate, signCms, signOnServer } from "../helpers/signing.ts";
import { inArea } from "../helpers/services.ts";

const PETROV = { userId: "u-petrov", login: "petrov", ip: "192.0.2.10" };

describe("security: GOST signatures and the server-side signing path", function () {
  this.timeout(120_000);
  let api: Api;
  let docId: string;
  const path = () => `/api/documents/GoodsReceipt/${docId}`;

  before(async () => {
    api = await startApi();
    const s = await seed(api);
    const r = await api.post("/api/documents/GoodsReceipt?post=true", {
      date: "2024-06-01T09:00:00",
      Warehouse: s.warehouse,
      Items: [{ Product: s.products[0], Quantity: "2", Price: "3.00" }],
    });
    docId = r.body.id;
  });
  after(() => api?.close());

  it("server side (tests and demo only): an Ed25519 key pair signs for a user given in the context", async () => {
    const pair = generateKeyPairSync("ed25519");
    const pub = pair.publicKey.export({ format: "pem", type: "spki" }).toString();
    const v = await inArea(api.platform, async (c) => {
      const ctx = { ...c, actor: PETROV };
      await registerKey(ctx, { publicKey: pub });
      return signOnServer(ctx, "GoodsReceipt", docId, {
        ed25519Pem: pair.privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
      });
    });
    expect(v.verify.status).to.equal("valid");
    expect(v.signer).to.deep.equal({ userId: "u-petrov", login: "petrov" });
    // No user, no signature.
    const e = await inArea(api.platform, (c) =>
      signOnServer(c, "GoodsReceipt", docId, {
        ed25519Pem: pair.privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
      }),
    ).then(
      () => null,
      (x: Error & { status?: number }) => x,
    );
    expect(e?.status).to.equal(401);
  });

  it("GOST R 34.10-2012: a registered certificate's detached CMS over the canonical bytes is verified", async function () {
    if (!(await gostAvailable())) {
      console.log("      (skipped: the openssl gost engine is not installed — apt-get install libengine-gost-openssl)");
      this.skip();
    }
    const { keyPem, certPem } = await gostTestCertificate("Иванов Иван");
    const providers = (await api.get("/api/signatures/providers")).body.algorithms;
    expect(providers).to.deep.equal(["ed25519", "gost2012"]);
    const k = await api.post("/api/signatures/keys", { algorithm: "gost2012", certificate: certPem });
    expect(k.status, JSON.stringify(k.body)).to.equal(201);
    const c = await fetch(api.base + path() + "/canonical");
    const bytes = Buffer.from(await c.arrayBuffer());
    const cms = (await signCms(bytes, keyPem, certPem)).toString("base64");
    const r = await api.post(path() + "/signatures", { algorithm: "gost2012", cms });
    expect(r.status, JSON.stringify(r.body)).to.equal(201);
    expect(r.body).to.include({ algorithm: "gost2012", publicKey: null });
    expect(r.body.subject).to.contain("Иванов Иван");
    expect(r.body.certificate).to.contain("BEGIN CERTIFICATE");
    expect(r.body.verify).to.deep.equal({ valid: true, status: "valid", message: "Подпись ГОСТ верна" });
    // A CMS over other bytes is refused; a certificate nobody registered is refused.
    const other = (await signCms(Buffer.from("{}"), keyPem, certPem)).toString("base64");
    expectError(await api.post(path() + "/signatures", { algorithm: "gost2012", cms: other }), 422, "cms");
    const stranger = await gostTestCertificate("Чужой");
    const e = expectError(
      await api.post(path() + "/signatures", {
        algorithm: "gost2012",
        cms: (await signCms(bytes, stranger.keyPem, stranger.certPem)).toString("base64"),
      }),
      422,
      "cms",
    );
    expect(e.message).to.contain("не зарегистрирован");
    // Server-side path with GOST, then a change behind the application's back.
    const v = await inArea(api.platform, async (ctx) => {
      await registerKey({ ...ctx, actor: PETROV }, { algorithm: "gost2012", certificate: stranger.certPem });
      return signOnServer({ ...ctx, actor: PETROV }, "GoodsReceipt", docId, {
        gostKeyPem: stranger.keyPem,
        gostCertPem: stranger.certPem,
      });
    });
    expect(v.verify.status).to.equal("valid");
    await api.platform.db.owner.query(`UPDATE doc_goods_receipt SET supplier = 'подмена' WHERE id = $1`, [docId]);
    const all = await inArea(api.platform, (ctx) => listSignatures(ctx, "GoodsReceipt", docId));
    expect(all.signatures.filter((x) => x.algorithm === "gost2012").map((x) => x.verify.status)).to.deep.equal([
      "changed",
      "changed",
    ]);
  });
});
