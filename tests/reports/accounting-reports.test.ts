// The accountant's reports (issue 16 §4, docs/bookkeeping.md «Отчеты») on a hand-made set of
// entries, every figure computed by hand below. January 2025 (before the period): Дт 51 Кт 80
// 100 000; Дт 26 Кт 60.01 30 000; Дт 62.01 Кт 90.01 120 000; Дт 51 Кт 62.01 90 000; an advance
// Дт 51 Кт 62.02 5 000; Дт 60.01 Кт 51 20 000. February 2025 (the period): ПКО from the bank
// Дт 50.01 Кт 51 15 000 (03.02), РКО to an employee Дт 71 Кт 50.01 4 000 (03.02), РКО to the
// supplier Дт 60.01 Кт 50.01 3 000 (05.02); Дт 91.02 Кт 51 1 000 and Дт 51 Кт 91.01 2 500 (10.02);
// Дт 90.02 Кт 26 30 000 (20.02); Дт 99 Кт 68.12 1 200 (25.02); Дт 51 Кт 62.01 20 000 (26.02).
import { expect } from "chai";
import { join } from "node:path";
import { ensurePredefinedAccounts, predefinedId } from "../../server/accounting/accounts.ts";
import { closePrinter } from "../../server/reports/pdf.ts";
import { ROOT } from "../helpers/db.ts";
import { doc, inArea, item, type Row } from "../configuration/documents-fixtures.ts";
import { csvRows, pdfText, plain, startDemo, type Demo } from "./helpers.ts";
import { startSecure } from "../security/helpers.ts";

const acc = (code: string) => predefinedId("ChartOfAccounts", code);

