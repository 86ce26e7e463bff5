// Crash safety: the server process is killed (SIGKILL) in the middle of a GroupAccrual over
// 10,000 accounts, of a batch of 600 payments, and of a migration that rewrites a table.
// Each operation is one transaction, so afterwards there is all of it or none of it: the
// document is not posted and has no movements, no payment exists, the schema is the old one;
// `verify` finds no difference in any register; and the operation then succeeds when redone.
import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freshDatabaseUrl, ROOT, testPlatform, WAREHOUSE } from "../helpers/db.ts";
import type { Platform } from "../../server/platform.ts";
import { tx } from "../../server/storage/db.ts";
import { verify } from "../../server/registers/index.ts";
import * as docs from "../../server/documents/service.ts";
import { generate } from "../../bench/accrual.ts";

const CONF = join(ROOT, "metadata");

function worker(args: string[]): { child: ChildProcess; started: Promise<void>; finished: Promise<number | null> } {
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "tests", "crash", "worker.ts"), ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  const started = new Promise<void>((res, rej) => {
    child.stdout!.on("data", (d) => {
      out += d;
      if (out.includes("working")) res();
    });
    child.on("exit", (code) => rej(new Error(`worker exited (${code}) before starting: ${err}`)));
  });
  child.stderr!.on("data", (d) => (err += d));
  const finished = new Promise<number | null>((res) => child.on("exit", (code) => res(code)));
  return { child, started, finished };
}

/** Waits until the database runs a statement matching `pattern` for this database. */
async function waitForStatement(p: Platform, pattern: string, timeout = 60_000): Promise<string> {
  const t0 = Date.now();
  for (;;) {
    const r = await p.db.owner.query(
      `SELECT query FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active' AND query ILIKE $1`,
      [pattern],
    );
    if (r.rowCount) return r.rows[0].query;
    if (Date.now() - t0 > timeout) throw new Error(`no statement like ${pattern} within ${timeout} ms`);
    await new Promise((res) => setTimeout(res, 15));
  }
}

/** After the kill: waits until the killed client's backends are gone (their transactions rolled back). */
async function waitForQuiet(p: Platform): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    const r = await p.db.owner.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle' AND backend_type = 'client backend'`,
    );
    if (r.rows[0].n === 0) return;
    await new Promise((res) => setTimeout(res, 25));
  }
  throw new Error("the killed worker's transactions did not end");
}

async function verifyAll(p: Platform): Promise<void> {
  for (const reg of p.conf.accumulationRegisters.values()) {
    expect(await tx(p.db.app, 1, (c) => verify(c, reg)), `verify ${reg.name}`).to.deep.equal([]);
  }
}

