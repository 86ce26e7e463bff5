/**
 * Benchmark of the dispatcher's list (issue 17 §4), printed as a table — not a test. Starts its
 * own embedded PostgreSQL in a temporary folder, opens the platform on metadata/ with the demo
 * (its request types, executors and accounts), adds N service requests (BENCH_REQUESTS, default
 * 100,000) set-based as the owner (INSERT … SELECT generate_series: every status, type, executor
 * and account in turn, one request every 5 minutes from 2024), serves the API and the minified
 * client and drives Debian's Chromium through puppeteer:
 *  - the list's first page in the browser in the dispatcher's order (#/list/document/ServiceRequest:
 *    open overdue requests, then new ones, then the rest, the latest received first — the
 *    document's `list` in metadata, with its ten columns): the grid created → its first block of
 *    rows received and rendered (the list form's measure "list:document.ServiceRequest:first-page"),
 *    target < 300 ms;
 *  - the same API request from Node (what the server alone costs), newest first with the count,
 *    and «Мои» (?mine=true, the requests of one executor's login) and a status filter from Node.
 * Each figure is the median of BENCH_RUNS (default 5) runs after a warm-up.
 * Run: npx tsx bench/service-requests.ts
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
import { loadInitialData } from "../server/initial-data.ts";
import { createApp } from "../server/http/app.ts";
import { ensureAdmin } from "../server/security/bootstrap.ts";
import { buildClient } from "../client/build.ts";
import { launchBrowser } from "../tests/client/helpers/browser.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const N = Number(process.env.BENCH_REQUESTS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const log = (s: string) => process.stderr.write(s + "\n");
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => `${x.toFixed(0)} ms`;

const dir = mkdtempSync(join(tmpdir(), "bench-requests-"));
const db = await startEmbedded(dir);
let server: Server | undefined;
try {
  const u = new URL(db.url);
  u.pathname = "/bench_requests";
  const p = await openPlatform({ confRoot: join(ROOT, "metadata"), ownerUrl: u.toString(), appPassword: "bench" });
  await loadInitialData(p, 1);
  let t0 = performance.now();
  // every status, type, executor and account in turn; the deadline a day after receipt
  await p.db.owner.query(`
    WITH t AS (SELECT array_agg(id ORDER BY code) a FROM cat_request_types),
         e AS (SELECT array_agg(id ORDER BY code) a FROM cat_employees),
         acc AS (SELECT array_agg(id ORDER BY code) a, array_agg(building ORDER BY code) b FROM cat_personal_accounts),
         s AS (SELECT ARRAY['New','Accepted','InWork','Done','Closed','Postponed','Rejected'] a)
    INSERT INTO doc_service_request (area, number, date, posted, status, received_at, source, account, building,
      request_type, description, priority, executor, deadline)
    SELECT 1, 'B' || lpad(g::text, 8, '0'), m, true, s.a[1 + g % 7], m, 'Phone',
      acc.a[1 + g % array_length(acc.a, 1)], acc.b[1 + g % array_length(acc.b, 1)],
      t.a[1 + g % array_length(t.a, 1)], 'Заявка ' || g, 'Normal', e.a[1 + g % array_length(e.a, 1)], m + interval '1 day'
    FROM generate_series(1, ${N}) g, t, e, acc, s,
      LATERAL (SELECT timestamp '2024-01-01' + g * interval '5 minutes' AS m) x`);
  await p.db.owner.query("VACUUM ANALYZE doc_service_request");
  log(`generated ${N} requests in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const outDir = join(dir, "client");
  await buildClient({ outDir, minify: true });
  const app = createApp(p, { area: 1, clientDir: outDir });
  server = await new Promise<Server>((res) => {
    const s = app.listen(0, "127.0.0.1", () => res(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await ensureAdmin(p, 1, "bench-admin-password");
  const login = async (user: string, password: string) => {
    const r = await fetch(`${base}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ login: user, password }),
    });
    if (r.status !== 200) throw new Error(`login: ${r.status} ${await r.text()}`);
    return Object.fromEntries(r.headers.getSetCookie().map((c) => c.split(";")[0].split("=") as [string, string]));
  };
  const jar = await login("admin", "bench-admin-password");
  const cookie = `sid=${jar.sid}; csrf=${jar.csrf}`;
  // the executor Петров's user, for «Мои»
  await p.db.owner.query(
    "UPDATE cat_employees SET \"user\" = 'admin' WHERE code = (SELECT min(code) FROM cat_employees)",
  );

  const timed = async (path: string) => {
    const times: number[] = [];
    let total = 0;
    for (let i = 0; i < RUNS + 1; i++) {
      t0 = performance.now();
      const r = (await (await fetch(`${base}${path}`, { headers: { cookie } })).json()) as { total: number };
      if (i > 0) times.push(performance.now() - t0);
      total = r.total;
    }
    return { time: median(times), total };
  };
  // the browser's own first request: the dispatcher's order (open overdue, new, the rest), no count
  const dispatcher = await timed("/api/documents/ServiceRequest?offset=0&limit=100&count=false");
  const api = await timed("/api/documents/ServiceRequest?offset=0&limit=100&sort=-date");
  const mine = await timed("/api/documents/ServiceRequest?offset=0&limit=100&sort=-date&mine=true");
  const fresh = await timed("/api/documents/ServiceRequest?offset=0&limit=100&sort=-date&Status=New");

  const browser = await launchBrowser();
  // the list form's measure "list:<kind>.<name>:first-page" of each fresh page load
  const firstPage = async (kind: string, name: string): Promise<number[]> => {
    const out: number[] = [];
    for (let i = 0; i < RUNS + 1; i++) {
      const page = await browser.newPage();
      await page.setCookie(
        { name: "sid", value: jar.sid, url: base, httpOnly: true, sameSite: "Strict" },
        { name: "csrf", value: jar.csrf, url: base, sameSite: "Strict" },
      );
      await page.goto(`${base}/#/list/${kind}/${name}`, { waitUntil: "load" });
      const m = await page.waitForFunction(
        (mark) => {
          const l = performance.getEntriesByName(mark)[0];
          return l ? { list: l.duration } : null;
        },
        { timeout: 60_000 },
        `list:${kind}.${name}:first-page`,
      );
      const v = (await m.jsonValue()) as { list: number };
      if (i > 0) out.push(v.list);
      await page.close();
    }
    return out;
  };
  const list = await firstPage("document", "ServiceRequest");
  // the floor: the same list form over a catalog of two items and four columns
  const floor = await firstPage("catalog", "Employees");
  await browser.close();

  const rows: [string, string, string, string][] = [
    [
      `dispatcher's list first page, ${api.total.toLocaleString("en")} requests (grid → rows)`,
      ms(median(list)),
      "< 300 ms",
      median(list) < 300 ? "ok" : "MISSED",
    ],
    ["  baseline: the same API page from Node (the dispatcher's order)", ms(dispatcher.time), "", ""],
    ["  floor: the list form over 2 executors (4 columns) in Chromium", ms(median(floor)), "", ""],
    ["  the API page from Node, newest first, with the count", ms(api.time), "", ""],
    [`  «Мои» (${mine.total.toLocaleString("en")} of one executor) from Node`, ms(mine.time), "", ""],
    [`  status «Новая» (${fresh.total.toLocaleString("en")}) from Node`, ms(fresh.time), "", ""],
  ];
  const w = [Math.max(...rows.map((r) => r[0].length)), 9, 10, 8];
  const line = (r: string[]) => "| " + r.map((c, i) => c.padEnd(w[i])).join(" | ") + " |";
  console.log(
    `\nService requests bench: median of ${RUNS} runs, Chromium headless, ${N.toLocaleString("en")} generated requests\n`,
  );
  console.log(line(["measurement", "time", "target", "result"]));
  console.log("|" + w.map((x) => "-".repeat(x + 2)).join("|") + "|");
  for (const r of rows) console.log(line(r));
  await p.close();
} finally {
  server?.close();
  await db.stop();
  rmSync(dir, { recursive: true, force: true });
}
