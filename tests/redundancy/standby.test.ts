// Two data centres on one machine: a primary and a synchronous streaming standby on loopback
// ports. The application writes through a multi-host URL (target_session_attrs=read-write);
// every acknowledged posting is readable on the standby at once (remote_apply); with the
// standby gone commits wait until it returns or the operator makes the primary asynchronous;
// after SIGKILL of the primary's whole process group and promotion of the standby the
// application carries on, nothing acknowledged is missing and the register totals verify.
import { expect } from "chai";
import pg from "pg";
import { openPlatform, type Platform } from "../../server/platform.ts";
import { LocalCluster, initCluster } from "../../server/redundancy/cluster.ts";
import { cloneStandby, makeAsynchronous, makeSynchronous, replicationStatus } from "../../server/redundancy/standby.ts";
import { freePort } from "../../server/storage/embedded.ts";
import { documentTable } from "../../server/storage/naming.ts";
import { ROOT, TEST_APP_PASSWORD, WAREHOUSE } from "../helpers/db.ts";
import { tracked, waitFor } from "../helpers/wait.ts";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { login, serve, TEST_ADMIN_PASSWORD, type TestSession } from "../platform/api-client.ts";
import type { Server } from "node:http";
import {
  expectedStock,
  makeStockroom,
  postReceipt,
  registerDifferences,
  sleep,
  stockByProduct,
  tempRoot,
  type Receipt,
  type Stockroom,
} from "./helpers.ts";

const PASSWORD = "owner-secret";
const SMALL = { shared_buffers: "32MB", max_connections: "60" };

async function query(url: string, sql: string, params: unknown[] = []): Promise<any[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows;
  } finally {
    await c.end();
  }
}

/** Posted receipts among `ids`, read on a server directly as the superuser. */
async function postedOn(url: string, ids: string[]): Promise<Set<string>> {
  const rows = await query(
    url,
    `SELECT id::text FROM ${documentTable("GoodsReceipt")} WHERE posted AND id = ANY($1::uuid[])`,
    [ids],
  );
  return new Set(rows.map((x) => x.id));
}

/**
 * Whether the commit behind `p` waits for the synchronous standby: waits until a backend of the
 * primary shows the wait event SyncRep (or `p` settles first), then `p` must still be pending.
 */
async function waitsForStandby(primary: LocalCluster, p: Promise<unknown>): Promise<boolean> {
  const t = tracked(p);
  await waitFor(
    async () =>
      t.settled() ||
      (await query(primary.url(), "SELECT pid FROM pg_stat_activity WHERE wait_event = 'SyncRep'")).length,
    { what: "a commit waiting for the synchronous standby (wait event SyncRep on the primary)" },
  );
  return !t.settled();
}

