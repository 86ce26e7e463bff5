// The accounting register of the warehouse fixture (chart Accounts, register Accounting, posted by
// the document Operation): balances on their sides, turnovers, balance and turnovers,
// correspondence, the sub-account filter, a one-sided off-balance entry, refusals that post
// nothing, «Движения» as entries, and verify — each against figures computed by hand.
import { expect } from "chai";
import { testPlatform } from "../helpers/db.ts";
import type { Platform } from "../../server/platform.ts";
import * as cat from "../../server/catalogs/service.ts";
import * as docs from "../../server/documents/service.ts";
import { inArea, rejects } from "../helpers/services.ts";
import {
  accountingBalance,
  accountingBalanceAndTurnovers,
  accountingTurnovers,
  correspondence,
  listEntries,
} from "../../server/accounting/read.ts";
import { predefinedId } from "../../server/accounting/accounts.ts";
import { verify } from "../../server/registers/index.ts";
import { queryApi } from "../../server/documents/context.ts";

type Row = Record<string, unknown>;

describe("accounting register (chart of accounts, entries, balances)", function () {
  this.timeout(60_000);
  let p: Platform;
  const reg = () => p.conf.accountingRegisters.get("Accounting")!;
  const id: Record<string, string> = {};
  let docA = "";
  let docB = "";

  const operation = (date: string, Entries: Row[], Content = "Операция") =>
    inArea(p, (ctx) => docs.createDocument(ctx, "Operation", { date, Content, Entries }, { post: true }));

  /** Balance rows as "code|analytics…" → [Dr, Cr]. */
  const sides = (rows: Row[], res = "Amount") =>
    Object.fromEntries(
      rows.map((r) => [
        [r.Account, r.Analytics1, r.Analytics2].filter((x) => x !== null).join("|"),
        [r[`${res}Dr`], r[`${res}Cr`]],
      ]),
    );

  before(async () => {
    p = await testPlatform();
    await inArea(p, async (ctx) => {
      id.W = (await cat.createCatalogItem(ctx, "Warehouses", { name: "Основной" })).id;
      id.P1 = (await cat.createCatalogItem(ctx, "Products", { name: "Болт", ProductKind: "Goods" })).id;
      id.P2 = (await cat.createCatalogItem(ctx, "Products", { name: "Гайка", ProductKind: "Goods" })).id;
      for (const c of ["C1", "C2", "C3"])
        id[c] = (await cat.createCatalogItem(ctx, "Counterparties", { name: `Контрагент ${c}` })).id;
    });
    docA = (
      await operation("2026-01-10T10:00:00", [
        { AccountDr: "51", AccountCr: "80", Amount: "100000.00" },
        {
          AccountDr: "41",
          AccountCr: "60",
          Product: id.P1,
          Warehouse: id.W,
          Counterparty: id.C1,
          Quantity: "10",
          Amount: "30000.00",
        },
        {
          AccountDr: "41",
          AccountCr: "60",
          Product: id.P2,
          Warehouse: id.W,
          Counterparty: id.C2,
          Quantity: "5",
          Amount: "20000.00",
        },
        { AccountDr: "60", AccountCr: "51", Counterparty: id.C1, Amount: "40000.00" },
      ])
    ).id as string;
    docB = (
      await operation("2026-02-05T10:00:00", [
        { AccountDr: "62", AccountCr: "90.01", Counterparty: id.C3, ProductKind: "Goods", Amount: "45000.00" },
        {
          AccountDr: "90.02",
          AccountCr: "41",
          Product: id.P1,
          Warehouse: id.W,
          ProductKind: "Goods",
          Quantity: "5",
          Amount: "15000.00",
        },
        { AccountDr: "50", AccountCr: "62", Counterparty: id.C3, Amount: "45000.00" },
        { AccountDr: "MZ", Product: id.P1, Quantity: "3", Amount: "7000.00" },
      ])
    ).id as string;
  });
  after(() => p.close());

  it("writes the predefined accounts of the chart with their fixed ids, sub-accounts under their parent", async () => {
    const rows = await inArea(p, (ctx) => queryApi(ctx).query("catalog", "Accounts", {}));
    expect(rows.map((r) => r.code)).to.deep.equal([
      "10",
      "41",
      "50",
      "51",
      "60",
      "62",
      "80",
      "90",
      "90.01",
      "90.02",
      "MZ",
    ]);
    const sub = rows.find((r) => r.code === "90.01")!;
    expect(sub.id).to.equal(predefinedId("Accounts", "90.01"));
    expect(sub.parent).to.equal(predefinedId("Accounts", "90"));
    expect(sub.Kind).to.equal("passive");
    expect(rows.find((r) => r.code === "MZ")!.OffBalance).to.equal(true);
    expect(rows.find((r) => r.code === "41")!.Analytics2).to.equal("Warehouses");
  });

  it("balance at the end: each account on its side, active-passive expanded by analytics", async () => {
    const rows = await inArea(p, (ctx) => accountingBalance(ctx.c, p.conf, reg()));
    expect(sides(rows)).to.deep.equal({
      "50": ["45000.00", "0.00"],
      "51": ["60000.00", "0.00"],
      "80": ["0.00", "100000.00"],
      [`41|${id.P1}|${id.W}`]: ["15000.00", "0.00"],
      [`41|${id.P2}|${id.W}`]: ["20000.00", "0.00"],
      [`60|${id.C1}`]: ["10000.00", "0.00"], // an advance to C1: a debit balance
      [`60|${id.C2}`]: ["0.00", "20000.00"], // owed to C2: a credit balance
      "90.01|Goods": ["0.00", "45000.00"],
      "90.02|Goods": ["15000.00", "0.00"],
      [`MZ|${id.P1}`]: ["7000.00", "0.00"],
    });
    // Σ Дт = Σ Кт over the balance accounts (the off-balance MZ stands alone)
    const sum = (k: string) => rows.filter((r) => r.Account !== "MZ").reduce((s, r) => s + Number(r[k]) * 100, 0) / 100;
    expect(sum("AmountDr")).to.equal(165000);
    expect(sum("AmountCr")).to.equal(165000);
    expect(sides(rows, "Quantity")[`41|${id.P1}|${id.W}`]).to.deep.equal(["5.000", "0.000"]);
    expect(rows.find((r) => r.Account === "60" && r.Analytics1 === id.C2)!.Analytics).to.deep.equal({
      Counterparties: id.C2,
    });
  });

  it("balance at a moment, and a filter by an account includes its sub-accounts", async () => {
    const jan = await inArea(p, (ctx) => accountingBalance(ctx.c, p.conf, reg(), "2026-01-31"));
    expect(Object.keys(sides(jan)).sort()).to.deep.equal(
      ["51", "80", `41|${id.P1}|${id.W}`, `41|${id.P2}|${id.W}`, `60|${id.C1}`, `60|${id.C2}`].sort(),
    );
    const s90 = await inArea(p, (ctx) => accountingBalance(ctx.c, p.conf, reg(), undefined, { Account: "90" }));
    expect(sides(s90)).to.deep.equal({ "90.01|Goods": ["0.00", "45000.00"], "90.02|Goods": ["15000.00", "0.00"] });
    const p1 = await inArea(p, (ctx) =>
      accountingBalance(ctx.c, p.conf, reg(), undefined, { Account: "41", Analytics1: id.P1 }),
    );
    expect(sides(p1)).to.deep.equal({ [`41|${id.P1}|${id.W}`]: ["15000.00", "0.00"] });
    const err = await rejects(
      inArea(p, (ctx) => accountingBalance(ctx.c, p.conf, reg(), undefined, { Account: "99" })),
    );
    expect(err.message).to.equal("Бухгалтерский учет, отбор Account: счета «99» нет в плане счетов «План счетов»");
  });

  it("turnovers Дт/Кт over a period, by month", async () => {
    const rows = await inArea(p, (ctx) =>
      accountingTurnovers(ctx.c, p.conf, reg(), "2026-01-01", "2026-02-28", "none", { Account: "60" }),
    );
    const t = Object.fromEntries(rows.map((r) => [r.Analytics1, [r.AmountTurnoverDr, r.AmountTurnoverCr]]));
    expect(t).to.deep.equal({ [id.C1]: ["40000.00", "30000.00"], [id.C2]: ["0.00", "20000.00"] });
    const monthly = await inArea(p, (ctx) =>
      accountingTurnovers(ctx.c, p.conf, reg(), "2026-01-01", "2026-02-28", "month", { Account: "51" }),
    );
    expect(monthly.map((r) => [r.period, r.AmountTurnoverDr, r.AmountTurnoverCr])).to.deep.equal([
      ["2026-01-01", "100000.00", "40000.00"],
    ]);
  });

  it("balance and turnovers: opening, turnovers and closing on their sides", async () => {
    const rows = await inArea(p, (ctx) =>
      accountingBalanceAndTurnovers(ctx.c, p.conf, reg(), "2026-02-01", "2026-02-28", "none", { Account: "41" }),
    );
    const by = Object.fromEntries(rows.map((r) => [r.Analytics1, r]));
    expect([
      by[id.P1].AmountOpeningBalanceDr,
      by[id.P1].AmountTurnoverCr,
      by[id.P1].AmountClosingBalanceDr,
    ]).to.deep.equal(["30000.00", "15000.00", "15000.00"]);
    expect([by[id.P2].AmountOpeningBalanceDr, by[id.P2].AmountClosingBalanceDr]).to.deep.equal([
      "20000.00",
      "20000.00",
    ]);
    expect(by[id.P1].QuantityClosingBalanceDr).to.equal("5.000");
  });

  it("correspondence turnovers: Дт × Кт pairs, one-sided off-balance entries, a filter by account", async () => {
    const all = await inArea(p, (ctx) => correspondence(ctx.c, p.conf, reg(), "2026-01-01", "2026-12-31"));
    expect(all.map((r) => [r.AccountDr, r.AccountCr, r.Amount])).to.deep.equal([
      ["41", "60", "50000.00"],
      ["50", "62", "45000.00"],
      ["51", "80", "100000.00"],
      ["60", "51", "40000.00"],
      ["62", "90.01", "45000.00"],
      ["90.02", "41", "15000.00"],
      ["MZ", null, "7000.00"],
    ]);
    const feb90 = await inArea(p, (ctx) =>
      correspondence(ctx.c, p.conf, reg(), "2026-02-01", "2026-02-28", { AccountDr: "90" }),
    );
    expect(feb90.map((r) => [r.AccountDr, r.AccountCr, r.Amount])).to.deep.equal([["90.02", "41", "15000.00"]]);
  });

  it("«Движения» of a document are its entries: Дт, Кт, analytics, amount, content", async () => {
    const mv = await inArea(p, (ctx) => docs.documentMovements(ctx, "Operation", docB));
    expect(mv.Accounting.kind).to.equal("accountingRegister");
    const rows = mv.Accounting.rows;
    expect(rows.map((r) => [r.AccountDr, r.AccountCr, r.Amount, r.Content])).to.deep.equal([
      ["62", "90.01", "45000.00", "Операция"],
      ["90.02", "41", "15000.00", "Операция"],
      ["50", "62", "45000.00", "Операция"],
      ["MZ", null, "7000.00", "Операция"],
    ]);
    expect(rows[1].AnalyticsCr).to.deep.equal({ Products: id.P1, Warehouses: id.W });
    expect(rows[0].AnalyticsCr).to.deep.equal({ ProductKinds: "Goods" });
    const list = await inArea(p, (ctx) =>
      listEntries(ctx.c, p.conf, reg(), { from: "2026-01-01", to: "2026-01-31T23:59:59", filter: { Account: "80" } }),
    );
    expect(list.map((r) => [r.AccountDr, r.AccountCr, r.Amount, r.recorder])).to.deep.equal([
      ["51", "80", "100000.00", docA],
    ]);
  });

  it("refuses an entry whose account is not in the chart, naming it; nothing is posted", async () => {
    const doc = await inArea(p, (ctx) =>
      docs.createDocument(ctx, "Operation", {
        date: "2026-03-01T10:00:00",
        Entries: [
          { AccountDr: "51", AccountCr: "80", Amount: "1.00" },
          { AccountDr: "99.99", AccountCr: "51", Amount: "5.00" },
        ],
      }),
    );
    const err = await rejects(inArea(p, (ctx) => docs.postDocument(ctx, "Operation", doc.id as string)));
    expect(err.message).to.equal("Бухгалтерский учет, проводка 2: счета Дт «99.99» нет в плане счетов «План счетов»");
    expect(err.code).to.equal("unknown_account");
    const after = await inArea(p, (ctx) => docs.getDocument(ctx, "Operation", doc.id as string));
    expect(after.posted).to.equal(false);
    const mar = await inArea(p, (ctx) =>
      accountingTurnovers(ctx.c, p.conf, reg(), "2026-03-01", "2026-03-31", "none", {}),
    );
    expect(mar).to.deep.equal([]);
  });

  it("refuses a one-sided entry of a balance account, a parent account with sub-accounts, off-balance with balance", async () => {
    const post = async (Entries: Row[]) => {
      const d = await inArea(p, (ctx) =>
        docs.createDocument(ctx, "Operation", { date: "2026-03-02T10:00:00", Entries }),
      );
      return rejects(inArea(p, (ctx) => docs.postDocument(ctx, "Operation", d.id as string)));
    };
    expect((await post([{ AccountDr: "51", Amount: "1.00" }])).message).to.equal(
      "Бухгалтерский учет, проводка 1: не указан счет Кт; без корреспондирующего счета проводку принимает только забалансовый счет, а 51 — балансовый",
    );
    expect((await post([{ AccountDr: "62", AccountCr: "90", Counterparty: id.C3, Amount: "1.00" }])).message).to.equal(
      "Бухгалтерский учет, проводка 1: у счета 90 есть субсчета — укажите субсчет (90.01, 90.02)",
    );
    expect((await post([{ AccountDr: "MZ", AccountCr: "51", Amount: "1.00" }])).message).to.equal(
      "Бухгалтерский учет, проводка 1: забалансовый счет MZ не корреспондирует с балансовыми — сделайте для него одностороннюю проводку",
    );
  });

  it("an administrator's sub-account takes entries and counts in its parent's filter; verify is clean", async () => {
    await inArea(p, (ctx) =>
      cat.createCatalogItem(ctx, "Accounts", {
        code: "51.02",
        name: "Валютный счет",
        parent: predefinedId("Accounts", "51"),
        Kind: "active",
      }),
    );
    // 51 has a sub-account now: entries go to it
    await operation("2026-03-10T10:00:00", [{ AccountDr: "51.02", AccountCr: "80", Amount: "500.00" }]);
    const s51 = await inArea(p, (ctx) => accountingBalance(ctx.c, p.conf, reg(), undefined, { Account: "51" }));
    expect(sides(s51)).to.deep.equal({ "51": ["60000.00", "0.00"], "51.02": ["500.00", "0.00"] });
    expect(await inArea(p, (ctx) => verify(ctx.c, reg().storage))).to.deep.equal([]);
  });

  it("a set larger than a COPY batch goes the staged path and balances the same", async () => {
    const n = 2600; // 5,200 movements: more than COPY_THRESHOLD
    const big = await operation(
      "2026-03-20T10:00:00",
      Array.from({ length: n }, (_, i) => ({
        AccountDr: "41",
        AccountCr: "60",
        Product: i % 2 ? id.P1 : id.P2,
        Warehouse: id.W,
        Counterparty: id.C2,
        Quantity: "1",
        Amount: "1.25",
      })),
    );
    const c2 = await inArea(p, (ctx) =>
      accountingTurnovers(ctx.c, p.conf, reg(), "2026-03-20", "2026-03-20", "none", { Account: "60" }),
    );
    expect(c2.map((r) => [r.Analytics1, r.AmountTurnoverCr])).to.deep.equal([[id.C2, "3250.00"]]);
    const mv = await inArea(p, (ctx) => docs.documentMovements(ctx, "Operation", big.id as string));
    expect(mv.Accounting.rows).to.have.length(n);
    await inArea(p, (ctx) => docs.unpostDocument(ctx, "Operation", big.id as string));
    expect(await inArea(p, (ctx) => verify(ctx.c, reg().storage))).to.deep.equal([]);
  });

  it("checks an administrator's account: code, kind, off-balance as its parent, no analytics twice", async () => {
    const write = (body: Row) => rejects(inArea(p, (ctx) => cat.createCatalogItem(ctx, "Accounts", body)));
    const mz = predefinedId("Accounts", "MZ");
    expect((await write({ name: "Без кода", Kind: "active" })).message).to.equal(
      "План счетов: укажите код счета (например 62.05)",
    );
    expect((await write({ code: "52", name: "Без вида" })).message).to.equal(
      "План счетов: укажите вид счета (активный, пассивный или активно-пассивный)",
    );
    const off = await write({ code: "MZ.1", name: "Балансовый под забалансовым", Kind: "active", parent: mz });
    expect(off.message).to.equal("План счетов: счет MZ забалансовый — его субсчет должен быть таким же");
    expect(off.field).to.equal("OffBalance");
    const twice = await write({
      code: "53",
      name: "Дважды",
      Kind: "active",
      Analytics1: "Products",
      Analytics2: "Products",
    });
    expect(twice.message).to.equal("План счетов: субконто «Products» указано дважды");
  });

  it("an account marked for deletion takes no entries and is not written in again", async () => {
    const id80 = predefinedId("Accounts", "80");
    const cur = await inArea(p, (ctx) => cat.getCatalogItem(ctx, "Accounts", id80));
    await inArea(p, (ctx) =>
      cat.updateCatalogItem(ctx, "Accounts", id80, { version: cur.version, deletionMark: true }),
    );
    const d = await inArea(p, (ctx) =>
      docs.createDocument(ctx, "Operation", {
        date: "2026-03-25T10:00:00",
        Entries: [{ AccountDr: "50", AccountCr: "80", Amount: "1.00" }],
      }),
    );
    const err = await rejects(inArea(p, (ctx) => docs.postDocument(ctx, "Operation", d.id as string)));
    expect(err.message).to.equal("Бухгалтерский учет, проводка 1: счета Кт «80» нет в плане счетов «План счетов»");
    const rows = await inArea(p, (ctx) => queryApi(ctx).query("catalog", "Accounts", { code: "80" }));
    expect(rows.map((r) => [r.id, r.deletionMark])).to.deep.equal([[id80, true]]);
    const again = await inArea(p, (ctx) => cat.getCatalogItem(ctx, "Accounts", id80));
    await inArea(p, (ctx) =>
      cat.updateCatalogItem(ctx, "Accounts", id80, { version: again.version, deletionMark: false }),
    );
  });

  it("unposting removes the entries and their totals", async () => {
    await inArea(p, (ctx) => docs.unpostDocument(ctx, "Operation", docB));
    const rows = await inArea(p, (ctx) => accountingBalance(ctx.c, p.conf, reg(), undefined, { Account: "90" }));
    expect(rows).to.deep.equal([]);
    expect(await inArea(p, (ctx) => verify(ctx.c, reg().storage))).to.deep.equal([]);
  });
});
