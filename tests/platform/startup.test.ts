// `npm start` and `npm run migrate` as child processes: serving the fixture on a fresh database,
// serving the metadata/ configuration on the embedded PostgreSQL and stopping it on SIGTERM,
// refusing a broken configuration (every error with its file), a leftover postmaster, and a
// destructive migration unless --allow-destructive.
import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../server/storage/embedded.ts";
import { login } from "./api-client.ts";
import { freshDatabaseUrl, ROOT, TEST_APP_PASSWORD, WAREHOUSE } from "../helpers/db.ts";
import { waitFor } from "../helpers/wait.ts";

interface Run {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exited: Promise<number | null>;
}

function launch(script: string, env: Record<string, string | undefined>, args: string[] = []): Run {
  const base = { ...process.env };
  delete base.DATABASE_URL;
  delete base.APP_DB_PASSWORD;
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: ROOT,
    env: { ...base, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (err += d));
  const exited = new Promise<number | null>((res) => child.on("exit", (code) => res(code)));
  return { child, out: () => out, err: () => err, exited };
}

/** Waits until the process has printed something matching `re` (fails at once if it exits first). */
async function printed(run: Run, re: RegExp, ms = 90_000): Promise<void> {
  let code: number | null | undefined;
  void run.exited.then((c) => (code = c));
  await waitFor(() => re.test(run.out()) || code !== undefined, {
    what: () => `${re} in the output:\n${run.out()}\n${run.err()}`,
    timeoutMs: ms,
    intervalMs: 100,
  });
  if (!re.test(run.out())) throw new Error(`exited ${code} before ${re}:\n${run.out()}\n${run.err()}`);
}

const tmp = (tag: string) => mkdtempSync(join(tmpdir(), `zhkh-${tag}-`));

