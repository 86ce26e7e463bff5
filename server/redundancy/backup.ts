/**
 * `npm run backup`: continuous WAL archiving plus a base backup into BACKUP_DIR (manifest.ts
 * shows the layout).
 *  1. Archiving: the server must archive every WAL segment into BACKUP_DIR/wal. If it does not
 *     yet, this sets (ALTER SYSTEM) archive_mode=on, archive_library=basic_archive (PostgreSQL's
 *     own module: copies, fsyncs, and accepts a retry of an identical segment),
 *     basic_archive.archive_directory and archive_timeout=60s (a quiet server still archives
 *     its last minute). archive_mode takes effect at a restart: a server started here is
 *     restarted at once; the running application's server is not — the command says so and
 *     stops, and the next run after a restart carries on.
 *  2. A WAL switch, and a wait until that segment is in the archive: archiving is proven to work.
 *  3. The base backup (basecopy.ts), waiting until its last WAL segment is archived, with the
 *     embedded server's password files beside it, then its manifest, then a full verification.
 *  4. With `keep`, older base backups beyond the newest `keep` and the WAL only they need are removed.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import pg from "pg";
import { copyBaseBackup, isLocalDataDir } from "./basecopy.ts";
import { baseDirOf, listBackups, verifyBackup, walDirOf, writeManifest, type Manifest } from "./manifest.ts";
import { ensureTraversable, giveToServer } from "./pgbin.ts";
import { openServer, type ServerHandle } from "./target.ts";

export interface BackupOptions {
  backupDir: string;
  env: NodeJS.ProcessEnv;
  keep?: number;
  log?: (line: string) => void;
}

export type BackupResult =
  | { status: "done"; name: string; dir: string; files: number; bytes: number; manifest: Manifest; removed: string[] }
  | { status: "restart-needed"; message: string };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function client(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  return c;
}

const setting = async (c: pg.ClientBase, name: string): Promise<string> =>
  (await c.query("SELECT setting FROM pg_settings WHERE name = $1", [name])).rows[0]?.setting ?? "";

/** Configures archiving into walDir; returns whether a restart is still needed for it. */
async function configureArchiving(c: pg.ClientBase, walDir: string, log: (s: string) => void): Promise<boolean> {
  const mode = await setting(c, "archive_mode");
  const lib = await setting(c, "archive_library");
  const dir = await c
    .query("SELECT current_setting('basic_archive.archive_directory', true) AS d")
    .then((r) => r.rows[0].d as string | null);
  const cmd = await setting(c, "archive_command");
  if (mode !== "off" && lib === "basic_archive" && dir === walDir && !cmd) return false;
  if (mode !== "off" && (cmd || (lib && lib !== "basic_archive"))) {
    throw new Error(
      `This server already archives its WAL elsewhere (archive_command='${cmd}', archive_library='${lib}'). ` +
        `Point that archive at ${walDir}, or set BACKUP_DIR to where it archives, or reset it (ALTER SYSTEM RESET archive_command) and run this again.`,
    );
  }
  log(`configuring WAL archiving into ${walDir}`);
  await c.query("ALTER SYSTEM SET archive_library = 'basic_archive'");
  await c.query(
    `ALTER SYSTEM SET basic_archive.archive_directory = ${(await c.query("SELECT quote_literal($1) AS q", [walDir])).rows[0].q}`,
  );
  await c.query("ALTER SYSTEM SET archive_timeout = '60s'");
  await c.query("ALTER SYSTEM SET archive_mode = 'on'");
  await c.query("SELECT pg_reload_conf()");
  await sleep(300);
  return mode === "off";
}

/** Switches WAL and waits until that segment is archived: proof that archiving works. */
async function proveArchiving(c: pg.ClientBase, walDir: string): Promise<void> {
  // A WAL record first, so that the switch completes a segment even on a quiet server; the
  // switch returns the end of that segment, which names it.
  await c.query("SELECT pg_logical_emit_message(false, 'npm run backup', 'archive check')");
  const seg: string = (await c.query("SELECT pg_walfile_name(pg_switch_wal()) AS f")).rows[0].f;
  const target = join(walDir, seg);
  const deadline = Date.now() + 60_000;
  while (!existsSync(target)) {
    if (Date.now() > deadline) {
      const a = (await c.query("SELECT last_failed_wal, last_failed_time::text, failed_count FROM pg_stat_archiver"))
        .rows[0];
      throw new Error(
        `WAL archiving does not work: segment ${seg} did not reach ${walDir} within 60 s` +
          (a.last_failed_wal
            ? ` (the archiver failed ${a.failed_count} time(s), last on ${a.last_failed_wal} at ${a.last_failed_time}; the server log says why)`
            : "") +
          `. Check that the server's operating-system user can write into ${walDir}.`,
      );
    }
    await sleep(200);
  }
}

