// Double entry of the ЖКХ documents (issue 16 §2; docs/bookkeeping.md), on a real database: each
// document's entries in Accounting by hand — GroupAccrual per building and service (not per
// account) with benefits, VAT by the service's rate and the organization's tax regime, penalties;
// Recalculation's storno; Payment by its source (bank, cash, agent; a capital repair service to
// 55.04), an advance to 62.02 and its consumption; OpeningBalances against 000 — the accounting
// policy's records (most specific wins) and its refusals, which post nothing.
import { expect } from "chai";
import { Decimal } from "decimal.js";
import type { Platform } from "../../server/platform.ts";
import * as docs from "../../server/documents/service.ts";
import * as cat from "../../server/catalogs/service.ts";
import { writeCheckedRecords } from "../../server/registers/checked.ts";
import { sliceLast, writeRecords } from "../../server/registers/index.ts";
import {
  account,
  doc,
  inArea,
  item,
  loadKeyRates,
  openZhkh,
  pay,
  rejects,
  seedWorld,
  type Row,
  type World,
} from "./payments-fixtures.ts";
import { loadPenaltyRules } from "./penalties-fixtures.ts";
import { moveAll, request, seedRequestCatalogs, updateRequest } from "./service-requests-fixtures.ts";

describe("accounting: the entries of the ЖКХ documents", function () {
  this.timeout(120_000);
  let p: Platform;
  let w: World;
  let org2 = "";
  let building2 = "";
  const names: Record<string, string> = {};

  /** A document's entries as "Дт code {analytics} | Кт code {analytics} | amount | content", ids as names. */
  const entries = async (name: string, id: string): Promise<string[]> => {
    const rows: Row[] = (await inArea(p, (ctx) => docs.documentMovements(ctx, name, id))).Accounting?.rows ?? [];
    const side = (code: string | null, a: Row | null) =>
      `${code}${
        a
          ? ` {${Object.values(a)
              .map((v) => names[v as string] ?? v)
              .join(", ")}}`
          : ""
      }`;
    return rows
      .map(
        (r) =>
          `${side(r.AccountDr, r.AnalyticsDr)} | ${side(r.AccountCr, r.AnalyticsCr)} | ${new Decimal(r.Amount).toFixed(2)} | ${r.Content}`,
      )
      .sort();
  };
  const accrue = (month: string, accounts: string[], body: Row = {}) =>
    doc(p, "GroupAccrual", {
      date: `${month.slice(0, 8)}28T12:00:00`,
      Month: month,
      AccrueServices: true,
      AccruePenalties: false,
      Accounts: accounts.map((a) => ({ Account: a })),
      ...body,
    });
  const policy = (rows: Row[]) =>
    inArea(p, (ctx) => writeRecords(ctx.c, ctx.conf, ctx.conf.informationRegisters.get("AccountingPolicy")!, rows));
  const codeOf = async (id: string) =>
    String((await inArea(p, (ctx) => cat.getCatalogItem(ctx, "PersonalAccounts", id))).code);

  let a1 = "";
  let a2 = "";
  let a3 = "";
  let b1 = "";
  let feb = "";

  before(async () => {
    p = await openZhkh("accentries");
    w = await seedWorld(p);
    for (const [k, v] of Object.entries(w.services)) names[v] = `Услуга ${k}`;
    names[w.building] = "д.55";
    org2 = await item(p, "Organizations", { name: "ООО УСН", TaxRegime: "SimplifiedIncome" });
    building2 = await item(p, "Buildings", { name: "д.57", Address: "ул. Балтийская, д.57", Organization: org2 });
    names[building2] = "д.57";
    // A 10 % VAT on service A (its charges of д.55's organization on ОСНО — TaxRegime empty)
    await inArea(p, (ctx) => cat.updateCatalogItem(ctx, "Services", w.services.A, { VatRate: "Vat10" }));
    a1 = await account(w, ["A", "B"]);
    a2 = await account(w, ["A", "B", "C"]);
    a3 = await account(w, ["A"]);
    // a3 lives in д.57 (the УСН organization): moved before any charge
    await inArea(p, (ctx) => cat.updateCatalogItem(ctx, "PersonalAccounts", a3, { Building: building2 }));
    // a 50 % benefit for a1's one person on service A
    const category = await item(p, "BenefitCategories", {
      name: "Ветеран труда",
      Percent: "50.00",
      Services: [{ Service: w.services.A }],
    });
    await inArea(p, (ctx) =>
      writeCheckedRecords(ctx, ctx.conf.informationRegisters.get("AccountBenefits")!, [
        { Account: a1, Category: category, Persons: 1, From: null, To: null },
      ]),
    );
    b1 = w.building;
  });
  after(() => p?.close());
  const sorted = (xs: string[]) => [...xs].sort();

  it("GroupAccrual: Дт 62.01 Кт 90.01 per building and service (3 accounts → 4 entries), the benefit Дт 76.09 Кт 62.01, VAT 10 % of service A on ОСНО only", async () => {
    const d = await accrue("2011-02-01", [a1, a2, a3]);
    feb = d.id;
    // д.55: A 100 + 100 = 200 (a1's benefit 50), B 200 + 200 = 400, C 300; д.57: A 100 (УСН: no VAT)
    // VAT of A in д.55: 200 × 10 / 110 = 18,18
    expect(await entries("GroupAccrual", d.id)).to.deep.equal(
      sorted([
        "62.01 {д.55, Услуга A} | 90.01 {Услуга A} | 200.00 | Начисление за февраль 2011",
        "76.09 | 62.01 {д.55, Услуга A} | 50.00 | Льготы за февраль 2011",
        "62.01 {д.55, Услуга B} | 90.01 {Услуга B} | 400.00 | Начисление за февраль 2011",
        "62.01 {д.55, Услуга C} | 90.01 {Услуга C} | 300.00 | Начисление за февраль 2011",
        "62.01 {д.57, Услуга A} | 90.01 {Услуга A} | 100.00 | Начисление за февраль 2011",
        "90.03 {Услуга A} | 68.02 | 18.18 | НДС за февраль 2011",
      ]),
    );
  });

  it("Recalculation: −40,00 is a storno Дт 62.01 Кт 90.01 −40,00 (VAT −3,64); +30,00 on B posts +30,00", async () => {
    const minus = await doc(p, "Recalculation", {
      date: "2011-03-02T10:00:00",
      Month: "2011-03-01",
      CorrectedPeriod: "2011-02-01",
      Account: a2,
      Service: w.services.A,
      ReasonKind: "Correction",
      Amount: "-40.00",
    });
    expect(await entries("Recalculation", minus.id)).to.deep.equal(
      sorted([
        "62.01 {д.55, Услуга A} | 90.01 {Услуга A} | -40.00 | Начисление (перерасчет за февраль 2011)",
        "90.03 {Услуга A} | 68.02 | -3.64 | НДС (перерасчет за февраль 2011)",
      ]),
    );
    const plus = await doc(p, "Recalculation", {
      date: "2011-03-02T11:00:00",
      Month: "2011-03-01",
      Account: a2,
      Service: w.services.B,
      ReasonKind: "Correction",
      Amount: "30.00",
    });
    expect(await entries("Recalculation", plus.id)).to.deep.equal(
      sorted(["62.01 {д.55, Услуга B} | 90.01 {Услуга B} | 30.00 | Начисление (перерасчет за март 2011)"]),
    );
  });

  it("Payment: Дт 51 Кт 62.01 per service paid (by law: proportionally within February), cash Дт 50.01, an agent Дт 57.01 with the agent", async () => {
    // a1 owes A 50 (after the benefit), B 200: 150 → A 30, B 120
    const bank = await pay(p, a1, "2011-03-05T10:00:00", "150.00");
    const n = await codeOf(a1);
    expect(await entries("Payment", bank.id)).to.deep.equal(
      sorted([
        `51 | 62.01 {д.55, Услуга A} | 30.00 | Оплата л/с ${n}`,
        `51 | 62.01 {д.55, Услуга B} | 120.00 | Оплата л/с ${n}`,
      ]),
    );
    const cash = await pay(p, a1, "2011-03-06T10:00:00", "10.00", {
      SourceKind: "Cash",
      Services: [{ Service: w.services.B, Amount: "10.00" }],
    });
    expect(await entries("Payment", cash.id)).to.deep.equal([
      `50.01 | 62.01 {д.55, Услуга B} | 10.00 | Оплата л/с ${n}`,
    ]);
    const agent = await item(p, "Counterparties", { name: "Почта России" });
    names[agent] = "Почта";
    const viaAgent = await pay(p, a1, "2011-03-07T10:00:00", "20.00", {
      SourceKind: "Agent",
      Agent: agent,
      Services: [{ Service: w.services.A, Amount: "20.00" }],
    });
    expect(await entries("Payment", viaAgent.id)).to.deep.equal(
      sorted([`57.01 {Почта} | 62.01 {д.55, Услуга A} | 20.00 | Оплата л/с ${n}`]),
    );
  });

  it("an advance goes to 62.02 and the next accrual consumes it Дт 62.02 Кт 62.01", async () => {
    // a3 (д.57) owes A 100 for February; pays 130 → 100 to A, 30 advance
    const d = await pay(p, a3, "2011-03-05T12:00:00", "130.00");
    const n = await codeOf(a3);
    expect(await entries("Payment", d.id)).to.deep.equal(
      sorted([`51 | 62.02 {д.57} | 30.00 | Оплата л/с ${n}`, `51 | 62.01 {д.57, Услуга A} | 100.00 | Оплата л/с ${n}`]),
    );
    const march = await accrue("2011-03-01", [a3]);
    expect(await entries("GroupAccrual", march.id)).to.deep.equal(
      sorted([
        "62.01 {д.57, Услуга A} | 90.01 {Услуга A} | 100.00 | Начисление за март 2011",
        "62.02 {д.57} | 62.01 {д.57, Услуга A} | 30.00 | Зачет аванса за март 2011",
      ]),
    );
  });

  it("OpeningBalances: debts Дт 62.01 Кт 000, a credit Дт 000 Кт 62.01, penalties Дт 76.02 Кт 000", async () => {
    const a4 = await account(w, ["A", "B"]);
    const d = await doc(p, "OpeningBalances", {
      date: "2010-12-31T23:00:00",
      Debts: [
        { Account: a4, Service: w.services.A, DebtPeriod: "2010-11-01", Amount: "500.00" },
        { Account: a4, Service: w.services.A, DebtPeriod: "2010-12-01", Amount: "100.00" },
        { Account: a4, Service: w.services.B, DebtPeriod: "2010-12-01", Amount: "-20.00" },
      ],
      Penalties: [{ Account: a4, Amount: "30.00" }],
    });
    expect(await entries("OpeningBalances", d.id)).to.deep.equal(
      sorted([
        "62.01 {д.55, Услуга A} | 000 | 600.00 | Ввод остатков",
        "000 | 62.01 {д.55, Услуга B} | 20.00 | Ввод остатков",
        "76.02 {д.55} | 000 | 30.00 | Ввод остатков пени",
      ]),
    );
  });

  it("the policy: a record (—, —) moves penalties to 62.01 and one (—, service C) its bank to 55.04; the most specific filled field wins", async () => {
    await policy([
      { period: "2011-04-01", Organization: null, Service: null, PenaltyAccount: "62.01", BankAccount: "51" },
      { period: "2011-04-01", Organization: null, Service: w.services.C, BankAccount: "55.04" },
    ]);
    // a2 owes C 300 (February): pays it for C
    const d = await pay(p, a2, "2011-04-05T10:00:00", "300.00", {
      Services: [{ Service: w.services.C, Amount: "300.00" }],
    });
    expect((await entries("Payment", d.id)).map((e) => e.split(" | ").slice(0, 3).join(" | "))).to.deep.equal(
      sorted(["55.04 | 62.01 {д.55, Услуга C} | 300.00"]),
    );
    const a5 = await account(w, ["A"]);
    const o = await doc(p, "OpeningBalances", {
      date: "2011-04-02T00:00:00",
      Debts: [],
      Penalties: [{ Account: a5, Amount: "12.34" }],
    });
    expect(await entries("OpeningBalances", o.id)).to.deep.equal(["62.01 {д.55} | 000 | 12.34 | Ввод остатков пени"]);
  });

  it("GroupAccrual's penalties: Дт (the policy's penalty account, here 62.01 from April 2011 — default 76.02) Кт 91.01 per building, 21,92 for June 2024 on 1 000,00 of January 2024 (DOMAIN.md §5's example, June's days)", async () => {
    await loadKeyRates(p);
    await loadPenaltyRules(p);
    const a6 = await account(w, ["A"]);
    await doc(p, "OpeningBalances", {
      date: "2024-01-31T23:00:00",
      Debts: [{ Account: a6, Service: w.services.A, DebtPeriod: "2024-01-01", Amount: "1000.00" }],
      Penalties: [],
    });
    const d = await doc(p, "GroupAccrual", {
      date: "2024-06-30T23:00:00",
      Month: "2024-06-01",
      AccrueServices: false,
      AccruePenalties: true,
      Accounts: [{ Account: a6 }],
    });
    expect(await entries("GroupAccrual", d.id)).to.deep.equal(["62.01 {д.55} | 91.01 | 21.92 | Пени за июнь 2024"]);
    // the default (76.02) where no record names the penalty account: a record of 2024 empties it
    await policy([{ period: "2024-07-01", Organization: null, Service: null, PenaltyAccount: "", BankAccount: "51" }]);
    const july = await doc(p, "GroupAccrual", {
      date: "2024-07-31T23:00:00",
      Month: "2024-07-01",
      AccrueServices: false,
      AccruePenalties: true,
      Accounts: [{ Account: a6 }],
    });
    const [line] = await entries("GroupAccrual", july.id);
    expect(line).to.match(/^76\.02 \{д\.55\} \| 91\.01 \| \d+\.\d\d \| Пени за июль 2024$/);
  });

  it("a bad setting refuses the posting naming the record and the field, and nothing is posted: a code not in the chart, a parent account", async () => {
    await policy([{ period: "2011-05-01", Organization: null, Service: w.services.B, RevenueAccount: "90.77" }]);
    const refused = await rejects(accrue("2011-05-01", [a1]));
    expect(refused.message).to.equal(
      "Учетная политика: «Счет выручки» = «90.77»: счета «90.77» нет в плане счетов; исправьте запись регистра «Учетная политика (счета учета)» (организация любая, услуга «Услуга B», с 01.05.2011), поле «Счет выручки» (RevenueAccount)",
    );
    const list = await inArea(p, (ctx) => docs.listDocuments(ctx, "GroupAccrual", {} as any));
    expect((list.rows as Row[]).filter((r) => String(r.Month).startsWith("2011-05"))).to.deep.equal([]);
    await policy([{ period: "2011-05-01", Organization: null, Service: w.services.B, RevenueAccount: "90" }]);
    const parent = await rejects(accrue("2011-05-01", [a1]));
    expect(parent.message).to.equal(
      "Учетная политика: «Счет выручки» = «90»: у счета 90 есть субсчета (90.01, 90.02, 90.03, 90.09) — укажите субсчет; исправьте запись регистра «Учетная политика (счета учета)» (организация любая, услуга «Услуга B», с 01.05.2011), поле «Счет выручки» (RevenueAccount)",
    );
    // a saved but unposted document: its posting is refused the same way, and it keeps no movements
    const draft = await doc(
      p,
      "Payment",
      { date: "2011-05-03T10:00:00", Account: a1, Amount: "5.00", Services: [] },
      false,
    );
    const again = await rejects(inArea(p, (ctx) => docs.postDocument(ctx, "Payment", draft.id)));
    expect(again.message).to.match(/^Учетная политика: «Счет выручки» = «90»/);
    const moves = await inArea(p, (ctx) => docs.documentMovements(ctx, "Payment", draft.id));
    expect(Object.values(moves).flatMap((m: any) => m.rows)).to.deep.equal([]);
    // fixed: the record's field emptied — the default 90.01 serves again
    await policy([{ period: "2011-05-01", Organization: null, Service: w.services.B, RevenueAccount: "" }]);
    const ok = await accrue("2011-05-01", [a1]);
    expect((await entries("GroupAccrual", ok.id)).filter((e) => e.includes("Услуга B"))).to.deep.equal(
      sorted(["62.01 {д.55, Услуга B} | 90.01 {Услуга B} | 200.00 | Начисление за май 2011"]),
    );
    void feb;
    void b1;
  });

  it("a closed paid ServiceRequest: Дт 62.01 (building, «Платные работы») Кт 90.01 1 200,00 when the transition to «Закрыта» posts it", async () => {
    const r = await seedRequestCatalogs(p);
    names[r.paidService] = "Платные работы";
    const d = await request(p, {
      ReceivedAt: "2011-12-05T09:00:00",
      Account: a1,
      RequestType: r.types.paid,
      Executor: r.executors.plumber,
      Works: [{ Work: "Замена смесителя", Quantity: 1, Price: "1200.00" }],
      StartedAt: "2011-12-05T11:00:00",
      CompletedAt: "2011-12-05T12:30:00",
      ClosedAt: "2011-12-06T09:00:00",
    });
    await moveAll(p, d.id, ["Accepted", "InWork"]);
    await updateRequest(p, d.id, { Result: "Смеситель заменен" });
    await moveAll(p, d.id, ["Done"]);
    expect(await entries("ServiceRequest", d.id)).to.deep.equal([]);
    await moveAll(p, d.id, ["Closed"]);
    expect(await entries("ServiceRequest", d.id)).to.deep.equal([
      `62.01 {д.55, Платные работы} | 90.01 {Платные работы} | 1200.00 | Начисление (заявка №${d.number})`,
    ]);
  });

  it("a capital repair contribution's payment goes to the special account 55.04 by default (no record names its bank account)", async () => {
    const k = await item(p, "Services", {
      name: "Взнос на капремонт",
      CalculationMethod: "ByTotalArea",
      CapitalRepair: true,
    });
    names[k] = "Капремонт";
    const a7 = await account(w, []);
    await doc(p, "OpeningBalances", {
      date: "2011-06-01T00:00:00",
      Debts: [{ Account: a7, Service: k, DebtPeriod: "2011-05-01", Amount: "250.00" }],
      Penalties: [],
    });
    const d = await pay(p, a7, "2011-06-05T10:00:00", "250.00");
    expect((await entries("Payment", d.id)).map((e) => e.split(" | ").slice(0, 3).join(" | "))).to.deep.equal([
      "55.04 | 62.01 {д.55, Капремонт} | 250.00",
    ]);
  });

  it("writing a policy record checks its codes (the form, the API): a code not in the chart, a parent account — refused naming the record and the field, nothing written", async () => {
    const write = (rows: Row[]) =>
      inArea(p, (ctx) => writeCheckedRecords(ctx, ctx.conf.informationRegisters.get("AccountingPolicy")!, rows));
    const missing = await rejects(
      write([
        { period: "2011-09-01", Organization: null, Service: null, CashAccount: "50.01" },
        { period: "2011-09-01", Organization: null, Service: w.services.A, RevenueAccount: "90.77" },
      ]),
    );
    expect(missing.message).to.equal(
      "Учетная политика (счета учета), запись 2: «Счет выручки» = «90.77»: такого счета нет в плане счетов",
    );
    const parent = await rejects(
      write([{ period: "2011-09-01", Organization: null, Service: null, BankAccount: "57" }]),
    );
    expect(parent.message).to.equal(
      "Учетная политика (счета учета), запись 1: «Счет банка» = «57»: у счета 57 есть субсчета (57.01, 57.03) — укажите субсчет",
    );
    const written = (
      await inArea(p, (ctx) =>
        sliceLast(ctx.c, ctx.conf, ctx.conf.informationRegisters.get("AccountingPolicy")!, "2011-09-30T23:59:59"),
      )
    ).filter((r) => String(r.period).startsWith("2011-09"));
    expect(written).to.deep.equal([]);
    expect(await write([{ period: "2011-09-01", Organization: null, Service: null, CashAccount: "50.01" }])).to.equal(
      1,
    );
  });
});
