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
  text,
  typeInto,
  until,
} from "./helpers/ui.ts";

const DOC = "app-shell >>> document-form";
const PENALTY = "app-shell >>> penalty-settings-form"; // the configuration's custom form
const ctrl = async (page: Page, key: string) => {
  await page.keyboard.down("Control");
  await page.keyboard.press(key as never);
  await page.keyboard.up("Control");
};
const formatRu = (s: string | null, scale: number) => {
  if (s === null) return "";
  const [i, f = ""] = s.split(".");
  return scale ? `${i},${f.padEnd(scale, "0")}` : i;
};

describe("client: the document form", function () {
  let app: App;
  before(async () => {
    app = await startApp();
  });
  after(async () => app?.close());

  it("creates, writes (Ctrl+S), posts and shows Движения equal to the API's; a refusal shows at its field; Ctrl+Enter posts and closes", async () => {
    const page = await app.open("/#/list/document/PenaltySettings");
    await shellReady(page);
    await click(page, `app-shell >>> list-form >>> button[data-cmd="create"]`);
    await find(page, `${PENALTY} >>> input[name="Month"]`);
    expect(await activeCaption(page)).to.equal("Настройка пени (создание)");
    // (the configuration's form: the period as a month; each box enables its fields)
    await typeInto(page, `${PENALTY} >>> input[name="Month"]`, "01.03.2013");
    expect(await page.$eval(`${PENALTY} >>> input[name="Month"]`, (i) => (i as HTMLInputElement).value)).to.equal(
      "Март 2013 г.",
    );
    expect(await page.$eval(`${PENALTY} >>> input[name="Rate"]`, (i) => (i as HTMLInputElement).readOnly)).to.equal(
      true,
    );

    // posting with nothing ticked is refused by the document's handler, at the field it names
    await click(page, `${PENALTY} >>> button[data-cmd="post"]`);
    await until("refusal at the field", () => page.$(`${PENALTY} >>> .field.error[data-field="ChangeDueDay"]`));
    expect(await text(page, `${PENALTY} >>> .message[role="alert"]`)).to.match(/ничего не меняет/);
    expect(
      (await app.api("GET", "/documents/PenaltySettings?limit=100")).rows.filter((r: any) => r.Month === "2013-03-01"),
    ).to.have.length(0);
    await app.shot(page, "document-refused");

    // tick the boxes, fill what they enable and write with Ctrl+S: a draft with a number
    await click(page, `${PENALTY} >>> input[name="ChangeDueDay"]`);
    await click(page, `${PENALTY} >>> input[name="ChangeRate"]`);
    await typeInto(page, `${PENALTY} >>> input[name="DueDay"]`, "12");
    await typeInto(page, `${PENALTY} >>> input[name="Rate"]`, "0,0344");
    await typeInto(page, `${PENALTY} >>> input[name="RateDate"]`, "01.03.2013");
    expect(await page.$eval(`${PENALTY} >>> input[name="Rate"]`, (i) => (i as HTMLInputElement).value)).to.equal(
      "0,0344",
    );
    await page.focus(`${PENALTY} >>> input[name="Rate"]`);
    await ctrl(page, "s");
    await until("written", async () =>
      /^Настройка пени \d+ от \d\d\.\d\d\.\d{4} \(не проведен\)$/.test(await activeCaption(page)),
    );
    const list = (await app.api("GET", "/documents/PenaltySettings?limit=100")).rows.filter(
      (r: any) => r.Month === "2013-03-01",
    );
    expect(list).to.have.length(1);
    const id = list[0].id;
    const draft = await app.api("GET", `/documents/PenaltySettings/${id}`);
    expect(draft).to.include({
      posted: false,
      Month: "2013-03-01",
      ChangeDueDay: true,
      ChangeRate: true,
      Rate: "0.0344",
      DueDay: "12",
      RateDate: "2013-03-01",
    });
    expect(await activeCaption(page)).to.contain(draft.number);
    expect(await page.evaluate(() => location.hash)).to.equal(`#/document/PenaltySettings/${id}`);

    // Провести
    await click(page, `${PENALTY} >>> button[data-cmd="post"]`);
    await until("posted title", async () => (await activeCaption(page)).endsWith("(проведен)"));
    expect((await app.api("GET", `/documents/PenaltySettings/${id}`)).posted).to.equal(true);
    await app.shot(page, "document-posted");

    // Движения: one grid per register, the same records as the API
    const api = (await app.api("GET", `/documents/PenaltySettings/${id}/movements`)).registers;
    await click(page, `${PENALTY} >>> button[data-cmd="movements"]`);
    const mv = "app-shell >>> movements-view";
    await until("movements grid", async () => (await columnTexts(page, mv, "Rate")).length > 0);
    expect(Object.keys(api)).to.deep.equal(["PenaltySettings"]);
    const rows = api.PenaltySettings.rows;
    expect(rows.length).to.be.greaterThan(0);
    expect(
      await page.$$eval(`${mv} >>> section.register`, (s) => s.map((x) => x.getAttribute("data-register"))),
    ).to.deep.equal(["PenaltySettings"]);
    expect(await columnTexts(page, mv, "Rate")).to.deep.equal(rows.map((r: any) => formatRu(r.Rate, 4)));
    expect(await columnTexts(page, mv, "DueDay")).to.deep.equal(rows.map((r: any) => formatRu(r.DueDay, 0)));
    expect(await columnTexts(page, mv, "Mode")).to.deep.equal(
      rows.map((r: any) =>
        r.Mode === "FixedDailyRate" ? "Фиксированный процент в день" : "По ключевой ставке (ЖК РФ ст.155 ч.14)",
      ),
    );
    expect(await columnTexts(page, mv, "period")).to.deep.equal(
      rows.map((r: any) => r.period.slice(0, 10).split("-").reverse().join(".")),
    );
    await app.shot(page, "document-movements");

    // back to the document: Отменить проведение, then Ctrl+Enter posts and closes
    await click(page, `app-shell >>> .tab[data-key="document/PenaltySettings/${id}"]`);
    await click(page, `${PENALTY} >>> button[data-cmd="unpost"]`);
    await until("unposted", async () => (await activeCaption(page)).endsWith("(не проведен)"));
    expect((await app.api("GET", `/documents/PenaltySettings/${id}`)).posted).to.equal(false);
    await typeInto(page, `${PENALTY} >>> input[name="comment"]`, "проверка клавиш");
    await until("dirty", async () => (await activeCaption(page)).endsWith("*"));
    await page.focus(`${PENALTY} >>> input[name="comment"]`);
    await ctrl(page, "Enter");
    await until("closed", async () => !(await tabCaptions(page)).some((c) => c.startsWith("Настройка пени 0")));
    const done = await app.api("GET", `/documents/PenaltySettings/${id}`);
    expect(done).to.include({ posted: true, comment: "проверка клавиш" });
    // the refused posting is the only failed request
    expect(page.errors.filter((e) => !/status of 422/.test(e))).to.deep.equal([]);
    await page.close();
  });

  it("closing a changed document asks first: Отмена keeps it, Нет discards, Да writes", async () => {
    const doc = (await app.api("GET", "/documents/TariffChange?limit=1")).rows[0];
    const page = await app.open(`/#/document/TariffChange/${doc.id}`);
    await shellReady(page);
    await find(page, `${DOC} >>> input[name="comment"]`);
    await until("title", async () => (await activeCaption(page)).startsWith("Изменение тарифов на услуги"));
    expect(await activeCaption(page)).to.match(/\(проведен\)$/);
    await typeInto(page, `${DOC} >>> input[name="comment"]`, "не сохранять");
    await until("dirty", async () => (await activeCaption(page)).endsWith("*"));
    await click(page, "app-shell >>> .tab.active .x");
    await find(page, "modal-dialog >>> .box");
    expect(await text(page, "modal-dialog >>> .text")).to.equal("Данные были изменены. Сохранить изменения?");
    await app.shot(page, "document-guard");
    await click(page, `modal-dialog >>> button[data-value="cancel"]`);
    expect(await page.$("modal-dialog")).to.equal(null);
    expect((await tabCaptions(page)).length).to.equal(1);
    expect(await page.$eval(`${DOC} >>> input[name="comment"]`, (i) => (i as HTMLInputElement).value)).to.equal(
      "не сохранять",
    );
    // the form's own Закрыть asks too; Нет closes without writing
    await click(page, `${DOC} >>> button[data-cmd="close"]`);
    await click(page, `modal-dialog >>> button[data-value="no"]`);
    await until("closed", async () => (await tabCaptions(page)).length === 0);
    expect((await app.api("GET", `/documents/TariffChange/${doc.id}`)).comment).to.equal(doc.comment);
    // Да writes, then closes
    await page.evaluate((id) => (location.hash = `#/document/TariffChange/${id}`), doc.id);
    await find(page, `${DOC} >>> input[name="comment"]`);
    await typeInto(page, `${DOC} >>> input[name="comment"]`, "сохранить");
    await click(page, "app-shell >>> .tab.active .x");
    await click(page, `modal-dialog >>> button[data-value="yes"]`);
    await until("closed", async () => (await tabCaptions(page)).length === 0);
    const after = await app.api("GET", `/documents/TariffChange/${doc.id}`);
    expect(after).to.include({ comment: "сохранить", posted: true });
    expect(page.errors).to.deep.equal([]);
    await page.close();
  });
});

