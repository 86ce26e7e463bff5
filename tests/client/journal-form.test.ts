// The journal form (Журнал регистрации) in the browser: the administrator opens it from the
// Администрирование section, an action just done in the UI is listed (newest first) with its
// before/after difference, and the filters (object, action, user, period) narrow the list.
import { expect } from "chai";
import { startApp, type App } from "./helpers/browser.ts";
import { click, columnTexts, shellReady, text, typeInto, until } from "./helpers/ui.ts";

// the generic catalog form, or the configuration's form of MeterTypes (an ObjectForm without Код)
const FORM = "app-shell >>> :is(object-form, meter-types-form)";
const JOURNAL = "app-shell >>> journal-form";

describe("client: journal form", function () {
  let app: App;
  before(async () => {
    app = await startApp();
  });
  after(async () => app?.close());

  it("lists a change just made in a form with its before/after diff; filters by object, action, user and period", async () => {
    const item = (await app.api("GET", "/catalogs/MeterTypes?limit=1")).rows[0];
    const page = await app.open(`/#/catalog/MeterTypes/${item.id}`);
    await shellReady(page);
    await typeInto(page, `${FORM} >>> input[name="Unit"]`, "литр");
    await click(page, `${FORM} >>> button[data-cmd="write"]`);
    await until("written", async () => (await app.api("GET", `/catalogs/MeterTypes/${item.id}`)).Unit === "литр");

    await click(page, `app-shell >>> .section[data-section="Administration"]`);
    await click(page, `app-shell >>> a.link[data-content="journal"]`);
    await until("journal rows", async () => (await columnTexts(page, JOURNAL, "action"))[0]);
    // newest first: the change just made
    expect((await columnTexts(page, JOURNAL, "action"))[0]).to.equal("Изменение");
    expect((await columnTexts(page, JOURNAL, "object"))[0])
      .to.include("Виды приборов учета")
      .and.include(item.name);
    expect((await columnTexts(page, JOURNAL, "user"))[0]).to.equal("admin");
    // its diff in the detail panel: the attribute's synonym, the old and the new value
    await click(page, `${JOURNAL} >>> .ag-row[row-index="0"] .ag-cell[col-id="action"]`);
    await until("diff shown", async () => !!(await page.$(`${JOURNAL} >>> .detail table.diff tr[data-field="Unit"]`)));
    expect(await text(page, `${JOURNAL} >>> .detail tr[data-field="Unit"] td.before`)).to.equal(item.Unit);
    expect(await text(page, `${JOURNAL} >>> .detail tr[data-field="Unit"] td.after`)).to.equal("литр");
    expect(await text(page, `${JOURNAL} >>> .detail tr[data-field="Unit"] td.name`)).to.not.equal("Unit");
    await app.shot(page, "journal-diff");

    // filters: object + action give exactly the entries of the API with the same filter
    await page.select(`${JOURNAL} >>> select[name="object"]`, "catalog.MeterTypes");
    await page.select(`${JOURNAL} >>> select[name="action"]`, "update");
    await click(page, `${JOURNAL} >>> button[data-cmd="apply"]`);
    const api = await app.api("GET", "/journal?object=catalog.MeterTypes&action=update");
    await until("filtered total", async () => (await text(page, `${JOURNAL} >>> .total`)) === `Всего: ${api.total}`);
    expect(new Set(await columnTexts(page, JOURNAL, "action"))).to.deep.equal(new Set(["Изменение"]));
    // a user with no entries, then a period in the past: nothing
    await typeInto(page, `${JOURNAL} >>> input[name="user"]`, "nobody");
    await click(page, `${JOURNAL} >>> button[data-cmd="apply"]`);
    await until("no rows for nobody", async () => (await text(page, `${JOURNAL} >>> .total`)) === "Всего: 0");
    await click(page, `${JOURNAL} >>> button[data-cmd="reset"]`);
    await until(
      "all rows again",
      async () => Number((await text(page, `${JOURNAL} >>> .total`)).replace(/\D/g, "")) > api.total,
    );
    await page.$eval(`${JOURNAL} >>> input[name="to"]`, (i) => {
      (i as HTMLInputElement).value = "2000-01-01";
      i.dispatchEvent(new Event("change"));
    });
    await click(page, `${JOURNAL} >>> button[data-cmd="apply"]`);
    await until("nothing before 2000", async () => (await text(page, `${JOURNAL} >>> .total`)) === "Всего: 0");
    expect(page.errors).to.deep.equal([]);
    await page.close();
  });
});
