/**
 * A base backup by PostgreSQL's low-level API, for a server whose data folder this machine can
 * read (the embedded one, or a standby cloned next to its primary) when no pg_basebackup of the
 * server's major version is installed: `pg_backup_start` in one session, a copy of the data
 * folder while the server runs, `pg_backup_stop`, and its backup_label written into the copy.
 * The copy skips what the PostgreSQL manual says to skip (pg_wal, the postmaster files,
 * replication slots, temporary and runtime folders). Each file is hashed (SHA-256) as it is
 * copied; manifest.ts writes and checks the list.
 */
import { createHash } from "node:crypto";
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  lstatSync,
  writeFileSync,
} from "node:fs";
import { join, relative } from "node:path";
import { pipeline } from "node:stream/promises";
import { Transform } from "node:stream";
import { execFileSync } from "node:child_process";
import type pg from "pg";

export interface CopiedFile {
  path: string;
  size: number;
  sha256: string;
}

export interface BaseCopy {
  files: CopiedFile[];
  startLsn: string;
  stopLsn: string;
  /** The server's clock when the backup started and ended (ISO, UTC). */
  startTime: string;
  stopTime: string;
  startWalFile: string;
  stopWalFile: string;
  timeline: number;
  systemIdentifier: string;
  serverVersion: string;
  walSegmentSize: number;
}

/** Folders whose contents are not copied (the folder itself is recreated empty). */
const EMPTY_DIRS = new Set([
  "pg_wal",
  "pg_replslot",
  "pg_dynshmem",
  "pg_notify",
  "pg_serial",
  "pg_snapshots",
  "pg_stat_tmp",
  "pg_subtrans",
]);
/** Files never copied from the top of the data folder. */
const SKIP_TOP = new Set([
  "postmaster.pid",
  "postmaster.opts",
  "backup_label",
  "tablespace_map",
  "standby.signal",
  "recovery.signal",
  "backup_label.old",
]);

/** The system identifier in a data folder's global/pg_control (its first 8 bytes, little-endian). */
export function controlSystemId(dataDir: string): string {
  const buf = readFileSync(join(dataDir, "global", "pg_control"));
  return buf.readBigUInt64LE(0).toString();
}

/** Whether `dataDir` on this machine is the data folder of the server `c` is connected to. */
export async function isLocalDataDir(c: pg.ClientBase, dataDir: string): Promise<boolean> {
  if (!existsSync(join(dataDir, "global", "pg_control"))) return false;
  const r = await c.query("SELECT system_identifier::text AS id FROM pg_control_system()");
  try {
    return controlSystemId(dataDir) === r.rows[0].id;
  } catch {
    return false;
  }
}

async function copyHashed(src: string, dest: string): Promise<{ size: number; sha256: string } | undefined> {
  const hash = createHash("sha256");
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      size += chunk.length;
      cb(null, chunk);
    },
  });
  try {
    await pipeline(createReadStream(src), tap, createWriteStream(dest, { mode: 0o600 }));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined; // dropped while we copied: WAL replay recreates nothing of it
    throw e;
  }
  return { size, sha256: hash.digest("hex") };
}

async function copyTree(src: string, dest: string, root: string, out: CopiedFile[]): Promise<void> {
  mkdirSync(dest, { recursive: true, mode: 0o700 });
  let entries: string[];
  try {
    entries = readdirSync(src);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
    throw e;
  }
  const top = src === root;
  for (const name of entries.sort()) {
    if (top && SKIP_TOP.has(name)) continue;
    if (name.startsWith("pgsql_tmp") || name === "pg_internal.init") continue;
    const s = join(src, name);
    let st: ReturnType<typeof lstatSync>;
    try {
      st = lstatSync(s);
    } catch {
      continue;
    }
    if (st.isSymbolicLink()) {
      throw new Error(
        `${s} is a symbolic link (a tablespace or a moved pg_wal); this backup copies one data folder only — use pg_basebackup of the server's major version instead`,
      );
    }
    const d = join(dest, name);
    if (st.isDirectory()) {
      if (top && EMPTY_DIRS.has(name)) mkdirSync(d, { recursive: true, mode: 0o700 });
      else await copyTree(s, d, root, out);
      continue;
    }
    if (!st.isFile()) continue;
    const f = await copyHashed(s, d);
    if (f) out.push({ path: relative(root, s), ...f });
  }
}

/**
 * Copies the running server's data folder `dataDir` into `dest` as a base backup. `c` is a
 * superuser session on that server, kept for the whole copy. `waitForArchive`: pg_backup_stop
 * waits until the last WAL segment the backup needs is archived (needs archive_mode on).
 */
