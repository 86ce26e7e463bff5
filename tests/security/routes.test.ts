// Rights follow the route that matched (issue 13 §1, critical): a cashier once created an
// administrator with `POST /api/Users` because express matched the path case-insensitively
// while the rights check re-read it case-sensitively. Here: every registered API route declares
// a rule (deny by default); for each demo role, every refused request is sent again with the
// path's case changed, a trailing slash, percent-encoding, doubled slashes and dot segments —
// none of them may succeed or have an effect; and a document's «Движения» and canonical form
// show only the registers the user may read.
import { expect } from "chai";
import { generateKeyPairSync, sign } from "node:crypto";
import { request } from "node:http";
import { join } from "node:path";
import type { Router } from "express";
import { createApp } from "../../server/http/app.ts";
import { ruleOf, type Rule } from "../../server/http/access.ts";
import { loadInitialData } from "../../server/initial-data.ts";
import { ROOT, testPlatform } from "../helpers/db.ts";
import type { TestSession } from "../platform/api-client.ts";
import { startSecure, ADMIN_PW, type Secure } from "./helpers.ts";

interface RouteInfo {
  method: string;
  path: string;
  rule: Rule | undefined;
}

type Layer = {
  route?: { path: string; methods: Record<string, boolean>; stack: { handle: unknown }[] };
  handle: unknown;
  rawPath?: unknown;
};

/** Every route of a router tree with its full path and the rule that guards it (before its handler). */
function routesOf(router: Router, prefix = ""): RouteInfo[] {
  const out: RouteInfo[] = [];
  for (const layer of (router as unknown as { stack: Layer[] }).stack) {
    if (layer.route) {
      const handlers = layer.route.stack.map((l) => l.handle);
      // The rule must run before the route's own handler (the last one).
      const rule = handlers
        .slice(0, -1)
        .map(ruleOf)
        .find((r) => r !== undefined);
      for (const method of Object.keys(layer.route.methods))
        out.push({ method: method.toUpperCase(), path: prefix + layer.route.path, rule });
    } else if (typeof layer.handle === "function" && Array.isArray((layer.handle as { stack?: unknown }).stack)) {
      const mount = typeof layer.rawPath === "string" && layer.rawPath !== "/" ? layer.rawPath : "";
      out.push(...routesOf(layer.handle as Router, prefix + mount));
    }
  }
  return out;
}

/** A request sent with the path exactly as given (fetch would resolve dot segments). */
function raw(
  base: string,
  method: string,
  path: string,
  session: TestSession,
  body?: unknown,
): Promise<{ status: number; text: string }> {
  const u = new URL(base);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((res, rej) => {
    const r = request(
      {
        host: u.hostname,
        port: u.port,
        method,
        path,
        headers: {
          cookie: session.cookie,
          "x-csrf-token": session.csrf,
          ...(payload ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } : {}),
        },
      },
      (resp) => {
        let text = "";
        resp.setEncoding("utf8");
        resp.on("data", (d) => (text += d));
        resp.on("end", () => res({ status: resp.statusCode ?? 0, text }));
      },
    );
    r.on("error", rej);
    r.end(payload);
  });
}

/** The disguises of one API path: case, trailing slash, percent-encoding, doubled slashes, dot segments. */
function disguises(path: string): string[] {
  const rest = path.slice("/api/".length);
  const [first, ...more] = rest.split("/");
  const tail = more.length ? "/" + more.join("/") : "";
  const upper = first[0].toUpperCase() + first.slice(1);
  const hex = (ch: string) => "%" + ch.charCodeAt(0).toString(16).toUpperCase();
  return [
    `/api/${upper}${tail}`,
    `/API/${rest}`,
    `/Api/${upper}${tail}`,
    `/api/${first.toUpperCase()}${tail}`,
    `${path}/`,
    `/api/${hex(first[0])}${first.slice(1)}${tail}`,
    `/api/${hex(first[0].toUpperCase())}${first.slice(1)}${tail}`,
    `/%61pi/${rest}`,
    `/api//${rest}`,
    `//api/${rest}`,
    `/api/${first}/${tail ? tail.slice(1).replace("/", "//") : ""}`,
    `/api/x/../${rest}`,
    `/api/./${rest}`,
    `/api/${first}/./${more.join("/")}`,
    `/api/%2e%2e/api/${rest}`,
  ];
}

