/**
 * `npm run audit -- verify [--area N]`: checks the journal of user actions (server/journal) in
 * every data area: each entry's content against its hash, each hash against the previous one,
 * the sequence (deleted entries leave a gap) and the chain's head (entries deleted from the end).
 * Opens the platform the way `npm start` does (cli/connect.ts: DATABASE_URL or the embedded
 * PostgreSQL in DATA_DIR — the application's own server when it is running — CONF_DIR,
 * APP_DB_PASSWORD); goes through every area in _areas and every area with journal rows
 * (cli/areas.ts) and reads each through the application role. Prints each problem naming the entry and exits 1
 * if there is any; otherwise prints every area's entry count and head hash (worth keeping
 * outside the database: a rewritten chain would end in another hash) and exits 0.
 */
import type { Platform } from "../platform.ts";
import { runOnPlatform } from "./run.ts";
import { table } from "./table.ts";
import { tx } from "../storage/db.ts";
import { verifyJournal, type Problem } from "../journal/verify.ts";
import { areasWithRows, INCOMPLETE } from "./areas.ts";
import { commandLine, intOption } from "./args.ts";

const USAGE = `Usage: npm run audit -- verify [--area N]
  verify    check the journal of user actions' chains (every data area, or --area N) and print each area's head (exit 1 on any problem)`;

function parseArgs(argv: string[]): { area?: number } {
  const { values } = commandLine({ usage: USAGE, commands: ["verify"], options: { area: { type: "string" } } }, argv);
  return { area: intOption(values.area, "area", 1, USAGE) };
}

async function main(args: { area?: number }, platform: Platform): Promise<number> {
  const { db } = platform;
  const all = await areasWithRows(db.owner, ["_journal_head", "_journal"]);
  if (!all.complete) console.log(INCOMPLETE);
  let areas = all.areas;
  if (args.area !== undefined) {
    if (!areas.includes(args.area))
      throw new Error(`Unknown argument: there is no data area ${args.area} (areas: ${areas.join(", ")})`);
    areas = [args.area];
  }
  const found: (Problem & { area: number })[] = [];
  const summary: string[][] = [];
  for (const area of areas) {
    const r = await tx(db.app, area, (c) => verifyJournal(c));
    for (const p of r.problems) found.push({ ...p, area });
    summary.push([
      String(area),
      String(r.entries),
      r.head?.seq ?? "0",
      r.head?.hash ?? "-",
      r.problems.length ? `${r.problems.length} problem(s)` : "ok",
    ]);
  }
  console.log(table(["area", "entries", "head", "head hash", "result"], summary));
  if (found.length === 0) {
    console.log(`\nThe journal is intact: every entry matches its hash and the chain in ${areas.length} data area(s).`);
    return 0;
  }
  console.log("");
  console.log(
    table(
      ["area", "entry", "problem", "what"],
      found.map((p) => [String(p.area), p.seq === "-" ? "-" : `#${p.seq}`, p.kind, p.message]),
    ),
  );
  console.log(`\n${found.length} problem(s): the journal was modified outside the application.`);
  return 1;
}

runOnPlatform(parseArgs, main, /^Unknown/);
