/**
 * Issue 18, defect 5: the focus where a 1C user expects it. A list opened from the sections
 * panel takes the focus (Ins creates at once); a new form focuses its first editable field;
 * a click on an empty table focuses it (Ins adds a row); Esc closes a form (asking when it is
 * modified); F2 in a list opens the item; the user menu closes on a click outside or Esc.
 */
import { expect } from "chai";
import type { Page } from "puppeteer";
import { startApp, type App } from "./helpers/browser.ts";
import { activeCaption, click, find, shellReady, tabCaptions, until } from "./helpers/ui.ts";
import { tpOf } from "./helpers/seed.ts";

const LIST = "app-shell >>> .page:not([hidden]) list-form";
const OBJ = "app-shell >>> object-form";
const DOC = "app-shell >>> document-form";

/** "tag[name]" of the element that has the focus, through shadow roots (the innermost's host chain). */
const focusPath = (page: Page) =>
  page.evaluate(() => {
    const path: string[] = [];
    let a: Element | null = document.activeElement;
    while (a) {
      const name = a.getAttribute("name") ?? a.getAttribute("data-table") ?? "";
      path.push(`${a.tagName.toLowerCase()}${name ? `[${name}]` : ""}`);
      a = a.shadowRoot?.activeElement ?? null;
    }
    return path.join(" > ");
  });

describe("client: issue 18 — focus and keys", function () {
  let app: App;
  before(async () => {
    app = await startApp();
  });
  after(async () => app?.close());

  it("a list opened from the sections panel takes the focus: Ins creates; the new form focuses its first field and keeps what is typed", async () => {
    const page = await app.open("/");
    await shellReady(page);
    await click(page, `app-shell >>> .section[data-section="Accounts"]`);
    await click(page, `app-shell >>> a.link[data-content="catalog.Buildings"]`);
    await find(page, `${LIST} >>> .ag-row[row-index="0"] .ag-cell`);
    await until("the list has the focus", async () => /list-form/.test(await focusPath(page)));
    await page.keyboard.press("Insert");
    await until("a new building", async () => (await activeCaption(page)) === "Здания (создание)");
    await until("the name field has the focus", async () => /object-form > input\[name\]/.test(await focusPath(page)));
    await page.keyboard.type("Дом у пруда");
    expect(await page.$eval(`${OBJ} >>> input[name="name"]`, (i) => (i as HTMLInputElement).value)).to.equal(
      "Дом у пруда",
    );

    // Esc on a modified form asks; Esc in the question keeps the form; «Нет» closes it
    await page.keyboard.press("Escape");
    await find(page, "modal-dialog >>> button");
    await page.keyboard.press("Escape");
    await until("no question", async () => !(await page.$("modal-dialog")));
    expect(await tabCaptions(page)).to.include("Здания (создание) *");
    await page.focus(`${OBJ} >>> input[name="name"]`);
    await page.keyboard.press("Escape");
    await click(page, `modal-dialog >>> button[data-value="no"]`);
    await until("closed", async () => !(await tabCaptions(page)).some((c) => c.startsWith("Здания (создание)")));

    // an unmodified form closes on Esc without a question
    await click(page, `${LIST} >>> button[data-cmd="create"]`);
    await until("a new building", async () => (await activeCaption(page)) === "Здания (создание)");
    await until("focused", async () => /object-form > input/.test(await focusPath(page)));
    await page.keyboard.press("Escape");
    await until("closed without a question", async () => (await activeCaption(page)) === "Здания");
    expect(await page.$("modal-dialog")).to.equal(null);
    await page.close();
  });

  it("F2 in a list opens the item; a new document focuses its first attribute", async () => {
    const page = await app.open("/#/list/catalog/Buildings");
    await shellReady(page);
    await click(page, `${LIST} >>> .ag-row[row-index="0"] .ag-cell[col-id="name"]`);
    await page.keyboard.press("F2");
    await until("the building's form", async () => /\(Здания\)$/.test(await activeCaption(page)));

    await page.goto(`${app.base}/#/list/document/Payment`);
    await shellReady(page);
    await click(page, `${LIST} >>> button[data-cmd="create"]`);
    await until("a new payment", async () => /\(создание\)$/.test(await activeCaption(page)));
    await until("Лицевой счет has the focus", async () =>
      /-form > ref-input\[Account\] > input/.test(await focusPath(page)),
    );
    await page.close();
  });

  it("a click on an empty table focuses it: Ins adds a row", async () => {
    const page = await app.open("/#/list/document/TariffChange");
    await shellReady(page);
    await click(page, `${LIST} >>> button[data-cmd="create"]`);
    const tp = tpOf("Tariffs", DOC);
    await find(page, `${tp} >>> .ag-header-cell`);
    const box = (await (await find(page, `${tp} >>> .grid`)).boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height * 0.6); // under the header, no row there
    await page.keyboard.press("Insert");
    await until("a row", () => page.$(`${tp} >>> .ag-row[row-index="0"]`));
    await page.close();
  });

  it("the user menu closes on a click outside and on Esc", async () => {
    const page = await app.open("/");
    await shellReady(page);
    const menu = "app-shell >>> user-menu >>> .menu";
    await click(page, "app-shell >>> user-menu >>> .who");
    await find(page, menu);
    await page.mouse.click(700, 500);
    await until("closed by a click outside", async () => !(await page.$(menu)));
    await click(page, "app-shell >>> user-menu >>> .who");
    await find(page, menu);
    await page.keyboard.press("Escape");
    await until("closed by Esc", async () => !(await page.$(menu)));
    await page.close();
  });
});
