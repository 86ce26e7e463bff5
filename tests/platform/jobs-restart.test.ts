// Background jobs are kept in PostgreSQL (server/jobs.ts): a restart loses none. A print job and a
// background posting whose process died before they ended (the worker halted, its heartbeat
// stale) are taken over by a new process on the same database: still visible to their owner
// with their state, finished there, the file printed and the document posted; another user still
// gets 404, and another data area sees no row. A process that closes hands its running jobs back
// at once. The work is held back by a lock on the journal (both kinds journal as they end), so
// the old process surely has not finished when it stops.
import { expect } from "chai";
import { join } from "node:path";
import type { Server } from "node:http";
import pg from "pg";
import { freshDatabaseUrl, ROOT, testPlatform } from "../helpers/db.ts";
import { waitFor } from "../helpers/wait.ts";
import { login, serve, TEST_ADMIN_PASSWORD } from "./api-client.ts";
import { loadInitialData } from "../../server/initial-data.ts";
import { jobQueue, STALE_MS } from "../../server/jobs.ts";
import { tx } from "../../server/storage/db.ts";
import type { Platform } from "../../server/platform.ts";

const PASSWORD = "demo-password-for-tests";
const CONF = join(ROOT, "metadata");

interface Running {
  platform: Platform;
  base: string;
  server: Server;
  close(): Promise<void>;
}

