/**
 * Issue 18, defect 10: a group accrual over accounts some of which have no services says so —
 * the accounts charged, the accounts skipped and why, the total of each service — in the form's
 * message after «Начислить», and keeps it on the document (shown again when it is reopened).
 */
import { expect } from "chai";
import { startApp, type App } from "./helpers/browser.ts";
import { click, find, shellReady, text, until } from "./helpers/ui.ts";

const FORM = "app-shell >>> group-accrual-form";

describe("client: issue 18 — a group accrual's summary names what it skipped", function () {
  let app: App;
  before(async () => {
    app = await startApp();
  });
  after(async () => app?.close());

  it("accounts without services: charged, skipped and why, totals by service; kept on the document", async () => {
    const building = (await app.api("GET", "/catalogs/Buildings?limit=1")).rows[0];
    const bare: string[] = [];
    for (const n of ["901", "902"])
      bare.push(
        (
          await app.api("POST", "/catalogs/PersonalAccounts", {
            name: `Без услуг ${n}`,
            Building: building.id,
            Apartment: n,
            Opened: "2011-01-01",
          })
        ).id,
      );
    const first = (await app.api("GET", "/catalogs/PersonalAccounts?search=00000000001")).rows[0];
    const doc = await app.api("POST", "/documents/GroupAccrual", {
      date: "2011-12-26T10:00:00",
      Month: "2011-12-01",
      AccrueServices: true,
      AccruePenalties: false,
      Accounts: [first.id, ...bare].map((Account) => ({ Account })),
    });
    const page = await app.open(`/#/document/GroupAccrual/${doc.id}`);
    await shellReady(page);
    await click(page, `${FORM} >>> button[data-cmd="accrue"]`);
    await until("the message", async () => (await page.$(`${FORM} >>> .message`)) !== null, 60_000);
    const said = await text(page, `${FORM} >>> .message`);
    expect(said).to.match(
      /^Начислено: 3 л\/с, \d+ строк на сумму [\d,]+; начислено по 1 л\/с, без начислений 2 л\/с \(нет подключенных услуг за месяц\); по услугам: /,
    );
    expect(said).to.match(/ХВС [\d,]+/);
    await page.close();

    // kept on the document: the form shows it again when reopened
    const again = await app.open(`/#/document/GroupAccrual/${doc.id}`);
    await shellReady(again);
    await find(again, `${FORM} >>> [data-role="accrual-summary"]`);
    expect(await text(again, `${FORM} >>> [data-role="accrual-summary"]`)).to.equal(said);
    await again.close();
  });
});
