/**
 * The tabular-part editor in a real browser, mounted alone on the app's page with the real
 * /api/metadata and a demo document's rows: toolbar and 1C keys (add, copy, delete, move),
 * number cells that keep their decimals with the totals footer, enum and date cells, a
 * computed column that follows the keystrokes, selectCell and cell errors.
 */
import { expect } from "chai";
import { startApp, type App } from "./helpers/browser.ts";
import {
  cellSel,
  cellText,
  firstDocumentPart,
  footerText,
  marked,
  mount as mountPart,
  rowsOf,
  type P,
  type Tabular,
} from "./helpers/tabular.ts";

const NBSP = "\u00a0";

/** Reading − PreviousReading on 4-decimal strings, in scaled integers (no floats); defined by the page. */
const CONSUMPTION = `(r) => {
  if (r.Reading == null || r.PreviousReading == null) return null;
  const n = (v) => BigInt(String(v).replace(".", ""));
  const d = n(r.Reading) - n(r.PreviousReading);
  const s = (d < 0n ? -d : d).toString().padStart(5, "0");
  return (d < 0n ? "-" : "") + s.slice(0, -4) + "." + s.slice(-4);
}`;

/** Mounts <tabular-part id="tp"> for a document's tabular part; rows-changed events are counted in window.__changes. */
const mount = (
  page: P,
  doc: string,
  table: string,
  rows: unknown[],
  refs: Record<string, string>,
  computed?: Record<string, string>,
) => mountPart(page, doc, table, rows, refs, { height: 460, computed });

const changes = (page: P) => page.evaluate(() => (window as any).__changes as number);

async function click(page: P, row: number, col: string) {
  const el = await page.waitForSelector(cellSel(row, col));
  await el!.click();
}

async function toolbar(page: P, action: string) {
  const b = await page.waitForSelector(`tabular-part >>> .tb-${action}`);
  await b!.click();
}

