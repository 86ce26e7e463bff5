/**
 * `npm run bench [-- registers accrual client receipts pdf-merge journal]`: runs the benchmarks one after
 * another (each is also runnable alone: npx tsx bench/<name>.ts) and prints their tables.
 * Benchmarks are never part of `npm test`; the figures go to the README's Performance section.
 */
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const ALL = ["registers", "accrual", "client", "receipts", "pdf-merge", "journal"];
const chosen = process.argv.slice(2).length ? process.argv.slice(2) : ALL;
const unknown = chosen.filter((n) => !ALL.includes(n));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(", ")}; choose from ${ALL.join(", ")}`);
  process.exit(2);
}
let failed = 0;
for (const name of chosen) {
  console.log(`\n=== bench/${name}.ts ===`);
  const r = spawnSync(process.execPath, ["--import", "tsx", join(HERE, `${name}.ts`)], {
    stdio: "inherit",
    env: process.env,
  });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
