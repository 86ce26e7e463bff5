// The demo's bookkeeping (issue 16 §5): loaded through the documents' posting, November 2011 gives
// an ОСВ where 62.01's Дт turnover is the month's accruals of the seed's five accounts (57 553,73)
// and its Кт turnover the payment (1 994,77); Σ Дт = Σ Кт, and verify is clean.
import { expect } from "chai";
import { join } from "node:path";
import { Decimal } from "decimal.js";
import { ROOT, testPlatform } from "../helpers/db.ts";
import type { Platform } from "../../server/platform.ts";
import { loadInitialData } from "../../server/initial-data.ts";
import { inArea } from "../helpers/services.ts";
import { serve } from "../platform/api-client.ts";
import { accountingTurnovers, correspondence } from "../../server/accounting/read.ts";
import { sliceLast, verify } from "../../server/registers/index.ts";

const total = (rows: Record<string, unknown>[], key: string) =>
  rows.reduce((s, r) => s.plus(String(r[key] ?? 0)), new Decimal(0)).toFixed(2);

describe("accounting: the demo's November 2011 ОСВ", function () {
  this.timeout(120_000);
  let p: Platform;
  const reg = () => p.conf.accountingRegisters.get("Accounting")!;

  before(async () => {
    p = await testPlatform(join(ROOT, "metadata"), "accdemo");
    expect(await loadInitialData(p, 1)).to.equal(true);
  });
  after(async () => {
    await p?.close();
  });

  it("ships the accounting policy: one record for every organization and service with the 94н accounts", async () => {
    const rows = await inArea(p, (ctx) =>
      sliceLast(ctx.c, p.conf, p.conf.informationRegisters.get("AccountingPolicy")!, "2011-11-30T23:59:59"),
    );
    expect(
      rows.map((r) => [
        r.Organization,
        r.Service,
        r.ReceivableAccount,
        r.RevenueAccount,
        r.PenaltyAccount,
        r.BankAccount,
      ]),
    ).to.deep.equal([[null, null, "62.01", "90.01", "76.02", "51"]]);
  });

  it("62.01: Дт turnover = the month's accruals (57 553,73), Кт turnover = the payment (1 994,77)", async () => {
    const rows = await inArea(p, (ctx) =>
      accountingTurnovers(ctx.c, p.conf, reg(), "2011-11-01", "2011-11-30", "none", { Account: "62.01" }),
    );
    expect(total(rows, "AmountTurnoverDr")).to.equal("57553.73");
    expect(total(rows, "AmountTurnoverCr")).to.equal("1994.77");
  });

  it("the same through GET /api/registers/Accounting/turnovers (the ОСВ's route)", async () => {
    const { server, base } = await serve(p); // logged in as the administrator
    try {
      const r = await fetch(`${base}/api/registers/Accounting/turnovers?from=2011-11-01&to=2011-11-30&Account=62.01`);
      expect(r.status).to.equal(200);
      const { rows } = (await r.json()) as { rows: Record<string, unknown>[] };
      expect([total(rows, "AmountTurnoverDr"), total(rows, "AmountTurnoverCr")]).to.deep.equal(["57553.73", "1994.77"]);
    } finally {
      server.close();
    }
  });

  it("the month's entries: Дт 62.01 Кт 90.01 57 553,73, Дт 51 Кт 62.01 1 994,77; the October opening against 000", async () => {
    const pairs = async (from: string, to: string) =>
      (await inArea(p, (ctx) => correspondence(ctx.c, p.conf, reg(), from, `${to}T23:59:59`))).map((r) => [
        r.AccountDr,
        r.AccountCr,
        r.Amount,
      ]);
    expect(await pairs("2011-11-01", "2011-11-30")).to.deep.equal([
      ["51", "62.01", "1994.77"],
      ["62.01", "90.01", "57553.73"],
    ]);
    expect(await pairs("2011-10-01", "2011-10-31")).to.deep.equal([
      ["62.01", "000", "2045.64"],
      ["76.02", "000", "192.64"],
    ]);
  });

  it("Σ Дт = Σ Кт in every month, and verify finds no difference", async () => {
    for (const [from, to] of [
      ["2011-10-01", "2011-10-31"],
      ["2011-11-01", "2011-11-30"],
      ["2011-12-01", "2011-12-31"],
    ]) {
      const rows = await inArea(p, (ctx) => accountingTurnovers(ctx.c, p.conf, reg(), from, to, "none"));
      expect(total(rows, "AmountTurnoverDr"), from).to.equal(total(rows, "AmountTurnoverCr"));
    }
    expect(await inArea(p, (ctx) => verify(ctx.c, reg().storage))).to.deep.equal([]);
  });
});
