// «Закрытие месяца» (MonthClose, docs/bookkeeping.md), every figure by hand: a small company's
// month (revenue 1 000, cost 600 on 20.01, 26 = 100, other income 50 → 99 = 350 profit); a repost
// recomputes; 26 distributed by two services' revenue to the kopeck; «Директ-костинг»; a loss;
// December's reform 99 → 84; the refusals (this month closed by another document, a later month
// closed) with nothing posted.
import { expect } from "chai";
import type { Platform } from "../../server/platform.ts";
import { loadInitialData } from "../../server/initial-data.ts";
import { doc, getDoc, item, movements, openZhkh, post, rejects, type Row } from "./documents-fixtures.ts";
import { acc, entryLines, net, openLedger, turns } from "./accounting-documents-fixtures.ts";

describe("configuration: MonthClose «Закрытие месяца» (issue 16 §2)", function () {
  this.timeout(120_000);
  let p: Platform;
  const id: Record<string, string> = {};
  const names: Record<string, string> = {};
  const closes: Record<string, Row> = {};
  /** The close's entries as lines, sorted (within a step their order follows the analytics' ids). */
  const sorted = (lines: string[]) => [...lines].sort();
  const closeLines = async (docId: string) => sorted(await entryLines(p, "MonthClose", docId, names));
  const op = (date: string, Entries: Row[]) => doc(p, "ManualOperation", { date, Entries });
  /** Revenue Дт 62.01 Кт 90.01 of a service. */
  const sale = (service: string, amount: string) => ({
    AccountDr: acc("62.01"),
    ServiceDr: service,
    AccountCr: acc("90.01"),
    ServiceCr: service,
    Amount: amount,
  });
  const cost = (account: string, amount: string, an: Row) => ({
    AccountDr: acc(account),
    ...an,
    AccountCr: acc("60.01"),
    CounterpartyCr: id.supplier,
    Amount: amount,
  });

  before(async () => {
    p = await openLedger("zclose");
    id.s1 = (await item(p, "Services", { name: "Содержание", CalculationMethod: "Fixed" })).id;
    id.s2 = (await item(p, "Services", { name: "Вывоз мусора", CalculationMethod: "Fixed" })).id;
    id.works = (await item(p, "CostItems", { name: "Работы подрядчиков" })).id;
    id.admin = (await item(p, "CostItems", { name: "Управленческие" })).id;
    id.other = (await item(p, "CostItems", { name: "Прочие доходы" })).id;
    id.supplier = (await item(p, "Counterparties", { name: "Подрядчик" })).id;
    Object.assign(names, { [id.s1]: "S1", [id.s2]: "S2", [id.works]: "W", [id.admin]: "A", [id.other]: "O" });
  });
  after(() => p?.close());

  it("January: revenue 1 000, cost 600 on 20.01, 26 = 100 distributed, other income 50 → 99 = 350 profit", async () => {
    await op("2026-01-15T10:00:00", [
      sale(id.s1, "1000.00"),
      cost("20.01", "600.00", { ServiceDr: id.s1, CostItemDr: id.works }),
      cost("26", "100.00", { CostItemDr: id.admin }),
      { AccountDr: acc("51"), AccountCr: acc("91.01"), CostItemCr: id.other, Amount: "50.00" },
    ]);
    const c = await doc(p, "MonthClose", { date: "2026-02-01T09:00:00", Month: "2026-01-15" });
    closes.jan = c;
    expect(c.Month).to.equal("2026-01-01");
    expect(c.DirectCosting).to.equal(false);
    expect(await closeLines(c.id)).to.deep.equal(
      sorted([
        "Дт 20.01 Кт 26 100.00 Дт{Services=S1,CostItems=A} Кт{CostItems=A}",
        "Дт 90.02 Кт 20.01 100.00 Дт{Services=S1} Кт{Services=S1,CostItems=A}",
        "Дт 90.02 Кт 20.01 600.00 Дт{Services=S1} Кт{Services=S1,CostItems=W}",
        "Дт 90.01 Кт 90.09 1000.00 Дт{Services=S1}",
        "Дт 90.09 Кт 90.02 700.00 Кт{Services=S1}",
        "Дт 90.09 Кт 99 300.00",
        "Дт 91.01 Кт 91.09 50.00 Дт{CostItems=O}",
        "Дт 91.09 Кт 99 50.00",
      ]),
    );
    const rows = await movements(p, "MonthClose", c.id, "Accounting");
    expect(rows.every((r) => String(r.period).startsWith("2026-01-31T23:59:59"))).to.equal(true);
    expect(await net(p, "99")).to.equal("-350.00"); // credit: profit
    for (const a of ["20", "26", "90", "91"]) expect(await net(p, a), a).to.equal("0.00");
    // revenue stays the credit turnover of 90.01 (the close adds only debit turnover)
    expect(await turns(p, "90.01", "2026-01-01T00:00:00", "2026-01-31T23:59:59")).to.deep.equal(["1000.00", "1000.00"]);
  });

  it("a repost recomputes from the balances (its own previous entries not counted)", async () => {
    await op("2026-01-20T10:00:00", [
      { AccountDr: acc("51"), AccountCr: acc("91.01"), CostItemCr: id.other, Amount: "10.00" },
    ]);
    await post(p, "MonthClose", String(closes.jan.id));
    expect(await net(p, "99")).to.equal("-360.00");
    expect(await net(p, "91")).to.equal("0.00");
    await post(p, "MonthClose", String(closes.jan.id));
    expect(await net(p, "99")).to.equal("-360.00");
  });

  it("refuses a second close of a closed month, naming the document; nothing posted", async () => {
    const e = await rejects(doc(p, "MonthClose", { date: "2026-02-02T09:00:00", Month: "2026-01-01" }));
    expect(e.message).to.equal(
      `Закрытие месяца 01.2026: месяц уже закрыт документом №${closes.jan.number} — проведите его повторно`,
    );
    expect(await net(p, "99")).to.equal("-360.00");
  });

  it("February: 26 = 100,01 distributed by revenue 300 / 700 to the kopeck (30,00 / 70,01); other expense 20", async () => {
    await op("2026-02-10T10:00:00", [
      sale(id.s1, "300.00"),
      sale(id.s2, "700.00"),
      cost("20.01", "200.00", { ServiceDr: id.s1, CostItemDr: id.works }),
      cost("26", "100.01", { CostItemDr: id.admin }),
      { AccountDr: acc("91.02"), CostItemDr: id.other, AccountCr: acc("51"), Amount: "20.00" },
    ]);
    const c = await doc(p, "MonthClose", { date: "2026-03-01T09:00:00", Month: "2026-02-01" });
    closes.feb = c;
    const lines = await entryLines(p, "MonthClose", c.id, names);
    expect(lines.slice(0, 2).sort()).to.deep.equal(
      [
        `Дт 20.01 Кт 26 30.00 Дт{Services=S1,CostItems=A} Кт{CostItems=A}`,
        `Дт 20.01 Кт 26 70.01 Дт{Services=S2,CostItems=A} Кт{CostItems=A}`,
      ].sort(),
    );
    // 90.09: 1 000 − (200 + 30,00 + 70,01) = 699,99; 91.09: −20 → 99 gets 699,99 − 20 = 679,99
    expect(lines).to.include("Дт 90.09 Кт 99 699.99");
    expect(lines).to.include("Дт 99 Кт 91.09 20.00");
    expect(await net(p, "99")).to.equal("-1039.99"); // 360 + 679,99
    for (const a of ["20", "26", "90", "91"]) expect(await net(p, a), a).to.equal("0.00");
  });

  it("refuses to repost a month when a later month is closed; nothing changes", async () => {
    const e = await rejects(post(p, "MonthClose", String(closes.jan.id)));
    expect(e.message).to.match(
      new RegExp(
        `^Закрытие месяца 01\\.2026: уже закрыт более поздний месяц 02\\.2026 \\(документ №${closes.feb.number}\\)`,
      ),
    );
    expect(JSON.stringify(e)).to.include("Month");
    expect((await getDoc(p, "MonthClose", String(closes.jan.id))).posted).to.equal(true);
    expect(await net(p, "99")).to.equal("-1039.99");
  });

  it("March with «Директ-костинг»: 26 straight to 90.02; a loss goes Дт 99 Кт 90.09", async () => {
    await op("2026-03-10T10:00:00", [
      sale(id.s1, "100.00"),
      cost("20.01", "150.00", { ServiceDr: id.s1, CostItemDr: id.works }),
      cost("26", "40.00", { CostItemDr: id.admin }),
    ]);
    const c = await doc(p, "MonthClose", { date: "2026-04-01T09:00:00", Month: "2026-03-01", DirectCosting: true });
    expect(await closeLines(c.id)).to.deep.equal(
      sorted([
        "Дт 90.02 Кт 26 40.00 Кт{CostItems=A}",
        "Дт 90.02 Кт 20.01 150.00 Дт{Services=S1} Кт{Services=S1,CostItems=W}",
        "Дт 90.01 Кт 90.09 100.00 Дт{Services=S1}",
        "Дт 90.09 Кт 90.02 150.00 Кт{Services=S1}",
        "Дт 90.09 Кт 90.02 40.00",
        "Дт 99 Кт 90.09 90.00",
      ]),
    );
    expect(await net(p, "99")).to.equal("-949.99");
    // the next close takes the last one's choice
    const next = await doc(p, "MonthClose", { date: "2026-05-01T09:00:00", Month: "2026-04-01" }, false);
    expect(next.DirectCosting).to.equal(true);
  });

  it("December: the month's result, then the year's 99 → 84 (балансовая реформация)", async () => {
    await op("2026-12-10T10:00:00", [sale(id.s1, "50.00")]);
    const c = await doc(p, "MonthClose", { date: "2027-01-10T09:00:00", Month: "2026-12-01" });
    expect(await closeLines(c.id)).to.deep.equal(
      sorted(["Дт 90.01 Кт 90.09 50.00 Дт{Services=S1}", "Дт 90.09 Кт 99 50.00", "Дт 99 Кт 84 999.99"]),
    );
    expect(await net(p, "99")).to.equal("0.00");
    expect(await net(p, "84")).to.equal("-999.99"); // 360 + 679,99 − 90 + 50
  });
});

