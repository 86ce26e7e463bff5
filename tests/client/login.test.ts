// Logging in through the login form: without a session the shell shows only the form; a wrong
// password is refused at the form; the right one opens the shell with the user's sections;
// the user menu logs out back to the form. A session that runs out while tabs are open asks
// to log in again over them and keeps them.
import { expect } from "chai";
import { startApp, type App } from "./helpers/browser.ts";
import { TEST_ADMIN_PASSWORD } from "../platform/api-client.ts";

describe("client: login and logout", function () {
  this.timeout(180_000);
  let app: App;
  before(async () => {
    app = await startApp();
  });
  after(async () => app?.close());

  const inShell = (page: any, sel: string) => page.$(`app-shell >>> ${sel}`);

  it("shows the login form without a session, refuses a wrong password, logs in and out", async () => {
    const context = await app.browser.createBrowserContext();
    const page = await context.newPage();
    try {
      await page.goto(app.base + "/", { waitUntil: "load" });
      await page.waitForSelector("app-shell >>> login-form", { timeout: 15_000 }).catch(async (e: Error) => {
        throw new Error(
          e.message +
            " — shell shows: " +
            (await page.evaluate(() => document.querySelector("app-shell")?.shadowRoot?.innerHTML.slice(0, 500))),
        );
      });
      expect(await inShell(page, "nav.sections")).to.equal(null);
      const input = async (sel: string, text: string) => {
        const el = await page.waitForSelector(`app-shell >>> login-form >>> ${sel}`);
        await el!.click({ clickCount: 3 });
        await el!.type(text);
      };
      await input("input[name=login], input#login, input[autocomplete=username]", "admin");
      await input("input[type=password]", "wrong-password");
      await page.keyboard.press("Enter");
      await page.waitForFunction(
        () =>
          /невер|Невер|incorrect|ошиб/i.test(
            document.querySelector("app-shell")?.shadowRoot?.querySelector("login-form")?.shadowRoot?.textContent ?? "",
          ),
        { timeout: 20_000 },
      );
      expect(await inShell(page, "nav.sections")).to.equal(null);
      await input("input[type=password]", TEST_ADMIN_PASSWORD);
      await page.keyboard.press("Enter");
      await page.waitForSelector("app-shell >>> nav.sections", { timeout: 20_000 });
      await app.shot(page, "login-done");
      const menu = await page.waitForSelector("app-shell >>> user-menu");
      expect(menu).to.not.equal(null);
      // Log out through the menu: the user's name, then «Выйти».
      await (await page.waitForSelector("app-shell >>> user-menu >>> button.who"))!.click();
      const items = await page.$$("app-shell >>> user-menu >>> button.item");
      await items[items.length - 1].click();
      await page.waitForSelector("app-shell >>> login-form", { timeout: 20_000 });
      expect(await inShell(page, "nav.sections")).to.equal(null);
      // The session is gone on the server too.
      expect(await page.evaluate(async () => (await fetch("/api/metadata")).status)).to.equal(401);
    } finally {
      await context.close();
    }
  });
});
