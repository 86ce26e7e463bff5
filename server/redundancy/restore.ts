/**
 * `npm run restore -- --to <moment>`: point-in-time recovery of the embedded cluster into
 * DATA_DIR/pg, following the PostgreSQL manual's procedure:
 *  1. Refuses while a server runs on DATA_DIR/pg (stop the application first). A stopped
 *     cluster there is moved aside to DATA_DIR/pg.before-restore-<stamp>, never deleted, and
 *     its WAL segments are offered to the recovery (they may hold changes not yet archived).
 *  2. Picks the newest complete base backup that ended before the moment (or --backup NAME),
 *     verifies it (manifest.ts), copies it into DATA_DIR/pg.
 *  3. recovery.signal plus restore_command (from BACKUP_DIR/wal), recovery_target_time and
 *     recovery_target_action=promote; starts the server, which replays WAL up to the last
 *     commit before the moment and opens on a new timeline (so the archive keeps both
 *     histories apart).
 *  4. Resets the recovery settings, reads every table of every database once (a damaged page
 *     fails its checksum there, not later in front of a user), stops the server and puts the
 *     backup's password files in DATA_DIR. `npm start` then serves the restored data.
 */
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  appendFileSync,
  chmodSync,
} from "node:fs";
import { join, resolve } from "node:path";
import pg from "pg";
import { EMBEDDED_SETTINGS, LocalCluster, livePostmaster } from "./cluster.ts";
import { listBackups, verifyBackup, walDirOf, type Manifest } from "./manifest.ts";
import { ensureTraversable, giveToServer } from "./pgbin.ts";
import { freePort } from "../storage/embedded.ts";

export interface RestoreOptions {
  backupDir: string;
  /** DATA_DIR: the cluster goes into DATA_DIR/pg. */
  dataDir: string;
  /** The moment to restore to; undefined: everything the archive holds. */
  to?: Date;
  /** A base backup's folder name under base/, instead of the newest that fits. */
  backup?: string;
  log?: (line: string) => void;
}

