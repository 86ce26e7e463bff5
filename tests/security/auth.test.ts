// Users and sessions (issue 6 §1): login, logout, password change, me; cookies and their
// flags; rotation; idle and absolute timeouts; scrypt hashes and hashed session tokens in the
// database; the first administrator; users of another data area see nothing of this one; the
// administrator's users API; login events in the journal.
import { expect } from "chai";
import { startSecure, refused, ADMIN_PW, type Secure } from "./helpers.ts";
import { ensureAdmin } from "../../server/security/bootstrap.ts";
import { verifyPassword } from "../../server/security/passwords.ts";
import { sessionIs } from "./clock.ts";
import type { TestSession } from "../platform/api-client.ts";

describe("security: users and sessions", function () {
  let s: Secure;
  before(async () => {
    s = await startSecure({ auth: { sessions: { cacheMs: 0 } } });
  });
  after(async () => {
    await s?.close();
  });

  it("every API route but login answers 401 without a session, as JSON with a message", async () => {
    for (const [m, p] of [
      ["GET", "/api/metadata"],
      ["GET", "/api/catalogs/Products"],
      ["POST", "/api/catalogs/Products"],
      ["GET", "/api/documents/Sale"],
      ["GET", "/api/registers/Stock/balance"],
      ["GET", "/api/constants"],
      ["GET", "/api/reports"],
      ["GET", "/api/users"],
      ["GET", "/api/auth/me"],
      ["POST", "/api/auth/logout"],
      ["GET", "/api/no-such-route"],
    ]) {
      expect(refused(await s.req(m, p), 401, "unauthenticated"), `${m} ${p}`).to.match(/вход/i);
    }
  });

  it("logs in: HttpOnly SameSite=Strict session cookie, a readable CSRF cookie, the user, roles and permissions", async () => {
    const r = await s.req("POST", "/api/auth/login", { body: { login: "admin", password: ADMIN_PW } });
    expect(r.status).to.equal(200);
    const cookies = r.headers.getSetCookie();
    const sid = cookies.find((c) => c.startsWith("sid="))!;
    const csrf = cookies.find((c) => c.startsWith("csrf="))!;
    expect(sid)
      .to.match(/HttpOnly/i)
      .and.match(/SameSite=Strict/i)
      .and.match(/Path=\//)
      .and.not.match(/Secure/i);
    expect(csrf)
      .to.match(/SameSite=Strict/i)
      .and.not.match(/HttpOnly/i);
    expect(sid).to.match(/^sid=1\.[A-Za-z0-9_-]{43};/);
    expect(r.body.user.login).to.equal("admin");
    expect(r.body.roles).to.deep.equal([{ name: "Administrator", synonym: "Администратор" }]);
    expect(r.body.area).to.equal(1);
    expect(r.body.csrfToken).to.equal(csrf.split(";")[0].slice(5));
    expect(r.body.permissions.administrator).to.equal(true);
    expect(r.body.permissions.documents.Sale).to.deep.equal(["read", "write", "post", "delete"]);
  });

  it("a wrong password and an unknown login get the same 401 message", async () => {
    const a = refused(
      await s.req("POST", "/api/auth/login", { body: { login: "admin", password: "wrong-password" } }),
      401,
      "invalid_credentials",
    );
    const b = refused(
      await s.req("POST", "/api/auth/login", { body: { login: "nobody-here", password: "wrong-password" } }),
      401,
      "invalid_credentials",
    );
    expect(a).to.equal(b);
    refused(await s.req("POST", "/api/auth/login", { body: { login: "admin" } }), 400);
    refused(await s.req("POST", "/api/auth/login", { body: { login: ["admin"], password: ADMIN_PW } }), 400);
  });

  it("me answers who is logged in; logout ends the session and clears the cookies", async () => {
    const me = await s.login("admin", ADMIN_PW);
    const r = await s.req("GET", "/api/auth/me", { session: me });
    expect(r.status).to.equal(200);
    expect(r.body.user.login).to.equal("admin");
    const out = await s.req("POST", "/api/auth/logout", { session: me });
    expect(out.status).to.equal(204);
    expect(out.headers.getSetCookie().join("\n"))
      .to.match(/sid=;/)
      .and.match(/Expires=Thu, 01 Jan 1970/);
    refused(await s.req("GET", "/api/auth/me", { session: me }), 401);
    refused(await s.req("GET", "/api/catalogs/Products", { session: me }), 401);
  });

  it("rotates the session on login: the cookie the browser had stops working", async () => {
    const first = await s.login("admin", ADMIN_PW);
    const r = await s.req("POST", "/api/auth/login", {
      body: { login: "admin", password: ADMIN_PW },
      headers: { cookie: first.cookie },
    });
    expect(r.status).to.equal(200);
    const sid = r.headers
      .getSetCookie()
      .find((c) => c.startsWith("sid="))!
      .split(";")[0]
      .slice(4);
    expect(sid).to.not.equal(first.sid);
    refused(await s.req("GET", "/api/auth/me", { session: first }), 401);
  });

  it("stores passwords as scrypt hashes with their own salt and parameters, and sessions only as sha256", async () => {
    const live = await s.user("hashcheck", ["Viewer"], "hash-check-pass");
    await s.user("hashcheck2", ["Viewer"], "hash-check-pass");
    const rows = (
      await s.platform.db.owner.query("SELECT login, password FROM _users WHERE login LIKE 'hashcheck%' ORDER BY login")
    ).rows;
    for (const r of rows) {
      expect(r.password).to.include({ alg: "scrypt", r: 8, p: 1 });
      expect(r.password.N).to.be.at.least(2 ** 14);
      expect(JSON.stringify(r.password)).to.not.contain("hash-check-pass");
      expect(await verifyPassword("hash-check-pass", r.password)).to.equal(true);
    }
    expect(rows[0].password.salt).to.not.equal(rows[1].password.salt);
    expect(rows[0].password.hash).to.not.equal(rows[1].password.hash);
    const token = live.sid.split(".")[1];
    const sessions = (await s.platform.db.owner.query("SELECT token_hash FROM _sessions")).rows.map(
      (r) => r.token_hash,
    );
    expect(sessions.some((h: string) => h.includes(token))).to.equal(false);
    expect(sessions.every((h: string) => /^[0-9a-f]{64}$/.test(h))).to.equal(true);
  });

  it("changes the password: needs the old one; other sessions end, this one stays", async () => {
    const a = await s.user("changer", ["Viewer"], "first-pass-1");
    const b = await s.login("changer", "first-pass-1");
    refused(
      await s.req("POST", "/api/auth/password", {
        session: a,
        body: { oldPassword: "wrong-one-1", newPassword: "second-pass-2" },
      }),
      403,
      "wrong_password",
    );
    expect(
      refused(
        await s.req("POST", "/api/auth/password", {
          session: a,
          body: { oldPassword: "first-pass-1", newPassword: "short" },
        }),
        400,
      ),
    ).to.match(/не меньше 8/);
    refused(
      await s.req("POST", "/api/auth/password", {
        session: a,
        body: { oldPassword: "first-pass-1", newPassword: "second-pass-2" },
        csrf: false,
      }),
      403,
      "csrf",
    );
    expect(
      (
        await s.req("POST", "/api/auth/password", {
          session: a,
          body: { oldPassword: "first-pass-1", newPassword: "second-pass-2" },
        })
      ).status,
    ).to.equal(204);
    expect((await s.req("GET", "/api/auth/me", { session: a })).status).to.equal(200);
    refused(await s.req("GET", "/api/auth/me", { session: b }), 401);
    refused(await s.req("POST", "/api/auth/login", { body: { login: "changer", password: "first-pass-1" } }), 401);
    await s.login("changer", "second-pass-2");
  });

  it("ends a session after the idle timeout and after the absolute timeout however busy", async () => {
    // The time is told, not waited for (clock.ts): the server compares its now() with the
    // session's row, and the margins are wide, so a slow request cannot cross a limit by itself.
    const t = await startSecure({
      platform: s.platform,
      auth: { sessions: { idleMs: 60_000, absoluteMs: 600_000, cacheMs: 0 } },
    });
    try {
      const me = (session: TestSession) => t.req("GET", "/api/auth/me", { session });
      const idle = await t.login("admin", ADMIN_PW);
      await sessionIs(s.platform, idle, { idleMs: 30_000 });
      expect((await me(idle)).status, "idle for half the limit").to.equal(200); // and used now
      await sessionIs(s.platform, idle, { idleMs: 61_000 });
      expect(refused(await me(idle), 401)).to.match(/истёк/);
      // Busy all along (used a moment ago), yet made before the absolute limit: over.
      const busy = await t.login("admin", ADMIN_PW);
      await sessionIs(s.platform, busy, { idleMs: 1_000, ageMs: 300_000 });
      expect((await me(busy)).status, "busy, half the absolute limit old").to.equal(200);
      await sessionIs(s.platform, busy, { idleMs: 1_000, ageMs: 601_000 });
      refused(await me(busy), 401);
    } finally {
      await t.close();
    }
  });

  it("makes the first administrator once: with the given password, or a generated one", async () => {
    expect(await ensureAdmin(s.platform, 1, "another-pass-1")).to.equal(null); // area 1 has one
    const made = await ensureAdmin(s.platform, 7);
    expect(made?.generated).to.equal(true);
    expect(made!.password).to.match(/^[A-Za-z0-9]{16}$/);
    expect(await ensureAdmin(s.platform, 7)).to.equal(null);
    const me = await s.login("admin", made!.password, 7);
    expect(me.me.area).to.equal(7);
  });

  it("a user of another area sees nothing of this one: ids are not found, a forged area in the cookie is no session", async () => {
    const admin = await s.login("admin", ADMIN_PW);
    const unit = await s.req("POST", "/api/catalogs/Units", { session: admin, body: { name: "м" } });
    expect(unit.status).to.equal(201);
    await ensureAdmin(s.platform, 2, "area-two-pass");
    const other = await s.login("admin", "area-two-pass", 2);
    expect(other.me.area).to.equal(2);
    refused(await s.req("GET", `/api/catalogs/Units/${unit.body.id}`, { session: other }), 404);
    refused(await s.req("PUT", `/api/catalogs/Units/${unit.body.id}`, { session: other, body: { name: "x" } }), 404);
    refused(await s.req("DELETE", `/api/catalogs/Units/${unit.body.id}`, { session: other }), 404);
    expect((await s.req("GET", "/api/catalogs/Units", { session: other })).body.rows).to.deep.equal([]);
    const forged = { ...admin, cookie: admin.cookie.replace("sid=1.", "sid=2."), sid: admin.sid.replace(/^1\./, "2.") };
    refused(await s.req("GET", "/api/catalogs/Units", { session: forged }), 401);
    expect((await s.req("GET", `/api/catalogs/Units/${unit.body.id}`, { session: admin })).status).to.equal(200);
  });

  it("the administrator manages users; a disabled user cannot log in and loses its sessions", async () => {
    const admin = await s.login("admin", ADMIN_PW);
    const created = await s.req("POST", "/api/users", {
      session: admin,
      body: { login: "keeper", name: "Кладовщик", roles: ["Storekeeper"], password: "keeper-pass-1" },
    });
    expect(created.status).to.equal(201);
    expect(created.body).to.include({ login: "keeper", disabled: false, hasPassword: true });
    expect(created.body).to.not.have.property("password");
    refused(await s.req("POST", "/api/users", { session: admin, body: { login: "keeper", roles: [] } }), 409);
    expect(
      refused(await s.req("POST", "/api/users", { session: admin, body: { login: "x1", roles: ["Boss"] } }), 400),
    ).to.match(/Нет роли «Boss»/);
    const keeper = await s.login("keeper", "keeper-pass-1");
    refused(await s.req("GET", "/api/users", { session: keeper }), 403, "forbidden");
    const list = await s.req("GET", "/api/users", { session: admin });
    expect(list.body.users.map((u: any) => u.login)).to.include.members(["admin", "keeper"]);
    const off = await s.req("PUT", `/api/users/${created.body.id}`, { session: admin, body: { disabled: true } });
    expect(off.body.disabled).to.equal(true);
    refused(await s.req("GET", "/api/auth/me", { session: keeper }), 401);
    refused(
      await s.req("POST", "/api/auth/login", { body: { login: "keeper", password: "keeper-pass-1" } }),
      403,
      "user_disabled",
    );
  });

  it("records login, logout and failed login in the journal with the IP", async () => {
    const me = await s.login("admin", ADMIN_PW);
    await s.req("POST", "/api/auth/logout", { session: me });
    await s.req("POST", "/api/auth/login", { body: { login: "admin", password: "not-the-password" } });
    const rows = (
      await s.platform.db.owner.query(
        "SELECT action, login, ip, object_name FROM _journal WHERE area = 1 AND object_kind = 'session' ORDER BY id DESC LIMIT 3",
      )
    ).rows;
    expect(rows.map((r) => r.action)).to.deep.equal(["loginFailed", "logout", "login"]);
    expect(rows[1]).to.include({ login: "admin", object_name: "admin" });
    expect(rows[1].ip).to.match(/127\.0\.0\.1/);
  });
});
