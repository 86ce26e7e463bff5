// Every maintenance command reads its command line with node:util parseArgs (server/cli/args.ts):
// --help prints its usage and exits 0; an unknown option is refused with the usage, exit 2.
import { expect } from "chai";
import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../helpers/db.ts";

const run = (file: string, args: string[]) =>
  new Promise<{ code: number; out: string }>((res) => {
    execFile(
      process.execPath,
      ["--import", "tsx", join(ROOT, "server", "cli", file), ...args],
      { cwd: ROOT, timeout: 60_000 },
      (err, stdout, stderr) =>
        res({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
    );
  });

/** The commands (the modules others import are not commands). */
const COMMANDS = readdirSync(join(ROOT, "server", "cli")).filter(
  (f) => !["args.ts", "areas.ts", "connect.ts", "error-text.ts", "run.ts", "table.ts"].includes(f),
);

describe("platform: the command line of every maintenance command", function () {
  it("knows every command file", () => {
    expect(COMMANDS.sort()).to.deep.equal([
      "audit.ts",
      "backup.ts",
      "initial-data.ts",
      "migrate.ts",
      "registers.ts",
      "restore.ts",
      "standby.ts",
      "types.ts",
    ]);
  });
  for (const file of COMMANDS) {
    it(`${file}: --help prints the usage and exits 0; an unknown option is refused with it`, async () => {
      const help = await run(file, ["--help"]);
      expect(help.code, help.out).to.equal(0);
      expect(help.out).to.match(/^usage: npm run /im);
      const bad = await run(file, ["--no-such-option"]);
      expect(bad.code, bad.out).to.not.equal(0);
      expect(bad.out).to.match(/--no-such-option/);
      expect(bad.out).to.match(/usage: npm run /i);
    });
  }
});
