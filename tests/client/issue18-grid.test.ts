/**
 * Issue 18, defects 8 and 4: AG Grid's own texts in Russian in every grid (empty tables, filter
 * menus); columns that show their content — sized to it on first open, the whole text of a cut
 * cell in a tooltip, money with two decimals, filter icons beside the header text, not over it.
 */
import { expect } from "chai";
import type { Page } from "puppeteer";
import { startApp, type App } from "./helpers/browser.ts";
import { click, find, shellReady, texts, until } from "./helpers/ui.ts";
import { DOC, MV, tpOf } from "./helpers/seed.ts";

const LIST = "app-shell >>> .page:not([hidden]) list-form";
const REG = "app-shell >>> .page:not([hidden]) register-view";

/** Cells of a column whose text is wider than the cell (cut with «…»). */
const cutCells = (page: Page, scope: string, col: string) =>
  page.$$eval(`${scope} >>> .ag-row .ag-cell[col-id="${col}"]`, (cells) =>
    cells
      .map((c) => (c.querySelector(".ag-cell-value") ?? c) as HTMLElement)
      .filter((v) => v.scrollWidth > v.clientWidth + 1)
      .map((v) => v.textContent ?? ""),
  );

describe("client: issue 18 — grids in Russian, columns that show their content", function () {
  let app: App;
  before(async () => {
    app = await startApp();
  });
  after(async () => app?.close());

  it("defect 8: an empty table, an empty list and a column's filter speak Russian", async () => {
    const page = await app.open("/#/list/document/TariffChange");
    await shellReady(page);
    await click(page, `${LIST} >>> button[data-cmd="create"]`);
    const tp = tpOf("Tariffs", DOC);
    await find(page, `${tp} >>> .ag-overlay-no-rows-center`);
    expect(await texts(page, `${tp} >>> .ag-overlay-no-rows-center`)).to.deep.equal(["Нет строк"]);

    await page.goto(`${app.base}/#/list/catalog/Buildings`);
    await shellReady(page);
    await find(page, `${LIST} >>> .ag-row[row-index="0"] .ag-cell[col-id="name"]`);
    await page.type(`${LIST} >>> input.search`, "нет такого здания");
    await find(page, `${LIST} >>> .ag-overlay-no-rows-center`);
    expect(await texts(page, `${LIST} >>> .ag-overlay-no-rows-center`)).to.deep.equal(["Нет строк"]);

    // a column's filter: every text and label in Russian
    await click(page, `${LIST} >>> .ag-header-cell[col-id="name"] .ag-header-cell-filter-button`);
    const popup = await find(page, `${LIST} >>> .ag-filter`);
    const words = await popup.evaluate((el) => {
      const out = [(el as HTMLElement).innerText];
      for (const x of el.querySelectorAll("[placeholder], [aria-label], [title]"))
        out.push(
          x.getAttribute("placeholder") ?? "",
          x.getAttribute("aria-label") ?? "",
          x.getAttribute("title") ?? "",
        );
      return out.join(" ");
    });
    expect(words).to.match(/Равно/);
    expect(words.match(/[A-Za-z]{2,}/g) ?? []).to.deep.equal([]);
    await page.close();
  });

  it("defect 4: the account code is not cut; a cut cell shows its whole text in a tooltip; money has two decimals; filter icons beside the header text", async () => {
    const page = await app.open("/#/list/catalog/PersonalAccounts");
    await shellReady(page);
    await find(page, `${LIST} >>> .ag-row[row-index="0"] .ag-cell[col-id="code"]`);
    await until("codes shown whole", async () => (await cutCells(page, LIST, "code")).length === 0);
    expect(await texts(page, `${LIST} >>> .ag-row .ag-cell[col-id="code"]`)).to.include("00000000001");

    // header text and its icons do not overlap
    const overlaps = await page.$$eval(`${LIST} >>> .ag-header-cell`, (cells) =>
      cells.flatMap((c) => {
        const text = c.querySelector(".ag-header-cell-text")?.getBoundingClientRect();
        if (!text || !text.width) return [];
        return [...c.querySelectorAll(".ag-header-icon, .ag-header-cell-filter-button")]
          .map((i) => i.getBoundingClientRect())
          .filter((r) => r.width && r.left < text.right - 1 && r.right > text.left + 1)
          .map(() => c.getAttribute("col-id"));
      }),
    );
    expect(overlaps).to.deep.equal([]);

    // Взаиморасчеты: money with two decimals
    await page.goto(`${app.base}/#/register/Settlements`);
    await shellReady(page);
    for (const [name, value] of [
      ["from", "2011-11-01"],
      ["to", "2011-11-30"],
    ])
      await (await find(page, `${REG} >>> input[name="${name}"]`)).evaluate((i, v) => {
        (i as HTMLInputElement).value = v as string;
        i.dispatchEvent(new Event("change", { bubbles: true }));
      }, value);
    await find(page, `${REG} >>> .ag-row[row-index="0"] .ag-cell[col-id="Amount"]`);
    const amounts = (await texts(page, `${REG} >>> .ag-row .ag-cell[col-id="Amount"]`)).filter(Boolean);
    expect(amounts.length).to.be.greaterThan(0);
    for (const a of amounts) expect(a).to.match(/^-?\d{1,3}( \d{3})*,\d{2}$/);

    // Движения of the demo accrual: a cut Расшифровка shows its whole text on hover
    const accrual = (await app.api("GET", "/documents/GroupAccrual?limit=1")).rows[0];
    await page.goto(`${app.base}/#/movements/GroupAccrual/${accrual.id}`);
    await shellReady(page);
    const scope = `${MV} >>> .register[data-register="Accruals"]`;
    await find(page, `${scope} .ag-row[row-index="0"] .ag-cell[col-id="Explanation"]`);
    const cut = await page.$$eval(`${MV} >>> .ag-row .ag-cell[col-id="Explanation"]`, (cells) =>
      cells
        .filter((c) => {
          const v = (c.querySelector(".ag-cell-value") ?? c) as HTMLElement;
          return v.scrollWidth > v.clientWidth + 1;
        })
        .map((c) => c.closest(".ag-row")?.getAttribute("row-index")),
    );
    expect(cut.length).to.be.greaterThan(0);
    const cell = await find(page, `${MV} >>> .ag-row[row-index="${cut[0]}"] .ag-cell[col-id="Explanation"]`);
    const whole = await cell.evaluate((c) => (c.textContent ?? "").trim());
    await cell.hover();
    const b = (await cell.boundingBox())!;
    await page.mouse.move(b.x + b.width / 2 + 5, b.y + b.height / 2);
    const tip = await find(page, `${MV} >>> .ag-tooltip`);
    expect(await tip.evaluate((x) => (x.textContent ?? "").trim())).to.equal(whole);
    await page.close();
  });
});
