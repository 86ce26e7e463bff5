/**
 * The bank statement import (issue 16 §3: 10,000 payments imported and posted in ≤ 10 s): the
 * demo database plus BENCH_ACCOUNTS generated personal accounts (default 2,000), a generated
 * statement of N incoming payments (default 10,000; 90% name an account and a month, 10% name none
 * and stay «Не разнесено»), imported by the function the route calls (server/documents/files.ts
 * importFile → BankStatement's import) in one transaction, as POST /api/documents/BankStatement/import
 * does; then the same file again (every line a duplicate). Prints parse, match and post (the
 * Payments through the batch path — posted as a set, Payment.postMany —, and the statement) and
 * the wall time with the commit; POSTING_PROFILE=1 adds the set posting's phases.
 * BENCH_MATCHED=<tenths> (default 9): the share of lines naming an account; 0 measures the
 * statement alone. BENCH_STATEMENTS=1: the import's SQL statements and their server time.
 * Run: npx tsx bench/bank-import.ts [payments]
 */
import "./quiet-log.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startEmbedded } from "../server/storage/embedded.ts";
import { openPlatform, type Platform } from "../server/platform.ts";
import { tx } from "../server/storage/db.ts";
import { catalogTable } from "../server/storage/naming.ts";
import * as cat from "../server/catalogs/service.ts";
import { importFile } from "../server/documents/files.ts";
import { loadInitialData } from "../server/initial-data.ts";
import { writeExchangeFile, type PaymentOrder } from "../metadata/common/bank/exchange-write.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const N = Number(process.argv[2] ?? 10_000);
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 2000);
/** Tenths of the lines that name an account (BENCH_MATCHED=0: none — the statement alone, no payments). */
const MATCHED = Number(process.env.BENCH_MATCHED ?? 9);
const ORG_ACCOUNT = "1111111111222222222"; // the demo organization's
const log = (s: string) => process.stderr.write(s + "\n");
const MONTHS = [
  "январь",
  "февраль",
  "март",
  "апрель",
  "май",
  "июнь",
  "июль",
  "август",
  "сентябрь",
  "октябрь",
  "ноябрь",
];

const inArea = <T>(p: Platform, fn: (ctx: cat.Ctx) => Promise<T>) =>
  tx(p.db.app, 1, (c) => fn({ c, conf: p.conf, area: 1 }));

async function generateAccounts(p: Platform, n: number): Promise<void> {
  await inArea(p, async (ctx) => {
    const [building] = (await ctx.c.query(`SELECT id FROM ${catalogTable("Buildings")} LIMIT 1`)).rows;
    for (let i = 0; i < n; i++)
      await cat.createCatalogItem(ctx, "PersonalAccounts", {
        code: String(1000 + i).padStart(11, "0"),
        name: `Плательщик ${i}`,
        Building: building.id,
        Apartment: String(i % 500),
        TotalArea: "50.00",
        Residents: 2,
      });
  });
}

function statement(n: number): Buffer {
  const orders: PaymentOrder[] = [];
  for (let i = 1; i <= n; i++) {
    const kopecks = 50_000 + ((i * 7919) % 1_500_000);
    const day = String(1 + (i % 12)).padStart(2, "0");
    const account = String(1000 + (i % ACCOUNTS)).padStart(11, "0");
    orders.push({
      number: String(i),
      date: `2011-12-${day}`,
      sum: `${Math.floor(kopecks / 100)}.${String(kopecks % 100).padStart(2, "0")}`,
      payer: { account: `408178100000${String(i).padStart(8, "0")}`, name: `Плательщик № ${i} Иванов Иван Иванович` },
      recipient: { account: ORG_ACCOUNT, name: "ТСЖ Машенька", inn: "111111111" },
      purpose:
        i % 10 < 10 - MATCHED
          ? `Оплата коммунальных услуг кв. ${i % 300}, плательщик ${i}`
          : `Оплата за ЖКУ л/с ${account} за ${MONTHS[i % 11]} 2011 г. Без НДС`,
    });
  }
  return writeExchangeFile(orders, { account: ORG_ACCOUNT, created: "2011-12-13T09:00:00" });
}

