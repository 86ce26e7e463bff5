/**
 * `npm test`: starts one embedded PostgreSQL for the whole run (unless TEST_DATABASE_URL names
 * a server), runs every *.test.ts under tests/ with mocha, and ends with the line CI reads:
 * "N passed, N failed".
 */
import "./helpers/quiet-log.ts";
import Mocha from "mocha";
import { readdirSync, statSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { startEmbedded } from "../server/storage/embedded.ts";
import { ROOT } from "./helpers/db.ts";

function find(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((e) => {
      const p = join(dir, e);
      if (statSync(p).isDirectory()) return e === "fixtures" ? [] : find(p);
      return e.endsWith(".test.ts") ? [p] : [];
    });
}

const filter = process.argv.slice(2);
let stop: (() => Promise<void>) | undefined;
let dir: string | undefined;
if (!process.env.TEST_DATABASE_URL) {
  dir = mkdtempSync(join(tmpdir(), "zhkh-test-"));
  const db = await startEmbedded(dir);
  process.env.TEST_DATABASE_URL = db.url;
  stop = db.stop;
}
const mocha = new Mocha({ timeout: 120_000, reporter: "spec" });
const files = find(join(ROOT, "tests")).filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)));
for (const f of files) mocha.addFile(f);
await mocha.loadFilesAsync();
const result = await new Promise<{ passed: number; failed: number }>((res) => {
  const runner = mocha.run(() => res({ passed: runner.stats?.passes ?? 0, failed: runner.stats?.failures ?? 0 }));
});
if (stop) await stop().catch(() => {});
if (dir) rmSync(dir, { recursive: true, force: true });
console.log(`\n${result.passed} passed, ${result.failed} failed`);
process.exit(result.failed > 0 || result.passed === 0 ? 1 : 0);
