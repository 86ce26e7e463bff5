/**
 * The tabular-part editor against the demo catalogs: reference cells by type-ahead and by the
 * F4 picker, Подбор (multi-pick) adding a row per chosen item, Заполнить asking the form,
 * Очистить asking first, a 3×10 block pasted from a spreadsheet (references resolved by name
 * and code, Russian decimals, bad cells reported), and <ref-input> on its own.
 */
import { expect } from "chai";
import { startApp, type App } from "./helpers/browser.ts";
import {
  cellSel,
  cellText,
  firstDocumentPart,
  marked,
  mount as mountPart,
  rowsOf,
  type P,
  type Tabular,
} from "./helpers/tabular.ts";

/** Mounts <tabular-part id="tp">; rows-changed and fill-request are listed in window.__events. */
const mount = (page: P, doc: string, table: string, rows: unknown[], refs: Record<string, string>) =>
  mountPart(page, doc, table, rows, refs, { height: 420 });

/** Waits until the open picker shows row `index` with its data (not a loading placeholder). */
async function pickerRows(page: P, index: number) {
  await page.waitForFunction(
    (i) =>
      !!document
        .querySelector(`app-modal.picker .ag-row[row-index="${i}"] .ag-cell[col-id="presentation"]`)
        ?.textContent?.trim(),
    {},
    index,
  );
}

const events = (page: P) => page.evaluate(() => (window as any).__events as Array<[string, unknown]>);

async function click(page: P, selector: string) {
  const el = await page.waitForSelector(selector, { visible: true });
  await el!.click();
}

