import { expect } from "chai";
import type { Page } from "puppeteer";
import { startApp, type App } from "./helpers/browser.ts";
import { activeCaption, click, shellReady, tabCaptions, text, typeInto, until } from "./helpers/ui.ts";

// the generic catalog form, or the configuration's form of MeterTypes (an ObjectForm without Код)
const FORM = "app-shell >>> :is(object-form, meter-types-form)";

async function newMeterKindForm(app: App): Promise<Page & { errors: string[] }> {
  const page = await app.open("/#/list/catalog/MeterTypes");
  await shellReady(page);
  await click(page, `app-shell >>> list-form >>> button[data-cmd="create"]`);
  await page.waitForSelector(`${FORM} >>> input[name="name"]`, { visible: true });
  return page;
}

describe("client: catalog forms", function () {
  let app: App;
  before(async () => {
    app = await startApp();
  });
  after(async () => app?.close());

  it("creates an item through the form: every field type is written and the item appears in the API", async () => {
    const page = await newMeterKindForm(app);
    expect(await activeCaption(page)).to.equal("Виды приборов учета (создание)");
    await typeInto(page, `${FORM} >>> input[name="name"]`, "Электроэнергия тест");
    await typeInto(page, `${FORM} >>> input[name="Unit"]`, "кВт·ч");
    await page.select(`${FORM} >>> select[name="ReadingType"]`, "Cumulative");
    await typeInto(page, `${FORM} >>> input[name="DigitCapacity"]`, "6");
    // the tab shows the unsaved change
    await until("dirty mark", async () => (await tabCaptions(page)).some((c) => c.endsWith("*")));
    expect(await page.$eval(`${FORM} >>> input[name="DigitCapacity"]`, (i) => (i as HTMLInputElement).value)).to.equal(
      "6",
    );
    await app.shot(page, "catalog-form-filled");
    await click(page, `${FORM} >>> button[data-cmd="write-close"]`);
    await until("form closed", async () => !(await page.$(FORM)));
    const found = await app.api("GET", `/catalogs/MeterTypes?search=${encodeURIComponent("Электроэнергия тест")}`);
    expect(found.total).to.equal(1);
    expect(found.rows[0]).to.include({
      name: "Электроэнергия тест",
      Unit: "кВт·ч",
      ReadingType: "Cumulative",
      DigitCapacity: "6",
    });
    // the list refreshed and shows it
    await until("row in list", async () =>
      (
        await page.$$eval('app-shell >>> list-form >>> .ag-cell[col-id="name"]', (cs) => cs.map((c) => c.textContent))
      ).includes("Электроэнергия тест"),
    );
    expect(page.errors).to.deep.equal([]);
    await page.close();
  });

  it("opens an item by double-click, shows its values and writes a change (Записать keeps the form)", async () => {
    const item = (await app.api("GET", "/catalogs/MeterTypes?limit=1")).rows[0];
    const page = await app.open("/#/list/catalog/MeterTypes");
    await shellReady(page);
    const first = await page.waitForSelector(`app-shell >>> list-form >>> .ag-cell[col-id="name"]`);
    await first!.click({ count: 2 });
    await page.waitForSelector(`${FORM} >>> input[name="name"]`, { visible: true });
    expect(await page.$eval(`${FORM} >>> input[name="name"]`, (i) => (i as HTMLInputElement).value)).to.equal(
      item.name,
    );
    expect(await activeCaption(page)).to.equal(`${item.name} (Виды приборов учета)`);
    await typeInto(page, `${FORM} >>> input[name="Unit"]`, "л");
    await click(page, `${FORM} >>> button[data-cmd="write"]`);
    await until("written", async () => (await app.api("GET", `/catalogs/MeterTypes/${item.id}`)).Unit === "л");
    await until(
      "clean title",
      async () => !(await activeCaption(page)).endsWith("*") && !(await tabCaptions(page)).some((c) => c.endsWith("*")),
    );
    expect(await page.$(FORM)).to.not.equal(null);
    await page.close();
  });

  it("shows a server field error at the field: red outline and the message, nothing written", async () => {
    const before = (await app.api("GET", "/catalogs/MeterTypes?limit=1")).total;
    const page = await newMeterKindForm(app);
    await typeInto(page, `${FORM} >>> input[name="name"]`, "Слишком много разрядов");
    await page.select(`${FORM} >>> select[name="ReadingType"]`, "Cumulative");
    await typeInto(page, `${FORM} >>> input[name="DigitCapacity"]`, "123");
    await click(page, `${FORM} >>> button[data-cmd="write"]`);
    await until("error at the field", () => page.$(`${FORM} >>> .field.error[data-field="DigitCapacity"]`));
    const msg = await text(page, `${FORM} >>> .field.error[data-field="DigitCapacity"] .err`);
    expect(msg)
      .to.match(/Разрядность/)
      .and.to.match(/123/);
    const outline = await page.$eval(
      `${FORM} >>> input[name="DigitCapacity"]`,
      (i) => getComputedStyle(i).outlineColor,
    );
    expect(outline).to.equal("rgb(219, 40, 40)");
    // other fields carry no error
    expect(await page.$(`${FORM} >>> .field.error[data-field="name"]`)).to.equal(null);
    expect((await app.api("GET", "/catalogs/MeterTypes?limit=1")).total).to.equal(before);
    await app.shot(page, "catalog-form-field-error");
    // correcting the value clears the mark and writes
    await typeInto(page, `${FORM} >>> input[name="DigitCapacity"]`, "5");
    expect(await page.$(`${FORM} >>> .field.error[data-field="DigitCapacity"]`)).to.equal(null);
    await click(page, `${FORM} >>> button[data-cmd="write"]`);
    await until("written", async () => (await app.api("GET", "/catalogs/MeterTypes?limit=1")).total === before + 1);
    await page.close();
  });

  it("a number typed in Russian format is sent as a decimal string and shown with its decimals", async () => {
    const page = await app.open("/#/list/catalog/Buildings");
    await shellReady(page);
    await click(page, `app-shell >>> list-form >>> button[data-cmd="create"]`);
    await page.waitForSelector(`${FORM} >>> input[name="name"]`, { visible: true });
    await typeInto(page, `${FORM} >>> input[name="name"]`, "Дом для проверки");
    await typeInto(page, `${FORM} >>> input[name="Address"]`, "ул. Проверочная, 1");
    await typeInto(page, `${FORM} >>> input[name="TotalArea"]`, "1 234,5");
    expect(
      await page.$eval(`${FORM} >>> input[name="TotalArea"]`, (i) =>
        (i as HTMLInputElement).value.replace(/\u00a0/g, " "),
      ),
    ).to.equal("1 234,50");
    await page.keyboard.down("Control");
    await page.keyboard.press("s");
    await page.keyboard.up("Control");
    await until(
      "saved",
      async () =>
        (await app.api("GET", `/catalogs/Buildings?search=${encodeURIComponent("Дом для проверки")}`)).total === 1,
    );
    const b = (await app.api("GET", `/catalogs/Buildings?search=${encodeURIComponent("Дом для проверки")}`)).rows[0];
    expect(b.TotalArea).to.equal("1234.50");
    await until("title", async () => (await activeCaption(page)) === "Дом для проверки (Здания)");
    await page.close();
  });
});
