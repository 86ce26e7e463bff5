// The bank statement import (issue 16 §3; docs/bank-statement.md) on the demo database, through
// POST /api/documents/BankStatement/import with the file's bytes: the demo statement (13 803,60
// matched to 00000000001 for November 2011 → a posted Payment; 3 500,00 unmatched → Дт 51 Кт 76.09);
// the same file again creates nothing; an unmatched line given an account in the statement and
// posted again becomes a Payment and leaves 76.09; a malformed file is refused naming its line and
// writes nothing; a legal payer known by ИНН without an account stays unmatched with its
// counterparty on 76.09; rights.
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, testPlatform } from "../helpers/db.ts";
import { loadInitialData } from "../../server/initial-data.ts";
import { inArea } from "../helpers/services.ts";
import { ADMIN_PW, startSecure, type Reply, type Secure } from "../security/helpers.ts";
import type { TestSession } from "../platform/api-client.ts";
import { readEntries } from "../../server/accounting/entries.ts";
import { documentTable } from "../../server/storage/naming.ts";
import { writeExchangeFile, type PaymentOrder } from "../../metadata/common/bank/exchange-write.ts";

const ORG_ACCOUNT = "1111111111222222222";
const DEMO = readFileSync(join(ROOT, "metadata/demo/bank-statement-2011-12-12.txt"));

/** An incoming statement of the demo organization's account (its orders' recipient is that account). */
export function incoming(orders: Omit<PaymentOrder, "recipient">[], encoding?: "utf-8"): Buffer {
  return writeExchangeFile(
    orders.map((o) => ({ ...o, recipient: { account: ORG_ACCOUNT, name: "ТСЖ Машенька", inn: "111111111" } })),
    { account: ORG_ACCOUNT, created: "2011-12-20T10:00:00", encoding },
  );
}

