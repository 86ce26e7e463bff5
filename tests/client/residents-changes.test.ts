/**
 * «Групповое начисление» after a Residents record was written (issue 15 §3–§4; Правила 354
 * п.56(2), п.61), in a real browser: the demo's posted November 2011 accrual; a 4th resident of
 * 00000000001 from 16.11.2011 written through the API (the register, not a document) marks it;
 * the form lists «Проживающие и собственники: …»; «Начислить» recomputes Вывоз мусора pro rata:
 * 3 × 15/30 + 4 × 15/30 = 3,5 × 250,00 = 875,00 (was 750,00), and the list is gone.
 */
import { expect } from "chai";
import { type App, startApp } from "./helpers/browser.ts";
import { click, find, shellReady, text, until } from "./helpers/ui.ts";

const FORM = "app-shell >>> group-accrual-form";

describe("client: a Residents record written after posting is listed on the accrual and «Начислить» recomputes", function () {
  let app: App;
  before(async () => {
    app = await startApp();
  });
  after(async () => app?.close());

  it("Правила 354 п.56(2), п.61: lists the residents change; «Начислить» → Вывоз мусора 875,00 (+125,00)", async () => {
    const [g] = (await app.api("GET", "/documents/GroupAccrual?limit=10")).rows.filter((d: any) => d.posted);
    const a1 = (await app.api("GET", "/catalogs/PersonalAccounts?sort=code&limit=1")).rows[0];
    const garbage = (await app.api("GET", "/catalogs/Services?limit=50")).rows.find(
      (s: any) => s.name === "Вывоз мусора",
    );
    const line = async () =>
      (await app.api("GET", `/documents/GroupAccrual/${g.id}/movements`)).registers.Accruals.rows.find(
        (r: any) => r.Account === a1.id && r.Service === garbage.id,
      );
    // the seed's line: 250,00 × 3 = 750,00
    expect((await line()).Amount).to.equal("750.00");

    await app.api("POST", "/registers/Residents/records", {
      records: [{ period: "2011-11-16", Account: a1.id, Registered: 4, Owners: 1 }],
    });
    const page = await app.open(`/#/document/GroupAccrual/${g.id}`);
    await shellReady(page);
    const listed = await find(page, `${FORM} >>> [data-role="accrual-changes"]`);
    expect(await listed.evaluate((e) => e.textContent ?? "")).to.match(
      new RegExp(
        `Данные изменились после начисления.*\\(1\\):.*Проживающие и собственники: л/с ${a1.code}: с 16\\.11\\.2011 зарегистрировано 4, собственников 1`,
        "s",
      ),
    );
    // still the old bill until «Начислить»
    expect((await line()).Amount).to.equal("750.00");

    await click(page, `${FORM} >>> button[data-cmd="accrue"]`);
    await until("recomputed", async () => (await page.$(`${FORM} >>> .progress[data-state="done"]`)) !== null, 60_000);
    await until("message", async () => (await page.$(`${FORM} >>> .message.info`)) !== null);
    expect(await text(page, `${FORM} >>> .message.info`)).to.match(
      /разница \+125,00\); учтено изменений после прошлого начисления: 1(;|$)/,
    );
    expect(await line()).to.include({ Amount: "875.00", Volume: "3.5000" });
    await until("list gone", async () => (await page.$(`${FORM} >>> [data-role="accrual-changes"]`)) === null);
    expect(page.errors).to.deep.equal([]);
    await page.close();
  });
});
