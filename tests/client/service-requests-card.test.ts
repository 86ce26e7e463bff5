// The account card's «Заявки» tab (docs/service-requests.md, metadata/forms/lib/requests-tab.ts)
// on the demo: account 00000000003 has the demo's leak «В работе» (received 05.12.2011 21:30,
// deadline 06.12.2011 21:30 — long past, so overdue and red); a request written for the account
// through the API appears after Обновить; another account's requests are not listed.
import { expect } from "chai";
import { startApp, type App } from "./helpers/browser.ts";
import { shellReady, texts, until } from "./helpers/ui.ts";

describe("client: the account card's «Заявки» tab", function () {
  let app: App;
  before(async () => {
    app = await startApp();
  });
  after(async () => app?.close());

  it("lists the account's requests with their status and deadline, the overdue one marked", async () => {
    const accounts = (await app.api("GET", "/catalogs/PersonalAccounts?sort=code&limit=10")).rows;
    const a3 = accounts.find((x: { code: string }) => x.code === "00000000003");
    const page = await app.open(`/#/catalog/PersonalAccounts/${a3.id}`);
    await shellReady(page);
    const CARD = "app-shell >>> account-card-form";
    await until("tabs", () => page.$(`${CARD} >>> button.tab[data-tab="requests"]`));
    await page.click(`${CARD} >>> button.tab[data-tab="requests"]`);
    await until("requests", () => page.$(`${CARD} >>> table[data-table="requests"] tr[data-request]`));
    const cells = await texts(page, `${CARD} >>> table[data-table="requests"] tr[data-request] td`);
    expect(cells.slice(1)).to.deep.equal([
      "05.12.2011 21:30",
      "Протечка",
      "Течет с потолка в ванной",
      "Петров Иван Сергеевич",
      "06.12.2011 21:30",
      "В работе",
    ]);
    expect(await page.$(`${CARD} >>> table[data-table="requests"] tr.overdue[data-status="InWork"]`)).to.not.equal(
      null,
    );

    const type = (await app.api("GET", "/catalogs/RequestTypes?search=Засор")).rows[0];
    await app.api("POST", "/documents/ServiceRequest", {
      ReceivedAt: "2011-12-08T10:00:00",
      Account: a3.id,
      RequestType: type.id,
      Description: "Засор на кухне",
    });
    await page.click(`${CARD} >>> button[data-cmd="card-refresh"]`);
    await until("two requests", async () =>
      (await page.$$(`${CARD} >>> table[data-table="requests"] tr[data-request]`)).length === 2 ? true : null,
    );
    const statuses = await texts(page, `${CARD} >>> table[data-table="requests"] tr[data-request] td:last-child`);
    expect(statuses.sort()).to.deep.equal(["В работе", "Новая"]);
    await app.shot(page, "card-requests");
    expect(page.errors).to.deep.equal([]);
    await page.close();
  });
});
