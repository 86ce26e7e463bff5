/**
 * `npm run migrate -- [--allow-destructive]`: brings the database to the configuration
 * (the same connection logic as `npm start`, see connect.ts) and prints the steps applied, or
 * that the schema is up to date. A change that would lose data is refused and listed unless
 * --allow-destructive is given.
 */
import { connectFromEnv, startupMessage } from "./connect.ts";
import { commandLine } from "./args.ts";

const USAGE = `Usage: npm run migrate -- [--allow-destructive]
  Brings the database to the configuration (CONF_DIR; DATA_DIR or DATABASE_URL as for npm start).
  --allow-destructive   apply changes that drop or narrow data (refused and listed otherwise)`;
let allowDestructive = false;
try {
  allowDestructive =
    commandLine({ usage: USAGE, options: { "allow-destructive": { type: "boolean" } } }).values["allow-destructive"] ===
    true;
} catch (e) {
  console.error((e as Error).message);
  process.exit(2);
}

try {
  const conn = await connectFromEnv({ allowDestructive, log: (line) => console.log(line) });
  const steps = conn.platform.migration;
  const { database, server, confRoot } = conn.describe;
  console.log(
    steps.length
      ? `Database "${database}" (${server}) migrated to the configuration ${confRoot}: ${steps.length} step(s) applied` +
          (steps.some((s) => s.destructive) ? ", including destructive ones" : "")
      : `Database "${database}" (${server}) is up to date with the configuration ${confRoot}`,
  );
  await conn.stop();
} catch (e) {
  console.error(startupMessage(e));
  process.exit(1);
}
