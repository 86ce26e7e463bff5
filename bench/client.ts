/**
 * Benchmark of the web client, printed as a table — not a test. Starts its own embedded
 * PostgreSQL in a temporary folder, opens the platform on metadata/ with the demo data, adds
 * N accounts (BENCH_ROWS, default 1,000,000) to the PersonalAccounts catalog set-based as the
 * owner (INSERT … SELECT generate_series, area = 1), serves the API and the minified client,
 * and drives Debian's Chromium through puppeteer:
 *  - shell ready: navigation start → the sections rendered from /api/metadata (the shell's
 *    performance mark "shell-ready"), target < 1 s;
 *  - first page of the list: the list form's grid created → its first block of 100 rows
 *    received and rendered (the measure "list:…:first-page"), target < 300 ms; beside it the
 *    same API request timed from Node (the baseline: what the server alone costs);
 *  - a document with BENCH_DOC_ROWS (default 10,000) rows in a tabular part (a GroupAccrual's
 *    accounts) opened from the running shell: the tab's opening → the editor showing its rows,
 *    target < 1 s.
 * Each figure is the median of BENCH_RUNS (default 5) fresh page loads.
 * Run: npx tsx bench/client.ts
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
import { tx, type Client } from "../server/storage/db.ts";
import { listObjects } from "../server/storage/list.ts";
import {
  headerFields,
  objectFromRow,
  presentation,
  tableOf,
  type ObjMeta,
  type Row,
} from "../server/storage/objects.ts";
import { q } from "../server/storage/naming.ts";
import type { Configuration } from "../server/metadata/types.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const N = Number(process.env.BENCH_ROWS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const DOC_ROWS = Number(process.env.BENCH_DOC_ROWS ?? 10_000);
const CATALOG = "PersonalAccounts";
const log = (s: string) => process.stderr.write(s + "\n");
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => `${x.toFixed(0)} ms`;
const ms2 = (x: number) => `${x.toFixed(2)} ms`;

/** The references' presentations as storage/objects.ts presentations() read them before TypeORM: one SELECT per table. */
async function presentationsPlain(c: Client, conf: Configuration, m: ObjMeta, objs: Row[]) {
  const byTable = new Map<ObjMeta, Set<string>>();
  for (const a of m.attributes)
    if (a.type.kind === "ref" && a.type.target !== "enum") {
      const target = a.type.target === "catalog" ? conf.catalogs.get(a.type.name)! : conf.documents.get(a.type.name)!;
      for (const o of objs)
        if (typeof o[a.name] === "string") byTable.set(target, (byTable.get(target) ?? new Set()).add(o[a.name]));
    }
  const out: Record<string, string> = {};
  for (const [target, ids] of byTable) {
    const r = await c.query(`SELECT * FROM ${q(tableOf(target))} WHERE id = ANY($1::uuid[])`, [[...ids]]);
    for (const row of r.rows) out[row.id] = presentation(target, row);
  }
  return out;
}

