/**
 * `npm run registers -- verify|rebuild [--register Name]`: checks (or repairs) the totals of
 * every accumulation register in every data area against the movements (registers/verify.ts).
 * Opens the platform the way `npm start` does (cli/connect.ts: DATABASE_URL or the embedded
 * PostgreSQL in DATA_DIR — the application's own server when it is running — CONF_DIR,
 * APP_DB_PASSWORD); goes through every area in _areas and every area whose rows are in a
 * register's tables (cli/areas.ts) and works in each through the application role, so
 * row-level security scopes every query.
 * verify prints the differences as a table and exits 1 if there are any; rebuild prints what
 * it repaired.
 */
import { accumulationStorages } from "../metadata/accounting.ts";
import type { Platform } from "../platform.ts";
import { runOnPlatform } from "./run.ts";
import { table } from "./table.ts";
import { tx } from "../storage/db.ts";
import { rebuild, verify, type Difference } from "../registers/verify.ts";
import { accumulationTables } from "../registers/tables.ts";
import { areasWithRows, INCOMPLETE } from "./areas.ts";
import { commandLine } from "./args.ts";

const USAGE = `Usage: npm run registers -- verify|rebuild [--register Name]
  verify   recompute every accumulation register's totals from its movements, in every data area, and print the differences (exit 1 if any)
  rebuild  repair the totals from the movements
  --register Name   only this register`;
const MAX_ROWS = 500;

interface Args {
  command: "verify" | "rebuild";
  register?: string;
}

function parseArgs(argv: string[]): Args {
  const { command, values } = commandLine(
    { usage: USAGE, commands: ["verify", "rebuild"], options: { register: { type: "string" } } },
    argv,
  );
  return { command: command as Args["command"], register: values.register };
}

const keyText = (k: Record<string, unknown>) =>
  Object.entries(k)
    .map(([n, v]) => `${n}=${v ?? "<empty>"}`)
    .join(", ") || "(no dimensions)";

async function main(args: Args, platform: Platform): Promise<number> {
  const { conf, db } = platform;
  // accounting registers too: they are stored as accumulation registers (metadata/accounting.ts)
  const all = accumulationStorages(conf);
  const regs = all.filter((r) => !args.register || r.name === args.register);
  if (args.register && regs.length === 0) {
    const known = all.map((r) => r.name).join(", ") || "none";
    throw new Error(`There is no accumulation register "${args.register}" (registers: ${known})`);
  }
  const { areas, complete } = await areasWithRows(
    db.owner,
    regs.flatMap((r) => accumulationTables(r).map((t) => t.name)),
  );
  if (!complete) console.log(INCOMPLETE);
  const found: (Difference & { area: number; register: string })[] = [];
  const repaired: string[][] = [];
  for (const area of areas) {
    for (const reg of regs) {
      if (args.command === "verify") {
        for (const d of await tx(db.app, area, (c) => verify(c, reg))) found.push({ ...d, area, register: reg.name });
      } else {
        const r = await tx(db.app, area, (c) => rebuild(c, reg));
        repaired.push([
          String(area),
          reg.name,
          String(r.differences.length),
          r.rewritten
            ? `totals rewritten: ${r.totalsRows} month row(s), ${r.balanceRows} balance row(s)`
            : "nothing to repair",
        ]);
      }
    }
  }
  if (args.command === "rebuild") {
    console.log(table(["area", "register", "differences", "action"], repaired));
    return 0;
  }
  if (found.length === 0) {
    console.log(`Totals agree with the movements: ${regs.length} register(s) in ${areas.length} data area(s).`);
    return 0;
  }
  const rows = found
    .slice(0, MAX_ROWS)
    .map((d) => [
      String(d.area),
      d.register,
      d.table,
      keyText(d.key),
      d.month ?? "",
      d.column,
      d.stored ?? "(missing)",
      d.computed ?? "(missing)",
    ]);
  console.log(table(["area", "register", "table", "key", "month", "column", "stored", "computed"], rows));
  if (found.length > MAX_ROWS) console.log(`… and ${found.length - MAX_ROWS} more`);
  console.log(
    `\n${found.length} difference(s). Repair with: npm run registers -- rebuild${args.register ? ` --register ${args.register}` : ""}`,
  );
  return 1;
}

runOnPlatform(parseArgs, main, /^(Unknown|There is no)/);
