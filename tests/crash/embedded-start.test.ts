// Starting the embedded PostgreSQL on a data folder something still holds: the application
// already running there, or — after SIGKILL of the application's process group — a backend
// busy with a query, which outlives its postmaster (every backend leads its own process group)
// and keeps the server's shared memory. The start must fail with what PostgreSQL said, the
// surviving processes by pid, and what to do — never "undefined" — and succeed once they are gone.
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { postgresProcessesIn, runningServer, startEmbedded, type EmbeddedDb } from "../../server/storage/embedded.ts";
import { sleep, tempRoot } from "../redundancy/helpers.ts";
import { waitFor } from "../helpers/wait.ts";
import { startupMessage } from "../../server/cli/connect.ts";

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function waitGone(pid: number): Promise<void> {
  await waitFor(() => !alive(pid), { what: `process ${pid} to end`, intervalMs: 25 });
}

describe("embedded PostgreSQL: a start on a data folder that is still held", function () {
  this.timeout(120_000);
  const root = tempRoot("embedded-start");
  let db: EmbeddedDb | undefined;
  let backend = 0;

  after(async () => {
    if (backend && alive(backend)) process.kill(backend, "SIGKILL");
    await db?.stop().catch(() => {});
    root.remove();
  });

  it("names the application's running server instead of calling it left behind", async () => {
    db = await startEmbedded(root.dir);
    const live = runningServer(join(root.dir, "pg"))!;
    expect(live.owner?.pid, "the server's owner is this process").to.equal(process.pid);
    const msg = await startEmbedded(root.dir).then(
      () => "started twice",
      (e: Error) => e.message,
    );
    if (process.env.SHOW_MESSAGES) console.log(msg);
    expect(msg).to.include(`pid ${live.pid}`);
    expect(msg).to.include(`процессом ${process.pid}`);
    expect(msg).to.match(/приложение уже запущено/);
    expect(msg).not.to.match(/оставшийся от прежнего запуска|undefined/);
  });

  it("after SIGKILL of the postmaster, says what PostgreSQL said, names the surviving backend and how to stop it", async () => {
    const pgDir = join(root.dir, "pg");
    const postmaster = Number(readFileSync(join(pgDir, "postmaster.pid"), "utf8").split("\n")[0]);
    const c = new pg.Client({ connectionString: db!.url });
    await c.connect();
    backend = (await c.query("SELECT pg_backend_pid() AS pid")).rows[0].pid;
    c.on("error", () => {});
    const busy = c.query("SELECT count(*) FROM generate_series(1, 4000000000)").catch(() => {});
    const watcher = new pg.Client({ connectionString: db!.url });
    await watcher.connect();
    watcher.on("error", () => {});
    try {
      await waitFor(
        async () =>
          (await watcher.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND state = 'active'", [backend]))
            .rowCount,
        { what: "the backend busy with its query" },
      );
    } finally {
      await watcher.end().catch(() => {});
    }
    process.kill(postmaster, "SIGKILL"); // what `kill -9 -<pgid>` of the application does to it
    await waitGone(postmaster);
    // That it lives on is a non-event: give it a moment in which it could have ended (it is
    // busy for minutes; a loaded machine only makes the moment longer).
    await sleep(200);
    expect(alive(backend), "the busy backend outlives its postmaster").to.equal(true);
    expect(postgresProcessesIn(pgDir).map((p) => p.pid)).to.include(backend);

    const msg = await startEmbedded(root.dir).then(
      () => "started",
      (e: Error) => e.message,
    );
    if (process.env.SHOW_MESSAGES) console.log(msg);
    expect(msg).not.to.include("undefined");
    expect(msg).to.match(/pre-existing shared memory block .* is still in use/); // PostgreSQL's own words
    expect(msg).to.include(`pid ${backend}:`);
    expect(msg).to.match(new RegExp(`kill ${backend}`));
    expect(msg).to.match(/запустите приложение снова/);

    // Doing what the message says is enough: the server starts and the data is there.
    process.kill(backend, "SIGTERM");
    await waitGone(backend);
    await busy;
    await c.end().catch(() => {});
    db = await startEmbedded(root.dir);
    const c2 = new pg.Client({ connectionString: db.url });
    await c2.connect();
    expect((await c2.query("SELECT 1 AS one")).rows[0].one).to.equal(1);
    await c2.end();
  });

  it("never prints «undefined» for an error that came without a description", () => {
    for (const e of [undefined, null, "", new Error(""), { errors: [] }]) {
      const msg = startupMessage(e);
      expect(msg).not.to.match(/undefined|null|\[object Object\]/);
      expect(msg).to.match(/^Cannot start: \S/);
    }
  });
});
