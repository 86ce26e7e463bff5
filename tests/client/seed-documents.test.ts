/**
 * The seed's document screens not covered by seed-screens.test.ts, in a real browser against
 * the demo data: Изменение услуг лицевых счетов (the seed's columns, toolbar and buttons,
 * accounts shown «код, наименование», Заполнить and Подбор, keyboard edits, Провести, Движения
 * equal to the API), Ввод начальных показаний приборов учета (both tabs filled — Заполнить
 * and Подбор — and posted), and the 1C keys across a whole form (Ins, F9, Del, Ctrl+Shift+↑/↓
 * in the tabular part, Ctrl+S, Ctrl+Enter).
 */
import { expect } from "chai";
import { type App, startApp } from "./helpers/browser.ts";
import {
  cells,
  cellsAre,
  chooseEnum,
  combo,
  createDoc,
  DOC,
  ddmmyyyy,
  demoCatalogs,
  focusCell,
  focused,
  headers,
  MV,
  movements,
  openId,
  pick,
  rowsOf,
  ru,
  tpOf,
  typeCell,
  typeRef,
  typeRefField,
  waitPosted,
} from "./helpers/seed.ts";
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

const SEED_BUTTONS = ["Движения", "Провести и закрыть", "Записать", "Закрыть"]; // the seed's Движения | OK | Сохранить | Закрыть
const STATUS: Record<string, string> = { Connected: "Подключена", Disconnected: "Отключена" };
/** The seed's six services (the demo's second building adds two common property ones). */
const SEED_SERVICES = ["Тех. обслуживание", "ХВС", "ГВС", "Вывоз мусора", "Водоотведение", "Отопление"];

