// Rights in the UI: a user sees only the sections and objects their roles may read, lists and
// forms offer only the commands the rights allow (no Создать/Записать/Провести for read-only
// objects; fields read-only), the reports they may open, and no journal unless administrator.
// Users of the demo (metadata/initial-data.ts DEMO.users) log in with DEMO_PASSWORD.
import { expect } from "chai";
import type { Page } from "puppeteer";
import { startApp, type App } from "./helpers/browser.ts";
import { login } from "../platform/api-client.ts";
import { click, shellReady, texts, until } from "./helpers/ui.ts";

const PASSWORD = "demo-password-for-rights";

async function openAs(app: App, user: string, path: string): Promise<Page & { errors: string[] }> {
  const s = await login(app.base, user, PASSWORD);
  const page = (await app.browser.newPage()) as Page & { errors: string[] };
  page.errors = [];
  page.on("pageerror", (e) => page.errors.push(String((e as Error).message ?? e)));
  await page.setCookie(
    { name: "sid", value: s.sid, url: app.base, httpOnly: true, sameSite: "Strict" },
    { name: "csrf", value: s.csrf, url: app.base, sameSite: "Strict" },
  );
  await page.goto(app.base + path, { waitUntil: "load" });
  await shellReady(page);
  return page;
}

const cmds = (page: Page, scope: string) =>
  page.$$eval(`${scope} >>> .bar button.cmd`, (bs) => bs.map((b) => b.getAttribute("data-cmd")));

describe("client: rights in the UI", function () {
  let app: App;
  let saved: string | undefined;
  before(async () => {
    saved = process.env.DEMO_PASSWORD;
    process.env.DEMO_PASSWORD = PASSWORD;
    app = await startApp();
  });
  after(async () => {
    if (saved === undefined) delete process.env.DEMO_PASSWORD;
    else process.env.DEMO_PASSWORD = saved;
    await app?.close();
  });

  it("the auditor (read only): no Создать/Записать/Провести/Пометить, read-only forms, no journal", async () => {
    const payment = (await app.api("GET", "/documents/Payment?limit=1")).rows[0];
    const page = await openAs(app, "auditor", "/#/list/document/Payment");
    await until("list", async () => page.$(`app-shell >>> list-form >>> button[data-cmd="open"]`));
    const listCmds = await cmds(page, "app-shell >>> list-form");
    for (const c of ["create", "copy", "mark", "post", "unpost"]) expect(listCmds, c).to.not.include(c);
    await page.goto(`${app.base}/#/document/Payment/${payment.id}`);
    await page.reload({ waitUntil: "load" });
    await shellReady(page);
    const form = "app-shell >>> .page:not([hidden]) > *";
    await until("document form", async () => page.$(`${form} >>> input[name="number"]`));
    const formCmds = await cmds(page, form);
    for (const c of ["post-close", "write", "post", "unpost"]) expect(formCmds, c).to.not.include(c);
    expect(formCmds).to.include("close");
    expect(await page.$eval(`${form} >>> input[name="number"]`, (i) => (i as HTMLInputElement).readOnly)).to.equal(
      true,
    );
    expect(await page.$eval(`${form} >>> input[name="comment"]`, (i) => (i as HTMLInputElement).readOnly)).to.equal(
      true,
    );
    await app.shot(page, "rights-auditor-readonly-document");
    // every section's links: no journal for a non-administrator
    const sections = await texts(page, "app-shell >>> .section");
    for (const s of await page.$$eval("app-shell >>> .section", (bs) =>
      bs.map((b) => b.getAttribute("data-section")),
    )) {
      await click(page, `app-shell >>> .section[data-section="${s}"]`);
      expect(await page.$("app-shell >>> a.link[data-content='journal']"), s!).to.equal(null);
    }
    expect(sections.length).to.be.greaterThan(3);
    expect(page.errors).to.deep.equal([]);
    await page.close();
  });

  it("the cashier: sections without readable objects are hidden, Payment writable, catalogs read-only, three reports", async () => {
    const page = await openAs(app, "cashier", "/");
    const sections = await page.$$eval("app-shell >>> .section", (bs) => bs.map((b) => b.getAttribute("data-section")));
    // Начисления holds only documents and registers the cashier may not read
    expect(sections).to.not.include("Charging");
    expect(sections).to.include.members(["Accounts", "Payments", "Reports"]);
    await click(page, `app-shell >>> .section[data-section="Accounts"]`);
    const links = await page.$$eval("app-shell >>> a.link", (as) => as.map((a) => a.getAttribute("data-content")));
    expect(links).to.include("catalog.PersonalAccounts");
    expect(links).to.not.include("document.AccountServiceChange");
    expect(links).to.not.include("informationRegister.AccountServices");
    await click(page, `app-shell >>> .section[data-section="Reports"]`);
    const reports = await until("reports", async () => {
      const r = await page.$$eval("app-shell >>> a.link[data-content^='report.']", (as) =>
        as.map((a) => a.getAttribute("data-content")),
      );
      return r.length ? r : null;
    });
    expect(reports.sort()).to.deep.equal(["report.payments-register", "report.receipt", "report.receipt-43pr"]);
    // Payment: create and post allowed; a catalog: read only
    await click(page, `app-shell >>> .section[data-section="Payments"]`);
    await click(page, `app-shell >>> a.link[data-content="document.Payment"]`);
    await until("payment list", async () => page.$(`app-shell >>> list-form >>> button[data-cmd="create"]`));
    expect(await cmds(page, "app-shell >>> list-form")).to.include.members(["create", "post"]);
    await click(page, `app-shell >>> .section[data-section="Accounts"]`);
    await click(page, `app-shell >>> a.link[data-content="catalog.PersonalAccounts"]`);
    await until("accounts list", async () =>
      page.$(`app-shell >>> .page:not([hidden]) > list-form >>> button[data-cmd="open"]`),
    );
    const listCmds = await cmds(page, "app-shell >>> .page:not([hidden]) > list-form");
    expect(listCmds).to.not.include("create");
    expect(listCmds).to.include("open");
    await app.shot(page, "rights-cashier");
    expect(page.errors).to.deep.equal([]);
    await page.close();
  });
});
