// Login throttling that an attacker cannot turn against the user (issue 13 §4): failures are
// counted per login and client address (an attacker on one address slows down only himself);
// a login is locked from every address only when many addresses fail, an administrator lifts
// it (journaled) and the user is told at the next login; logins are normalized once (NFKC and
// case folding: "ADMİN" is "admin", "Иванов" is "иванов") and counted by that form; common,
// breached and guessable passwords are refused, and administrators need 12 characters.
// Several client addresses are simulated through X-Forwarded-For with TRUST_PROXY=loopback.
// Delays and locks run out by the time the test says has passed (clock.ts), never by sleeping:
// they are long, so a loaded machine cannot let one run out by itself between two requests.
import { expect } from "chai";
import { startSecure, refused, ADMIN_PW, type Secure } from "./helpers.ts";
import { normalizeLogin } from "../../server/security/users.ts";
import { addressKey } from "../../server/security/throttle.ts";
import { passwordProblem } from "../../server/security/passwords.ts";
import { ensureAdmin } from "../../server/security/bootstrap.ts";
import { securitySchemaSql } from "../../server/security/schema.ts";
import { APP_ROLE } from "../../server/storage/db.ts";
import { AREA_DEFAULT } from "../../server/storage/columns.ts";
import { throttleTimePasses } from "./clock.ts";

/** Per login and address: 2 free failures, then 20 s, 40 s, that address locked at the 4th. */
const PAIR = { freeAttempts: 2, baseDelayMs: 20_000, maxDelayMs: 40_000, lockAfter: 4, lockMs: 60_000 };
const OPEN_IP = { ...PAIR, freeAttempts: 1000, lockAfter: 10_000 };
const STRONG = "Kx7#mQ2vLp9w"; // 12 characters, zxcvbn score 4