describe("reports: the accountant's reports (issue 16 §4)", function () {
  this.timeout(180_000);
  let d: Demo;
  const id: Record<string, string> = {};
  const numbers: Record<string, string> = {};
  const csv = async (name: string, params: unknown) => {
    const r = await d.render(name, params, "csv");
    expect(r.status, r.text).to.equal(200);
    return csvRows(r.text);
  };
  const op = (date: string, Entries: Row[]) => doc(d.platform, "ManualOperation", { date, Content: "Тест", Entries });

  before(async () => {
    d = await startDemo(join(ROOT, "metadata"), false);
    const p = d.platform;
    await inArea(p, (ctx) => ensurePredefinedAccounts(ctx.c, p.conf));
    id.org = (
      await item(p, "Organizations", {
        name: "ТСЖ Тест",
        Inn: "1001234567",
        TaxRegime: "SimplifiedIncomeMinusExpenses",
      })
    ).id;
    id.b1 = (
      await item(p, "Buildings", { name: "ул. Первая, д.1", Address: "ул. Первая, д.1", Organization: id.org })
    ).id;
    id.b2 = (
      await item(p, "Buildings", { name: "ул. Вторая, д.2", Address: "ул. Вторая, д.2", Organization: id.org })
    ).id;
    id.s = (await item(p, "Services", { name: "Содержание", CalculationMethod: "Fixed" })).id;
    id.a = (await item(p, "Counterparties", { name: "Подрядчик", FullName: "ООО «Подрядчик»" })).id;
    id.e = (await item(p, "Employees", { name: "Петров Петр Петрович" })).id;
    id.x = (await item(p, "CostItems", { name: "Прочее" })).id;
    await op("2025-01-10T10:00:00", [{ AccountDr: acc("51"), AccountCr: acc("80"), Amount: "100000.00" }]);
    await op("2025-01-15T10:00:00", [
      { AccountDr: acc("26"), CostItemDr: id.x, AccountCr: acc("60.01"), CounterpartyCr: id.a, Amount: "30000.00" },
    ]);
    await op("2025-01-20T10:00:00", [
      {
        AccountDr: acc("62.01"),
        BuildingDr: id.b1,
        ServiceDr: id.s,
        AccountCr: acc("90.01"),
        ServiceCr: id.s,
        Amount: "120000.00",
      },
    ]);
    await op("2025-01-25T10:00:00", [
      { AccountDr: acc("51"), AccountCr: acc("62.01"), BuildingCr: id.b1, ServiceCr: id.s, Amount: "90000.00" },
    ]);
    await op("2025-01-26T10:00:00", [
      { AccountDr: acc("51"), AccountCr: acc("62.02"), BuildingCr: id.b2, Amount: "5000.00" },
    ]);
    await op("2025-01-28T10:00:00", [
      { AccountDr: acc("60.01"), CounterpartyDr: id.a, AccountCr: acc("51"), Amount: "20000.00" },
    ]);
    const r1 = await doc(p, "CashReceipt", {
      date: "2025-02-03T10:00:00",
      OperationKind: "FromBank",
      Amount: "15000.00",
      Organization: id.org,
    });
    const r2 = await doc(p, "CashDisbursement", {
      date: "2025-02-03T11:00:00",
      OperationKind: "ToEmployee",
      Employee: id.e,
      Amount: "4000.00",
      Organization: id.org,
    });
    const r3 = await doc(p, "CashDisbursement", {
      date: "2025-02-05T10:00:00",
      OperationKind: "ToSupplier",
      Counterparty: id.a,
      Amount: "3000.00",
      Organization: id.org,
    });
    Object.assign(numbers, { r1: r1.number, r2: r2.number, r3: r3.number });
    await op("2025-02-10T10:00:00", [
      { AccountDr: acc("91.02"), CostItemDr: id.x, AccountCr: acc("51"), Amount: "1000.00" },
      { AccountDr: acc("51"), AccountCr: acc("91.01"), CostItemCr: id.x, Amount: "2500.00" },
    ]);
    await op("2025-02-20T10:00:00", [
      { AccountDr: acc("90.02"), ServiceDr: id.s, AccountCr: acc("26"), CostItemCr: id.x, Amount: "30000.00" },
    ]);
    await op("2025-02-25T10:00:00", [{ AccountDr: acc("99"), AccountCr: acc("68.12"), Amount: "1200.00" }]);
    await op("2025-02-26T10:00:00", [
      { AccountDr: acc("51"), AccountCr: acc("62.01"), BuildingCr: id.b1, ServiceCr: id.s, Amount: "20000.00" },
    ]);
  });
  after(async () => {
    await closePrinter();
    await d?.close();
  });

  const FEB = { from: "2025-02-01", to: "2025-02-28" };

  it("each report renders as HTML, PDF and CSV", async () => {
    const cases: [string, unknown, string][] = [
      ["trial-balance", FEB, "Оборотно-сальдовая ведомость"],
      ["account-card", { ...FEB, account: acc("51") }, "Карточка счета 51"],
      ["account-analysis", { ...FEB, account: acc("51") }, "Анализ счета 51"],
      ["cash-book", FEB, "КАССА за 03.02.2025"],
      ["balance-sheet", { date: "2025-02-28" }, "Бухгалтерский баланс"],
      ["financial-results", { from: "2025-01-01", to: "2025-02-28" }, "Отчет о финансовых результатах"],
      ["income-expense-book", { year: 2025 }, "КНИГА учета доходов и расходов"],
    ];
    for (const [name, params, title] of cases) {
      const html = await d.render(name, params);
      expect(html.status, html.text).to.equal(200);
      expect(html.text, name).to.include(title);
      const pdf = await d.render(name, params, "pdf");
      expect(pdf.status, name).to.equal(200);
      expect((await pdfText(pdf.bytes)).text, name).to.include(title);
      expect((await d.render(name, params, "csv")).status, name).to.equal(200);
    }
  });
  const line = (r: Record<string, string>) =>
    [
      r["Счет"] || r["Наименование"],
      r["Сальдо на начало Дт"],
      r["Сальдо на начало Кт"],
      r["Оборот Дт"],
      r["Оборот Кт"],
      r["Сальдо на конец Дт"],
      r["Сальдо на конец Кт"],
    ].join(" ");

  it("ОСВ: per first-level account opening, turnovers and closing on their sides (62 and 90 expanded), Σ Дт = Σ Кт", async () => {
    const rows = await csv("trial-balance", FEB);
    expect(rows.map(line)).to.deep.equal([
      "26 30000,00 0,00 0,00 30000,00 0,00 0,00",
      "50 0,00 0,00 15000,00 7000,00 8000,00 0,00",
      "51 175000,00 0,00 22500,00 16000,00 181500,00 0,00",
      "60 0,00 10000,00 3000,00 0,00 0,00 7000,00",
      "62 30000,00 5000,00 0,00 20000,00 10000,00 5000,00",
      "68 0,00 0,00 0,00 1200,00 0,00 1200,00",
      "71 0,00 0,00 4000,00 0,00 4000,00 0,00",
      "80 0,00 100000,00 0,00 0,00 0,00 100000,00",
      "90 0,00 120000,00 30000,00 0,00 30000,00 120000,00",
      "91 0,00 0,00 1000,00 2500,00 1000,00 2500,00",
      "99 0,00 0,00 1200,00 0,00 1200,00 0,00",
      "Итого 235000,00 235000,00 76700,00 76700,00 235700,00 235700,00",
    ]);
  });

  it("ОСВ by an account (the drill-down) and by sub-accounts and analytics", async () => {
    const by62 = await csv("trial-balance", { ...FEB, account: acc("62") });
    expect(by62.map(line)).to.deep.equal([
      "62 30000,00 5000,00 0,00 20000,00 10000,00 5000,00",
      "62.01 30000,00 0,00 0,00 20000,00 10000,00 0,00",
      "ул. Первая, д.1; Содержание 30000,00 0,00 0,00 20000,00 10000,00 0,00",
      "62.02 0,00 5000,00 0,00 0,00 0,00 5000,00",
      "ул. Вторая, д.2 0,00 5000,00 0,00 0,00 0,00 5000,00",
      "Итого 30000,00 5000,00 0,00 20000,00 10000,00 5000,00",
    ]);
    const detailed = await csv("trial-balance", { ...FEB, subaccounts: true, analytics: true });
    expect(detailed.map(line).filter((l) => /^(6[08]|Петров)/.test(l))).to.deep.equal([
      "60 0,00 10000,00 3000,00 0,00 0,00 7000,00",
      "60.01 0,00 10000,00 3000,00 0,00 0,00 7000,00",
      "68 0,00 0,00 0,00 1200,00 0,00 1200,00",
      "68.12 0,00 0,00 0,00 1200,00 0,00 1200,00",
      "Петров Петр Петрович 0,00 0,00 4000,00 0,00 4000,00 0,00",
    ]);
    expect(detailed.map(line).at(-1)).to.equal("Итого 235000,00 235000,00 76700,00 76700,00 235700,00 235700,00");
    const html = await d.render("trial-balance", { ...FEB, account: acc("62") });
    expect(html.text).to.include('data-account="62.01"').and.include("по счету 62");
    // the drill-down links: a row of the ОСВ opens the ОСВ by its account; in that, a row opens the account's card
    const top = await d.render("trial-balance", FEB);
    const attrs = (t: string) => t.replace(/&#x3D;/g, "=").replace(/&amp;/g, "&");
    expect(attrs(top.text)).to.include(
      `<a data-open="report/trial-balance/from=2025-02-01&to=2025-02-28&account=${acc("62")}">62</a>`,
    );
    expect(attrs(html.text)).to.include(
      `<a data-open="report/account-card/from=2025-02-01&to=2025-02-28&account=${acc("62.01")}">62.01</a>`,
    );
  });

  it("Карточка счета 51: each entry of February with the balance after it, from 175 000 to 181 500", async () => {
    const rows = await csv("account-card", { ...FEB, account: acc("51") });
    expect(
      rows.map((r) =>
        [r["Дата"], r["Счет Дт"], r["Счет Кт"], r["Дебет"], r["Кредит"], r["Сальдо"], r["Сумма сальдо"]].join(" "),
      ),
    ).to.deep.equal([
      "03.02.2025 50.01 51 0,00 15000,00 Д 160000,00",
      "10.02.2025 91.02 51 0,00 1000,00 Д 159000,00",
      "10.02.2025 51 91.01 2500,00 0,00 Д 161500,00",
      "26.02.2025 51 62.01 20000,00 0,00 Д 181500,00",
    ]);
    expect(rows[0]["Документ"]).to.equal(`Приходный кассовый ордер ${numbers.r1} от 03.02.2025`);
    expect(rows[3]["Субконто Кт"]).to.equal("ул. Первая, д.1; Содержание");
    const html = await d.render("account-card", { ...FEB, account: acc("62") });
    // 62 with its sub-accounts: opening Д 25 000 (30 000 − the advance 5 000), Кт 20 000, closing Д 5 000
    expect(plain(html.text)).to.match(/Сальдо на начало<\/td><td>Д<\/td><td class="num">25000,00/);
    expect(plain(html.text)).to.match(/20000,00<\/td><td>Д<\/td><td class="num">5000,00/);
  });

  it("Анализ счета 51: opening, Дт turnover by the credited accounts, Кт by the debited ones, closing", async () => {
    const rows = await csv("account-analysis", { ...FEB, account: acc("51") });
    expect(rows.map((r) => [r["Кор. счет"] || r["Наименование"], r["Дебет"], r["Кредит"]].join(" "))).to.deep.equal([
      "Сальдо на начало 175000,00 0,00",
      "50.01 0,00 15000,00",
      "62.01 20000,00 0,00",
      "91.01 2500,00 0,00",
      "91.02 0,00 1000,00",
      "Оборот 22500,00 16000,00",
      "Сальдо на конец 181500,00 0,00",
    ]);
  });

  it("Кассовая книга (КО-4): a sheet per day — the orders with their numbers, who, the corresponding account, the day's balances", async () => {
    const rows = await csv("cash-book", FEB);
    expect(
      rows.map((r) =>
        [
          r["Дата"],
          r["Номер документа"],
          r["От кого получено или кому выдано"],
          r["Корр. счет"],
          r["Приход"],
          r["Расход"],
        ].join("|"),
      ),
    ).to.deep.equal([
      "03.02.2025||Остаток на начало дня||0,00|",
      `03.02.2025|${numbers.r1}|ПКО №${numbers.r1}: Получение наличных в банке|51|15000,00|`,
      `03.02.2025|${numbers.r2}|Петров Петр Петрович|71||4000,00`,
      "03.02.2025||Итого за день||15000,00|4000,00",
      "03.02.2025||Остаток на конец дня||11000,00|",
      "05.02.2025||Остаток на начало дня||11000,00|",
      `05.02.2025|${numbers.r3}|ООО «Подрядчик»|60.01||3000,00`,
      "05.02.2025||Итого за день||0,00|3000,00",
      "05.02.2025||Остаток на конец дня||8000,00|",
    ]);
    const html = await d.render("cash-book", FEB);
    expect(html.headers.get("x-report-sheets")).to.equal("2");
    expect(plain(html.text)).to.include("в количестве 1 приходных и 1 расходных");
  });

  it("Бухгалтерский баланс at 28.02.2025: lines by the mapping in thousands, assets 1600 = liabilities 1700", async () => {
    const rows = await csv("balance-sheet", { date: "2025-02-28" });
    const v = Object.fromEntries(rows.map((r) => [r["Код"], r["На отчетную дату"]]));
    const rub = Object.fromEntries(rows.map((r) => [r["Код"], r["На отчетную дату в рублях"]]));
    // 1230: 62.01 Дт 10 000 + 71 Дт 4 000; 1250: 50.01 8 000 + 51 181 500 = 189 500 → 190 (half up)
    expect([v["1150"], v["1210"], v["1230"], v["1250"], v["1200"], v["1600"]]).to.deep.equal([
      "0",
      "0",
      "14",
      "190",
      "204",
      "204",
    ]);
    // 1310: 80 Кт 100 000; 1370: Кт 90 (120 000 − 30 000) + Кт 91 (2 500 − 1 000) − Дт 99 1 200 = 90 300
    // → 90, plus the rounding's 1 so that 1700 = 1600; 1520: 60.01 7 000 + 62.02 5 000 + 68.12 1 200 = 13 200 → 13
    expect([v["1310"], v["1370"], v["1300"], v["1520"], v["1500"], v["1700"]]).to.deep.equal([
      "100",
      "91",
      "191",
      "13",
      "13",
      "204",
    ]);
    expect(rub["1600"]).to.equal("203500,00");
    expect(rub["1700"]).to.equal("203500,00");
    expect(rub["1370"]).to.equal("90300,00");
    // the previous years' columns: nothing yet
    expect(rows.every((r) => r["На 31 декабря предыдущего года"] === "0")).to.equal(true);
    // the balance at the end of January: 51 175 000, 62.01 30 000, 26 30 000 = 235 000 on both sides
    const jan = await csv("balance-sheet", { date: "2025-01-31" });
    const j = Object.fromEntries(jan.map((r) => [r["Код"], r["На отчетную дату в рублях"]]));
    expect([j["1210"], j["1230"], j["1250"], j["1600"], j["1700"]]).to.deep.equal([
      "30000,00",
      "30000,00",
      "175000,00",
      "235000,00",
      "235000,00",
    ]);
  });

  it("Отчет о финансовых результатах for January–February 2025: the lines and their arithmetic", async () => {
    const rows = await csv("financial-results", { from: "2025-01-01", to: "2025-02-28" });
    const v = Object.fromEntries(rows.map((r) => [r["Код"], r["За период"]]));
    const rub = Object.fromEntries(rows.map((r) => [r["Код"], r["За период в рублях"]]));
    expect(rows.map((r) => r["Код"])).to.deep.equal([
      "2110",
      "2120",
      "2100",
      "2200",
      "2340",
      "2350",
      "2300",
      "2410",
      "2400",
    ]);
    // 2110 = Кт 90.01 120 000; 2120 = Дт 90.02 30 000; 2340 = Кт 91.01 2 500 → 3 (half up); 2350 = 1 000; 2410 = Дт 99 Кт 68.12 1 200
    expect(rows.map((r) => r["За период"])).to.deep.equal(["120", "30", "90", "90", "3", "1", "92", "1", "91"]);
    expect(Number(v["2100"])).to.equal(Number(v["2110"]) - Number(v["2120"]));
    expect(Number(v["2300"])).to.equal(Number(v["2200"]) + Number(v["2340"]) - Number(v["2350"]));
    expect(Number(v["2400"])).to.equal(Number(v["2300"]) - Number(v["2410"]));
    expect([rub["2300"], rub["2400"]]).to.deep.equal(["91500,00", "90300,00"]);
    const html = plain((await d.render("financial-results", { from: "2025-01-01", to: "2025-02-28" })).text);
    expect(html).to.include('<td>2120</td><td class="num">(30)</td>');
  });

  it("Книга учета доходов и расходов (УСН доходы минус расходы): income received, supplier bills paid, quarter totals", async () => {
    const rows = await csv("income-expense-book", { year: 2025 });
    expect(
      rows.map((r) => [r["№ п/п"], r["Дата"], r["Содержание операции"], r["Доходы"], r["Расходы"]].join("|")),
    ).to.deep.equal([
      "1|25.01.2025|Тест|90000,00|",
      "2|26.01.2025|Тест|5000,00|",
      "3|28.01.2025|Тест||20000,00",
      `4|05.02.2025|РКО №${numbers.r3}: Оплата поставщику|` + "|3000,00",
      "5|10.02.2025|Тест|2500,00|",
      "6|26.02.2025|Тест|20000,00|",
      "||Итого за I квартал|117500,00|23000,00",
      "||Итого за II квартал|0,00|0,00",
      "||Итого за полугодие|117500,00|23000,00",
      "||Итого за III квартал|0,00|0,00",
      "||Итого за 9 месяцев|117500,00|23000,00",
      "||Итого за IV квартал|0,00|0,00",
      "||Итого за год|117500,00|23000,00",
    ]);
    expect(rows[3]["Первичный документ"]).to.equal(`Расходный кассовый ордер № ${numbers.r3} от 05.02.2025`);
  });

  it("rights: the Accountant and the Administrator run every one; the Cashier none (403)", async () => {
    const s = await startSecure({ platform: d.platform });
    try {
      const accountant = await s.user("acc-reports", ["Accountant"]);
      const cashier = await s.user("cash-reports", ["Cashier"]);
      const admin = await s.user("adm-reports", ["Administrator"]);
      const cases: [string, unknown][] = [
        ["trial-balance", FEB],
        ["account-card", { ...FEB, account: acc("51") }],
        ["account-analysis", { ...FEB, account: acc("51") }],
        ["cash-book", FEB],
        ["balance-sheet", { date: "2025-02-28" }],
        ["financial-results", FEB],
        ["income-expense-book", { year: 2025 }],
      ];
      for (const [name, body] of cases) {
        for (const session of [accountant, admin])
          expect(
            (await s.req("POST", `/api/reports/${name}/render?format=csv`, { session, body })).status,
            name,
          ).to.equal(200);
        const r = await s.req("POST", `/api/reports/${name}/render?format=csv`, { session: cashier, body });
        expect(r.status, name).to.equal(403);
      }
    } finally {
      await s.close();
    }
  });

  it("after February's close (MonthClose: 90, 91 → 99) the ОФР and the balance sheet are unchanged; 99 holds the profit", async () => {
    const before = await csv("financial-results", { from: "2025-01-01", to: "2025-02-28" });
    await doc(d.platform, "MonthClose", { date: "2025-03-01T09:00:00", Month: "2025-02-01" });
    const after = await csv("financial-results", { from: "2025-01-01", to: "2025-02-28" });
    expect(after).to.deep.equal(before);
    const sheet = await csv("balance-sheet", { date: "2025-02-28" });
    const rub = Object.fromEntries(sheet.map((r) => [r["Код"], r["На отчетную дату в рублях"]]));
    expect([rub["1370"], rub["1600"], rub["1700"]]).to.deep.equal(["90300,00", "203500,00", "203500,00"]);
    const osv = await csv("trial-balance", FEB);
    expect(osv.map(line).filter((l) => /^(90|91|99|Итого) /.test(l))).to.deep.equal([
      // 90: Дт 30 000 (cost) + the close's 120 000 (90.01 → 90.09), 30 000 (90.02 → 90.09), 90 000 (90.09 → 99);
      // Кт 120 000 + 30 000 (both sides of the moves within 90); closing 0
      "90 0,00 120000,00 270000,00 150000,00 0,00 0,00",
      "91 0,00 0,00 6000,00 6000,00 0,00 0,00",
      "99 0,00 0,00 1200,00 91500,00 0,00 90300,00",
      // + 245 000 of the close on both sides; closing = the balance sheet's 203 500
      "Итого 235000,00 235000,00 321700,00 321700,00 203500,00 203500,00",
    ]);
  });
});
