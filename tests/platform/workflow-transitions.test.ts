// Workflow (issue 17 §1) on the warehouse fixture's SalesOrder (Черновик → Утвержден → Отгружен;
// Отменен): transitions allowed and refused per role, required fields, a required comment, final
// statuses, an undeclared transition, the module's onTransition (a deadline; a refusal), a plain
// write that cannot change the status, two transitions at once (exactly one wins), the history
// route, the journal, the form's allowedTransitions, the list's status filter and «Мои».
import { expect } from "chai";
import { startSecure, refused, ADMIN_PW, type Secure, type Reply } from "../security/helpers.ts";
import type { TestSession } from "./api-client.ts";
import { addDays, today } from "../../server/calendar.ts";

describe("workflow: statuses and transitions (SalesOrder)", function () {
  let s: Secure;
  let admin: TestSession;
  let keeper: TestSession;
  let viewer: TestSession;
  let wh: string;
  let product: string;
  const D = "/api/documents/SalesOrder";
  const ok = (r: Reply, status = 200) => {
    if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${r.text.slice(0, 400)}`);
    return r.body;
  };
  const move = (as: TestSession, id: string, body: Record<string, string>) =>
    s.req("POST", `${D}/${id}/status`, { session: as, body });
  async function order(body: Record<string, unknown> = {}) {
    return ok(
      await s.req("POST", D, {
        session: admin,
        body: { Customer: "ООО Ромашка", Warehouse: wh, Items: [{ Product: product, Quantity: "2" }], ...body },
      }),
      201,
    );
  }

  before(async () => {
    s = await startSecure();
    admin = await s.login("admin", ADMIN_PW);
    keeper = await s.user("keeper", ["Storekeeper"]);
    viewer = await s.user("viewer", ["Viewer"]);
    wh = ok(
      await s.req("POST", "/api/catalogs/Warehouses", { session: admin, body: { name: "Склад 1", Keeper: "keeper" } }),
      201,
    ).id;
    await s.req("POST", "/api/catalogs/Warehouses", { session: admin, body: { name: "Склад 2", Keeper: "other" } });
    product = ok(
      await s.req("POST", "/api/catalogs/Products", { session: admin, body: { name: "Гвоздь", ProductKind: "Goods" } }),
      201,
    ).id;
    // stock to ship from: shipping posts the order (post: true), and Stock refuses to go negative
    ok(
      await s.req("POST", "/api/documents/GoodsReceipt?post=true", {
        session: admin,
        body: { Warehouse: wh, Items: [{ Product: product, Quantity: "10", Amount: "100" }] },
      }),
      201,
    );
  });
  after(async () => {
    await s?.close();
  });

  it("/api/metadata gives the client the statuses with their colours and which objects take attachments", async () => {
    const md = ok(await s.req("GET", "/api/metadata", { session: keeper }));
    const so = md.documents.find((d: any) => d.name === "SalesOrder");
    expect(so.attachments).to.equal(true);
    expect(so.workflow).to.deep.include({ statusField: "Status", initial: "Draft", assigneeField: "Warehouse" });
    expect(so.workflow.statuses.find((x: any) => x.name === "Cancelled")).to.deep.equal({
      name: "Cancelled",
      synonym: "Отменен",
      color: "#c62828",
      final: true,
    });
    expect(md.catalogs.find((c: any) => c.name === "Warehouses").attachments).to.equal(true);
    expect(md.documents.find((d: any) => d.name === "Sale")).to.not.have.property("workflow");
  });

  it("a new order is in the initial status, with its creation in the history and the allowed transitions in the form's data", async () => {
    const o = await order();
    expect(o.Status).to.equal("Draft");
    expect(o.allowedTransitions.map((t: any) => t.to)).to.deep.equal(["Approved", "Cancelled"]);
    const read = ok(await s.req("GET", `${D}/${o.id}`, { session: keeper }));
    // the keeper may not approve: only cancelling is offered
    expect(read.allowedTransitions.map((t: any) => t.to)).to.deep.equal(["Cancelled"]);
    expect(read.allowedTransitions[0]).to.deep.include({ synonym: "Отменить", commentRequired: true });
    expect(ok(await s.req("GET", `${D}/${o.id}`, { session: viewer })).allowedTransitions).to.deep.equal([]);
    const h = ok(await s.req("GET", `${D}/${o.id}/status-history`, { session: viewer }));
    expect(h).to.deep.include({ status: "Draft", statusSynonym: "Черновик", final: false, allowedTransitions: [] });
    expect(h.history).to.have.length(1);
    expect(h.history[0]).to.deep.include({ from: null, to: "Draft", toSynonym: "Черновик", login: "admin" });
  });

  it("refuses a transition to the role not listed (403 naming the roles), allows the listed one; the hook sets the deadline", async () => {
    const o = await order();
    const m = refused(await move(keeper, o.id, { status: "Approved" }), 403);
    expect(m)
      .to.match(/«Черновик» → «Утвержден»/)
      .and.match(/Администратор \(Administrator\)/)
      .and.match(/Кладовщик/);
    refused(await move(viewer, o.id, { status: "Approved" }), 403); // no write right at all
    const approved = ok(await move(admin, o.id, { status: "Approved", comment: "согласовано" }));
    expect(approved.Status).to.equal("Approved");
    expect(approved.ShipBy, "onTransition gives three days").to.equal(addDays(today(), 3));
    expect(approved.version).to.equal(o.version + 1);
    expect(approved.allowedTransitions.map((t: any) => t.to)).to.have.members(["Shipped", "Draft", "Cancelled"]);
    // Approved → Shipped is the keeper's: the administrator may too, but first the carrier
    const e = refused(await move(keeper, o.id, { status: "Shipped" }), 422, "required");
    expect(e).to.contain("«Перевозчик»");
    expect((await move(keeper, o.id, { status: "Shipped" })).body.error.field).to.equal("Carrier");
    ok(await s.req("PUT", `${D}/${o.id}`, { session: keeper, body: { Carrier: "ТК Быстрая" } }));
    const shipped = ok(await move(keeper, o.id, { status: "Shipped" }));
    expect(shipped.Status).to.equal("Shipped");
    expect(shipped.allowedTransitions).to.deep.equal([]);
    // post: true — the transition posted the order with its new status: its goods left the warehouse
    expect(shipped.posted).to.equal(true);
    const moves = ok(await s.req("GET", `${D}/${o.id}/movements`, { session: admin })).registers.Stock.rows;
    expect(moves.map((r: any) => [r.recordKind, r.Quantity])).to.deep.equal([["expense", "2.000"]]);
    // final: nothing leads out of it
    const f = refused(await move(admin, o.id, { status: "Cancelled", comment: "поздно" }), 409, "final_status");
    expect(f).to.match(/конечном статусе «Отгружен»/);
    const h = ok(await s.req("GET", `${D}/${o.id}/status-history`, { session: admin }));
    expect(h.final).to.equal(true);
    expect(h.history.map((x: any) => `${x.from}>${x.to}:${x.login}:${x.comment}`)).to.deep.equal([
      "null>Draft:admin:",
      "Draft>Approved:admin:согласовано",
      "Approved>Shipped:keeper:",
    ]);
    expect(h.history.every((x: any) => !Number.isNaN(Date.parse(x.at)))).to.equal(true);
  });

  it("refuses an undeclared transition naming both statuses, a missing required field, a missing comment, an unknown status", async () => {
    const bare = await order({ Customer: "" });
    const nd = refused(await move(admin, bare.id, { status: "Shipped" }), 409, "transition_not_declared");
    expect(nd).to.match(/из статуса «Черновик» в «Отгружен» не предусмотрен/);
    const req = refused(await move(admin, bare.id, { status: "Approved" }), 422, "required");
    expect(req).to.contain("«Покупатель»");
    const cm = refused(await move(keeper, bare.id, { status: "Cancelled" }), 422, "required");
    expect(cm).to.contain("комментарий");
    refused(await move(admin, bare.id, { status: "Lost" }), 422, "unknown_status");
    refused(await s.req("POST", `${D}/${bare.id}/status`, { session: admin, body: { to: "Approved" } }), 400);
    ok(await move(keeper, bare.id, { status: "Cancelled", comment: "клиент передумал" }));
  });

  it("a document marked for deletion offers no transition and refuses one (409)", async () => {
    const o = await order();
    const marked = ok(await s.req("PUT", `${D}/${o.id}`, { session: admin, body: { deletionMark: true } }));
    expect(marked.allowedTransitions).to.deep.equal([]);
    expect(refused(await move(admin, o.id, { status: "Approved" }), 409)).to.match(/помечен на удаление/);
  });

  it("a transition whose posting is refused writes nothing (the status stays); the order is posted only by shipping", async () => {
    const o = await order({ Items: [{ Product: product, Quantity: "1000" }], Carrier: "ТК" });
    ok(await move(admin, o.id, { status: "Approved" }));
    expect(refused(await s.req("POST", `${D}/${o.id}/post`, { session: admin }), 422)).to.match(/при отгрузке/);
    const m = refused(await move(admin, o.id, { status: "Shipped" }), 422); // 1000 of the 10 in stock
    expect(m).to.match(/Остатки товаров/);
    const h = ok(await s.req("GET", `${D}/${o.id}/status-history`, { session: admin }));
    expect(h.status).to.equal("Approved");
    expect(h.history).to.have.length(2);
    const read = ok(await s.req("GET", `${D}/${o.id}`, { session: admin }));
    expect(read).to.deep.include({ Status: "Approved", posted: false });
  });

  it("the hook may refuse a transition, and nothing is written", async () => {
    const o = await order({ Items: [] });
    ok(await move(admin, o.id, { status: "Approved" }));
    ok(await s.req("PUT", `${D}/${o.id}`, { session: admin, body: { Carrier: "ТК" } }));
    const m = refused(await move(admin, o.id, { status: "Shipped" }), 422);
    expect(m).to.contain("без товаров");
    const h = ok(await s.req("GET", `${D}/${o.id}/status-history`, { session: admin }));
    expect(h.status).to.equal("Approved");
    expect(h.history).to.have.length(2);
  });

  it("a plain write cannot change the status (422 naming the field); a new document starts in the initial one", async () => {
    const o = await order();
    const m = refused(
      await s.req("PUT", `${D}/${o.id}`, { session: admin, body: { Status: "Shipped", Customer: "другой" } }),
      422,
      "status_readonly",
    );
    expect(m).to.match(/«Статус» меняется только переходом/);
    expect(ok(await s.req("GET", `${D}/${o.id}`, { session: admin })).Customer).to.equal("ООО Ромашка");
    // sending back what was read (the same status, allowedTransitions) is a plain write
    const read = ok(await s.req("GET", `${D}/${o.id}`, { session: admin }));
    const saved = ok(
      await s.req("PUT", `${D}/${o.id}`, {
        session: admin,
        body: { ...read, posted: undefined, Customer: "ИП Лютик" },
      }),
    );
    expect(saved).to.deep.include({ Customer: "ИП Лютик", Status: "Draft" });
    // a new document starts in the initial status whatever it names (a copy of an approved one too)
    expect(ok(await s.req("POST", D, { session: admin, body: { Status: "Approved" } }), 201).Status).to.equal("Draft");
  });

  it("two transitions at once: exactly one wins, the other hears «статус уже изменен»", async () => {
    for (let round = 0; round < 3; round++) {
      const o = await order();
      const [a, b] = await Promise.all([
        move(admin, o.id, { status: "Approved", from: "Draft" }),
        move(keeper, o.id, { status: "Cancelled", comment: "отмена", from: "Draft" }),
      ]);
      const wins = [a, b].filter((r) => r.status === 200);
      expect(wins, `${a.status} ${a.text} / ${b.status} ${b.text}`).to.have.length(1);
      const loser = [a, b].find((r) => r.status !== 200)!;
      expect(refused(loser, 409, "status_changed")).to.match(/^Статус уже изменен: /);
      const h = ok(await s.req("GET", `${D}/${o.id}/status-history`, { session: admin }));
      expect(h.history).to.have.length(2);
      expect(h.status).to.equal(wins[0].body.Status);
      // the same transition twice at once: one wins too
      const p = await order();
      const both = await Promise.all([
        move(admin, p.id, { status: "Approved" }),
        move(admin, p.id, { status: "Approved" }),
      ]);
      expect(both.map((r) => r.status).sort()).to.deep.equal([200, 409]);
    }
  });

  it("the journal records every transition with from, to and the comment", async () => {
    const o = await order();
    ok(await move(admin, o.id, { status: "Approved", comment: "в работу" }));
    const j = ok(await s.req("GET", `/api/journal?action=statusChange&object=${o.id}`, { session: admin }));
    expect(j.rows).to.have.length(1);
    expect(j.rows[0].user.login).to.equal("admin");
    expect(j.rows[0].actionTitle).to.equal("Изменение статуса");
    expect(j.rows[0].details).to.deep.include({ from: "Draft", to: "Approved", comment: "в работу" });
    expect(j.rows[0].details.fields).to.deep.equal(["ShipBy"]);
  });

  it("lists filter by status, and «Мои» shows the orders of the warehouses the user keeps", async () => {
    const other = ok(await s.req("GET", "/api/catalogs/Warehouses?search=Склад 2", { session: admin })).rows[0].id;
    const mineOrder = await order();
    const notMine = await order({ Warehouse: other });
    const drafts = ok(await s.req("GET", `${D}?Status=Draft&limit=1000`, { session: keeper })).rows;
    expect(drafts.every((r: any) => r.Status === "Draft")).to.equal(true);
    expect(drafts.map((r: any) => r.id)).to.include.members([mineOrder.id, notMine.id]);
    const mine = ok(await s.req("GET", `${D}?mine=true&limit=1000`, { session: keeper })).rows.map((r: any) => r.id);
    expect(mine).to.include(mineOrder.id).and.not.include(notMine.id);
    const adminMine = ok(await s.req("GET", `${D}?mine=true`, { session: admin })).rows;
    expect(adminMine).to.deep.equal([]); // admin keeps no warehouse
    refused(await s.req("GET", "/api/documents/Sale?mine=true", { session: admin }), 404);
  });
});
