// The maintenance commands beside a running application: `npm start` runs on DATA_DIR with
// DEFAULT_AREA=2; `npm run registers -- verify|rebuild` and `npm run audit -- verify` with the
// same DATA_DIR use the application's server (not "left behind", no `kill` advice) and leave it
// running; they go through every area that holds rows — area 2, registered by DEFAULT_AREA, and
// area 5, which holds register rows but is in no _areas row — and a second `npm start` on the
// same folder says the application is already running.
import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { connectFromEnv, type Connected } from "../../server/cli/connect.ts";
import * as cat from "../../server/catalogs/service.ts";
import * as docs from "../../server/documents/service.ts";
import { runningServer } from "../../server/storage/embedded.ts";
import { ROOT, WAREHOUSE } from "../helpers/db.ts";
import { inArea } from "../helpers/services.ts";
import { tempRoot } from "../redundancy/helpers.ts";

function run(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string }> {
  return new Promise((res) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "server", script), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("close", (code) => res({ code: code ?? -1, out }));
  });
}

describe("operations: maintenance commands beside the running application", function () {
  this.timeout(180_000);
  const root = tempRoot("maintenance");
  const env = {
    DATA_DIR: join(root.dir, "data"),
    CONF_DIR: WAREHOUSE,
    DATABASE_URL: "",
    PORT: "0",
    DEFAULT_AREA: "2",
    ADMIN_PASSWORD: "maintenance-admin-1",
  };
  let app: ChildProcess | undefined;
  let conn: Connected | undefined;

  before(async () => {
    app = spawn(process.execPath, ["--import", "tsx", join(ROOT, "server", "main.ts")], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    await new Promise<void>((res, rej) => {
      app!.stdout!.on("data", (d) => {
        out += d;
        if (out.includes("Listening on")) res();
      });
      app!.stderr!.on("data", (d) => (out += d));
      app!.on("exit", (code) => rej(new Error(`npm start exited (${code}): ${out}`)));
    });
  });

  after(async () => {
    await conn?.stop();
    if (app && app.exitCode === null) {
      const exited = new Promise((r) => app!.on("exit", r));
      app.kill("SIGTERM");
      await exited;
    }
    root.remove();
  });

  it("uses the application's server, covers every area that holds rows, and leaves the server running", async () => {
    const pgDir = join(env.DATA_DIR, "pg");
    const live = runningServer(pgDir)!;
    expect(live.owner?.pid, "the server belongs to the application").to.equal(app!.pid);

    // This process attaches the same way the commands do, and writes into area 5 (not in _areas).
    conn = await connectFromEnv({ env, attach: true });
    const p = conn.platform;
    expect((await p.db.owner.query("SELECT area FROM _areas ORDER BY area")).rows.map((r) => r.area)).to.deep.equal([
      1, 2,
    ]);
    await inArea(
      p,
      async (ctx) => {
        const warehouse = (await cat.createCatalogItem(ctx, "Warehouses", { name: "Склад 5" })).id;
        const unit = (await cat.createCatalogItem(ctx, "Units", { name: "шт" })).id;
        const product = (await cat.createCatalogItem(ctx, "Products", { name: "Болт", Unit: unit, Price: "10.00" })).id;
        await docs.createDocument(
          ctx,
          "GoodsReceipt",
          {
            date: "2025-03-10T10:00:00",
            Warehouse: warehouse,
            Items: [{ Product: product, Quantity: 3, Price: "10.00" }],
          },
          { post: true },
        );
      },
      5,
    );
    // Damage area 5's totals behind the application's back.
    const damaged = await p.db.owner.query("UPDATE acc_stock__totals SET quantity = quantity + 1 WHERE area = 5");
    expect(damaged.rowCount).to.be.greaterThan(0);

    const v1 = await run("cli/registers.ts", ["verify"], env);
    expect(v1.out).not.to.match(/left behind|оставшийся|kill |undefined/);
    expect(v1.code, v1.out).to.equal(1);
    expect(v1.out).to.match(/^5\s+Stock\s/m);

    const r = await run("cli/registers.ts", ["rebuild"], env);
    expect(r.code, r.out).to.equal(0);
    expect(r.out).to.match(/^5\s+Stock\s+\d+\s+totals rewritten/m);
    const v2 = await run("cli/registers.ts", ["verify"], env);
    expect(v2.code, v2.out).to.equal(0);
    expect(v2.out).to.match(/in 3 data area\(s\)/); // 1, 2 and 5

    const a = await run("cli/audit.ts", ["verify"], env);
    expect(a.code, a.out).to.equal(0);
    expect(a.out).not.to.match(/left behind|оставшийся|kill |undefined/);
    expect(a.out).to.match(/^5\s+\d+/m);

    // The application's server is still the same one, still running.
    expect(runningServer(pgDir)?.pid).to.equal(live.pid);
    expect(app!.exitCode).to.equal(null);
  });

  it("refuses a second `npm start` on the same data folder, saying the application is already running", async () => {
    const second = await run("main.ts", [], env);
    expect(second.code).to.equal(1);
    expect(second.out).to.match(/уже запущено/);
    expect(second.out).to.include(`процессом ${app!.pid}`);
    expect(second.out).not.to.match(/undefined|оставшийся от прежнего запуска/);
    expect(app!.exitCode).to.equal(null);
  });
});
