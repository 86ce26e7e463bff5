// Workflow with a string status field and an assignee that is a login (issue 17 §1): a copy of
// the warehouse fixture whose SalesOrder keeps its status in a string(20) and names its manager
// by login in a string attribute — the other shapes docs/metadata.md allows. Transitions, the
// refused plain write, the status filter, «Мои» by login, and the history kept per data area.
import { expect } from "chai";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSecure, refused, ADMIN_PW, type Secure, type Reply } from "../security/helpers.ts";
import type { TestSession } from "./api-client.ts";
import { testPlatform, WAREHOUSE } from "../helpers/db.ts";
import { tx } from "../../server/storage/db.ts";

describe("workflow: a string status field and a login as the assignee", function () {
  let dir: string;
  let s: Secure;
  let admin: TestSession;
  let keeper: TestSession;
  const D = "/api/documents/SalesOrder";
  const ok = (r: Reply, status = 200) => {
    if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${r.text.slice(0, 400)}`);
    return r.body;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "zhkh-wf-str-"));
    cpSync(WAREHOUSE, dir, { recursive: true });
    const file = join(dir, "documents", "SalesOrder.yaml");
    writeFileSync(
      file,
      readFileSync(file, "utf8")
        .replace("type: enum.SalesOrderStatuses", "type: string(20)")
        .replace(
          "  - { name: Carrier, synonym: Перевозчик, type: string(100) }",
          "  - { name: Carrier, synonym: Перевозчик, type: string(100) }\n  - { name: Manager, synonym: Менеджер, type: string(50) }",
        )
        .replace("assigneeField: Warehouse", "assigneeField: Manager")
        .replace("  assigneeUserField: Keeper\n", ""),
    );
    // a module whose posting depends on the status: a posted order is reposted by a transition
    writeFileSync(
      join(dir, "documents", "SalesOrder.ts"),
      `export default {
  post(ctx) {
    for (const row of ctx.doc.Items)
      ctx.movements.Stock.add({ kind: "receipt", Warehouse: ctx.doc.Warehouse, Product: row.Product,
        Quantity: row.Quantity ?? 0, Amount: ctx.doc.Status === "Approved" ? 7 : 1 });
  },
};
`,
    );
    s = await startSecure({ platform: await testPlatform(dir, "wfstr") });
    admin = await s.login("admin", ADMIN_PW);
    keeper = await s.user("keeper", ["Storekeeper"]);
  });
  after(async () => {
    await s?.close();
    await s?.platform.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("moves a string status, refuses a plain write of it, filters by it and by the manager's login", async () => {
    const mine = ok(await s.req("POST", D, { session: admin, body: { Customer: "А", Manager: "keeper" } }), 201);
    const other = ok(await s.req("POST", D, { session: admin, body: { Customer: "Б", Manager: "someone" } }), 201);
    expect(mine.Status).to.equal("Draft");
    refused(
      await s.req("PUT", `${D}/${mine.id}`, { session: admin, body: { Status: "Shipped" } }),
      422,
      "status_readonly",
    );
    refused(
      await s.req("POST", `${D}/${mine.id}/status`, { session: admin, body: { status: "Approved" } }),
      422,
      "required",
    ); // Warehouse is required for approval
    const wh = ok(await s.req("POST", "/api/catalogs/Warehouses", { session: admin, body: { name: "С" } }), 201).id;
    ok(await s.req("PUT", `${D}/${mine.id}`, { session: admin, body: { Warehouse: wh } }));
    const moved = ok(await s.req("POST", `${D}/${mine.id}/status`, { session: admin, body: { status: "Approved" } }));
    expect(moved.Status).to.equal("Approved");
    const approved = ok(await s.req("GET", `${D}?Status=Approved`, { session: keeper })).rows.map((r: any) => r.id);
    expect(approved).to.deep.equal([mine.id]);
    const my = ok(await s.req("GET", `${D}?mine=true`, { session: keeper })).rows.map((r: any) => r.id);
    expect(my).to.deep.equal([mine.id]);
    expect(my).to.not.include(other.id);
  });

  it("a transition of a posted document reposts it: its handler sees the new status", async () => {
    const wh = ok(await s.req("POST", "/api/catalogs/Warehouses", { session: admin, body: { name: "Р" } }), 201).id;
    const product = ok(
      await s.req("POST", "/api/catalogs/Products", { session: admin, body: { name: "Болт", ProductKind: "Goods" } }),
      201,
    ).id;
    const o = ok(
      await s.req("POST", `${D}?post=true`, {
        session: admin,
        body: { Customer: "В", Warehouse: wh, Items: [{ Product: product, Quantity: "3" }] },
      }),
      201,
    );
    const amounts = async () =>
      ok(await s.req("GET", `${D}/${o.id}/movements`, { session: admin })).registers.Stock.rows.map(
        (r: any) => r.Amount,
      );
    expect(await amounts()).to.deep.equal(["1.00"]);
    const moved = ok(await s.req("POST", `${D}/${o.id}/status`, { session: admin, body: { status: "Approved" } }));
    expect(moved).to.deep.include({ Status: "Approved", posted: true });
    expect(await amounts()).to.deep.equal(["7.00"]);
    const j = ok(await s.req("GET", `/api/journal?object=${o.id}&action=statusChange,post`, { session: admin }));
    expect(j.rows.map((r: any) => r.action).sort()).to.deep.equal(["post", "post", "statusChange"]);
  });

  it("keeps the history in the data area of the document only (row-level security)", async () => {
    const count = (area: number) =>
      tx(s.platform.db.app, area, async (c) =>
        Number((await c.query("SELECT count(*) AS n FROM _status_history")).rows[0].n),
      );
    expect(await count(1)).to.be.greaterThan(0);
    expect(await count(2)).to.equal(0);
    refused(
      await s.req("POST", `/api/documents/Sale/${crypto.randomUUID()}/status`, {
        session: admin,
        body: { status: "X" },
      }),
      404,
    );
  });
});
