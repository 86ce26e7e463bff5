/**
 * «Групповое начисление» whose inputs changed after posting (issue 15 §4), in a real browser:
 * the demo's posted November 2011 accrual; a tariff changed through the API marks it; the form
 * lists the change; «Начислить» recomputes (the job runs, the ХВС line of 00000000001 moves
 * to the new rate) and says what it computed, and the list is gone. Pressed again with nothing
 * changed, it still recomputes and says so — never «done» without recomputing.
 */
import { expect } from "chai";
import { startApp, type App } from "./helpers/browser.ts";
import { click, find, shellReady, text, until } from "./helpers/ui.ts";

const FORM = "app-shell >>> group-accrual-form";

describe("client: «Начислить» recomputes a posted accrual whose inputs changed (issue 15 §4)", function () {
  let app: App;
  before(async () => {
    app = await startApp();
  });
  after(async () => app?.close());

  it("lists the changed tariff, recomputes on «Начислить» and says what changed", async () => {
    const [g] = (await app.api("GET", "/documents/GroupAccrual?limit=10")).rows.filter((d: any) => d.posted);
    const a1 = (await app.api("GET", "/catalogs/PersonalAccounts?sort=code&limit=1")).rows[0];
    const services = (await app.api("GET", "/catalogs/Services?limit=50")).rows;
    const cold = services.find((s: any) => s.name === "ХВС");
    const line = async () =>
      (await app.api("GET", `/documents/GroupAccrual/${g.id}/movements`)).registers.Accruals.rows.find(
        (r: any) => r.Account === a1.id && r.Service === cold.id,
      );
    // the seed's line: 43.4205 m³ × 20.00 = 868.41
    expect((await line()).Amount).to.equal("868.41");
    const [tariff] = (await app.api("GET", `/registers/Tariffs/slice-last?at=2011-11-30&Service=${cold.id}`)).rows;

    const before: bigint = (
      await app.api("GET", `/documents/GroupAccrual/${g.id}/movements`)
    ).registers.Accruals.rows.reduce((k: bigint, r: any) => k + BigInt(String(r.Amount).replace(".", "")), 0n);
    let page = await app.open(`/#/document/GroupAccrual/${g.id}`);
    await shellReady(page);
    await find(page, `${FORM} >>> button[data-cmd="accrue"]`);
    expect(await page.$(`${FORM} >>> [data-role="accrual-changes"]`)).to.equal(null);
    await page.close();

    const t = await app.api("POST", "/documents/TariffChange?post=true", {
      date: "2011-11-29T10:00:00",
      Tariffs: [{ Service: cold.id, TariffKind: tariff.TariffKind, Rate: "21.0000", RateOverNorm: "0.0000" }],
    });
    page = await app.open(`/#/document/GroupAccrual/${g.id}`);
    await shellReady(page);
    const listed = await find(page, `${FORM} >>> [data-role="accrual-changes"]`);
    expect(await listed.evaluate((e) => e.textContent ?? "")).to.match(
      new RegExp(
        `Данные изменились после начисления.*\\(1\\):.*Изменение тарифов на услуги №${t.number} от 29\\.11\\.2011: тариф «ХВС»`,
        "s",
      ),
    );
    // still the old bill
    expect((await line()).Amount).to.equal("868.41");

    await click(page, `${FORM} >>> button[data-cmd="accrue"]`);
    await until("recomputed", async () => (await page.$(`${FORM} >>> .progress[data-state="done"]`)) !== null, 60_000);
    await until("message", async () => (await page.$(`${FORM} >>> .message.info`)) !== null);
    const said = await text(page, `${FORM} >>> .message.info`);
    expect(said).to.match(
      /^Пересчитано: 5 л\/с, \d+ строк на сумму [\d,]+ \(было [\d,]+, разница \+[\d,]+\); учтено изменений после прошлого начисления: 1; начислено по 5 л\/с, пропущенных нет; по услугам: .+ [\d,]+$/,
    );
    // The line moved to the new rate (from 29.11: how a mid-month tariff is split by days is the
    // accrual's rule, tested with it), and the message's figures are the register's.
    expect((await line()).Amount).to.not.equal("868.41");
    const rows = (await app.api("GET", `/documents/GroupAccrual/${g.id}/movements`)).registers.Accruals.rows;
    const kop: bigint = rows.reduce((k: bigint, r: any) => k + BigInt(String(r.Amount).replace(".", "")), 0n);
    const after = `${kop / 100n},${String(kop % 100n).padStart(2, "0")}`;
    const diff = kop - before;
    expect(said).to.contain(`на сумму ${after} (было `);
    expect(said).to.contain(`разница +${diff / 100n},${String(diff % 100n).padStart(2, "0")})`);
    await until("list gone", async () => (await page.$(`${FORM} >>> [data-role="accrual-changes"]`)) === null);

    // nothing changed: «Начислить» recomputes anyway and says so (difference 0,00, no changes)
    await click(page, `${FORM} >>> button[data-cmd="accrue"]`);
    await until("recomputed again", async () =>
      /разница 0,00\); учтено изменений после прошлого начисления: 0; начислено по 5 л\/с, пропущенных нет; по услугам: .+ [\d,]+$/.test(
        (await page.$(`${FORM} >>> .message.info`)) ? await text(page, `${FORM} >>> .message.info`) : "",
      ),
    );
    expect(page.errors).to.deep.equal([]);
    await page.close();
  });
});
