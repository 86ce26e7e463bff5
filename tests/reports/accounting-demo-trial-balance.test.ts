// The ОСВ (reports/trial-balance) of the demo's November 2011 (issue 16 §5): 62.01's Дт turnover is
// the month's accruals of all demo accounts (57 553,73), its Кт turnover the payments (1 994,77);
// the total row has Σ Дт = Σ Кт in every column pair; HTML shows the same figures.
import { expect } from "chai";
import { Decimal } from "decimal.js";
import { csvRows, plain, startDemo, type Demo } from "./helpers.ts";

describe("reports: the demo's ОСВ for November 2011", function () {
  this.timeout(180_000);
  let d: Demo;
  before(async () => {
    d = await startDemo();
  });
  after(() => d?.close());

  it("62.01: Дт 57 553,73 (accruals), Кт 1 994,77 (payments); Σ Дт = Σ Кт", async () => {
    const params = { from: "2011-11-01", to: "2011-11-30", subaccounts: true };
    const r = await d.render("trial-balance", params, "csv");
    expect(r.status, r.text).to.equal(200);
    const rows = csvRows(r.text);
    const row = rows.find((x) => x["Счет"] === "62.01")!;
    expect([row["Оборот Дт"], row["Оборот Кт"]]).to.deep.equal(["57553,73", "1994,77"]);
    const total = rows.find((x) => x["Наименование"] === "Итого")!;
    for (const [dr, cr] of [
      ["Сальдо на начало Дт", "Сальдо на начало Кт"],
      ["Оборот Дт", "Оборот Кт"],
      ["Сальдо на конец Дт", "Сальдо на конец Кт"],
    ])
      expect(total[dr], dr).to.equal(total[cr]);
    // the total is the sum of the first-level rows
    const first = rows.filter((x) => /^\d+$/.test(x["Счет"]));
    const sum = (k: string) => first.reduce((s, x) => s.plus(x[k].replace(",", ".")), new Decimal(0)).toFixed(2);
    expect(sum("Оборот Дт").replace(".", ",")).to.equal(total["Оборот Дт"]);
    const html = plain((await d.render("trial-balance", params)).text);
    expect(html).to.match(
      />62\.01<\/a><\/td><td[^>]*>[^<]*<\/td>(<td class="num">[^<]*<\/td>){2}<td class="num">57553,73<\/td><td class="num">1994,77<\/td>/,
    );
  });
});