describe("startup (npm start, npm run migrate)", () => {
  const cleanup: (() => void)[] = [];
  afterEach(() => {
    while (cleanup.length) cleanup.pop()!();
  });

  it("serves the fixture on DATABASE_URL, then stops on SIGTERM", async () => {
    const port = await freePort();
    const dataDir = tmp("start");
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const run = launch("server/main.ts", {
      PORT: String(port),
      DATABASE_URL: await freshDatabaseUrl("start"),
      APP_DB_PASSWORD: TEST_APP_PASSWORD, // the role is cluster-wide: keep the other tests' password
      CONF_DIR: "tests/fixtures/warehouse",
      DATA_DIR: dataDir,
      ADMIN_PASSWORD: "start-admin-password",
    });
    cleanup.push(() => run.child.kill("SIGKILL"));
    await printed(run, /Listening on http:\/\/localhost:\d+/);
    expect(run.out())
      .to.match(/step\(s\) applied/)
      .and.contain("tests/fixtures/warehouse")
      .and.contain('Administrator "admin" created with the password from ADMIN_PASSWORD');
    expect((await fetch(`http://127.0.0.1:${port}/api/metadata`, { headers: { cookie: "" } })).status).to.equal(401);
    const session = await login(`http://127.0.0.1:${port}`, "admin", "start-admin-password");
    const r = await fetch(`http://127.0.0.1:${port}/api/metadata`, { headers: { cookie: session.cookie } });
    expect(r.status).to.equal(200);
    expect((await r.json()).catalogs.map((c: { name: string }) => c.name)).to.include("Products");
    const home = await fetch(`http://127.0.0.1:${port}/`);
    expect(await home.text()).to.contain("<app-shell>"); // the client, built on start
    run.child.kill("SIGTERM");
    expect(await run.exited).to.equal(0);
  });

  it("starts the embedded PostgreSQL with the metadata/ configuration, and stops it on SIGINT", async function () {
    this.timeout(180_000);
    const port = await freePort();
    const dataDir = tmp("embedded");
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const run = launch("server/main.ts", { PORT: String(port), DATA_DIR: dataDir });
    cleanup.push(() => run.child.kill("SIGKILL"));
    await printed(run, /Listening on/, 150_000);
    expect(run.out()).to.contain('database "app"').and.contain("embedded PostgreSQL");
    // no ADMIN_PASSWORD: the generated password is printed once, and it works
    const password = /Administrator "admin" created; password \(shown once, change it\): (\S+)/.exec(run.out())?.[1];
    expect(password, run.out()).to.be.a("string");
    const session = await login(`http://127.0.0.1:${port}`, "admin", password!);
    const m = await (
      await fetch(`http://127.0.0.1:${port}/api/metadata`, { headers: { cookie: session.cookie } })
    ).json();
    expect(m.catalogs.map((c: { name: string }) => c.name)).to.include("PersonalAccounts");
    expect(existsSync(join(dataDir, "app-password"))).to.equal(true);
    expect(existsSync(join(dataDir, "pg", "postmaster.pid"))).to.equal(true);
    run.child.kill("SIGINT");
    expect(await run.exited).to.equal(0);
    expect(existsSync(join(dataDir, "pg", "postmaster.pid"))).to.equal(false); // the server stopped
  });

  it("refuses a broken configuration, printing every error with its file, exit code 1", async () => {
    const conf = tmp("broken");
    cleanup.push(() => rmSync(conf, { recursive: true, force: true }));
    cpSync(WAREHOUSE, conf, { recursive: true });
    const units = join(conf, "catalogs", "Units.yaml");
    writeFileSync(
      units,
      readFileSync(units, "utf8") + "attributes:\n  - { name: Factor, synonym: Коэффициент, type: numbr(10,3) }\n",
    );
    const stock = join(conf, "registers", "Stock.yaml");
    writeFileSync(stock, readFileSync(stock, "utf8").replace("registerKind: balance", "registerKind: sometimes"));
    const run = launch("server/main.ts", {
      PORT: String(await freePort()),
      DATABASE_URL: await freshDatabaseUrl("broken"),
      APP_DB_PASSWORD: TEST_APP_PASSWORD,
      CONF_DIR: conf,
    });
    expect(await run.exited).to.equal(1);
    const err = run.err();
    expect(err).to.contain("Units.yaml").and.contain("Stock.yaml");
    expect(err).to.match(/error\(s\)/);
    expect(err).not.to.match(/\n\s+at /); // no stack
  });

  it("refuses to start over a PostgreSQL left running on the data folder, saying how to stop it", async () => {
    const dataDir = tmp("leftover");
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    mkdirSync(join(dataDir, "pg"), { recursive: true });
    writeFileSync(join(dataDir, "pg", "postmaster.pid"), `${process.pid}\n${join(dataDir, "pg")}\n`);
    const run = launch("server/main.ts", {
      PORT: String(await freePort()),
      DATA_DIR: dataDir,
      CONF_DIR: "tests/fixtures/warehouse",
    });
    expect(await run.exited).to.equal(1);
    // The process that "runs" that server (this test's) still has its parent: the message names
    // that parent as the application to stop (storage/embedded.ts checkLeftoverServer).
    expect(run.err()).to.contain(`pid ${process.pid}`).and.contain(`kill ${process.ppid}`);
    expect(run.err()).not.to.match(/\n\s+at /);
    expect(existsSync(join(dataDir, "pg", "postmaster.pid"))).to.equal(true); // not ours to remove
  });

  it("npm run migrate: applies, then is up to date, and refuses a destructive change without the flag", async () => {
    const url = await freshDatabaseUrl("migrate");
    const conf = tmp("migrate");
    cleanup.push(() => rmSync(conf, { recursive: true, force: true }));
    cpSync(WAREHOUSE, conf, { recursive: true });
    const env = { DATABASE_URL: url, APP_DB_PASSWORD: TEST_APP_PASSWORD, CONF_DIR: conf };
    let run = launch("server/cli/migrate.ts", env);
    expect(await run.exited).to.equal(0, run.err());
    expect(run.out()).to.match(/step\(s\) applied/);
    run = launch("server/cli/migrate.ts", env);
    expect(await run.exited).to.equal(0, run.err());
    expect(run.out()).to.contain("up to date");
    const wh = join(conf, "catalogs", "Warehouses.yaml");
    // drop Address (the fixture's SalesOrder workflow needs Warehouses' Keeper: it stays)
    writeFileSync(wh, readFileSync(wh, "utf8").replace(/^ {2}- \{ name: Address,.*\n/m, ""));
    run = launch("server/cli/migrate.ts", env);
    expect(await run.exited).to.equal(1);
    expect(run.err()).to.contain("address").and.contain("npm run migrate -- --allow-destructive");
    run = launch("server/cli/migrate.ts", env, ["--allow-destructive"]);
    expect(await run.exited).to.equal(0, run.err());
    expect(run.out()).to.contain("destructive");
    run = launch("server/cli/migrate.ts", env, ["--force"]);
    expect(await run.exited).to.equal(2);
  });
});
