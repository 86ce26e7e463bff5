// «Поступление (акт, накладная)» (SupplierInvoice, docs/bookkeeping.md): costs by row account with
// the service and cost item, input VAT on 19.04 / 19.03 (on top of the sum or within it), VAT
// accepted for deduction under ОСНО, VAT in the cost under УСН; refusals with nothing posted —
// all figures by hand.
import { expect } from "chai";
import type { Platform } from "../../server/platform.ts";
import { doc, getDoc, item, post, rejects, type Row } from "./documents-fixtures.ts";
import { acc, entryLines, net, openLedger } from "./accounting-documents-fixtures.ts";

describe("configuration: SupplierInvoice «Поступление (акт, накладная)» (issue 16 §2)", function () {
  this.timeout(120_000);
  let p: Platform;
  const id: Record<string, string> = {};
  const names: Record<string, string> = {};
  const invoice = (date: string, body: Row, posted = true) =>
    doc(p, "SupplierInvoice", { date, Counterparty: id.supplier, ...body }, posted);

  before(async () => {
    p = await openLedger("zsupplier");
    id.general = (await item(p, "Organizations", { name: "УК Север", TaxRegime: "General" })).id;
    id.simplified = (await item(p, "Organizations", { name: "ТСЖ Юг", TaxRegime: "SimplifiedIncomeMinusExpenses" })).id;
    id.supplier = (await item(p, "Counterparties", { name: "Водоканал" })).id;
    id.water = (await item(p, "Services", { name: "ХВС", CalculationMethod: "Fixed" })).id;
    id.resource = (await item(p, "CostItems", { name: "Покупные ресурсы" })).id;
    id.office = (await item(p, "CostItems", { name: "Канцелярские расходы" })).id;
    Object.assign(names, {
      [id.supplier]: "Водоканал",
      [id.water]: "ХВС",
      [id.resource]: "Ресурсы",
      [id.office]: "Канцелярия",
    });
  });
  after(() => p?.close());

  it("ОСНО, VAT on top: costs Дт 20.01 / 26 / 10.01 Кт 60.01, VAT Дт 19.04 / 19.03 Кт 60.01, accepted Дт 68.02 Кт 19", async () => {
    const d = await invoice("2026-03-05T10:00:00", {
      Organization: id.general,
      IncomingNumber: "А-17",
      AcceptVat: true,
      Items: [
        { Description: "Холодная вода", Service: id.water, CostItem: id.resource, Amount: "1200.00", VatRate: "Vat20" },
        { Description: "Бумага", Account: acc("26"), CostItem: id.office, Amount: "500.00", VatRate: "WithoutVat" },
        { Description: "Трубы", Account: acc("10.01"), Amount: "100.05", VatRate: "Vat20" },
      ],
    });
    // 1 200,00 × 20% = 240,00; 100,05 × 20% = 20,01; totals 1 440,00 / 500,00 / 120,06
    expect(d.Items.map((r: Row) => [r.Account, r.Vat, r.Total])).to.deep.equal([
      [acc("20.01"), "240.00", "1440.00"],
      [acc("26"), "0.00", "500.00"],
      [acc("10.01"), "20.01", "120.06"],
    ]);
    expect(d.SupplierAccount).to.equal(acc("60.01"));
    expect(await entryLines(p, "SupplierInvoice", d.id, names)).to.deep.equal([
      "Дт 20.01 Кт 60.01 1200.00 Дт{Services=ХВС,CostItems=Ресурсы} Кт{Counterparties=Водоканал}",
      "Дт 19.04 Кт 60.01 240.00 Дт{Counterparties=Водоканал} Кт{Counterparties=Водоканал}",
      "Дт 68.02 Кт 19.04 240.00 Кт{Counterparties=Водоканал}",
      "Дт 26 Кт 60.01 500.00 Дт{CostItems=Канцелярия} Кт{Counterparties=Водоканал}",
      "Дт 10.01 Кт 60.01 100.05 Кт{Counterparties=Водоканал}",
      "Дт 19.03 Кт 60.01 20.01 Дт{Counterparties=Водоканал} Кт{Counterparties=Водоканал}",
      "Дт 68.02 Кт 19.03 20.01 Кт{Counterparties=Водоканал}",
    ]);
    expect(await net(p, "60.01")).to.equal("-2060.06");
    expect(await net(p, "19")).to.equal("0.00");
    expect(await net(p, "68.02")).to.equal("260.01");
  });

  it("ОСНО, the sum includes VAT and the VAT is not accepted: 1 200,00 = 1 000,00 + 200,00 on 19.04", async () => {
    const d = await invoice("2026-03-06T10:00:00", {
      Organization: id.general,
      AmountIncludesVat: true,
      Items: [{ Service: id.water, CostItem: id.resource, Amount: "1200.00", VatRate: "Vat20" }],
    });
    expect(d.Items[0]).to.include({ Vat: "200.00", Total: "1200.00" });
    expect(await entryLines(p, "SupplierInvoice", d.id)).to.deep.equal([
      `Дт 20.01 Кт 60.01 1000.00 Дт{Services=${id.water},CostItems=${id.resource}} Кт{Counterparties=${id.supplier}}`,
      `Дт 19.04 Кт 60.01 200.00 Дт{Counterparties=${id.supplier}} Кт{Counterparties=${id.supplier}}`,
    ]);
    expect(await net(p, "19.04")).to.equal("200.00");
  });

  it("НК 164 п.3 from 01.01.2026: 22 % — 1 220,00 including VAT = 1 000,00 + 220,00; 500,00 on top → 110,00", async () => {
    const d = await invoice("2026-03-06T11:00:00", {
      Organization: id.general,
      AmountIncludesVat: true,
      Items: [{ Service: id.water, CostItem: id.resource, Amount: "1220.00", VatRate: "Vat22" }],
    });
    expect(d.Items[0]).to.include({ Vat: "220.00", Total: "1220.00" });
    const top = await invoice("2026-03-06T12:00:00", {
      Organization: id.general,
      Items: [{ Service: id.water, CostItem: id.resource, Amount: "500.00", VatRate: "Vat22" }],
    });
    expect(top.Items[0]).to.include({ Vat: "110.00", Total: "610.00" });
  });

  it("УСН: the VAT is part of the cost (one entry of 1 440,00); accepting VAT is refused with nothing posted", async () => {
    const d = await invoice("2026-03-07T10:00:00", {
      Organization: id.simplified,
      Items: [{ Service: id.water, CostItem: id.resource, Amount: "1200.00", VatRate: "Vat20" }],
    });
    expect(await entryLines(p, "SupplierInvoice", d.id, names)).to.deep.equal([
      "Дт 20.01 Кт 60.01 1440.00 Дт{Services=ХВС,CostItems=Ресурсы} Кт{Counterparties=Водоканал}",
    ]);
    const before = await net(p, "60.01");
    const e = await rejects(
      invoice("2026-03-07T11:00:00", {
        Organization: id.simplified,
        AcceptVat: true,
        Items: [{ Amount: "100.00", VatRate: "Vat20" }],
      }),
    );
    expect(e.message).to.match(/«ТСЖ Юг» применяет УСН и не принимает НДС к вычету/);
    expect(JSON.stringify(e)).to.include("AcceptVat");
    expect(await net(p, "60.01")).to.equal(before);
  });

  it("refuses an account with sub-accounts, no rows and a zero sum, naming the row; nothing posted", async () => {
    const before = await net(p, "60.01");
    const cases: [Row, RegExp, string][] = [
      [
        { Items: [{ Account: acc("20"), Amount: "10.00" }] },
        /строка 1: у счета Дт 20 .* есть субсчета — выберите субсчет \(20\.01\)/,
        "Account",
      ],
      [{ Items: [] }, /нет ни одной строки/, "Items"],
      [{ Items: [{ Amount: "10.00" }, { Amount: "0" }] }, /строка 2: «Сумма» должна быть больше нуля/, "Amount"],
      [
        { SupplierAccount: acc("60"), Items: [{ Amount: "10.00" }] },
        /у счета Кт 60 .* есть субсчета/,
        "SupplierAccount",
      ],
    ];
    for (const [body, message, field] of cases) {
      const draft = await invoice("2026-03-08T10:00:00", { Organization: id.general, ...body }, false);
      const e = await rejects(post(p, "SupplierInvoice", draft.id));
      expect(e.message).to.match(message);
      expect(JSON.stringify(e)).to.include(field);
      expect((await getDoc(p, "SupplierInvoice", draft.id)).posted).to.equal(false);
    }
    expect(await net(p, "60.01")).to.equal(before);
  });
});
