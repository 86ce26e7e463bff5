/**
 * Issue 18: the keyboard map (F1) lists the keys of the current form from the one table of
 * bindings its handlers use (client/src/shell/keymap.ts): a list shows Ins, Enter/F2, F9, Del; a
 * document form Ctrl+S Записать, Ctrl+Enter Провести и закрыть, Esc Закрыть and its tabular
 * part's Ins, F9, Del…; Esc closes the map and gives the focus back. The keys the map shows work:
 * Ins from the map's list row creates, F9 in the tabular part copies a row.
 */
import { expect } from "chai";
import type { Page } from "puppeteer";
import { KEYS, bindingsOf, type KeyContext } from "../../client/src/shell/keymap.ts";
import { forms } from "../../client/src/i18n/forms.ts";
import { startApp, type App } from "./helpers/browser.ts";
import { activeCaption, find, shellReady, until } from "./helpers/ui.ts";

const MAP = "key-map-dialog";

/** The map's rows: [context, keys, command]. */
const mapRows = (page: Page) =>
  page.$$eval(`${MAP} >>> tr.binding`, (trs) =>
    trs.map((tr) => [
      tr.getAttribute("data-context") ?? "",
      (tr.querySelector("td.keys")?.textContent ?? "").trim(),
      (tr.querySelectorAll("td")[1]?.textContent ?? "").trim(),
    ]),
  );

/** The rows the table of bindings gives for the contexts (what the dialog must show). */
const expected = (contexts: KeyContext[]) =>
  contexts.flatMap((c) => bindingsOf([c]).map((b) => [c, b.keys.join(", "), forms[b.label].ru]));

describe("client: issue 18 — the keyboard map (F1)", function () {
  let app: App;
  before(async () => {
    app = await startApp();
  });
  after(async () => app?.close());

  it("a list: F1 shows the list's keys from the bindings table; Esc closes it; Ins then creates", async () => {
    const page = await app.open("/#/list/catalog/Buildings");
    await shellReady(page);
    await find(page, "app-shell >>> list-form >>> .ag-row[row-index='0'] .ag-cell");
    await page.keyboard.press("F1");
    await find(page, `${MAP} >>> .box`);
    const rows = await mapRows(page);
    expect(rows).to.deep.equal(expected(["list", "window"]));
    expect(rows).to.deep.include(["list", "Ins", "Создать"]);
    expect(rows).to.deep.include(["list", "Enter, F2", "Изменить (открыть)"]);
    expect(rows).to.deep.include(["list", "Del", "Пометить на удаление / снять пометку"]);
    await page.keyboard.press("Escape");
    await until("the map closed", async () => !(await page.$(MAP)));
    // the focus is back in the list: the key the map showed works
    await page.keyboard.press("Insert");
    await until("a new building", async () => (await activeCaption(page)) === "Здания (создание)");
    await page.close();
  });

  it("a document form: the form's keys (Ctrl+S, Ctrl+Enter, Esc) and its tabular part's; F9 copies a row as shown", async () => {
    const list = await app.api("GET", "/documents/TariffChange?limit=1");
    const doc = await app.api("GET", `/documents/TariffChange/${list.rows[0].id}`);
    const page = await app.open(`/#/document/TariffChange/${doc.id}`);
    await shellReady(page);
    await find(page, "app-shell >>> tabular-part >>> .ag-row[row-index='0'] .ag-cell");
    await page.keyboard.press("F1");
    await find(page, `${MAP} >>> .box`);
    const rows = await mapRows(page);
    expect(rows).to.deep.equal(expected(["document", "form", "table", "window"]));
    for (const r of [
      ["form", "Ctrl+S", "Записать"],
      ["document", "Ctrl+Enter", "Провести и закрыть (OK)"],
      ["form", "Esc", "Закрыть"],
      ["table", "Ins", "Добавить строку"],
      ["table", "F9", "Скопировать строку"],
      ["table", "Del", "Удалить строку"],
      ["window", "F1", "Сочетания клавиш этой формы"],
    ])
      expect(rows).to.deep.include(r);
    expect(rows.map((r) => r[0])).to.not.include("list");
    await page.keyboard.press("Escape");
    await until("the map closed", async () => !(await page.$(MAP)));
    // Esc closed the map only, not the form
    expect(await page.$("app-shell >>> document-form")).to.not.equal(null);
    // F9 (as the map says) copies the focused row of the tabular part
    const count = () =>
      page.$eval("app-shell >>> tabular-part", (e) => (e as unknown as { data: unknown[] }).data.length);
    const rowsBefore = await count();
    expect(rowsBefore).to.equal(doc.Tariffs.length);
    await (await find(page, "app-shell >>> tabular-part >>> .ag-row[row-index='0'] .ag-cell[col-id='Rate']")).click();
    await page.keyboard.press("F9");
    await until("a copied row", async () => (await count()) === rowsBefore + 1);
    await page.close();
  });

  it("every binding has a Russian name and keys", () => {
    for (const [name, b] of Object.entries(KEYS)) {
      expect(b.keys.length, name).to.be.greaterThan(0);
      expect(forms[b.label]?.ru, name).to.be.a("string").and.not.equal("");
    }
  });
});
