/**
 * The seed's settings screens in a real browser, against the demo data: Виды приборов учета
 * (the configuration's form, metadata/forms/MeterTypes.ts: Наименование, Единица измерения,
 * Тип показаний, Разрядность and no Код; the demo's ГВС as the seed shows it; an item created
 * by the keyboard, Ctrl+S, Ctrl+Enter) and Настройка пени (metadata/forms/PenaltySettings.ts:
 * the demo's January 2012 as the seed shows it; a new month by the keyboard, each check box
 * enabling its fields, Провести, the unchanged rate carried over, Движения equal to the API).
 */
import { expect } from "chai";
import type { Page } from "puppeteer";
import { startApp, type App } from "./helpers/browser.ts";
import {
  activeCaption,
  click,
  columnTexts,
  find,
  shellReady,
  tabCaptions,
  texts,
  typeInto,
  until,
} from "./helpers/ui.ts";
import { MV, combo, ddmmyyyy, movements, openId, ru, waitPosted } from "./helpers/seed.ts";

// the form of the active tab (an earlier tab keeps its own form, hidden)
const KIND = "app-shell >>> .page:not([hidden]) meter-types-form";
const PENALTY = "app-shell >>> .page:not([hidden]) penalty-settings-form";
const value = (page: Page, sel: string) => page.$eval(sel, (i) => (i as HTMLInputElement).value);
const checked = (page: Page, sel: string) => page.$eval(sel, (i) => (i as HTMLInputElement).checked);
const readOnly = (page: Page, sel: string) => page.$eval(sel, (i) => (i as HTMLInputElement).readOnly);
const selected = (page: Page, sel: string) =>
  page.$eval(sel, (s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent ?? "");
/** The form's field captions without the required mark and the colon. */
const captions = async (page: Page, form: string) =>
  (await texts(page, `${form} >>> .fields label.caption`)).map((c) => c.replace(/\*?:$/, ""));

describe("client: the seed's settings screens", function () {
  let app: App;
  before(async () => {
    app = await startApp();
  });
  after(async () => app?.close());

  it("Виды приборов учета: the seed's fields without Код; ГВС as in the seed; a new kind by the keyboard, Ctrl+S, Ctrl+Enter", async () => {
    const hot = (await app.api("GET", "/catalogs/MeterTypes?search=ГВС")).rows[0];
    const page = await app.open(`/#/catalog/MeterTypes/${hot.id}`);
    await shellReady(page);
    await find(page, `${KIND} >>> input[name="name"]`);
    expect(await captions(page, KIND)).to.deep.equal([
      "Наименование",
      "Единица измерения",
      "Тип показаний",
      "Разрядность",
    ]);
    expect(await page.$(`${KIND} >>> input[name="code"]`)).to.equal(null);
    // the seed: ГВС, м3, Циклическое значение, 0
    expect(await value(page, `${KIND} >>> input[name="name"]`)).to.equal("ГВС");
    expect(await value(page, `${KIND} >>> input[name="Unit"]`)).to.equal("м3");
    expect(await selected(page, `${KIND} >>> select[name="ReadingType"]`)).to.equal("Циклическое значение");
    expect(await value(page, `${KIND} >>> input[name="DigitCapacity"]`)).to.equal("0");
    expect(await texts(page, `${KIND} >>> .bar button.cmd`)).to.include.members([
      "Записать и закрыть",
      "Записать",
      "Закрыть",
    ]); // the seed's OK | Сохранить | Закрыть
    await app.shot(page, "seed-meter-type");

    // a new kind: typed, the reading type chosen by ↓, Ctrl+S writes and keeps the form
    await page.evaluate(() => (location.hash = "#/list/catalog/MeterTypes"));
    await click(page, `app-shell >>> list-form >>> button[data-cmd="create"]`);
    await until("new form", async () => (await activeCaption(page)) === "Виды приборов учета (создание)");
    await typeInto(page, `${KIND} >>> input[name="name"]`, "Электроэнергия");
    await typeInto(page, `${KIND} >>> input[name="Unit"]`, "кВт·ч");
    await page.focus(`${KIND} >>> select[name="ReadingType"]`);
    await page.keyboard.press("ArrowDown");
    await until(
      "chosen",
      async () => (await selected(page, `${KIND} >>> select[name="ReadingType"]`)) === "Накопительное значение",
    );
    await typeInto(page, `${KIND} >>> input[name="DigitCapacity"]`, "6");
    await page.focus(`${KIND} >>> input[name="Unit"]`);
    await combo(page, ["Control"], "s");
    await until("written", async () => (await activeCaption(page)) === "Электроэнергия (Виды приборов учета)");
    const [item] = (await app.api("GET", "/catalogs/MeterTypes?search=Электро")).rows;
    expect(item).to.include({
      name: "Электроэнергия",
      Unit: "кВт·ч",
      ReadingType: "Cumulative",
      DigitCapacity: "6",
      code: "003",
    });
    // Ctrl+Enter writes a change and closes
    await typeInto(page, `${KIND} >>> input[name="DigitCapacity"]`, "7");
    await until("dirty", async () => (await activeCaption(page)).endsWith("*"));
    await page.focus(`${KIND} >>> input[name="name"]`);
    await combo(page, ["Control"], "Enter");
    await until("closed", async () => !(await tabCaptions(page)).some((c) => c.startsWith("Электроэнергия")));
    expect((await app.api("GET", `/catalogs/MeterTypes/${item.id}`)).DigitCapacity).to.equal("7");
    expect(page.errors).to.deep.equal([]);
    await page.close();
  });

  it("Настройка пени: the seed's January 2012; a month by the keyboard, the boxes enable their fields, Провести, Движения = API", async () => {
    const jan = (await app.api("GET", "/documents/PenaltySettings?limit=10")).rows.find(
      (d: any) => d.Month === "2012-01-01",
    );
    const page = await app.open(`/#/document/PenaltySettings/${jan.id}`);
    await shellReady(page);
    await find(page, `${PENALTY} >>> input[name="Month"]`);
    expect(await captions(page, PENALTY)).to.deep.equal([
      "Период",
      "Изменить срок оплаты",
      "Срок оплаты",
      "Изменить ставку",
      "Способ расчета",
      "Ставка",
      "Дата",
    ]);
    // the seed: Январь 2012 г., Срок оплаты 10, Ставка 0,0344, Дата 1 января 2012 г.
    expect(await value(page, `${PENALTY} >>> input[name="Month"]`)).to.equal("Январь 2012 г.");
    expect(await checked(page, `${PENALTY} >>> input[name="ChangeDueDay"]`)).to.equal(true);
    expect(await value(page, `${PENALTY} >>> input[name="DueDay"]`)).to.equal("10");
    expect(await checked(page, `${PENALTY} >>> input[name="ChangeRate"]`)).to.equal(true);
    expect(await value(page, `${PENALTY} >>> input[name="Rate"]`)).to.equal("0,0344");
    expect(await value(page, `${PENALTY} >>> input[name="RateDate"]`)).to.equal("01.01.2012");
    expect(await texts(page, `${PENALTY} >>> .bar button.cmd`)).to.include.members([
      "Провести и закрыть",
      "Записать",
      "Закрыть",
    ]); // OK | Сохранить | Закрыть
    await app.shot(page, "seed-penalty-january");

    // February: only the due day changes (ticked by Space); the rate's fields stay read-only
    await page.evaluate(() => (location.hash = "#/list/document/PenaltySettings"));
    await click(page, `app-shell >>> list-form >>> button[data-cmd="create"]`);
    await find(page, `${PENALTY} >>> input[name="Month"]`);
    await typeInto(page, `${PENALTY} >>> input[name="Month"]`, "02.2012");
    await until(
      "February",
      async () => (await value(page, `${PENALTY} >>> input[name="Month"]`)) === "Февраль 2012 г.",
    );
    for (const f of ["DueDay", "Rate", "RateDate"])
      expect(await readOnly(page, `${PENALTY} >>> input[name="${f}"]`), f).to.equal(true);
    expect(await page.$eval(`${PENALTY} >>> select[name="Mode"]`, (s) => (s as HTMLSelectElement).disabled)).to.equal(
      true,
    );
    await page.focus(`${PENALTY} >>> input[name="ChangeDueDay"]`);
    await page.keyboard.press("Space");
    await until("due day enabled", async () => !(await readOnly(page, `${PENALTY} >>> input[name="DueDay"]`)));
    expect(await readOnly(page, `${PENALTY} >>> input[name="Rate"]`)).to.equal(true);
    await typeInto(page, `${PENALTY} >>> input[name="DueDay"]`, "15");
    // Изменить ставку: ticked enables the rate, unticked read-only again
    await page.focus(`${PENALTY} >>> input[name="ChangeRate"]`);
    await page.keyboard.press("Space");
    await until("rate enabled", async () => !(await readOnly(page, `${PENALTY} >>> input[name="Rate"]`)));
    expect(await readOnly(page, `${PENALTY} >>> input[name="RateDate"]`)).to.equal(false);
    await page.keyboard.press("Space");
    await until("rate read-only", async () => readOnly(page, `${PENALTY} >>> input[name="Rate"]`));
    await app.shot(page, "seed-penalty-february");

    // Провести: the record has the new due day and January's rate, carried over
    await click(page, `${PENALTY} >>> button[data-cmd="post"]`);
    await waitPosted(page, PENALTY, async () => (await activeCaption(page)).endsWith("(проведен)"));
    const id = await openId(page, "PenaltySettings");
    expect(await app.api("GET", `/documents/PenaltySettings/${id}`)).to.include({
      Month: "2012-02-01",
      ChangeDueDay: true,
      DueDay: "15",
      ChangeRate: false,
      posted: true,
    });
    const rows = await movements(app, "PenaltySettings", id, "PenaltySettings");
    expect(rows).to.have.length(1);
    expect(rows[0]).to.include({ DueDay: "15", Rate: "0.0344", Mode: "FixedDailyRate" });
    expect(rows[0].period.slice(0, 10)).to.equal("2012-02-01");
    await click(page, `${PENALTY} >>> button[data-cmd="movements"]`);
    await until("movements", async () => (await columnTexts(page, MV, "Rate")).length === 1);
    expect(await columnTexts(page, MV, "Rate")).to.deep.equal(rows.map((r) => ru(r.Rate, 4)));
    expect(await columnTexts(page, MV, "DueDay")).to.deep.equal(rows.map((r) => ru(r.DueDay, 0)));
    expect(await columnTexts(page, MV, "period")).to.deep.equal(rows.map((r) => ddmmyyyy(r.period)));
    expect(await columnTexts(page, MV, "Mode")).to.deep.equal(["Фиксированный процент в день"]);
    await app.shot(page, "seed-penalty-movements");
    expect(page.errors).to.deep.equal([]);
    await page.close();
  });
});
