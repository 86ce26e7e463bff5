/**
 * `npm run audit -- verify`: the journal's owner-side tampering is found and named — a modified
 * entry, a deleted one, two entries swapped, entries cut from the end — each in its own data
 * area; the CLI prints the entry and exits 1, and 0 on an intact journal.
 */
import { expect } from "chai";
import { execFile } from "node:child_process";
import { join } from "node:path";
import type { Platform } from "../../server/platform.ts";
import { recordEvent } from "../../server/journal/journal.ts";
import { verifyJournal } from "../../server/journal/verify.ts";
import { tx } from "../../server/storage/db.ts";
import { ROOT, TEST_APP_PASSWORD, WAREHOUSE, testPlatform } from "../helpers/db.ts";

function audit(p: Platform, ...args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((res) => {
    execFile(
      join(ROOT, "node_modules", ".bin", "tsx"),
      [join(ROOT, "server", "cli", "audit.ts"), ...args],
      {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: p.db.ownerUrl, CONF_DIR: WAREHOUSE, APP_DB_PASSWORD: TEST_APP_PASSWORD },
      },
      (err, stdout, stderr) =>
        res({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
    );
  });
}

describe("security: npm run audit -- verify", function () {
  this.timeout(120_000);
  let p: Platform;
  const problems = (area: number) => tx(p.db.app, area, (c) => verifyJournal(c)).then((r) => r.problems);
  before(async () => {
    p = await testPlatform(undefined, "audit");
    for (const area of [1, 2, 3, 4, 5]) {
      await p.db.owner.query(`INSERT INTO _areas(area, name) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
        area,
        `area ${area}`,
      ]);
      for (let i = 1; i <= 6; i++)
        await tx(p.db.app, area, (c) =>
          recordEvent(c, {
            area,
            actor: { userId: "u1", login: "petrov", ip: "127.0.0.1" },
            action: "update",
            objectKind: "catalog",
            objectName: "Units",
            objectId: `obj-${i}`,
            details: { fields: { name: [`v${i}`, `v${i + 1}`] } },
          }),
        );
    }
  });
  after(() => p?.close());

  it("an intact journal verifies: exit 0 with every area's head", async () => {
    const r = await audit(p, "verify");
    expect(r.code, r.out).to.equal(0);
    expect(r.out).to.contain("The journal is intact");
    expect(r.out).to.match(/\n1\s+6\s+6\s+[0-9a-f]{64}\s+ok/);
  });

  it("names a modified, a deleted, a reordered entry and entries cut from the end", async () => {
    const own = (sql: string) => p.db.owner.query(sql);
    // area 1: someone rewrites what an entry says (and even recomputes its content hash)
    await own(`UPDATE _journal SET details = '{"fields":{"name":["v3","hacked"]}}' WHERE area = 1 AND seq = 3`);
    expect(await problems(1)).to.deep.include({ kind: "modified", seq: "3", message: (await problems(1))[0].message });
    expect((await problems(1))[0].message).to.match(
      /^entry #3 modified: its content \(.*petrov, update, Units\) does not match its content hash/,
    );
    // area 2: an entry is deleted
    await own(`DELETE FROM _journal WHERE area = 2 AND seq = 4`);
    expect((await problems(2)).map((x) => [x.kind, x.seq])).to.deep.equal([["deleted", "4"]]);
    // area 3: entries #2 and #3 swap places
    await own(`UPDATE _journal SET seq = -seq WHERE area = 3 AND seq IN (2, 3)`);
    await own(`UPDATE _journal SET seq = CASE seq WHEN -2 THEN 3 ELSE 2 END WHERE area = 3 AND seq IN (-2, -3)`);
    expect((await problems(3)).map((x) => [x.kind, x.seq])).to.deep.equal([
      ["reordered", "2"],
      ["reordered", "3"],
    ]);
    expect((await problems(3))[0].message).to.match(/entry #2 .* was moved: it was chained as #3/);
    // area 4: the last two entries are removed
    await own(`DELETE FROM _journal WHERE area = 4 AND seq >= 5`);
    expect((await problems(4)).map((x) => x.message)).to.deep.equal([
      "entry #5…#6 deleted from the end: the chain's head is at #6, the last entry is #4",
    ]);
    // area 5: a content hash rewritten to fit a modified entry (the chained hash gives it away)
    await own(`UPDATE _journal SET action = 'delete', content_hash = repeat('a', 64) WHERE area = 5 AND seq = 2`);
    expect((await problems(5)).map((x) => [x.kind, x.seq])).to.deep.equal([["modified", "2"]]);

    const r = await audit(p, "verify");
    expect(r.code, r.out).to.equal(1);
    for (const line of [
      /1\s+#3\s+modified\s+entry #3 modified/,
      /2\s+#4\s+deleted\s+entry #4 deleted/,
      /3\s+#2\s+reordered/,
      /4\s+#5\s+deleted\s+entry #5…#6 deleted from the end/,
      /5\s+#2\s+modified/,
    ])
      expect(r.out).to.match(line);
    expect(r.out).to.contain("problem(s): the journal was modified outside the application");
    const one = await audit(p, "verify", "--area", "2");
    expect(one.code).to.equal(1);
    expect(one.out).not.to.match(/\n1\s+#3/);
    const bad = await audit(p, "check");
    expect(bad.code).to.equal(2);
    expect(bad.out).to.contain("Usage: npm run audit -- verify");
  });
});
