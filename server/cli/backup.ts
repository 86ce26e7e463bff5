/**
 * `npm run backup -- [--keep N]`: a verified base backup plus continuous WAL archiving into
 * BACKUP_DIR (default ./backups) — see server/redundancy/backup.ts for the steps. Works on the
 * server `npm start` uses (DATABASE_URL, or the embedded one in DATA_DIR, running or not).
 * Exit codes: 0 done; 3 archiving was just configured and needs a restart of the application;
 * 1 failed (the message says what to fix).
 */
import { runBackup } from "../redundancy/backup.ts";
import { errorText } from "./error-text.ts";
import { setting } from "../config.ts";
import { commandLine, intOption } from "./args.ts";

const USAGE =
  "Usage: npm run backup -- [--keep N]   (BACKUP_DIR, default ./backups; DATA_DIR or DATABASE_URL as for npm start)";

function parseArgs(argv: string[]): { keep?: number } {
  const { values } = commandLine({ usage: USAGE, options: { keep: { type: "string" } } }, argv);
  return { keep: intOption(values.keep, "keep", 1, USAGE) };
}

const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;

try {
  const args = parseArgs(process.argv.slice(2));
  const backupDir = setting("BACKUP_DIR");
  const r = await runBackup({ backupDir, env: process.env, keep: args.keep, log: (l) => console.log(l) });
  if (r.status === "restart-needed") {
    console.log(r.message);
    process.exit(3);
  }
  const m = r.manifest;
  console.log(
    `Base backup ${r.name}: ${r.files} files, ${mb(r.bytes)}, in ${r.dir}\n` +
      `  consistent from ${m.stopTime} (WAL ${m.startWalFile} … ${m.stopWalFile}), verified: every checksum matches, every WAL segment is archived.\n` +
      `  WAL archiving continues into ${backupDir}/wal; restore to any later moment with: npm run restore -- --to "YYYY-MM-DD HH:MM:SS"` +
      (r.removed.length ? `\n  removed ${r.removed.length} old file(s)/folder(s) beyond --keep ${args.keep}` : ""),
  );
  process.exit(0);
} catch (e) {
  console.error(`Backup failed: ${errorText(e)}`);
  process.exit(1);
}
