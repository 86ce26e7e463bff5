import { expect } from "chai";
import { startApp, type App } from "./helpers/browser.ts";
import type { Page } from "puppeteer";
import { activeCaption, click, columnTexts, shellReady, tabCaptions, texts, until } from "./helpers/ui.ts";

describe("client: shell sections, tabs and list forms", function () {
  let app: App;
  let md: any;
  before(async () => {
    app = await startApp();
    md = await app.api("GET", "/metadata");
  });
  after(async () => app?.close());

  it("shows the subsystems as sections in their order and a section's content as links", async () => {
    const page = await app.open();
    await shellReady(page);
    const sections = await texts(page, "app-shell >>> .section");
    expect(sections).to.deep.equal(md.subsystems.map((s: any) => s.synonym));
    const second = md.subsystems[1];
    await click(page, `app-shell >>> .section[data-section="${second.name}"]`);
    const links = await page.$$eval("app-shell >>> .link", (as) => as.map((a) => a.getAttribute("data-content")));
    expect([...links].sort()).to.deep.equal([...second.content].sort());
    expect(await texts(page, "app-shell >>> .section.current")).to.deep.equal([second.synonym]);
    await app.shot(page, "shell-sections");
    expect(page.errors).to.deep.equal([]);
    await page.close();
  });

  it("opens lists in tabs, keeps the active tab in the hash, restores tabs on reload and closes them", async () => {
    const page = await app.open();
    await shellReady(page);
    const sub = md.subsystems.find((s: any) => s.content.filter((c: string) => c.startsWith("catalog.")).length >= 2);
    const [c1, c2] = sub.content.filter((c: string) => c.startsWith("catalog.")).map((c: string) => c.split(".")[1]);
    const syn = (n: string) => md.catalogs.find((c: any) => c.name === n).synonym;
    await click(page, `app-shell >>> .section[data-section="${sub.name}"]`);
    await click(page, `app-shell >>> .link[data-content="catalog.${c1}"]`);
    await until("first tab", async () => (await activeCaption(page)) === syn(c1));
    await click(page, `app-shell >>> .link[data-content="catalog.${c2}"]`);
    await until("second tab", async () => (await activeCaption(page)) === syn(c2));
    expect(await tabCaptions(page)).to.deep.equal([syn(c1), syn(c2)]);
    expect(await page.evaluate(() => location.hash)).to.equal(`#/list/catalog/${c2}`);
    // back to the first by its tab
    await click(page, `app-shell >>> .tab[data-key="list/catalog/${c1}"]`);
    expect(await page.evaluate(() => location.hash)).to.equal(`#/list/catalog/${c1}`);
    // reload: both tabs again, the first active
    await page.reload({ waitUntil: "load" });
    await shellReady(page);
    await until(
      "tabs restored",
      async () => (await tabCaptions(page)).length === 2 && (await activeCaption(page)) === syn(c1),
    );
    await app.shot(page, "shell-tabs");
    // close the active one: the other becomes active
    await click(page, `app-shell >>> .tab.active .x`);
    await until("tab closed", async () => (await tabCaptions(page)).length === 1);
    expect(await activeCaption(page)).to.equal(syn(c2));
    expect(await page.evaluate(() => location.hash)).to.equal(`#/list/catalog/${c2}`);
    expect(page.errors).to.deep.equal([]);
    await page.close();
  });

  it("a list loads its first page from the API, sorts by a column and searches", async () => {
    const api = await app.api("GET", "/catalogs/PersonalAccounts?limit=100");
    expect(api.total).to.be.greaterThan(2);
    const page = await app.open("/#/list/catalog/PersonalAccounts");
    await shellReady(page);
    const list = "app-shell >>> list-form";
    await until("rows", async () => (await columnTexts(page, list, "name")).length === api.rows.length);
    expect(await columnTexts(page, list, "name")).to.deep.equal(api.rows.map((r: any) => r.name));
    expect(await columnTexts(page, list, "code")).to.deep.equal(api.rows.map((r: any) => r.code));
    expect(await texts(page, `${list} >>> .total`)).to.deep.equal([`Всего: ${api.total}`]);

    // sort by name descending: two clicks on the header
    const desc = await app.api("GET", "/catalogs/PersonalAccounts?limit=100&sort=-name");
    const header = `${list} >>> .ag-header-cell[col-id="name"] .ag-header-cell-label`;
    await click(page, header);
    await click(page, header);
    await until(
      "sorted",
      async () =>
        JSON.stringify(await columnTexts(page, list, "name")) === JSON.stringify(desc.rows.map((r: any) => r.name)),
    );

    // quick search
    const needle = api.rows[1].name.split(" ")[0];
    const found = await app.api(
      "GET",
      `/catalogs/PersonalAccounts?limit=100&sort=-name&search=${encodeURIComponent(needle)}`,
    );
    expect(found.total).to.be.lessThan(api.total);
    await page.type(`${list} >>> input.search`, needle);
    await until(
      "searched",
      async () =>
        JSON.stringify(await columnTexts(page, list, "name")) === JSON.stringify(found.rows.map((r: any) => r.name)),
    );
    expect(await texts(page, `${list} >>> .total`)).to.deep.equal([`Всего: ${found.total}`]);
    await app.shot(page, "list-search");
    expect(page.errors).to.deep.equal([]);
    await page.close();
  });

  it("a document list shows the posted state icon from the API", async () => {
    const api = await app.api("GET", "/documents/TariffChange?limit=100");
    const page = await app.open("/#/list/document/TariffChange");
    await shellReady(page);
    const list = "app-shell >>> list-form";
    await until("rows", async () => (await columnTexts(page, list, "number")).length === api.rows.length);
    const states = await columnClasses(page, list);
    expect(states.length).to.equal(api.rows.length);
    api.rows.forEach((r: any, i: number) =>
      expect(states[i]).to.contain(r.deletionMark ? "state-deleted" : r.posted ? "state-posted" : "state-draft"),
    );
    await app.shot(page, "list-documents");
    await page.close();
  });

  it("a list of thousands of rows asks only for the blocks it shows; the total is the API's", async () => {
    // 5,000 rows straight into the catalog's table, as the owner
    await app.platform.db.owner
      .query(
        `INSERT INTO cat_buildings (area, code, name, address) SELECT 1, 'Z' || lpad(g::text, 4, '0'), 'Объект ' || g, 'Адрес ' || g FROM generate_series(1, 5000) g`,
      )
      .catch(async (e) => {
        throw new Error(`seed: ${e.message}`);
      });
    const total = (await app.api("GET", "/catalogs/Buildings?limit=1")).total;
    expect(total).to.be.greaterThan(5000);
    const page = await app.open();
    const requests: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes("/api/catalogs/Buildings")) requests.push(r.url());
    });
    await page.goto(app.base + "/#/list/catalog/Buildings", { waitUntil: "load" });
    await shellReady(page);
    const list = "app-shell >>> list-form";
    await until("rows", async () => (await columnTexts(page, list, "name")).length > 10);
    // The total comes a moment after the rows (counted separately, not holding them up).
    await until(
      "total",
      async () => JSON.stringify(await texts(page, `${list} >>> .total`)) === JSON.stringify([`Всего: ${total}`]),
    );
    expect(requests.length).to.be.at.most(2);
    for (const u of requests) expect(Number(new URL(u).searchParams.get("limit"))).to.be.at.most(100);
    // the grid knows every row without loading them: scroll to the end
    const listEl = await page.$(list);
    expect(await listEl!.evaluate((l: any) => l.grid.getDisplayedRowCount())).to.equal(total);
    await listEl!.evaluate((l: any, n: number) => l.grid.ensureIndexVisible(n - 1, "bottom"), total);
    await until("last block", async () =>
      requests.some((u) => Number(new URL(u).searchParams.get("offset")) >= total - 100),
    );
    expect(requests.length).to.be.lessThan(6);
    await app.shot(page, "list-many");
    await page.close();
  });
});

/** The state icons' classes of the rendered rows, in display order. */
async function columnClasses(page: Page, list: string): Promise<string[]> {
  const cells = await page.$$(`${list} >>> .state`);
  const pairs = await Promise.all(
    cells.map((h) =>
      h.evaluate((c) => [Number(c.closest(".ag-row")?.getAttribute("row-index")), c.className] as [number, string]),
    ),
  );
  return pairs.sort((a, b) => a[0] - b[0]).map((p) => p[1]);
}
