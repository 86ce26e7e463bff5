// The report viewer in the browser: the «Отчеты» section lists the forms, the parameters form
// comes from the manifest, the ОСВ for November 2011 shows the demo's figures (as the API's
// registers give them), Find / Next highlight and count, zoom scales the sheets, PDF downloads
// a PDF; the receipt printed from the account's form; a batch print job with its progress bar.
import { expect } from "chai";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Frame, Page } from "puppeteer";
import { startApp, type App } from "./helpers/browser.ts";
import { activeCaption, click, shellReady, text, typeInto, until } from "./helpers/ui.ts";

const FORM = "app-shell >>> report-form";
const VIEWER = `${FORM} >>> report-viewer`;

async function reportFrame(page: Page & { errors?: string[] }): Promise<Frame> {
  await until(`the report shown (errors: ${page.errors?.join("; ")})`, async () => page.$(`${VIEWER}[loaded]`), 20_000);
  const handle = await page.$(`${VIEWER} >>> iframe`);
  const frame = await handle!.contentFrame();
  expect(frame, "report frame").to.not.equal(null);
  return frame!;
}

const squeeze = (s: string) => s.replace(/[\s\u00a0\u202f]+/g, "");

describe("client: report viewer", function () {
  let app: App;
  before(async () => {
    app = await startApp();
  });
  after(async () => app?.close());

  it("the Отчеты section lists the forms; the ОСВ for November 2011 shows the registers' figures; Find/Next, zoom, pages, PDF", async () => {
    const page = await app.open("/");
    await shellReady(page);
    await click(page, `app-shell >>> .section[data-section="Reports"]`);
    const links = await until("report links", async () => {
      const l = await page.$$eval("app-shell >>> a.link[data-content^='report.']", (as) =>
        as.map((a) => a.textContent?.trim()),
      );
      return l.length >= 7 ? l : null;
    });
    expect(links).to.include("Оборотно-сальдовая ведомость по лицевым счетам");
    await click(page, `app-shell >>> a.link[data-content="report.turnover-balance"]`);
    await until(
      "tab title",
      async () => (await activeCaption(page)) === "Оборотно-сальдовая ведомость по лицевым счетам",
    );
    // the parameters form from the manifest: two months, a building reference, a boolean
    await find(page, `${FORM} >>> input[name="from"]`);
    expect(await page.$(`${FORM} >>> ref-input[name="building"]`)).to.not.equal(null);
    expect(await page.$(`${FORM} >>> input[name="byService"][type="checkbox"]`)).to.not.equal(null);
    // a missing required parameter is shown at its field (the form opens on this month: emptied)
    await typeInto(page, `${FORM} >>> input[name="from"]`, "");
    await click(page, `${FORM} >>> button[data-cmd="generate"]`);
    await until("required error", async () =>
      (await text(page, `${FORM} >>> .field[data-field="from"] .err`)).includes("Период с"),
    );
    await typeInto(page, `${FORM} >>> input[name="from"]`, "11.2011");
    await click(page, `${FORM} >>> button[data-cmd="generate"]`);
    const frame = await reportFrame(page);
    // figures of 00000000001 as in tests/reports (and the Settlements balance through the API)
    const row = squeeze(
      await frame.$$eval(
        "tr",
        (trs) => trs.map((tr) => tr.textContent ?? "").find((t) => t.includes("00000000001")) ?? "",
      ),
    );
    for (const figure of ["2045,64", "13752,73", "1994,77", "13803,60"]) expect(row, figure).to.include(figure);
    const account = (await app.api("GET", "/catalogs/PersonalAccounts?search=00000000001")).rows[0];
    const closing = await app.api("GET", `/registers/Settlements/balance?at=2011-11-30&Account=${account.id}`);
    const total = closing.rows
      .reduce((s: bigint, r: { Amount: string }) => s + BigInt(r.Amount.replace(".", "")), 0n)
      .toString();
    expect(row).to.include(`${total.slice(0, -2)},${total.slice(-2)}`);
    expect(await text(page, `${VIEWER} >>> .page-info`)).to.equal("1 из 1");
    expect(await text(page, `${VIEWER} >>> .zoom-info`)).to.equal("100%");

    // Find: every occurrence highlighted and counted, Next cycles
    const expected = await frame.$eval("main.report", (m) => (m.textContent ?? "").split("0000000000").length - 1);
    expect(expected).to.be.at.least(5);
    await typeInto(page, `${VIEWER} >>> input.find`, "0000000000");
    await click(page, `${VIEWER} >>> button[data-cmd="find"]`);
    await until("matches", async () => (await text(page, `${VIEWER} >>> .found`)) === `1 из ${expected}`);
    expect(await frame.$$eval("mark.rv-find", (ms) => ms.length)).to.equal(expected);
    const current = () =>
      frame.$eval("mark.rv-find.current", (m) => [...m.ownerDocument.querySelectorAll("mark.rv-find")].indexOf(m));
    expect(await current()).to.equal(0);
    await click(page, `${VIEWER} >>> button[data-cmd="find-next"]`);
    await until("second match", async () => (await text(page, `${VIEWER} >>> .found`)) === `2 из ${expected}`);
    expect(await current()).to.equal(1);
    for (let i = 2; i <= expected; i++) await click(page, `${VIEWER} >>> button[data-cmd="find-next"]`);
    await until("cycled to the first", async () => (await text(page, `${VIEWER} >>> .found`)) === `1 из ${expected}`);
    expect(await current()).to.equal(0);
    await app.shot(page, "reports-osv-find");
    // a text that is not there
    await typeInto(page, `${VIEWER} >>> input.find`, "нет такого текста");
    await click(page, `${VIEWER} >>> button[data-cmd="find"]`);
    await until("no matches", async () => (await text(page, `${VIEWER} >>> .found`)) === "Не найдено");
    expect(await frame.$$eval("mark.rv-find", (ms) => ms.length)).to.equal(0);

    // zoom: + scales the sheets, the percentage resets to 100%
    await click(page, `${VIEWER} >>> button[data-cmd="zoom-in"]`);
    await until("110%", async () => (await text(page, `${VIEWER} >>> .zoom-info`)) === "110%");
    expect(await frame.$eval("main.report", (m) => (m as HTMLElement).style.zoom)).to.equal("1.1");
    await click(page, `${VIEWER} >>> button[data-cmd="zoom-out"]`);
    await click(page, `${VIEWER} >>> button[data-cmd="zoom-out"]`);
    await until("90%", async () => (await text(page, `${VIEWER} >>> .zoom-info`)) === "90%");
    await click(page, `${VIEWER} >>> button[data-cmd="zoom-reset"]`);
    await until("100%", async () => (await text(page, `${VIEWER} >>> .zoom-info`)) === "100%");

    // the frame is sandboxed without scripts
    const sandbox = await page.$eval(`${VIEWER} >>> iframe`, (f) => f.getAttribute("sandbox"));
    expect(sandbox).to.not.include("allow-scripts");

    // PDF of the same parameters, saved as a file by the browser
    const dir = mkdtempSync(join(tmpdir(), "report-download-"));
    const cdp = await page.createCDPSession();
    await cdp.send("Browser.setDownloadBehavior", { behavior: "allow", downloadPath: dir });
    const pdf = page.waitForResponse((r) => r.url().includes("/api/reports/turnover-balance/render?format=pdf"), {
      timeout: 60_000,
    });
    await click(page, `${VIEWER} >>> button[data-cmd="pdf"]`);
    const res = await pdf;
    expect(res.status()).to.equal(200);
    expect(res.headers()["content-type"]).to.include("application/pdf");
    const file = await until("the PDF saved", async () => readdirSync(dir).find((f) => f.endsWith(".pdf")), 30_000);
    expect(file).to.include("Оборотно-сальдовая");
    expect(readFileSync(join(dir, file)).subarray(0, 5).toString()).to.equal("%PDF-");
    rmSync(dir, { recursive: true, force: true });
    expect(page.errors).to.deep.equal([]);
    await page.close();
  });

  it("prints the receipt from the account's form (Печать), pages of a multi-sheet report", async () => {
    const account = (await app.api("GET", "/catalogs/PersonalAccounts?search=00000000001")).rows[0];
    const page = await app.open(`/#/catalog/PersonalAccounts/${account.id}`);
    await shellReady(page);
    await click(page, `app-shell >>> .page:not([hidden]) > * >>> print-button >>> button[data-cmd="print"]`);
    const item = await page.$(`app-shell >>> print-button >>> .menu button[data-report="receipt"]`);
    if (item) await item.click(); // several forms apply to the account: a menu
    await until("receipt tab", async () => (await activeCaption(page)).startsWith("Квитанция"));
    // the account is the parameter, shown by its presentation
    await until(
      "account prefilled",
      async () =>
        (await page.$eval(
          `${FORM} >>> ref-input[name="account"]`,
          (r) => (r as unknown as { value: string }).value,
        )) === account.id,
    );
    await typeInto(page, `${FORM} >>> input[name="period"]`, "11.2011");
    await click(page, `${FORM} >>> button[data-cmd="generate"]`);
    const frame = await reportFrame(page);
    const body = squeeze(await frame.$eval("main.report", (m) => m.textContent ?? ""));
    for (const s of ["00000000001", "13996,24", "2045,64", "13752,73", "13803,60"]) expect(body, s).to.include(s);
    await app.shot(page, "reports-receipt-from-account");
    // from the GroupAccrual document's form: its month and accounts, one sheet per account
    const accrual = (await app.api("GET", "/documents/GroupAccrual?limit=1")).rows[0];
    await page.evaluate((id) => (location.hash = `#/document/GroupAccrual/${id}`), accrual.id);
    await click(page, `app-shell >>> .page:not([hidden]) > * >>> print-button >>> button[data-cmd="print"]`);
    const pick = await until(
      "print menu or tab",
      async () =>
        (await page.$(
          `app-shell >>> .page:not([hidden]) > * >>> print-button >>> .menu button[data-report="receipt"]`,
        )) ?? (await page.$(`app-shell >>> .page:not([hidden]) > report-form >>> ref-input[name="accrual"]`)),
    );
    if (await pick.evaluate((e) => e.tagName === "BUTTON")) await pick.click(); // several forms apply: a menu
    await until(
      "receipt tab of the accrual",
      async () =>
        (await page.$(`app-shell >>> .page:not([hidden]) > report-form >>> ref-input[name="accrual"]`)) !== null,
    );
    const tab = "app-shell >>> .page:not([hidden]) > report-form";
    await until(
      "accrual prefilled",
      async () =>
        (await page.$eval(`${tab} >>> ref-input[name="accrual"]`, (r) => (r as unknown as { value: string }).value)) ===
        accrual.id,
    );
    await click(page, `${tab} >>> button[data-cmd="generate"]`);
    await until(
      "one sheet per account",
      async () => {
        const v = await page.$(`${tab} >>> report-viewer[loaded]`);
        return v && /^1 из 5$/.test(await text(page, `${tab} >>> report-viewer >>> .page-info`));
      },
      20_000,
    );
    expect(page.errors).to.deep.equal([]);
    await page.close();
  });

  it("batch printing of receipts for a period: a job with a progress bar, then the PDF", async () => {
    const page = await app.open("/#/report/receipt");
    await shellReady(page);
    await typeInto(page, `${FORM} >>> input[name="period"]`, "11.2011");
    // multi-sheet HTML first: one sheet per account, paged
    await click(page, `${FORM} >>> button[data-cmd="generate"]`);
    await reportFrame(page);
    await until("5 pages", async () => /^1 из [5-9]$/.test(await text(page, `${VIEWER} >>> .page-info`)));
    await click(page, `${VIEWER} >>> button[data-cmd="next-page"]`);
    await until("page 2", async () => (await text(page, `${VIEWER} >>> .page-info`)).startsWith("2 из"));
    const jobs: string[] = [];
    page.on("response", (r) => {
      if (/\/api\/reports\/jobs\/[^/]+$/.test(r.url())) jobs.push(r.url());
    });
    await click(page, `${FORM} >>> button[data-cmd="batch"]`);
    await find(page, `${FORM} >>> .progress progress`);
    await until("job done", async () => !!(await page.$(`${FORM} >>> .batch-done`)), 60_000);
    expect(jobs.length, "progress polled").to.be.at.least(1);
    const href = await page.$eval(`${FORM} >>> a.batch-result`, (a) => (a as HTMLAnchorElement).getAttribute("href"));
    const r = await fetch(app.base + href);
    expect(r.status).to.equal(200);
    expect(
      Buffer.from(await r.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).to.equal("%PDF-");
    await app.shot(page, "reports-batch-done");
    expect(page.errors).to.deep.equal([]);
    await page.close();
  });
});

async function find(page: Page, selector: string) {
  return until(`element ${selector}`, async () => page.$(selector));
}
