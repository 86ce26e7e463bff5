/**
 * Benchmark of accounting registers (server/accounting) on the warehouse fixture's Accounting —
 * not a test. Starts its own embedded PostgreSQL in a temporary folder and measures:
 *  - writing entries: record sets of 1,000 entries (2,000 movements), each checked against the
 *    chart and written in one transaction (accounting/entries.ts#toMovements, then the register
 *    engine's small or staged path, as postDocument does): entries per second;
 *  - balance(at) of one account and counterparty (Дт 60 / Кт 60 against 51 and 41), p50 / p95 of
 *    300 calls at random moments, with a small history and with a large one: the ratio shows the
 *    cost does not grow with history (the totals of the accumulation engine).
 * Run: npx tsx bench/accounting.ts   (BENCH_ACC_SMALL entries, default 20,000; BENCH_ACC_BIG,
 * default 400,000)
 */
import "./quiet-log.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { randomUUID } from "node:crypto";
import { startEmbedded } from "../server/storage/embedded.ts";
import { openPlatform, type Platform } from "../server/platform.ts";
import { tx } from "../server/storage/db.ts";
import { writeHandlerRecordSets } from "../server/registers/index.ts";
import { toMovements } from "../server/accounting/entries.ts";
import { accountingBalance } from "../server/accounting/read.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const SMALL = Number(process.env.BENCH_ACC_SMALL ?? 20_000);
const BIG = Number(process.env.BENCH_ACC_BIG ?? 400_000);
const SET = 1_000;
const COUNTERPARTIES = 200;

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "bench-acc-"));
  const pg = await startEmbedded(dir);
  let p: Platform | undefined;
  try {
    p = await openPlatform({
      confRoot: join(ROOT, "tests", "fixtures", "warehouse"),
      ownerUrl: pg.url.replace(/\/postgres$/, "/bench_acc"),
      appPassword: "bench-app-password",
    });
    const platform = p;
    const reg = platform.conf.accountingRegisters.get("Accounting")!;
    const ids = await tx(platform.db.app, 1, async (c) => {
      const r = await c.query(
        `INSERT INTO cat_counterparties(code, name) SELECT lpad(n::text, 5, '0'), 'Контрагент ' || n FROM generate_series(1, ${COUNTERPARTIES}) n RETURNING id`,
      );
      return r.rows.map((x) => x.id as string);
    });
    const product = await tx(
      platform.db.app,
      1,
      async (c) =>
        (await c.query(`INSERT INTO cat_products(code, name) VALUES ('00000000001', 'Товар') RETURNING id`)).rows[0].id,
    );
    const warehouse = await tx(
      platform.db.app,
      1,
      async (c) =>
        (await c.query(`INSERT INTO cat_warehouses(code, name) VALUES ('00001', 'Склад') RETURNING id`)).rows[0].id,
    );
    let written = 0;
    let seq = 0;
    /** Writes `n` more entries over 24 months in sets of SET; returns entries per second. */
    const grow = async (n: number) => {
      const t0 = performance.now();
      for (let done = 0; done < n; done += SET) {
        const month = seq % 24;
        const date = `${2024 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, "0")}-15T12:00:00`;
        seq++;
        const entries = Array.from({ length: Math.min(SET, n - done) }, (_, i) => {
          const cp = ids[(seq * 7 + i) % COUNTERPARTIES];
          return i % 2
            ? { AccountDr: "60", AnalyticsDr: { Counterparties: cp }, AccountCr: "51", Amount: "100.00" }
            : {
                AccountDr: "41",
                AnalyticsDr: { Products: product, Warehouses: warehouse },
                AccountCr: "60",
                AnalyticsCr: { Counterparties: cp },
                Amount: "150.00",
                Quantity: "1",
              };
        });
        await tx(platform.db.app, 1, async (c) => {
          const rows = await toMovements(c, platform.conf, reg, entries);
          await writeHandlerRecordSets(
            c,
            platform.conf,
            { id: randomUUID(), kind: "Operation" },
            [{ reg: reg.storage, rows }],
            date,
          );
        });
      }
      written += n;
      return n / ((performance.now() - t0) / 1000);
    };
    const measure = async () => {
      const times: number[] = [];
      for (let i = 0; i < 300; i++) {
        const month = Math.floor(Math.random() * 24);
        const at = `${2024 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, "0")}-${String(1 + Math.floor(Math.random() * 28)).padStart(2, "0")}T00:00:00`;
        const cp = ids[Math.floor(Math.random() * COUNTERPARTIES)];
        const t0 = performance.now();
        await tx(platform.db.app, 1, (c) =>
          accountingBalance(c, platform.conf, reg, at, { Account: "60", Analytics1: cp }),
        );
        times.push(performance.now() - t0);
      }
      return { p50: pct(times, 0.5), p95: pct(times, 0.95) };
    };
    const rate1 = await grow(SMALL);
    const small = await measure();
    const rate2 = await grow(BIG - SMALL);
    const big = await measure();
    await tx(platform.db.app, 1, async (c) => {
      const r = await c.query("SELECT count(*)::int AS n FROM acc_accounting");
      console.log(`movements stored: ${r.rows[0].n} (${written} entries)`);
    });
    console.log("| case | size | result |");
    console.log("|---|---|---|");
    console.log(
      `| write entries (sets of ${SET}, checked and written per transaction) | first ${SMALL} | ${rate1.toFixed(0)} entries/s |`,
    );
    console.log(`| the same | next ${BIG - SMALL} | ${rate2.toFixed(0)} entries/s |`);
    console.log(
      `| balance(at), Account=60 + counterparty, 300 calls | ${SMALL} entries | p50 ${small.p50.toFixed(2)} ms, p95 ${small.p95.toFixed(2)} ms |`,
    );
    console.log(
      `| the same | ${BIG} entries | p50 ${big.p50.toFixed(2)} ms, p95 ${big.p95.toFixed(2)} ms; ratio ${(big.p50 / small.p50).toFixed(2)} |`,
    );
  } finally {
    await p?.close();
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
