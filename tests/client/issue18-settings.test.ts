/**
 * Issue 18: saved form settings per user («Настройки формы»). A list's column order, a width, a
 * hidden column, the sort (a click on a header) and a filter are saved on the server
 * (/api/settings/forms/list:…) and are there again after a reload; «По умолчанию» («Восстановить
 * настройки по умолчанию») deletes them and shows the list as defined. The routes refuse a bad
 * key or body.
 */
import { expect } from "chai";
import type { Page } from "puppeteer";
import { startApp, type App } from "./helpers/browser.ts";
import { click, find, shellReady, until } from "./helpers/ui.ts";

const LIST = "app-shell >>> list-form";
const FORM = "list:document.Payment";

type State = { colId: string; width?: number; hide?: boolean | null; sort?: string | null };
const columnState = (page: Page): Promise<State[]> =>
  page.$eval(LIST, (el) =>
    (el as unknown as { grid: { getColumnState(): State[] } }).grid
      .getColumnState()
      .map((c) => ({ colId: c.colId, width: c.width, hide: c.hide, sort: c.sort })),
  );

async function openList(app: App, page?: Page): Promise<Page> {
  const p = page ?? (await app.open("/#/list/document/Payment"));
  if (page) await p.reload({ waitUntil: "load" });
  await shellReady(p);
  await find(p, `${LIST} >>> .ag-row[row-index='0'] .ag-cell`);
  return p;
}

