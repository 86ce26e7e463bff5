/**
 * What the journal of user actions costs posting (not a test): postDocument of GoodsReceipt
 * (5 lines; Stock + Purchases) with its journal entry — the void-signatures check and the entry
 * insert in the transaction, the chain step at COMMIT under the area's head row lock — against
 * the same posting without them (postLocked + the reread, what postDocument did before), with 1
 * and with 8 concurrent posters in ONE data area (the worst case: one chain), in the same run.
 * Run: npx tsx bench/journal.ts   (BENCH_DOCS, default 2000 per case)
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
import { getDocument, postDocument } from "../server/documents/service.ts";
import { postLocked } from "../server/documents/post.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const DOCS = Number(process.env.BENCH_DOCS ?? 2000);
const ACTOR = { userId: "bench", login: "bench", ip: "127.0.0.1" };

async function makeDocs(p: Platform, n: number, tag: string): Promise<string[]> {
  return tx(p.db.app, 1, async (c) => {
    const w = (await c.query(`INSERT INTO cat_warehouses(code, name) VALUES ('${tag.slice(0, 5)}', 'W') RETURNING id`))
      .rows[0].id;
    const prods = (
      await c.query(
        `INSERT INTO cat_products(code, name) SELECT '${tag}' || lpad(g::text, 6, '0'), 'P' || g FROM generate_series(1, 50) g RETURNING id`,
      )
    ).rows.map((r) => r.id);
    const ids = Array.from({ length: n }, () => randomUUID());
    await c.query(
      `INSERT INTO doc_goods_receipt(id, number, date, warehouse) SELECT id, '${tag}' || row_number() OVER (), '2024-06-10T10:00:00', $2 FROM unnest($1::uuid[]) id`,
      [ids, w],
    );
    await c.query(
      `INSERT INTO doc_goods_receipt__items(owner, line, product, quantity, price, amount)
       SELECT o, l, ($2::uuid[])[1 + (abs(hashtext(o::text || l)) % 50)], 3.5, 34.43, 120.50 FROM unnest($1::uuid[]) o, generate_series(1, 5) l`,
      [ids, prods],
    );
    return ids;
  });
}

async function posters(n: number, ids: string[], post: (id: string) => Promise<unknown>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < ids.length) await post(ids[next++]);
    }),
  );
  return performance.now() - t0;
}

const dir = mkdtempSync(join(tmpdir(), "zhkh-bench-journal-"));
const db = await startEmbedded(dir);
try {
  const u = new URL(db.url);
  u.pathname = "/bench";
  const p = await openPlatform({
    confRoot: join(ROOT, "tests", "fixtures", "warehouse"),
    ownerUrl: u.toString(),
    appPassword: "bench",
    appPoolSize: 10,
  });
  const m = p.conf.documents.get("GoodsReceipt")!;
  const plain = (id: string) =>
    tx(p.db.app, 1, async (c) => {
      await postLocked({ c, conf: p.conf, area: 1 }, m, id);
      return getDocument({ c, conf: p.conf, area: 1 }, "GoodsReceipt", id);
    });
  const journalled = (id: string) =>
    tx(p.db.app, 1, (c) => postDocument({ c, conf: p.conf, area: 1, actor: ACTOR }, "GoodsReceipt", id));
  const rows: string[][] = [];
  let tag = 10000;
  for (const n of [1, 8]) {
    for (let round = 0; round < 2; round++) {
      const res: Record<string, number> = {};
      for (const [name, fn] of [
        ["without journal", plain],
        ["with journal", journalled],
      ] as const) {
        const ids = await makeDocs(p, DOCS, String(tag++));
        res[name] = DOCS / ((await posters(n, ids, fn)) / 1000);
      }
      if (round === 1)
        // the first round warms up
        rows.push([
          String(n),
          String(DOCS),
          res["without journal"].toFixed(0),
          res["with journal"].toFixed(0),
          `${((1 - res["with journal"] / res["without journal"]) * 100).toFixed(1)}%`,
        ]);
    }
  }
  const entries = (await p.db.owner.query(`SELECT count(*) AS n FROM _journal`)).rows[0].n;
  const width = [8, 6, 22, 20, 6];
  const line = (c: string[]) => c.map((x, i) => x.padStart(width[i])).join("  ");
  console.log(`\nJournal cost on postDocument (GoodsReceipt, 5 lines, one data area), ${entries} entries written\n`);
  console.log(line(["posters", "docs", "without journal doc/s", "with journal doc/s", "cost"]));
  for (const r of rows) console.log(line(r));
  await p.close();
} finally {
  await db.stop();
  rmSync(dir, { recursive: true, force: true });
}
