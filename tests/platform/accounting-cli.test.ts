// `npm run registers -- verify|rebuild` covers accounting registers: entries posted by a document,
// a corrupted debit turnover in the register's totals is reported by verify (exit 1), rebuild
// repairs it and verify exits 0 again.
import { expect } from "chai";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { ROOT, TEST_APP_PASSWORD, WAREHOUSE, testPlatform } from "../helpers/db.ts";
import type { Platform } from "../../server/platform.ts";
import * as docs from "../../server/documents/service.ts";
import { inArea } from "../helpers/services.ts";

function cli(p: Platform, ...args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((res) => {
    execFile(
      join(ROOT, "node_modules", ".bin", "tsx"),
      [join(ROOT, "server", "cli", "registers.ts"), ...args],
      {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: p.db.ownerUrl, CONF_DIR: WAREHOUSE, APP_DB_PASSWORD: TEST_APP_PASSWORD },
      },
      (err, stdout, stderr) =>
        res({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
    );
  });
}

describe("npm run registers: accounting registers", function () {
  this.timeout(120_000);
  let p: Platform;
  before(async () => {
    p = await testPlatform();
    await inArea(p, (ctx) =>
      docs.createDocument(
        ctx,
        "Operation",
        { date: "2026-05-05", Entries: [{ AccountDr: "51", AccountCr: "80", Amount: "500.00" }] },
        { post: true },
      ),
    );
  });
  after(() => p?.close());

  it("verify reports a corrupted total of Accounting and exits 1; rebuild repairs it", async () => {
    let r = await cli(p, "verify", "--register", "Accounting");
    expect(r.code, r.out).to.equal(0);
    await p.db.owner.query(`UPDATE acc_accounting__totals SET amount_receipt = amount_receipt + 1`);
    r = await cli(p, "verify", "--register", "Accounting");
    expect(r.code, r.out).to.equal(1);
    expect(r.out).to.match(
      /acc_accounting__totals\s+Account=[0-9a-f-]+.*2026-05-01\s+amount_receipt\s+501\.00\s+500\.00/,
    );
    r = await cli(p, "rebuild");
    expect(r.code, r.out).to.equal(0);
    expect(r.out).to.match(/1\s+Accounting\s+2\s+totals rewritten/); // both keys: 51 and 80
    r = await cli(p, "verify");
    expect(r.code, r.out).to.equal(0);
  });
});