describe("crash safety: SIGKILL in the middle of long operations", function () {
  this.timeout(300_000);

  describe("the ЖКХ configuration", () => {
    let p: Platform;
    let url: string;
    before(async () => {
      url = await freshDatabaseUrl("crash");
      p = await testPlatform(CONF, "crash", url);
      await generate(p, 10_000);
    });
    after(() => p?.close());

    it("a GroupAccrual over 10,000 accounts killed while writing its movements: not posted, no movements; redone, it posts", async () => {
      const doc = await tx(p.db.app, 1, (c) =>
        docs.createDocument({ c, conf: p.conf, area: 1 }, "GroupAccrual", {
          date: "2024-06-30T12:00:00",
          Month: "2024-06-01",
          AccrueServices: true,
          AccruePenalties: false,
        }),
      );
      const w = worker([url, CONF, "post", "GroupAccrual", doc.id as string]);
      await w.started;
      // The second register of the three (Settlements, after Accruals) is being written: the first is done but not committed.
      await waitForStatement(p, "%acc_settlements__write_staged%");
      w.child.kill("SIGKILL");
      expect(await w.finished).to.equal(null);
      await waitForQuiet(p);
      const state = await p.db.owner.query(
        `SELECT (SELECT posted FROM doc_group_accrual WHERE id = $1) AS posted,
                (SELECT count(*)::int FROM acc_accruals WHERE recorder = $1) AS accruals,
                (SELECT count(*)::int FROM acc_settlements WHERE recorder = $1) AS settlements`,
        [doc.id],
      );
      expect(state.rows[0]).to.deep.equal({ posted: false, accruals: 0, settlements: 0 });
      await verifyAll(p);
      await tx(p.db.app, 1, (c) => docs.postDocument({ c, conf: p.conf, area: 1 }, "GroupAccrual", doc.id as string));
      const after = await p.db.owner.query(
        `SELECT (SELECT posted FROM doc_group_accrual WHERE id = $1) AS posted, (SELECT count(*)::int FROM acc_accruals WHERE recorder = $1) AS n`,
        [doc.id],
      );
      expect(after.rows[0].posted).to.equal(true);
      expect(after.rows[0].n).to.equal(60_000);
      await verifyAll(p);
    });

    it("a batch of 600 payments killed half-way: no payment exists; redone, all 600 are posted", async () => {
      const accounts = (
        await p.db.owner.query(`SELECT id FROM cat_personal_accounts ORDER BY code LIMIT 1000`)
      ).rows.map((r) => r.id as string);
      const items = Array.from({ length: 600 }, (_, i) => ({
        date: "2024-07-05T10:00:00",
        Account: accounts[i % accounts.length],
        Amount: `${100 + (i % 50)}.25`,
        Source: "Реестр банка",
      }));
      const dir = mkdtempSync(join(tmpdir(), "crash-"));
      const file = join(dir, "items.json");
      writeFileSync(file, JSON.stringify(items));
      const before = (await p.db.owner.query(`SELECT count(*)::int AS n FROM doc_payment`)).rows[0].n;
      const w = worker([url, CONF, "batch", "Payment", file]);
      await w.started;
      // Let a good part of the batch be written (uncommitted: other sessions see none of it), then kill.
      await waitForStatement(p, "%doc_payment%");
      await new Promise((res) => setTimeout(res, 1000));
      w.child.kill("SIGKILL");
      expect(await w.finished, "the batch must still have been running when killed").to.equal(null);
      await waitForQuiet(p);
      expect((await p.db.owner.query(`SELECT count(*)::int AS n FROM doc_payment`)).rows[0].n).to.equal(before);
      await verifyAll(p);
      const again = worker([url, CONF, "batch", "Payment", file]);
      expect(await again.finished).to.equal(0);
      expect((await p.db.owner.query(`SELECT count(*)::int AS n FROM doc_payment WHERE posted`)).rows[0].n).to.equal(
        before + 600,
      );
      await verifyAll(p);
      rmSync(dir, { recursive: true, force: true });
    });
  });

  it("a migration killed while it rewrites a table: the old schema stays whole; redone, it applies", async () => {
    const url = await freshDatabaseUrl("crashmig");
    const p = await testPlatform(WAREHOUSE, "crashmig", url);
    try {
      await p.db.owner.query(
        `INSERT INTO cat_products(area, code, name, price) SELECT 1, lpad(g::text, 11, '0'), 'Товар ' || g, g % 1000 + 0.25 FROM generate_series(1, 200000) g`,
      );
      const conf = mkdtempSync(join(tmpdir(), "crash-conf-"));
      cpSync(WAREHOUSE, conf, { recursive: true });
      const file = join(conf, "catalogs", "Products.yaml");
      writeFileSync(file, readFileSync(file, "utf8").replace(`type: "number(15,2)"`, `type: "number(17,4)"`));
      const typeOf = async () =>
        (
          await p.db.owner.query(
            `SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute WHERE attrelid = 'cat_products'::regclass AND attname = 'price'`,
          )
        ).rows[0].t;
      const journal = async () => (await p.db.owner.query(`SELECT count(*)::int AS n FROM _migrations`)).rows[0].n;
      const before = { type: await typeOf(), journal: await journal() };
      expect(before.type).to.equal("numeric(15,2)");
      const w = worker([url, conf, "migrate"]);
      await w.started;
      await waitForStatement(p, "%ALTER TABLE%cat_products%");
      w.child.kill("SIGKILL");
      expect(await w.finished).to.equal(null);
      await waitForQuiet(p);
      expect({ type: await typeOf(), journal: await journal() }).to.deep.equal(before);
      expect(
        (await p.db.owner.query(`SELECT count(*)::int AS n, sum(price)::text AS s FROM cat_products`)).rows[0],
      ).to.deep.equal({ n: 200000, s: "99950000.00" });
      const again = worker([url, conf, "migrate"]);
      expect(await again.finished).to.equal(0);
      expect(await typeOf()).to.equal("numeric(17,4)");
      expect(await journal()).to.equal(before.journal + 1);
      rmSync(conf, { recursive: true, force: true });
    } finally {
      await p.close();
    }
  });
});