describe("security: login throttling, login normalization and the password policy", function () {
  this.timeout(60_000);
  let s: Secure;
  let savedProxy: string | undefined;
  const from = (address: string, login: string, password: string) =>
    s.req("POST", "/api/auth/login", { body: { login, password }, headers: { "x-forwarded-for": address } });

  before(async () => {
    savedProxy = process.env.TRUST_PROXY;
    process.env.TRUST_PROXY = "loopback"; // X-Forwarded-For from the test is the client address
    s = await startSecure({
      auth: {
        sessions: { cacheMs: 0 },
        throttle: { login: PAIR, ip: OPEN_IP, hardLock: { addresses: 3, failures: 6, windowMs: 60_000, lockMs: 0 } },
        rateLimit: { windowMs: 60_000, limit: 100_000 },
      },
    });
  });
  after(async () => {
    if (savedProxy === undefined) delete process.env.TRUST_PROXY;
    else process.env.TRUST_PROXY = savedProxy;
    await s?.close();
  });

  /** Wrong passwords from one address, each sent once the server allows it (the delay passed), until that address is locked. */
  async function failUntilLocked(address: string, login: string): Promise<number> {
    let failures = 0;
    for (let i = 0; i < 20; i++) {
      const r = await from(address, login, "wrong-guess-" + i);
      if (r.status === 401) failures++;
      else if (r.body?.error?.code === "login_delayed")
        await throttleTimePasses(s.platform, Number(r.headers.get("retry-after")) * 1000);
      else {
        refused(r, 429, "login_locked");
        return failures;
      }
    }
    throw new Error("never locked");
  }

  it("an attacker on one address locks only himself out: the real user on another address logs in at once", async () => {
    const failures = await failUntilLocked("203.0.113.7", "admin");
    expect(failures).to.equal(PAIR.lockAfter);
    // The right password from the attacker's address is refused too (that address is locked)…
    expect(refused(await from("203.0.113.7", "admin", ADMIN_PW), 429, "login_locked")).to.match(/с этого адреса/);
    // …but the administrator on another address gets in straight away (no delay to wait out), and again.
    const real = await from("198.51.100.20", "admin", ADMIN_PW);
    expect(real.status, real.text).to.equal(200);
    expect(real.body.user.login).to.equal("admin");
    expect(real.body.lockNotice).to.equal(null);
    expect((await from("198.51.100.20", "admin", ADMIN_PW)).status).to.equal(200);
    // The state is in PostgreSQL: another app on the same database refuses the attacker just the same.
    const rows = (
      await s.platform.db.owner.query(
        "SELECT login, address, failures FROM _login_failures WHERE area = 1 AND login = 'admin'",
      )
    ).rows;
    expect(rows).to.deep.include({ login: "admin", address: "203.0.113.7", failures: PAIR.lockAfter });
    const other = await startSecure({ platform: s.platform, auth: { throttle: { login: PAIR, ip: OPEN_IP } } });
    try {
      const r = await other.req("POST", "/api/auth/login", {
        body: { login: "admin", password: ADMIN_PW },
        headers: { "x-forwarded-for": "203.0.113.7" },
      });
      refused(r, 429, "login_locked");
      expect(Number(r.headers.get("retry-after"))).to.be.above(50);
    } finally {
      await other.close();
    }
  });

  it("parallel guesses from one address cannot slip between the check and the count", async () => {
    await s.user("racer", ["Viewer"], "Racer-Secret-64");
    const replies = await Promise.all(
      Array.from({ length: 8 }, (_, i) => from("203.0.113.50", "racer", "parallel-guess-" + i)),
    );
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses, replies.map((r) => r.text.slice(0, 80)).join("\n")).to.deep.equal([
      401, 401, 429, 429, 429, 429, 429, 429,
    ]); // only the free ones were checked
    // A right password from there, after the wait, is un-counted and clears the address's count of this login.
    await throttleTimePasses(s.platform, PAIR.baseDelayMs + 1000);
    expect((await from("203.0.113.50", "racer", "Racer-Secret-64")).status).to.equal(200);
    const left = (
      await s.platform.db.owner.query(
        "SELECT login, failures FROM _login_failures WHERE area = 1 AND address = '203.0.113.50' ORDER BY login",
      )
    ).rows;
    expect(left).to.deep.equal([{ login: "", failures: 2 }]);
  });

  it("counts an IPv6 client by its /64 network and an IPv4-mapped address as IPv4", () => {
    expect(addressKey("2001:db8:1:2:aaaa::1")).to.equal(addressKey("2001:0db8:0001:0002:ffff:1:2:3"));
    expect(addressKey("2001:db8:1:2::5")).to.equal("2001:db8:1:2::/64");
    expect(addressKey("2001:db8:1:3::5")).to.not.equal(addressKey("2001:db8:1:2::5"));
    expect(addressKey("::ffff:192.0.2.1")).to.equal("192.0.2.1");
  });

  it("many addresses failing lock the login from everywhere; another administrator lifts it (journaled); the user is told at the next login", async () => {
    const admin = await s.login("admin", ADMIN_PW);
    const made = await s.req("POST", "/api/users", {
      session: admin,
      body: { login: "chief", name: "Главбух", roles: ["Administrator"], password: STRONG },
    });
    expect(made.status, made.text).to.equal(201);
    // Two free failures from each of three addresses: the sixth failure, from the third address, locks.
    for (const a of ["192.0.2.1", "192.0.2.2"])
      for (let i = 0; i < 2; i++) refused(await from(a, "chief", "bad-guess-" + i), 401);
    refused(await from("192.0.2.3", "chief", "bad-guess-x"), 401);
    const lock = await from("192.0.2.3", "chief", "bad-guess-y");
    expect(refused(lock, 429, "account_locked"))
      .to.match(/6 неудачных попыток входа с 3 разных адресов/)
      .and.match(/администратор/);
    expect(lock.headers.get("retry-after")).to.equal(null); // until lifted
    // Locked from every address, the right password included.
    expect(refused(await from("198.51.100.99", "chief", STRONG), 429, "account_locked")).to.match(
      /снимет администратор/,
    );
    const listed = (await s.req("GET", "/api/users", { session: admin })).body.users.find(
      (u: any) => u.login === "chief",
    );
    expect(listed.locked).to.include({ failures: 6, addresses: 3 });
    expect(listed.locked.until).to.equal(null);

    // Lifting: an administrator only; then journaled, and a second lift says there is no lock.
    const keeper = await s.user("keeper-t", ["Storekeeper"], "Keeper-Secret-42");
    refused(await s.req("POST", `/api/users/${made.body.id}/unlock`, { session: keeper }), 403, "forbidden");
    const lifted = await s.req("POST", `/api/users/${made.body.id}/unlock`, { session: admin });
    expect(lifted.status, lifted.text).to.equal(200);
    expect(lifted.body.locked).to.equal(null);
    refused(await s.req("POST", `/api/users/${made.body.id}/unlock`, { session: admin }), 409, "not_locked");
    const journal = (
      await s.platform.db.owner.query(
        "SELECT action, login, object_name, details FROM _journal WHERE area = 1 AND action IN ('loginLocked', 'loginUnlocked') AND object_name = 'chief' ORDER BY id",
      )
    ).rows;
    expect(journal.map((r) => r.action)).to.deep.equal(["loginLocked", "loginUnlocked"]);
    expect(journal[0].login).to.equal(null); // the lock is the system's
    expect([Number(journal[0].details.failures), Number(journal[0].details.addresses)]).to.deep.equal([6, 3]); // jsonb numbers come back as strings
    expect(journal[0].details.addressList).to.have.members(["192.0.2.1", "192.0.2.2", "192.0.2.3"]);
    expect(journal[1].login).to.equal("admin");

    // The next successful login tells the user, and so does /me of that session; later logins do not.
    const next = await from("198.51.100.99", "chief", STRONG);
    expect(next.status, next.text).to.equal(200);
    expect(next.body.lockNotice).to.include({ failures: 6, addresses: 3, liftedBy: "admin" });
    expect(next.body.lockNotice.message).to.match(
      /была заблокирована .* после 6 неудачных попыток входа с 3 адресов; блокировку снял администратор «admin»/,
    );
    const cookies = next.headers.getSetCookie().map((c) => c.split(";")[0]);
    const session = { cookie: cookies.join("; "), csrf: next.body.csrfToken, sid: "", me: next.body };
    const me = await s.req("GET", "/api/auth/me", { session: session as any });
    expect(me.body.lockNotice).to.deep.equal(next.body.lockNotice);
    const later = await from("198.51.100.99", "chief", STRONG);
    expect(later.body.lockNotice).to.equal(null);
    // The failures that made the lock do not count towards the next one (once the address's own delay has passed).
    await throttleTimePasses(s.platform, PAIR.baseDelayMs + 1000);
    refused(await from("192.0.2.1", "chief", "bad-guess-z"), 401);
  });

  it("a hard lock with a time limit runs out by itself, and the user is told it did", async () => {
    const t = await startSecure({
      platform: s.platform,
      auth: {
        throttle: {
          login: PAIR,
          ip: OPEN_IP,
          hardLock: { addresses: 2, failures: 2, windowMs: 60_000, lockMs: 60_000 },
        },
        rateLimit: { windowMs: 60_000, limit: 100_000 },
      },
    });
    try {
      await t.user("clerk", ["Viewer"], "Clerk-Secret-73");
      const f = (a: string, p: string) =>
        t.req("POST", "/api/auth/login", { body: { login: "clerk", password: p }, headers: { "x-forwarded-for": a } });
      refused(await f("192.0.2.50", "nope-nope-1"), 401);
      const locked = await f("192.0.2.51", "nope-nope-2");
      refused(locked, 429, "account_locked");
      expect(Number(locked.headers.get("retry-after"))).to.be.within(1, 60);
      refused(await f("192.0.2.52", "Clerk-Secret-73"), 429, "account_locked");
      await throttleTimePasses(s.platform, 60_000 + 1000);
      const ok = await f("192.0.2.52", "Clerk-Secret-73");
      expect(ok.status, ok.text).to.equal(200);
      expect(ok.body.lockNotice.message).to.match(/блокировка истекла/);
    } finally {
      await t.close();
    }
  });

  it('"ADMİN" (U+0130) and "Admin" are admin: they log in as admin and count in its bucket', async () => {
    expect(normalizeLogin("ADMİN")).to.equal("admin");
    expect(normalizeLogin("Admin")).to.equal("admin");
    expect(normalizeLogin("ＡＤＭＩＮ")).to.equal("admin");
    expect(normalizeLogin("admın")).to.equal("admin");
    expect(normalizeLogin("Straße")).to.equal("strasse");
    expect(normalizeLogin("Иванов")).to.equal("иванов");
    for (const x of ["ADMİN", "Straße", "ＡＤＭＩＮ", "Ёлкин", "i̇"])
      expect(normalizeLogin(normalizeLogin(x))).to.equal(normalizeLogin(x));
    for (const typed of ["ADMİN", "Admin", "ＡＤＭＩＮ"]) {
      const r = await from("198.51.100.30", typed, ADMIN_PW);
      expect(r.status, `${typed}: ${r.text}`).to.equal(200);
      expect(r.body.user.login).to.equal("admin");
    }
    refused(await from("198.51.100.31", "ADMİN", "wrong-one"), 401);
    refused(await from("198.51.100.31", "Admin", "wrong-two"), 401);
    expect(refused(await from("198.51.100.31", "admin", ADMIN_PW), 429, "login_delayed")).to.match(/«admin»/); // the third try waits: one bucket
    const rows = (
      await s.platform.db.owner.query(
        "SELECT login, failures FROM _login_failures WHERE area = 1 AND address = '198.51.100.31' AND login <> ''",
      )
    ).rows;
    expect(rows).to.deep.equal([{ login: "admin", failures: 2 }]);
    // A typed login that NFKC makes very long (200 × «ﷺ» is 3600 letters) is just an unknown login.
    refused(await from("198.51.100.32", "ﷺ".repeat(200), "whatever-1"), 401, "invalid_credentials");
  });

  it('a user created as "Иванов" is stored as "иванов" and logs in as "иванов"; look-alike and mixed-script logins are refused', async () => {
    const admin = await s.login("admin", ADMIN_PW);
    const made = await s.req("POST", "/api/users", {
      session: admin,
      body: { login: "Иванов", roles: ["Viewer"], password: "Ivanov-Secret-58" },
    });
    expect(made.status, made.text).to.equal(201);
    expect(made.body).to.include({ login: "иванов", name: "Иванов" });
    for (const typed of ["иванов", "ИВАНОВ", "Иванов"])
      expect((await from("198.51.100.40", typed, "Ivanov-Secret-58")).body.user?.login, typed).to.equal("иванов");
    expect(
      refused(await s.req("POST", "/api/users", { session: admin, body: { login: "ИВАНОВ", roles: [] } }), 409),
    ).to.match(/«иванов» уже есть/);
    refused(await s.req("POST", "/api/users", { session: admin, body: { login: "ADMİN", roles: [] } }), 409);
    expect(
      refused(await s.req("POST", "/api/users", { session: admin, body: { login: "аdmin", roles: [] } }), 400),
    ).to.match(/смешивает латинские и русские/); // Cyrillic «а»
    expect(
      refused(await s.req("POST", "/api/users", { session: admin, body: { login: "a b", roles: [] } }), 400),
    ).to.match(/Имя пользователя/);
  });

  it("normalizes logins stored before, on migration", async () => {
    await s.platform.db.owner.query(
      "INSERT INTO _users (area, login, name, roles) VALUES (1, 'Old.User', 'Old', '{}')",
    );
    await s.platform.db.owner.query(securitySchemaSql(APP_ROLE, AREA_DEFAULT));
    const rows = (await s.platform.db.owner.query("SELECT login FROM _users WHERE area = 1 AND name = 'Old'")).rows;
    expect(rows).to.deep.equal([{ login: "old.user" }]);
  });

  it("refuses common, breached and guessable passwords with a message that says why and what to do", async () => {
    const admin = await s.login("admin", ADMIN_PW);
    for (const pw of ["12345678", "password123", "qwertyuiop"]) {
      const msg = refused(
        await s.req("POST", "/api/users", {
          session: admin,
          body: { login: "weak-" + pw.length, roles: ["Viewer"], password: pw },
        }),
        400,
      );
      expect(msg, pw)
        .to.match(/распространённых|простой/)
        .and.match(/случайных слова|случайных символов/);
    }
    expect(passwordProblem("qwertyuiop", "x")).to.match(/самых распространённых/);
    expect(passwordProblem("aaaaaaaaaaaa", "x")).to.match(/простой \(повторы/);
    expect(passwordProblem("petrovpetrov", "petrov")).to.match(/простой/);
    // The change of one's own password goes through the same policy; a refused new password is no failed guess.
    const u = await s.user("changer-t", ["Viewer"], "Changer-Secret-91");
    for (let i = 0; i < 4; i++) {
      const r = await s.req("POST", "/api/auth/password", {
        session: u,
        body: { oldPassword: "Changer-Secret-91", newPassword: "password123" },
      });
      expect(refused(r, 400), `try ${i}`).to.match(/распространённых|простой/);
    }
    expect(
      (
        await s.req("POST", "/api/auth/password", {
          session: u,
          body: { oldPassword: "Changer-Secret-91", newPassword: "Changer-Better-Secret-92" },
        })
      ).status,
    ).to.equal(204);
  });

  it("an administrator needs 12 characters: a strong 11-character password is refused, a strong 12-character one accepted", async () => {
    const admin = await s.login("admin", ADMIN_PW);
    const eleven = STRONG.slice(0, 11);
    expect(passwordProblem(eleven, "x")).to.equal(null); // strong enough for an ordinary user
    expect(
      refused(
        await s.req("POST", "/api/users", {
          session: admin,
          body: { login: "admin-11", roles: ["Administrator"], password: eleven },
        }),
        400,
      ),
    ).to.match(/администратора .* не меньше 12 символов/);
    const ok = await s.req("POST", "/api/users", {
      session: admin,
      body: { login: "admin-12", roles: ["Administrator"], password: STRONG },
    });
    expect(ok.status, ok.text).to.equal(201);
    // An ordinary user with the 11 characters: made an administrator only with a new password of 12.
    const plain = await s.req("POST", "/api/users", {
      session: admin,
      body: { login: "plain-11", roles: ["Viewer"], password: eleven },
    });
    expect(plain.status, plain.text).to.equal(201);
    expect(
      refused(
        await s.req("PUT", `/api/users/${plain.body.id}`, {
          session: admin,
          body: { roles: ["Administrator"], password: eleven },
        }),
        400,
      ),
    ).to.match(/не меньше 12/);
    expect(
      refused(
        await s.req("PUT", `/api/users/${plain.body.id}`, { session: admin, body: { roles: ["Administrator"] } }),
        400,
      ),
    ).to.match(/короче 12 символов.*задайте новый пароль/);
    const promoted = await s.req("PUT", `/api/users/${plain.body.id}`, {
      session: admin,
      body: { roles: ["Administrator"], password: STRONG },
    });
    expect(promoted.status, promoted.text).to.equal(200);
    // A user whose password is long enough already becomes an administrator without a new one.
    // The first administrator from ADMIN_PASSWORD: the same rule, and the message names the variable.
    const weak = await ensureAdmin(s.platform, 9, "Kx7#mQ2vLp9").then(
      () => null,
      (e: Error) => e.message,
    );
    expect(weak).to.match(/ADMIN_PASSWORD.*не меньше 12 символов/);
    const longer = await s.req("POST", "/api/users", {
      session: admin,
      body: { login: "plain-12", roles: ["Viewer"], password: STRONG },
    });
    expect(
      (await s.req("PUT", `/api/users/${longer.body.id}`, { session: admin, body: { roles: ["Administrator"] } }))
        .status,
    ).to.equal(200);
  });
});