describe("client: issue 18 — saved form settings", function () {
  let app: App;
  before(async () => {
    app = await startApp();
  });
  after(async () => app?.close());

  it("the routes keep one user's settings of a form; a bad key or body is a 400", async () => {
    expect((await app.api("GET", "/settings/forms/list:catalog.Nothing")).settings).to.equal(null);
    await app.api("PUT", "/settings/forms/list:catalog.Nothing", { settings: { columns: [{ colId: "name" }] } });
    expect((await app.api("GET", "/settings/forms/list:catalog.Nothing")).settings).to.deep.equal({
      columns: [{ colId: "name" }],
    });
    await app.api("DELETE", "/settings/forms/list:catalog.Nothing");
    expect((await app.api("GET", "/settings/forms/list:catalog.Nothing")).settings).to.equal(null);
    for (const [path, body] of [
      ["/settings/forms/no key", { settings: {} }],
      ["/settings/forms/list:catalog.X", { settings: [1] }],
      ["/settings/forms/list:catalog.X", { other: 1 }],
    ] as const) {
      const r = await fetch(`${app.base}/api${path}`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      expect(r.status, path).to.equal(400);
    }
  });

  it("order, width, a hidden column and the sort are kept after a reload; «По умолчанию» restores the list", async () => {
    let page = await openList(app);
    const defaults = await columnState(page);
    const ids = defaults.map((c) => c.colId);
    expect(ids).to.include.members(["number", "date", "Amount", "Purpose"]);
    // the user's changes: «Сумма» first of the fields, «Номер» 260 px wide, «Назначение» hidden in «Колонки…»,
    // sorted by «Сумма» descending (two clicks on its header)
    await page.$eval(LIST, (el) => {
      const g = (
        el as unknown as {
          grid: {
            moveColumns(c: string[], i: number): void;
            setColumnWidths(w: { key: string; newWidth: number }[]): void;
          };
        }
      ).grid;
      g.moveColumns(["Amount"], 2);
      g.setColumnWidths([{ key: "number", newWidth: 260 }]);
    });
    // «Колонки…»: untick «Назначение платежа»
    await click(page, `${LIST} >>> button[data-cmd="columns"]`);
    await click(page, 'column-chooser >>> input[data-col="Purpose"]');
    await click(page, 'column-chooser >>> button[data-cmd="close"]');
    await until("the chooser closed", async () => !(await page.$("column-chooser")));
    const sortOf = async () => (await columnState(page)).find((c) => c.colId === "Amount")?.sort;
    await new Promise((r) => setTimeout(r, 800)); // the headers' move is animated
    await click(page, `${LIST} >>> .ag-header-cell[col-id="Amount"] .ag-header-cell-label`);
    await until("sorted ascending", async () => (await sortOf()) === "asc");
    await click(page, `${LIST} >>> .ag-header-cell[col-id="Amount"] .ag-header-cell-label`);
    await until("sorted descending", async () => (await sortOf()) === "desc");
    await page.$eval(LIST, (el) => (el as unknown as { settings: { flush(): Promise<void> } }).settings.flush());
    const saved = (await app.api("GET", `/settings/forms/${FORM}`)).settings;
    expect(saved.columns.map((c: State) => c.colId).indexOf("Amount")).to.equal(2);

    page = await openList(app, page);
    const after = await columnState(page);
    expect(after.map((c) => c.colId).indexOf("Amount")).to.equal(2);
    expect(after.find((c) => c.colId === "number")?.width).to.equal(260);
    expect(after.find((c) => c.colId === "Purpose")?.hide).to.equal(true);
    expect(after.find((c) => c.colId === "Amount")?.sort).to.equal("desc");
    // the rows come sorted as saved
    const amounts = await page.$$eval(`${LIST} >>> .ag-center-cols-container .ag-row .ag-cell[col-id="Amount"]`, (cs) =>
      cs.map((c) => Number((c.textContent ?? "").replace(/\s/g, "").replace(",", "."))),
    );
    expect(amounts).to.deep.equal([...amounts].sort((a, b) => b - a));

    // «По умолчанию»: the columns as defined, no sort, nothing saved
    await click(page, `${LIST} >>> button[data-cmd="reset-settings"]`);
    await until("the defaults", async () => {
      const s = await columnState(page);
      return s.map((c) => c.colId).join() === ids.join() && s.every((c) => !c.hide && !c.sort);
    });
    expect((await app.api("GET", `/settings/forms/${FORM}`)).settings).to.equal(null);
    page = await openList(app, page);
    expect((await columnState(page)).map((c) => c.colId)).to.deep.equal(ids);
    await page.close();
  });

  it("a tabular part keeps its widths and hidden columns per form; «По умолчанию» in its command bar restores them", async () => {
    const list = await app.api("GET", "/documents/TariffChange?limit=1");
    const id = list.rows[0].id;
    const TP = "app-shell >>> tabular-part";
    const state = (page: Page) =>
      page.$eval(TP, (el) =>
        (el as unknown as { api: { getColumnState(): State[] } }).api
          .getColumnState()
          .map((c) => ({ colId: c.colId, width: c.width, hide: c.hide })),
      );
    const page = await app.open(`/#/document/TariffChange/${id}`);
    await shellReady(page);
    await find(page, `${TP} >>> .ag-row[row-index='0'] .ag-cell`);
    await until("the settings attached", () =>
      page.$eval(TP, (el) => !!(el as unknown as { settings?: unknown }).settings),
    );
    const defaults = await state(page);
    await page.$eval(TP, (el) =>
      (el as unknown as { api: { setColumnWidths(w: { key: string; newWidth: number }[]): void } }).api.setColumnWidths(
        [{ key: "Rate", newWidth: 222 }],
      ),
    );
    await click(page, `${TP} >>> button.tb-columns`);
    await click(page, 'column-chooser >>> input[data-col="RateOverNorm"]');
    await click(page, 'column-chooser >>> button[data-cmd="close"]');
    await page.$eval(TP, (el) => (el as unknown as { settings: { flush(): Promise<void> } }).settings.flush());
    expect((await app.api("GET", "/settings/forms/table:document.TariffChange.Tariffs")).settings).to.not.equal(null);

    await page.reload({ waitUntil: "load" });
    await shellReady(page);
    await find(page, `${TP} >>> .ag-row[row-index='0'] .ag-cell`);
    await until(
      "the saved widths applied",
      async () => (await state(page)).find((c) => c.colId === "Rate")?.width === 222,
    );
    expect((await state(page)).find((c) => c.colId === "RateOverNorm")?.hide).to.equal(true);

    await click(page, `${TP} >>> button.tb-defaults`);
    await until("the defaults", async () => {
      const s = await state(page);
      return !s.find((c) => c.colId === "RateOverNorm")?.hide && s.find((c) => c.colId === "Rate")?.width !== 222;
    });
    expect((await app.api("GET", "/settings/forms/table:document.TariffChange.Tariffs")).settings).to.equal(null);
    expect((await state(page)).map((c) => c.colId)).to.deep.equal(defaults.map((c) => c.colId));
    await page.close();
  });
});
