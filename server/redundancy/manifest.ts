/**
 * The backup folder and its manifests:
 *
 *   BACKUP_DIR/wal/                         archived WAL segments (the server's archiver writes them)
 *   BACKUP_DIR/base/<stamp>/data/           a base backup: the data folder with its backup_label
 *   BACKUP_DIR/base/<stamp>/owner-password  the embedded server's passwords at backup time
 *   BACKUP_DIR/base/<stamp>/backup-manifest.json   written last: a base backup without it is
 *                                           incomplete and never restored
 *
 * The manifest lists every file with its size and SHA-256, the WAL range the backup needs to be
 * consistent, and the server's clock at start and end. `verifyBackup` re-reads every file
 * and checks that every WAL segment of that range is archived; WAL records carry their own
 * CRCs, which PostgreSQL checks as it replays them.
 */
import { createHash } from "node:crypto";
import { createReadStream, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { walRange, type BaseCopy } from "./basecopy.ts";

export const MANIFEST = "backup-manifest.json";

export interface Manifest extends BaseCopy {
  format: 1;
  label: string;
  /** The folder name under base/. */
  name: string;
  method: "low-level API copy";
}

export const walDirOf = (backupDir: string) => join(backupDir, "wal");
export const baseDirOf = (backupDir: string) => join(backupDir, "base");

export function writeManifest(dir: string, m: Manifest): void {
  writeFileSync(join(dir, MANIFEST), JSON.stringify(m, null, 1) + "\n", { mode: 0o600 });
}

export function readManifest(dir: string): Manifest {
  const m = JSON.parse(readFileSync(join(dir, MANIFEST), "utf8")) as Manifest;
  if (m.format !== 1 || !Array.isArray(m.files))
    throw new Error(`${join(dir, MANIFEST)} is not a manifest this program wrote`);
  return m;
}

/** Complete base backups (with a manifest), oldest first. */
export function listBackups(backupDir: string): { dir: string; manifest: Manifest }[] {
  const base = baseDirOf(backupDir);
  if (!existsSync(base)) return [];
  return readdirSync(base)
    .sort()
    .map((n) => join(base, n))
    .filter((d) => existsSync(join(d, MANIFEST)))
    .map((dir) => ({ dir, manifest: readManifest(dir) }))
    .sort((a, b) => a.manifest.stopTime.localeCompare(b.manifest.stopTime));
}

function sha256(path: string): Promise<string> {
  return new Promise((res, rej) => {
    const h = createHash("sha256");
    createReadStream(path)
      .on("data", (d) => h.update(d))
      .on("end", () => res(h.digest("hex")))
      .on("error", rej);
  });
}

/**
 * Problems found in a base backup, none when it is sound: a file missing, of another size or
 * another checksum, or a WAL segment of its range in none of `walDirs`.
 */
export async function verifyBackup(dir: string, walDirs: string[]): Promise<string[]> {
  const m = readManifest(dir);
  const problems: string[] = [];
  for (const f of m.files) {
    const p = join(dir, "data", f.path);
    if (!existsSync(p)) {
      problems.push(`${f.path}: missing`);
      continue;
    }
    const sum = await sha256(p);
    if (sum !== f.sha256)
      problems.push(`${f.path}: checksum differs from the manifest (the file was changed or damaged)`);
  }
  for (const seg of walRange(m.startWalFile, m.stopWalFile, m.walSegmentSize)) {
    if (!walDirs.some((d) => existsSync(join(d, seg))))
      problems.push(`WAL segment ${seg}: not archived (needed to make this backup consistent)`);
  }
  return problems;
}
