/**
 * What each planner setting of the register functions buys (ddl.ts#writeFunction): per setting, the
 * same workload with that one setting removed from the function (ALTER FUNCTION … RESET, so the
 * session's default applies) against the function as generated. Run:
 *   npx tsx bench/register-settings.ts        (SETTINGS_SMALL_DOCS, SETTINGS_BIG_SET to size it,
 *                                             SETTINGS_ONLY=small|staged for one function)
 * Workloads, on the warehouse fixture in a fresh embedded PostgreSQL:
 *  - small (acc_stock__write): SMALL_DOCS postings of 5 movements each, one after another, then a
 *    repost of a third of them with other movements — on a register already holding 10k movements;
 *  - staged (acc_stock__write_staged): one recorder posting BIG_SET movements over as many keys,
 *    its repost with every quantity changed, and its unposting.
 * Each variant runs on its own copy of the starting data (the tables truncated and re-filled), twice;
 * the better time is printed. The figures go into the comments beside the settings in ddl.ts.
 */
import "./quiet-log.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { randomUUID } from "node:crypto";
import { startEmbedded } from "../server/storage/embedded.ts";
import { openPlatform, type Platform } from "../server/platform.ts";
import { tx } from "../server/storage/db.ts";
import { accShape } from "../server/registers/shape.ts";
import { clearRecordSet, writeRecordSet, type MovementInput } from "../server/registers/index.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const SMALL_DOCS = Number(process.env.SETTINGS_SMALL_DOCS ?? 1500);
const BIG_SET = Number(process.env.SETTINGS_BIG_SET ?? 60_000);
const log = (s: string) => process.stderr.write(s + "\n");

async function main(p: Platform): Promise<void> {
  const stock = p.conf.accumulationRegisters.get("Stock")!;
  const s = accShape(stock);
  const { ws, ps } = await tx(p.db.app, 1, async (c) => ({
    ws: (
      await c.query(
        `INSERT INTO cat_warehouses(code, name) SELECT lpad(g::text, 5, '0'), 'Склад ' || g FROM generate_series(1, 10) g RETURNING id`,
      )
    ).rows.map((r) => r.id as string),
    ps: (
      await c.query(
        `INSERT INTO cat_products(code, name) SELECT lpad(g::text, 11, '0'), 'Товар ' || g FROM generate_series(1, ${Math.ceil(BIG_SET / 10)}) g RETURNING id`,
      )
    ).rows.map((r) => r.id as string),
  }));
  const smallSet = (i: number, q: string): MovementInput[] =>
    Array.from({ length: 5 }, (_, j) => ({
      period: `2024-0${1 + (i % 9)}-1${j}T10:00:00`,
      recordKind: 1,
      values: { Warehouse: ws[(i + j) % ws.length], Product: ps[(i * 7 + j) % 1000], Quantity: q, Amount: "10.00" },
    }));
  const bigSet = (q: string): MovementInput[] =>
    Array.from({ length: BIG_SET }, (_, i) => ({
      period: "2024-06-15T10:00:00",
      recordKind: 1,
      values: { Warehouse: ws[i % 10], Product: ps[Math.floor(i / 10)], Quantity: q, Amount: "1.00" },
    }));

  /** Starting data: 10k movements in 2,000 recorders, analyzed. */
  async function reset(): Promise<void> {
    await p.db.owner.query(`TRUNCATE ${s.table}, ${s.totals}, ${s.balance}`);
    for (let i = 0; i < 2000; i += 500)
      await tx(p.db.app, 1, async (c) => {
        for (let j = i; j < i + 500; j++)
          await writeRecordSet(c, p.conf, stock, { id: randomUUID(), kind: "GoodsReceipt" }, smallSet(j, "5.000"));
      });
    await p.db.owner.query(`VACUUM ANALYZE ${s.table}, ${s.totals}, ${s.balance}`);
  }

  async function small(): Promise<number> {
    const ids = Array.from({ length: SMALL_DOCS }, () => randomUUID());
    const t = performance.now();
    for (const [i, id] of ids.entries())
      await tx(p.db.app, 1, (c) =>
        writeRecordSet(c, p.conf, stock, { id, kind: "GoodsReceipt" }, smallSet(i, "2.000")),
      );
    for (const [i, id] of ids.slice(0, Math.floor(SMALL_DOCS / 3)).entries())
      await tx(p.db.app, 1, (c) =>
        writeRecordSet(c, p.conf, stock, { id, kind: "GoodsReceipt" }, smallSet(i + 1, "1.000")),
      );
    return performance.now() - t;
  }

  async function staged(): Promise<number[]> {
    const id = randomUUID();
    const out: number[] = [];
    for (const step of [() => bigSet("3.000"), () => bigSet("4.000"), null]) {
      const t = performance.now();
      await tx(p.db.app, 1, (c) =>
        step
          ? writeRecordSet(c, p.conf, stock, { id, kind: "GoodsReceipt" }, step())
          : clearRecordSet(c, p.conf, stock, id),
      );
      out.push(performance.now() - t);
    }
    return out;
  }

  const fnSig = (fn: string) =>
    fn === s.writeFn ? `${fn}(uuid, character varying, boolean, jsonb)` : `${fn}(uuid, character varying, boolean)`;
  const settingsOf = async (fn: string): Promise<string[]> =>
    (await p.db.owner.query(`SELECT unnest(proconfig) AS c FROM pg_proc WHERE proname = $1`, [fn])).rows.map(
      (r) => r.c as string,
    );

  for (const [label, fn, work] of [
    ["small", s.writeFn, async () => [await small()]],
    ["staged", s.stagedFn, staged],
  ] as const) {
    if (process.env.SETTINGS_ONLY && process.env.SETTINGS_ONLY !== label) continue;
    const settings = await settingsOf(fn);
    log(`${label}: ${fn} SET ${settings.join(", ")}`);
    for (const variant of [null, ...settings]) {
      if (variant) await p.db.owner.query(`ALTER FUNCTION ${fnSig(fn)} RESET ${variant.split("=")[0]}`);
      const runs: number[][] = [];
      for (let r = 0; r < 2; r++) {
        await reset();
        runs.push(await work());
      }
      const best = runs[0].map((_, i) => Math.min(...runs.map((x) => x[i])));
      console.log(
        `${label.padEnd(7)} ${(variant ? "without " + variant : "as generated").padEnd(40)} ${best.map((t) => (t / 1000).toFixed(2) + " s").join("  ")}`,
      );
      if (variant)
        await p.db.owner.query(
          `ALTER FUNCTION ${fnSig(fn)} SET ${variant.split("=")[0]} = '${variant.slice(variant.indexOf("=") + 1)}'`,
        );
    }
  }
}

const dir = mkdtempSync(join(tmpdir(), "bench-settings-"));
const db = await startEmbedded(dir);
let p: Platform | undefined;
try {
  const u = new URL(db.url);
  u.pathname = "/bench";
  p = await openPlatform({
    confRoot: join(ROOT, "tests", "fixtures", "warehouse"),
    ownerUrl: u.toString(),
    appPassword: "bench",
    appPoolSize: 4,
  });
  console.log(
    `columns: small = ${SMALL_DOCS} postings + ${Math.floor(SMALL_DOCS / 3)} reposts; staged = post, repost, unpost of ${BIG_SET} movements`,
  );
  await main(p);
} finally {
  await p?.close();
  await db.stop();
  rmSync(dir, { recursive: true, force: true });
}
