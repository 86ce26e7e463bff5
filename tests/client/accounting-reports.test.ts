// The accountant's ОСВ in the browser (issue 16 §4): it opens from the «Бухгалтерия» section, shows
// the demo's November 2011 (62.01 Дт 57 553,73, Кт 1 994,77 — tests/reports has the figures), and a
// click on an account's code in the report opens a new tab, the ОСВ by that account with the
// period and the account filled (the viewer opens a report's <a data-open>), which shows 62's
// sub-accounts.
import { expect } from "chai";
import type { Frame, Page } from "puppeteer";
import { startApp, type App } from "./helpers/browser.ts";
import { activeCaption, click, shellReady, tabCaptions, typeInto, until } from "./helpers/ui.ts";

const PAGE = "app-shell >>> .page:not([hidden])";
const FORM = `${PAGE} report-form`;
const VIEWER = `${FORM} >>> report-viewer`;

async function reportFrame(page: Page): Promise<Frame> {
  await until("the report shown", async () => page.$(`${VIEWER}[loaded]`), 20_000);
  const frame = await (await page.$(`${VIEWER} >>> iframe`))!.contentFrame();
  return frame!;
}
const squeeze = (s: string) => s.replace(/[\s\u00a0\u202f]+/g, "");

describe("client: the ОСВ from «Бухгалтерия» and its drill-down", function () {
  let app: App;
  before(async () => {
    app = await startApp();
  });
  after(async () => app?.close());

  it("opens from the section, shows 62.01's turnovers, a code opens the ОСВ by that account", async () => {
    const page = await app.open("/");
    await shellReady(page);
    await click(page, `app-shell >>> .section[data-section="Accounting"]`);
    await click(page, `app-shell >>> a.link[data-content="report.trial-balance"]`);
    await until("tab title", async () => (await activeCaption(page)) === "Оборотно-сальдовая ведомость");
    await typeInto(page, `${FORM} >>> input[name="from"]`, "01.11.2011");
    await typeInto(page, `${FORM} >>> input[name="to"]`, "30.11.2011");
    await click(page, `${FORM} >>> input[name="subaccounts"]`);
    await click(page, `${FORM} >>> button[data-cmd="generate"]`);
    const frame = await reportFrame(page);
    const row = squeeze(
      await frame.$$eval("tr", (trs) => trs.map((tr) => tr.textContent ?? "").find((t) => /^\s*62\.01/.test(t)) ?? ""),
    );
    expect(row).to.include("57553,73").and.include("1994,77");
    const tabs = (await tabCaptions(page)).length;
    await frame.click('tr[data-account="62"] a[data-open]');
    await until("a new tab", async () => (await tabCaptions(page)).length === tabs + 1);
    expect(await activeCaption(page)).to.equal("Оборотно-сальдовая ведомость");
    const value = (name: string) =>
      page.$eval(`${FORM} >>> input[name="${name}"]`, (i) => (i as HTMLInputElement).value);
    expect([await value("from"), await value("to")]).to.deep.equal(["01.11.2011", "30.11.2011"]);
    await click(page, `${FORM} >>> button[data-cmd="generate"]`);
    const byAccount = await reportFrame(page);
    const title = await byAccount.$eval(".report-title", (e) => e.textContent ?? "");
    expect(title).to.include("по счету 62");
    const codes = await byAccount.$$eval("tr[data-account]", (trs) => trs.map((t) => t.getAttribute("data-account")));
    expect(codes).to.include.members(["62", "62.01"]);
    await page.close();
  });
});
