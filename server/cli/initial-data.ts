/**
 * `npm run demo:reset`: wipes the data area (DEFAULT_AREA, default 1) and loads the
 * configuration's initial data again (see server/initial-data.ts). Connection as npm start.
 */
import { connectFromEnv, startupMessage, errorText } from "./connect.ts";
import { loadInitialData } from "../initial-data.ts";
import { setting } from "../config.ts";
import { commandLine } from "./args.ts";

commandLine({
  usage:
    "Usage: npm run demo:reset\n  Wipes the data area DEFAULT_AREA (default 1) and loads the configuration's initial data again.",
  options: {},
});
const area = setting("DEFAULT_AREA");
const conn = await connectFromEnv({ log: (l) => console.log(l) }).catch((e) => {
  console.error(startupMessage(e));
  process.exit(1);
});
try {
  const ran = await loadInitialData(conn.platform, area, { reset: true });
  console.log(
    ran
      ? `Area ${area}: data wiped and initial data loaded from ${conn.describe.confRoot}`
      : `${conn.describe.confRoot} has no initial-data.ts: nothing loaded`,
  );
} catch (e) {
  console.error(`Initial data not loaded, nothing changed: ${errorText(e)}`);
  process.exitCode = 1;
} finally {
  await conn.stop();
}
