// «Движения» of a document posting to an accounting register (warehouse fixture, Operation): the
// entries in a table — Дт, its analytics as text, Кт, its analytics, Сумма, quantities, Содержание —
// the same as the API's; a one-sided off-balance entry shows an empty Кт.
import { expect } from "chai";
import { startApp, type App } from "./helpers/browser.ts";
import { click, shellReady, texts, until } from "./helpers/ui.ts";
import { WAREHOUSE } from "../helpers/db.ts";

const FORM = "app-shell >>> document-form";
const MV = "app-shell >>> movements-view";

describe("client: «Движения» of an accounting register", function () {
  let app: App;
  let id: string;
  before(async () => {
    app = await startApp({ conf: WAREHOUSE, demo: false });
    const wh = (await app.api("POST", "/catalogs/Warehouses", { name: "Главный склад" })).id;
    const product = (await app.api("POST", "/catalogs/Products", { name: "Гвоздь", ProductKind: "Goods" })).id;
    const supplier = (await app.api("POST", "/catalogs/Counterparties", { name: "ООО Ромашка" })).id;
    id = (
      await app.api("POST", "/documents/Operation?post=true", {
        date: "2026-05-06",
        Content: "Поступление гвоздей",
        Entries: [
          {
            AccountDr: "41",
            AccountCr: "60",
            Product: product,
            Warehouse: wh,
            Counterparty: supplier,
            Quantity: "5",
            Amount: "1234.50",
          },
          { AccountDr: "MZ", Product: product, Quantity: "2", Amount: "100.00" },
        ],
      })
    ).id;
  });
  after(async () => app?.close());

  it("shows the entries as Дт / Кт / Сумма / Содержание, as the API has them", async () => {
    const api = (await app.api("GET", `/documents/Operation/${id}/movements`)).registers.Accounting.rows;
    expect(api).to.have.length(2);
    const page = await app.open(`/#/document/Operation/${id}`);
    await shellReady(page);
    await click(page, `${FORM} >>> button[data-cmd="movements"]`);
    await until("entries", async () => (await texts(page, `${MV} >>> table.entries tbody tr`)).length === 2);
    const cells = async (n: number) => texts(page, `${MV} >>> table.entries tbody tr:nth-child(${n}) td`);
    expect(await texts(page, `${MV} >>> table.entries thead th`)).to.deep.equal([
      "Период",
      "Дт",
      "Субконто Дт",
      "Кт",
      "Субконто Кт",
      "Сумма",
      "Кол-во Дт",
      "Кол-во Кт",
      "Содержание",
    ]);
    expect(await cells(1)).to.deep.equal([
      "06.05.2026",
      "41",
      "Гвоздь, Главный склад",
      "60",
      "ООО Ромашка",
      "1 234,50",
      "5,000",
      "", // 60 is not a quantity account
      "Поступление гвоздей",
    ]);
    expect(await cells(2)).to.deep.equal([
      "06.05.2026",
      "MZ",
      "Гвоздь",
      "",
      "",
      "100,00",
      "2,000",
      "",
      "Поступление гвоздей",
    ]);
    expect(await texts(page, `${MV} >>> section.register h2`)).to.deep.equal(["Бухгалтерский учет (записей: 2)"]);
    await app.shot(page, "accounting-movements");
    expect(page.errors).to.deep.equal([]);
  });
});
