// Hardening (issue 6 §4): security headers and the content security policy, HSTS and Secure
// cookies only over HTTPS (a real TLS server when openssl can make a certificate), CSRF and
// cross-origin refusals that write nothing, failed-login delays and the temporary lock per
// login and per IP (configured through the app's options; the delays run out by the time the
// test says has passed — clock.ts — not by sleeping), and the rate limit of the login route.
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { createApp } from "../../server/http/app.ts";
import { createServerFor } from "../../server/http/hardening.ts";
import { startSecure, refused, ADMIN_PW, type Secure } from "./helpers.ts";
import { throttleTimePasses } from "./clock.ts";

/** Delays of a minute and more: none runs out by itself between two requests of the test. */
const SLOW = { freeAttempts: 2, baseDelayMs: 60_000, maxDelayMs: 240_000, lockAfter: 5, lockMs: 600_000 };

describe("security: hardening", function () {
  let s: Secure;
  before(async () => {
    s = await startSecure({ auth: { throttle: { login: SLOW, ip: { ...SLOW, freeAttempts: 100, lockAfter: 1000 } } } });
  });
  after(async () => {
    await s?.close();
  });

  it("sends helmet's headers with a strict CSP on the API and the client, and no HSTS over HTTP", async () => {
    for (const path of ["/", "/api/metadata"]) {
      const r = await s.req("GET", path);
      const csp = r.headers.get("content-security-policy")!;
      expect(csp, path)
        .to.contain("default-src 'self'")
        .and.contain("script-src 'self'")
        .and.contain("object-src 'none'")
        .and.contain("frame-ancestors 'self'");
      expect(/script-src[^;]*unsafe/.test(csp), "no unsafe script sources").to.equal(false);
      expect(r.headers.get("x-content-type-options")).to.equal("nosniff");
      expect(r.headers.get("x-frame-options")).to.equal("SAMEORIGIN");
      expect(r.headers.get("referrer-policy")).to.equal("no-referrer");
      expect(r.headers.get("strict-transport-security")).to.equal(null);
      expect(r.headers.get("x-powered-by")).to.equal(null);
    }
  });

  it("refuses a change without the CSRF token, with another session's token, or from another origin — and writes nothing", async () => {
    const a = await s.login("admin", ADMIN_PW);
    const b = await s.login("admin", ADMIN_PW);
    const before = (await s.req("GET", "/api/catalogs/Units", { session: a })).body.total;
    expect(
      refused(
        await s.req("POST", "/api/catalogs/Units", { session: a, csrf: false, body: { name: "x" } }),
        403,
        "csrf",
      ),
    ).to.match(/X-CSRF-Token/);
    refused(
      await s.req("POST", "/api/catalogs/Units", {
        session: a,
        csrf: false,
        headers: { "x-csrf-token": b.csrf },
        body: { name: "x" },
      }),
      403,
      "csrf",
    );
    refused(
      await s.req("POST", "/api/catalogs/Units", {
        session: a,
        headers: { origin: "https://evil.example" },
        body: { name: "x" },
      }),
      403,
      "cross_origin",
    );
    refused(
      await s.req("POST", "/api/catalogs/Units", {
        session: a,
        headers: { "sec-fetch-site": "cross-site" },
        body: { name: "x" },
      }),
      403,
      "cross_origin",
    );
    refused(
      await s.req("POST", "/api/auth/login", {
        headers: { origin: "null" },
        body: { login: "admin", password: ADMIN_PW },
      }),
      403,
      "cross_origin",
    );
    refused(
      await s.req("POST", "/api/auth/login", {
        raw: "login=admin&password=x",
        headers: { "content-type": "application/x-www-form-urlencoded" },
      }),
      415,
    );
    expect((await s.req("GET", "/api/catalogs/Units", { session: a })).body.total).to.equal(before);
    expect(
      (await s.req("POST", "/api/catalogs/Units", { session: a, headers: { origin: s.base }, body: { name: "ok" } }))
        .status,
    ).to.equal(201);
  });

  it("delays repeated failed logins of one login more and more, then locks it even for the right password", async () => {
    await s.user("victim", ["Viewer"], "victim-pass-1");
    const attempt = (password = "bad-password") =>
      s.req("POST", "/api/auth/login", { body: { login: "victim", password } });
    refused(await attempt(), 401);
    refused(await attempt(), 401); // two free failures
    const early = await attempt();
    expect(refused(early, 429, "login_delayed")).to.match(/через/);
    expect(Number(early.headers.get("retry-after"))).to.be.within(1, 60);
    const passes = (ms: number) => throttleTimePasses(s.platform, ms);
    await passes(60_000);
    refused(await attempt(), 401); // third failure after a minute
    refused(await attempt(), 429, "login_delayed"); // now two minutes
    await passes(100_000);
    refused(await attempt("victim-pass-1"), 429, "login_delayed"); // even the right one must wait
    await passes(20_000);
    refused(await attempt(), 401); // fourth; now four minutes
    await passes(240_000);
    refused(await attempt(), 401); // fifth: locked now
    expect(refused(await attempt("victim-pass-1"), 429, "login_locked")).to.match(/заблокирован/);
    await passes(600_000);
    expect((await attempt("victim-pass-1")).status).to.equal(200); // the lock ran out; success clears the count
    refused(await attempt(), 401);
    refused(await attempt(), 401);
  });

  it("counts failures per IP across logins", async () => {
    const t = await startSecure({
      platform: s.platform,
      auth: {
        throttle: {
          login: { ...SLOW, freeAttempts: 100, lockAfter: 1000 },
          ip: { ...SLOW, lockAfter: 3, lockMs: 600_000 },
        },
      },
    });
    try {
      for (const l of ["a1", "a2", "a3"]) {
        const r = await t.req("POST", "/api/auth/login", { body: { login: l, password: "guess-guess" } });
        expect([401, 429]).to.include(r.status);
        await throttleTimePasses(s.platform, SLOW.maxDelayMs); // whatever delay the address has, it passed
      }
      expect(
        refused(
          await t.req("POST", "/api/auth/login", { body: { login: "admin", password: ADMIN_PW } }),
          429,
          "login_locked",
        ),
      ).to.match(/с этого адреса/);
    } finally {
      await t.close();
    }
  });

  it("rate-limits the login route per IP", async () => {
    const t = await startSecure({ platform: s.platform, auth: { rateLimit: { windowMs: 60_000, limit: 3 } } });
    try {
      for (let i = 0; i < 3; i++)
        expect(
          (await t.req("POST", "/api/auth/login", { body: { login: "admin", password: ADMIN_PW } })).status,
        ).to.equal(200);
      const r = await t.req("POST", "/api/auth/login", { body: { login: "admin", password: ADMIN_PW } });
      refused(r, 429, "rate_limited");
      expect(r.headers.get("retry-after")).to.equal("60");
    } finally {
      await t.close();
    }
  });

  it("over HTTPS: HSTS and Secure cookies (a TLS server with a self-signed certificate)", async function () {
    const dir = mkdtempSync(join(tmpdir(), "tls-"));
    try {
      try {
        execFileSync(
          "openssl",
          [
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            join(dir, "key.pem"),
            "-out",
            join(dir, "cert.pem"),
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
          ],
          { stdio: "ignore" },
        );
      } catch {
        this.skip(); // no openssl on this machine
      }
      process.env.TLS_CERT = join(dir, "cert.pem");
      process.env.TLS_KEY = join(dir, "key.pem");
      const app = createApp(s.platform, { area: 1 });
      const server = createServerFor(app);
      delete process.env.TLS_CERT;
      delete process.env.TLS_KEY;
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
      try {
        const port = (server.address() as AddressInfo).port;
        const res = await new Promise<{ status: number; headers: Record<string, unknown> }>((resolve, reject) => {
          const rq = request(
            {
              host: "127.0.0.1",
              port,
              path: "/api/auth/login",
              method: "POST",
              rejectUnauthorized: false,
              headers: { "content-type": "application/json" },
            },
            (r) => {
              r.resume();
              r.on("end", () => resolve({ status: r.statusCode!, headers: r.headers }));
            },
          );
          rq.on("error", reject);
          rq.end(JSON.stringify({ login: "admin", password: ADMIN_PW }));
        });
        expect(res.status).to.equal(200);
        expect(String(res.headers["strict-transport-security"])).to.match(/max-age=31536000/);
        for (const c of res.headers["set-cookie"] as string[]) expect(c).to.match(/; Secure/i);
      } finally {
        server.closeAllConnections();
        await new Promise((r) => server.close(r));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