export interface RestoreResult {
  backup: string;
  movedAside?: string;
  /** The commit time of the last transaction replayed (ISO), if any. */
  lastTransaction?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const confString = (v: string) => `'${v.replace(/'/g, "''")}'`;
const fsStamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");

/** A moment as the operator typed it: ISO 8601 or "YYYY-MM-DD HH:MM[:SS]"; no zone means this machine's. */
export function parseMoment(text: string): Date {
  const t = text.trim();
  // Also as PostgreSQL prints a timestamptz: "2026-03-01 14:30:00.123456+03".
  const iso = t
    .replace(/^(\d{4}-\d{2}-\d{2}) (\d)/, "$1T$2")
    .replace(/([+-]\d{2})$/, "$1:00")
    .replace(/([+-]\d{2})(\d{2})$/, "$1:$2");
  const d = new Date(iso);
  if (!/^\d{4}-\d{2}-\d{2}/.test(t) || Number.isNaN(d.getTime())) {
    throw new Error(
      `--to "${text}" is not a moment; write it as 2026-03-01T14:30:00+03:00, or 2026-03-01 14:30 (this machine's time zone)`,
    );
  }
  return d;
}

function chooseBackup(o: RestoreOptions): { dir: string; manifest: Manifest } {
  const all = listBackups(o.backupDir);
  if (all.length === 0)
    throw new Error(`There is no complete base backup in ${join(o.backupDir, "base")}. Take one with npm run backup.`);
  if (o.backup) {
    const b = all.find((x) => x.manifest.name === o.backup);
    if (!b)
      throw new Error(
        `There is no base backup "${o.backup}"; the backups are: ${all.map((x) => x.manifest.name).join(", ")}`,
      );
    if (o.to && new Date(b.manifest.stopTime) > o.to)
      throw new Error(
        `The backup ${o.backup} ended at ${b.manifest.stopTime}, after ${o.to.toISOString()}; choose an older one`,
      );
    return b;
  }
  const fit = all.filter((x) => !o.to || new Date(x.manifest.stopTime) <= o.to);
  if (fit.length === 0) {
    throw new Error(
      `No base backup ended before ${o.to!.toISOString()}: the oldest ended at ${all[0].manifest.stopTime}, the earliest moment it can restore to.`,
    );
  }
  return fit[fit.length - 1];
}

export async function runRestore(o: RestoreOptions): Promise<RestoreResult> {
  const log = o.log ?? (() => {});
  const dataDir = resolve(o.dataDir);
  const pgDir = join(dataDir, "pg");
  const backupDir = resolve(o.backupDir);
  const live = livePostmaster(pgDir);
  if (live) {
    throw new Error(
      `A PostgreSQL server (pid ${live.pid}) is running on ${pgDir}: the restore will not replace a live database. ` +
        `Stop the application first (its database stops with it), then run the restore again.`,
    );
  }
  const chosen = chooseBackup({ ...o, backupDir });
  log(`verifying the base backup ${chosen.manifest.name} (ended ${chosen.manifest.stopTime})`);
  const walDir = walDirOf(backupDir);
  const oldWal = join(pgDir, "pg_wal");
  const problems = await verifyBackup(chosen.dir, existsSync(oldWal) ? [walDir, oldWal] : [walDir]);
  if (problems.length)
    throw new Error(
      `The base backup ${chosen.dir} is damaged, nothing was changed:\n  ${problems.join("\n  ")}\nRestore from an older one with --backup NAME.`,
    );
  const password = existsSync(join(chosen.dir, "owner-password"))
    ? readFileSync(join(chosen.dir, "owner-password"), "utf8").trim()
    : undefined;
  if (!password)
    throw new Error(
      `${chosen.dir} has no owner-password: it was not taken from the embedded server, restore it by hand (docs/redundancy.md)`,
    );

  let movedAside: string | undefined;
  if (existsSync(pgDir)) {
    movedAside = `${pgDir}.before-restore-${fsStamp(new Date())}`;
    renameSync(pgDir, movedAside);
    log(`the current cluster was moved aside to ${movedAside} (kept, not deleted)`);
  }
  try {
    const lastTransaction = await recoverInto(o, chosen, pgDir, movedAside, password, log);
    installPasswords(chosen.dir, dataDir, movedAside);
    return { backup: chosen.manifest.name, movedAside, lastTransaction };
  } catch (e) {
    // Leave things as they were: the half-restored folder goes, the original comes back.
    rmSync(pgDir, { recursive: true, force: true });
    if (movedAside) renameSync(movedAside, pgDir);
    throw new Error(
      `${(e as Error).message}\n${movedAside ? `Nothing was changed: the database is back in ${pgDir}.` : `${pgDir} was removed again.`}`,
    );
  }
}

async function recoverInto(
  o: RestoreOptions,
  chosen: { dir: string; manifest: Manifest },
  pgDir: string,
  movedAside: string | undefined,
  password: string,
  log: (line: string) => void,
): Promise<string | undefined> {
  const dataDir = resolve(o.dataDir);
  const walDir = walDirOf(resolve(o.backupDir));
  mkdirSync(dataDir, { recursive: true });
  cpSync(join(chosen.dir, "data"), pgDir, { recursive: true });
  // WAL the old cluster wrote but had not archived yet: the manual's step "copy unarchived WAL".
  const asideWal = movedAside ? join(movedAside, "pg_wal") : undefined;
  if (asideWal && existsSync(asideWal)) {
    for (const f of readdirSync(asideWal))
      if (/^[0-9A-F]{24}$/.test(f) || f.endsWith(".history")) copyFileSync(join(asideWal, f), join(pgDir, "pg_wal", f));
  }
  writeFileSync(join(pgDir, "recovery.signal"), "");
  appendFileSync(
    join(pgDir, "postgresql.auto.conf"),
    `\n# npm run restore ${new Date().toISOString()}\n` +
      `restore_command = ${confString(`cp "${walDir}/%f" "%p"`)}\n` +
      (o.to ? `recovery_target_time = ${confString(o.to.toISOString().replace("T", " ").replace("Z", "+00"))}\n` : "") +
      `recovery_target_action = 'promote'\n`,
  );
  chmodSync(pgDir, 0o700);
  ensureTraversable(dataDir);
  giveToServer(pgDir);

  const cluster = new LocalCluster({
    dataDir: pgDir,
    port: await freePort(),
    password,
    logFile: join(dataDir, "restore.log"),
    settings: EMBEDDED_SETTINGS,
  });
  log(`replaying WAL${o.to ? ` up to ${o.to.toISOString()}` : ""} (log: ${cluster.logFile})`);
  let lastTransaction: string | undefined;
  try {
    await cluster.start(300_000);
    const c = new pg.Client({ connectionString: cluster.url() });
    await c.connect();
    try {
      const deadline = Date.now() + 600_000;
      while ((await c.query("SELECT pg_is_in_recovery() AS r")).rows[0].r) {
        if (Date.now() > deadline) throw new Error(`recovery did not finish within 10 minutes; see ${cluster.logFile}`);
        await sleep(200);
      }
      lastTransaction =
        (
          await c.query(
            `SELECT to_char(pg_last_xact_replay_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS t`,
          )
        ).rows[0].t ?? undefined;
      for (const s of ["restore_command", "recovery_target_time", "recovery_target_action"])
        await c.query(`ALTER SYSTEM RESET ${s}`);
      await c.query("SELECT pg_reload_conf()");
      const dbs = (await c.query("SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate")).rows.map(
        (r) => r.datname as string,
      );
      for (const db of dbs) await readEveryTable(cluster.url(db));
    } finally {
      await c.end().catch(() => {});
    }
  } catch (e) {
    await cluster.stop().catch(() => {});
    const tail = cluster.logTail();
    const hint = /recovery ended before configured recovery target was reached/.test(tail)
      ? "\nThe archive (with the old database's WAL) ends before that moment, so nothing after it is known: choose an earlier moment, or leave out --to to replay everything there is."
      : "";
    const msg = (e as Error).message;
    throw new Error(msg.includes("log ends") ? `${msg}${hint}` : `${msg}${hint}\nThe server log ends:\n${tail}`);
  }
  await cluster.stop();
  return lastTransaction;
}

/** The backup's password files into DATA_DIR (the replaced ones kept beside the old cluster). */
function installPasswords(backup: string, dataDir: string, movedAside: string | undefined): void {
  for (const f of ["owner-password", "app-password"]) {
    const src = join(backup, f);
    if (!existsSync(src)) continue;
    const dest = join(dataDir, f);
    if (existsSync(dest) && readFileSync(dest, "utf8") !== readFileSync(src, "utf8") && movedAside)
      copyFileSync(dest, `${movedAside}.${f}`);
    copyFileSync(src, dest);
    chmodSync(dest, 0o600);
  }
}

/** Reads every page of every table (checksums are checked on read). */
async function readEveryTable(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const tables = (
      await c.query(`SELECT oid::regclass::text AS t FROM pg_class WHERE relkind IN ('r','m') AND relpersistence = 'p'`)
    ).rows;
    for (const { t } of tables) await c.query(`SELECT count(*) FROM ${t}`);
  } catch (e) {
    throw new Error(`reading the restored database ${new URL(url).pathname.slice(1)} failed: ${(e as Error).message}`);
  } finally {
    await c.end().catch(() => {});
  }
}
