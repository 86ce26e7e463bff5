// The workflow and attachments in the browser (issue 17 §1–2), on the warehouse fixture's
// SalesOrder: the form shows the status as a chip with only the transitions the server allows,
// the status field is read-only, a transition (with its required comment) moves the status and
// grows the timeline; «Вложения» uploads a photo (and shows the refusal of a file that is not
// one), downloads it and deletes it; the list shows the status as a coloured chip and filters by it.
import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startApp, type App } from "./helpers/browser.ts";
import { click, columnTexts, find, shellReady, text, texts, until } from "./helpers/ui.ts";
import { WAREHOUSE } from "../helpers/db.ts";

const FORM = "app-shell >>> document-form";
const PANEL = `${FORM} >>> status-panel`;
const FILES = `${FORM} >>> attachments-panel`;

describe("client: document statuses and attachments (SalesOrder)", function () {
  let app: App;
  let id: string;
  let wh: string;
  before(async () => {
    app = await startApp({ conf: WAREHOUSE, demo: false });
    wh = (await app.api("POST", "/catalogs/Warehouses", { name: "Главный склад", Keeper: "admin" })).id;
    const product = (await app.api("POST", "/catalogs/Products", { name: "Гвоздь", ProductKind: "Goods" })).id;
    id = (
      await app.api("POST", "/documents/SalesOrder", {
        Customer: "ООО Ромашка",
        Warehouse: wh,
        Items: [{ Product: product, Quantity: "5" }],
      })
    ).id;
  });
  after(async () => app?.close());

  it("shows the status with the allowed transitions, moves it and grows the timeline", async () => {
    const page = await app.open(`/#/document/SalesOrder/${id}`);
    await shellReady(page);
    await until("status chip", async () => (await texts(page, `${PANEL} >>> .line .status-chip`))[0] === "Черновик");
    const buttons = async () => texts(page, `${PANEL} >>> button[data-transition]`);
    expect(await buttons()).to.deep.equal(["Утвердить", "Отменить"]);
    expect(await texts(page, `${PANEL} >>> ol.timeline li`)).to.have.length(1);
    // the status field itself is read-only: only the transitions change it
    expect(await page.$eval(`${FORM} >>> select[name="Status"]`, (x) => (x as HTMLSelectElement).disabled)).to.equal(
      true,
    );

    await click(page, `${PANEL} >>> button[data-transition="Approved"]`);
    await until("approved", async () => (await texts(page, `${PANEL} >>> .line .status-chip`))[0] === "Утвержден");
    expect(await text(page, `${FORM} >>> .message.info`)).to.equal("Статус изменен: Утвержден");
    await until("timeline of two", async () => (await texts(page, `${PANEL} >>> ol.timeline li`)).length === 2);
    expect(await buttons()).to.have.members(["Отгрузить", "Вернуть в черновик", "Отменить"]);
    expect((await app.api("GET", `/documents/SalesOrder/${id}`)).Status).to.equal("Approved");

    // cancelling needs a comment: refused in the panel, then made with one
    await click(page, `${PANEL} >>> button[data-transition="Cancelled"]`);
    expect(await text(page, `${PANEL} >>> .message[role="alert"]`)).to.match(/нужен комментарий/);
    await (await find(page, `${PANEL} >>> input.comment`)).type("клиент отказался");
    await click(page, `${PANEL} >>> button[data-transition="Cancelled"]`);
    await until("cancelled", async () => (await texts(page, `${PANEL} >>> .line .status-chip`))[0] === "Отменен");
    await until("timeline of three", async () => (await texts(page, `${PANEL} >>> ol.timeline li`)).length === 3);
    expect(await buttons()).to.deep.equal([]); // final
    const last = (await texts(page, `${PANEL} >>> ol.timeline li`))[2];
    expect(last).to.contain("Утвержден").and.contain("Отменен").and.contain("клиент отказался").and.contain("admin");
    await app.shot(page, "workflow-form");
    expect(page.errors).to.deep.equal([]);
  });

  it("uploads a photo to «Вложения», refuses a file that is not one, and deletes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "att-"));
    const png = join(dir, "фото.png");
    writeFileSync(
      png,
      Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]),
    );
    const fake = join(dir, "page.jpg");
    writeFileSync(fake, "<html><script>alert(1)</script></html>");
    const page = await app.open(`/#/document/SalesOrder/${id}`);
    await shellReady(page);
    await find(page, `${FILES} >>> button[data-cmd="attach"]`);
    const handle = (await page.$(`${FILES} >>> input[type="file"]`)) as unknown as {
      uploadFile(...paths: string[]): Promise<void>;
    };
    await handle.uploadFile(png);
    await until("attached", async () => (await texts(page, `${FILES} >>> li[data-attachment] a`)).includes("фото.png"));
    const list = (await app.api("GET", `/documents/SalesOrder/${id}/attachments`)).attachments;
    expect(list).to.have.length(1);
    expect(list[0]).to.deep.include({ fileName: "фото.png", contentType: "image/png" });
    const href = await page.$eval(`${FILES} >>> li[data-attachment] a`, (a) =>
      (a as HTMLAnchorElement).getAttribute("href"),
    );
    expect(href).to.equal(`/api/documents/SalesOrder/${id}/attachments/${list[0].id}`);

    await handle.uploadFile(fake);
    await until("refused", async () =>
      /только фотография/.test(await text(page, `${FILES} >>> .message[role="alert"]`)),
    );
    expect((await app.api("GET", `/documents/SalesOrder/${id}/attachments`)).attachments).to.have.length(1);
    await app.shot(page, "workflow-attachments");

    await click(page, `${FILES} >>> button[data-cmd="delete-attachment"]`);
    await click(page, `modal-dialog >>> button[data-value="yes"]`);
    await until("deleted", async () => (await page.$$(`${FILES} >>> li[data-attachment]`)).length === 0);
    expect((await app.api("GET", `/documents/SalesOrder/${id}/attachments`)).attachments).to.deep.equal([]);
  });

  it("the list shows the status as a coloured chip, filters by it and by «Мои», and remembers the filter", async () => {
    await app.api("POST", "/documents/SalesOrder", { Customer: "ИП Лютик" }); // a draft
    const page = await app.open("/#/list/document/SalesOrder");
    await shellReady(page);
    const LIST = "app-shell >>> list-form";
    await until("two rows", async () => (await columnTexts(page, LIST, "Status")).length === 2);
    expect((await columnTexts(page, LIST, "Status")).sort()).to.deep.equal(["Отменен", "Черновик"]);
    const colour = await page.$eval(
      `${LIST} >>> .status-chip[data-status="Cancelled"]`,
      (e) => getComputedStyle(e).backgroundColor,
    );
    expect(colour).to.equal("rgb(198, 40, 40)"); // #c62828 from the YAML
    await page.select(`${LIST} >>> select.status-filter`, "Draft");
    await until("one draft", async () => {
      const v = await columnTexts(page, LIST, "Status");
      return v.length === 1 && v[0] === "Черновик";
    });
    // the filter is remembered: the list opened again shows the drafts only
    const again = await app.open("/#/list/document/SalesOrder");
    await shellReady(again);
    await until("remembered", async () => {
      const v = await columnTexts(again, LIST, "Status");
      return v.length === 1 && v[0] === "Черновик";
    });
    expect(await again.$eval(`${LIST} >>> select.status-filter`, (x) => (x as HTMLSelectElement).value)).to.equal(
      "Draft",
    );
    // «Мои»: the orders of the warehouses the user keeps (the admin keeps «Главный склад»)
    await again.select(`${LIST} >>> select.status-filter`, "");
    await until("both again", async () => (await columnTexts(again, LIST, "Status")).length === 2);
    await click(again, `${LIST} >>> input[data-cmd="mine"]`);
    await until("mine only", async () => {
      const v = await columnTexts(again, LIST, "Status");
      return v.length === 1 && v[0] === "Отменен";
    });
    await app.shot(again, "workflow-list");
    expect(again.errors).to.deep.equal([]);
    expect(page.errors).to.deep.equal([]);
  });
});