describe("client: the document form and its tabular parts", function () {
  let app: App;
  before(async () => {
    app = await startApp();
  });
  after(async () => app?.close());

  it("a refusal naming a row and field (Tariffs[2].Service) focuses that cell of the tabular part", async () => {
    const ok = (await app.api("GET", "/documents/TariffChange?limit=1")).rows[0];
    const src = await app.api("GET", `/documents/TariffChange/${ok.id}`);
    const [first] = src.Tariffs;
    const draft = await app.api("POST", "/documents/TariffChange", {
      Tariffs: [
        { Service: first.Service, TariffKind: first.TariffKind, Rate: "1.5" },
        { Service: null, TariffKind: first.TariffKind, Rate: "2" },
      ],
    });
    const page = await app.open(`/#/document/TariffChange/${draft.id}`);
    await shellReady(page);
    await find(page, `${DOC} >>> tabular-part`);
    await click(page, `${DOC} >>> button[data-cmd="post"]`);
    await until("message", () => page.$(`${DOC} >>> .message[role="alert"]`));
    expect(await text(page, `${DOC} >>> .message[role="alert"]`)).to.match(/строка 2/);
    const tp = await find(page, `${DOC} >>> tabular-part`);
    const focused = () =>
      tp.evaluate((el: any) => {
        const c = el.api?.getFocusedCell?.();
        return c ? `${c.rowIndex}:${c.column.getColId()}` : "";
      });
    await until("focused cell", async () => (await focused()) === "1:Service").catch(async (e) => {
      expect(await focused()).to.equal("1:Service");
      throw e;
    });
    expect((await app.api("GET", `/documents/TariffChange/${draft.id}`)).posted).to.equal(false);
    await app.shot(page, "document-cell-error");
    await page.close();
  });
});
