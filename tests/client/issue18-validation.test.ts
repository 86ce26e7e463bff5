/**
 * Issue 18, defects 1 and 2: a header number field that received letters keeps the text as
 * typed with its reason, and a valid value typed then clears the error so Записать succeeds;
 * the form's error banner goes when its causes are fixed, and a posting's refusal lists every
 * bad row (not only the first).
 */
import { expect } from "chai";
import { startApp, type App } from "./helpers/browser.ts";
import { activeCaption, click, find, shellReady, text, typeInto, until } from "./helpers/ui.ts";
import { DOC, tpOf, typeCell, typeRef } from "./helpers/seed.ts";

const PENALTY = "app-shell >>> penalty-settings-form";

describe("client: issue 18 — validation as you type, every problem listed", function () {
  let app: App;
  before(async () => {
    app = await startApp();
  });
  after(async () => app?.close());

  it("defect 1: letters in a number field stay as typed with the reason; a valid value clears it and Записать succeeds", async () => {
    const page = await app.open("/#/list/document/PenaltySettings");
    await shellReady(page);
    await click(page, `app-shell >>> list-form >>> button[data-cmd="create"]`);
    await find(page, `${PENALTY} >>> input[name="Month"]`);
    await typeInto(page, `${PENALTY} >>> input[name="Month"]`, "01.04.2013");
    await click(page, `${PENALTY} >>> input[name="ChangeDueDay"]`);
    await typeInto(page, `${PENALTY} >>> input[name="DueDay"]`, "10");
    await typeInto(page, `${PENALTY} >>> input[name="DueDay"]`, "десять");
    const value = () => page.$eval(`${PENALTY} >>> input[name="DueDay"]`, (i) => (i as HTMLInputElement).value);
    await until("the error at the field", () => page.$(`${PENALTY} >>> .field.error[data-field="DueDay"]`));
    expect(await value()).to.equal("десять");
    expect(await text(page, `${PENALTY} >>> .field.error[data-field="DueDay"] .err`)).to.match(/десять.*не число/);

    // Записать is refused while the text cannot be read
    await click(page, `${PENALTY} >>> button[data-cmd="write"]`);
    await until("the banner", () => page.$(`${PENALTY} >>> .message[role="alert"]`));
    expect(await activeCaption(page)).to.equal("Настройка пени (создание) *");

    // a valid value clears the field's error and the banner; Записать then writes
    await typeInto(page, `${PENALTY} >>> input[name="DueDay"]`, "12");
    await until("no error", async () => !(await page.$(`${PENALTY} >>> .field.error[data-field="DueDay"]`)));
    await until("no banner", async () => !(await page.$(`${PENALTY} >>> .message[role="alert"]`)));
    await click(page, `${PENALTY} >>> button[data-cmd="write"]`);
    await until("written", async () => /^Настройка пени \d+ от /.test(await activeCaption(page)));
    const rows = (await app.api("GET", "/documents/PenaltySettings?limit=100")).rows.filter(
      (r: any) => r.Month === "2013-04-01",
    );
    expect(rows).to.have.length(1);
    expect(rows[0].DueDay).to.equal("12");
    await page.close();
  });

  it("defect 2: a posting's refusal lists every bad row, each cell is marked, and the banner goes when they are fixed", async () => {
    const services = (await app.api("GET", "/catalogs/Services?limit=10")).rows;
    const kinds = (await app.api("GET", "/catalogs/TariffKinds?limit=10")).rows;
    const row = (i: number, Rate: string | null, RateOverNorm: string | null = null) => ({
      Service: services[i].id,
      TariffKind: kinds[0].id,
      Rate,
      RateOverNorm,
    });
    const doc = await app.api("POST", "/documents/TariffChange", {
      date: "2013-05-01T00:00:00",
      // rows 2 and 3 without a rate, row 4 repeating row 1's service and kind
      Tariffs: [row(0, "10.0000"), row(1, null), row(2, null), { ...row(0, "1.0000"), Service: services[0].id }],
    });
    // the API lists every problem; the first stays the error's message and field (compatible shape)
    const r = await fetch(`${app.base}/api/documents/TariffChange/${doc.id}/post`, { method: "POST" });
    expect(r.status).to.equal(422);
    const body = (await r.json()).error;
    expect(body.field).to.equal("Tariffs[2].Rate");
    expect(body.problems.map((p: any) => p.field)).to.deep.equal([
      "Tariffs[2].Rate",
      "Tariffs[3].Rate",
      "Tariffs[4].Service",
    ]);

    const page = await app.open(`/#/document/TariffChange/${doc.id}`);
    await shellReady(page);
    const tp = tpOf("Tariffs");
    await find(page, `${tp} >>> .ag-row[row-index="3"]`);
    await click(page, `${DOC} >>> button[data-cmd="post"]`);
    await until("the banner", () => page.$(`${DOC} >>> .message[role="alert"]`));
    const banner = await text(page, `${DOC} >>> .message[role="alert"]`);
    expect(banner).to.match(/Строка 2/);
    expect(banner).to.match(/Строка 3/);
    expect(banner).to.match(/Строка 4/);
    const bad = async () =>
      (
        await Promise.all(
          (
            await page.$$(`${tp} >>> .ag-row:not(.ag-row-pinned) .ag-cell.tp-error`)
          ).map((c) =>
            c.evaluate((x) => `${x.closest(".ag-row")?.getAttribute("row-index")}:${x.getAttribute("col-id")}`),
          ),
        )
      ).sort();
    await until("three cells marked", async () => (await bad()).length === 3);
    expect(await bad()).to.deep.equal(["1:Rate", "2:Rate", "3:Service"]);

    // fixing one cell takes its problem off the banner; fixing all removes the banner
    await typeCell(page, tp, 1, "Rate", "5");
    await until(
      "row 2 off the banner",
      async () => !/Строка 2/.test(await text(page, `${DOC} >>> .message[role="alert"]`)),
    );
    await typeCell(page, tp, 2, "Rate", "7");
    await typeRef(page, tp, 3, "Service", services[5].name);
    await until("no banner", async () => !(await page.$(`${DOC} >>> .message[role="alert"]`)));
    await click(page, `${DOC} >>> button[data-cmd="post"]`);
    await until("posted", async () => /\(проведен\)/.test(await activeCaption(page)));
    await page.close();
  });
});
