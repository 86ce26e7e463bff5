// Roles (issue 6 §1): every role of the warehouse fixture — and a user without roles — against
// every kind of action: read / write / post / delete on catalogs, documents and registers, the
// constants, report access and user management. A refusal is 403 naming the action and the
// object; an allowed action is never 401/403. Then the ЖКХ demo users (one per role) with
// their reports and the rights marked in /api/metadata, and the loader's errors for bad roles.
import { expect } from "chai";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfiguration } from "../../server/metadata/load.ts";
import { MetadataError } from "../../server/metadata/types.ts";
import { loadInitialData } from "../../server/initial-data.ts";
import { ROOT, testPlatform, WAREHOUSE } from "../helpers/db.ts";
import type { TestSession } from "../platform/api-client.ts";
import { startSecure, ADMIN_PW, type Secure, type Reply } from "./helpers.ts";

type Group = "catalog" | "document" | "register" | "constant" | "report" | "users";
const has = (list: string[], a: string) => list.includes(a);

/** What each warehouse role may do, written out from tests/fixtures/warehouse/roles/*.yaml. */
const EXPECTED: Record<string, (g: Group, name: string, action: string) => boolean> = {
  Administrator: () => true,
  Storekeeper: (g, n, a) =>
    g === "catalog"
      ? a === "read" || (n === "Products" && a === "write")
      : g === "document"
        ? (n === "GoodsReceipt" && has(["read", "write", "post"], a)) || (n === "Sale" && a === "read")
        : g === "register"
          ? (n === "Stock" && a === "read") || (n === "ExchangeRates" && has(["read", "write"], a))
          : g === "constant"
            ? a === "read"
            : g === "report"
              ? n === "hello"
              : false,
  Viewer: (g, _n, a) => a === "read" && g !== "report" && g !== "users",
  "(no role)": () => false,
};

interface Case {
  group: Group;
  name: string;
  action: string;
  what: string;
  send: (as: TestSession) => Promise<Reply>;
}

