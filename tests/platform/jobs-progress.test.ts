// A job's progress is written to PostgreSQL at most every PROGRESS_MS (server/jobs.ts), however
// often the work reports it: a trigger counts the UPDATEs of the job's row while the work reports
// 4,000 times over a second or more. The progress is seen while it runs (the work stops half-way
// until the test has seen it), and the end is exact.
// A print's file (tens of MB: bench/receipts.ts) is kept in the job's row and read back in chunks.
// A job left in an area not listed in _areas is taken over when its owner polls it.
import { expect } from "chai";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { testPlatform } from "../helpers/db.ts";
import { waitFor } from "../helpers/wait.ts";
import { jobQueue, PROGRESS_MS, type Jobs } from "../../server/jobs.ts";
import { currentScope, scopeStorage, type RequestScope } from "../../server/security/scope.ts";
import { permissionsFor } from "../../server/security/permissions.ts";
import type { Platform } from "../../server/platform.ts";

describe("background jobs: progress writes throttled, files kept in PostgreSQL", function () {
  this.timeout(120_000);
  let p: Platform;
  let jobs: Jobs<{ n: number }, { sum: number }>;
  let scope: RequestScope;
  /** The progress job's work waits here half-way until the test has seen its progress. */
  let halfway: Promise<void> = Promise.resolve();

  before(async () => {
    p = await testPlatform(undefined, "jobsprogress");
    await p.db.owner.query(`
      CREATE TABLE job_updates (id uuid, done integer);
      CREATE FUNCTION count_job_update() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS
        $$ BEGIN INSERT INTO job_updates VALUES (NEW.id, NEW.done); RETURN NEW; END $$;
      CREATE TRIGGER count_job_update AFTER UPDATE ON _jobs FOR EACH ROW EXECUTE FUNCTION count_job_update();`);
    jobs = jobQueue(p.db, p.conf).register({
      kind: "test-progress",
      what: "test job",
      busy: (n) => `busy ${n}`,
      missing: (id) => `no job ${id}`,
      work: async ({ n }, progress) => {
        for (let i = 1; i <= n; i++) {
          progress(i, n, i < n / 2 ? "first" : "second");
          if (i === n / 2) await halfway;
          // The reports are spread over a second or more, across several PROGRESS_MS windows: the
          // pauses are the workload whose writes are throttled, not a wait for anything.
          if (i % 100 === 0) await new Promise((r) => setTimeout(r, 25));
        }
        return { result: { sum: n } };
      },
    });
    const session = {
      area: 1,
      tokenHash: "",
      userId: "00000000-0000-0000-0000-0000000000aa",
      login: "tester",
      name: "",
      roles: [],
      csrf: "",
    };
    scope = {
      area: 1,
      session,
      perms: permissionsFor(p.conf, []),
      actor: { userId: session.userId, login: "tester", ip: null },
    };
  });
  it("keeps a file of tens of MB in the job's row and reads it back in chunks, byte for byte", async () => {
    const big = randomBytes(33 * 1024 * 1024 + 123);
    const files = jobQueue(p.db, p.conf).register<null, { size: number }>({
      kind: "test-file",
      what: "test file job",
      busy: (n) => `busy ${n}`,
      missing: (id) => `no job ${id}`,
      work: async () => ({ result: { size: big.byteLength }, file: big }),
    });
    const t0 = Date.now();
    const started = await scopeStorage.run(scope, () => files.start(null));
    const job = await waitFor(
      async () => {
        const j = await scopeStorage.run(scope, () => files.get(started.id));
        return j.state !== "running" && j;
      },
      { what: "the file job ended", timeoutMs: 90_000 },
    );
    const stored = Date.now() - t0;
    expect(job.state, JSON.stringify(job.error)).to.equal("done");
    expect(job.fileSize).to.equal(big.byteLength);
    const t1 = Date.now();
    const hash = createHash("sha256");
    let chunks = 0;
    await scopeStorage.run(scope, async () => {
      for await (const part of files.file(job)) {
        hash.update(part);
        chunks++;
      }
    });
    const read = Date.now() - t1;
    expect(hash.digest("hex")).to.equal(createHash("sha256").update(big).digest("hex"));
    expect(chunks).to.be.greaterThan(1);
    console.log(
      `      ${(big.byteLength / 1048576).toFixed(0)} MB file: stored in ${stored} ms, read in ${chunks} chunks in ${read} ms`,
    );
  });

  it("a job a dead process left in an area not registered in _areas is taken over when its owner asks for it", async () => {
    const ran: number[] = [];
    const resumed = jobQueue(p.db, p.conf).register<{ n: number }, { n: number }>({
      kind: "test-resume",
      what: "test resumed job",
      busy: (n) => `busy ${n}`,
      missing: (id) => `no job ${id}`,
      work: async ({ n }, progress) => {
        ran.push(currentScope()!.area);
        progress(n, n);
        return { result: { n } };
      },
    });
    const user = (
      await p.db.owner.query("INSERT INTO _users (area, login, name) VALUES (7, 'area7', 'Seven') RETURNING id")
    ).rows[0].id as string;
    const id = randomUUID();
    await p.db.owner.query(
      `INSERT INTO _jobs (area, id, kind, owner, starter, info, worker, heartbeat) VALUES (7, $1, 'test-resume', $2, $3, '{"n": 5}', 'a dead process', now() - interval '1 hour')`,
      [id, `7|${user}`, JSON.stringify({ userId: user, login: "area7", ip: null, name: "Seven", roles: [] })],
    );
    await jobQueue(p.db, p.conf).sweep();
    expect(
      (await p.db.owner.query("SELECT worker FROM _jobs WHERE id = $1", [id])).rows[0].worker,
      "area 7 is not swept",
    ).to.equal("a dead process");
    const session = { area: 7, tokenHash: "", userId: user, login: "area7", name: "Seven", roles: [], csrf: "" };
    const seven: RequestScope = {
      area: 7,
      session,
      perms: permissionsFor(p.conf, []),
      actor: { userId: user, login: "area7", ip: null },
    };
    expect((await scopeStorage.run(seven, () => resumed.get(id))).state).to.equal("running");
    const job = await waitFor(
      async () => {
        const j = await scopeStorage.run(seven, () => resumed.get(id));
        return j.state !== "running" && j;
      },
      { what: "the taken-over job ended" },
    );
    expect(job.state, JSON.stringify(job.error)).to.equal("done");
    expect(job.result).to.deep.equal({ n: 5 });
    expect(ran, "run once, in its own area").to.deep.equal([7]);
    // Area 1's user does not see it.
    const refused = await scopeStorage.run(scope, () => resumed.get(id)).catch((e) => e);
    expect(refused.status).to.equal(404);
  });

  after(async () => {
    await p?.close();
  });

  it("writes a few times a second, not once per report; seen while running; exact at the end", async () => {
    let release!: () => void;
    halfway = new Promise<void>((r) => (release = r));
    const t0 = Date.now();
    const job = await scopeStorage.run(scope, () => jobs.start({ n: 4000 }));
    expect(job.state).to.equal("running");
    // The work stops half-way (at 2,000 of 4,000) until its progress has been seen from outside.
    const seen = await waitFor(
      async () => {
        const j = await scopeStorage.run(scope, () => jobs.get(job.id));
        return (j.state !== "running" || j.done > 0) && j;
      },
      { what: "the job's progress written while it runs" },
    ).finally(release);
    expect(seen, "progress seen while the job ran").to.include({ state: "running", total: 4000 });
    expect(seen.done).to.be.within(1, 3999);
    const last = await waitFor(
      async () => {
        const j = await scopeStorage.run(scope, () => jobs.get(job.id));
        return j.state !== "running" && j;
      },
      { what: "the progress job ended" },
    );
    // The job's own duration, as the test saw it: the bound on the writes below grows with it,
    // so a slow (loaded) machine loosens it rather than failing it.
    const elapsed = Date.now() - t0;
    expect(last.state, JSON.stringify(last.error)).to.equal("done");
    expect(last).to.include({ done: 4000, total: 4000, stage: "second" });
    expect(last.result).to.deep.equal({ sum: 4000 });
    const updates = Number(
      (await p.db.owner.query("SELECT count(*) AS n FROM job_updates WHERE id = $1", [job.id])).rows[0].n,
    );
    // Progress at most every PROGRESS_MS, plus the end and a heartbeat or two.
    expect(updates, `${updates} UPDATEs in ${elapsed} ms`).to.be.at.most(Math.ceil(elapsed / PROGRESS_MS) + 4);
    expect(updates).to.be.at.least(3);
    // Another user of the area does not see it.
    const other = { ...scope, actor: { ...scope.actor, userId: "00000000-0000-0000-0000-0000000000bb" } };
    const refused = await scopeStorage.run(other, () => jobs.get(job.id)).catch((e) => e);
    expect(refused.status).to.equal(404);
  });
});
