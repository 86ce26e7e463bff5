/**
 * Issue 18: export to Excel beside CSV from the client — a list's «Excel» (the columns shown, in
 * their order, with the grid's sort; every row), a tabular part's «Excel» (the rows as they stand,
 * named by the form and the part) and the report viewer's «Excel». Each file is read back with
 * exceljs: numbers are numbers (money «#,##0.00»), dates are dates, headers are the synonyms.
 */
import { expect } from "chai";
import ExcelJS from "exceljs";
import type { Page } from "puppeteer";
import { startApp, type App } from "./helpers/browser.ts";
import { click, shellReady, until } from "./helpers/ui.ts";

/** Records saved files (name and bytes) instead of letting the browser save them: the blob is kept as it is handed to a link. */
async function captureDownloads(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { saved: { name: string; b64: string }[]; blobs: Map<string, Blob> };
    w.saved = [];
    w.blobs = new Map();
    const create = URL.createObjectURL.bind(URL);
    URL.createObjectURL = (b: Blob | MediaSource) => {
      const url = create(b);
      if (b instanceof Blob) w.blobs.set(url, b);
      return url;
    };
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      const blob = w.blobs.get(this.href);
      if (!this.download || !blob) return;
      const name = this.download;
      void blob.arrayBuffer().then((buf) => {
        let s = "";
        for (const x of new Uint8Array(buf)) s += String.fromCharCode(x);
        w.saved.push({ name, b64: btoa(s) });
      });
    };
  });
}

/** Clicks `selector` and returns the Excel file it saves: its name and its sheet. */
async function excelOf(page: Page, selector: string): Promise<{ name: string; ws: ExcelJS.Worksheet }> {
  await click(page, selector);
  const f = await until("a saved file", () =>
    page.evaluate(() => (window as unknown as { saved: { name: string; b64: string }[] }).saved.shift() ?? null),
  );
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(f.b64, "base64") as unknown as ExcelJS.Buffer);
  return { name: f.name, ws: wb.worksheets[0] };
}

const headers = (ws: ExcelJS.Worksheet) => (ws.getRow(1).values as unknown[]).slice(1);

describe("client: issue 18 — Excel from lists, tabular parts and reports", function () {
  let app: App;
  before(async () => {
    app = await startApp();
  });
  after(async () => app?.close());

  it("a list's «Excel»: the shown columns in order, every row, amounts as numbers, dates as dates", async () => {
    const all = await app.api("GET", "/documents/Payment?limit=1000");
    const page = await app.open("/#/list/document/Payment");
    await shellReady(page);
    await until("the list's rows", () => page.$("app-shell >>> list-form >>> .ag-row"));
    await captureDownloads(page);
    const { name, ws } = await excelOf(page, 'app-shell >>> list-form >>> button[data-cmd="export-xlsx"]');
    expect(name).to.equal("Оплата.xlsx");
    const head = headers(ws);
    expect(head.slice(0, 2)).to.deep.equal(["Дата", "Номер"]);
    expect(head).to.include("Сумма");
    expect(ws.rowCount - 1).to.equal(all.rows.length);
    const amount = ws.getRow(2).getCell(head.indexOf("Сумма") + 1);
    expect(amount.type).to.equal(ExcelJS.ValueType.Number);
    expect(amount.numFmt).to.equal("#,##0.00");
    expect(ws.getRow(2).getCell(1).type).to.equal(ExcelJS.ValueType.Date);
    await page.close();
  });

  it("a tabular part's «Excel»: its rows with № and the synonyms, quantities with their decimals, named by the document and the part", async () => {
    const list = await app.api("GET", "/documents/TariffChange?limit=1");
    const doc = await app.api("GET", `/documents/TariffChange/${list.rows[0].id}`);
    expect(doc.Tariffs.length).to.be.greaterThan(0);
    const page = await app.open(`/#/document/TariffChange/${doc.id}`);
    await shellReady(page);
    await until("the part's rows", () => page.$("app-shell >>> tabular-part >>> .ag-row"));
    await captureDownloads(page);
    const { name, ws } = await excelOf(page, "app-shell >>> tabular-part >>> button.tb-xlsx");
    expect(name)
      .to.include(doc.number)
      .and.match(/ Тарифы\.xlsx$/);
    expect(headers(ws).slice(0, 4)).to.deep.equal(["№", "Услуга", "Вид тарифа", "Тариф"]);
    expect(ws.rowCount - 1).to.equal(doc.Tariffs.length);
    const first = ws.getRow(2);
    expect(first.getCell(1).value).to.equal(1);
    expect(first.getCell(2).value).to.equal(doc.refs[doc.Tariffs[0].Service]);
    expect(first.getCell(4).value).to.equal(Number(doc.Tariffs[0].Rate));
    expect(first.getCell(4).numFmt).to.equal("#,##0.0000");
    await page.close();
  });

  it("the report viewer's «Excel»: the report's table with dates and amounts typed, named by the parameters", async () => {
    const page = await app.open("/#/report/payments-register/from=2011-11-01&to=2011-11-30");
    await shellReady(page);
    const form = "app-shell >>> report-form";
    await click(page, `${form} >>> button[data-cmd="generate"]`);
    await until("the report shown", () => page.$(`${form} >>> report-viewer[loaded]`));
    await captureDownloads(page);
    const { name, ws } = await excelOf(page, `${form} >>> report-viewer >>> button[data-cmd="xlsx"]`);
    expect(name).to.equal("Реестр платежей 01.11.2011 30.11.2011.xlsx");
    expect(headers(ws)).to.include("Сумма");
    expect(ws.rowCount).to.be.greaterThan(1);
    expect(ws.getRow(2).getCell(1).type).to.equal(ExcelJS.ValueType.Date);
    expect(ws.getRow(2).getCell(6).type).to.equal(ExcelJS.ValueType.Number);
    await page.close();
  });
});