describe("redundancy: a synchronous standby in a second data centre", function () {
  this.timeout(120_000);
  const root = tempRoot("standby");
  let dc1: LocalCluster;
  let dc2: LocalCluster;
  let p: Platform;
  let s: Stockroom;
  const acked: Receipt[] = [];
  let n = 0;
  let url = "";
  let http: { server: Server; base: string; session: TestSession } | undefined;

  const owner = async <T>(cl: LocalCluster, fn: (c: pg.Client) => Promise<T>): Promise<T> => {
    const c = new pg.Client({ connectionString: cl.url() });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  };

  before(async () => {
    const p1 = await freePort();
    let p2 = await freePort();
    while (p2 === p1) p2 = await freePort();
    await initCluster(`${root.dir}/dc1`, PASSWORD);
    dc1 = new LocalCluster({ dataDir: `${root.dir}/dc1`, port: p1, password: PASSWORD, settings: SMALL });
    await dc1.start();
    const clone = await cloneStandby({ primaryUrl: dc1.url(), dataDir: `${root.dir}/dc2`, name: "dc2" });
    expect(clone.method).to.equal("low-level API copy");
    dc2 = new LocalCluster({ dataDir: `${root.dir}/dc2`, port: p2, password: PASSWORD, settings: SMALL });
    await dc2.start();
    await owner(dc1, (c) => makeSynchronous(c, "dc2", "remote_apply"));
    url = `postgres://postgres:${PASSWORD}@127.0.0.1,127.0.0.1/app?port=${p1},${p2}&target_session_attrs=read-write`;
    p = await openPlatform({ confRoot: WAREHOUSE, ownerUrl: url, appPassword: TEST_APP_PASSWORD, appPoolSize: 6 });
    s = await makeStockroom(p);
  });

  after(async () => {
    http?.server.closeAllConnections();
    http?.server.close();
    await p?.close().catch(() => {});
    await dc1?.kill();
    await dc2?.kill();
    root.remove();
  });

  it("has every acknowledged posting on the standby the moment it is acknowledged", async () => {
    const rows = await owner(dc1, (c) => replicationStatus(c));
    expect(rows.map((r) => [r.name, r.state, r.syncState])).to.deep.equal([["dc2", "streaming", "sync"]]);
    const batch = await Promise.all(Array.from({ length: 24 }, () => postReceipt(p, s, n++)));
    acked.push(...batch);
    const onStandby = await postedOn(
      dc2.url("app"),
      batch.map((r) => r.id),
    );
    expect(onStandby.size).to.equal(24);
    // The operator's view, through the multi-host URL the application uses.
    const status = await new Promise<string>((res) => {
      const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "server", "cli", "standby.ts"), "status"], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: url },
      });
      let out = "";
      child.stdout.on("data", (d) => (out += d));
      child.stderr.on("data", (d) => (out += d));
      child.on("close", () => res(out));
    });
    expect(status).to.match(/synchronous_standby_names = 'FIRST 1 \("dc2"\)', synchronous_commit = remote_apply/);
    expect(status).to.match(/dc2\s+streaming\s+sync/);
    // The standby refuses writes: it is a replica, not a second primary.
    const refused = await owner(dc2, (c) =>
      c.query("CREATE TABLE x (a int)").then(
        () => "written",
        (e: Error) => e.message,
      ),
    );
    expect(refused).to.match(/read-only transaction/);
  });

  it("makes commits wait while the standby is gone, until it returns or the operator goes asynchronous", async () => {
    await dc2.kill();
    const waiting = postReceipt(p, s, n++);
    expect(await waitsForStandby(dc1, waiting), "a commit must wait for the lost synchronous standby").to.equal(true);
    await dc2.start(); // choice 1: bring the standby back — the waiting commit completes
    acked.push(await waiting);

    await dc2.kill();
    const waiting2 = postReceipt(p, s, n++);
    expect(await waitsForStandby(dc1, waiting2)).to.equal(true);
    await owner(dc1, (c) => makeAsynchronous(c)); // choice 2: carry on without it, knowingly
    acked.push(await waiting2);
    acked.push(await postReceipt(p, s, n++));

    await dc2.start();
    await owner(dc1, (c) => makeSynchronous(c, "dc2", "remote_apply"));
    const all = await postedOn(
      dc2.url("app"),
      acked.map((r) => r.id),
    );
    expect(all.size).to.equal(acked.length);
  });

  it("keeps reads and logins answering while the standby is gone (they never wait for it); document writes wait until `standby async`", async () => {
    // No session cache: every request looks its session up and touches last_seen.
    http = await serve(p, 1, { auth: { sessions: { cacheMs: 0 } } });
    const { base } = http;
    // A request that waited for the lost standby would wait until it returns, which it does not
    // in this test: each step gives up after 20 s, a generous bound that only turns that hang
    // into a failure (how fast the answers come is the benchmarks' business, not this test's).
    const answer = async <T>(fn: () => Promise<T>): Promise<T | "no answer in 20 s"> => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<"no answer in 20 s">(
        (res) => (timer = setTimeout(() => res("no answer in 20 s"), 20_000)),
      );
      try {
        return await Promise.race([fn(), late]);
      } finally {
        clearTimeout(timer);
      }
    };
    const get = (path: string, s: TestSession) =>
      fetch(base + path, { headers: { cookie: s.cookie } }).then((r) => r.status);
    const failedLogin = () =>
      login(base, "admin", "wrong password", 1).then(
        () => "in",
        (e: Error) => e.message,
      );
    expect(await answer(() => get("/api/catalogs/Products", http!.session))).to.equal(200);

    await dc2.kill();
    for (let i = 0; i < 3; i++)
      expect(await answer(() => get("/api/catalogs/Products", http!.session)), "a read with the standby gone").to.equal(
        200,
      );
    const fresh = await answer(() => login(base, "admin", TEST_ADMIN_PASSWORD, 1));
    expect(fresh, "a login with the standby gone").to.have.property("cookie");
    expect(await answer(failedLogin), "a failed login with the standby gone").to.match(/401/);
    const session = fresh as TestSession;
    expect(await answer(() => get("/api/auth/me", session))).to.equal(200);

    // A document write waits, as documented, while reads go on: each answers while it still waits.
    const waiting = tracked(postReceipt(p, s, n++));
    expect(
      await waitsForStandby(dc1, waiting.promise),
      "a document write must wait for the synchronous standby",
    ).to.equal(true);
    expect(await answer(() => get("/api/catalogs/Products", session)), "a read while a write waits").to.equal(200);
    // A login and a failed login in the same area answer too: their journal entries go to the
    // area's "sessions" chain, not behind the waiting write on the main chain's head.
    const loginDuring = await answer(() => login(base, "admin", TEST_ADMIN_PASSWORD, 1));
    expect(loginDuring, "a login while a write waits for the standby").to.have.property("cookie");
    expect(await answer(failedLogin), "a failed login while a write waits for the standby").to.match(/401/);
    expect(waiting.settled(), "the write was still waiting while they answered").to.equal(false);
    // The operator's `npm run standby -- async` releases it.
    await owner(dc1, (c) => makeAsynchronous(c));
    acked.push(await waiting.promise);

    await dc2.start();
    // Back after a kill, the standby first recovers, then connects: sync refuses until it streams.
    await waitFor(
      async () =>
        (await owner(dc1, (c) => replicationStatus(c))).some((r) => r.name === "dc2" && r.state === "streaming"),
      { what: "the restarted standby streaming again", intervalMs: 100 },
    );
    await owner(dc1, (c) => makeSynchronous(c, "dc2", "remote_apply"));
    const all = await postedOn(
      dc2.url("app"),
      acked.map((r) => r.id),
    );
    expect(all.size).to.equal(acked.length);
  });

  it("survives SIGKILL of the primary: the standby is promoted, the application reconnects, nothing acknowledged is lost", async () => {
    let stop = false;
    let failures = 0;
    let afterPromotion = 0;
    let promoted = false;
    let lastError = "";
    const worker = async () => {
      while (!stop) {
        try {
          acked.push(await postReceipt(p, s, n++));
          if (promoted) afterPromotion++;
        } catch (e) {
          lastError = (e as Error).message;
          failures++; // not acknowledged: the client would retry
          await sleep(50); // a client's pause before it retries (pacing, not a wait for an event)
        }
      }
    };
    const workers = Array.from({ length: 4 }, worker);
    const ackedAtKill: string[] = [];
    try {
      const before = acked.length;
      await waitFor(() => acked.length >= before + 40, {
        what: () => `40 postings before the kill (${acked.length - before} so far; the last error: ${lastError})`,
        intervalMs: 20,
      });
      await dc1.kill(); // the whole first data centre, mid-traffic
      ackedAtKill.push(...acked.map((r) => r.id));
      const failuresAtKill = failures;
      // The application has seen the primary go (a posting failed) before the standby is promoted.
      await waitFor(() => failures > failuresAtKill, { what: "a posting failing with the primary gone" });
      await dc2.promote();
      promoted = true;
      await waitFor(() => afterPromotion >= 30, {
        what: () =>
          `30 postings after promotion (${afterPromotion} so far; failures meanwhile: ${failures}, the last: ${lastError})`,
        timeoutMs: 60_000,
      });
    } finally {
      stop = true;
      await Promise.all(workers);
    }

    // Everything acknowledged before the kill is on the promoted standby, and everything after.
    const present = await postedOn(
      dc2.url("app"),
      acked.map((r) => r.id),
    );
    const missing = acked.filter((r) => !present.has(r.id));
    expect(missing, "acknowledged postings missing after failover").to.deep.equal([]);
    expect(ackedAtKill.every((id) => present.has(id))).to.equal(true);

    // The books balance: totals agree with movements, and the stock equals the receipts posted
    // on the promoted server — all acknowledged ones, plus any whose acknowledgement was lost
    // with the primary (committed, but the client never heard: its retry is a new document).
    expect(await registerDifferences(p)).to.deep.equal([]);
    const stock = await stockByProduct(p);
    const d = documentTable("GoodsReceipt");
    const posted = await query(
      dc2.url("app"),
      `SELECT i.product::text AS product, sum(i.quantity)::numeric(15,3)::text AS q, count(*)::int AS n
         FROM ${d} x JOIN ${d}__items i ON i.owner = x.id WHERE x.posted GROUP BY 1`,
    );
    expect(new Map(posted.map((r) => [r.product, r.q]))).to.deep.equal(stock);
    const postedCount = posted.reduce((a, r) => a + r.n, 0);
    expect(postedCount).to.be.at.least(acked.length);
    expect(postedCount - acked.length, "in-doubt postings can only be those that failed").to.be.at.most(failures);
    for (const [product, qty] of expectedStock(acked)) expect(Number(stock.get(product))).to.be.at.least(Number(qty));
  });
});
