/**
 * Opening the platform from the environment, shared by `npm start` (server/main.ts),
 * `npm run migrate` and the other CLI commands:
 *  - DATABASE_URL: the owner's URL of any PostgreSQL 15+; without it an embedded PostgreSQL is
 *    started with its data in DATA_DIR/pg (default ./data) and the database "app" on it is used;
 *  - CONF_DIR: the configuration folder (default ./metadata);
 *  - APP_DB_PASSWORD: the application role's password; without it one is generated once and
 *    kept in DATA_DIR/app-password (mode 600). openPlatform sets it on the role at every start.
 * A maintenance command (`attach`: registers, audit) run while the application is running on
 * the same DATA_DIR uses the application's embedded server — its port from postmaster.pid, its
 * superuser password from DATA_DIR/owner-password — and leaves it running when done.
 * startupMessage turns the errors a start can meet into one clear text without a stack.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { openPlatform, type Platform } from "../platform.ts";
import { MetadataError } from "../metadata/types.ts";
import { MigrationRefused } from "../storage/migrate.ts";
import { runningServer, startEmbedded, type EmbeddedDb } from "../storage/embedded.ts";
import { errorText } from "./error-text.ts";
import { setting } from "../config.ts";

export { errorText };

export interface Connected {
  platform: Platform;
  /** Closes the pools and stops the embedded server, if one was started. */
  stop(): Promise<void>;
  /** For the startup line: where the data lives and which configuration is served. */
  describe: { database: string; server: string; confRoot: string };
}

export interface ConnectOptions {
  allowDestructive?: boolean;
  /** Lines about migration steps as they are applied. */
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /**
   * Use the embedded server already running on DATA_DIR (the application's) instead of
   * refusing to start a second one; it is left running by stop().
   */
  attach?: boolean;
}

/** The application role's password: APP_DB_PASSWORD, else generated once into DATA_DIR/app-password. */
export function appPassword(env: NodeJS.ProcessEnv, dataDir: string): string {
  const given = setting("APP_DB_PASSWORD", env);
  if (given) return given;
  const file = join(dataDir, "app-password");
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(18).toString("hex"), { mode: 0o600, flag: "wx" });
  }
  return readFileSync(file, "utf8").trim();
}

/** A path as the user would type it: relative inside the working directory, else absolute. */
const shown = (p: string) => {
  const r = relative(process.cwd(), p);
  return r === "" ? "." : r.startsWith("..") ? p : r;
};

export async function connectFromEnv(opts: ConnectOptions = {}): Promise<Connected> {
  const env = opts.env ?? process.env;
  const dataDir = resolve(setting("DATA_DIR", env));
  const confRoot = resolve(setting("CONF_DIR", env));
  const databaseUrl = setting("DATABASE_URL", env);
  let embedded: EmbeddedDb | undefined;
  let ownerUrl: string;
  let server: string;
  if (databaseUrl) {
    ownerUrl = databaseUrl;
    const u = new URL(ownerUrl);
    server = `PostgreSQL at ${u.hostname}:${u.port || 5432}`;
  } else {
    const pgDir = join(dataDir, "pg");
    const live = opts.attach ? runningServer(pgDir) : null;
    if (live) {
      const pwFile = join(dataDir, "owner-password");
      if (!existsSync(pwFile))
        throw new Error(
          `На папке данных ${pgDir} работает PostgreSQL (pid ${live.pid}), но нет файла ${pwFile} с паролем его суперпользователя`,
        );
      const password = readFileSync(pwFile, "utf8").trim();
      ownerUrl = `postgres://postgres:${encodeURIComponent(password)}@${live.host.includes(":") ? `[${live.host}]` : live.host}:${live.port}/app`;
      server = live.owner
        ? `the running application's embedded PostgreSQL (pid ${live.pid}, port ${live.port}), data in ${shown(pgDir)}`
        : `the embedded PostgreSQL left running on ${shown(pgDir)} (pid ${live.pid}, port ${live.port}; the process that started it is gone)`;
    } else {
      embedded = await startEmbedded(dataDir);
      const u = new URL(embedded.url);
      u.pathname = "/app";
      ownerUrl = u.toString();
      server = `embedded PostgreSQL, data in ${shown(embedded.dataDir)}`;
    }
  }
  try {
    const platform = await openPlatform({
      confRoot,
      ownerUrl,
      appPassword: appPassword(env, dataDir),
      allowDestructive: opts.allowDestructive,
      log: opts.log,
    });
    let stopped = false;
    return {
      platform,
      describe: { database: platform.db.name, server, confRoot: shown(confRoot) },
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await platform.close().catch(() => {});
        if (embedded) await embedded.stop();
      },
    };
  } catch (e) {
    if (embedded) await embedded.stop().catch(() => {});
    throw e;
  }
}

/** One clear message for an error met while starting (no stack: these are not bugs). */
export function startupMessage(e: unknown): string {
  if (e instanceof MetadataError) return e.message;
  if (e instanceof MigrationRefused) return e.message;
  const err = e as NodeJS.ErrnoException & { errors?: Error[] };
  let msg = errorText(e);
  if (err?.code === "ECONNREFUSED" || err?.code === "ENOTFOUND" || err?.code === "28P01" || err?.code === "3D000")
    msg = `cannot connect to the database: ${msg}`;
  if (err?.code === "EADDRINUSE") msg = `the port is already in use: ${msg} (set PORT to another port)`;
  return `Cannot start: ${msg}`;
}
