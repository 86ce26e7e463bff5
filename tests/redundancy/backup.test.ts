// Backups and point-in-time recovery, through the operator's commands: the application runs
// on its embedded PostgreSQL; `npm run backup` turns WAL archiving on (a restart) and takes a
// verified base backup; more receipts are posted after it; then a mistaken mass unpost. The
// application is stopped, `npm run restore -- --to <just before>` brings back every document
// and balance — including those posted after the base backup, from the archived WAL — and the
// register totals verify. A restore over a running database is refused; a damaged backup file
// is caught by its checksum.
import { expect } from "chai";
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { connectFromEnv, type Connected } from "../../server/cli/connect.ts";
import * as docs from "../../server/documents/service.ts";
import { listBackups, verifyBackup } from "../../server/redundancy/manifest.ts";
import { parseMoment, runRestore } from "../../server/redundancy/restore.ts";
import { ROOT, WAREHOUSE } from "../helpers/db.ts";
import { inArea } from "../helpers/services.ts";
import {
  expectedStock,
  makeStockroom,
  postReceipt,
  registerDifferences,
  stockByProduct,
  tempRoot,
  sleep,
  type Receipt,
} from "./helpers.ts";

function run(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string }> {
  return new Promise((res) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "server", "cli", script), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("close", (code) => res({ code: code ?? -1, out }));
  });
}

describe("redundancy: backups and point-in-time recovery", function () {
  this.timeout(120_000);
  const root = tempRoot("backup");
  const env = {
    DATA_DIR: join(root.dir, "data"),
    BACKUP_DIR: join(root.dir, "backups"),
    CONF_DIR: WAREHOUSE,
    DATABASE_URL: "",
  };
  let conn: Connected | undefined;
  const receipts: Receipt[] = [];

  const start = async () => (conn = await connectFromEnv({ env: { ...env, DATABASE_URL: undefined } }));
  const stop = async () => {
    await conn?.stop();
    conn = undefined;
  };

  after(async () => {
    await stop().catch(() => {});
    root.remove();
  });

  it("takes a verified base backup with WAL archiving, restores to just before a mass unpost, and every document and balance is back", async () => {
    let p = (await start()).platform;
    const s = await makeStockroom(p);
    for (let i = 0; i < 12; i++) receipts.push(await postReceipt(p, s, i));

    // The first backup switches archiving on; the running application's server needs a restart.
    const first = await run("backup.ts", [], env);
    expect(first.code, first.out).to.equal(3);
    expect(first.out).to.match(/Restart the application/);
    await stop();
    p = (await start()).platform;
    const second = await run("backup.ts", [], env);
    expect(second.code, second.out).to.equal(0);
    expect(second.out).to.match(/verified: every checksum matches, every WAL segment is archived/);
    const [backup] = listBackups(env.BACKUP_DIR);
    expect(backup.manifest.files.length).to.be.greaterThan(500);
    expect(existsSync(join(backup.dir, "data", "backup_label"))).to.equal(true);

    // Postings after the base backup exist only in the WAL.
    for (let i = 12; i < 24; i++) receipts.push(await postReceipt(p, s, i));
    const good = await stockByProduct(p);
    expect(good).to.deep.equal(expectedStock(receipts));
    const moment: string = (await p.db.owner.query("SELECT clock_timestamp()::text AS t")).rows[0].t;
    // A gap between the moment and the mistake, as an operator would have it: part of the
    // scenario, not a wait for anything (a loaded machine only makes the gap longer).
    await sleep(1100);

    // The mistake: every receipt unposted.
    for (const r of receipts) await inArea(p, (ctx) => docs.unpostDocument(ctx, "GoodsReceipt", r.id));
    expect((await stockByProduct(p)).size).to.equal(0);

    // A live database is never replaced.
    const refused = await runRestore({
      backupDir: env.BACKUP_DIR,
      dataDir: env.DATA_DIR,
      to: parseMoment(moment),
    }).then(
      () => "restored",
      (e: Error) => e.message,
    );
    expect(refused).to.match(/is running on .*Stop the application first/s);

    await stop();
    const restored = await run("restore.ts", ["--to", moment], env);
    expect(restored.code, restored.out).to.equal(0);
    expect(readdirSync(env.DATA_DIR).some((f) => f.startsWith("pg.before-restore-"))).to.equal(true);

    p = (await start()).platform;
    for (const r of receipts) {
      const d = await inArea(p, (ctx) => docs.getDocument(ctx, "GoodsReceipt", r.id));
      expect(d.posted, `receipt ${d.number}`).to.equal(true);
    }
    expect(await stockByProduct(p)).to.deep.equal(good);
    expect(await registerDifferences(p)).to.deep.equal([]);
    // The restored database carries on: new postings, archived on the new timeline.
    receipts.push(await postReceipt(p, s, 99));
    expect((await stockByProduct(p)).get(receipts[receipts.length - 1].product)).to.not.equal(
      good.get(receipts[receipts.length - 1].product),
    );
    const history = await p.db.owner.query("SELECT timeline_id FROM pg_control_checkpoint()");
    expect(Number(history.rows[0].timeline_id)).to.be.greaterThan(1);
  });

  it("catches a damaged backup file by its checksum and a missing WAL segment", async () => {
    const [backup] = listBackups(env.BACKUP_DIR);
    const victim = backup.manifest.files.find((f) => f.path.startsWith("base/") && f.size > 8192)!;
    const path = join(backup.dir, "data", victim.path);
    const original = readFileSync(path);
    const damaged = Buffer.from(original);
    damaged[4000] ^= 0xff;
    writeFileSync(path, damaged);
    const seg = join(env.BACKUP_DIR, "wal", backup.manifest.startWalFile);
    renameSync(seg, seg + ".aside");
    try {
      const problems = await verifyBackup(backup.dir, [join(env.BACKUP_DIR, "wal")]);
      expect(problems).to.deep.equal([
        `${victim.path}: checksum differs from the manifest (the file was changed or damaged)`,
        `WAL segment ${backup.manifest.startWalFile}: not archived (needed to make this backup consistent)`,
      ]);
    } finally {
      writeFileSync(path, original);
      renameSync(seg + ".aside", seg);
    }
    expect(await verifyBackup(backup.dir, [join(env.BACKUP_DIR, "wal")])).to.deep.equal([]);
  });
});