describe("security: roles against every kind of action", function () {
  let s: Secure;
  let admin: TestSession;
  const ok = async (r: Promise<Reply>) => {
    const x = await r;
    if (x.status >= 300) throw new Error(`fixture: ${x.status} ${x.text}`);
    return x.body;
  };
  before(async () => {
    s = await startSecure();
    admin = await s.login("admin", ADMIN_PW);
  });
  after(async () => {
    await s?.close();
  });

  /** Fresh objects for one role's turn (deletes and posts must not meet objects another turn changed). */
  async function fixtures() {
    const unit = await ok(s.req("POST", "/api/catalogs/Units", { session: admin, body: { name: "шт" } }));
    const wh = await ok(s.req("POST", "/api/catalogs/Warehouses", { session: admin, body: { name: "Склад" } }));
    const product = await ok(
      s.req("POST", "/api/catalogs/Products", {
        session: admin,
        body: { name: "Гвоздь", Unit: unit.id, ProductKind: "Goods" },
      }),
    );
    const doc = (_name: string) => ({
      date: "2024-03-01T10:00:00",
      Warehouse: wh.id,
      Items: [{ Product: product.id, Quantity: "1", Amount: "1" }],
    });
    const receipt = await ok(
      s.req("POST", "/api/documents/GoodsReceipt?post=true", { session: admin, body: doc("GoodsReceipt") }),
    );
    const draft = await ok(s.req("POST", "/api/documents/GoodsReceipt", { session: admin, body: doc("GoodsReceipt") }));
    const sale = await ok(s.req("POST", "/api/documents/Sale", { session: admin, body: doc("Sale") }));
    return { unit, wh, product, receipt, draft, sale, doc };
  }

  function cases(f: Awaited<ReturnType<typeof fixtures>>): Case[] {
    const c = (group: Group, name: string, action: string, method: string, path: string, body?: unknown): Case => ({
      group,
      name,
      action,
      what: `${method} ${path}`,
      send: (as) => s.req(method, path, { session: as, body }),
    });
    const docCases = (name: string, draftId: string, postedId: string): Case[] => [
      c("document", name, "read", "GET", `/api/documents/${name}`),
      c("document", name, "read", "GET", `/api/documents/${name}/${postedId}`),
      c("document", name, "read", "GET", `/api/documents/${name}/${postedId}/movements`),
      c("document", name, "write", "POST", `/api/documents/${name}`, f.doc(name)),
      c("document", name, "write", "PUT", `/api/documents/${name}/${draftId}`, { comment: "правка" }),
      c("document", name, "write", "POST", `/api/documents/${name}/${draftId}/fill/Items`),
      c("document", name, "post", "POST", `/api/documents/${name}/${draftId}/post`),
      c("document", name, "post", "POST", `/api/documents/${name}/${draftId}/unpost`),
      c("document", name, "delete", "DELETE", `/api/documents/${name}/${draftId}`),
    ];
    return [
      c("catalog", "Products", "read", "GET", "/api/catalogs/Products"),
      c("catalog", "Products", "read", "GET", `/api/catalogs/Products/${f.product.id}`),
      c("catalog", "Products", "write", "POST", "/api/catalogs/Products", { name: "Шуруп", ProductKind: "Goods" }),
      c("catalog", "Products", "write", "PUT", `/api/catalogs/Products/${f.product.id}`, { name: "Гвоздь 100" }),
      c("catalog", "Units", "read", "GET", "/api/catalogs/Units"),
      c("catalog", "Units", "write", "POST", "/api/catalogs/Units", { name: "кг" }),
      ...docCases("GoodsReceipt", f.draft.id, f.receipt.id),
      ...docCases("Sale", f.sale.id, f.sale.id),
      c("register", "Stock", "read", "GET", "/api/registers/Stock/balance"),
      c("register", "Stock", "read", "GET", "/api/registers/Stock/turnovers?from=2024-01-01&to=2024-12-31"),
      c("register", "ExchangeRates", "read", "GET", "/api/registers/ExchangeRates/slice-last"),
      c("register", "ExchangeRates", "read", "GET", "/api/registers/ExchangeRates/records"),
      c("register", "ExchangeRates", "write", "POST", "/api/registers/ExchangeRates/records", {
        records: [{ period: "2024-03-01", Currency: "USD", Rate: "90.5", Multiplier: 1 }],
      }),
      c("register", "ExchangeRates", "delete", "DELETE", "/api/registers/ExchangeRates/records", {
        keys: [{ period: "2024-03-01", Currency: "USD" }],
      }),
      c("constant", "*", "read", "GET", "/api/constants"),
      c("constant", "*", "write", "PUT", "/api/constants/CompanyName", { value: "ООО Склад" }),
      c("report", "hello", "access", "GET", "/api/reports/hello"),
      c("report", "other", "access", "POST", "/api/reports/other/render?format=html", {}),
      c("users", "*", "administrator", "GET", "/api/users"),
      // deletes last: the product is referenced by the documents until they are gone
      c("catalog", "Units", "delete", "DELETE", `/api/catalogs/Units/${f.unit.id}`),
    ];
  }

  for (const role of Object.keys(EXPECTED)) {
    it(`${role}: allowed actions pass, the others are 403 naming the action and the object`, async () => {
      const as = await s.user(`u-${role.replace(/\W/g, "")}`, role === "(no role)" ? [] : [role]);
      const f = await fixtures();
      const wrong: string[] = [];
      for (const k of cases(f)) {
        const r = await k.send(as);
        const allowed = EXPECTED[role](k.group, k.name, k.action);
        if (allowed && (r.status === 401 || r.status === 403))
          wrong.push(`${k.what}: expected allowed, got ${r.status} ${r.text}`);
        if (!allowed && r.status !== 403)
          wrong.push(`${k.what}: expected 403, got ${r.status} ${r.text.slice(0, 200)}`);
        if (!allowed && r.status === 403) {
          const m = r.body.error.message as string;
          const label = { read: "чтение", write: "запись", post: "проведение", delete: "удаление" }[k.action];
          if (
            k.group !== "report" &&
            k.group !== "users" &&
            (!m.includes(label!) || (k.name !== "*" && !m.includes(`(${k.name})`)))
          )
            wrong.push(`${k.what}: message does not name the action and object: ${m}`);
          if (k.group === "report" && !m.includes(k.name))
            wrong.push(`${k.what}: message does not name the report: ${m}`);
        }
        if (r.status >= 500) wrong.push(`${k.what}: ${r.status}`);
      }
      expect(wrong, wrong.join("\n")).to.deep.equal([]);
    });
  }

  it("posting on write (?post=true) needs both rights", async () => {
    const f = await fixtures();
    const viewer = await s.user("v2", ["Viewer"]);
    const keeper = await s.user("k2", ["Storekeeper"]);
    expect(
      (await s.req("POST", "/api/documents/Sale?post=true", { session: keeper, body: f.doc("Sale") })).body.error
        .message,
    ).to.match(/запись документа «.*» \(Sale\)/);
    expect(
      (await s.req("PUT", `/api/documents/GoodsReceipt/${f.draft.id}?post=true`, { session: viewer, body: {} })).status,
    ).to.equal(403);
    expect(
      (
        await s.req("PUT", `/api/documents/GoodsReceipt/${f.draft.id}?post=true`, {
          session: keeper,
          body: { comment: "и провести" },
        })
      ).body.posted,
    ).to.equal(true);
  });

  it("/api/metadata marks what the user may do with each object", async () => {
    const keeper = await s.user("k3", ["Storekeeper"]);
    const md = (await s.req("GET", "/api/metadata", { session: keeper })).body;
    const rights = (list: any[], name: string) => list.find((o) => o.name === name).rights;
    expect(rights(md.catalogs, "Products")).to.deep.equal(["read", "write"]);
    expect(rights(md.catalogs, "Units")).to.deep.equal(["read"]);
    expect(rights(md.documents, "GoodsReceipt")).to.deep.equal(["read", "write", "post"]);
    expect(rights(md.documents, "Sale")).to.deep.equal(["read"]);
    expect(rights(md.accumulationRegisters, "Stock")).to.deep.equal(["read"]);
    expect(rights(md.accumulationRegisters, "Purchases")).to.deep.equal([]);
    expect(rights(md.informationRegisters, "ExchangeRates")).to.deep.equal(["read", "write"]);
    expect(md.rights).to.deep.equal({ administrator: false, constants: ["read"], reports: ["hello"] });
    const all = (await s.req("GET", "/api/metadata", { session: admin })).body;
    expect(rights(all.documents, "Sale")).to.deep.equal(["read", "write", "post", "delete"]);
    expect(all.rights.administrator).to.equal(true);
  });

  describe("the ЖКХ demo: one user per role", function () {
    let d: Secure;
    before(async () => {
      process.env.DEMO_PASSWORD = "demo-pass-1";
      try {
        const p = await testPlatform(join(ROOT, "metadata"), "roles");
        await loadInitialData(p, 1);
        d = await startSecure({ platform: p });
      } finally {
        delete process.env.DEMO_PASSWORD;
      }
    });
    after(async () => {
      await d?.close();
      await d?.platform.close();
    });

    const REPORTS = [
      "receipt",
      "debtors",
      "turnover-balance",
      "meter-readings",
      "payments-register",
      "accruals-statement",
      "penalty-calculation",
    ];
    const ACCESS: Record<string, string[]> = {
      accountant: REPORTS,
      cashier: ["receipt", "payments-register"],
      meters: ["meter-readings"],
      auditor: REPORTS,
      dispatcher: [], // the service-request reports only (tests/configuration/service-requests-roles.test.ts)
    };

    for (const [login, reports] of Object.entries(ACCESS)) {
      it(`${login}: logs in with the demo password and opens exactly its reports`, async () => {
        const as = await d.login(login, "demo-pass-1");
        for (const name of REPORTS) {
          const r = await d.req("GET", `/api/reports/${name}`, { session: as });
          expect(r.status, `${login} ${name}: ${r.text.slice(0, 200)}`).to.equal(reports.includes(name) ? 200 : 403);
        }
      });
    }

    it("the cashier takes payments but changes no account; the meter operator enters readings only; the auditor only reads", async () => {
      const cashier = await d.login("cashier", "demo-pass-1");
      const meters = await d.login("meters", "demo-pass-1");
      const auditor = await d.login("auditor", "demo-pass-1");
      const md = (await d.req("GET", "/api/metadata", { session: cashier })).body;
      expect(md.documents.find((x: any) => x.name === "Payment").rights).to.deep.equal(["read", "write", "post"]);
      expect(md.catalogs.find((x: any) => x.name === "PersonalAccounts").rights).to.deep.equal(["read"]);
      const acc = (await d.req("GET", "/api/catalogs/PersonalAccounts?limit=1", { session: cashier })).body.rows[0];
      expect(
        (await d.req("PUT", `/api/catalogs/PersonalAccounts/${acc.id}`, { session: cashier, body: { comment: "x" } }))
          .status,
      ).to.equal(403);
      expect((await d.req("POST", "/api/documents/GroupAccrual", { session: meters, body: {} })).status).to.equal(403);
      expect((await d.req("GET", "/api/documents/MeterReadings", { session: meters })).status).to.equal(200);
      expect((await d.req("GET", "/api/registers/Settlements/balance", { session: auditor })).status).to.equal(200);
      expect(
        (await d.req("POST", "/api/catalogs/Services", { session: auditor, body: { name: "x" } })).status,
      ).to.equal(403);
    });

    it("without DEMO_PASSWORD the demo users exist but cannot log in", async () => {
      const p = await testPlatform(join(ROOT, "metadata"), "roles");
      try {
        await loadInitialData(p, 1);
        const rows = (await p.db.owner.query("SELECT login, roles, password FROM _users ORDER BY login")).rows;
        expect(rows.map((r) => r.login)).to.deep.equal(["accountant", "auditor", "cashier", "dispatcher", "meters"]);
        expect(rows.every((r) => r.password === null)).to.equal(true);
      } finally {
        await p.close();
      }
    });
  });

  it("the loader refuses bad roles naming the file, the place and what to fix", async () => {
    const dir = mkdtempSync(join(tmpdir(), "roles-"));
    try {
      cpSync(WAREHOUSE, dir, { recursive: true });
      writeFileSync(
        join(dir, "roles", "Broken.yaml"),
        "kind: role\nname: Broken\nsynonym: Сломанная\nrights:\n  catalogs:\n    Prodcts: [read]\n  documents:\n    Sale: [read, approve]\n  registers:\n    Stock: [read, write]\n",
      );
      const e = await loadConfiguration(dir).then(
        () => null,
        (x) => x,
      );
      expect(e).to.be.instanceOf(MetadataError);
      expect(e.message).to.match(
        /roles\/Broken\.yaml \/rights\/documents\/Sale\/1: "approve" is not allowed here: use one of read, write, post, delete \(line 8\)/,
      );
      writeFileSync(
        join(dir, "roles", "Broken.yaml"),
        "kind: role\nname: Broken\nsynonym: Сломанная\nrights:\n  catalogs:\n    Prodcts: [read]\n  registers:\n    Stock: [read, write]\n",
      );
      const e2 = await loadConfiguration(dir).then(
        () => null,
        (x) => x,
      );
      expect(e2.message).to.match(
        /Broken\.yaml \/rights\/catalogs\/Prodcts: catalog\.Prodcts does not exist; did you mean catalog\.Products\? \(line 6\)/,
      );
      expect(e2.message).to.match(
        /Broken\.yaml \/rights\/registers\/Stock: write on register Stock: it is an accumulation register.*give it \[read\].*\(line 8\)/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