describe("configuration: MonthClose on the demo's November 2011 (GroupAccrual's revenue)", function () {
  this.timeout(180_000);
  let p: Platform;
  before(async () => {
    p = await openZhkh("zclosedemo"); // empty: the initial data writes the chart's accounts itself
    expect(await loadInitialData(p, 1)).to.equal(true);
  });
  after(() => p?.close());

  it("closes the accrual's revenue 57 553,73 (Кт 90.01 by service) into 90.09 and then 99", async () => {
    const c = await doc(p, "MonthClose", { date: "2011-12-01T09:00:00", Month: "2011-11-01" });
    const rows = await movements(p, "MonthClose", c.id, "Accounting");
    const sum = (pred: (r: Row) => boolean) =>
      rows
        .filter(pred)
        .reduce((s, r) => s + Math.round(Number(r.Amount) * 100), 0)
        .toString();
    // the revenue per service, moved whole: 90.01 → 90.09
    expect(sum((r) => r.AccountDr === "90.01" && r.AccountCr === "90.09")).to.equal("5755373");
    expect(
      rows.filter((r) => r.AccountCr === "99" || r.AccountDr === "99").map((r) => [r.AccountDr, r.AccountCr]),
    ).to.deep.equal([["90.09", "99"]]);
    const end = "2011-11-30T23:59:59"; // the demo goes on into December
    expect(await net(p, "90", end)).to.equal("0.00");
    expect(await net(p, "99", end)).to.equal("-57553.73");
  });
});
