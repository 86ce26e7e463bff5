/**
 * `npm run migrate -- [--allow-destructive]`: brings the database to the configuration
 * (the same connection logic as `npm start`, see connect.ts) and prints the steps applied, or
 * that the schema is up to date. A change that would lose data is refused and listed unless
 * --allow-destructive is given.
 */
import { connectFromEnv, startupMessage } from "./connect.ts";

const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== "--allow-destructive");
if (unknown.length) {
  console.error(`Unknown argument(s): ${unknown.join(" ")}\nUsage: npm run migrate -- [--allow-destructive]`);
  process.exit(2);
}

try {
  const conn = await connectFromEnv({ allowDestructive: args.includes("--allow-destructive"), log: (line) => console.log(line) });
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