const dir = mkdtempSync(join(tmpdir(), "bench-client-"));
const db = await startEmbedded(dir);
let server: Server | undefined;
try {
  const u = new URL(db.url);
  u.pathname = "/bench_client";
  const p = await openPlatform({ confRoot: join(ROOT, "metadata"), ownerUrl: u.toString(), appPassword: "bench" });
  await loadInitialData(p, 1);
  let t0 = performance.now();
  await p.db.owner.query(
    `INSERT INTO cat_personal_accounts (area, code, name) SELECT 1, lpad((g + 1000)::text, 11, '0'), 'Абонент ' || g FROM generate_series(1, ${N}) g`,
  );
  await p.db.owner.query("VACUUM ANALYZE cat_personal_accounts");
  log(`generated ${N} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const outDir = join(dir, "client");
  await buildClient({ outDir, minify: true });
  const app = createApp(p, { area: 1, clientDir: outDir });
  server = await new Promise<Server>((res) => {
    const s = app.listen(0, "127.0.0.1", () => res(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A logged-in administrator: the session cookie for Node's requests and the browser's.
  await ensureAdmin(p, 1, "bench-admin-password");
  const signin = await fetch(`${base}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ login: "admin", password: "bench-admin-password" }),
  });
  if (signin.status !== 200) throw new Error(`login: ${signin.status} ${await signin.text()}`);
  const jar = Object.fromEntries(
    signin.headers.getSetCookie().map((c) => c.split(";")[0].split("=") as [string, string]),
  );
  const cookie = `sid=${jar.sid}; csrf=${jar.csrf}`;

  // the API alone, from Node
  const apiTimes: number[] = [];
  let total = 0;
  for (let i = 0; i < RUNS + 1; i++) {
    t0 = performance.now();
    const r = (await (
      await fetch(`${base}/api/catalogs/${CATALOG}?offset=0&limit=100`, { headers: { cookie } })
    ).json()) as { total: number };
    if (i > 0) apiTimes.push(performance.now() - t0); // the first warms the caches
    total = r.total;
  }

  // The same first page in Node, through the product's path (storage/list.ts: TypeORM's
  // QueryBuilder) and through the plain SQL it replaced (the same statements sent with
  // c.query), alternated, so the two are measured beside each other in one run.
  const m = p.conf.catalogs.get(CATALOG)!;
  const viaOrm: number[] = [];
  const viaSql: number[] = [];
  const columns = headerFields(m)
    .map((f) => `h.${q(f.column)}`)
    .join(", ");
  for (let i = 0; i < 4 * RUNS + 1; i++) {
    t0 = performance.now();
    await tx(p.db.app, 1, (c) => listObjects(c, p.conf, m, { offset: 0, limit: 100 }));
    if (i > 0) viaOrm.push(performance.now() - t0);
    t0 = performance.now();
    await tx(p.db.app, 1, async (c) => {
      const page = await c.query(
        `SELECT ${columns} FROM ${q(tableOf(m))} h ORDER BY h.code ASC, h.id ASC OFFSET 0 LIMIT 100`,
      );
      await c.query(`SELECT count(*) AS n FROM ${q(tableOf(m))}`);
      const objs = page.rows.map((r) => objectFromRow({ ...m, tabularParts: [] }, r, "json"));
      return presentationsPlain(c, p.conf, m, objs);
    });
    if (i > 0) viaSql.push(performance.now() - t0);
  }

  const browser = await launchBrowser();
  const shell: number[] = [];
  const list: number[] = [];
  const listFromNav: number[] = [];
  const apiInBrowser: number[] = [];
  for (let i = 0; i < RUNS + 1; i++) {
    const page = await browser.newPage();
    await page.setCookie(
      { name: "sid", value: jar.sid, url: base, httpOnly: true, sameSite: "Strict" },
      { name: "csrf", value: jar.csrf, url: base, sameSite: "Strict" },
    );
    await page.goto(`${base}/#/list/catalog/${CATALOG}`, { waitUntil: "load" });
    const m = await page.waitForFunction(
      (name) => {
        const s = performance.getEntriesByName("shell-ready")[0];
        const l = performance.getEntriesByName(`list:catalog.${name}:first-page`)[0];
        const api = performance.getEntriesByType("resource").find((e) => e.name.includes(`/api/catalogs/${name}?`));
        return s && l
          ? { shell: s.startTime, list: l.duration, listEnd: l.startTime + l.duration, api: api?.duration ?? 0 }
          : null;
      },
      { timeout: 30_000 },
      CATALOG,
    );
    const v = (await m.jsonValue()) as { shell: number; list: number; listEnd: number; api: number };
    if (i > 0) {
      shell.push(v.shell);
      list.push(v.list);
      listFromNav.push(v.listEnd);
      apiInBrowser.push(v.api);
    }
    await page.close();
  }

  // A document with DOC_ROWS rows in a tabular part, opened from the running shell: from the
  // tab's opening (hash change) to the grid showing its rows and the footer.
  const docId = (
    await p.db.owner.query(
      `INSERT INTO doc_group_accrual (area, number, date, month, accrue_services) VALUES (1, 'B0000001', '2024-06-30', '2024-06-01', true) RETURNING id`,
    )
  ).rows[0].id;
  await p.db.owner.query(
    `INSERT INTO doc_group_accrual__accounts (area, owner, line, account) SELECT 1, $1, row_number() OVER (ORDER BY code), id FROM (SELECT id, code FROM cat_personal_accounts ORDER BY code LIMIT ${DOC_ROWS}) a`,
    [docId],
  );
  const docOpen: number[] = [];
  for (let i = 0; i < RUNS + 1; i++) {
    const page = await browser.newPage();
    await page.setCookie(
      { name: "sid", value: jar.sid, url: base, httpOnly: true, sameSite: "Strict" },
      { name: "csrf", value: jar.csrf, url: base, sameSite: "Strict" },
    );
    await page.goto(`${base}/`, { waitUntil: "load" });
    await page.waitForFunction(() => performance.getEntriesByName("shell-ready").length > 0, { timeout: 30_000 });
    // (A string, not a function: tsx would wrap inner functions with a helper the page lacks.)
    const t = (await page.evaluate(`(async () => {
      const t0 = performance.now();
      location.hash = ${JSON.stringify(`#document/GroupAccrual/${docId}`)};
      const deep = (root, sel) => {
        const found = root.querySelector(sel);
        if (found) return found;
        for (const el of root.querySelectorAll("*")) if (el.shadowRoot) { const x = deep(el.shadowRoot, sel); if (x) return x; }
        return null;
      };
      for (;;) {
        await new Promise((r) => requestAnimationFrame(r));
        const grid = deep(document, "tabular-part");
        if (grid && grid.shadowRoot && grid.shadowRoot.querySelector(".ag-row[row-index='0'] .ag-cell")) return performance.now() - t0;
        if (performance.now() - t0 > 30000) return -1;
      }
    })()`)) as number;
    if (t < 0) await page.screenshot({ path: join(tmpdir(), "bench-client-document.png") });
    if (i > 0) docOpen.push(t);
    await page.close();
  }
  await browser.close();

  const rows: [string, string, string, string][] = [
    [
      "shell ready after load (navigation → sections)",
      ms(median(shell)),
      "< 1000 ms",
      median(shell) < 1000 ? "ok" : "MISSED",
    ],
    [
      `list first page, ${total.toLocaleString("en")} rows (grid → rows)`,
      ms(median(list)),
      "< 300 ms",
      median(list) < 300 ? "ok" : "MISSED",
    ],
    [
      "  baseline: the same API page from Node",
      ms(median(apiTimes)),
      "",
      `ratio ${(median(list) / median(apiTimes)).toFixed(1)}×`,
    ],
    ["  the first page's request in the browser", ms(median(apiInBrowser)), "", ""],
    [
      "  the page in Node through TypeORM's QueryBuilder (the product's path)",
      ms2(median(viaOrm)),
      "",
      `${(median(viaOrm) / median(viaSql)).toFixed(2)}× of plain SQL`,
    ],
    ["  the same statements in plain SQL, alternated with it", ms2(median(viaSql)), "", ""],
    ["  navigation → list rows shown", ms(median(listFromNav)), "", ""],
    [
      `document with ${DOC_ROWS.toLocaleString("en")} tabular rows opened (tab → rows shown)`,
      ms(median(docOpen)),
      "< 1000 ms",
      median(docOpen) > 0 && median(docOpen) < 1000 ? "ok" : "MISSED",
    ],
  ];
  const w = [Math.max(...rows.map((r) => r[0].length)), 9, 10, 10];
  const line = (r: string[]) => "| " + r.map((c, i) => c.padEnd(w[i])).join(" | ") + " |";
  console.log(
    `\nClient bench: median of ${RUNS} page loads, Chromium headless, ${N.toLocaleString("en")} generated rows\n`,
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
