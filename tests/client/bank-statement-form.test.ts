// «Выписка банка» in the browser (docs/bank-statement.md): «Загрузить» on a new statement takes the
// demo statement file through the file picker, the form becomes the imported statement — its two
// lines with their states «Разнесено» and «Не разнесено» in the grid — and says what became of
// them; the unmatched line given an account in the grid and posted becomes «Разнесено»; the same
// file again says nothing was created.
import { expect } from "chai";
import { join } from "node:path";
import { ROOT } from "../helpers/db.ts";
import { startApp, type App } from "./helpers/browser.ts";
import { shellReady, texts, until } from "./helpers/ui.ts";

const DEMO = join(ROOT, "metadata/demo/bank-statement-2011-12-12.txt");
const FORM = "app-shell >>> bank-statement-form";

describe("client: BankStatement — «Загрузить» a statement file", function () {
  let app: App;
  before(async () => {
    app = await startApp();
  });
  after(async () => app?.close());

  it("the demo file through the picker: the lines with their states, and what became of them", async () => {
    const page = await app.open("/#/document/BankStatement/new");
    await shellReady(page);
    const input = await page.waitForSelector(`${FORM} >>> input.file`);
    await page.waitForSelector(`${FORM} >>> button[data-cmd="import"]`, { visible: true });
    await (input as unknown as { uploadFile(path: string): Promise<void> }).uploadFile(DEMO);
    const info = `${FORM} >>> .message.info`;
    await until("the import's answer", async () =>
      (await texts(page, info)).some((t) => t.startsWith("Файл загружен")),
    );
    expect((await texts(page, info)).join(" ")).to.contain("Файл загружен: разнесено 1, не разнесено 1");
    const cells = async () => (await texts(page, `${FORM} >>> .ag-cell`)).join(" | ");
    await app.shot(page, "bank-statement-imported");
    await until("the lines", async () => (await cells()).includes("Не разнесено"));
    const all = await cells();
    expect(all).to.contain("Разнесено");
    expect(all).to.contain("13 803,60");
    expect(all).to.contain("3 500,00");
    expect((await texts(page, `${FORM} >>> .posted-state`)).join("")).to.contain("проведен");
    await app.shot(page, "bank-statement-imported");

    // the unmatched line assigned in the grid: Лицевой счет by type-ahead, then «Провести» — it becomes a Payment
    await page.click(`${FORM} >>> .ag-row[row-index="1"] .ag-cell[col-id="Account"]`);
    await page.keyboard.press("F2");
    await page.keyboard.type("Калин");
    await page.waitForSelector(`${FORM} >>> .ref-dropdown .ref-item`, { visible: true });
    await page.keyboard.press("Enter");
    await until("the account in the cell", async () =>
      (await texts(page, `${FORM} >>> .ag-row[row-index="1"] .ag-cell[col-id="Account"]`)).join("").includes("Калинин"),
    );
    await page.click(`${FORM} >>> button[data-cmd="post"]`);
    await until("both lines paid", async () => !(await cells()).includes("Не разнесено"));
    const states = await texts(page, `${FORM} >>> .ag-row:not(.ag-row-pinned) .ag-cell[col-id="Status"]`);
    expect(states.filter(Boolean)).to.deep.equal(["Разнесено", "Разнесено"]); // (the totals row has none)
    await app.shot(page, "bank-statement-assigned");

    // the same file again, from a new form: nothing created
    const again = await app.open("/#/document/BankStatement/new");
    await shellReady(again);
    const input2 = await again.waitForSelector(`${FORM} >>> input.file`);
    await (input2 as unknown as { uploadFile(path: string): Promise<void> }).uploadFile(DEMO);
    await until("the second answer", async () => (await texts(again, info)).some((t) => t.includes("уже загружены")));
    expect(page.errors).to.deep.equal([]);
  });
});
