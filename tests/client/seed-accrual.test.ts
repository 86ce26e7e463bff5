/**
 * The seed's «Групповое начисление за услуги» in a real browser: the configuration's custom
 * form (metadata/forms/GroupAccrual.ts) with the period selector, the flags, the accounts list
 * filled by Заполнить, the button Начислить posting in the background with a progress bar, the
 * result against the API (the demo's November 2011 figures of account 00000000001) and
 * Движения; a refusal of the background posting (a double accrual) selects the account's row.
 */
import { expect } from "chai";
import type { Page } from "puppeteer";
import { startApp, type App } from "./helpers/browser.ts";
import { activeCaption, click, columnTexts, find, shellReady, text, texts, typeInto, until } from "./helpers/ui.ts";

const FORM = "app-shell >>> group-accrual-form";
const TP = `${FORM} >>> tabular-part`;
const sum = (rows: any[], f: string) => {
  // kopecks as BigInt: no float touches money
  const k = rows.reduce((a, r) => a + BigInt(String(r[f]).replace(".", "")), 0n);
  const s = k.toString().padStart(3, "0");
  return `${s.slice(0, -2)}.${s.slice(-2)}`;
};

/** Records in the page whether the progress bar was ever seen running (it may be short). */
async function watchProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as any;
    w.__progress = [];
    w.__watch = setInterval(() => {
      const bar = document
        .querySelector("app-shell")
        ?.shadowRoot?.querySelector("group-accrual-form")
        ?.shadowRoot?.querySelector(".progress");
      if (bar)
        w.__progress.push(
          `${bar.getAttribute("data-state")}:${bar.getAttribute("aria-valuenow")}:${bar.textContent?.trim()}`,
        );
    }, 5);
  });
}

