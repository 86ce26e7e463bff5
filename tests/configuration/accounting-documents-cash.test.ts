// Cash orders (docs/bookkeeping.md): ПКО (CashReceipt, КО-1) and РКО (CashDisbursement, КО-2) —
// each kind's entry, hand-computed; a resident's payment by personal account posted as a payment
// (Settlements and Дт 50.01 Кт 62.01); the cash desk never below zero at an order's moment (a
// back-dated order sees the balance of its moment; a repost does not count itself); refusals
// with nothing posted.
import { expect } from "chai";
import type { Server } from "node:http";
import { closePrinter } from "../../server/reports/pdf.ts";
import { serve } from "../platform/api-client.ts";
import { csvRows, pdfText, plain } from "../reports/helpers.ts";
import type { Platform } from "../../server/platform.ts";
import { doc, getDoc, item, movements, post, rejects, type Row } from "./documents-fixtures.ts";
import { acc, entryLines, net, openLedger } from "./accounting-documents-fixtures.ts";

describe("configuration: cash orders ПКО / РКО (issue 16 §2)", function () {
  this.timeout(120_000);
  let p: Platform;
  const id: Record<string, string> = {};
  const names: Record<string, string> = {};
  const receipt = (date: string, body: Row, posted = true) => doc(p, "CashReceipt", { date, ...body }, posted);
  const disbursement = (date: string, body: Row, posted = true) =>
    doc(p, "CashDisbursement", { date, ...body }, posted);

  before(async () => {
    p = await openLedger("zcash");
    const org = (await item(p, "Organizations", { name: "ТСЖ Машенька", Inn: "1001234567" })).id;
    id.building = (
      await item(p, "Buildings", {
        name: "ул. Балтийская, д.55",
        Address: "Петрозаводск, ул. Балтийская, д.55",
        TotalArea: "296.40",
        Organization: org,
      })
    ).id;
    id.account = (
      await item(p, "PersonalAccounts", { name: "Калинин Вячеслав Петрович", Building: id.building, Residents: 3 })
    ).id;
    id.service = (await item(p, "Services", { name: "ХВС", CalculationMethod: "Fixed" })).id;
    id.supplier = (await item(p, "Counterparties", { name: "Водоканал", FullName: "ООО «Водоканал»" })).id;
    id.employee = (await item(p, "Employees", { name: "Петров Петр Петрович" })).id;
    Object.assign(names, {
      [id.building]: "Балтийская",
      [id.service]: "ХВС",
      [id.supplier]: "Водоканал",
      [id.employee]: "Петров",
    });
    await doc(p, "ManualOperation", {
      date: "2026-02-01T09:00:00",
      Entries: [{ AccountDr: acc("51"), AccountCr: acc("80"), Amount: "100000.00" }],
    });
    await doc(p, "OpeningBalances", {
      date: "2026-01-31T23:00:00",
      Debts: [{ Account: id.account, Service: id.service, DebtPeriod: "2026-01-01", Amount: "1000.00" }],
    });
  });
  after(async () => {
    await closePrinter();
    await p?.close();
  });

  it("ПКО from the bank, a counterparty (76.09, or 60.01 given), an employee: Дт 50.01 Кт the kind's account", async () => {
    const bank = await receipt("2026-02-02T10:00:00", {
      OperationKind: "FromBank",
      Amount: "5000.00",
      Basis: "Чек АА 123",
    });
    expect(await entryLines(p, "CashReceipt", bank.id)).to.deep.equal(["Дт 50.01 Кт 51 5000.00"]);
    expect(bank.CorrAccount).to.equal(acc("51"));
    const c = await receipt("2026-02-02T11:00:00", {
      OperationKind: "FromCounterparty",
      Counterparty: id.supplier,
      Amount: "1200.00",
    });
    expect(c.ReceivedFrom).to.equal("ООО «Водоканал»");
    expect(await entryLines(p, "CashReceipt", c.id, names)).to.deep.equal([
      "Дт 50.01 Кт 76.09 1200.00 Кт{Counterparties=Водоканал}",
    ]);
    const refund = await receipt("2026-02-02T11:30:00", {
      OperationKind: "FromCounterparty",
      Counterparty: id.supplier,
      CorrAccount: acc("60.01"),
      Amount: "500.00",
      Basis: "Возврат переплаты",
    });
    const rows = await movements(p, "CashReceipt", refund.id, "Accounting");
    expect(rows.map((r) => r.Content)).to.deep.equal([`ПКО №${refund.number}: Возврат переплаты`]);
    expect(await entryLines(p, "CashReceipt", refund.id, names)).to.deep.equal([
      "Дт 50.01 Кт 60.01 500.00 Кт{Counterparties=Водоканал}",
    ]);
    const e = await receipt("2026-02-02T12:00:00", {
      OperationKind: "FromEmployee",
      Employee: id.employee,
      Amount: "300.00",
    });
    expect(e.ReceivedFrom).to.equal("Петров Петр Петрович");
    expect(await entryLines(p, "CashReceipt", e.id, names)).to.deep.equal([
      "Дт 50.01 Кт 71 300.00 Кт{Employees=Петров}",
    ]);
    expect(await net(p, "50.01")).to.equal("7000.00");
  });

  it("ПКО from a personal account posts as a payment: the debt paid in Settlements, Дт 50.01 Кт 62.01 by service", async () => {
    const r = await receipt("2026-02-02T13:00:00", {
      OperationKind: "FromPersonalAccount",
      Account: id.account,
      Amount: "700.00",
      Basis: "Оплата за январь 2026",
    });
    expect(r.ReceivedFrom).to.equal("Калинин Вячеслав Петрович");
    expect(r.PaidMonth).to.equal("2026-01-01"); // from «Основание», as a payment reads its purpose
    const s = await movements(p, "CashReceipt", r.id, "Settlements");
    expect(s.map((x) => [x.recordKind, x.Service, x.Amount])).to.deep.equal([["expense", id.service, "700.00"]]);
    expect(await entryLines(p, "CashReceipt", r.id, names)).to.deep.equal([
      "Дт 50.01 Кт 62.01 700.00 Кт{Buildings=Балтийская,Services=ХВС}",
    ]);
    expect(await net(p, "50.01")).to.equal("7700.00");
    expect(await net(p, "62.01")).to.equal("300.00");
  });

  it("РКО to an employee Дт 71, a salary Дт 70, to a supplier Дт 60.01, to the bank Дт 51", async () => {
    const a = await disbursement("2026-02-03T10:00:00", {
      OperationKind: "ToEmployee",
      Employee: id.employee,
      Amount: "2000.00",
    });
    expect(a.IssuedTo).to.equal("Петров Петр Петрович");
    expect(await entryLines(p, "CashDisbursement", a.id, names)).to.deep.equal([
      "Дт 71 Кт 50.01 2000.00 Дт{Employees=Петров}",
    ]);
    const s = await disbursement("2026-02-03T10:10:00", {
      OperationKind: "Salary",
      Employee: id.employee,
      Amount: "1000.00",
    });
    expect(await entryLines(p, "CashDisbursement", s.id, names)).to.deep.equal([
      "Дт 70 Кт 50.01 1000.00 Дт{Employees=Петров}",
    ]);
    const sup = await disbursement("2026-02-03T10:20:00", {
      OperationKind: "ToSupplier",
      Counterparty: id.supplier,
      Amount: "700.00",
    });
    expect(await entryLines(p, "CashDisbursement", sup.id, names)).to.deep.equal([
      "Дт 60.01 Кт 50.01 700.00 Дт{Counterparties=Водоканал}",
    ]);
    // 7 700 − 2 000 − 1 000 − 700 = 4 000
    expect(await net(p, "50.01")).to.equal("4000.00");
  });

  it("refuses a РКО the cash desk cannot cover at its moment, naming both sums; nothing posted", async () => {
    const e = await rejects(disbursement("2026-02-04T10:00:00", { OperationKind: "ToBank", Amount: "4000.01" }));
    expect(e.message).to.match(/^В кассе недостаточно денег: остаток 4\s000,00, нужно 4\s000,01/);
    expect(JSON.stringify(e)).to.include("Amount");
    // back-dated before the money came: the balance of that moment (before 10:00 on 02.02 — none)
    const early = await disbursement("2026-02-02T09:30:00", { OperationKind: "ToBank", Amount: "100.00" }, false);
    const e2 = await rejects(post(p, "CashDisbursement", early.id));
    expect(e2.message).to.match(/остаток 0,00, нужно 100,00/);
    expect((await getDoc(p, "CashDisbursement", early.id)).posted).to.equal(false);
    expect(await net(p, "50.01")).to.equal("4000.00");
  });

  it("a РКО of the whole rest posts and reposts (its own entry is not counted twice)", async () => {
    const all = await disbursement("2026-02-04T11:00:00", { OperationKind: "ToBank", Amount: "4000.00" });
    expect(await entryLines(p, "CashDisbursement", all.id)).to.deep.equal(["Дт 51 Кт 50.01 4000.00"]);
    await post(p, "CashDisbursement", all.id);
    expect(await net(p, "50.01")).to.equal("0.00");
  });

  it("refuses a missing field of the kind, an account with sub-accounts, a zero sum — nothing posted", async () => {
    const cases: [string, Row, RegExp, string][] = [
      ["CashReceipt", { OperationKind: "Other", Amount: "10.00" }, /укажите счет расчетов \(Кт\)/, "CorrAccount"],
      ["CashReceipt", { OperationKind: "FromCounterparty", Amount: "10.00" }, /укажите контрагента/, "Counterparty"],
      ["CashReceipt", { OperationKind: "FromPersonalAccount", Amount: "10.00" }, /укажите лицевой счет/, "Account"],
      [
        "CashReceipt",
        { OperationKind: "Other", CorrAccount: acc("60"), Amount: "10.00" },
        /у счета Кт 60 .* есть субсчета — выберите субсчет \(60\.01, 60\.02\)/,
        "CorrAccount",
      ],
      ["CashReceipt", { OperationKind: "FromBank", Amount: "0" }, /«Сумма» должна быть больше нуля/, "Amount"],
      [
        "CashReceipt",
        { OperationKind: "FromPersonalAccount", Account: id.account, Basis: "Оплата за 13.2026", Amount: "10.00" },
        /в поле «Основание» .*; исправьте основание или укажите «Период оплаты»/,
        "Basis",
      ],
      ["CashDisbursement", { OperationKind: "ToEmployee", Amount: "10.00" }, /укажите работника/, "Employee"],
      ["CashDisbursement", { OperationKind: "Other", Amount: "10.00" }, /укажите счет расчетов \(Дт\)/, "CorrAccount"],
    ];
    for (const [name, body, message, field] of cases) {
      const e = await rejects(doc(p, name, { date: "2026-02-05T10:00:00", ...body }));
      expect(e.message, name).to.match(message);
      expect(JSON.stringify(e), name).to.include(field);
    }
    expect(await net(p, "50.01")).to.equal("0.00");
    expect(await net(p, "51")).to.equal("99000.00"); // 100 000 − 5 000 (ПКО from the bank) + 4 000 (РКО to the bank)
  });

  it("prints КО-1 (with its receipt) and КО-2 in HTML, PDF and CSV with the order's figures", async () => {
    const r = await receipt("2026-02-06T10:00:00", {
      OperationKind: "FromCounterparty",
      Counterparty: id.supplier,
      Amount: "1234.56",
      Basis: "Возврат аванса",
      Attachment: "Акт сверки",
    });
    const d = await disbursement("2026-02-06T11:00:00", {
      OperationKind: "ToEmployee",
      Employee: id.employee,
      Amount: "1000.00",
      Basis: "На хозяйственные нужды",
      IdentityDocument: "паспорт 8600 123456",
    });
    const served: { server: Server; base: string } = await serve(p);
    try {
      const render = async (name: string, params: unknown, format: string) => {
        const res = await fetch(`${served.base}/api/reports/${name}/render?format=${format}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(params),
        });
        const bytes = new Uint8Array(await res.arrayBuffer());
        expect(res.status, Buffer.from(bytes).toString("utf8")).to.equal(200);
        return { text: Buffer.from(bytes).toString("utf8"), bytes };
      };
      const text = (html: string) => plain(html.replace(/<[^>]+>/g, " ").replace(/&nbsp;/g, " ")).replace(/\s+/g, " ");
      const ko1 = text((await render("cash-receipt", { receipt: r.id }, "html")).text);
      expect(ko1).to.include(`ПРИХОДНЫЙ КАССОВЫЙ ОРДЕР № ${r.number} от 06.02.2026`);
      expect(ko1).to.include("КВИТАНЦИЯ");
      expect(ko1).to.include("76.09");
      expect(ko1).to.include("1234,56");
      expect(ko1).to.include("Одна тысяча двести тридцать четыре рубля 56 копеек");
      expect(ko1).to.include("1234 руб. 56 коп.");
      expect(ko1).to.include("Принят от: ООО «Водоканал»");
      expect(ko1).to.include("ТСЖ Машенька, ИНН 1001234567");
      const [row] = csvRows((await render("cash-receipt", { receipt: r.id }, "csv")).text);
      expect(row).to.include({ Номер: r.number, "Корреспондирующий счет": "76.09", Сумма: "1234,56" });
      const pdf = await pdfText((await render("cash-receipt", { receipt: r.id }, "pdf")).bytes);
      expect(pdf.pages).to.equal(1);
      const ko2 = text((await render("cash-disbursement", { disbursement: d.id }, "html")).text);
      expect(ko2).to.include(`РАСХОДНЫЙ КАССОВЫЙ ОРДЕР № ${d.number} от 06.02.2026`);
      expect(ko2).to.include("Выдать: Петров Петр Петрович");
      expect(ko2).to.include("Одна тысяча рублей 00 копеек");
      expect(ko2).to.include("По: паспорт 8600 123456");
      expect(ko2).to.match(/ 71 \S* ?50\.01 1000,00 /);
      const pdf2 = await pdfText((await render("cash-disbursement", { disbursement: d.id }, "pdf")).bytes);
      expect(pdf2.pages).to.equal(1);
    } finally {
      served.server.close();
    }
  });

  it("two РКО written at once cannot both spend the same money: one posts, the other is refused", async () => {
    const rest = await net(p, "50.01");
    await receipt("2026-02-07T09:00:00", { OperationKind: "FromBank", Amount: "5000.00" });
    // drafts first: creating them takes turns on the number counter; their postings meet only at the cash desk
    const a = await disbursement("2026-02-07T10:00:00", { OperationKind: "ToBank", Amount: "3000.00" }, false);
    const b = await disbursement("2026-02-07T10:00:01", { OperationKind: "ToBank", Amount: "3000.00" }, false);
    const results = await Promise.allSettled([post(p, "CashDisbursement", a.id), post(p, "CashDisbursement", b.id)]);
    expect(results.map((r) => r.status).sort()).to.deep.equal(["fulfilled", "rejected"]);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(String(refused.reason.message)).to.match(/^В кассе недостаточно денег: остаток \d/);
    const left = (Number(rest) + 2000).toFixed(2);
    expect(await net(p, "50.01")).to.equal(left);
  });
});
