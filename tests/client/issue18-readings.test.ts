/**
 * Issue 18, defects 6 and 7: meter readings checked as they are typed, by the rules the posting
 * applies (Расход at once, a reading below the previous one marked in its cell, a negative one
 * refused by the metadata's `min: 0`, Дата показания filled); Период a month picker in Оплата and
 * Показания too; totals rows only for amounts — never for tariffs or readings — and a negative
 * tariff refused in its cell as it is typed (and by the platform on posting).
 */
import { expect } from "chai";
import { startApp, type App } from "./helpers/browser.ts";
import { click, find, shellReady, text, typeInto, until } from "./helpers/ui.ts";
import { cells, cellsAre, tpOf, typeCell } from "./helpers/seed.ts";

const READINGS = "app-shell >>> meter-readings-form";
const PAYMENT = "app-shell >>> payment-form";
const DOC = "app-shell >>> document-form";
const LIST = "app-shell >>> .page:not([hidden]) list-form";

describe("client: issue 18 — readings and tariffs checked as they are typed; totals only for amounts", function () {
  let app: App;
  before(async () => {
    app = await startApp();
  });
  after(async () => app?.close());

  it("defect 6: Расход computed as typed, a reading below the previous one marked at once, a negative one refused, Дата показания filled, Период a month", async () => {
    const types = (await app.api("GET", "/catalogs/MeterTypes?limit=100")).rows;
    const cumulative = new Set(
      types.filter((t: any) => t.ReadingType !== "Cyclic" || !Number(t.DigitCapacity)).map((t: any) => t.id),
    );
    const meter = (await app.api("GET", "/catalogs/Meters?limit=100")).rows.find(
      (m: any) => m.Account && cumulative.has(m.MeterType),
    );
    expect(meter, "a demo meter that cannot roll over").to.exist;
    const doc = await app.api("POST", "/documents/MeterReadings", {
      date: "2011-12-20T00:00:00",
      Month: "2011-12-01",
      Readings: [{ Account: meter.Account, Meter: meter.id, PreviousReading: "100.0000" }],
    });
    const page = await app.open(`/#/document/MeterReadings/${doc.id}`);
    await shellReady(page);
    expect(
      await (await find(page, `${READINGS} >>> input[name="Month"]`)).evaluate((i) => (i as HTMLInputElement).value),
    ).to.equal("Декабрь 2011 г.");
    const tp = tpOf("Readings", READINGS);
    await find(page, `${tp} >>> .ag-row[row-index="0"] .ag-cell[col-id="Reading"]`);

    await typeCell(page, tp, 0, "Reading", "130");
    await cellsAre(page, tp, "Consumption", ["30,0000"]);
    await cellsAre(page, tp, "ReadingDate", ["20.12.2011"]);

    // below the previous reading: marked in the cell with the posting's reason
    await typeCell(page, tp, 0, "Reading", "90");
    const bad = `${tp} >>> .ag-row[row-index="0"] .ag-cell[col-id="Reading"].tp-error`;
    await find(page, bad);
    expect(await text(page, `${tp} >>> .messages`)).to.match(/меньше предыдущего 100,0000.*не может уменьшаться/);
    expect(await cells(page, tp, "Consumption")).to.deep.equal([""]);
    await typeCell(page, tp, 0, "Reading", "110");
    await until("the mark taken off", async () => !(await page.$(bad)));
    await cellsAre(page, tp, "Consumption", ["10,0000"]);

    // a negative reading: refused in the cell by the metadata's min, the value kept
    await typeCell(page, tp, 0, "Reading", "-5");
    await find(page, bad);
    expect(await text(page, `${tp} >>> .messages`)).to.match(/не может быть меньше 0/);
    await cellsAre(page, tp, "Reading", ["110,0000"]);
    // readings are not added up: no totals row
    expect(await page.$(`${tp} >>> .ag-row-pinned`)).to.equal(null);

    // Оплата: Период оплаты is a month picker as well
    await page.goto(`${app.base}/#/list/document/Payment`);
    await shellReady(page);
    await click(page, `${LIST} >>> button[data-cmd="create"]`);
    await typeInto(page, `${PAYMENT} >>> input[name="PaidMonth"]`, "11.2011");
    expect(await page.$eval(`${PAYMENT} >>> input[name="PaidMonth"]`, (i) => (i as HTMLInputElement).value)).to.equal(
      "Ноябрь 2011 г.",
    );
    await page.close();
  });

  it("defect 7: a negative tariff is refused in its cell as it is typed and on posting; tariffs have no totals row", async () => {
    const page = await app.open("/#/list/document/TariffChange");
    await shellReady(page);
    await click(page, `${LIST} >>> button[data-cmd="create"]`);
    const tp = tpOf("Tariffs", DOC);
    await click(page, `${tp} >>> .tb-add`);
    await page.keyboard.press("Escape");
    await typeCell(page, tp, 0, "Rate", "-5");
    await find(page, `${tp} >>> .ag-row[row-index="0"] .ag-cell[col-id="Rate"].tp-error`);
    expect(await text(page, `${tp} >>> .messages`)).to.match(/«Тариф» не может быть меньше 0/);
    await cellsAre(page, tp, "Rate", [""]);
    await typeCell(page, tp, 0, "Rate", "12,5");
    await cellsAre(page, tp, "Rate", ["12,5000"]);
    expect(await page.$(`${tp} >>> .ag-row-pinned`)).to.equal(null);
    await page.close();

    // the platform refuses it on posting too, by the same metadata
    const services = (await app.api("GET", "/catalogs/Services?limit=1")).rows;
    const kinds = (await app.api("GET", "/catalogs/TariffKinds?limit=1")).rows;
    const doc = await app.api("POST", "/documents/TariffChange", {
      date: "2013-06-01T00:00:00",
      Tariffs: [{ Service: services[0].id, TariffKind: kinds[0].id, Rate: "-1.0000", RateOverNorm: null }],
    });
    const r = await fetch(`${app.base}/api/documents/TariffChange/${doc.id}/post`, { method: "POST" });
    expect(r.status).to.equal(422);
    const e = (await r.json()).error;
    expect(e.field).to.equal("Tariffs[1].Rate");
    expect(e.message).to.match(/Тарифы, строка 1: «Тариф» не может быть меньше 0/);
  });
});
