/**
 * The journal of user actions: every catalog and document write, post, unpost, deletion mark
 * and deletion leaves an entry (who, IP, area, object, action, the before/after difference) in
 * the same transaction; entries are chained per area at commit (sequence 1, 2, 3… and each hash
 * over the previous one), also under concurrent posting; the change and its entry commit
 * together or not at all; the application role cannot alter or delete entries.
 */
import { expect } from "chai";
import type { Platform } from "../../server/platform.ts";
import { contentHash, entryContent, recordEvent } from "../../server/journal/journal.ts";
import { GENESIS_HASH } from "../../server/journal/schema.ts";
import { verifyJournal } from "../../server/journal/verify.ts";
import * as catalogs from "../../server/catalogs/service.ts";
import * as documents from "../../server/documents/service.ts";
import { tx } from "../../server/storage/db.ts";
import { testPlatform } from "../helpers/db.ts";
import { inArea, rejects } from "../helpers/services.ts";

const IVANOV = { userId: "u-ivanov", login: "ivanov", ip: "10.0.0.7" };

describe("security: journal of user actions", function () {
  let p: Platform;
  /** Service context of ivanov in area `area`. */
  const as = <T>(fn: (ctx: documents.Ctx) => Promise<T>, area = 1) =>
    inArea(p, (ctx) => fn({ ...ctx, actor: IVANOV }), area);
  const entries = (area = 1) =>
    inArea(p, (ctx) => ctx.c.query("SELECT * FROM _journal ORDER BY seq").then((r) => r.rows), area);
  const last = async (area = 1) => (await entries(area)).at(-1)!;

  before(async () => {
    p = await testPlatform(undefined, "journal");
  });
  after(async () => p?.close());

  it("records an entry in the transaction and chains it at commit", async () => {
    await as(
      (ctx) =>
        recordEvent(ctx.c, {
          area: ctx.area,
          actor: IVANOV,
          action: "login",
          objectKind: "session",
          objectName: "ivanov",
        }),
      7,
    );
    await inArea(
      p,
      (ctx) => recordEvent(ctx.c, { area: ctx.area, actor: null, action: "logout", details: { n: 1, s: "x\u0000y" } }),
      7,
    );
    const rows = await entries(7);
    expect(rows.map((r) => [r.seq, r.login, r.ip, r.action])).to.deep.equal([
      ["1", "ivanov", "10.0.0.7", "login"],
      ["2", null, null, "logout"],
    ]);
    expect(rows[0].prev_hash).to.equal(GENESIS_HASH);
    expect(rows[1].prev_hash).to.equal(rows[0].hash);
    expect(rows[1].details).to.deep.equal({ n: "1", s: "x\ufffdy" });
    expect((await inArea(p, (ctx) => verifyJournal(ctx.c), 7)).problems).to.deep.equal([]);
  });

  it("catalog items: create, update with the changed fields, deletion mark, deletion with what was lost", async () => {
    const unit = await as((ctx) => catalogs.createCatalogItem(ctx, "Units", { name: "шт" }));
    let e = await last();
    expect(e).to.include({
      action: "create",
      object_kind: "catalog",
      object_name: "Units",
      object_id: unit.id,
      object_title: "шт",
      login: "ivanov",
      ip: "10.0.0.7",
      user_id: "u-ivanov",
      area: 1,
    });
    expect(e.details.fields.name).to.deep.equal([null, "шт"]);
    await as((ctx) => catalogs.updateCatalogItem(ctx, "Units", unit.id, { name: "штука" }));
    e = await last();
    expect(e.action).to.equal("update");
    expect(e.details).to.deep.equal({ fields: { name: ["шт", "штука"] } });
    await as((ctx) => catalogs.updateCatalogItem(ctx, "Units", unit.id, { deletionMark: true }));
    expect((await last()).action).to.equal("markDeletion");
    await as((ctx) => catalogs.updateCatalogItem(ctx, "Units", unit.id, { deletionMark: false }));
    expect((await last()).action).to.equal("unmarkDeletion");
    await as((ctx) => catalogs.deleteCatalogItem(ctx, "Units", unit.id));
    e = await last();
    expect(e).to.include({ action: "delete", object_id: unit.id, object_title: "штука" });
    expect(e.details.fields.name).to.deep.equal(["штука", null]);
  });

  it("documents: header and tabular-part differences (rows added, removed, changed), post, unpost, deletion", async () => {
    const wh = await as((ctx) => catalogs.createCatalogItem(ctx, "Warehouses", { name: "Склад 1" }));
    const [a, b, c] = await as(async (ctx) => [
      await catalogs.createCatalogItem(ctx, "Products", { name: "A", ProductKind: "Goods" }),
      await catalogs.createCatalogItem(ctx, "Products", { name: "B", ProductKind: "Goods" }),
      await catalogs.createCatalogItem(ctx, "Products", { name: "C", ProductKind: "Goods" }),
    ]);
    const row = (prod: Record<string, any>, qty: string) => ({ Product: prod.id, Quantity: qty, Price: "1.00" });
    const doc = await as((ctx) =>
      documents.createDocument(ctx, "GoodsReceipt", {
        date: "2024-03-01T10:00:00",
        Warehouse: wh.id,
        Items: [row(a, "1"), row(b, "2")],
      }),
    );
    let e = await last();
    expect(e).to.include({ action: "create", object_kind: "document", object_name: "GoodsReceipt", object_id: doc.id });
    expect(e.object_title).to.match(/^Поступление товаров \d+ от 01\.03\.2024/);
    expect(e.details.tables.Items.added).to.have.length(2);
    expect(e.details.fields.Warehouse).to.deep.equal([null, wh.id]);

    // Insert C before B, change A's quantity, and the supplier: one row added, one changed, nothing removed.
    await as((ctx) =>
      documents.updateDocument(ctx, "GoodsReceipt", doc.id, {
        Supplier: "ООО Ромашка",
        Items: [row(a, "5"), row(c, "3"), row(b, "2")],
      }),
    );
    e = await last();
    expect(e.action).to.equal("update");
    expect(e.details.fields).to.deep.equal({ Supplier: [null, "ООО Ромашка"] });
    const items = e.details.tables.Items;
    expect(items.removed).to.deep.equal([]);
    expect(items.added.map((r: any) => [r.line, r.Product, r.Quantity])).to.deep.equal([["2", c.id, "3.000"]]); // numbers are decimal strings in the journal
    expect(items.changed).to.deep.equal([
      { line: "1", was: "1", fields: { Quantity: ["1.000", "5.000"], Amount: ["1.00", "5.00"] } },
    ]);

    await as((ctx) => documents.postDocument(ctx, "GoodsReceipt", doc.id));
    expect((await last()).action).to.equal("post");
    // Writing a posted document reposts it: the write and the post, in that order.
    await as((ctx) => documents.updateDocument(ctx, "GoodsReceipt", doc.id, { Items: [row(a, "5"), row(c, "3")] }));
    let two = (await entries()).slice(-2);
    expect(two.map((x) => x.action)).to.deep.equal(["update", "post"]);
    expect(two[0].details.tables.Items.removed.map((r: any) => r.Product)).to.deep.equal([b.id]);
    // A deletion mark on a posted document unposts it.
    await as((ctx) => documents.updateDocument(ctx, "GoodsReceipt", doc.id, { deletionMark: true }));
    two = (await entries()).slice(-2);
    expect(two.map((x) => x.action)).to.deep.equal(["markDeletion", "unpost"]);
    await as((ctx) => documents.updateDocument(ctx, "GoodsReceipt", doc.id, { deletionMark: false }, { post: true }));
    await as((ctx) => documents.unpostDocument(ctx, "GoodsReceipt", doc.id));
    expect((await last()).action).to.equal("unpost");
    await as((ctx) => documents.deleteDocument(ctx, "GoodsReceipt", doc.id));
    e = await last();
    expect(e.action).to.equal("delete");
    expect(e.details.tables.Items.removed).to.have.length(2);
    // A system action (no actor, e.g. the demo loader) is recorded without a user.
    await inArea(p, (ctx) => catalogs.createCatalogItem(ctx, "Units", { name: "кг" }));
    e = await last();
    expect([e.user_id, e.login, e.ip]).to.deep.equal([null, null, null]);
    expect((await inArea(p, (ctx) => verifyJournal(ctx.c))).problems).to.deep.equal([]);
  });

  it("a refused write leaves no entry; a failing journal write rolls the change back, also when it fails at commit", async () => {
    const before = (await entries()).length;
    const err = await rejects(
      as((ctx) => catalogs.createCatalogItem(ctx, "Products", { name: "X", ProductKind: "Nope" })),
    );
    expect(err.status).to.equal(422);
    expect((await entries()).length).to.equal(before);

    const count = () =>
      inArea(p, (ctx) =>
        ctx.c.query(`SELECT count(*)::int AS n FROM cat_units WHERE name = 'rollback'`).then((r) => r.rows[0].n),
      );
    // The entry cannot be inserted: the write fails with it.
    await p.db.owner.query(`REVOKE INSERT ON _journal FROM app_user`);
    try {
      const e = await as((ctx) => catalogs.createCatalogItem(ctx, "Units", { name: "rollback" })).then(
        () => null,
        (x: Error) => x,
      );
      expect(e?.message).to.match(/permission denied for table _journal/);
    } finally {
      await p.db.owner.query(`GRANT INSERT ON _journal TO app_user`);
    }
    expect(await count()).to.equal(0);
    // The entry is inserted but cannot be chained at COMMIT (the deferred trigger fails): nothing commits.
    await p.db.owner.query(`ALTER TABLE _journal_head ADD CONSTRAINT test_refuse CHECK (seq < 0) NOT VALID`);
    try {
      const e = await as((ctx) => catalogs.createCatalogItem(ctx, "Units", { name: "rollback" })).then(
        () => null,
        (x: Error) => x,
      );
      expect(e?.message).to.match(/test_refuse/);
    } finally {
      await p.db.owner.query(`ALTER TABLE _journal_head DROP CONSTRAINT test_refuse`);
    }
    expect(await count()).to.equal(0);
    expect((await entries()).length).to.equal(before);
  });

  it("hashes `at` to the microsecond as stored: moving it by 1 µs is detected; entries hashed at milliseconds (before) still verify", async () => {
    const area = 9;
    await inArea(
      p,
      (ctx) =>
        recordEvent(ctx.c, { area, actor: IVANOV, action: "login", objectKind: "session", objectName: "ivanov" }),
      area,
    );
    // An entry as written before the change: its content hash over `at` with three digits.
    const old = entryContent(
      { area, actor: IVANOV, action: "logout", objectKind: "session", objectName: "ivanov" },
      new Date("2024-03-01T10:00:00.123Z"),
    );
    const oldForm = { ...old, at: "2024-03-01T10:00:00.123Z" };
    await inArea(
      p,
      (ctx) =>
        ctx.c.query(
          `INSERT INTO _journal (area, at, user_id, login, ip, action, object_kind, object_name, content_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [
            area,
            oldForm.at,
            old.userId,
            old.login,
            old.ip,
            old.action,
            old.objectKind,
            old.objectName,
            contentHash(oldForm),
          ],
        ),
      area,
    );
    await inArea(
      p,
      (ctx) =>
        recordEvent(ctx.c, { area, actor: IVANOV, action: "login", objectKind: "session", objectName: "ivanov" }),
      area,
    );
    const verify = () => inArea(p, (ctx) => verifyJournal(ctx.c), area);
    expect((await verify()).problems).to.deep.equal([]);
    const owner = p.db.owner;
    for (const seq of [1, 2]) {
      await owner.query(`UPDATE _journal SET at = at + interval '1 microsecond' WHERE area = $1 AND seq = $2`, [
        area,
        seq,
      ]);
      const problems = (await verify()).problems;
      expect(
        problems.map((x) => [x.kind, x.seq]),
        `seq ${seq}`,
      ).to.deep.equal([["modified", String(seq)]]);
      await owner.query(`UPDATE _journal SET at = at - interval '1 microsecond' WHERE area = $1 AND seq = $2`, [
        area,
        seq,
      ]);
      expect((await verify()).problems, `seq ${seq} restored`).to.deep.equal([]);
    }
  });

  it("the application role can neither change nor delete entries, nor move the chain's head", async () => {
    for (const sql of [
      `UPDATE _journal SET action = 'x'`,
      `DELETE FROM _journal`,
      `UPDATE _journal_head SET seq = 0`,
      `TRUNCATE _journal`,
    ]) {
      const e = await inArea(p, (ctx) => ctx.c.query(sql)).then(
        () => null,
        (x: Error) => x,
      );
      expect(e?.message, sql).to.match(/permission denied/);
    }
  });

  it("concurrent posters in one area get one strict sequence; other areas chain separately", async () => {
    const wh = await as((ctx) => catalogs.createCatalogItem(ctx, "Warehouses", { name: "Склад К" }));
    const prod = await as((ctx) => catalogs.createCatalogItem(ctx, "Products", { name: "K", ProductKind: "Goods" }));
    const ids = await as(async (ctx) => {
      const out: string[] = [];
      for (let i = 0; i < 24; i++)
        out.push(
          (
            await documents.createDocument(ctx, "GoodsReceipt", {
              date: "2024-04-01T10:00:00",
              Warehouse: wh.id,
              Items: [{ Product: prod.id, Quantity: "1" }],
            })
          ).id,
        );
      return out;
    });
    const startSeq = Number((await last()).seq);
    await Promise.all(
      ids.map((id, i) =>
        i % 3 === 0
          ? tx(p.db.app, 2, (c) => recordEvent(c, { area: 2, action: "login" }))
          : as((ctx) => documents.postDocument(ctx, "GoodsReceipt", id)),
      ),
    );
    const rows = await entries();
    const seqs = rows.map((r) => Number(r.seq));
    expect(seqs).to.deep.equal(seqs.map((_, i) => i + 1));
    expect(rows.filter((r) => Number(r.seq) > startSeq && r.action === "post")).to.have.length(16);
    expect((await entries(2)).map((r) => Number(r.seq))).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const area of [1, 2])
      expect((await inArea(p, (ctx) => verifyJournal(ctx.c), area)).problems).to.deep.equal([]);
  });
});
