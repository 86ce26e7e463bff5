/**
 * Issue 18, defect 3: register views worth opening — a period with quick choices, the recorder
 * column (a click opens the document), rows sorted by period then dimensions, a filter on every
 * dimension, totals of an accumulation register's resources only (never an information
 * register's rates or readings), and «Остатки и обороты» for a balance register.
 */
import { expect } from "chai";
import type { Page } from "puppeteer";
import { startApp, type App } from "./helpers/browser.ts";
import { activeCaption, click, columnTexts, find, shellReady, until } from "./helpers/ui.ts";

const REG = "app-shell >>> .page:not([hidden]) register-view";

/** Sets a date input of the view (as the native picker would) and waits for the rows. */
async function setDate(page: Page, name: string, value: string): Promise<void> {
  await (await find(page, `${REG} >>> input[name="${name}"]`)).evaluate((i, v) => {
    (i as HTMLInputElement).value = v as string;
    i.dispatchEvent(new Event("change", { bubbles: true }));
  }, value);
}

const pinned = (page: Page, col: string) =>
  page.$eval(`${REG} >>> .ag-row-pinned .ag-cell[col-id="${col}"]`, (c) => (c.textContent ?? "").replace(/\s/g, ""));

describe("client: issue 18 — register views", function () {
  let app: App;
  before(async () => {
    app = await startApp();
  });
  after(async () => app?.close());

  it("Начисления: a period with quick choices, recorders that open, sorted, filtered, resources totalled", async () => {
    const page = await app.open("/#/register/Accruals");
    await shellReady(page);
    for (const q of ["thisMonth", "lastMonth", "quarter", "year"])
      await find(page, `${REG} >>> button[data-quick="${q}"]`);
    await setDate(page, "from", "2011-11-01");
    await setDate(page, "to", "2011-11-30");
    await find(page, `${REG} >>> .ag-row[row-index="0"] .ag-cell[col-id="recorder"] a.recorder`);
    const api = (await app.api("GET", "/registers/Accruals/movements?from=2011-11-01&to=2011-11-30&limit=1000")).rows;
    await until(
      "every movement",
      async () => (await columnTexts(page, REG, "Amount")).length >= Math.min(api.length, 10),
    );

    // sorted by period, then by the account's presentation
    const accounts = (await columnTexts(page, REG, "Account")).filter(Boolean);
    expect(accounts).to.deep.equal([...accounts].sort((a, b) => a.localeCompare(b, "ru")));
    // the resource's total is the movements' sum; the explanation is not added up
    const kop = api.reduce((k: bigint, r: any) => k + BigInt(String(r.Amount).replace(".", "")), 0n);
    expect(await pinned(page, "Amount")).to.equal(`${kop / 100n},${String(kop % 100n).padStart(2, "0")}`);
    expect(await pinned(page, "Explanation").catch(() => "")).to.equal("");

    // a filter on a dimension
    await click(page, `${REG} >>> .ag-header-cell[col-id="Account"] .ag-header-cell-filter-button`);
    const input = await find(page, `${REG} >>> .ag-filter input[type="text"]`);
    await input.type("00000000001");
    await until("one account", async () => {
      const shown = (await columnTexts(page, REG, "Account")).filter(Boolean);
      return shown.length > 0 && shown.every((s) => s.startsWith("00000000001"));
    });
    await page.keyboard.press("Escape");

    // the recorder opens its document
    await click(page, `${REG} >>> .ag-row[row-index="0"] .ag-cell[col-id="recorder"] a.recorder`);
    await until("the document", async () => /^Групповое начисление за услуги \d+ от/.test(await activeCaption(page)));
    await page.close();
  });

  it("Взаиморасчеты: balances and turnovers; История показаний: records of the period, nothing added up", async () => {
    const page = await app.open("/#/register/Settlements");
    await shellReady(page);
    await setDate(page, "from", "2011-11-01");
    await setDate(page, "to", "2011-11-30");
    await (await find(page, `${REG} >>> select[name="mode"]`)).select("balanceAndTurnovers");
    await find(page, `${REG} >>> .ag-header-cell[col-id="AmountClosing"]`);
    expect(await pinned(page, "AmountClosing")).to.match(/^\d+,\d{2}$/);

    await page.goto(`${app.base}/#/register/MeterReadings`);
    await shellReady(page);
    await setDate(page, "from", "2011-11-01");
    await setDate(page, "to", "2011-11-30");
    await find(page, `${REG} >>> .ag-row[row-index="0"] .ag-cell[col-id="Reading"]`);
    const periods = (await columnTexts(page, REG, "period")).filter(Boolean);
    expect(periods.every((p) => /\.11\.2011$/.test(p))).to.equal(true);
    expect(await page.$(`${REG} >>> .ag-row-pinned`)).to.equal(null);
    await page.close();
  });
});
