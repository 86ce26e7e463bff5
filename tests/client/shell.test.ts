import { expect } from "chai";
import { startApp, type App } from "./helpers/browser.ts";

describe("client: the bundle is served and runs", function () {
  let app: App;
  before(async () => {
    app = await startApp();
  });
  after(async () => app?.close());

  it("loads index.html, app.js and renders <app-shell> without errors", async () => {
    const page = await app.open();
    await page.waitForFunction(() => !!document.querySelector("app-shell")?.shadowRoot);
    expect(page.errors).to.deep.equal([]);
    await app.shot(page, "shell");
    await page.close();
  });
});
