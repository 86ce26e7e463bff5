/**
 * `npm run restore -- [--to "2026-03-01 14:30"] [--backup NAME]`: point-in-time recovery of
 * the embedded database (DATA_DIR/pg) from BACKUP_DIR — see server/redundancy/restore.ts.
 * Stop the application first: a live database is never replaced. The database that was there
 * is moved aside, not deleted. Without --to, everything the archive holds is replayed.
 */
import { parseMoment, runRestore } from "../redundancy/restore.ts";
import { errorText } from "./error-text.ts";
import { setting } from "../config.ts";
import { commandLine } from "./args.ts";

const USAGE = 'Usage: npm run restore -- [--to "YYYY-MM-DD HH:MM:SS[+03:00]"] [--backup NAME]   (BACKUP_DIR, DATA_DIR)';

function parseArgs(argv: string[]): { to?: Date; backup?: string } {
  const { values } = commandLine(
    { usage: USAGE, options: { to: { type: "string" }, backup: { type: "string" } } },
    argv,
  );
  return {
    ...(values.to !== undefined ? { to: parseMoment(values.to) } : {}),
    ...(values.backup !== undefined ? { backup: values.backup } : {}),
  };
}

try {
  if (setting("DATABASE_URL")) {
    throw new Error(
      "DATABASE_URL is set: this command restores the embedded database in DATA_DIR. " +
        "For your own PostgreSQL server follow its point-in-time recovery procedure (docs/redundancy.md), or unset DATABASE_URL.",
    );
  }
  const args = parseArgs(process.argv.slice(2));
  const r = await runRestore({
    backupDir: setting("BACKUP_DIR"),
    dataDir: setting("DATA_DIR"),
    ...args,
    log: (l) => console.log(l),
  });
  console.log(
    `Restored from base backup ${r.backup}` +
      (args.to ? ` to ${args.to.toISOString()}` : " to the end of the archive") +
      (r.lastTransaction ? `; the last transaction replayed committed at ${r.lastTransaction}` : "") +
      `.\n` +
      (r.movedAside
        ? `The database that was there is kept in ${r.movedAside}; delete it once you are satisfied.\n`
        : "") +
      `Start the application (npm start), check the data, then take a fresh backup (npm run backup).`,
  );
  process.exit(0);
} catch (e) {
  console.error(`Restore failed: ${errorText(e)}`);
  process.exit(1);
}
