// Payees (issue 15 §5; docs/payees.md): Services.Payee names the organization a service's charges
// are paid to (e.g. capital repair to a special account, ЖК РФ ст.170, ст.155 ч.14.1 — the
// owners' contributions go to the fund's account); a payment naming its payee (Payment.Payee,
// or the QR's PayeeINN and PersonalAcc — ГОСТ Р 56042-2014) is split over that payee's services
// only; without a payee, as before. Bad input refused naming the object and the field.
import { expect } from "chai";
import type { Platform } from "../../server/platform.ts";
import { serve } from "../platform/api-client.ts";
import {
  openZhkh,
  seedWorld,
  account,
  charge,
  pay,
  item,
  rejects,
  inArea,
  balances,
  penaltyBalance,
  type World,
} from "./payments-fixtures.ts";

const FUND = {
  name: "НО «Фонд капремонта РК»",
  Inn: "1001234567",
  Kpp: "100101001",
  BankAccount: "40604810000000000001",
  BankName: "ПАО Сбербанк",
  Bik: "048602673",
  CorrAccount: "30101810600000000673",
};

describe("payees (получатели платежа): a payment split follows the payee's services", function () {
  let p: Platform;
  let w: World;
  let fund: string;
  let org: string;
  let K: string;

  before(async () => {
    p = await openZhkh("payees");
    w = await seedWorld(p);
    fund = await item(p, "Organizations", FUND);
    K = await item(p, "Services", {
      name: "Взнос на капремонт",
      CalculationMethod: "ByTotalArea",
      ReceiptOrder: 5,
      CapitalRepair: true,
      Payee: fund,
    });
    const r = await inArea(p, (ctx) =>
      ctx.c.query("SELECT organization FROM cat_buildings WHERE id = $1", [w.building]),
    );
    org = r.rows[0].organization;
  });
  after(() => p?.close());

  /** An account with November 2011 debts A 100,00, B 200,00 and capital repair 300,00. */
  const debtor = async () => {
    const a = await account(w);
    await charge(p, "2011-11-01", [
      { account: a, service: w.services.A, amount: "100.00" },
      { account: a, service: w.services.B, amount: "200.00" },
      { account: a, service: K, amount: "300.00" },
    ]);
    return a;
  };
  const named = (b: Record<string, string>) =>
    Object.fromEntries(Object.entries(b).map(([k, v]) => [k.replace(/^undefined\|/, "K|"), v]));

  it("a payment to the capital repair fund pays only its service: 150,00 → capital repair 300,00 − 150,00 = 150,00; A and B untouched", async () => {
    const a = await debtor();
    await pay(p, a, "2011-12-05T10:00:00", "150.00", { Payee: fund });
    expect(named(await balances(p, w, a))).to.deep.equal({
      "A|2011-11-01": "100.00",
      "B|2011-11-01": "200.00",
      "K|2011-11-01": "150.00",
    });
  });

  it("beyond its services' debt the rest stays a credit of the payee's service: 400,00 → capital repair 0, a credit of 100,00 on it; another payee's debts untouched", async () => {
    const a = await debtor();
    await pay(p, a, "2011-12-05T10:00:00", "400.00", { Payee: fund });
    expect(named(await balances(p, w, a))).to.deep.equal({
      "A|2011-11-01": "100.00",
      "B|2011-11-01": "200.00",
      "K|2011-12-01": "-100.00",
    });
  });

  it("ГОСТ Р 56042: the receipt QR's PayeeINN and PersonalAcc in the purpose name the payee; the payment goes to it", async () => {
    const a = await debtor();
    const qr = `ST00012|Name=${FUND.name}|PersonalAcc=${FUND.BankAccount}|BankName=${FUND.BankName}|BIC=${FUND.Bik}|CorrespAcc=${FUND.CorrAccount}|PayeeINN=${FUND.Inn}|Sum=30000`;
    const d = await pay(p, a, "2011-12-05T10:00:00", "300.00", { Purpose: qr });
    expect(d.Payee).to.equal(fund);
    expect(named(await balances(p, w, a))).to.deep.equal({ "A|2011-11-01": "100.00", "B|2011-11-01": "200.00" });
  });

  it("the building's organization as payee pays its services (those without a Payee) by the law's order: 150,00 over A 100 and B 200 → 50,00 and 100,00", async () => {
    const a = await debtor();
    await pay(p, a, "2011-12-05T10:00:00", "150.00", { Payee: org });
    expect(named(await balances(p, w, a))).to.deep.equal({
      "A|2011-11-01": "50.00",
      "B|2011-11-01": "100.00",
      "K|2011-11-01": "300.00",
    });
  });

  it("Правила 354 п.118: without a payee the account's money is one pool, as before — 300,00 over 100 : 200 : 300 → 50,00, 100,00, 150,00", async () => {
    const a = await debtor();
    await pay(p, a, "2011-12-05T10:00:00", "300.00");
    expect(named(await balances(p, w, a))).to.deep.equal({
      "A|2011-11-01": "50.00",
      "B|2011-11-01": "100.00",
      "K|2011-11-01": "150.00",
    });
    expect(await penaltyBalance(p, a)).to.equal("0.00");
  });

  it("refuses a payment row of another payee's service, naming the row and the service; nothing is posted", async () => {
    const a = await debtor();
    const e = await rejects(
      pay(p, a, "2011-12-05T10:00:00", "100.00", { Payee: fund, Services: [{ Service: w.services.A }] }),
    );
    expect(e.status).to.equal(422);
    expect(e.field).to.equal("Services[1].Service");
    expect(e.message).to.include("Услуги, строка 1").and.include("«Услуга A» оплачивается другому получателю");
    expect(named(await balances(p, w, a))).to.deep.include({ "A|2011-11-01": "100.00", "K|2011-11-01": "300.00" });
  });

  it("refuses a payee of no service, naming it", async () => {
    const a = await debtor();
    const other = await item(p, "Organizations", { ...FUND, name: "Посторонняя организация", Inn: "1009999999" });
    const e = await rejects(pay(p, a, "2011-12-05T10:00:00", "100.00", { Payee: other }));
    expect(e.field).to.equal("Payee");
    expect(e.message).to.include("«Посторонняя организация» не получает плату ни за одну услугу");
  });

  it("refuses a service whose Payee has no bank requisites, naming the service, the organization and the fields; nothing is written", async () => {
    const bare = await item(p, "Organizations", { name: "Без реквизитов", Inn: "1000000001" });
    const e = await rejects(item(p, "Services", { name: "Домофон", CalculationMethod: "Fixed", Payee: bare }));
    expect(e.status).to.equal(422);
    expect(e.field).to.equal("Payee");
    expect(e.message)
      .to.include("Услуга «Домофон»")
      .and.include("«Без реквизитов»")
      .and.include("«Расчетный счет»")
      .and.include("«БИК»");
    const n = await inArea(p, (ctx) =>
      ctx.c.query("SELECT count(*)::int AS n FROM cat_services WHERE name = 'Домофон'"),
    );
    expect(n.rows[0].n).to.equal(0);
  });

  it("Правила 354 п.69: the receipt prints one block and one QR per payee — the fund's block 300,00 with its requisites, the main block A + B = 300,00", async () => {
    const a = await debtor();
    const { server, base } = await serve(p);
    try {
      const r = await fetch(`${base}/api/reports/receipt/render?format=html`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ period: "2011-11", account: a }),
      });
      const html = await r.text();
      expect(r.status, html.slice(0, 300)).to.equal(200);
      const [main, payee] = html.split('<section class="report-page receipt payee sheet">');
      expect(payee, "a block of the fund").to.be.a("string");
      expect(payee).to.include(FUND.name).and.include(`р/с ${FUND.BankAccount}`).and.include(`ИНН ${FUND.Inn}`);
      expect(payee).to.match(/<b>Итого к оплате\t[\s\u00a0]*300,00<\/b>/);
      expect(payee.match(/class="qr"/g)).to.have.length(1);
      expect(main).to.not.include(FUND.name);
      expect(main).to.match(/<b>Итого к оплате\t[\s\u00a0]*300,00<\/b>/);
    } finally {
      server.closeAllConnections();
      await new Promise((res) => server.close(res));
    }
  });
});
