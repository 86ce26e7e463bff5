// GroupAccrual refusals and the account list: double accrual of a month (naming the other
// document), a connected service without a tariff (nothing written), Заполнить (open accounts
// by code, of a building), "all accounts" when the list is empty, and advances consumed.
import { expect } from "chai";
import type { Platform } from "../../server/platform.ts";
import * as docs from "../../server/documents/service.ts";
import { balance } from "../../server/registers/index.ts";
import {
  accrualPlatform,
  account,
  accrue,
  inArea,
  item,
  linesByService,
  movements,
  rejects,
  seedWorld,
  total,
  type World,
} from "./accrual-fixtures.ts";

describe("accrual: refusals, the account list and advances", function () {
  let p: Platform;
  let w: World;
  const simple = (body = {}) => account(w, body, ["Тех. обслуживание", "Вывоз мусора"]);

  before(async () => {
    p = await accrualPlatform("accref");
    w = await seedWorld(p);
  });
  after(() => p?.close());

  it("refuses a second accrual of the same month for an account, naming the other document", async () => {
    const a = await simple();
    const b = await simple();
    const first = await accrue(p, "2012-03-01", [a]);
    const e = await rejects(accrue(p, "2012-03-20", [b, a]));
    expect(e.message).to.include(`№${first.number}`).and.include("от 28.03.2012").and.include("март 2012");
    const code = (await inArea(p, (ctx) => ctx.c.query("SELECT code FROM cat_personal_accounts WHERE id = $1", [a])))
      .rows[0].code;
    expect(e.message).to.include(code);
    expect(e.field).to.equal("Accounts[2].Account");
    // Another month, or only the other account, is fine; and reposting the first document itself is no double accrual.
    await accrue(p, "2012-04-01", [a]);
    await accrue(p, "2012-03-01", [b]);
    await inArea(p, (ctx) => docs.postDocument(ctx, "GroupAccrual", first.id));
    // A penalties-only document does not collide with a services accrual.
    await accrue(p, "2012-03-01", [a], { AccrueServices: false, AccruePenalties: false });
  });

  it("two accruals of one month posted at the same moment: one is posted, the other refused", async () => {
    const a = await simple();
    // Written first (numbering serializes creation), then posted at once.
    const drafts = await Promise.all(
      [1, 2, 3].map(() =>
        inArea(p, (ctx) =>
          docs.createDocument(ctx, "GroupAccrual", {
            date: "2012-09-28T12:00:00",
            Month: "2012-09-01",
            AccrueServices: true,
            AccruePenalties: false,
            Accounts: [{ Account: a }],
          }),
        ),
      ),
    );
    const results = await Promise.allSettled(
      drafts.map((d) => inArea(p, (ctx) => docs.postDocument(ctx, "GroupAccrual", d.id as string))),
    );
    const ok = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(ok).to.have.length(1);
    expect(refused).to.have.length(2);
    for (const r of refused) expect(String(r.reason?.message)).to.include("уже начислен");
    const s = await inArea(p, (ctx) =>
      balance(ctx.c, p.conf.accumulationRegisters.get("Settlements")!, undefined, { Account: a }),
    );
    const once = await inArea(p, (ctx) =>
      docs.documentMovements(ctx, "GroupAccrual", (ok[0] as PromiseFulfilledResult<Record<string, string>>).value.id),
    );
    expect(total(s)).to.equal(total(once.Accruals.rows));
  });

  it("refuses an 'all accounts' accrual when one of them is already accrued for the month", async () => {
    const other = await item(p, "Buildings", { name: "д.57", Address: "ул. Балтийская, д.57", TotalArea: "100.00" });
    const a = await simple({ Building: other });
    const first = await accrue(p, "2012-05-01", [a]);
    const e = await rejects(accrue(p, "2012-05-01", [], { Building: other }));
    expect(e.message).to.include(`№${first.number}`);
    expect(e.field).to.equal("Month");
    const e2 = await rejects(accrue(p, "2012-05-01", [a]));
    expect(e2.message).to.include(`№${first.number}`);
  });

  it("refuses a connected service without a tariff for its tariff kind, naming both; nothing is written", async () => {
    const kind = await item(p, "TariffKinds", { name: "Льготный" });
    const a = await account(w, {}, []);
    await inArea(p, (ctx) =>
      docs.createDocument(
        ctx,
        "AccountServiceChange",
        {
          date: "2012-06-01T00:00:00",
          Account: a,
          Services: [
            {
              Account: a,
              Service: w.services["Вывоз мусора"],
              TariffKind: kind,
              ChangeDate: "2012-06-01",
              Status: "Connected",
            },
          ],
        },
        { post: true },
      ),
    );
    const before = (await inArea(p, (ctx) => ctx.c.query("SELECT count(*)::int AS n FROM doc_group_accrual"))).rows[0]
      .n;
    const e = await rejects(accrue(p, "2012-06-01", [a]));
    expect(e.message).to.include("«Вывоз мусора»").and.include("«Льготный»");
    const after = (await inArea(p, (ctx) => ctx.c.query("SELECT count(*)::int AS n FROM doc_group_accrual"))).rows[0].n;
    expect(after).to.equal(before);
    const rows = await inArea(p, (ctx) =>
      ctx.c.query("SELECT count(*)::int AS n FROM acc_accruals WHERE account = $1", [a]),
    );
    expect(rows.rows[0].n).to.equal(0);
  });

  it("fills Accounts with the accounts open in the month, by code, optionally of one building", async () => {
    const b2 = await item(p, "Buildings", { name: "д.59", Address: "ул. Балтийская, д.59", TotalArea: "100.00" });
    const open = await simple({ Building: b2, Opened: "2012-07-31" });
    await simple({ Building: b2, Opened: "2012-08-01" }); // opened after the month
    await simple({ Building: b2, Opened: "2011-01-01", Closed: "2012-06-30" }); // closed before it
    const closing = await simple({ Building: b2, Opened: "2011-01-01", Closed: "2012-07-01" });
    const rows = await inArea(p, (ctx) =>
      docs.fillTable(ctx, "GroupAccrual", null, "Accounts", { Month: "2012-07-15", Building: b2 }),
    );
    const ids = rows.map((r) => r.Account);
    expect(ids).to.have.members([open, closing]);
    const codes = (
      await inArea(p, (ctx) =>
        ctx.c.query("SELECT id, code FROM cat_personal_accounts WHERE id = ANY($1::uuid[])", [ids]),
      )
    ).rows;
    const byId = new Map(codes.map((r: any) => [r.id, r.code]));
    expect(ids.map((i) => byId.get(i))).to.deep.equal([...ids.map((i) => byId.get(i))].sort());
    const all = await inArea(p, (ctx) =>
      docs.fillTable(ctx, "GroupAccrual", null, "Accounts", { Month: "2012-07-15" }),
    );
    expect(all.length).to.be.greaterThan(ids.length);
    const e = await rejects(inArea(p, (ctx) => docs.fillTable(ctx, "GroupAccrual", null, "Accounts", {})));
    expect(e.field).to.equal("Month");
  });

  it("accrues every open account of the building when the list is empty", async () => {
    const b3 = await item(p, "Buildings", { name: "д.61", Address: "ул. Балтийская, д.61", TotalArea: "100.00" });
    const x = await simple({ Building: b3 });
    const y = await simple({ Building: b3, Residents: "1" });
    await simple({ Building: b3, Closed: "2012-07-31" });
    const doc = await accrue(p, "2012-08-01", [], { Building: b3 });
    const rows = (await movements(p, doc.id)).Accruals.rows;
    expect(new Set(rows.map((r: any) => r.Account))).to.deep.equal(new Set([x, y]));
    expect(total(rows)).to.equal("1295.00"); // 147.50 + 750.00 + 147.50 + 250.00
  });

  it("accrues penalties when asked (none without overdue debt) and consumes an advance with the new charges", async () => {
    const a = await simple();
    await inArea(p, (ctx) =>
      docs.createDocument(
        ctx,
        "Payment",
        { date: "2012-08-20T10:00:00", Account: a, Amount: "500.00" },
        { post: true },
      ),
    );
    const credit = await inArea(p, (ctx) =>
      balance(ctx.c, p.conf.accumulationRegisters.get("Settlements")!, "2012-08-31T23:59:59", { Account: a }),
    );
    expect(total(credit)).to.equal("-500.00");
    const doc = await accrue(p, "2012-09-01", [a]);
    expect(total(Object.values(await linesByService(w, doc.id)))).to.equal("897.50");
    const after = await inArea(p, (ctx) =>
      balance(ctx.c, p.conf.accumulationRegisters.get("Settlements")!, "2012-09-30T23:59:59", { Account: a }),
    );
    expect(total(after)).to.equal("397.50");
    expect(after.filter((r: any) => r.Service === null)).to.have.length(0); // the advance key is used up
    const withPenalties = await accrue(p, "2012-10-01", [a], { AccruePenalties: true });
    const mv = await movements(p, withPenalties.id);
    expect(total(mv.Accruals.rows)).to.equal("897.50");
    expect(mv.Penalties.rows).to.have.length(0);
  });
});
