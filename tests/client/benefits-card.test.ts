// The account card shows benefits (docs/benefits.md): the account's AccountBenefits under
// «Услуги», and in «Начисления» each line's Accruals.Benefits — equal to the API's — after an
// accrual of a demo account with a 50 % benefit for 1 person on every service.
import { expect } from "chai";
import { startApp, type App } from "./helpers/browser.ts";
import { find, shellReady, text, texts, until } from "./helpers/ui.ts";
import { demoCatalogs, ru } from "./helpers/seed.ts";

describe("client: the account card's benefits", function () {
  let app: App;
  let services: any[];
  let accounts: any[];
  before(async () => {
    app = await startApp();
    ({ services, accounts } = await demoCatalogs(app));
  });
  after(async () => app?.close());

  it("ЖК 159–160: a 50 % benefit for 1 person — the card lists it and shows each line's benefit as the API has it", async () => {
    const a = accounts.find((x) => x.code === "00000000002");
    const c = await app.api("POST", "/catalogs/BenefitCategories", {
      name: "Ветеран труда",
      Percent: "50",
      Services: services.map((s) => ({ Service: s.id })),
    });
    await app.api("POST", "/registers/AccountBenefits/records", {
      records: [{ Account: a.id, Category: c.id, Persons: 1, From: "2011-12-01", To: null }],
    });
    const g = await app.api("POST", "/documents/GroupAccrual?post=true", {
      date: "2011-12-28T12:00:00",
      Month: "2011-12-01",
      AccrueServices: true,
      AccruePenalties: false,
      Accounts: [{ Account: a.id }],
    });
    const rows = (await app.api("GET", `/documents/GroupAccrual/${g.id}/movements`)).registers.Accruals.rows;
    expect(rows.some((r: any) => r.Benefits !== "0.00")).to.equal(true);

    const page = await app.open(`/#/catalog/PersonalAccounts/${a.id}`);
    await shellReady(page);
    const CARD = "app-shell >>> account-card-form";
    await until("accruals", () => page.$(`${CARD} >>> table[data-table="accruals"] tr.month[data-month="2011-12"]`));
    expect(await texts(page, `${CARD} >>> tr[data-month="2011-12"][data-service] td.benefits`)).to.deep.equal(
      rows.map((r: any) => ru(r.Benefits, 2)),
    );
    expect(await text(page, `${CARD} >>> tr.month[data-month="2011-12"] td.benefits`)).to.not.equal("0,00");
    await page.click(`${CARD} >>> button.tab[data-tab="services"]`);
    await find(page, `${CARD} >>> table[data-table="benefits"]`);
    const benefitRow = await texts(page, `${CARD} >>> table[data-table="benefits"] tr[data-category] td`);
    expect(benefitRow[0]).to.equal("Ветеран труда");
    expect(benefitRow[1]).to.equal("1");
    await app.shot(page, "card-benefits");
    expect(page.errors).to.deep.equal([]);
    await page.close();
  });
});
