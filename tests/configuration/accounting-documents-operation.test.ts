// «Операция (бухгалтерская)» (ManualOperation, docs/bookkeeping.md): typed entries become entries
// of Accounting with each side's analytics; a storno; a one-sided off-balance entry; refusals
// (an account with sub-accounts, analytics the account has not, a balance account alone, an
// unknown account, a zero amount) naming the row and field, with nothing posted.
import { expect } from "chai";
import type { Platform } from "../../server/platform.ts";
import { doc, getDoc, item, movements, post, rejects, type Row } from "./documents-fixtures.ts";
import { acc, entryLines, net, openLedger } from "./accounting-documents-fixtures.ts";

describe("configuration: ManualOperation «Операция (бухгалтерская)» (issue 16 §2)", function () {
  this.timeout(120_000);
  let p: Platform;
  const id: Record<string, string> = {};
  const names: Record<string, string> = {};
  const op = (date: string, Entries: Row[], post = true, Content = "Ввод остатков") =>
    doc(p, "ManualOperation", { date, Content, Entries }, post);

  before(async () => {
    p = await openLedger("zmanop");
    id.supplier = (await item(p, "Counterparties", { name: "ООО Водоканал" })).id;
    id.other = (await item(p, "Counterparties", { name: "ООО Лифт" })).id;
    id.item = (await item(p, "CostItems", { name: "Содержание общего имущества" })).id;
    names[id.supplier] = "Водоканал";
    names[id.other] = "Лифт";
    names[id.item] = "СОИ";
  });
  after(() => p?.close());

  it("posts each row as an entry with the analytics of each side; the row's content or the document's", async () => {
    const d = await op("2026-01-10T10:00:00", [
      { AccountDr: acc("51"), AccountCr: acc("80"), Amount: "100000.00", Content: "Уставный капитал" },
      {
        AccountDr: acc("26"),
        CostItemDr: id.item,
        AccountCr: acc("60.01"),
        CounterpartyCr: id.supplier,
        Amount: "1500.50",
      },
      { AccountDr: acc("60.01"), CounterpartyDr: id.supplier, AccountCr: acc("51"), Amount: "1000.00" },
      {
        AccountDr: acc("60.01"),
        CounterpartyDr: id.other,
        AccountCr: acc("60.01"),
        CounterpartyCr: id.supplier,
        Amount: "200.00",
      },
    ]);
    expect(d.posted).to.equal(true);
    expect(await entryLines(p, "ManualOperation", d.id, names)).to.deep.equal([
      "Дт 51 Кт 80 100000.00",
      "Дт 26 Кт 60.01 1500.50 Дт{CostItems=СОИ} Кт{Counterparties=Водоканал}",
      "Дт 60.01 Кт 51 1000.00 Дт{Counterparties=Водоканал}",
      "Дт 60.01 Кт 60.01 200.00 Дт{Counterparties=Лифт} Кт{Counterparties=Водоканал}",
    ]);
    const rows = await movements(p, "ManualOperation", d.id, "Accounting");
    expect(rows.map((r) => r.Content)).to.deep.equal([
      "Уставный капитал",
      "Ввод остатков",
      "Ввод остатков",
      "Ввод остатков",
    ]);
    // 51: 100 000 − 1 000; 60.01 net: Кт 1 500,50 − Дт 1 000 (supplier) ± 200 between two = −500,50
    expect(await net(p, "51")).to.equal("99000.00");
    expect(await net(p, "60")).to.equal("-500.50");
    expect(await net(p, "80")).to.equal("-100000.00");
  });

  it("a negative amount is a storno; an off-balance account takes a one-sided entry", async () => {
    const d = await op("2026-01-11T10:00:00", [
      { AccountDr: acc("51"), AccountCr: acc("80"), Amount: "-500.00" },
      { AccountDr: acc("007"), Amount: "300.00" },
    ]);
    expect(await entryLines(p, "ManualOperation", d.id)).to.deep.equal(["Дт 51 Кт 80 -500.00", "Дт 007 Кт — 300.00"]);
    expect(await net(p, "51")).to.equal("98500.00");
    expect(await net(p, "007")).to.equal("300.00");
  });

  const refused = async (Entries: Row[], message: RegExp, field: string) => {
    const draft = await op("2026-01-12T10:00:00", Entries, false);
    const before51 = await net(p, "51");
    const e = await rejects(doc(p, "ManualOperation", { date: "2026-01-12T10:00:00", Entries }, true));
    expect(e.message).to.match(message);
    expect(JSON.stringify(e)).to.include(field);
    const e2 = await rejects(post(p, "ManualOperation", String(draft.id)));
    expect(e2.message).to.match(message);
    expect((await getDoc(p, "ManualOperation", String(draft.id))).posted).to.equal(false);
    expect(await net(p, "51")).to.equal(before51);
  };

  it("refuses an account with sub-accounts, naming the row and the sub-accounts; nothing posted", () =>
    refused(
      [
        { AccountDr: acc("51"), AccountCr: acc("80"), Amount: "10.00" },
        { AccountDr: acc("60"), AccountCr: acc("51"), Amount: "10.00" },
      ],
      /Проводки, строка 2: у счета Дт 60 .* есть субсчета — выберите субсчет \(60\.01, 60\.02\)/,
      "AccountDr",
    ));

  it("refuses analytics the account has not", () =>
    refused(
      [{ AccountDr: acc("51"), CounterpartyDr: id.supplier, AccountCr: acc("80"), Amount: "10.00" }],
      /строка 1: у счета Дт 51 нет субконто «Контрагенты» — очистите поле «Контрагент Дт»/,
      "CounterpartyDr",
    ));

  it("refuses a balance account without its other side and a zero amount", async () => {
    await refused([{ AccountDr: acc("51"), Amount: "10.00" }], /строка 1: укажите счет Кт/, "AccountCr");
    await refused(
      [{ AccountDr: acc("51"), AccountCr: acc("80"), Amount: "0" }],
      /строка 1: сумма проводки не указана/,
      "Amount",
    );
  });

  it("refuses an account that is not in the chart (a reference to nothing)", async () => {
    const before51 = await net(p, "51");
    const e = await rejects(
      op("2026-01-12T10:00:00", [
        { AccountDr: "00000000-0000-4000-8000-000000000001", AccountCr: acc("80"), Amount: "10.00" },
      ]),
    );
    expect(e.message).to.match(/Счет Дт|не найден|нет/i);
    expect(await net(p, "51")).to.equal(before51);
  });
});
