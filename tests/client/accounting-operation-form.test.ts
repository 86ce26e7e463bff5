// «Операция (бухгалтерская)» in the browser (docs/bookkeeping.md): the rows' accounts are
// references to the chart, so the grid's type-ahead finds an account by its code — «60.01» typed
// in «Счет Дт» offers exactly 60.01 and Enter puts the account (its fixed id) into the row; a
// posted operation's form shows its entries in «Движения».
import { expect } from "chai";
import { predefinedId } from "../../server/accounting/accounts.ts";
import { startApp, type App } from "./helpers/browser.ts";
import { cellText, mount, rowsOf, type P } from "./helpers/tabular.ts";
import { click as clickUi, shellReady, texts, until } from "./helpers/ui.ts";

async function click(page: P, selector: string) {
  const el = await page.waitForSelector(selector, { visible: true });
  await el!.click();
}

describe("client: ManualOperation — accounts picked by code, its entries in «Движения»", function () {
  let app: App;
  before(async () => {
    app = await startApp();
  });
  after(async () => app?.close());

  it("typing «60.01» in «Счет Дт» offers the account and Enter puts it in the row", async () => {
    const page = await app.open();
    await mount(page, "ManualOperation", "Entries", [], {}, { height: 420 });
    await click(page, "tabular-part >>> .tb-add");
    await page.waitForSelector("tabular-part >>> .tp-ref-editor input");
    await page.keyboard.type("60.01");
    await page.waitForSelector("tabular-part >>> .ref-dropdown .ref-item", { visible: true });
    const offered = await page.$$eval("tabular-part >>> .ref-dropdown .ref-item", (els) =>
      els.map((e) => e.textContent?.trim()),
    );
    expect(offered).to.deep.equal(["60.01"]);
    await page.keyboard.press("Enter");
    expect(await cellText(page, 0, "AccountDr", "60.01")).to.equal("60.01");
    expect((await rowsOf(page))[0].AccountDr).to.equal(predefinedId("ChartOfAccounts", "60.01"));
    expect(page.errors).to.deep.equal([]);
  });

  it("a posted operation's «Движения» lists its entry Дт 26 Кт 60.01", async () => {
    const supplier = (await app.api("POST", "/catalogs/Counterparties", { name: "ООО Подрядчик" })).id;
    const d = await app.api("POST", "/documents/ManualOperation?post=true", {
      date: "2026-05-06T10:00:00",
      Content: "Услуги подрядчика",
      Entries: [
        {
          AccountDr: predefinedId("ChartOfAccounts", "26"),
          AccountCr: predefinedId("ChartOfAccounts", "60.01"),
          CounterpartyCr: supplier,
          Amount: "1234.50",
        },
      ],
    });
    const page = await app.open(`/#/document/ManualOperation/${d.id}`);
    await shellReady(page);
    await clickUi(page, 'app-shell >>> document-form >>> button[data-cmd="movements"]');
    const rows = "app-shell >>> movements-view >>> table.entries tbody tr";
    await until("entries", async () => (await texts(page, rows)).length === 1);
    const cells = await texts(page, `${rows}:nth-child(1) td`);
    expect(cells[1]).to.equal("26");
    expect(cells[3]).to.equal("60.01");
    expect(cells[4]).to.contain("ООО Подрядчик");
    expect(cells.join(" ")).to.contain("1 234,50");
  });
});
