// `npm run registers -- verify|rebuild`: on a database with a corrupted total, verify prints the
// difference and exits 1, rebuild repairs it, and verify then exits 0.
import { expect } from "chai";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { ROOT, TEST_APP_PASSWORD, WAREHOUSE, testPlatform } from "../helpers/db.ts";
import type { Platform } from "../../server/platform.ts";
import { tx } from "../../server/storage/db.ts";
import { writeRecordSet } from "../../server/registers/index.ts";

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

describe("npm run registers", function () {
  this.timeout(120_000);
  let p: Platform;
  before(async () => {
    p = await testPlatform();
    await tx(p.db.app, 1, async (c) => {
      const w = (await c.query(`INSERT INTO cat_warehouses(code, name) VALUES ('00001', 'Main') RETURNING id`)).rows[0]
        .id;
      const pr = (await c.query(`INSERT INTO cat_products(code, name) VALUES ('00000000001', 'Nails') RETURNING id`))
        .rows[0].id;
      await writeRecordSet(
        c,
        p.conf,
        p.conf.accumulationRegisters.get("Stock")!,
        { id: randomUUID(), kind: "GoodsReceipt" },
        [
          {
            period: "2024-04-02T10:00:00",
            recordKind: 1,
            values: { Warehouse: w, Product: pr, Quantity: "7", Amount: "70" },
          },
        ],
      );
    });
  });
  after(() => p?.close());

  it("verify reports a corrupted total and exits 1; rebuild repairs it", async () => {
    let r = await cli(p, "verify");
    expect(r.out, r.out).to.contain("Totals agree with the movements");
    expect(r.code).to.equal(0);
    await p.db.owner.query(`UPDATE acc_stock__totals SET quantity = quantity + 2`);
    r = await cli(p, "verify", "--register", "Stock");
    expect(r.code, r.out).to.equal(1);
    expect(r.out).to.match(
      /acc_stock__totals\s+Warehouse=[0-9a-f-]+, Product=[0-9a-f-]+\s+2024-04-01\s+quantity\s+9\.000\s+7\.000/,
    );
    r = await cli(p, "rebuild");
    expect(r.code, r.out).to.equal(0);
    expect(r.out).to.match(/1\s+Stock\s+1\s+totals rewritten/);
    r = await cli(p, "verify");
    expect(r.code, r.out).to.equal(0);
    r = await cli(p, "verify", "--register", "Nope");
    expect(r.code).to.equal(2);
    expect(r.out).to.contain('There is no accumulation register "Nope"');
  });
});