/** Removes base backups older than the newest `keep`, and WAL segments none of the kept ones need. */
function prune(backupDir: string, keep: number): string[] {
  const all = listBackups(backupDir);
  if (keep < 1 || all.length <= keep) return [];
  const drop = all.slice(0, all.length - keep);
  const oldestKept = all[all.length - keep].manifest.startWalFile;
  const removed: string[] = [];
  for (const b of drop) {
    rmSync(b.dir, { recursive: true, force: true });
    removed.push(b.dir);
  }
  // Segment names sort by position within a timeline; the timeline prefix is ignored so that
  // segments of older timelines before the kept backup go as well. History files stay.
  const walDir = walDirOf(backupDir);
  for (const f of readdirSync(walDir)) {
    if (/^[0-9A-F]{24}(\.partial|\.[0-9A-F]{8}\.backup)?$/.test(f) && f.slice(8, 24) < oldestKept.slice(8, 24)) {
      rmSync(join(walDir, f), { force: true });
      removed.push(join(walDir, f));
    }
  }
  return removed;
}

const stamp = (iso: string) => iso.replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");

export async function runBackup(o: BackupOptions): Promise<BackupResult> {
  const log = o.log ?? (() => {});
  const backupDir = resolve(o.backupDir);
  const walDir = walDirOf(backupDir);
  mkdirSync(walDir, { recursive: true });
  mkdirSync(baseDirOf(backupDir), { recursive: true });
  ensureTraversable(walDir);
  giveToServer(walDir);
  const server: ServerHandle = await openServer(o.env, { startIfStopped: true });
  let c = await client(server.url);
  try {
    const su = (await c.query("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).rows[0]?.rolsuper;
    if (!su)
      throw new Error(
        "npm run backup needs the server's superuser (the owner URL in DATABASE_URL, or the embedded server)",
      );
    const dataDir: string = (await c.query("SHOW data_directory")).rows[0].data_directory;
    if (!(await isLocalDataDir(c, dataDir))) {
      throw new Error(
        `${server.describe} keeps its data on another machine (${dataDir} is not readable here). ` +
          `Back it up there with pg_basebackup of the server's version and its own archive_command; docs/redundancy.md shows how.`,
      );
    }
    if (await configureArchiving(c, walDir, log)) {
      if (!server.startedHere) {
        return {
          status: "restart-needed",
          message:
            `WAL archiving into ${walDir} is now configured, and takes effect when the database restarts. ` +
            `Restart the application (stop it, then npm start) and run npm run backup again.`,
        };
      }
      log("restarting the embedded PostgreSQL to turn archiving on");
      await c.end();
      await server.restart();
      c = await client(server.url);
    }
    await proveArchiving(c, walDir);
    const now: string = (
      await c.query(`SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS t`)
    ).rows[0].t;
    const name = stamp(now);
    const dir = join(baseDirOf(backupDir), name);
    if (existsSync(dir)) throw new Error(`${dir} already exists; run the backup again in a second`);
    log(`copying ${dataDir} into ${dir}`);
    const copy = await copyBaseBackup(c, dataDir, join(dir, "data"), `npm run backup ${name}`, true);
    if (server.embeddedDataDir) {
      for (const f of ["owner-password", "app-password"]) {
        const src = join(server.embeddedDataDir, f);
        if (existsSync(src)) copyFileSync(src, join(dir, f));
      }
    }
    const manifest: Manifest = {
      format: 1,
      label: `npm run backup ${name}`,
      name,
      method: "low-level API copy",
      ...copy,
    };
    writeManifest(dir, manifest);
    const problems = await verifyBackup(dir, [walDir]);
    if (problems.length) throw new Error(`The backup ${dir} failed its verification:\n  ${problems.join("\n  ")}`);
    const removed = o.keep ? prune(backupDir, o.keep) : [];
    return {
      status: "done",
      name,
      dir,
      files: copy.files.length,
      bytes: copy.files.reduce((a, f) => a + f.size, 0),
      manifest,
      removed,
    };
  } finally {
    await c.end().catch(() => {});
    if (server.startedHere) await server.stop().catch(() => {});
  }
}