type Answer = {
  counts: Record<string, number>;
  timings?: { parseMs: number; matchMs: number; postMs: number; paymentsMs?: number; statementMs?: number };
};

const dir = mkdtempSync(join(tmpdir(), "zhkh-bench-bank-"));
// BENCH_SLOW=<ms>: statements slower than that on stderr
const slow = process.env.BENCH_SLOW;
// BENCH_STATEMENTS=1: the import's statements counted and their server time summed (from the log)
const counting = process.env.BENCH_STATEMENTS === "1";
const pgStats = { on: false, statements: 0, ms: 0 };
const db = await startEmbedded(dir, (s: string) => {
  const m = /duration: ([\d.]+) ms/.exec(s);
  if (!m) return;
  if (pgStats.on) (pgStats.statements += 1), (pgStats.ms += Number(m[1]));
  if (slow) log("    pg: " + s.trimEnd().slice(0, 600));
});
if (slow || counting) {
  const pg = (await import("pg")).default;
  const c = new pg.Client(db.url);
  await c.connect();
  await c.query(`ALTER SYSTEM SET log_min_duration_statement = '${counting ? 0 : Number(slow)}ms'`);
  await c.query("SELECT pg_reload_conf()");
  await c.end();
}
try {
  const u = new URL(db.url);
  u.pathname = "/bench_bank_import";
  const p = await openPlatform({ confRoot: join(ROOT, "metadata"), ownerUrl: u.toString(), appPassword: "bench" });
  try {
    await loadInitialData(p, 1);
    let t = performance.now();
    await generateAccounts(p, ACCOUNTS);
    log(`${ACCOUNTS} accounts generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const file = statement(N);
    await p.db.owner.query("CHECKPOINT");
    const rows: string[][] = [];
    for (const run of ["first import", "the same file again"]) {
      t = performance.now();
      const cpu0 = process.cpuUsage();
      pgStats.on = run === "first import";
      const a = (await inArea(p, (ctx) => importFile(ctx, "BankStatement", file, { name: "bench.txt" }))) as Answer;
      const wall = performance.now() - t;
      const cpu = process.cpuUsage(cpu0);
      await new Promise((r) => setTimeout(r, 500)); // the log's last lines
      pgStats.on = false;
      const tm = a.timings;
      rows.push([
        run,
        `${N.toLocaleString("en")} lines, ${(file.length / 1e6).toFixed(1)} MB`,
        `${a.counts.posted} / ${a.counts.unposted} / ${a.counts.duplicates}`,
        tm ? `${(tm.parseMs / 1000).toFixed(2)} s` : "—",
        tm ? `${(tm.matchMs / 1000).toFixed(2)} s` : "—",
        tm
          ? `${(tm.postMs / 1000).toFixed(2)} s` +
            (tm.paymentsMs != null
              ? ` (payments ${(tm.paymentsMs / 1000).toFixed(2)} s, statement ${((tm.statementMs ?? 0) / 1000).toFixed(2)} s)`
              : "")
          : "—",
        `${(wall / 1000).toFixed(2)} s`,
        `${((cpu.user + cpu.system) / 1e6).toFixed(2)} s`,
      ]);
    }
    const head = [
      "run",
      "file",
      "posted / unposted / duplicates",
      "parse",
      "match",
      "post",
      "wall (with commit)",
      "node CPU",
    ];
    console.log(`| ${head.join(" | ")} |\n|${head.map(() => "---").join("|")}|`);
    for (const r of rows) console.log(`| ${r.join(" | ")} |`);
    if (counting)
      console.log(
        `first import: ${pgStats.statements} statements (${(pgStats.statements / N).toFixed(1)} a line), ` +
          `${(pgStats.ms / 1000).toFixed(2)} s of their server time (${(pgStats.ms / N).toFixed(2)} ms a line)`,
      );
  } finally {
    await p.close();
  }
} finally {
  await db.stop();
  rmSync(dir, { recursive: true, force: true });
}
