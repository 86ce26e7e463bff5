// A payment agent's register imported as a BankStatement (?format=agent-registry&agent=<id>): each
// matched line a posted Payment from the agent (SourceKind Agent), the agent's commission Дт 26
// Кт 57.01, an unmatched line Дт 57.01 Кт 76.09 with the agent; the same register again creates
// nothing. Outgoing BankPayment: Дт 60.01 (68.01, 70 … by the kind) Кт 51, VAT computed, and the
// export route's file read back with readExchangeFile (docs/bank-statement.md).
import { expect } from "chai";
import { join } from "node:path";
import { ROOT, testPlatform } from "../helpers/db.ts";
import { loadInitialData } from "../../server/initial-data.ts";
import { inArea } from "../helpers/services.ts";
import { ADMIN_PW, startSecure, type Reply, type Secure } from "../security/helpers.ts";
import type { TestSession } from "../platform/api-client.ts";
import { readEntries } from "../../server/accounting/entries.ts";
import { readExchangeFile } from "../../metadata/common/bank/exchange-read.ts";

type Json = Record<string, any>;

describe("bank: agents' registers and outgoing payment orders", function () {
  this.timeout(120_000);
  let s: Secure;
  let admin: TestSession;
  let accountant: TestSession;
  let account1: string;
  let org: Json;
  const ok = (r: Reply, status = 200) => {
    if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${r.text.slice(0, 500)}`);
    return r.body as Json;
  };
  async function upload(as: TestSession, data: Buffer, query = "") {
    const r = await fetch(`${s.base}/api/documents/BankStatement/import${query}`, {
      method: "POST",
      headers: { cookie: as.cookie, "x-csrf-token": as.csrf, "content-type": "application/octet-stream" },
      body: new Uint8Array(data),
    });
    const text = await r.text();
    return {
      status: r.status,
      body: text.startsWith("{") ? JSON.parse(text) : text,
      headers: r.headers,
      text,
    } as Reply;
  }
  const entries = async (id: string) =>
    (
      await inArea(s.platform, (ctx) =>
        readEntries(ctx.c, ctx.conf, ctx.conf.accountingRegisters.get("Accounting")!, id),
      )
    )
      .map((e: Json) => [e.AccountDr, e.AccountCr, e.Amount])
      .sort((a, b) => String(a).localeCompare(String(b)));
  const create = async (path: string, body: Json) => ok(await s.req("POST", path, { session: accountant, body }), 201);

  before(async () => {
    const platform = await testPlatform(join(ROOT, "metadata"), "bankagent");
    expect(await loadInitialData(platform, 1)).to.equal(true);
    s = await startSecure({ platform });
    admin = await s.login("admin", ADMIN_PW);
    accountant = await s.user("acc", ["Accountant"]);
    const list = ok(await s.req("GET", "/api/catalogs/PersonalAccounts?limit=50", { session: admin }));
    account1 = list.rows.find((r: Json) => r.code === "00000000001").id;
    org = ok(await s.req("GET", "/api/catalogs/Organizations?limit=5", { session: admin })).rows[0];
  });
  after(async () => {
    await s?.close();
  });

  let agent: string;
  it("an agent's register: the matched line a Payment from the agent, commission Дт 26 Кт 57.01, the unmatched Дт 57.01 Кт 76.09; again: nothing new", async () => {
    agent = (await create("/api/catalogs/Counterparties", { name: "Почта России", Inn: "7724261610" })).id;
    const file = Buffer.from(
      "лицевой счет;период;сумма;комиссия;дата\r\n" +
        "00000000001;11.2011;1000,00;15,00;13.12.2011\r\n" +
        "00000000099;11.2011;500,00;5,00;13.12.2011\r\n",
    );
    const r = ok(await upload(accountant, file, `?format=agent-registry&agent=${agent}&name=reestr.csv`));
    expect(r.counts).to.deep.equal({ posted: 1, unposted: 1, duplicates: 0, outgoing: 0 });
    expect(r.lines[0]).to.deep.include({
      account: account1,
      period: "2011-11-01",
      amount: "1000.00",
      commission: "15.00",
    });
    expect(r.lines[1]).to.deep.include({
      status: "Unposted",
      account: null,
      note: "Лицевой счет 00000000099 не найден",
    });
    const pay = ok(await s.req("GET", `/api/documents/Payment/${r.lines[0].payment}`, { session: admin }));
    expect(pay).to.deep.include({
      posted: true,
      Amount: "1000.00",
      Account: account1,
      SourceKind: "Agent",
      Agent: agent,
    });
    expect(await entries(r.statement.id)).to.deep.equal([
      ["26", "57.01", "15.00"],
      ["26", "57.01", "5.00"],
      ["57.01", "76.09", "500.00"],
    ]);
    const again = ok(await upload(accountant, file, `?format=agent-registry&agent=${agent}`));
    expect(again.statement).to.equal(null);
    expect(again.counts.duplicates).to.equal(2);
  });

  it("an agent's register without a known agent, or an unknown format, is refused (422)", async () => {
    const file = Buffer.from("00000000001;11.2011;1000,00;15,00;13.12.2011\r\n");
    const r = await upload(accountant, file, "?format=agent-registry");
    expect(r.status).to.equal(422);
    expect(r.text).to.include("укажите агента");
    expect((await upload(accountant, file, "?format=xml")).status).to.equal(422);
    const bad = await upload(
      accountant,
      Buffer.from("00000000001;11.2011;1000,00;15,00;13.12.2011\r\n00000000001;11.2011;abc;0;13.12.2011\r\n"),
      `?format=agent-registry&agent=${agent}`,
    );
    expect(bad.status).to.equal(422);
    expect(bad.text).to.match(/Строка 2/);
  });

  let supplier: string;
  it("BankPayment: Дт 60.01 Кт 51 with the recipient, VAT 20% computed (1 200,00 → 200,00); НДФЛ Дт 68.01; a salary wants the employee", async () => {
    supplier = (
      await create("/api/catalogs/Counterparties", {
        name: "ООО Водоканал",
        FullName: "Общество с ограниченной ответственностью «Водоканал»",
        Inn: "7707083893",
        Kpp: "100101001",
        BankAccount: "40702810900000000555",
        BankName: "Мой банк",
        Bik: "048602001",
        CorrAccount: "30101810600000000001",
      })
    ).id;
    const p1 = ok(
      await s.req("POST", "/api/documents/BankPayment?post=true", {
        session: accountant,
        body: {
          date: "2011-12-14T10:00:00",
          Organization: org.id,
          Recipient: supplier,
          Amount: "1200.00",
          VatRate: "Vat20",
          Purpose: "Оплата по счету №15 от 01.12.2011 за холодную воду",
        },
      }),
      201,
    );
    expect(p1).to.deep.include({ posted: true, OperationKind: "ToSupplier", VatAmount: "200.00" });
    expect(await entries(p1.id)).to.deep.equal([["60.01", "51", "1200.00"]]);
    const p2 = ok(
      await s.req("POST", "/api/documents/BankPayment?post=true", {
        session: accountant,
        body: {
          date: "2011-12-15T10:00:00",
          Organization: org.id,
          Recipient: supplier,
          OperationKind: "TaxNdfl",
          Amount: "130.00",
          Purpose: "НДФЛ за ноябрь 2011",
        },
      }),
      201,
    );
    expect(await entries(p2.id)).to.deep.equal([["68.01", "51", "130.00"]]);
    const r = await s.req("POST", "/api/documents/BankPayment?post=true", {
      session: accountant,
      body: {
        date: "2011-12-15T11:00:00",
        Organization: org.id,
        Recipient: supplier,
        OperationKind: "Salary",
        Amount: "10.00",
        Purpose: "Зарплата",
      },
    });
    expect(r.status).to.equal(422);
    expect(r.text).to.include("укажите работника");
  });

  it("the export: GET …/BankPayment/export?from&to downloads the exchange file; readExchangeFile reads the orders back", async () => {
    const r = await fetch(`${s.base}/api/documents/BankPayment/export?from=2011-12-01&to=2011-12-31`, {
      headers: { cookie: accountant.cookie },
    });
    expect(r.status).to.equal(200);
    expect(r.headers.get("content-disposition")).to.match(/^attachment; filename="payments-2011-12-01-2011-12-31.txt"/);
    const file = readExchangeFile(Buffer.from(await r.arrayBuffer()));
    expect(file.encoding).to.equal("windows-1251");
    expect(file.accounts).to.deep.equal([org.BankAccount]);
    expect(file.documents.map((d) => [d.sum.toFixed(2), d.date, d.direction])).to.deep.equal([
      ["1200.00", "2011-12-14", "outgoing"],
      ["130.00", "2011-12-15", "outgoing"],
    ]);
    const [d] = file.documents;
    expect(d.recipient).to.deep.include({ account: "40702810900000000555", inn: "7707083893", bic: "048602001" });
    expect(d.recipient.name).to.equal("Общество с ограниченной ответственностью «Водоканал»");
    expect(d.payer.account).to.equal(org.BankAccount);
    expect(d.purpose).to.equal("Оплата по счету №15 от 01.12.2011 за холодную воду В т.ч. НДС 20% - 200.00 руб.");
    expect(file.documents[1].purpose).to.equal("НДФЛ за ноябрь 2011");
    const none = await s.req("GET", "/api/documents/BankPayment/export?from=2012-01-01&to=2012-01-31", {
      session: accountant,
    });
    expect(none.status).to.equal(422);
    expect(none.text).to.include("Нет проведенных платежных поручений");
  });
});