export async function copyBaseBackup(
  c: pg.ClientBase,
  dataDir: string,
  dest: string,
  label: string,
  waitForArchive: boolean,
): Promise<BaseCopy> {
  if (!(await isLocalDataDir(c, dataDir))) {
    throw new Error(
      `${dataDir} is not the data folder of the server this command is connected to (its system identifier differs or it cannot be read)`,
    );
  }
  if (existsSync(dest) && readdirSync(dest).length > 0)
    throw new Error(`${dest} is not empty; a base backup goes into a new folder`);
  const info = (
    await c.query(
      `SELECT system_identifier::text AS id, current_setting('server_version') AS version,
              current_setting('wal_segment_size') AS seg, pg_size_bytes(current_setting('wal_segment_size')) AS seg_bytes
         FROM pg_control_system()`,
    )
  ).rows[0];
  const start = (
    await c.query(
      "SELECT pg_backup_start($1, true)::text AS lsn, to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') AS at",
      [label],
    )
  ).rows[0];
  const files: CopiedFile[] = [];
  try {
    await copyTree(dataDir, dest, dataDir, files);
  } catch (e) {
    await c.query("SELECT pg_backup_stop(false)").catch(() => {});
    throw e;
  }
  const stop: { lsn: string; labelfile: string; spcmapfile: string; at: string } = (
    await c.query(
      `SELECT lsn::text AS lsn, labelfile, spcmapfile,
              to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at
         FROM pg_backup_stop($1)`,
      [waitForArchive],
    )
  ).rows[0];
  writeFileSync(join(dest, "backup_label"), stop.labelfile, { mode: 0o600 });
  files.push({
    path: "backup_label",
    size: Buffer.byteLength(stop.labelfile),
    sha256: createHash("sha256").update(stop.labelfile).digest("hex"),
  });
  if (stop.spcmapfile) {
    writeFileSync(join(dest, "tablespace_map"), stop.spcmapfile, { mode: 0o600 });
    files.push({
      path: "tablespace_map",
      size: Buffer.byteLength(stop.spcmapfile),
      sha256: createHash("sha256").update(stop.spcmapfile).digest("hex"),
    });
  }
  const startWal = /START WAL LOCATION: \S+ \(file ([0-9A-F]{24})\)/.exec(stop.labelfile);
  const tli = /START TIMELINE: (\d+)/.exec(stop.labelfile);
  if (!startWal || !tli)
    throw new Error(`pg_backup_stop returned a backup label this program cannot read:\n${stop.labelfile}`);
  const segBytes = Number(info.seg_bytes);
  try {
    execFileSync("sync", ["-f", dest]);
  } catch {
    // sync -f is GNU coreutils; without it the files reach the disk with the next writeback
  }
  return {
    files,
    startLsn: start.lsn,
    stopLsn: stop.lsn,
    startTime: start.at,
    stopTime: stop.at,
    startWalFile: startWal[1],
    stopWalFile: walFileName(Number(tli[1]), stop.lsn, segBytes, true),
    timeline: Number(tli[1]),
    systemIdentifier: info.id,
    serverVersion: info.version,
    walSegmentSize: segBytes,
  };
}

/**
 * The WAL segment file holding `lsn` on timeline `tli` (as pg_walfile_name, which names the
 * previous segment for an LSN exactly on a boundary when `previousOnBoundary`).
 */
export function walFileName(tli: number, lsn: string, segBytes: number, previousOnBoundary = false): string {
  const [hi, lo] = lsn.split("/").map((x) => BigInt("0x" + x));
  let pos = (hi << 32n) + lo;
  if (previousOnBoundary && pos % BigInt(segBytes) === 0n && pos > 0n) pos -= 1n;
  const segNo = pos / BigInt(segBytes);
  const perId = 0x100000000n / BigInt(segBytes);
  const hex = (n: bigint | number) => n.toString(16).toUpperCase().padStart(8, "0");
  return hex(tli) + hex(segNo / perId) + hex(segNo % perId);
}

/** The segment names from `first` to `last` inclusive (same timeline). */
export function walRange(first: string, last: string, segBytes: number): string[] {
  const perId = 0x100000000n / BigInt(segBytes);
  const num = (f: string) => BigInt("0x" + f.slice(8, 16)) * perId + BigInt("0x" + f.slice(16, 24));
  const tli = first.slice(0, 8);
  const out: string[] = [];
  for (let n = num(first); n <= num(last); n++) {
    const hex = (x: bigint) => x.toString(16).toUpperCase().padStart(8, "0");
    out.push(tli + hex(n / perId) + hex(n % perId));
    if (out.length > 1_000_000) throw new Error(`WAL range ${first}..${last} is implausibly long`);
  }
  return out;
}