describe("bank statement import (BankStatement)", function () {
  this.timeout(120_000);
  let s: Secure;
  let admin: TestSession;
  let accountant: TestSession;
  const ok = (r: Reply, status = 200) => {
    if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${r.text.slice(0, 500)}`);
    return r.body as any;
  };
  async function upload(as: TestSession, data: Buffer, query = "") {
    const r = await fetch(`${s.base}/api/documents/BankStatement/import${query}`, {
      method: "POST",
      headers: { cookie: as.cookie, "x-csrf-token": as.csrf, "content-type": "application/octet-stream" },
      body: new Uint8Array(data),
    });
    const text = await r.text();
    let body: any = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* text */
    }
    return { status: r.status, body, headers: r.headers, text } as Reply;
  }
  const count = async (doc: string) =>
    Number(
      (await inArea(s.platform, (ctx) => ctx.c.query(`SELECT count(*) AS n FROM ${documentTable(doc)}`))).rows[0].n,
    );
  const entries = (id: string) =>
    inArea(s.platform, (ctx) => readEntries(ctx.c, ctx.conf, ctx.conf.accountingRegisters.get("Accounting")!, id));
  const get = async (doc: string, id: string) =>
    ok(await s.req("GET", `/api/documents/${doc}/${id}`, { session: admin }));
  let account1: string;

  before(async () => {
    const platform = await testPlatform(join(ROOT, "metadata"), "bankimp");
    expect(await loadInitialData(platform, 1)).to.equal(true);
    s = await startSecure({ platform });
    admin = await s.login("admin", ADMIN_PW);
    accountant = await s.user("acc", ["Accountant"]);
    const list = ok(await s.req("GET", "/api/catalogs/PersonalAccounts?limit=50", { session: admin }));
    account1 = list.rows.find((r: any) => r.code === "00000000001").id;
  });
  after(async () => {
    await s?.close();
  });

  let statementId: string;

  it("the demo statement: 13 803,60 → a posted Payment of 00000000001 for 11.2011; 3 500,00 «Не разнесено» on Дт 51 Кт 76.09", async () => {
    const payments = await count("Payment");
    const r = ok(await upload(accountant, DEMO, "?name=bank-statement-2011-12-12.txt"));
    expect(r.counts).to.deep.equal({ posted: 1, unposted: 1, duplicates: 0, outgoing: 0 });
    const [a, b] = r.lines;
    expect(a).to.deep.include({ amount: "13803.60", account: account1, period: "2011-11-01", status: "Posted" });
    expect(b).to.deep.include({ amount: "3500.00", account: null, status: "Unposted", payment: null });
    expect(await count("Payment")).to.equal(payments + 1);
    const pay = await get("Payment", a.payment);
    expect(pay).to.deep.include({ posted: true, Amount: "13803.60", Account: account1, PaidMonth: "2011-11-01" });
    expect(pay.date.slice(0, 10)).to.equal("2011-12-12");
    expect(pay.Source).to.equal("Выписка банка «bank-statement-2011-12-12.txt», строка 1");
    statementId = r.statement.id;
    const st = await get("BankStatement", statementId);
    expect(st).to.deep.include({
      posted: true,
      BankAccount: ORG_ACCOUNT,
      FileName: "bank-statement-2011-12-12.txt",
      OpeningBalance: "25000.00",
      TotalIn: "17303.60",
      ClosingBalance: "42303.60",
      PeriodStart: "2011-12-12",
    });
    expect(st.Organization).to.be.a("string");
    expect(st.Lines.map((l: any) => l.Status)).to.deep.equal(["Posted", "Unposted"]);
    const e = await entries(statementId);
    expect(e.map((x: any) => [x.AccountDr, x.AccountCr, x.Amount])).to.deep.equal([["51", "76.09", "3500.00"]]);
  });

  it("the same file again creates nothing: every line «Дубликат», no statement, no payment", async () => {
    const [payments, statements] = [await count("Payment"), await count("BankStatement")];
    const r = ok(await upload(accountant, DEMO));
    expect(r.statement).to.equal(null);
    expect(r.counts).to.deep.equal({ posted: 0, unposted: 0, duplicates: 2, outgoing: 0 });
    expect(r.lines[0].payment).to.be.a("string");
    expect([await count("Payment"), await count("BankStatement")]).to.deep.equal([payments, statements]);
  });

  it("an unmatched line given an account and a period in the statement and posted again becomes a Payment; 76.09 is gone", async () => {
    const st = await get("BankStatement", statementId);
    const lines = st.Lines.map((l: any, i: number) =>
      i === 1 ? { ...l, Account: account1, PaidMonth: "2011-11-01" } : l,
    );
    const payments = await count("Payment");
    const after = ok(
      await s.req("PUT", `/api/documents/BankStatement/${statementId}?post=true`, {
        session: accountant,
        body: { Lines: lines.map(({ line: _, ...l }: any) => l) },
      }),
    );
    expect(after.Lines.map((l: any) => l.Status)).to.deep.equal(["Posted", "Posted"]);
    expect(after.Lines[1].Payment).to.be.a("string");
    expect(await count("Payment")).to.equal(payments + 1);
    const pay = await get("Payment", after.Lines[1].Payment);
    expect(pay).to.deep.include({ posted: true, Amount: "3500.00", Account: account1, PaidMonth: "2011-11-01" });
    expect(pay.Source).to.equal(`Выписка банка №${st.number}, строка 2`);
    expect(await entries(statementId)).to.deep.equal([]);
    // posting it once more changes nothing
    ok(await s.req("POST", `/api/documents/BankStatement/${statementId}/post`, { session: accountant }));
    expect(await count("Payment")).to.equal(payments + 1);
    // a line that is a payment keeps the payment's sum: changing it is refused naming the line
    const changed = after.Lines.map(({ line: _, ...l }: any, i: number) => (i === 0 ? { ...l, Amount: "1.00" } : l));
    const r = await s.req("PUT", `/api/documents/BankStatement/${statementId}?post=true`, {
      session: accountant,
      body: { Lines: changed },
    });
    expect(r.status).to.equal(422);
    expect(r.text).to.include("строка 1: строка уже разнесена оплатой");
    expect(JSON.stringify(r.body)).to.include("Lines[1].Amount");
  });

  it("a malformed file is refused with its line and reason (422), and nothing is written", async () => {
    const [payments, statements] = [await count("Payment"), await count("BankStatement")];
    const good = incoming(
      [
        {
          number: "1",
          date: "2011-12-15",
          sum: "100.00",
          payer: { account: "40817810000000000001", name: "Иванов" },
          purpose: "л/с 00000000001",
        },
      ],
      "utf-8",
    );
    const text = good.toString("utf8");
    const r = await upload(accountant, Buffer.from(text.replace("Сумма=100.00", "Сумма=100,555")));
    expect(r.status).to.equal(422);
    const line = text.split("\r\n").indexOf("Сумма=100.00") + 1;
    expect(line).to.be.greaterThan(10);
    expect(r.text).to.match(new RegExp(`Строка ${line}:`));
    const r2 = await upload(accountant, Buffer.from(text.replace("КонецДокумента", "")));
    expect(r2.status).to.equal(422);
    expect(r2.text).to.match(/Строка \d+/);
    expect([await count("Payment"), await count("BankStatement")]).to.deep.equal([payments, statements]);
  });

  it("a legal payer known by ИНН with no account in the purpose stays unmatched, with its counterparty on 76.09", async () => {
    const cp = ok(
      await s.req("POST", "/api/catalogs/Counterparties", {
        session: admin,
        body: { name: "ПАО Сбербанк", Inn: "7707083893" },
      }),
      201,
    ).id;
    const file = incoming(
      [
        {
          number: "77",
          date: "2011-12-16",
          sum: "5000.00",
          payer: { account: "40702810000000000077", name: "ПАО Сбербанк", inn: "7707083893" },
          purpose: "Возмещение расходов по договору 12",
        },
      ],
      "utf-8",
    );
    const r = ok(await upload(accountant, file));
    expect(r.lines[0]).to.deep.include({ status: "Unposted", counterparty: cp, account: null });
    const e = await entries(r.statement.id);
    expect(e).to.have.length(1);
    expect(e[0]).to.deep.include({ AccountDr: "51", AccountCr: "76.09", Amount: "5000.00" });
    expect(JSON.stringify(e[0])).to.include(cp);
  });

  it("the same new file imported twice at once: one statement, the other answer all duplicates; an outgoing line is «Исходящий» with no entry", async () => {
    const file = writeExchangeFile(
      [
        {
          number: "501",
          date: "2011-12-19",
          sum: "777.00",
          payer: { account: "40817810000000000501", name: "Сидоров" },
          recipient: { account: ORG_ACCOUNT, name: "ТСЖ Машенька" },
          purpose: "Оплата ЖКУ л/с 00000000001 за ноябрь 2011",
        },
        {
          number: "12",
          date: "2011-12-19",
          sum: "1500.00",
          payer: { account: ORG_ACCOUNT, name: "ТСЖ Машенька" },
          recipient: { account: "40702810900000000555", name: "ООО Водоканал" },
          purpose: "Оплата по счету 15",
        },
      ],
      { account: ORG_ACCOUNT, created: "2011-12-20T10:00:00" },
    );
    const [payments, statements] = [await count("Payment"), await count("BankStatement")];
    const [a, b] = await Promise.all([upload(accountant, file), upload(accountant, file)]);
    expect([a.status, b.status]).to.deep.equal([200, 200]);
    const answers = (a.body.statement ? [a.body, b.body] : [b.body, a.body]) as any[];
    expect(answers[0].counts).to.deep.equal({ posted: 1, unposted: 0, duplicates: 0, outgoing: 1 });
    expect(answers[1].statement).to.equal(null);
    expect(answers[1].counts).to.deep.include({ posted: 0, duplicates: 1 });
    expect([await count("Payment"), await count("BankStatement")]).to.deep.equal([payments + 1, statements + 1]);
    expect(answers[0].lines[1]).to.deep.include({ status: "Outgoing", payment: null });
    expect(await entries(answers[0].statement.id)).to.deep.equal([]);
    // a file with outgoing payments only creates nothing and says so
    const outOnly = writeExchangeFile(
      [
        {
          number: "13",
          date: "2011-12-19",
          sum: "10.00",
          payer: { account: ORG_ACCOUNT, name: "ТСЖ Машенька" },
          recipient: { account: "40702810900000000555", name: "ООО Водоканал" },
          purpose: "Оплата по счету 16",
        },
      ],
      { account: ORG_ACCOUNT, created: "2011-12-20T10:00:00" },
    );
    const o = ok(await upload(accountant, outOnly));
    expect(o).to.deep.include({ statement: null, message: "В файле нет поступлений: ничего не создано" });
  });

  it("payments are posted in date order whatever the file's order (a payment reads the debt just before it)", async () => {
    const r = ok(
      await upload(
        accountant,
        incoming([
          {
            number: "601",
            date: "2011-12-22",
            sum: "100.00",
            payer: { account: "40817810000000000601", name: "A" },
            purpose: "л/с 00000000001",
          },
          {
            number: "602",
            date: "2011-12-21",
            sum: "200.00",
            payer: { account: "40817810000000000602", name: "B" },
            purpose: "л/с 00000000001",
          },
        ]),
      ),
    );
    const [late, early] = await Promise.all(r.lines.map((l: any) => get("Payment", l.payment)));
    expect(early.date.slice(0, 10)).to.equal("2011-12-21");
    expect(Number(early.number)).to.be.lessThan(Number(late.number));
  });

  it("rights: the import needs write and post of BankStatement (Auditor: 403, nothing written; the cashier imports)", async () => {
    const auditor = await s.user("aud", ["Auditor"]);
    const statements = await count("BankStatement");
    const r = await upload(
      auditor,
      incoming([{ number: "9", date: "2011-12-17", sum: "1.00", payer: { account: "1", name: "X" }, purpose: "x" }]),
    );
    expect(r.status).to.equal(403);
    expect(await count("BankStatement")).to.equal(statements);
    const cashier = await s.user("cash", ["Cashier"]);
    const c = ok(
      await upload(
        cashier,
        incoming([
          {
            number: "10",
            date: "2011-12-18",
            sum: "250.00",
            payer: { account: "40817810000000000010", name: "Y" },
            purpose: "л/с 00000000001",
          },
        ]),
      ),
    );
    expect(c.counts.posted).to.equal(1);
  });
});
