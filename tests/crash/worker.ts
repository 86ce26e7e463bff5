/**
 * The process the crash tests kill with SIGKILL: it opens the platform (which migrates the
 * database to the configuration) and then does one long operation in one transaction:
 *   node --import tsx tests/crash/worker.ts <ownerUrl> <confRoot> migrate
 *   node --import tsx tests/crash/worker.ts <ownerUrl> <confRoot> post <document name> <id>
 *   node --import tsx tests/crash/worker.ts <ownerUrl> <confRoot> batch <document name> <items.json>
 * It prints "working" when the operation starts and "done" when it has committed. With
 * CRASH_WORKER_GATE=stdin it prints "ready" once the platform is open and starts the operation
 * only when a line arrives on stdin: the test can set up a barrier in between.
 */
import { readFileSync } from "node:fs";
import { openPlatform } from "../../server/platform.ts";
import { tx } from "../../server/storage/db.ts";
import { postDocument } from "../../server/documents/service.ts";
import { createDocuments } from "../../server/documents/batch.ts";
import { TEST_APP_PASSWORD } from "../helpers/db.ts";

const [ownerUrl, confRoot, mode, name, arg] = process.argv.slice(2);
if (mode === "migrate") process.stdout.write("working\n");
const p = await openPlatform({ confRoot, ownerUrl, appPassword: TEST_APP_PASSWORD });
if (process.env.CRASH_WORKER_GATE === "stdin") {
  process.stdout.write("ready\n");
  await new Promise((res) => process.stdin.once("data", res));
  process.stdin.pause();
}
try {
  if (mode === "post") {
    process.stdout.write("working\n");
    await tx(p.db.app, 1, (c) => postDocument({ c, conf: p.conf, area: 1 }, name, arg));
  } else if (mode === "batch") {
    const items = JSON.parse(readFileSync(arg, "utf8"));
    process.stdout.write("working\n");
    await tx(p.db.app, 1, (c) => createDocuments({ c, conf: p.conf, area: 1 }, name, items, { post: true }));
  } else if (mode !== "migrate") throw new Error(`unknown mode ${mode}`);
  process.stdout.write("done\n");
} finally {
  await p.close();
}
