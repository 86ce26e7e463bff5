/**
 * The seed's other screens in a real browser, against the demo data: Изменение тарифов на
 * услуги (the seed's columns, toolbar and buttons; Заполнить, keyboard edits, a 3×10 block
 * pasted, Провести, Движения equal to the API; Очистить and the unsaved-changes guard) and the
 * account card (services, meters and readings, balance by service, each month's accrual with
 * "why this amount"). Изменение услуг лицевых счетов, Ввод начальных показаний and the 1C keys
 * are in seed-documents.test.ts; Виды приборов учета and Настройка пени in seed-settings.test.ts.
 */
import { expect } from "chai";
import { type App, startApp } from "./helpers/browser.ts";
import {
  cells,
  createDoc,
  DOC,
  demoCatalogs,
  focused,
  headers,
  MV,
  movements,
  openId,
  ru,
  typeCell,
  waitPosted,
} from "./helpers/seed.ts";
import { activeCaption, click, columnTexts, find, shellReady, text, texts, typeInto, until } from "./helpers/ui.ts";

const TP = `${DOC} >>> tabular-part`;
const BUTTONS = ["Провести и закрыть", "Записать", "Провести", "Движения", "Закрыть"];

describe("client: the seed's screens", function () {
  let app: App;
  let services: any[];
  let kinds: any[];
  let accounts: any[];
  before(async () => {
    app = await startApp();
    ({ services, kinds, accounts } = await demoCatalogs(app));
  });
  after(async () => app?.close());

  it("Изменение тарифов на услуги: the seed's columns and commands, Заполнить, a rate typed, Провести, Движения = API", async () => {
    const page = await app.open("/");
    await shellReady(page);
    await createDoc(page, "TariffChange");
    expect(await headers(page, TP)).to.deep.equal(["№", "Услуга", "Вид тарифа", "Тариф", "Тариф сверх"]);
    expect(await texts(page, `${DOC} >>> .bar button.cmd`)).to.include.members(
      BUTTONS.filter((b) => b !== "Движения").concat(["Движения"]),
    );
    // the seed's eight commands, then the export to Excel and CSV and the form settings (issue 18)
    const toolbar = await page.$$eval(`${TP} >>> .toolbar button`, (b) => b.map((x) => x.dataset.action ?? ""));
    expect(toolbar.slice(0, 8)).to.deep.equal(["add", "copy", "delete", "up", "down", "pick", "fill", "clear"]);
    expect(toolbar.slice(8)).to.include.members(["xlsx", "csv"]);
    expect(["xlsx", "csv", "columns", "defaults"]).to.include.members(toolbar.slice(8));
    await click(page, `${TP} >>> .tb-fill`);
    await until("filled", async () => (await cells(page, TP, "Service")).length >= 6);
    expect((await cells(page, TP, "Service")).slice(0, 6)).to.deep.equal([
      "Тех. обслуживание",
      "ХВС",
      "ГВС",
      "Вывоз мусора",
      "Водоотведение",
      "Отопление",
    ]);
    expect((await cells(page, TP, "Rate")).slice(0, 6)).to.deep.equal([
      "2,5000",
      "20,0000",
      "30,0000",
      "250,0000",
      "40,0000",
      "150,0000",
    ]);
    expect((await cells(page, TP, "RateOverNorm")).slice(0, 2)).to.deep.equal(["5,0000", "0,0000"]);
    // the first rate typed by the keyboard (Russian comma), then Провести
    await typeCell(page, TP, 0, "Rate", "2,75");
    await until("typed", async () => (await cells(page, TP, "Rate"))[0] === "2,7500");
    await until("dirty", async () => (await activeCaption(page)).endsWith("*"));
    await app.shot(page, "seed-tariffs");
    await click(page, `${DOC} >>> button[data-cmd="post"]`);
    await until("posted", async () => (await activeCaption(page)).endsWith("(проведен)"));
    const id = await openId(page, "TariffChange");
    const rows = await movements(app, "TariffChange", id, "Tariffs");
    expect(rows[0]).to.include({ Rate: "2.7500", RateOverNorm: "5.0000" });
    await click(page, `${DOC} >>> button[data-cmd="movements"]`);
    await until("movements", async () => (await columnTexts(page, MV, "Rate")).length === rows.length);
    expect(await columnTexts(page, MV, "Rate")).to.deep.equal(rows.map((r: any) => ru(r.Rate, 4)));
    expect(await columnTexts(page, MV, "RateOverNorm")).to.deep.equal(rows.map((r: any) => ru(r.RateOverNorm, 4)));
    await app.shot(page, "seed-tariffs-movements");
    expect(page.errors).to.deep.equal([]);
    await page.close();
  });

  it("Изменение тарифов: a 3×10 block pasted from a spreadsheet, Провести; Очистить asks first", async () => {
    const page = await app.open("/");
    await shellReady(page);
    await createDoc(page, "TariffChange");
    await click(page, `${TP} >>> .tb-add`);
    await until("one row", async () => (await cells(page, TP, "Service")).length === 1);
    const names = ["Тех. обслуживание", "ХВС", "ГВС", "Вывоз мусора", "Водоотведение"];
    const block = names.flatMap((n, i) => [
      [n, "Основной", `${i + 1},5`],
      [n, "ГВС", `${i + 1}0`],
    ]);
    expect(block).to.have.length(10);
    await page.keyboard.press("Escape"); // the new row opened its first cell for editing
    await click(page, `${TP} >>> .ag-row[row-index="0"] .ag-cell[col-id="Rate"]`);
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("ArrowLeft");
    const tp = await find(page, TP);
    await until("Услуга focused", async () => (await focused(tp)) === "0:Service");
    await tp.evaluate((el: any, t: string) => el.pasteText(t), block.map((r) => r.join("\t")).join("\r\n"));
    await until("ten rows", async () => (await cells(page, TP, "Service")).length === 10);
    expect(await cells(page, TP, "Rate")).to.deep.equal(block.map((r) => ru(r[2].replace(",", "."), 4)));
    await app.shot(page, "seed-tariffs-paste");
    // another day than the first test's document (a register keeps one rate per day)
    await typeInto(page, `${DOC} >>> input[name="date"]`, "15.01.2012 10:00:00");
    await click(page, `${DOC} >>> button[data-cmd="post"]`);
    await waitPosted(page, DOC, async () => (await activeCaption(page)).endsWith("(проведен)"), 10_000);
    const id = await openId(page, "TariffChange");
    const doc = await app.api("GET", `/documents/TariffChange/${id}`);
    const byId = (list: any[], id: string) => list.find((x) => x.id === id).name;
    expect(doc.Tariffs.map((r: any) => [byId(services, r.Service), byId(kinds, r.TariffKind), r.Rate])).to.deep.equal(
      block.map((r) => [r[0], r[1], ru(r[2].replace(",", "."), 4).replace(",", ".")]),
    );
    expect(await movements(app, "TariffChange", id, "Tariffs")).to.have.length(10);
    // Очистить asks: Нет keeps the rows, Да clears them; closing then asks about the change
    await click(page, `${TP} >>> .tb-clear`);
    await page.waitForSelector("app-modal .confirm-text");
    expect(await page.$eval("app-modal .confirm-text", (e) => e.textContent)).to.equal(
      "Табличная часть «Тарифы» будет очищена (10 стр.). Продолжить?",
    );
    await click(page, "app-modal .confirm-no");
    await page.waitForFunction(() => !document.querySelector("app-modal"));
    expect(await cells(page, TP, "Service")).to.have.length(10);
    await click(page, `${TP} >>> .tb-clear`);
    await click(page, "app-modal .confirm-yes");
    await until("cleared", async () => (await cells(page, TP, "Service")).length === 0);
    await until("dirty", async () => (await activeCaption(page)).endsWith("*"));
    await click(page, `${DOC} >>> button[data-cmd="close"]`);
    await find(page, "modal-dialog >>> .box");
    await app.shot(page, "seed-tariffs-guard");
    await click(page, `modal-dialog >>> button[data-value="no"]`);
    await until("closed", async () => !(await page.$(DOC)));
    expect((await app.api("GET", `/documents/TariffChange/${id}`)).Tariffs).to.have.length(10);
    await page.close();
  });

  it("the account card: services, meters and readings, balance by service, each month's accrual with why", async () => {
    const a1 = accounts.find((a) => a.code === "00000000001");
    const page = await app.open(`/#/catalog/PersonalAccounts/${a1.id}`);
    await shellReady(page);
    const CARD = "app-shell >>> account-card-form";
    await find(page, `${CARD} >>> .card-tabs`);
    expect(await texts(page, `${CARD} >>> .card-tabs button.tab`)).to.deep.equal([
      "Услуги",
      "Приборы учета и показания",
      "Расчеты по услугам",
      "Начисления",
      "Заявки",
    ]);
    // Начисления: November 2011 with the seed's total and the API's explanation of every line
    await until("accruals", () => page.$(`${CARD} >>> table[data-table="accruals"] tr.month[data-month="2011-11"]`));
    expect(await text(page, `${CARD} >>> tr.month[data-month="2011-11"] td.num`)).to.equal("13 752,73");
    const api = (await app.api("GET", `/registers/Accruals/movements?Account=${a1.id}&from=2011-11-01&to=2011-11-30`))
      .rows;
    expect(api).to.have.length(6);
    const why = await texts(page, `${CARD} >>> tr[data-month="2011-11"][data-service] td.why`);
    expect(why).to.deep.equal(api.map((r: any) => r.Explanation));
    expect(why.every((w) => w.length > 0)).to.equal(true);
    expect(await texts(page, `${CARD} >>> tr[data-month="2011-11"][data-service] td.amount`)).to.deep.equal(
      api.map((r: any) => ru(r.Amount, 2)),
    );
    await app.shot(page, "seed-card-accruals");
    // Расчеты по услугам: the total is the Settlements balance
    await click(page, `${CARD} >>> button.tab[data-tab="balance"]`);
    const bal = (await app.api("GET", `/registers/Settlements/balance?Account=${a1.id}`)).rows;
    const k = bal.reduce((s: bigint, r: any) => s + BigInt(r.Amount.replace(".", "")), 0n).toString();
    await until("balance", () => page.$(`${CARD} >>> table[data-table="balance"] tr[data-total]`));
    expect(await text(page, `${CARD} >>> table[data-table="balance"] tr[data-total] td.num`)).to.equal(
      ru(`${k.slice(0, -2)}.${k.slice(-2)}`, 2),
    );
    await app.shot(page, "seed-card-balance");
    // Услуги: the six connected services; Приборы учета: each meter with its readings
    await click(page, `${CARD} >>> button.tab[data-tab="services"]`);
    await until("services", () => page.$(`${CARD} >>> table[data-table="services"]`));
    const conn = (await app.api("GET", `/registers/AccountServices/slice-last?Account=${a1.id}`)).rows;
    expect((await texts(page, `${CARD} >>> table[data-table="services"] tr`)).length - 1).to.equal(conn.length);
    await click(page, `${CARD} >>> button.tab[data-tab="meters"]`);
    await until("meters", () => page.$(`${CARD} >>> table[data-table="meters"]`));
    const meters = (await app.api("GET", `/catalogs/Meters?Account=${a1.id}`)).rows;
    expect(await page.$$eval(`${CARD} >>> table[data-table="meters"] tr[data-meter]`, (r) => r.length)).to.equal(
      meters.length,
    );
    const reads = (await app.api("GET", `/registers/MeterReadings/records?Meter=${meters[0].id}`)).rows;
    expect(await text(page, `${CARD} >>> tr[data-meter="${meters[0].id}"] td.readings`)).to.contain(
      ru(reads[0].Reading, 4),
    );
    await app.shot(page, "seed-card-meters");
    expect(page.errors).to.deep.equal([]);
    await page.close();
  });
});
