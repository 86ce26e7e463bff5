// Signed documents in the UI: «Подписать» on a posted document makes an Ed25519 key in the
// browser (WebCrypto, private key non-extractable in IndexedDB), registers its public key once,
// signs the canonical form; the form's title and the list show «Подписан», the «Подписи» panel
// the verification; changing and reposting the document voids the signature visibly.
import { expect } from "chai";
import { startApp, type App } from "./helpers/browser.ts";
import { click, shellReady, text, typeInto, until } from "./helpers/ui.ts";

const FORM = "app-shell >>> .page:not([hidden]) > *";

describe("client: signatures", function () {
  let app: App;
  before(async () => {
    app = await startApp();
  });
  after(async () => app?.close());

  it("signs a posted document, shows «Подписан» and the verification; a change voids it visibly", async () => {
    const payment = (await app.api("GET", "/documents/Payment?limit=1")).rows[0];
    expect(payment.posted).to.equal(true);
    const page = await app.open(`/#/document/Payment/${payment.id}`);
    await shellReady(page);
    await click(page, `${FORM} >>> sign-commands >>> button[data-cmd="sign"]`);
    await until("signed mark in the title", async () =>
      (await text(page, `${FORM} >>> h1.title`)).includes("Подписан"),
    );
    const list = await app.api("GET", `/documents/Payment/${payment.id}/signatures`);
    expect(list.signed).to.equal(true);
    expect(list.signatures).to.have.length(1);
    expect(list.signatures[0].verify.status).to.equal("valid");
    expect(list.signatures[0].signer.login).to.equal("admin");
    // the key: registered once, private part not extractable, kept in IndexedDB
    expect((await app.api("GET", "/signatures/keys")).keys).to.have.length(1);
    const extractable = await page.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const open = indexedDB.open("signature-keys");
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const req = open.result.transaction("keys").objectStore("keys").getAll();
            req.onsuccess = () =>
              resolve(
                req.result.map((k: { privateKey: CryptoKey }) => [
                  k.privateKey.extractable,
                  k.privateKey.algorithm.name,
                ]),
              );
          };
        }),
    );
    expect(extractable).to.deep.equal([[false, "Ed25519"]]);

    // the «Подписи» panel: the signer and «Подпись верна»
    await click(page, `${FORM} >>> sign-commands >>> button[data-cmd="signatures"]`);
    await until("panel", async () => page.$("app-modal .signatures-panel tr.signature"));
    expect(await page.$eval("app-modal tr.signature", (tr) => tr.getAttribute("data-status"))).to.equal("valid");
    expect(await text(page, "app-modal tr.signature"))
      .to.include("admin")
      .and.include("Подпись верна");
    await app.shot(page, "signatures-ui-valid");
    await click(page, "app-modal .signatures-close");
    await until("panel closed", async () => !(await page.$("app-modal")));

    // a second signature reuses the registered key
    await click(page, `${FORM} >>> sign-commands >>> button[data-cmd="sign"]`);
    await until(
      "two signatures",
      async () => (await app.api("GET", `/documents/Payment/${payment.id}/signatures`)).signatures.length === 2,
    );
    expect((await app.api("GET", "/signatures/keys")).keys).to.have.length(1);

    // the list shows the mark
    await page.evaluate(() => (location.hash = "#/list/document/Payment"));
    await until("signed in the list", async () =>
      page.$(`app-shell >>> list-form >>> .ag-cell[col-id="__signed"] .signed`),
    );
    await app.shot(page, "signatures-ui-list");

    // a change and repost voids the signatures: the title loses the mark, the panel shows them voided
    await page.evaluate((id) => (location.hash = `#/document/Payment/${id}`), payment.id);
    await typeInto(page, `${FORM} >>> input[name="Source"]`, "Касса");
    await click(page, `${FORM} >>> button[data-cmd="post"]`);
    await until(
      "mark gone",
      async () =>
        !(await text(page, `${FORM} >>> h1.title`)).includes("Подписан") &&
        !(await text(page, `${FORM} >>> h1.title`)).endsWith("*"),
    );
    const after = await app.api("GET", `/documents/Payment/${payment.id}/signatures`);
    expect(after.signed).to.equal(false);
    expect(after.signatures.map((s: { verify: { status: string } }) => s.verify.status)).to.deep.equal([
      "void",
      "void",
    ]);
    await until(
      "panel button",
      async () =>
        (await page.$(`${FORM} >>> sign-commands >>> button[data-cmd="signatures"]`)) &&
        (await page.$(`${FORM} >>> sign-commands >>> button[data-cmd="sign"]`)),
    );
    await click(page, `${FORM} >>> sign-commands >>> button[data-cmd="signatures"]`);
    await until(
      "voided rows",
      async () =>
        (
          await page.$$eval("app-modal tr.signature", (trs) => trs.map((tr) => tr.getAttribute("data-status")))
        ).join() === "void,void",
    );
    expect(await text(page, "app-modal tr.signature")).to.include("Аннулирована");
    await app.shot(page, "signatures-ui-voided");
    await click(page, "app-modal .signatures-close");
    // and the list no longer marks it
    await page.evaluate(() => (location.hash = "#/list/document/Payment"));
    await until(
      "no mark in the list",
      async () => (await page.$$(`app-shell >>> list-form >>> .ag-cell[col-id="__signed"] .signed`)).length === 0,
    );
    expect(page.errors).to.deep.equal([]);
    await page.close();
  });
});
