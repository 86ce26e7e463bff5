// Each report's figures against the registers, read through the HTTP API as a client would
// (the demo of DOMAIN.md §4): ОСВ closing debt = Settlements balance, opening = the balance
// before, charged = Accruals; debtors = old Settlements keys; the accruals statement = Accruals
// turnovers by service; meter readings = the MeterReadings register; the penalty table =
// common/penalties.ts; the payments register = the Payment documents and Settlements expense.
import { expect } from "chai";
import { Decimal } from "decimal.js";
import { tx } from "../../server/storage/db.ts";
import { queryApi } from "../../server/documents/context.ts";
import { accountPenaltyTable } from "../../metadata/common/penalties.ts";
import type { Query } from "../../metadata/types.gen.ts";
import { closePrinter } from "../../server/reports/pdf.ts";
import { csvRows, num, pdfText, plain, startDemo, type Demo } from "./helpers.ts";

const sum = (rows: any[], key: string, pick: (r: any) => boolean = () => true) =>
  rows
    .filter(pick)
    .reduce((s, r) => s.plus(r[key] ?? 0), new Decimal(0))
    .toFixed(2);
const money = (s: string) => new Decimal(num(s)).toFixed(2);

describe("reports: statements against the registers", function () {
  let d: Demo;
  let accounts: { id: string; code: string }[];
  const csv = async (name: string, params: unknown) => {
    const r = await d.render(name, params, "csv");
    expect(r.status, r.text).to.equal(200);
    return csvRows(r.text);
  };
  before(async () => {
    d = await startDemo();
    // the seed's building: the demo's second one (common property, СОИ) is accrued from December 2011
    const seedBuilding = (await d.get("/api/catalogs/Buildings")).rows[0].id;
    accounts = (await d.get("/api/catalogs/PersonalAccounts?sort=code")).rows.filter(
      (a: { Building: string }) => a.Building === seedBuilding,
    );
  });
  after(async () => {
    await closePrinter();
    await d?.close();
  });

  it("every report renders as HTML, PDF and CSV", async () => {
    const cases: [string, unknown, string][] = [
      ["turnover-balance", { from: "2011-11" }, "Оборотно-сальдовая ведомость"],
      ["debtors", { date: "2011-11-30", months: 1 }, "Должники"],
      ["accruals-statement", { period: "2011-11" }, "Ведомость начислений"],
      ["meter-readings", { period: "2011-11" }, "Ведомость показаний"],
      ["penalty-calculation", { account: d.account, date: "2012-03-31" }, "Расчет пени"],
      ["payments-register", { from: "2011-11-01", to: "2011-11-30" }, "Реестр платежей"],
    ];
    for (const [name, params, title] of cases) {
      const html = await d.render(name, params);
      expect(html.status, html.text).to.equal(200);
      expect(html.text).to.include(title);
      const pdf = await d.render(name, params, "pdf");
      expect(pdf.status, name).to.equal(200);
      expect((await pdfText(pdf.bytes)).text, name).to.include(title);
      expect((await d.render(name, params, "csv")).status, name).to.equal(200);
    }
  });

  it("ОСВ: opening and closing debt are the Settlements balances, charged the accruals, per account and in total", async () => {
    const rows = await csv("turnover-balance", { from: "2011-11", byService: true });
    const perAccount = rows.filter((r) => r["Услуга"] === "");
    expect(perAccount.map((r) => r["Лицевой счет"])).to.deep.equal(accounts.map((a) => a.code));
    for (const a of accounts) {
      const row = perAccount.find((r) => r["Лицевой счет"] === a.code)!;
      const opening = await d.get(`/api/registers/Settlements/balance?at=2011-10-31&Account=${a.id}`);
      const closing = await d.get(`/api/registers/Settlements/balance?at=2011-11-30&Account=${a.id}`);
      const acc = await d.get(`/api/registers/Accruals/turnovers?from=2011-11-01&to=2011-11-30&Account=${a.id}`);
      expect(money(row["Задолженность на начало"]), a.code).to.equal(sum(opening.rows, "Amount"));
      expect(money(row["Задолженность на конец"]), a.code).to.equal(sum(closing.rows, "Amount"));
      expect(money(row["Начислено"]), a.code).to.equal(sum(acc.rows, "Amount"));
      const services = rows.filter((r) => r["Лицевой счет"] === a.code && r["Услуга"] !== "");
      for (const k of ["Задолженность на начало", "Начислено", "Оплачено", "Задолженность на конец"])
        expect(
          sum(
            services.map((s) => ({ v: num(s[k]) })),
            "v",
          ),
          `${a.code} ${k}`,
        ).to.equal(money(row[k]));
    }
    const first = perAccount[0];
    expect(first).to.include({
      "Задолженность на начало": "2045,64",
      Начислено: "13752,73",
      Оплачено: "1994,77",
      "Задолженность на конец": "13803,60",
    });
    const all = await d.get(`/api/registers/Settlements/balance?at=2011-11-30`);
    expect(
      sum(
        perAccount.map((r) => ({ v: num(r["Задолженность на конец"]) })),
        "v",
      ),
    ).to.equal(sum(all.rows, "Amount"));
    const html = plain((await d.render("turnover-balance", { from: "2011-11" })).text);
    expect(html).to.include(`Итого</td><td class="num">2045,64</td>`);
  });

  it("Должники: debt older than N months is the Settlements balance of the older debt months", async () => {
    const bal = await d.get(`/api/registers/Settlements/balance?at=2011-11-30&Account=${d.account}`);
    const older = sum(bal.rows, "Amount", (r) => r.Service !== null && r.DebtPeriod < "2011-10-01");
    expect(Number(older)).to.be.greaterThan(0);
    const rows = await csv("debtors", { date: "2011-11-30", months: 1 });
    expect(rows.map((r) => r["Лицевой счет"])).to.deep.equal(["00000000001"]);
    expect(money(rows[0]["В т.ч. старше срока"])).to.equal(older);
    expect(money(rows[0]["Задолженность всего"])).to.equal(sum(bal.rows, "Amount"));
    expect(rows[0]["Самый старый долг"]).to.equal("Сентябрь 2011 г.");
    expect(await csv("debtors", { date: "2011-11-30", months: 3 })).to.deep.equal([]);
  });

  it("Ведомость начислений: volume and amounts by service are the Accruals turnovers", async () => {
    const rows = await csv("accruals-statement", { period: "2011-11" });
    const t = await d.get(`/api/registers/Accruals/turnovers?from=2011-11-01&to=2011-11-30`);
    // the services accrued in November (the СОИ services of the demo's second building start in December)
    const services = (await d.get(`/api/catalogs/Services?limit=100`)).rows.filter((s: { id: string }) =>
      t.rows.some((r: { Service: string }) => r.Service === s.id),
    );
    expect(services).to.have.length(6);
    expect(rows).to.have.length(services.length);
    for (const s of services) {
      const row = rows.find((r) => r["Услуга"] === s.name)!;
      expect(money(row["Начислено"]), s.name).to.equal(sum(t.rows, "Amount", (r) => r.Service === s.id));
      const volume = t.rows
        .filter((r: any) => r.Service === s.id)
        .reduce((v: Decimal, r: any) => v.plus(r.Volume), new Decimal(0));
      expect(new Decimal(num(row["Объем"])).toFixed(4), s.name).to.equal(volume.toFixed(4));
    }
    expect(
      sum(
        rows.map((r) => ({ v: num(r["Итого"]) })),
        "v",
      ),
    ).to.equal(sum(t.rows, "Amount"));
  });

  it("Ведомость показаний: previous and current readings from the register, consumption as accrued", async () => {
    const rows = await csv("meter-readings", { period: "2011-11" });
    // the seed's 10 meters, and the 3 flats' and the house meter of the second building (their initial readings of 30.11.2011)
    expect(rows).to.have.length(14);
    const cold = rows.find((r) => r["Лицевой счет"] === "00000000001" && r["Услуга"] === "ХВС")!;
    expect(cold).to.include({
      "Предыдущее показание": "100",
      Дата: "31.10.2011",
      "Текущее показание": "143,4205",
      "Дата#2": "25.11.2011",
      Расход: "43,4205",
    });
    const acc = await d.get(`/api/registers/Accruals/turnovers?from=2011-11-01&to=2011-11-30&Account=${d.account}`);
    const services = (await d.get(`/api/catalogs/Services?limit=100`)).rows;
    const hot = services.find((s: any) => s.name === "ГВС").id;
    expect(new Decimal(acc.rows.find((r: any) => r.Service === hot).Volume).toFixed(4)).to.equal(
      new Decimal(
        num(rows.find((r) => r["Лицевой счет"] === "00000000001" && r["Услуга"] === "ГВС")!["Расход"]),
      ).toFixed(4),
    );
    const readings = await d.get(`/api/registers/MeterReadings/slice-last?at=2011-11-30`);
    expect(readings.rows.filter((r: any) => r.period.slice(0, 7) === "2011-11")).to.have.length(
      rows.filter((r) => r["Текущее показание"] !== "").length,
    );
  });

  it("Расчет пени: the rows of common/penalties.ts, summing to its total", async () => {
    const rows = await csv("penalty-calculation", { account: d.account, date: "2012-03-31" });
    const table = await tx(d.platform.db.app, 1, (c) =>
      accountPenaltyTable(queryApi({ c, conf: d.platform.conf, area: 1 }) as unknown as Query, d.account, "2012-03-31"),
    );
    expect(rows).to.have.length(table.rows.length);
    expect(rows.length).to.be.greaterThan(2);
    table.rows.forEach((t, i) => {
      expect(rows[i]).to.include({
        С: `${t.from.slice(8, 10)}.${t.from.slice(5, 7)}.${t.from.slice(0, 4)}`,
        Дней: String(t.days),
        "Доля ставки": t.fraction,
      });
      expect(money(rows[i]["Пени"])).to.equal(t.amount.toFixed(2));
    });
    expect(
      sum(
        rows.map((r) => ({ v: num(r["Пени"]) })),
        "v",
      ),
    ).to.equal(table.total.toFixed(2));
    expect(plain((await d.render("penalty-calculation", { account: d.account, date: "2012-03-31" })).text)).to.include(
      `Итого пени</td><td class="num">${table.total.toFixed(2).replace(".", ",")}`,
    );
  });

  it("Реестр платежей: the posted payments of the period, their sum the Settlements money in", async () => {
    const rows = await csv("payments-register", { from: "2011-11-01", to: "2011-11-30" });
    const docs = (await d.get(`/api/documents/Payment`)).rows;
    expect(rows.map((r) => r["Номер"])).to.deep.equal(docs.map((x: any) => x.number));
    expect(
      sum(
        rows.map((r) => ({ v: num(r["Сумма"]) })),
        "v",
      ),
    ).to.equal(sum(docs, "Amount"));
    const t = await d.get(`/api/registers/Settlements/turnovers?from=2011-11-01&to=2011-11-30`);
    expect(
      sum(
        rows.map((r) => ({ v: num(r["Сумма"]) })),
        "v",
      ),
    ).to.equal(sum(t.rows, "AmountExpense"));
    expect(await csv("payments-register", { from: "2011-12-01", to: "2011-12-31" })).to.deep.equal([]);
    const bad = await d.render("payments-register", { from: "2011-12-01" });
    expect(bad.status).to.equal(400);
    expect(bad.json.error.field).to.equal("to");
  });
});
