// The court form «Расчет пени» on the demo (initial-data.ts ships the key rates, the ПП №474 cap
// and the moratoria of ПП №424 and №497): the moratorium's days are rows of their own with
// nothing charged, the seed's fixed 0,0344 % is limited to the statutory penalty and the form
// says so (docs/penalties.md).
import { expect } from "chai";
import { Decimal } from "decimal.js";
import { csvRows, num, plain, startDemo, type Demo } from "../reports/helpers.ts";

describe("configuration: the penalty court form on the demo", function () {
  let d: Demo;
  before(async () => {
    d = await startDemo();
  });
  after(() => d?.close());

  it("ПП 424, ПП 497, ПП 474: the demo ships the moratoria and the cap as register records", async () => {
    const m = (await d.get("/api/registers/Moratoria/records?limit=100")).rows;
    expect(m.map((r: Record<string, string | null>) => [r.From, r.To, r.DebtsBefore])).to.have.deep.members([
      ["2020-04-06", "2020-12-31", null],
      ["2022-04-01", "2022-10-01", "2022-04-01"],
    ]);
    const caps = (await d.get("/api/registers/PenaltyRateCaps/records?limit=100")).rows;
    expect(
      caps.map((r: Record<string, string>) => [r.From, r.To, new Decimal(r.Rate).toFixed(2)]),
    ).to.have.deep.members([
      ["2022-02-28", "2024-12-31", "9.50"],
      ["2025-01-01", "2026-12-31", "9.50"],
    ]);
  });

  it("ПП 424 in the court form: 06.04–31.12.2020 (270 days) excluded for every debt; ЖК 155 ч.14: the fixed rate limited, and said", async () => {
    const r = await d.render("penalty-calculation", { account: d.account, date: "2021-01-31" }, "csv");
    expect(r.status, r.text).to.equal(200);
    // (csvRows drops an empty last field: a charged row's empty Примечание reads as "")
    const rows = csvRows(r.text).map((x): Record<string, string> => ({ ...x, Примечание: x["Примечание"] ?? "" }));
    const excluded = rows.filter((x) => x["Примечание"].startsWith("мораторий"));
    const months = new Set(rows.map((x) => x["Период задолженности"]));
    expect(months.size).to.equal(3); // September, October, November 2011
    expect(excluded.length).to.be.at.least(months.size);
    for (const x of excluded)
      expect(x).to.include({
        С: "06.04.2020",
        По: "31.12.2020",
        Дней: "270",
        Пени: "0,00",
        Примечание: "мораторий: ПП РФ от 02.04.2020 № 424",
      });
    // the charged rows: debts of 2011 (before 2016: 1/300 from day 1) at the key rate on the payment date — 8.25 for
    // the parts the payment of 24.11.2011 closed, 4.25 (31.01.2021) for the rest — the statutory penalty, because
    // the fixed 0.0344 % a day would charge more
    const charged = rows.filter((x) => x["Примечание"] === "");
    expect(charged.length).to.be.greaterThan(0);
    expect(charged.some((x) => x["По"] === "31.01.2021")).to.equal(true);
    for (const x of charged) {
      const rate = x["По"] === "24.11.2011" ? "8.25" : "4.25";
      expect([x["Доля ставки"], new Decimal(num(x["Ставка, %"])).toFixed(2)], JSON.stringify(x)).to.deep.equal([
        "1/300",
        rate,
      ]);
      const want = new Decimal(num(x["Сумма долга"]))
        .times(x["Дней"])
        .times(rate)
        .div(30000)
        .toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
      expect(num(x["Пени"])).to.equal(want.toFixed(2));
    }
    const html = plain((await d.render("penalty-calculation", { account: d.account, date: "2021-01-31" })).text);
    expect(html).to.contain("мораторий (ПП РФ от 02.04.2020 № 424): исключено дней");
    expect(html).to.contain("фиксированная ставка дала бы");
    expect(html).to.contain("увеличение размера пеней не допускается");
  });
});