describe("client: the tabular-part editor (references, Подбор, Очистить, paste)", function () {
  let app: App;
  let tariffs: Tabular;
  let services: any[];
  let kinds: any[];
  before(async () => {
    app = await startApp();
    tariffs = await firstDocumentPart(app, "TariffChange", "Tariffs");
    services = (await app.api("GET", "/catalogs/Services?limit=100")).rows;
    kinds = (await app.api("GET", "/catalogs/TariffKinds?limit=100")).rows;
  });
  after(async () => app?.close());

  it("a reference cell picks a real catalog item by type-ahead (↓ and Enter) and by F4", async () => {
    const page = await app.open();
    await mount(page, "AccountServiceChange", "Services", [], {});
    // + adds a row and opens the reference editor in its first cell
    await click(page, "tabular-part >>> .tb-add");
    await page.waitForSelector("tabular-part >>> .tp-ref-editor input");
    await page.keyboard.type("Калин");
    await page.waitForSelector("tabular-part >>> .ref-dropdown .ref-item", { visible: true });
    const offered = await page.$$eval("tabular-part >>> .ref-dropdown .ref-item", (els) =>
      els.map((e) => e.textContent),
    );
    expect(offered[0]).to.contain("Калинин Вячеслав Петрович");
    await page.keyboard.press("Enter");
    const accounts = (await app.api("GET", `/catalogs/PersonalAccounts?search=${encodeURIComponent("Калин")}`)).rows;
    expect(accounts).to.have.length(1);
    // the catalog's presentation: codeAndName, as the seed shows an account
    expect(await cellText(page, 0, "Account", "00000000001, Калинин Вячеслав Петрович")).to.equal(
      "00000000001, Калинин Вячеслав Петрович",
    );
    expect((await rowsOf(page))[0].Account).to.equal(accounts[0].id);
    // typing in a reference cell runs the type-ahead; ↓ moves the highlight to the second match
    const matches = (await app.api("GET", `/catalogs/Services?search=${encodeURIComponent("в")}&limit=20`)).rows;
    expect(matches.length).to.be.greaterThan(1);
    await click(page, `tabular-part >>> .ag-row[row-index="0"] .ag-cell[col-id="Service"]`);
    // F2 starts the edit (puppeteer types Cyrillic as inserted text, without the key that would start it)
    await page.keyboard.press("F2");
    await page.keyboard.type("в");
    await page.waitForSelector("tabular-part >>> .ref-dropdown .ref-item", { visible: true });
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    expect(await cellText(page, 0, "Service", matches[1].name)).to.equal(matches[1].name);
    expect((await rowsOf(page))[0].Service).to.equal(matches[1].id);
    // F4 on a reference cell opens the full picker; its search and Enter choose
    await click(page, `tabular-part >>> .ag-row[row-index="0"] .ag-cell[col-id="TariffKind"]`);
    await page.keyboard.press("F4");
    await pickerRows(page, 0);
    await app.shot(page, "tabular-ref-picker");
    await page.keyboard.type("ГВС");
    await page.waitForFunction(() => document.querySelectorAll("app-modal.picker .ag-row[row-index]").length === 1, {
      timeout: 30_000,
    });
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => !document.querySelector("app-modal"));
    const gvs = kinds.find((k) => k.name === "ГВС");
    expect(await cellText(page, 0, "TariffKind", "ГВС")).to.equal("ГВС");
    expect((await rowsOf(page))[0].TariffKind).to.equal(gvs.id);
    // an unknown text does not change the value
    await click(page, `tabular-part >>> .ag-row[row-index="0"] .ag-cell[col-id="Service"]`);
    await page.keyboard.type("zzz-нет-такой"); // a Latin first key starts the edit itself
    await page.keyboard.press("Enter");
    await page.waitForSelector("tabular-part >>> .ref-dropdown .ref-empty", { visible: true });
    await page.keyboard.press("Escape");
    await page.keyboard.press("Escape");
    expect((await rowsOf(page))[0].Service).to.equal(matches[1].id);
    expect(page.errors).to.deep.equal([]);
    await app.shot(page, "tabular-ref-typeahead");
    await page.close();
  });

  it("Подбор adds a row per chosen catalog item; Заполнить asks the form", async () => {
    const page = await app.open();
    await mount(page, "TariffChange", "Tariffs", [], {});
    await click(page, "tabular-part >>> .tb-pick");
    await pickerRows(page, 2);
    const heading = await page.$eval("app-modal.picker", (m: any) => m.heading);
    expect(heading).to.equal("Подбор: Услуга");
    const names = await page.$$eval("app-modal.picker .ag-row[row-index] .ag-cell[col-id='presentation']", (els) =>
      els
        .map((e) => [Number(e.closest(".ag-row")!.getAttribute("row-index")), e.textContent])
        .sort((a: any, b: any) => a[0] - b[0])
        .map((x) => x[1]),
    );
    expect(names).to.deep.equal(services.map((s) => s.name));
    await click(page, "app-modal.picker .ag-row[row-index='1'] .ag-selection-checkbox input");
    await click(page, "app-modal.picker .ag-row[row-index='4'] .ag-selection-checkbox input");
    await app.shot(page, "tabular-pick-dialog");
    await click(page, "app-modal.picker .picker-ok");
    await page.waitForFunction(() => !document.querySelector("app-modal"));
    const rows = await rowsOf(page);
    expect(rows.map((r: any) => [r.line, r.Service])).to.deep.equal([
      [1, services[1].id],
      [2, services[4].id],
    ]);
    expect(await cellText(page, 0, "Service", services[1].name)).to.equal(services[1].name);
    expect(await cellText(page, 1, "Service", services[4].name)).to.equal(services[4].name);
    // Отмена adds nothing
    await click(page, "tabular-part >>> .tb-pick");
    await pickerRows(page, 0);
    await click(page, "app-modal.picker .ag-row[row-index='0'] .ag-selection-checkbox input");
    await page.keyboard.press("Escape");
    await page.waitForFunction(() => !document.querySelector("app-modal"));
    expect(await rowsOf(page)).to.have.length(2);
    // Заполнить: the part has a fill handler, so the button asks the form
    await click(page, "tabular-part >>> .tb-fill");
    expect(await events(page)).to.deep.equal([
      ["rows", 2],
      ["fill", "Tariffs"],
    ]);
    expect(page.errors).to.deep.equal([]);
    await app.shot(page, "tabular-pick-added");
    await page.close();
  });

  it("Очистить asks first and clears only on Да", async () => {
    const page = await app.open();
    await mount(page, "TariffChange", "Tariffs", tariffs.rows, tariffs.refs);
    await click(page, "tabular-part >>> .tb-clear");
    await page.waitForSelector("app-modal .confirm-text");
    expect(await page.$eval("app-modal .confirm-text", (e) => e.textContent)).to.equal(
      "Табличная часть «Тарифы» будет очищена (6 стр.). Продолжить?",
    );
    await app.shot(page, "tabular-clear-confirm");
    await click(page, "app-modal .confirm-no");
    await page.waitForFunction(() => !document.querySelector("app-modal"));
    expect(await rowsOf(page)).to.have.length(6);
    expect(await events(page)).to.deep.equal([]);
    // Esc is «Нет» as well
    await click(page, "tabular-part >>> .tb-clear");
    await page.waitForSelector("app-modal .confirm-yes");
    await page.keyboard.press("Escape");
    await page.waitForFunction(() => !document.querySelector("app-modal"));
    expect(await rowsOf(page)).to.have.length(6);
    await click(page, "tabular-part >>> .tb-clear");
    await click(page, "app-modal .confirm-yes");
    await page.waitForFunction(() => !document.querySelector("app-modal"));
    expect(await rowsOf(page)).to.deep.equal([]);
    expect(await events(page)).to.deep.equal([["rows", 0]]);
    expect(await page.$eval("tabular-part >>> .tb-clear", (b) => (b as HTMLButtonElement).disabled)).to.equal(true);
    // (rates have no totals row: issue 18)
    expect(await page.$("tabular-part >>> .ag-row-pinned")).to.equal(null);
    expect(page.errors).to.deep.equal([]);
    await app.shot(page, "tabular-cleared");
    await page.close();
  });

  it("a 3×10 block pasted from a spreadsheet fills the cells, adds rows and reports what it cannot take", async () => {
    const page = await app.open();
    await mount(page, "TariffChange", "Tariffs", tariffs.rows, tariffs.refs);
    // Услуга by name or by code, Вид тарифа by name, Тариф with a Russian comma
    const block = [
      ["ХВС", "Основной", "21,5"],
      ["00003", "ГВС", "31,25"],
      ["Отопление", "Основной", "1 150,1234"],
      ["Газоснабжение", "Основной", "7"],
      ["Вывоз мусора", "основной", "12,x"],
      ["Водоотведение", "Основной", "41"],
      ["тех. обслуживание", "Основной", "2,6"],
      ["ГВС", "ГВС", "0,5"],
      ["ХВС", "ГВС", "-3"],
      ["Отопление", "Основной", ""],
    ];
    const text = block.map((r) => r.join("\t")).join("\r\n") + "\r\n";
    await click(page, cellSel(4, "Service"));
    await page.evaluate((text) => {
      const root = (document.querySelector("#tp") as any).shadowRoot as ShadowRoot;
      const cell = root.querySelector('.ag-row[row-index="4"] .ag-cell[col-id="Service"]')!;
      const data = new DataTransfer();
      data.setData("text/plain", text);
      cell.dispatchEvent(
        new ClipboardEvent("paste", { clipboardData: data, bubbles: true, composed: true, cancelable: true }),
      );
    }, text);
    await page.waitForFunction(() => (window as any).__events.length > 0, { timeout: 30_000 });
    const rows = await rowsOf(page);
    expect(rows).to.have.length(14);
    const byName = (n: string) => services.find((s) => s.name === n).id;
    const kind = (n: string) => kinds.find((k) => k.name === n).id;
    // rows 1–4 untouched
    expect(rows.slice(0, 4)).to.deep.equal(tariffs.rows.slice(0, 4));
    expect(rows.slice(4).map((r: any) => [r.line, r.Service, r.TariffKind, r.Rate])).to.deep.equal([
      [5, byName("ХВС"), kind("Основной"), "21.5000"],
      [6, byName("ГВС"), kind("ГВС"), "31.2500"],
      [7, byName("Отопление"), kind("Основной"), "1150.1234"],
      [8, null, kind("Основной"), "7.0000"],
      [9, byName("Вывоз мусора"), kind("Основной"), null],
      [10, byName("Водоотведение"), kind("Основной"), "41.0000"],
      [11, byName("Тех. обслуживание"), kind("Основной"), "2.6000"],
      [12, byName("ГВС"), kind("ГВС"), "0.5000"],
      [13, byName("ХВС"), kind("ГВС"), null], // a negative rate: refused by the metadata's min: 0
      [14, byName("Отопление"), kind("Основной"), null],
    ]);
    // the fourth column was not in the block: the pasted-over rows keep it, new rows have none
    expect(rows.slice(4).map((r: any) => r.RateOverNorm)).to.deep.equal(["0.0000", "0.0000", ...Array(8).fill(null)]);
    expect(await cellText(page, 6, "Rate", "1\u00a0150,1234")).to.equal("1\u00a0150,1234");
    expect(await cellText(page, 13, "Service", "Отопление")).to.equal("Отопление");
    expect(await cellText(page, 13, "_line", "14")).to.equal("14");
    const msg = await page.$eval("tabular-part >>> .messages", (e) => e.textContent ?? "");
    expect(msg).to.contain("Строка 8, «Услуга»: «Газоснабжение» — не найдено");
    expect(msg).to.contain("Строка 9, «Тариф»: «12,x» — не число");
    expect(msg).to.contain("Строка 13, «Тариф»: «Тариф» не может быть меньше 0");
    expect(await marked(page, 7, "Service", true)).to.equal(true);
    expect(await marked(page, 8, "Rate", true)).to.equal(true);
    expect(await marked(page, 9, "Rate", false)).to.equal(false);
    // one rows-changed for the whole block
    expect(await events(page)).to.deep.equal([["rows", 14]]);
    expect(page.errors).to.deep.equal([]);
    await app.shot(page, "tabular-paste");
    await page.close();
  });

  it("<ref-input> picks by type-ahead and F4, and clears", async () => {
    const page = await app.open();
    await page.waitForFunction(() => !!customElements.get("ref-input"));
    await page.evaluate(() => {
      document.querySelector("app-shell")?.remove();
      const el: any = document.createElement("ref-input");
      el.id = "ri";
      el.catalog = "Services";
      (window as any).__changes = [];
      el.addEventListener("change", (e: any) => (window as any).__changes.push(e.detail));
      document.body.append(el);
    });
    await click(page, "ref-input >>> input");
    await page.keyboard.type("Отоп");
    await page.waitForSelector("ref-input >>> .ref-item", { visible: true });
    await page.keyboard.press("Enter");
    const heat = services.find((s) => s.name === "Отопление");
    await page.waitForFunction(() => (window as any).__changes.length === 1);
    expect(await page.evaluate(() => (window as any).__changes)).to.deep.equal([
      { value: heat.id, presentation: "Отопление" },
    ]);
    expect(await page.$eval("ref-input >>> input", (e) => (e as HTMLInputElement).value)).to.equal("Отопление");
    await page.keyboard.press("F4");
    await pickerRows(page, 0);
    await page.keyboard.press("ArrowDown");
    await page.waitForSelector("app-modal.picker .ag-row[row-index='0'] .ag-cell-focus");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => (window as any).__changes.length === 2, { timeout: 30_000 });
    expect((await page.evaluate(() => (window as any).__changes))[1]).to.deep.equal({
      value: services[0].id,
      presentation: services[0].name,
    });
    expect(
      await page.evaluate(() => (document.querySelector("#ri") as any).shadowRoot.activeElement?.tagName),
    ).to.equal("INPUT");
    await page.keyboard.down("Control");
    await page.keyboard.press("a");
    await page.keyboard.up("Control");
    await page.keyboard.press("Backspace");
    await page.keyboard.press("Tab");
    await page.waitForFunction(() => (window as any).__changes.length === 3);
    expect((await page.evaluate(() => (window as any).__changes))[2]).to.deep.equal({ value: null, presentation: "" });
    expect(page.errors).to.deep.equal([]);
    await app.shot(page, "ref-input");
    await page.close();
  });
});