describe("background jobs survive a restart", function () {
  this.timeout(300_000);
  let url: string;
  let saved: string | undefined;
  let current: Running | null = null;

  const open = async (): Promise<Running> => {
    const platform = await testPlatform(CONF, "jobs", url);
    const { server, base } = await serve(platform);
    return {
      platform,
      base,
      server,
      close: async () => {
        server.closeAllConnections();
        await new Promise((r) => server.close(r));
        await platform.close();
      },
    };
  };

  const as = async (base: string, user: string) => {
    const s = await login(base, user, user === "admin" ? TEST_ADMIN_PASSWORD : PASSWORD);
    return async (method: string, path: string, body?: unknown) => {
      const r = await fetch(base + path, {
        method,
        headers: {
          cookie: s.cookie,
          "x-csrf-token": s.csrf,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const bytes = Buffer.from(await r.arrayBuffer());
      const text = bytes.toString("utf8");
      // biome-ignore lint/suspicious/noExplicitAny: the answers' shapes are asserted field by field
      let parsed: any = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* a file */
      }
      return { status: r.status, body: parsed, text, bytes };
    };
  };

  /** Like as(), with extra headers. */
  const withHeaders = async (base: string, user: string, extra: Record<string, string>) => {
    const s = await login(base, user, PASSWORD);
    return (path: string, body: unknown) =>
      fetch(base + path, {
        method: "POST",
        headers: { cookie: s.cookie, "x-csrf-token": s.csrf, "content-type": "application/json", ...extra },
        body: JSON.stringify(body),
      });
  };

  /** Holds the journal (both kinds of job write it as they end) until release() is called. */
  const holdJournal = async (owner: pg.Pool) => {
    const c = await owner.connect();
    await c.query("BEGIN; LOCK TABLE _journal IN ACCESS EXCLUSIVE MODE");
    return async () => {
      await c.query("COMMIT");
      c.release();
    };
  };

  const row = async (p: Platform, id: string) =>
    (
      await p.db.owner.query(
        "SELECT state, worker, attempts, octet_length(file) AS size, error FROM _jobs WHERE id = $1",
        [id],
      )
    ).rows[0];

  /** The process "dies": its worker stops (hands nothing back), then it closes; the job's heartbeat is made stale. */
  const die = async (r: Running, id: string, release: () => Promise<void>) => {
    const queue = jobQueue(r.platform.db, r.platform.conf);
    queue.halt();
    await release(); // the old work goes on to its end, and writes nothing of it
    await waitFor(() => queue.runningHere === 0, { what: "the halted process's work to end" });
    expect((await row(r.platform, id)).state, "the dead process did not end the job").to.equal("running");
    await r.platform.db.owner.query(
      `UPDATE _jobs SET heartbeat = now() - interval '${STALE_MS * 2} milliseconds' WHERE id = $1`,
      [id],
    );
    await r.close();
  };

  before(async () => {
    saved = process.env.DEMO_PASSWORD;
    process.env.DEMO_PASSWORD = PASSWORD;
    url = await freshDatabaseUrl("jobs");
    current = await open();
    await loadInitialData(current.platform, 1);
  });
  after(async () => {
    if (saved === undefined) delete process.env.DEMO_PASSWORD;
    else process.env.DEMO_PASSWORD = saved;
    await current?.close();
  });

  it("a print job of a process that died is visible after the restart, rendered by the new process, still its owner's only", async () => {
    const a = current!;
    const accountant = await as(a.base, "accountant");
    const release = await holdJournal(a.platform.db.owner);
    const started = await accountant("POST", "/api/reports/payments-register/jobs?format=csv", {
      from: "2011-11-01",
      to: "2011-11-30",
    });
    expect(started.status, started.text).to.equal(202);
    const id = started.body.id;
    await die(a, id, release);
    current = null;

    const b = (current = await open());
    const accountantB = await as(b.base, "accountant");
    const seen = await accountantB("GET", `/api/reports/jobs/${id}`);
    expect(seen.status, "visible after the restart").to.equal(200);
    expect(seen.body).to.include({ id, report: "payments-register", format: "csv" });
    const done = await waitFor(
      async () => {
        const s = await accountantB("GET", `/api/reports/jobs/${id}`);
        return s.body.state !== "running" && s.body;
      },
      { what: "the print job done", timeoutMs: 90_000 },
    );
    expect(done.state, JSON.stringify(done.error)).to.equal("done");
    expect(done.result.contentType).to.match(/csv/);
    const r = await row(b.platform, id);
    expect(r.attempts, "taken over once").to.equal(2);
    expect(Number(r.size)).to.equal(done.result.size);
    const file = await accountantB("GET", `/api/reports/jobs/${id}/result`);
    expect(file.status).to.equal(200);
    expect(file.bytes.byteLength).to.equal(done.result.size);
    expect(file.text.length).to.be.greaterThan(20);

    const auditor = await as(b.base, "auditor");
    expect((await auditor("GET", `/api/reports/jobs/${id}`)).status).to.equal(404);
    expect((await auditor("GET", `/api/reports/jobs/${id}/result`)).status).to.equal(404);
    expect((await auditor("DELETE", `/api/reports/jobs/${id}`)).status).to.equal(404);
    // Another data area does not see the row at all (row-level security, as the application role).
    const other = await tx(b.platform.db.app, 2, (c) => c.query("SELECT count(*)::int AS n FROM _jobs"));
    const mine = await tx(b.platform.db.app, 1, (c) =>
      c.query("SELECT count(*)::int AS n FROM _jobs WHERE id = $1", [id]),
    );
    expect([other.rows[0].n, mine.rows[0].n]).to.deep.equal([0, 1]);

    expect((await accountantB("DELETE", `/api/reports/jobs/${id}`)).status).to.equal(204);
    expect((await accountantB("GET", `/api/reports/jobs/${id}`)).status).to.equal(404);
    expect(await row(b.platform, id), "the row and its file are gone").to.equal(undefined);
  });

  it("a background posting of a process that died is done by the new process; the document is posted", async () => {
    const a = current!;
    const call = await as(a.base, "admin");
    const docs = (await call("GET", "/api/documents/GroupAccrual?limit=10")).body.rows;
    expect(docs.length).to.be.greaterThan(0);
    const doc = docs[0];
    if (doc.posted) expect((await call("POST", `/api/documents/GroupAccrual/${doc.id}/unpost`)).status).to.equal(200);
    const release = await holdJournal(a.platform.db.owner);
    const started = await call("POST", `/api/documents/GroupAccrual/${doc.id}/post?async=1`);
    expect(started.status, started.text).to.equal(202);
    expect(started.body).to.include({ state: "running", document: "GroupAccrual", objectId: doc.id });
    const id = started.body.id;
    await die(a, id, release);
    current = null;

    const b = (current = await open());
    const callB = await as(b.base, "admin");
    expect((await callB("GET", `/api/jobs/${id}`)).status, "visible after the restart").to.equal(200);
    const done = await waitFor(
      async () => {
        const s = await callB("GET", `/api/jobs/${id}`);
        return s.body.state !== "running" && s.body;
      },
      { what: "the posting job done", timeoutMs: 90_000 },
    );
    expect(done.state, JSON.stringify(done.error)).to.equal("done");
    expect(done).to.include({ document: "GroupAccrual", objectId: doc.id });
    expect((await row(b.platform, id)).attempts).to.equal(2);
    expect((await callB("GET", `/api/documents/GroupAccrual/${doc.id}`)).body.posted).to.equal(true);
    const auditor = await as(b.base, "auditor");
    expect((await auditor("GET", `/api/jobs/${id}`)).status).to.equal(404);
    expect((await auditor("DELETE", `/api/jobs/${id}`)).status).to.equal(404);
  });

  it("a job taken over is run with its user's roles as they are now: a user disabled meanwhile gets a failed job, not a print", async () => {
    const a = current!;
    const cashier = await as(a.base, "cashier");
    const release = await holdJournal(a.platform.db.owner);
    const started = await cashier("POST", "/api/reports/payments-register/jobs?format=csv", {
      from: "2011-11-01",
      to: "2011-11-30",
    });
    expect(started.status, started.text).to.equal(202);
    const id = started.body.id;
    await a.platform.db.owner.query("UPDATE _users SET disabled = true WHERE login = 'cashier'");
    await die(a, id, release);
    current = null;
    const b = (current = await open());
    try {
      await jobQueue(b.platform.db, b.platform.conf).sweep();
      const r = await waitFor(
        async () => {
          const x = await row(b.platform, id);
          return x.state !== "running" && x;
        },
        { what: "the job failed", timeoutMs: 90_000 },
      );
      expect(r.state).to.equal("failed");
      expect(r.error.code).to.equal("job_interrupted");
      expect(r.error.message).to.include("cashier");
      expect(r.size, "nothing printed").to.equal(null);
    } finally {
      await b.platform.db.owner.query("UPDATE _users SET disabled = false WHERE login = 'cashier'");
    }
  });

  it("a start retried with the same Idempotency-Key is the same job: one row, one print", async () => {
    const post = await withHeaders(current!.base, "accountant", { "idempotency-key": "jobs-restart-retry-1" });
    const path = "/api/reports/payments-register/jobs?format=csv";
    const body = { from: "2011-11-01", to: "2011-11-30" };
    const count = async () =>
      (await current!.platform.db.owner.query("SELECT count(*)::int AS n FROM _jobs WHERE kind = 'print'")).rows[0]
        .n as number;
    const before = await count();
    const [first, second] = [await post(path, body), await post(path, body)];
    expect([first.status, second.status]).to.deep.equal([202, 202]);
    const [a, b] = [await first.json(), await second.json()];
    expect(b.id).to.equal(a.id);
    expect(await count()).to.equal(before + 1);
    const accountant = await as(current!.base, "accountant");
    const done = await waitFor(
      async () => {
        const st = await accountant("GET", `/api/reports/jobs/${a.id}`);
        return st.body.state !== "running" && st.body;
      },
      { what: "the job done", timeoutMs: 90_000 },
    );
    expect(done.state, JSON.stringify(done.error)).to.equal("done");
  });

  it("a process that closes hands its running job back: the next one takes it at once", async () => {
    const a = current!;
    const accountant = await as(a.base, "accountant");
    const release = await holdJournal(a.platform.db.owner);
    const started = await accountant("POST", "/api/reports/payments-register/jobs?format=csv", {
      from: "2011-11-01",
      to: "2011-11-30",
    });
    expect(started.status, started.text).to.equal(202);
    const id = started.body.id;
    const closing = a.close(); // hands the job back, then waits for its work (held by the lock)
    // The job is handed back (no worker) while its work still waits for the journal; then the work may end.
    const handedBack = async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        return (await c.query("SELECT worker, heartbeat FROM _jobs WHERE id = $1 AND worker IS NULL", [id])).rows[0];
      } finally {
        await c.end();
      }
    };
    const left = await waitFor(handedBack, { what: "the closing process handing its job back" }).finally(release);
    await closing;
    current = null;
    const b = (current = await open());
    expect(await row(b.platform, id), "the job is still there").to.not.equal(undefined);
    // The new process takes it at once: seen taken (or already done) while the heartbeat it was
    // handed back with is still fresh, so it was not taken for being stale.
    const taken = await waitFor(
      async () => {
        const r = (
          await b.platform.db.owner.query(
            `SELECT state, worker, $2::timestamptz > now() - $3::float8 * interval '1 millisecond' AS fresh FROM _jobs WHERE id = $1`,
            [id, left.heartbeat, STALE_MS],
          )
        ).rows[0];
        return (r.state !== "running" || r.worker !== null) && r;
      },
      { what: "the new process taking the handed-back job" },
    );
    expect(taken.fresh, "taken before its heartbeat went stale").to.equal(true);
    const accountantB = await as(b.base, "accountant");
    const done = await waitFor(
      async () => {
        const s = await accountantB("GET", `/api/reports/jobs/${id}`);
        return s.body.state !== "running" && s.body;
      },
      { what: "the handed-back job done", timeoutMs: 90_000 },
    );
    expect(done.state, JSON.stringify(done.error)).to.equal("done");
    expect((await accountantB("GET", `/api/reports/jobs/${id}/result`)).status).to.equal(200);
  });
});