describe("client: the tabular-part editor (editing, keys, totals)", function () {
  let app: App;
  let tariffs: Tabular;
  before(async () => {
    app = await startApp();
    tariffs = await firstDocumentPart(app, "TariffChange", "Tariffs");
  });
  after(async () => app?.close());

  it("shows the seed's columns and Russian numbers; tariffs have no totals footer", async () => {
    const page = await app.open();
    await mount(page, "TariffChange", "Tariffs", tariffs.rows, tariffs.refs);
    const headers = await page.$$eval("tabular-part >>> .ag-header-cell-text", (els) => els.map((e) => e.textContent));
    expect(headers).to.deep.equal(["№", "Услуга", "Вид тарифа", "Тариф", "Тариф сверх"]);
    expect(await cellText(page, 0, "_line", "1")).to.equal("1");
    expect(await cellText(page, 0, "Service", "Тех. обслуживание")).to.equal("Тех. обслуживание");
    expect(await cellText(page, 0, "TariffKind", "Основной")).to.equal("Основной");
    expect(await cellText(page, 0, "Rate", "2,5000")).to.equal("2,5000");
    expect(await cellText(page, 0, "RateOverNorm", "5,0000")).to.equal("5,0000");
    expect(await cellText(page, 3, "Rate", "250,0000")).to.equal("250,0000");
    expect(await footerText(page, "Rate", "<none>")).to.equal("<none>"); // rates and readings have no totals (issue 18)
    expect(await footerText(page, "RateOverNorm", "<none>")).to.equal("<none>"); // rates and readings have no totals (issue 18)
    const tips = await page.$$eval("tabular-part >>> .toolbar button", (els) =>
      els.map((e) => e.getAttribute("title")),
    );
    expect(tips[0]).to.equal("Добавить (Ins)");
    expect(tips).to.include("Подбор: выбрать несколько элементов и добавить строки");
    expect(page.errors).to.deep.equal([]);
    await app.shot(page, "tabular-seed-columns");
    await page.close();
  });

  it("adds, copies, deletes and moves rows by the 1C keys and the toolbar", async () => {
    const page = await app.open();
    await mount(page, "TariffChange", "Tariffs", tariffs.rows, tariffs.refs);
    // F9 copies the current row below it
    await click(page, 0, "Rate");
    await page.keyboard.press("F9");
    let rows = await rowsOf(page);
    expect(rows).to.have.length(7);
    expect(rows[1]).to.deep.include({ line: 2, Service: rows[0].Service, Rate: "2.5000" });
    expect(await cellText(page, 1, "Service", "Тех. обслуживание")).to.equal("Тех. обслуживание");
    expect(await cellText(page, 2, "_line", "3")).to.equal("3");
    expect(await cellText(page, 2, "Service", "ХВС")).to.equal("ХВС");
    // Del deletes the current row (the copy)
    await page.keyboard.press("Delete");
    rows = await rowsOf(page);
    expect(rows.map((r: any) => r.Rate)).to.deep.equal([
      "2.5000",
      "20.0000",
      "30.0000",
      "250.0000",
      "40.0000",
      "150.0000",
    ]);
    // Ctrl+Shift+↓ moves the current row down, keeping the line numbers in order
    await click(page, 0, "Service");
    await page.keyboard.down("Control");
    await page.keyboard.down("Shift");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.up("Shift");
    await page.keyboard.up("Control");
    rows = await rowsOf(page);
    expect(rows.slice(0, 2).map((r: any) => [r.line, r.Rate])).to.deep.equal([
      [1, "20.0000"],
      [2, "2.5000"],
    ]);
    expect(await cellText(page, 0, "Service", "ХВС")).to.equal("ХВС");
    expect(await cellText(page, 1, "Service", "Тех. обслуживание")).to.equal("Тех. обслуживание");
    expect(await cellText(page, 1, "_line", "2")).to.equal("2");
    // the toolbar's ↑ moves it back (the focus followed the row)
    await toolbar(page, "up");
    rows = await rowsOf(page);
    expect(rows.slice(0, 2).map((r: any) => r.Rate)).to.deep.equal(["2.5000", "20.0000"]);
    // toolbar copy and delete
    await click(page, 5, "Rate");
    await toolbar(page, "copy");
    expect((await rowsOf(page)).map((r: any) => r.Rate).slice(5)).to.deep.equal(["150.0000", "150.0000"]);
    await toolbar(page, "delete");
    expect(await rowsOf(page)).to.have.length(6);
    // Ins adds an empty row at the end and starts editing its first cell; Esc leaves it empty
    await click(page, 2, "Rate");
    await page.keyboard.press("Insert");
    await page.waitForSelector("tabular-part >>> .tp-ref-editor input");
    await page.keyboard.press("Escape");
    rows = await rowsOf(page);
    expect(rows).to.have.length(7);
    expect(rows[6]).to.deep.equal({ line: 7, Service: null, TariffKind: null, Rate: null, RateOverNorm: null });
    // the toolbar's + adds another
    await toolbar(page, "add");
    await page.keyboard.press("Escape");
    expect(await rowsOf(page)).to.have.length(8);
    expect(await cellText(page, 7, "_line", "8")).to.equal("8");
    expect(await changes(page)).to.equal(8);
    expect(await footerText(page, "Rate", "<none>")).to.equal("<none>"); // rates and readings have no totals (issue 18)
    expect(page.errors).to.deep.equal([]);
    await app.shot(page, "tabular-keys-toolbar");
    await page.close();
  });

  it("a number cell keeps its decimals, a non-number is refused visibly", async () => {
    const page = await app.open();
    await mount(page, "TariffChange", "Tariffs", tariffs.rows, tariffs.refs);
    await click(page, 0, "Rate");
    await page.keyboard.press("Enter");
    await page.waitForSelector("tabular-part >>> input.tp-editor");
    const start = await page.$eval("tabular-part >>> input.tp-editor", (e) => (e as HTMLInputElement).value);
    expect(start).to.equal("2,5000");
    await page.keyboard.down("Control");
    await page.keyboard.press("a");
    await page.keyboard.up("Control");
    await page.keyboard.type("3,25");
    await page.keyboard.press("Enter");
    expect(await cellText(page, 0, "Rate", "3,2500")).to.equal("3,2500");
    expect((await rowsOf(page))[0].Rate).to.equal("3.2500");
    expect(await footerText(page, "Rate", "<none>")).to.equal("<none>"); // rates and readings have no totals (issue 18)
    // typing starts an edit with the typed text; thousands get a space
    await click(page, 1, "Rate");
    await page.keyboard.type("1234,5");
    await page.keyboard.press("Enter");
    expect(await cellText(page, 1, "Rate", `1${NBSP}234,5000`)).to.equal(`1${NBSP}234,5000`);
    expect(await footerText(page, "Rate", "<none>")).to.equal("<none>"); // rates and readings have no totals (issue 18)
    // a non-number: the input turns red while typing, the old value stays, the error shows at the cell
    await click(page, 2, "Rate");
    await page.keyboard.type("abc");
    const bg = await page.$eval("tabular-part >>> input.tp-editor", (e) => (e as HTMLInputElement).style.background);
    expect(bg).to.match(/253, 226, 226|fde2e2/);
    await page.keyboard.press("Enter");
    expect(await cellText(page, 2, "Rate", "30,0000")).to.equal("30,0000");
    expect((await rowsOf(page))[2].Rate).to.equal("30.0000");
    const msg = await page.$eval("tabular-part >>> .messages", (e) => e.textContent ?? "");
    expect(msg).to.contain("Строка 3, «Тариф»: «abc» — не число");
    expect(await marked(page, 2, "Rate", true)).to.equal(true);
    // too many digits for number(15,4)
    await click(page, 3, "Rate");
    await page.keyboard.type("123456789012");
    await page.keyboard.press("Enter");
    expect(await cellText(page, 3, "Rate", "250,0000")).to.equal("250,0000");
    // a good value clears the cell's error
    await click(page, 2, "Rate");
    await page.keyboard.type("31");
    await page.keyboard.press("Enter");
    expect(await cellText(page, 2, "Rate", "31,0000")).to.equal("31,0000");
    expect(await marked(page, 2, "Rate", false)).to.equal(false);
    expect(await footerText(page, "Rate", "<none>")).to.equal("<none>"); // rates and readings have no totals (issue 18)
    expect(page.errors).to.deep.equal([]);
    await app.shot(page, "tabular-number-footer");
    await page.close();
  });

  it("enum cells choose a synonym, date cells take dd.mm.yyyy", async () => {
    const services = await firstDocumentPart(app, "AccountServiceChange", "Services");
    const page = await app.open();
    await mount(page, "AccountServiceChange", "Services", services.rows, services.refs);
    const headers = await page.$$eval("tabular-part >>> .ag-header-cell-text", (els) => els.map((e) => e.textContent));
    expect(headers).to.deep.equal(["№", "Лицевой счет", "Услуга", "Вид тарифа", "Дата изменения", "Статус"]);
    expect(await cellText(page, 0, "Status", "Подключена")).to.equal("Подключена");
    expect(await cellText(page, 0, "ChangeDate", "01.11.2011")).to.equal("01.11.2011");
    await click(page, 0, "Status");
    await page.keyboard.press("Enter");
    await page.waitForSelector("tabular-part >>> select.tp-editor");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    expect(await cellText(page, 0, "Status", "Отключена")).to.equal("Отключена");
    expect((await rowsOf(page))[0].Status).to.equal("Disconnected");
    await click(page, 1, "ChangeDate");
    await page.keyboard.type("15.11.2011");
    await page.keyboard.press("Enter");
    expect(await cellText(page, 1, "ChangeDate", "15.11.2011")).to.equal("15.11.2011");
    expect((await rowsOf(page))[1].ChangeDate).to.equal("2011-11-15");
    await click(page, 2, "ChangeDate");
    await page.keyboard.type("31.02.2011");
    await page.keyboard.press("Enter");
    expect((await rowsOf(page))[2].ChangeDate).to.equal("2011-11-01");
    expect(await page.$eval("tabular-part >>> .messages", (e) => e.textContent ?? "")).to.contain(
      "«31.02.2011» — не дата",
    );
    expect(page.errors).to.deep.equal([]);
    await app.shot(page, "tabular-enum-date");
    await page.close();
  });

  it("a computed column follows the keystrokes and is stored on commit", async () => {
    const page = await app.open();
    const rows = [
      {
        line: 1,
        Account: null,
        Meter: null,
        PreviousReading: "100.0000",
        Reading: "110.0000",
        Consumption: "10.0000",
        ReadingDate: "2011-11-25",
      },
      {
        line: 2,
        Account: null,
        Meter: null,
        PreviousReading: "50.5000",
        Reading: null,
        Consumption: null,
        ReadingDate: null,
      },
    ];
    await mount(page, "MeterReadings", "Readings", rows, {}, { Consumption: CONSUMPTION });
    expect(await cellText(page, 0, "Consumption", "10,0000")).to.equal("10,0000");
    expect(await footerText(page, "Consumption", "<none>")).to.equal("<none>"); // rates and readings have no totals (issue 18)
    await click(page, 1, "Reading");
    await page.keyboard.type("6");
    expect(await cellText(page, 1, "Consumption", "-44,5000")).to.equal("-44,5000");
    await page.keyboard.type("0,75");
    // still editing: the computed cell already shows 60,75 − 50,5
    expect(await page.$("tabular-part >>> input.tp-editor")).to.not.equal(null);
    expect(await cellText(page, 1, "Consumption", "10,2500")).to.equal("10,2500");
    await page.keyboard.press("Enter");
    const out = await rowsOf(page);
    expect(out[1]).to.deep.include({ Reading: "60.7500", Consumption: "10.2500" });
    expect(await footerText(page, "Consumption", "<none>")).to.equal("<none>"); // rates and readings have no totals (issue 18)
    // Esc while typing restores the computed value of the old reading
    await click(page, 0, "Reading");
    await page.keyboard.type("200");
    expect(await cellText(page, 0, "Consumption", "100,0000")).to.equal("100,0000");
    await page.keyboard.press("Escape");
    expect(await cellText(page, 0, "Consumption", "10,0000")).to.equal("10,0000");
    // the computed column is read-only
    await click(page, 0, "Consumption");
    await page.keyboard.press("Enter");
    expect(await page.$("tabular-part >>> input.tp-editor")).to.equal(null);
    expect(page.errors).to.deep.equal([]);
    await app.shot(page, "tabular-computed");
    await page.close();
  });

  it("selectCell focuses the named cell; showCellError marks it with the message", async () => {
    const page = await app.open();
    await mount(page, "TariffChange", "Tariffs", tariffs.rows, tariffs.refs);
    await page.evaluate(() => {
      const el = document.querySelector("#tp") as any;
      el.selectCell(4, "RateOverNorm");
      el.showCellError(4, "RateOverNorm", "Тарифы, строка 5: тариф сверх нормы не может быть отрицательным");
    });
    const focused = await page.evaluate(() => {
      const a = (document.querySelector("#tp") as any).shadowRoot.activeElement as HTMLElement | null;
      return a ? [a.getAttribute("col-id"), a.closest(".ag-row")?.getAttribute("row-index")] : null;
    });
    expect(focused).to.deep.equal(["RateOverNorm", "4"]);
    expect(await marked(page, 4, "RateOverNorm", true)).to.equal(true);
    expect(await page.$eval("tabular-part >>> .messages", (e) => e.textContent ?? "")).to.contain(
      "тариф сверх нормы не может быть отрицательным",
    );
    // typing goes to the selected cell
    await page.keyboard.type("7");
    await page.keyboard.press("Enter");
    expect((await rowsOf(page))[4].RateOverNorm).to.equal("7.0000");
    expect(await marked(page, 4, "RateOverNorm", false)).to.equal(false);
    // out of range: refused, nothing breaks
    expect(await page.evaluate(() => (document.querySelector("#tp") as any).selectCell(99, "Rate"))).to.equal(false);
    // read-only: no edits, toolbar disabled
    await page.evaluate(async () => {
      const el = document.querySelector("#tp") as any;
      el.readOnly = true;
      await el.updateComplete;
    });
    expect(await page.$eval("tabular-part >>> .tb-add", (b) => (b as HTMLButtonElement).disabled)).to.equal(true);
    await click(page, 0, "Rate");
    await page.keyboard.press("Delete");
    await page.keyboard.press("Enter");
    expect(await page.$("tabular-part >>> input.tp-editor")).to.equal(null);
    expect(await rowsOf(page)).to.have.length(6);
    expect(page.errors).to.deep.equal([]);
    await app.shot(page, "tabular-select-cell");
    await page.close();
  });
});
