/**
 * Benchmark of the session path, printed as a table — not a test. Starts its own embedded
 * PostgreSQL in a temporary folder, opens the platform on the test warehouse configuration and
 * serves the API with the session cache off (cacheMs 0: every request looks its session up in
 * _sessions and touches last_seen), then times from Node, one request at a time:
 *  - POST /api/auth/login (BENCH_LOGINS, default 50): the user read, scrypt, a new session;
 *  - GET /api/auth/me (BENCH_REQUESTS, default 200): a session lookup and nothing else;
 *  - GET /api/users and GET /api/journal?limit=50 (BENCH_REQUESTS each): users and the journal read;
 *  - the same work called directly, without HTTP (BENCH_CALLS, default 1,000, each in its own
 *    transaction): SessionStore.lookup, findUser, listJournal of 50 entries.
 * Each figure is the median of BENCH_RUNS (default 3) rounds, as the mean time per request, and
 * beside it the Node process's CPU time per request (server and client share the process): the
 * figure that shows what the server's own code costs when the machine is busy with other work.
 * Run: npx tsx bench/auth.ts
 */
import "./quiet-log.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { startEmbedded } from "../server/storage/embedded.ts";
import { openPlatform } from "../server/platform.ts";
import { createApp } from "../server/http/app.ts";
import { ensureAdmin } from "../server/security/bootstrap.ts";
import { tx } from "../server/storage/db.ts";
import { SessionStore } from "../server/security/sessions.ts";
import { findUser } from "../server/security/users.ts";
import { listJournal } from "../server/journal/query.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const LOGINS = Number(process.env.BENCH_LOGINS ?? 50);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CALLS = Number(process.env.BENCH_CALLS ?? 1000);
const PASSWORD = "bench-admin-secret-1";
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const dir = mkdtempSync(join(tmpdir(), "bench-auth-"));
const db = await startEmbedded(dir);
let server: Server | undefined;
try {
  const u = new URL(db.url);
  u.pathname = "/bench_auth";
  const p = await openPlatform({
    confRoot: join(ROOT, "tests", "fixtures", "warehouse"),
    ownerUrl: u.toString(),
    appPassword: "bench",
  });
  await ensureAdmin(p, 1, PASSWORD);
  const app = createApp(p, {
    area: 1,
    auth: { sessions: { cacheMs: 0 }, rateLimit: { windowMs: 60_000, limit: 1_000_000 } },
  });
  server = await new Promise<Server>((res) => {
    const s = app.listen(0, "127.0.0.1", () => res(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const login = async () => {
    const r = await fetch(`${base}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ login: "admin", password: PASSWORD }),
    });
    if (r.status !== 200) throw new Error(`login: ${r.status} ${await r.text()}`);
    await r.arrayBuffer();
    const jar = Object.fromEntries(r.headers.getSetCookie().map((c) => c.split(";")[0].split("=") as [string, string]));
    return `sid=${jar.sid}; csrf=${jar.csrf}`;
  };
  const get = async (cookie: string, path: string) => {
    const r = await fetch(base + path, { headers: { cookie } });
    if (r.status !== 200) throw new Error(`${path}: ${r.status} ${await r.text()}`);
    await r.arrayBuffer();
  };
  /** Mean wall and Node CPU ms per call of `n` sequential calls. */
  const time = async (n: number, fn: () => Promise<unknown>) => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (let i = 0; i < n; i++) await fn();
    const cpu = process.cpuUsage(c0);
    return { wall: (performance.now() - t0) / n, cpu: (cpu.user + cpu.system) / 1000 / n };
  };

  const cookie = await login();
  for (let i = 0; i < 20; i++) await get(cookie, "/api/auth/me"); // warm up
  const figures: Record<string, { wall: number; cpu: number }[]> = {
    login: [],
    me: [],
    users: [],
    journal: [],
    lookup: [],
    findUser: [],
    listJournal: [],
  };
  const store = new SessionStore(p.db.app, { idleMs: 3_600_000, absoluteMs: 3_600_000, cacheMs: 0 });
  for (let run = 0; run < RUNS; run++) {
    figures.login.push(await time(LOGINS, login));
    const c = await login();
    figures.me.push(await time(REQUESTS, () => get(c, "/api/auth/me")));
    figures.users.push(await time(REQUESTS, () => get(c, "/api/users")));
    figures.journal.push(await time(REQUESTS, () => get(c, "/api/journal?limit=50")));
    const sid = decodeURIComponent(/sid=([^;]+)/.exec(c)![1]);
    figures.lookup.push(await time(CALLS, () => store.lookup(sid)));
    figures.findUser.push(await time(CALLS, () => tx(p.db.app, 1, (t) => findUser(t, "admin"))));
    figures.listJournal.push(await time(CALLS, () => tx(p.db.app, 1, (t) => listJournal(t, { offset: 0, limit: 50 }))));
  }
  const rows = [
    [`POST /api/auth/login ×${LOGINS}`, figures.login],
    [`GET /api/auth/me ×${REQUESTS} (session lookup)`, figures.me],
    [`GET /api/users ×${REQUESTS}`, figures.users],
    [`GET /api/journal?limit=50 ×${REQUESTS}`, figures.journal],
    [`SessionStore.lookup ×${CALLS} (no HTTP)`, figures.lookup],
    [`findUser ×${CALLS} (no HTTP)`, figures.findUser],
    [`listJournal, 50 entries ×${CALLS} (no HTTP)`, figures.listJournal],
  ] as const;
  console.log(`| request | ms per request (median of ${RUNS}) | Node CPU ms per request |\n|---|---|---|`);
  for (const [name, xs] of rows)
    console.log(
      `| ${name} | ${median(xs.map((x) => x.wall)).toFixed(2)} | ${median(xs.map((x) => x.cpu)).toFixed(2)} |`,
    );
  await p.close();
} finally {
  server?.close();
  await db.stop();
  rmSync(dir, { recursive: true, force: true });
}