describe("client: the seed's document screens", function () {
  let app: App;
  let services: any[];
  let accounts: any[];
  let kinds: any[];
  const byId = (list: any[], id: string) => list.find((x) => x.id === id);
  before(async () => {
    app = await startApp();
    ({ services, kinds, accounts } = await demoCatalogs(app));
  });
  after(async () => app?.close());

  it("Изменение услуг лицевых счетов: the seed's columns and buttons, Заполнить, Подбор, keyboard edits, Провести, Движения = API", async () => {
    const TP = tpOf("Services");
    const page = await app.open("/");
    await shellReady(page);
    await createDoc(page, "AccountServiceChange");
    expect(await activeCaption(page)).to.equal("Изменение услуг лицевых счетов (создание)");
    expect(await headers(page, TP)).to.deep.equal([
      "№",
      "Лицевой счет",
      "Услуга",
      "Вид тарифа",
      "Дата изменения",
      "Статус",
    ]);
    // the seed's commands, then the export and the form settings (issue 18)
    const actions = await page.$$eval(`${TP} >>> .toolbar button`, (b) => b.map((x) => x.getAttribute("data-action")));
    expect(actions.slice(0, 8)).to.deep.equal(["add", "copy", "delete", "up", "down", "pick", "fill", "clear"]);
    expect(["xlsx", "csv", "columns", "defaults"]).to.include.members(actions.slice(8));
    expect((await texts(page, `${TP} >>> .toolbar button span`)).slice(0, 3)).to.deep.equal([
      "Подбор",
      "Заполнить",
      "Очистить",
    ]);
    expect(await texts(page, `${DOC} >>> .bar button.cmd`)).to.include.members(SEED_BUTTONS);
    expect(await texts(page, `${DOC} >>> .bar button.cmd.default`)).to.deep.equal(["Провести и закрыть"]); // the seed's OK

    // the account to fill from, by type-ahead on its code: shown as the seed shows it
    await typeInto(page, `${DOC} >>> input[name="date"]`, "01.12.2011 10:35:37");
    await typeRefField(page, DOC, "Account", "00000000003");
    const simak = accounts.find((a) => a.code === "00000000003");
    expect(simak.presentation).to.equal("00000000003, Симак Галина Владимировна");
    await until(
      "account chosen",
      async () =>
        (await page.$eval(`${DOC} >>> ref-input[name="Account"] >>> input`, (i) => (i as HTMLInputElement).value)) ===
        simak.presentation,
    );

    // Заполнить: every service with the account's state (the demo connected the seed's six on
    // 01.11.2011; the common property services of its second building are not the account's)
    await click(page, `${TP} >>> .tb-fill`);
    await until("filled", async () => (await cells(page, TP, "Service")).length === services.length);
    expect(await cells(page, TP, "Account")).to.deep.equal(
      services.map(() => "00000000003, Симак Галина Владимировна"),
    );
    expect(await cells(page, TP, "Service")).to.deep.equal(services.map((s) => s.name));
    expect(await cells(page, TP, "Status")).to.deep.equal(
      services.map((s) => (SEED_SERVICES.includes(s.name) ? "Подключена" : "Отключена")),
    );
    expect(new Set(await cells(page, TP, "ChangeDate"))).to.deep.equal(new Set(["01.12.2011"]));
    expect(await cells(page, TP, "TariffKind")).to.include("ГВС");

    // by the keyboard: Вывоз мусора disconnected from the 15th
    const garbage = services.findIndex((s) => s.name === "Вывоз мусора");
    await chooseEnum(page, TP, garbage, "Status", 1);
    await until("disconnected", async () => (await cells(page, TP, "Status"))[garbage] === "Отключена");
    await typeCell(page, TP, garbage, "ChangeDate", "15.12.2011");
    await until("dated", async () => (await cells(page, TP, "ChangeDate"))[garbage] === "15.12.2011");

    // Подбор: account 00000000005 added below; its service, tariff kind, date and status typed in
    await pick(page, TP, [4]);
    const n = services.length;
    await until("picked", async () => (await cells(page, TP, "Account")).length === n + 1);
    expect((await cells(page, TP, "Account"))[n]).to.equal("00000000005, Морозова Анастасия Петровна");
    await typeRef(page, TP, n, "Service", "Отоп");
    await until("service", async () => (await cells(page, TP, "Service"))[n] === "Отопление");
    await typeRef(page, TP, n, "TariffKind", "Осн");
    await until("tariff kind", async () => (await cells(page, TP, "TariffKind"))[n] === "Основной");
    await typeCell(page, TP, n, "ChangeDate", "20.12.2011");
    await chooseEnum(page, TP, n, "Status", 2); // (empty) → Подключена → Отключена
    await until("row complete", async () => (await cells(page, TP, "Status"))[n] === "Отключена");
    await until("dirty", async () => (await activeCaption(page)).endsWith("*"));
    await app.shot(page, "seed-services-filled");

    // Провести; the register records equal the rows, the Движения grid equals the API
    await click(page, `${DOC} >>> button[data-cmd="post"]`);
    await waitPosted(page, DOC, async () => (await activeCaption(page)).endsWith("(проведен)"));
    const id = await openId(page, "AccountServiceChange");
    const doc = await app.api("GET", `/documents/AccountServiceChange/${id}`);
    expect(doc.Services).to.have.length(n + 1);
    const rows = await movements(app, "AccountServiceChange", id, "AccountServices");
    expect(
      rows
        .map((r) => [r.period.slice(0, 10), byId(accounts, r.Account).code, byId(services, r.Service).name, r.Status])
        .sort(),
    ).to.deep.equal(
      doc.Services.map((r: any) => [
        r.ChangeDate,
        byId(accounts, r.Account).code,
        byId(services, r.Service).name,
        r.Status,
      ]).sort(),
    );
    expect(rows.find((r) => r.Account === simak.id && byId(services, r.Service).name === "Вывоз мусора")).to.include({
      Status: "Disconnected",
    });
    const heat = services.find((s) => s.name === "Отопление");
    const [state] = (
      await app.api(
        "GET",
        `/registers/AccountServices/slice-last?at=2011-12-31&Account=${accounts[4].id}&Service=${heat.id}`,
      )
    ).rows;
    expect(state).to.include({ Status: "Disconnected", TariffKind: kinds.find((k) => k.name === "Основной").id });
    await click(page, `${DOC} >>> button[data-cmd="movements"]`);
    await until("movements", async () => (await columnTexts(page, MV, "Status")).length === rows.length);
    expect(await columnTexts(page, MV, "Status")).to.deep.equal(rows.map((r) => STATUS[r.Status]));
    expect(await columnTexts(page, MV, "Account")).to.deep.equal(
      rows.map((r) => byId(accounts, r.Account).presentation),
    );
    expect(await columnTexts(page, MV, "period")).to.deep.equal(rows.map((r) => ddmmyyyy(r.period)));
    await app.shot(page, "seed-services-movements");
    expect(page.errors).to.deep.equal([]);
    await page.close();
  });

  it("Ввод начальных показаний: both tabs — Заполнить (individual), Подбор (collective) — typed, posted, Движения = API", async () => {
    // a meter not read yet on each side: a second cold-water meter of 00000000002, and the house's
    const cold = services.find((s) => s.name === "ХВС");
    const types = (await app.api("GET", "/catalogs/MeterTypes?limit=10")).rows;
    const coldType = types.find((t: any) => t.name === "ХВС");
    const building = (await app.api("GET", "/catalogs/Buildings?limit=1")).rows[0];
    const a2 = accounts.find((a) => a.code === "00000000002");
    const own = await app.api("POST", "/catalogs/Meters", {
      name: "ХВС-2 кв.002",
      MeterType: coldType.id,
      Service: cold.id,
      Kind: "Individual",
      Account: a2.id,
    });
    const house = await app.api("POST", "/catalogs/Meters", {
      name: "Общедомовой ХВС",
      MeterType: coldType.id,
      Service: cold.id,
      Kind: "Collective",
      Building: building.id,
    });

    const IND = tpOf("Individual");
    const COL = tpOf("Collective");
    const page = await app.open("/");
    await shellReady(page);
    await createDoc(page, "InitialMeterReadings");
    expect(await texts(page, `${DOC} >>> .tp-tab`)).to.deep.equal([
      "Индивидуальные приборы учета",
      "Коллективные приборы учета",
    ]);
    expect(await headers(page, IND)).to.deep.equal([
      "№",
      "Лицевой счет",
      "Прибор учета",
      "Показание",
      "Дата показания",
    ]);
    expect((await texts(page, `${IND} >>> .toolbar button span`)).slice(0, 3)).to.deep.equal([
      "Подбор",
      "Заполнить",
      "Очистить",
    ]);
    expect(await texts(page, `${DOC} >>> .bar button.cmd`)).to.include.members(SEED_BUTTONS);
    await typeInto(page, `${DOC} >>> input[name="date"]`, "01.12.2011 12:27:38");

    // Индивидуальные: Заполнить proposes the meter without readings; its reading typed
    await click(page, `${IND} >>> .tb-fill`);
    await until("individual filled", async () => (await cells(page, IND, "Meter")).length === 1);
    expect(await cells(page, IND, "Account")).to.deep.equal(["00000000002, Ржига Игорь Сергеевич"]);
    expect(await cells(page, IND, "Meter")).to.deep.equal(["ХВС-2 кв.002"]);
    expect(await cells(page, IND, "ReadingDate")).to.deep.equal(["01.12.2011"]);
    await typeCell(page, IND, 0, "Reading", "42,5");
    await cellsAre(page, IND, "Reading", ["42,5000"]);
    await app.shot(page, "seed-initial-individual");

    // Коллективные: the building by Подбор, then the meter by type-ahead, the reading and its date
    await click(page, `${DOC} >>> .tp-tab[data-table="Collective"]`);
    await find(page, COL);
    expect(await headers(page, COL)).to.deep.equal(["№", "Здание", "Прибор учета", "Показание", "Дата показания"]);
    await pick(page, COL, [0]);
    await until("building picked", async () => (await cells(page, COL, "Building")).length === 1);
    expect(await cells(page, COL, "Building")).to.deep.equal([building.name]);
    await typeRef(page, COL, 0, "Meter", "Общедом");
    await cellsAre(page, COL, "Meter", ["Общедомовой ХВС"]);
    await typeCell(page, COL, 0, "Reading", "1500,5");
    await typeCell(page, COL, 0, "ReadingDate", "01.12.2011");
    await cellsAre(page, COL, "Reading", ["1 500,5000"]);
    await cellsAre(page, COL, "ReadingDate", ["01.12.2011"]);
    await app.shot(page, "seed-initial-collective");

    // Провести: one reading per tab in the register, shown by Движения as the API has them
    await click(page, `${DOC} >>> button[data-cmd="post"]`);
    await waitPosted(page, DOC, async () => (await activeCaption(page)).endsWith("(проведен)"));
    const id = await openId(page, "InitialMeterReadings");
    const rows = await movements(app, "InitialMeterReadings", id, "MeterReadings");
    expect(rows.map((r) => [r.period.slice(0, 10), r.Meter, r.Reading])).to.deep.equal([
      ["2011-12-01", own.id, "42.5000"],
      ["2011-12-01", house.id, "1500.5000"],
    ]);
    expect(
      (await app.api("GET", `/registers/MeterReadings/slice-last?at=2011-12-31&Meter=${house.id}`)).rows[0],
    ).to.include({ Reading: "1500.5000" });
    await click(page, `${DOC} >>> button[data-cmd="movements"]`);
    await until("movements", async () => (await columnTexts(page, MV, "Reading")).length === rows.length);
    expect(await columnTexts(page, MV, "Reading")).to.deep.equal(rows.map((r) => ru(r.Reading, 4)));
    expect(await columnTexts(page, MV, "Meter")).to.deep.equal(["ХВС-2 кв.002", "Общедомовой ХВС"]);
    await app.shot(page, "seed-initial-movements");
    expect(page.errors).to.deep.equal([]);
    await page.close();
  });

  it("the 1C keys across a seed form: Ins, F9, Del, Ctrl+Shift+↑/↓ in the tabular part, Ctrl+S writes, Ctrl+Enter posts and closes", async () => {
    const TP = tpOf("Tariffs");
    const page = await app.open("/");
    await shellReady(page);
    await createDoc(page, "TariffChange");
    await typeInto(page, `${DOC} >>> input[name="date"]`, "01.02.2012 09:00:00");
    await click(page, `${TP} >>> .tb-fill`);
    // the seed's six and the two common property services of the demo's second building
    const names = [...SEED_SERVICES, "ХВС на СОИ", "Электроэнергия на СОИ"];
    await cellsAre(page, TP, "Service", names);
    const tp = await find(page, TP);
    const lineNumbers = [...names, ""].map((_, i) => String(i + 1));

    // F9 copies the focused row below it; Del deletes the copy
    await focusCell(page, TP, 0, "Rate");
    await page.keyboard.press("F9");
    await cellsAre(page, TP, "Service", [names[0], ...names]);
    await cellsAre(page, TP, "_line", lineNumbers);
    await until("copy focused", async () => (await focused(tp)).startsWith("1:"));
    await page.keyboard.press("Delete");
    await cellsAre(page, TP, "Service", names);
    // Ctrl+Shift+↓ twice, Ctrl+Shift+↑ once: Тех. обслуживание ends second, the focus following it
    await focusCell(page, TP, 0, "Service");
    await combo(page, ["Control", "Shift"], "ArrowDown");
    await combo(page, ["Control", "Shift"], "ArrowDown");
    await combo(page, ["Control", "Shift"], "ArrowUp");
    const moved = [names[1], names[0], ...names.slice(2)];
    await cellsAre(page, TP, "Service", moved);
    await until("focus followed", async () => (await focused(tp)) === "1:Service");
    // Ins adds an empty row and opens its first cell; Esc leaves it empty; Del removes it
    await page.keyboard.press("Insert");
    await page.waitForSelector(`${TP} >>> .tp-ref-editor input`);
    await page.keyboard.press("Escape");
    await cellsAre(page, TP, "_line", lineNumbers);
    expect((await cells(page, TP, "Service"))[names.length]).to.equal("");
    await until("new row focused", async () => (await focused(tp)).startsWith(`${names.length}:`));
    await page.keyboard.press("Delete");
    await cellsAre(page, TP, "Service", moved);
    // a rate typed, then Ctrl+S (the focus still in the grid) writes a draft
    await typeCell(page, TP, 1, "Rate", "3");
    await until("typed", async () => (await cells(page, TP, "Rate"))[1] === "3,0000");
    await app.shot(page, "seed-keys-edited");
    await focusCell(page, TP, 2, "Rate");
    await combo(page, ["Control"], "s");
    await until("written", async () =>
      /^Изменение тарифов на услуги \d+ от 01\.02\.2012 \(не проведен\)$/.test(await activeCaption(page)),
    );
    const id = await openId(page, "TariffChange");
    const draft = await app.api("GET", `/documents/TariffChange/${id}`);
    expect(draft.posted).to.equal(false);
    expect(draft.Tariffs.map((r: any) => services.find((s) => s.id === r.Service).name)).to.deep.equal(moved);
    expect(draft.Tariffs.map((r: any) => r.Rate)).to.deep.equal([
      "20.0000",
      "3.0000",
      "30.0000",
      "250.0000",
      "40.0000",
      "150.0000",
      "20.0000",
      "5.0000",
    ]);
    expect(await rowsOf(tp)).to.have.length(names.length);
    // another rate, then Ctrl+Enter from the grid: posted and closed
    await typeCell(page, TP, 0, "Rate", "21");
    await until("dirty", async () => (await activeCaption(page)).endsWith("*"));
    await focusCell(page, TP, 3, "Rate");
    await combo(page, ["Control"], "Enter");
    // (the list's tab stays: its caption is the document's synonym alone)
    await until(
      "closed",
      async () => !(await tabCaptions(page)).some((c) => c.startsWith("Изменение тарифов на услуги 0")),
    );
    const done = await app.api("GET", `/documents/TariffChange/${id}`);
    expect(done.posted).to.equal(true);
    expect(done.Tariffs.map((r: any) => r.Rate)).to.deep.equal([
      "21.0000",
      "3.0000",
      "30.0000",
      "250.0000",
      "40.0000",
      "150.0000",
      "20.0000",
      "5.0000",
    ]);
    const rows = await movements(app, "TariffChange", id, "Tariffs");
    expect(rows.map((r) => [r.Service, r.Rate])).to.deep.equal(done.Tariffs.map((r: any) => [r.Service, r.Rate]));
    await app.shot(page, "seed-keys-closed");
    expect(page.errors).to.deep.equal([]);
    await page.close();
  });
});