describe("security: the rights rule comes from the route that matched", function () {
  describe("deny by default", function () {
    it("every registered API route declares a rights rule before its handler", async () => {
      const platform = await testPlatform(join(ROOT, "metadata"), "routes");
      try {
        const app = createApp(platform, { area: 1 });
        const appStack = (app as unknown as { router: { stack: Layer[] } }).router.stack;
        const apiLayer = appStack.find(
          (l) =>
            l.rawPath === "/api" &&
            typeof l.handle === "function" &&
            Array.isArray((l.handle as { stack?: unknown }).stack),
        );
        expect(apiLayer, "the /api router").to.not.equal(undefined);
        const routes = routesOf(apiLayer!.handle as Router, "/api");
        expect(routes.length, "routes found").to.be.greaterThan(40);
        const missing = routes.filter((r) => !r.rule).map((r) => `${r.method} ${r.path}`);
        expect(missing, "routes without a rights rule").to.deep.equal([]);
        const ruleAt = (method: string, path: string) =>
          routes.find((r) => r.method === method && r.path === path)?.rule;
        expect(ruleAt("POST", "/api/users/")).to.deep.include({ kind: "administrator" });
        expect(ruleAt("GET", "/api/journal/")).to.deep.include({ kind: "administrator" });
        expect(ruleAt("POST", "/api/documents/:name/:id/unpost")).to.deep.include({
          kind: "object",
          group: "document",
          actions: ["post"],
        });
        expect(ruleAt("DELETE", "/api/registers/:name/records")).to.deep.include({
          kind: "object",
          group: "register",
          actions: ["delete"],
        });
        expect(ruleAt("PUT", "/api/constants/:name")).to.deep.include({ kind: "constants", action: "write" });
        expect(ruleAt("POST", "/api/reports/:name/render")).to.deep.include({ kind: "report" });
        expect(ruleAt("POST", "/api/auth/login")).to.deep.include({ kind: "public" });
        // Only the login (and nothing else) is open without a session.
        expect(routes.filter((r) => r.rule?.kind === "public").map((r) => `${r.method} ${r.path}`)).to.deep.equal([
          "POST /api/auth/login",
        ]);
      } finally {
        await platform.close();
      }
    });
  });

  describe("constants (the warehouse fixture has one) against disguised paths", function () {
    let w: Secure;
    before(async () => {
      w = await startSecure();
    });
    after(async () => {
      await w?.close();
    });

    it("a viewer's write of a constant stays refused however the path is written, and the value stays", async () => {
      const admin = await w.login("admin", ADMIN_PW);
      expect(
        (await w.req("PUT", "/api/constants/CompanyName", { session: admin, body: { value: "ООО Склад" } })).status,
      ).to.equal(200);
      const viewer = await w.user("viewer", ["Viewer"], "Nablyudatel-Sklada-77");
      const body = { value: "ООО Взлом" };
      expect((await raw(w.base, "PUT", "/api/constants/CompanyName", viewer, body)).status).to.equal(403);
      for (const path of disguises("/api/constants/CompanyName")) {
        const r = await raw(w.base, "PUT", path, viewer, body);
        expect([403, 404], `PUT ${path}: ${r.status} ${r.text.slice(0, 200)}`).to.include(r.status);
      }
      const now = await w.req("GET", "/api/constants", { session: admin });
      expect(JSON.stringify(now.body)).to.contain("ООО Склад").and.not.contain("Взлом");
    });
  });

  describe("the ЖКХ demo's roles against disguised paths", function () {
    const PW = "Kvartplata-Mashenka-2011";
    let d: Secure;
    let admin: TestSession;
    const as: Record<string, TestSession> = {};
    let paymentId: string;

    before(async () => {
      process.env.DEMO_PASSWORD = PW;
      try {
        const p = await testPlatform(join(ROOT, "metadata"), "routes");
        await loadInitialData(p, 1);
        d = await startSecure({ platform: p });
      } finally {
        delete process.env.DEMO_PASSWORD;
      }
      admin = await d.login("admin", ADMIN_PW);
      for (const login of ["accountant", "cashier", "meters", "auditor"]) as[login] = await d.login(login, PW);
      const payments = (await d.req("GET", "/api/documents/Payment?limit=5", { session: admin })).body.rows;
      paymentId = payments.find((x: { posted: boolean }) => x.posted).id;
    });
    after(async () => {
      await d?.close();
      await d?.platform.close();
    });

    /** Requests a role may not make, with the rights that refuse them. */
    const forbidden = (): { path: string; method: string; body?: unknown; who: string[] }[] => [
      {
        method: "POST",
        path: "/api/users",
        body: { login: "evil", roles: ["Administrator"], password: "Zlodey-Admin-Parol-77" },
        who: ["accountant", "cashier", "meters", "auditor"],
      },
      { method: "GET", path: "/api/users", who: ["accountant", "cashier", "meters", "auditor"] },
      { method: "GET", path: "/api/journal", who: ["accountant", "cashier", "meters", "auditor"] },
      { method: "POST", path: `/api/documents/Payment/${paymentId}/unpost`, who: ["meters", "auditor"] },
      { method: "DELETE", path: `/api/documents/Payment/${paymentId}`, who: ["cashier", "meters", "auditor"] },
      {
        method: "POST",
        path: "/api/registers/KeyRates/records",
        body: { records: [{ period: "2030-01-01", Rate: "99" }] },
        who: ["cashier", "meters", "auditor"],
      },
      { method: "GET", path: "/api/registers/Penalties/balance", who: ["cashier", "meters"] },
      {
        method: "POST",
        path: "/api/catalogs/Services",
        body: { name: "Взлом" },
        who: ["cashier", "meters", "auditor"],
      },
      { method: "POST", path: "/api/reports/debtors/render?format=csv", body: {}, who: ["cashier", "meters"] },
    ];

    for (const login of ["accountant", "cashier", "meters", "auditor"]) {
      it(`${login}: every refused request stays refused with its path disguised, and has no effect`, async () => {
        const cases = forbidden().filter((c) => c.who.includes(login));
        for (const c of cases) {
          const plain = await raw(d.base, c.method, c.path, as[login], c.body);
          expect(plain.status, `${login} ${c.method} ${c.path}: ${plain.text.slice(0, 200)}`).to.equal(403);
          for (const path of disguises(c.path)) {
            const r = await raw(d.base, c.method, path, as[login], c.body);
            expect([403, 404], `${login} ${c.method} ${path}: ${r.status} ${r.text.slice(0, 200)}`).to.include(
              r.status,
            );
            expect(r.text, `${login} ${c.method} ${path}`).to.match(/"error"/);
          }
        }
        // No effect: no user «evil», the payment still posted and present, no rate written.
        const users = (await d.req("GET", "/api/users", { session: admin })).body.users.map(
          (u: { login: string }) => u.login,
        );
        expect(users).to.not.include("evil");
        const pay = await d.req("GET", `/api/documents/Payment/${paymentId}`, { session: admin });
        expect(pay.status).to.equal(200);
        expect(pay.body.posted).to.equal(true);
        const rates = (await d.req("GET", "/api/registers/KeyRates/records?limit=500", { session: admin })).body.rows;
        expect(rates.some((r: { period: string }) => String(r.period).startsWith("2030"))).to.equal(false);
      });
    }

    it("the refused administrator route answers 403 however it is written, and evil never logs in", async () => {
      for (const path of ["/api/users", ...disguises("/api/users")]) {
        const r = await raw(d.base, "POST", path, as.cashier, {
          login: "evil",
          roles: ["Administrator"],
          password: "Zlodey-Admin-Parol-77",
        });
        expect(r.status, path).to.not.equal(201);
      }
      const tryLogin = await d.req("POST", "/api/auth/login", {
        body: { login: "evil", password: "Zlodey-Admin-Parol-77" },
      });
      expect(tryLogin.status).to.equal(401);
    });

    it("«Движения» and the canonical form show only the registers the user may read; a signature over the sealed view verifies", async () => {
      // A payment that pays penalties first: it posts to Settlements, to Penalties and its entries to
      // Accounting; the cashier may read only Settlements.
      const demoPayment = (await d.req("GET", `/api/documents/Payment/${paymentId}`, { session: admin })).body;
      const created = await d.req("POST", "/api/documents/Payment?post=true", {
        session: admin,
        body: {
          date: "2011-12-05T10:00:00",
          Account: demoPayment.Account,
          Amount: "500.00",
          PenaltiesFirst: true,
          Source: "Касса",
        },
      });
      expect(created.status, created.text).to.equal(201);
      const paymentId2 = created.body.id;
      const full = await d.req("GET", `/api/documents/Payment/${paymentId2}/movements`, { session: admin });
      expect(Object.keys(full.body.registers).sort()).to.deep.equal(["Accounting", "Penalties", "Settlements"]);
      const cashierView = await d.req("GET", `/api/documents/Payment/${paymentId2}/movements`, { session: as.cashier });
      expect(Object.keys(cashierView.body.registers)).to.deep.equal(["Settlements"]);

      const adminCanon = await d.req("GET", `/api/documents/Payment/${paymentId2}/canonical`, { session: admin });
      const canon = await d.req("GET", `/api/documents/Payment/${paymentId2}/canonical`, { session: as.cashier });
      expect(canon.status).to.equal(200);
      expect(Array.isArray(adminCanon.body.registers.Penalties)).to.equal(true);
      expect(canon.body.registers.Settlements).to.deep.equal(adminCanon.body.registers.Settlements);
      expect(Object.keys(canon.body.registers.Penalties)).to.deep.equal(["sealed"]);
      expect(canon.body.registers.Penalties.sealed).to.match(/^[0-9a-f]{64}$/);
      expect(canon.text).to.not.match(/Penalt[^"]*":\s*\[/);
      expect(Object.keys(canon.body.registers.Accounting)).to.deep.equal(["sealed"]);

      // The cashier signs what they were shown; whoever lists the signatures sees it valid.
      const pair = generateKeyPairSync("ed25519");
      const publicKey = pair.publicKey.export({ format: "pem", type: "spki" }).toString();
      expect(
        (await d.req("POST", "/api/signatures/keys", { session: as.cashier, body: { publicKey } })).status,
      ).to.equal(201);
      const signature = sign(null, Buffer.from(canon.text, "utf8"), pair.privateKey).toString("base64");
      const signed = await d.req("POST", `/api/documents/Payment/${paymentId2}/signatures`, {
        session: as.cashier,
        body: { signature, canonicalSha256: canon.headers.get("x-canonical-sha256")! },
      });
      expect(signed.status, signed.text).to.equal(201);
      const list = await d.req("GET", `/api/documents/Payment/${paymentId2}/signatures`, { session: admin });
      const mine = list.body.signatures.find((x: { signer: { login: string } }) => x.signer.login === "cashier");
      expect(mine.sealedRegisters).to.deep.equal(["Accounting", "Penalties"]);
      expect(mine.verify.status).to.equal("valid");

      // The sealed records are still covered: changing one behind the application's back breaks the signature.
      expect(full.body.registers.Penalties.rows.length, "the demo payment's penalty records").to.be.greaterThan(0);
      const changed = await d.platform.db.owner.query(
        `UPDATE acc_penalties SET line = line + 1000 WHERE recorder = $1`,
        [paymentId2],
      );
      expect(changed.rowCount).to.be.greaterThan(0);
      const after = await d.req("GET", `/api/documents/Payment/${paymentId2}/signatures`, { session: admin });
      const again = after.body.signatures.find((x: { id: string }) => x.id === mine.id);
      expect(again.verify.status).to.equal("changed");
    });
  });
});
