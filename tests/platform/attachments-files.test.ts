// Attachments (issue 17 §2): files on a document (SalesOrder) and a catalog item (Warehouses) of
// the warehouse fixture — the type checked by content (JPEG, PNG, WEBP, PDF; HTML or an
// executable named .jpg refused 415), the size (10 MB; more is 413), rights (write to add and
// delete, read to list and download), the download's headers (attachment, nosniff, its sniffed
// type), an object without `attachments: true` (404), the journal, the area's row-level security.
import { expect } from "chai";
import { startSecure, refused, ADMIN_PW, type Secure, type Reply } from "../security/helpers.ts";
import type { TestSession } from "./api-client.ts";
import { tx } from "../../server/storage/db.ts";

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from("JFIF-body-of-a-photo")]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32, 7)]);
const WEBP = Buffer.concat([Buffer.from("RIFF"), Buffer.from([20, 0, 0, 0]), Buffer.from("WEBPVP8 "), Buffer.alloc(8)]);
const PDF = Buffer.from("%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");
const HTML = Buffer.from("<!doctype html><script>alert(1)</script>");

describe("attachments: files on documents and catalog items", function () {
  let s: Secure;
  let admin: TestSession;
  let keeper: TestSession;
  let viewer: TestSession;
  let order: string;
  let wh: string;
  const D = "/api/documents/SalesOrder";
  const ok = (r: Reply, status = 200) => {
    if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${r.text.slice(0, 400)}`);
    return r.body;
  };
  /** Uploads raw bytes as application/octet-stream (or the type given), the name in X-File-Name. */
  async function upload(as: TestSession, path: string, data: Buffer, name: string, type = "application/octet-stream") {
    const r = await fetch(s.base + path, {
      method: "POST",
      headers: {
        cookie: as.cookie,
        "x-csrf-token": as.csrf,
        "content-type": type,
        "x-file-name": encodeURIComponent(name),
      },
      body: new Uint8Array(data),
    });
    const text = await r.text();
    let body: any = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* text */
    }
    return { status: r.status, body, headers: r.headers, text } as Reply;
  }

  before(async () => {
    s = await startSecure();
    admin = await s.login("admin", ADMIN_PW);
    keeper = await s.user("keeper", ["Storekeeper"]);
    viewer = await s.user("viewer", ["Viewer"]);
    wh = ok(await s.req("POST", "/api/catalogs/Warehouses", { session: admin, body: { name: "Склад" } }), 201).id;
    order = ok(await s.req("POST", D, { session: admin, body: { Customer: "ООО Ромашка", Warehouse: wh } }), 201).id;
  });
  after(async () => {
    await s?.close();
  });

  it("takes JPEG, PNG, WEBP and PDF by their content whatever the name or declared type, and serves them as downloads", async () => {
    const files: [Buffer, string, string][] = [
      [JPEG, "фото трещины.jpg", "image/jpeg"],
      [PNG, "scan.bin", "image/png"],
      [WEBP, "снимок", "image/webp"],
      [PDF, "акт.pdf", "application/pdf"],
    ];
    for (const [data, name, type] of files) {
      const a = ok(await upload(keeper, `${D}/${order}/attachments`, data, name, "text/html"), 201);
      expect(a).to.deep.include({ fileName: name, contentType: type, size: data.length, login: "keeper" });
      const r = await fetch(`${s.base}${D}/${order}/attachments/${a.id}`, { headers: { cookie: viewer.cookie } });
      expect(r.status).to.equal(200);
      expect(r.headers.get("content-type")).to.equal(type);
      expect(r.headers.get("x-content-type-options")).to.equal("nosniff");
      const cd = r.headers.get("content-disposition")!;
      expect(cd).to.match(/^attachment; filename="[\x20-\x7e]*"; filename\*=UTF-8''/);
      expect(decodeURIComponent(cd.split("UTF-8''")[1])).to.equal(name);
      expect(Buffer.from(await r.arrayBuffer()).equals(data)).to.equal(true);
    }
    const list = ok(await s.req("GET", `${D}/${order}/attachments`, { session: viewer }));
    expect(list.attachments.map((x: any) => x.fileName)).to.deep.equal(files.map((f) => f[1]));
    expect(list).to.deep.include({ canEdit: false, maxBytes: 10 * 1024 * 1024 });
    expect(ok(await s.req("GET", `${D}/${order}/attachments`, { session: keeper })).canEdit).to.equal(true);
  });

  it("refuses other content (HTML named .jpg, an empty file) with 415 and a file over 10 MB with 413, in Russian", async () => {
    const html = refused(await upload(admin, `${D}/${order}/attachments`, HTML, "photo.jpg", "image/jpeg"), 415);
    expect(html).to.match(/только фотография \(JPEG, PNG, WEBP\) или PDF/);
    refused(await upload(admin, `${D}/${order}/attachments`, Buffer.alloc(0), "empty.pdf"), 415);
    const exe = Buffer.concat([Buffer.from("MZ"), Buffer.alloc(100)]);
    refused(await upload(admin, `${D}/${order}/attachments`, exe, "a.pdf", "application/pdf"), 415);
    const big = Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024 - PDF.length + 1, 0x20)]);
    expect(refused(await upload(admin, `${D}/${order}/attachments`, big, "big.pdf"), 413)).to.match(/больше 10 МБ/);
    const exact = Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024 - PDF.length, 0x20)]);
    expect(ok(await upload(admin, `${D}/${order}/attachments`, exact, "ровно 10 МБ.pdf"), 201).size).to.equal(
      10 * 1024 * 1024,
    );
  });

  it("keeps a plain file name: no folders, no control characters; quotes cannot break the header; ?name= works too", async () => {
    const a = ok(await upload(admin, `${D}/${order}/attachments`, PDF, "../../etc/passwd\u0007.pdf"), 201);
    expect(a.fileName).to.equal("passwd.pdf");
    const b = ok(await upload(admin, `${D}/${order}/attachments`, PDF, 'a"; filename="evil.html'), 201);
    const r = await fetch(`${s.base}${D}/${order}/attachments/${b.id}`, { headers: { cookie: admin.cookie } });
    const cd = r.headers.get("content-disposition")!;
    // one quoted ASCII name (the quote replaced) and the exact name %-encoded: nothing can close the quotes
    expect(cd).to.match(/^attachment; filename="[^"]*"; filename\*=UTF-8''[^;"\s]*$/);
    expect(decodeURIComponent(cd.split("UTF-8''")[1])).to.equal('a"; filename="evil.html');
    expect(r.headers.get("content-type")).to.equal("application/pdf");
    const q = await fetch(`${s.base}${D}/${order}/attachments?name=${encodeURIComponent("скан счета.pdf")}`, {
      method: "POST",
      headers: { cookie: admin.cookie, "x-csrf-token": admin.csrf, "content-type": "application/octet-stream" },
      body: new Uint8Array(PDF),
    });
    expect(q.status).to.equal(201);
    expect((await q.json()).fileName).to.equal("скан счета.pdf");
    for (const id of [a.id, b.id])
      ok(await s.req("DELETE", `${D}/${order}/attachments/${id}`, { session: admin }), 204);
  });

  it("rights: read lists and downloads, write adds and deletes; others get 403", async () => {
    const a = ok(await upload(admin, `${D}/${order}/attachments`, PNG, "x.png"), 201);
    refused(await upload(viewer, `${D}/${order}/attachments`, PNG, "v.png"), 403);
    refused(await s.req("DELETE", `${D}/${order}/attachments/${a.id}`, { session: viewer }), 403);
    const nobody = await s.user("nobody", []);
    refused(await s.req("GET", `${D}/${order}/attachments`, { session: nobody }), 403);
    refused(await s.req("GET", `${D}/${order}/attachments/${a.id}`, { session: nobody }), 403);
    // Warehouses: the keeper may only read catalogs but Products
    const w = ok(await upload(admin, `/api/catalogs/Warehouses/${wh}/attachments`, JPEG, "ворота.jpg"), 201);
    refused(await upload(keeper, `/api/catalogs/Warehouses/${wh}/attachments`, JPEG, "k.jpg"), 403);
    refused(await s.req("DELETE", `/api/catalogs/Warehouses/${wh}/attachments/${w.id}`, { session: keeper }), 403);
    expect(
      ok(await s.req("GET", `/api/catalogs/Warehouses/${wh}/attachments`, { session: keeper })).attachments,
    ).to.have.length(1);
    ok(await s.req("DELETE", `${D}/${order}/attachments/${a.id}`, { session: keeper }), 204);
    refused(await s.req("GET", `${D}/${order}/attachments/${a.id}`, { session: admin }), 404);
    // an attachment is reached only through its own object
    refused(await s.req("GET", `/api/catalogs/Warehouses/${wh}/attachments/${a.id}`, { session: admin }), 404);
  });

  it("an object without attachments: true has none (404); an unknown object is 404", async () => {
    refused(await upload(admin, `/api/catalogs/Units/${wh}/attachments`, PNG, "x.png"), 404);
    refused(await s.req("GET", `/api/documents/Sale/${order}/attachments`, { session: admin }), 404);
    refused(await upload(admin, `${D}/00000000-0000-0000-0000-000000000001/attachments`, PNG, "x.png"), 404);
  });

  it("journals additions and deletions; deleting the object takes its files; another area sees none", async () => {
    const o = ok(await s.req("POST", D, { session: admin, body: { Customer: "Временный" } }), 201).id;
    const a = ok(await upload(admin, `${D}/${o}/attachments`, PDF, "счет.pdf"), 201);
    ok(await s.req("DELETE", `${D}/${o}/attachments/${a.id}`, { session: admin }), 204);
    const j = ok(
      await s.req("GET", `/api/journal?object=${o}&action=attachmentAdd,attachmentDelete`, { session: admin }),
    );
    expect(j.rows.map((r: any) => r.action).sort()).to.deep.equal(["attachmentAdd", "attachmentDelete"]);
    expect(j.rows[0].details.fileName).to.equal("счет.pdf");
    ok(await upload(admin, `${D}/${o}/attachments`, PDF, "ещё.pdf"), 201);
    const count = (area: number) =>
      tx(s.platform.db.app, area, async (c) =>
        Number((await c.query("SELECT count(*) AS n FROM _attachments")).rows[0].n),
      );
    const before = await count(1);
    expect(before).to.be.greaterThan(0);
    expect(await count(2)).to.equal(0); // row-level security: the area's own rows only
    ok(await s.req("DELETE", `${D}/${o}`, { session: admin }), 204);
    expect(await count(1)).to.equal(before - 1);
  });
});
