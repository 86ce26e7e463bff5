// The request form in the browser on the demo (docs/service-requests.md): the paid plumber's
// visit «Выполнена» (1 500,00 of works) shows its status with «Закрыть» only (the administrator:
// closing is the accountant's, and nothing leads back); «Закрыть» moves it and the form posts it,
// which charges the account — «Движения» lists the Accruals line naming the request; the form offers
// «Вложения» (attachments) for photos of the work and shows the computed fields read-only.
import { expect } from "chai";
import { startApp, type App } from "./helpers/browser.ts";
import { click, find, shellReady, texts, until } from "./helpers/ui.ts";

const FORM = "app-shell >>> service-request-form";
const PANEL = `${FORM} >>> status-panel`;

describe("client: the service request form (workflow, paid works)", function () {
  let app: App;
  before(async () => {
    app = await startApp();
  });
  after(async () => app?.close());

  it("closes the demo's paid request from its form, which posts the charge", async () => {
    const paid = (await app.api("GET", "/documents/ServiceRequest?Status=Done&limit=10")).rows[0];
    expect(paid.Amount).to.equal("1500.00");
    const page = await app.open(`/#/document/ServiceRequest/${paid.id}`);
    await shellReady(page);
    await until("status chip", async () => (await texts(page, `${PANEL} >>> .line .status-chip`))[0] === "Выполнена");
    expect(await texts(page, `${PANEL} >>> button[data-transition]`)).to.deep.equal(["Закрыть"]);
    await find(page, `${FORM} >>> attachments-panel`);
    // what the request computes is read-only in the form
    for (const name of ["Deadline", "ResponseDeadline", "CompletedAt"])
      expect(
        await page.$eval(`${FORM} >>> input[name="${name}"]`, (x) => (x as HTMLInputElement).readOnly),
        name,
      ).to.equal(true);
    expect(await page.$eval(`${FORM} >>> input[name="Description"]`, (x) => (x as HTMLInputElement).readOnly)).to.equal(
      false,
    );

    await click(page, `${PANEL} >>> button[data-transition="Closed"]`);
    await until("closed", async () => (await texts(page, `${PANEL} >>> .line .status-chip`))[0] === "Закрыта");
    expect(await texts(page, `${PANEL} >>> button[data-transition]`)).to.deep.equal([]); // final
    const closed = await app.api("GET", `/documents/ServiceRequest/${paid.id}`);
    expect(closed.ClosedAt).to.match(/^\d{4}-\d\d-\d\dT/);

    // closing a paid request posts it: the charge is made without pressing «Провести»
    await until("charged", async () => {
      const m = await app.api("GET", `/documents/ServiceRequest/${paid.id}/movements`);
      return m.registers.Accruals.rows.length === 1 ? m : null;
    });
    const [line] = (await app.api("GET", `/documents/ServiceRequest/${paid.id}/movements`)).registers.Accruals.rows;
    expect(line).to.include({ Account: paid.Account, Amount: "1500.00" });
    expect(line.Explanation).to.equal(
      `Платные работы по заявке №${paid.number} от 02.12.2011 (Платный вызов сантехника): Замена смесителя, Гибкая подводка`,
    );
    await app.shot(page, "service-request-closed");
    expect(page.errors).to.deep.equal([]);
    await page.close();
  });
});
