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
import { waitFor } from "../helpers/wait.ts";
import type { Platform } from "../../server/platform.ts";
import { tx } from "../../server/storage/db.ts";
import { verify } from "../../server/registers/index.ts";
import * as docs from "../../server/documents/service.ts";
import { generate } from "../../bench/accrual.ts";

const CONF = join(ROOT, "metadata");

/**
 * The worker process; `gated`: it opens the platform, says "ready" (resolving `ready`), and starts
 * its operation only on go() — the test sets up a barrier in between.
 */
function worker(
  args: string[],
  o: { gated?: boolean } = {},
): { child: ChildProcess; ready: Promise<void>; go(): void; started: Promise<void>; finished: Promise<number | null> } {
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "tests", "crash", "worker.ts"), ...args], {
    cwd: ROOT,
    stdio: [o.gated ? "pipe" : "ignore", "pipe", "pipe"],
    env: o.gated ? { ...process.env, CRASH_WORKER_GATE: "stdin" } : process.env,
  });
  let out = "";
  let err = "";
  const printed = (word: string) =>
    new Promise<void>((res, rej) => {
      child.stdout!.on("data", () => out.includes(word) && res());
      child.on("exit", (code) => rej(new Error(`worker exited (${code}) before "${word}": ${err}`)));
    });
  child.stdout!.on("data", (d) => (out += d));
  const ready = printed("ready");
  const started = printed("working");
  for (const x of [ready, started]) x.catch(() => {}); // awaited where it matters
  child.stderr!.on("data", (d) => (err += d));
  const finished = new Promise<number | null>((res) => child.on("exit", (code) => res(code)));
  return { child, ready, go: () => child.stdin?.write("go\n"), started, finished };
}

/** Waits until the database runs a statement matching `pattern` for this database (and, when given, waits for a lock in it). */
async function waitForStatement(p: Platform, pattern: string, o: { waitingForLock?: boolean } = {}): Promise<string> {
  return waitFor(
    async () =>
      (
        await p.db.owner.query(
          `SELECT query FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active' AND query ILIKE $1
              AND ($2::boolean IS NOT TRUE OR wait_event_type = 'Lock')`,
          [pattern, o.waitingForLock ?? false],
        )
      ).rows[0]?.query as string | undefined,
    { what: `a statement like ${pattern}${o.waitingForLock ? " waiting for a lock" : ""}`, intervalMs: 15 },
  );
}

/** After the kill: waits until the killed client's backends are gone (their transactions rolled back). */
async function waitForQuiet(p: Platform): Promise<void> {
  await waitFor(
    async () =>
      (
        await p.db.owner.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle' AND backend_type = 'client backend'`,
        )
      ).rows[0].n === 0,
    { what: "the killed worker's transactions to end", intervalMs: 25 },
  );
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
      // Payment 301 alone pays into an account the test holds locked: the batch stops there, half-way.
      const held = accounts.pop()!;
      const items = Array.from({ length: 600 }, (_, i) => ({
        date: "2024-07-05T10:00:00",
        Account: i === 300 ? held : accounts[i % accounts.length],
        Amount: `${100 + (i % 50)}.25`,
        Source: "Реестр банка",
      }));
      const dir = mkdtempSync(join(tmpdir(), "crash-"));
      const file = join(dir, "items.json");
      writeFileSync(file, JSON.stringify(items));
      const before = (await p.db.owner.query(`SELECT count(*)::int AS n FROM doc_payment`)).rows[0].n;
      // The account is locked once the worker has opened the platform (its migration check must
      // not meet the lock), before the batch starts.
      const w = worker([url, CONF, "batch", "Payment", file], { gated: true });
      await w.ready;
      const holder = await p.db.owner.connect();
      try {
        await holder.query("BEGIN");
        await holder.query("SELECT id FROM cat_personal_accounts WHERE id = $1 FOR UPDATE", [held]);
        w.go();
        await w.started;
        // 300 payments written (uncommitted: other sessions see none of it), the 301st waits for
        // the held account: a barrier half-way. Then the kill.
        await waitForStatement(p, "%", { waitingForLock: true });
      } finally {
        w.child.kill("SIGKILL"); // before the lock goes: the batch must not get past it
        await holder.query("ROLLBACK");
        holder.release();
      }
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
