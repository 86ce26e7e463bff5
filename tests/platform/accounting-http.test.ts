// The accounting register over HTTP (warehouse fixture): an Operation posted through the API, then
// the register routes — balance, turnovers, balance-and-turnovers, records, correspondence — with
// Account filters that include sub-accounts, «Движения» as entries, the chart as a catalog the
// administrator adds a sub-account to, and refusals (unknown account, unknown parameter).
import { expect } from "chai";
import { startApi, type Api } from "./api-client.ts";

describe("HTTP API: accounting register", () => {
  let api: Api;
  let doc = "";
  let c1 = "";
  before(async () => {
    api = await startApi();
    c1 = (await api.post("/api/catalogs/Counterparties", { name: "ООО Поставщик" })).body.id;
    const r = await api.post("/api/documents/Operation?post=true", {
      date: "2026-04-03",
      Content: "Оплата поставщику",
      Entries: [
        { AccountDr: "51", AccountCr: "80", Amount: "1000.00" },
        { AccountDr: "60", AccountCr: "51", Counterparty: c1, Amount: "300.00" },
        { AccountDr: "62", AccountCr: "90.01", ProductKind: "Service", Amount: "250.00" },
      ],
    });
    expect(r.status, JSON.stringify(r.body)).to.equal(201);
    doc = r.body.id;
  });
  after(async () => api?.close());

  it("balance: each account on its side; Account=90 includes 90.01", async () => {
    const all = await api.get("/api/registers/Accounting/balance");
    expect(all.status).to.equal(200);
    const by = Object.fromEntries(all.body.rows.map((r: any) => [r.Account, [r.AmountDr, r.AmountCr]]));
    expect(by).to.deep.equal({
      "51": ["700.00", "0.00"],
      "60": ["300.00", "0.00"],
      "62": ["250.00", "0.00"],
      "80": ["0.00", "1000.00"],
      "90.01": ["0.00", "250.00"],
    });
    const s90 = await api.get("/api/registers/Accounting/balance?at=2026-04-03&Account=90");
    expect(s90.body.rows.map((r: any) => [r.Account, r.Analytics1, r.AmountCr])).to.deep.equal([
      ["90.01", "Service", "250.00"],
    ]);
    const before = await api.get("/api/registers/Accounting/balance?at=2026-04-02&Account=51");
    expect(before.body.rows).to.deep.equal([]);
  });

  it("turnovers and balance-and-turnovers", async () => {
    const t = await api.get("/api/registers/Accounting/turnovers?from=2026-04-01&to=2026-04-30&Account=51");
    expect(t.body.rows.map((r: any) => [r.Account, r.AmountTurnoverDr, r.AmountTurnoverCr])).to.deep.equal([
      ["51", "1000.00", "300.00"],
    ]);
    const bt = await api.get(
      `/api/registers/Accounting/balance-and-turnovers?from=2026-04-01&to=2026-04-30&Account=60&Analytics1=${c1}`,
    );
    expect(
      bt.body.rows.map((r: any) => [r.AmountOpeningBalanceDr, r.AmountTurnoverDr, r.AmountClosingBalanceDr]),
    ).to.deep.equal([["0.00", "300.00", "300.00"]]);
  });

  it("records and correspondence", async () => {
    const rec = await api.get("/api/registers/Accounting/records?from=2026-04-01&to=2026-04-30&Account=60");
    expect(rec.body.rows.map((r: any) => [r.AccountDr, r.AccountCr, r.Amount, r.Content, r.recorder])).to.deep.equal([
      ["60", "51", "300.00", "Оплата поставщику", doc],
    ]);
    const cor = await api.get("/api/registers/Accounting/correspondence?from=2026-04-01&to=2026-04-30&AccountCr=51");
    expect(cor.body.rows).to.deep.equal([{ AccountDr: "60", AccountCr: "51", Amount: "300.00", Quantity: "0.000" }]);
  });

  it("«Движения» of the document are its entries", async () => {
    const mv = await api.get(`/api/documents/Operation/${doc}/movements`);
    expect(mv.status).to.equal(200);
    const set = mv.body.registers.Accounting;
    expect(set.kind).to.equal("accountingRegister");
    expect(set.synonym).to.equal("Бухгалтерский учет");
    expect(set.rows.map((r: any) => [r.AccountDr, r.AccountCr, r.Amount])).to.deep.equal([
      ["51", "80", "1000.00"],
      ["60", "51", "300.00"],
      ["62", "90.01", "250.00"],
    ]);
    expect(set.rows[1].AnalyticsDr).to.deep.equal({ Counterparties: c1 });
  });

  it("the chart is a catalog: the predefined accounts are listed, the administrator adds a sub-account", async () => {
    const list = await api.get("/api/catalogs/Accounts?limit=100&sort=code");
    expect(list.body.rows.map((r: any) => r.code)).to.include.members(["10", "90", "90.01", "MZ"]);
    const s51 = list.body.rows.find((r: any) => r.code === "51");
    const sub = await api.post("/api/catalogs/Accounts", {
      code: "51.01",
      name: "Основной счет",
      parent: s51.id,
      Kind: "active",
    });
    expect(sub.status, JSON.stringify(sub.body)).to.equal(201);
    const r = await api.get("/api/registers/Accounting/balance?Account=51");
    expect(r.body.rows.map((x: any) => x.Account)).to.deep.equal(["51"]);
  });

  it("GET /api/metadata lists the accounting register with its chart, analytics kinds and rights", async () => {
    const md = (await api.get("/api/metadata")).body;
    expect(md.accountingRegisters.map((r: any) => [r.name, r.chartOfAccounts, r.rights])).to.deep.equal([
      ["Accounting", "Accounts", ["read", "write", "delete"]], // the administrator
    ]);
    expect(md.accountingRegisters[0].analytics.map((a: any) => a.name)).to.deep.equal([
      "Products",
      "Warehouses",
      "Counterparties",
      "ProductKinds",
    ]);
    expect(md.accountingRegisters[0].resources.map((r: any) => r.name)).to.deep.equal(["Amount", "Quantity"]);
    expect(md.catalogs.find((c: any) => c.name === "Accounts").hierarchical).to.equal(true);
  });

  it("refuses an unknown account and an unknown parameter, in Russian", async () => {
    const r = await api.get("/api/registers/Accounting/balance?Account=99");
    expect(r.status).to.equal(422);
    expect(r.body.error.message).to.equal(
      "Бухгалтерский учет, отбор Account: счета «99» нет в плане счетов «План счетов»",
    );
    const p = await api.get("/api/registers/Accounting/balance?Counterparty=1");
    expect(p.status).to.equal(400);
    expect(p.body.error.message).to.match(
      /^Неизвестный параметр Counterparty: у регистра Accounting можно указать at, Account/,
    );
    const posted = await api.post("/api/documents/Operation?post=true", {
      date: "2026-04-04",
      Entries: [{ AccountDr: "50", AccountCr: "77", Amount: "1.00" }],
    });
    expect(posted.status).to.equal(422);
    expect(posted.body.error.message).to.equal(
      "Бухгалтерский учет, проводка 1: счета Кт «77» нет в плане счетов «План счетов»",
    );
    const c = await api.get("/api/registers/Stock/correspondence?from=2026-01-01&to=2026-01-31");
    expect(c.status).to.equal(400);
  });
});