describe("client: the seed's Групповое начисление за услуги", function () {
  let app: App;
  let accounts: any[];
  before(async () => {
    app = await startApp();
    // the seed's five: the demo's second building (common property) opens its accounts in December 2011
    const all = (await app.api("GET", "/catalogs/PersonalAccounts?sort=code&limit=10")).rows;
    accounts = all.filter((a: any) => a.Building === all[0].Building);
  });
  after(async () => app?.close());

  it("Заполнить, Начислить with a progress bar; the figures of 00000000001 for November 2011 and Движения match the API", async () => {
    // The demo's accrual of November 2011 is unposted, so the form's is the month's only one.
    const demo = (await app.api("GET", "/documents/GroupAccrual?limit=10")).rows;
    for (const d of demo) await app.api("POST", `/documents/GroupAccrual/${d.id}/unpost`);
    const a1 = accounts.find((a) => a.code === "00000000001");
    const nov = `from=2011-11-01&to=2011-11-30&Account=${a1.id}`;
    expect((await app.api("GET", `/registers/Accruals/turnovers?${nov}`)).rows).to.deep.equal([]);

    const page = await app.open("/#/list/document/GroupAccrual");
    await shellReady(page);
    await click(page, `app-shell >>> list-form >>> button[data-cmd="create"]`);
    await find(page, `${FORM} >>> input[name="Month"]`);
    expect(await activeCaption(page)).to.equal("Групповое начисление за услуги (создание)");
    // the seed's captions, the flags ticked, the advance by debt, the list with its toolbar, Начислить
    const captions = await texts(page, `${FORM} >>> .fields label.caption`);
    expect(captions.slice(0, 4)).to.deep.equal([
      "Текущий период:",
      "Начислять за услуги:",
      "Начислять пени:",
      "Способ распределения аванса:",
    ]);
    expect(
      await page.$eval(`${FORM} >>> input[name="AccrueServices"]`, (i) => (i as HTMLInputElement).checked),
    ).to.equal(true);
    expect(
      await page.$eval(`${FORM} >>> input[name="AccruePenalties"]`, (i) => (i as HTMLInputElement).checked),
    ).to.equal(true);
    expect(
      await page.$eval(
        `${FORM} >>> select[name="DistributionMethod"]`,
        (s) => (s as HTMLSelectElement).selectedOptions[0].textContent,
      ),
    ).to.match(/^Пропорционально зад/);
    expect(await text(page, `${FORM} >>> .tp-caption`)).to.equal("Список лицевых счетов");
    expect(await texts(page, `${TP} >>> .toolbar button`)).to.include.members(["Подбор", "Заполнить", "Очистить"]);
    expect(await text(page, `${FORM} >>> button[data-cmd="accrue"]`)).to.equal("Начислить");

    // the period: typed, then stepped by ▶ and ◀ and by Alt+→ / Alt+←
    await typeInto(page, `${FORM} >>> input[name="Month"]`, "11.2011");
    const month = () => page.$eval(`${FORM} >>> input[name="Month"]`, (i) => (i as HTMLInputElement).value);
    await until("November", async () => (await month()) === "Ноябрь 2011 г.");
    await click(page, `${FORM} >>> button[data-step="1"]`);
    await until("December", async () => (await month()) === "Декабрь 2011 г.");
    await page.focus(`${FORM} >>> input[name="Month"]`);
    await page.keyboard.down("Alt");
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.up("Alt");
    await until("back to November", async () => (await month()) === "Ноябрь 2011 г.");

    // as the demo's accrual: services only (its penalties come from the opening balances) — the
    // box unticked by the keyboard — and dated as it (penalties are counted to the document's date)
    await page.focus(`${FORM} >>> input[name="AccruePenalties"]`);
    await page.keyboard.press("Space");
    await until(
      "unticked",
      async () =>
        !(await page.$eval(`${FORM} >>> input[name="AccruePenalties"]`, (i) => (i as HTMLInputElement).checked)),
    );
    // dated as the demo's accrual (penalties are counted to the document's date)
    await typeInto(page, `${FORM} >>> input[name="date"]`, "30.11.2011 23:00:00");
    // Заполнить: the open accounts of the month, as the seed lists them
    await click(page, `${TP} >>> .tb-fill`);
    await until("five accounts", async () => (await columnTexts(page, TP, "Account")).length === 5);
    // as the seed shows them, «код, наименование» (PersonalAccounts' presentation: codeAndName)
    expect(await columnTexts(page, TP, "Account")).to.deep.equal(accounts.map((a) => `${a.code}, ${a.name}`));
    expect((await columnTexts(page, TP, "Account"))[2]).to.equal("00000000003, Симак Галина Владимировна");
    await app.shot(page, "seed-accrual-filled");

    // Начислить: written, posted in the background, the bar seen running and then full
    await watchProgress(page);
    await click(page, `${FORM} >>> button[data-cmd="accrue"]`);
    await until("accrued", async () => (await page.$(`${FORM} >>> .progress[data-state="done"]`)) !== null, 60_000);
    const seen: string[] = await page.evaluate(
      () => (clearInterval((window as any).__watch), (window as any).__progress),
    );
    expect(
      seen.some((s) => s.startsWith("running:")),
      seen.join("\n"),
    ).to.equal(true);
    expect(await page.$eval(`${FORM} >>> .progress`, (b) => b.getAttribute("aria-valuenow"))).to.equal("100");
    await until("posted title", async () => (await activeCaption(page)).endsWith("(проведен)"));
    await app.shot(page, "seed-accrual-done");

    const list = (await app.api("GET", "/documents/GroupAccrual?limit=10")).rows.filter((d: any) => d.posted);
    expect(list).to.have.length(1);
    const doc = await app.api("GET", `/documents/GroupAccrual/${list[0].id}`);
    expect(doc).to.include({
      Month: "2011-11-01",
      AccrueServices: true,
      AccruePenalties: false,
      DistributionMethod: "ProportionalToDebt",
      posted: true,
    });
    expect(doc.Accounts.map((r: any) => r.Account)).to.deep.equal(accounts.map((a) => a.id));
    // the seed's receipt: 13 752,73 accrued, 192,64 penalties, 13 803,60 to pay at the month's end
    expect(sum((await app.api("GET", `/registers/Accruals/turnovers?${nov}`)).rows, "Amount")).to.equal("13752.73");
    expect(
      sum((await app.api("GET", `/registers/Penalties/balance?at=2011-11-30&Account=${a1.id}`)).rows, "Amount"),
    ).to.equal("192.64");
    expect(
      sum((await app.api("GET", `/registers/Settlements/balance?at=2011-11-30&Account=${a1.id}`)).rows, "Amount"),
    ).to.equal("13803.60");

    // Движения: the Accruals grid has the API's records with their explanation
    const api = (await app.api("GET", `/documents/GroupAccrual/${doc.id}/movements`)).registers;
    await click(page, `${FORM} >>> button[data-cmd="movements"]`);
    const mv = "app-shell >>> movements-view";
    await until("movements", async () => (await page.$$(`${mv} >>> section.register`)).length >= 2);
    expect(
      await page.$$eval(`${mv} >>> section.register`, (s) => s.map((x) => x.getAttribute("data-register"))),
    ).to.include.members(["Accruals", "Settlements"]);
    await until(
      "accrual rows",
      async () =>
        (await columnTexts(page, `${mv} >>> section.register[data-register="Accruals"]`, "Explanation")).length > 0,
    );
    const shown = await columnTexts(page, `${mv} >>> section.register[data-register="Accruals"]`, "Explanation");
    const rows = api.Accruals.rows as any[];
    expect(shown).to.deep.equal(rows.slice(0, shown.length).map((r) => r.Explanation));
    expect(rows.filter((r) => r.Account === a1.id)).to.have.length(6);
    await app.shot(page, "seed-accrual-movements");
    expect(page.errors).to.deep.equal([]);
    await page.close();
  });

  it("a refusal of the background posting (the month already accrued) selects the account's row", async () => {
    const page = await app.open("/#/list/document/GroupAccrual");
    await shellReady(page);
    await click(page, `app-shell >>> list-form >>> button[data-cmd="create"]`);
    await typeInto(page, `${FORM} >>> input[name="Month"]`, "ноябрь 2011");
    // Подбор: accounts 00000000003 and 00000000005
    await click(page, `${TP} >>> .tb-pick`);
    await page.waitForFunction(
      () =>
        !!document
          .querySelector(`app-modal.picker .ag-row[row-index="4"] .ag-cell[col-id="presentation"]`)
          ?.textContent?.trim(),
    );
    await click(page, "app-modal.picker .ag-row[row-index='2'] .ag-selection-checkbox input");
    await click(page, "app-modal.picker .ag-row[row-index='4'] .ag-selection-checkbox input");
    await click(page, "app-modal.picker .picker-ok");
    await until("two rows", async () => (await columnTexts(page, TP, "Account")).length === 2);
    expect(await columnTexts(page, TP, "Account")).to.deep.equal(
      [accounts[2], accounts[4]].map((a) => `${a.code}, ${a.name}`),
    );
    await click(page, `${FORM} >>> button[data-cmd="accrue"]`);
    await until("refused", async () => (await page.$(`${FORM} >>> .message[role="alert"]`)) !== null, 30_000);
    expect(await text(page, `${FORM} >>> .message[role="alert"]`)).to.match(
      /Лицевой счет 00000000003 .* уже начислен за ноябрь 2011/,
    );
    expect(await page.$eval(`${FORM} >>> .progress`, (b) => b.getAttribute("data-state"))).to.equal("failed");
    const tp = await find(page, TP);
    await until("row 1 selected", async () =>
      tp.evaluate((el: any) => {
        const c = el.api?.getFocusedCell?.();
        return c ? `${c.rowIndex}:${c.column.getColId()}` === "0:Account" : false;
      }),
    );
    expect(await activeCaption(page)).to.match(/\(не проведен\)$/);
    await app.shot(page, "seed-accrual-refused");
    expect(page.errors.filter((e) => !/status of 4\d\d/.test(e))).to.deep.equal([]);
    await page.close();
  });
});
