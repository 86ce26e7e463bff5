/**
 * Issue 18, defect 9: reports and receipts open with the current period filled in, and a
 * downloaded file is named by what it holds («Квитанция на оплату 00000000001 ноябрь 2011.pdf»),
 * not by the form's title alone. Defect 10: a section never lists two things under one name (or
 * names that differ by an ending: «Настройка пени» / «Настройки пени»).
 */
import { expect } from "chai";
import { startApp, type App } from "./helpers/browser.ts";
import { click, find, shellReady, texts, until } from "./helpers/ui.ts";

const FORM = "app-shell >>> report-form";
const VIEWER = `${FORM} >>> report-viewer`;

describe("client: issue 18 — reports open on the current period; files named by their content", function () {
  let app: App;
  before(async () => {
    app = await startApp();
  });
  after(async () => app?.close());

  it("a month is this month, a range starts on this month's first day, a date is today", async () => {
    const now = new Date();
    const mm = String(now.getMonth() + 1).padStart(2, "0");
    const dd = String(now.getDate()).padStart(2, "0");
    const page = await app.open("/#/report/receipt");
    await shellReady(page);
    const value = async (name: string) =>
      (await find(page, `${FORM} >>> input[name="${name}"]`)).evaluate((i) => (i as HTMLInputElement).value);
    expect(await value("period")).to.equal(`${mm}.${now.getFullYear()}`);
    await page.goto(`${app.base}/#/report/payments-register`);
    await shellReady(page);
    await until("the form", () => page.$(`${FORM} >>> input[name="to"]`));
    expect(await value("from")).to.equal(`01.${mm}.${now.getFullYear()}`);
    expect(await value("to")).to.equal(`${dd}.${mm}.${now.getFullYear()}`);
    await page.close();
  });

  it("the receipt's PDF is named by the account and the month", async () => {
    const account = (await app.api("GET", "/catalogs/PersonalAccounts?search=00000000001")).rows[0];
    const page = await app.open(`/#/report/receipt/account=${account.id}&period=2011-11`);
    await shellReady(page);
    await page.evaluate(() => {
      const w = window as unknown as { downloads: string[] };
      w.downloads = [];
      HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
        if (this.download) w.downloads.push(this.download);
      };
    });
    await click(page, `${FORM} >>> button[data-cmd="generate"]`);
    await until("the receipt shown", () => page.$(`${VIEWER}[loaded]`));
    await click(page, `${VIEWER} >>> button[data-cmd="pdf"]`);
    const names = await until("a download", () =>
      page.evaluate(() => {
        const d = (window as unknown as { downloads: string[] }).downloads;
        return d.length ? d : null;
      }),
    );
    expect(names).to.deep.equal(["Квитанция на оплату 00000000001 ноябрь 2011.pdf"]);
    await page.close();
  });

  it("defect 10: every section's links have distinct names, not differing by an ending only", async () => {
    const page = await app.open("/");
    await shellReady(page);
    const sections = await page.$$eval("app-shell >>> .section", (els) =>
      els.map((e) => e.getAttribute("data-section") ?? ""),
    );
    const stem = (s: string) =>
      s
        .toLowerCase()
        .split(/\s+/)
        .map((w) => w.slice(0, Math.max(4, w.length - 2)))
        .join(" ");
    const clashes: string[] = [];
    for (const s of sections) {
      await click(page, `app-shell >>> .section[data-section="${s}"]`);
      await until(
        `section ${s}`,
        async () => (await page.$(`app-shell >>> .section.current[data-section="${s}"]`)) !== null,
      );
      const links = await texts(page, "app-shell >>> aside.content a.link");
      const seen = new Map<string, string>();
      for (const l of links) {
        const k = stem(l);
        if (seen.has(k)) clashes.push(`${s}: «${seen.get(k)}» / «${l}»`);
        seen.set(k, l);
      }
    }
    expect(clashes).to.deep.equal([]);
    await page.close();
  });
});
