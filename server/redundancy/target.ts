/**
 * Which PostgreSQL server a redundancy command works on, found the way `npm start` finds it:
 * DATABASE_URL (the owner's URL; with several hosts, the one that accepts writes), else the
 * embedded cluster in DATA_DIR/pg — the application's running server (its port from
 * postmaster.pid, its superuser password from DATA_DIR/owner-password), or, when the
 * application is stopped and the command may, one started here for the command's duration.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { startEmbedded, type EmbeddedDb } from "../storage/embedded.ts";
import { livePostmaster } from "./cluster.ts";
import { chooseHost, parseMultiHost } from "../storage/multihost.ts";
import { setting } from "../config.ts";

export interface ServerHandle {
  /** Superuser URL of the database "postgres" on one host. */
  url: string;
  /** DATA_DIR when the server is the embedded one (its passwords live there). */
  embeddedDataDir?: string;
  /** How to say which server this is. */
  describe: string;
  /** True when this command started the server (it may then restart and must stop it). */
  startedHere: boolean;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export function embeddedPaths(env: NodeJS.ProcessEnv): { dataDir: string; pgDir: string } {
  const dataDir = resolve(setting("DATA_DIR", env));
  return { dataDir, pgDir: join(dataDir, "pg") };
}

export async function openServer(env: NodeJS.ProcessEnv, opts: { startIfStopped: boolean }): Promise<ServerHandle> {
  const databaseUrl = setting("DATABASE_URL", env);
  if (databaseUrl) {
    let url = databaseUrl;
    const m = parseMultiHost(url);
    if (m) {
      const h = await chooseHost(
        { ...m, attrs: m.attrs === "any" ? "read-write" : m.attrs },
        { connectionString: m.single },
      );
      const u = new URL(m.single);
      u.hostname = h.host;
      u.port = String(h.port);
      url = u.toString();
    }
    const u = new URL(url);
    u.pathname = "/postgres";
    const noop = async () => {};
    return {
      url: u.toString(),
      describe: `PostgreSQL at ${u.hostname}:${u.port || 5432}`,
      startedHere: false,
      restart: noop,
      stop: noop,
    };
  }
  const { dataDir, pgDir } = embeddedPaths(env);
  if (!existsSync(join(pgDir, "PG_VERSION"))) {
    throw new Error(
      `There is no database in ${pgDir}. Start the application once (npm start) to create it, or set DATA_DIR to the folder that holds it.`,
    );
  }
  const pwFile = join(dataDir, "owner-password");
  if (!existsSync(pwFile)) throw new Error(`${pwFile} is missing: it holds the embedded server's superuser password`);
  const live = livePostmaster(pgDir);
  if (live) {
    const password = readFileSync(pwFile, "utf8").trim();
    const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${live.port}/postgres`;
    const noop = async () => {};
    return {
      url,
      embeddedDataDir: dataDir,
      describe: `the application's embedded PostgreSQL (pid ${live.pid}, data in ${pgDir})`,
      startedHere: false,
      restart: noop,
      stop: noop,
    };
  }
  if (!opts.startIfStopped) throw new Error(`The embedded PostgreSQL in ${pgDir} is not running`);
  let db: EmbeddedDb = await startEmbedded(dataDir);
  const h: ServerHandle = {
    url: db.url,
    embeddedDataDir: dataDir,
    describe: `the embedded PostgreSQL in ${pgDir} (started for this command)`,
    startedHere: true,
    restart: async () => {
      await db.stop();
      db = await startEmbedded(dataDir);
      h.url = db.url;
    },
    stop: () => db.stop(),
  };
  return h;
}
