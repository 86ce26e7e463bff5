// The dispatcher's list in the browser (docs/service-requests.md#the-dispatchers-list; issue 17 §3)
// on the demo plus a request received now: the columns the configuration declares (list.columns),
// open overdue requests first and in red, then the new one, then the rest, the latest received
// first; the status as a coloured chip; the quick search finds a request by its phone's digits.
import { expect } from "chai";
import { startApp, type App } from "./helpers/browser.ts";
import { columnTexts, shellReady, until } from "./helpers/ui.ts";

describe("client: the dispatcher's list of service requests", function () {
  let app: App;
  before(async () => {
    app = await startApp();
    const type = (await app.api("GET", "/catalogs/RequestTypes?search=Протечка")).rows[0];
    const account = (await app.api("GET", "/catalogs/PersonalAccounts?sort=code&limit=1")).rows[0];
    const now = new Date();
    const pad = (n: number) => String(n).padStart(2, "0");
    const moment = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}T${pad(now.getHours())}:${pad(now.getMinutes())}:00`;
    // received now: a 24-hour emergency, not overdue
    await app.api("POST", "/documents/ServiceRequest", {
      date: moment,
      ReceivedAt: moment,
      Account: account.id,
      ContactPhone: "+7 (921) 555-12-34",
      RequestType: type.id,
      Description: "Течет батарея в комнате",
    });
  });
  after(async () => app?.close());

  it("shows the declared columns, overdue requests first and in red, then the new one, then the rest", async () => {
    const page = await app.open("/#/list/document/ServiceRequest");
    await shellReady(page);
    const list = "app-shell >>> list-form";
    await until("rows", async () => (await columnTexts(page, list, "Description")).length === 8);
    const headers = await page.$$eval(`${list} >>> .ag-header-cell[col-id]`, (cells) =>
      cells.map((c) => c.getAttribute("col-id")).filter((c) => c && !c.startsWith("__")),
    );
    expect(headers).to.deep.equal([
      "number",
      "Status",
      "ReceivedAt",
      "Building",
      "Apartment",
      "ContactPhone",
      "RequestType",
      "Description",
      "Executor",
      "Deadline",
    ]);
    expect(await columnTexts(page, list, "Status")).to.deep.equal([
      // the demo's open requests of December 2011, long past their deadlines
      "Новая",
      "Принята",
      "В работе",
      "Отложена",
      // received now
      "Новая",
      // the rest, the latest received first
      "Отклонена",
      "Выполнена",
      "Закрыта",
    ]);
    expect((await columnTexts(page, list, "Description"))[4]).to.equal("Течет батарея в комнате");
    // the rows' colours: red for the four overdue ones, the others as usual
    const rows = await page.$$eval(`${list} >>> .ag-row`, (rs) =>
      rs
        .filter((r) => r.querySelector('.ag-cell[col-id="Description"]'))
        .map((r) => {
          const cell = r.querySelector('.ag-cell[col-id="Description"]')!;
          return {
            index: Number(r.getAttribute("row-index")),
            overdue: r.classList.contains("row-group-Overdue"),
            color: getComputedStyle(cell).color,
          };
        })
        .sort((a, b) => a.index - b.index),
    );
    expect(rows.map((r) => r.overdue)).to.deep.equal([true, true, true, true, false, false, false, false]);
    expect(rows.slice(0, 4).map((r) => r.color)).to.deep.equal(Array(4).fill("rgb(198, 40, 40)"));
    for (const r of rows.slice(4)) expect(r.color).to.not.equal("rgb(198, 40, 40)");
    // the status's chip in its colour (Новая #1565c0)
    const chip = await page.$eval(`${list} >>> .ag-row[row-index="4"] .status-chip`, (c) => [
      c.textContent,
      getComputedStyle(c).backgroundColor,
    ]);
    expect(chip).to.deep.equal(["Новая", "rgb(21, 101, 192)"]);
    await app.shot(page, "service-requests-list");

    // the quick search by the phone's digits, separators ignored
    await page.type(`${list} >>> input.search`, "555 12 34");
    await until("searched", async () => (await columnTexts(page, list, "Description")).length === 1);
    expect(await columnTexts(page, list, "ContactPhone")).to.deep.equal(["+7 (921) 555-12-34"]);
    expect(page.errors).to.deep.equal([]);
    await page.close();
  });
});
