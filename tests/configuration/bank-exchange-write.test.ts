// The writer of outgoing payment orders in the bank exchange format
// (metadata/common/bank/exchange-write.ts): windows-1251 by default, read back by the reader to
// the same documents (an example and a randomized round trip), and the values it refuses.
import { expect } from "chai";
import { Decimal } from "decimal.js";
import fc from "fast-check";
import iconv from "iconv-lite";
import { readExchangeFile } from "../../metadata/common/bank/exchange-read.ts";
import {
  BankExportError,
  type PaymentOrder,
  writeExchangeFile,
  type ExchangeWriteOptions,
} from "../../metadata/common/bank/exchange-write.ts";

const OUR = {
  account: "40703810725000000123",
  name: "ТСЖ «Машенька»",
  inn: "1001234567",
  kpp: "100101001",
  bank: "КАРЕЛЬСКОЕ ОТДЕЛЕНИЕ N8628 ПАО СБЕРБАНК",
  bankCity: "г. Петрозаводск",
  bic: "048602673",
  correspondentAccount: "30101810600000000673",
};
const ORDER: PaymentOrder = {
  number: "125",
  date: "2011-12-05",
  sum: "48250.5",
  payer: OUR,
  recipient: {
    account: "40702810900000000555",
    name: "ООО «Водоканал-Сервис»",
    inn: "7830002293",
    kpp: "783001001",
    bank: "ПАО «Банк Санкт-Петербург»",
    bankCity: "г. Санкт-Петербург",
    bic: "044030790",
    correspondentAccount: "30101810900000000790",
  },
  purpose: "Оплата по счету № 1184 от 30.11.2011 за холодную воду, ноябрь 2011. НДС не облагается",
};
const OPTIONS: ExchangeWriteOptions = { account: OUR.account, created: "2011-12-05T16:40:07" };

function exportRefused(orders: PaymentOrder[], options: ExchangeWriteOptions, reason: RegExp) {
  expect(() => writeExchangeFile(orders, options)).to.throw(BankExportError, reason);
}

describe("bank exchange format: writing payment orders", function () {
  it("writes windows-1251 with CR LF, the header and the order's fields", () => {
    const bytes = writeExchangeFile([ORDER], OPTIONS);
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(bytes)).to.throw(); // not UTF-8: windows-1251
    const text = iconv.decode(bytes, "win1251");
    expect(text.endsWith("КонецФайла\r\n")).to.equal(true);
    expect(text.replace(/\r\n/g, "")).not.to.match(/[\r\n]/);
    const lines = text.split("\r\n");
    expect(lines.slice(0, 11)).to.deep.equal([
      "1CClientBankExchange",
      "ВерсияФормата=1.03",
      "Кодировка=Windows",
      "Отправитель=ЖКХ: облачная бухгалтерия",
      "Получатель=",
      "ДатаСоздания=05.12.2011",
      "ВремяСоздания=16:40:07",
      "ДатаНачала=05.12.2011",
      "ДатаКонца=05.12.2011",
      "РасчСчет=40703810725000000123",
      "Документ=Платежное поручение",
    ]);
    expect(lines).to.include.members([
      "СекцияДокумент=Платежное поручение",
      "Номер=125",
      "Дата=05.12.2011",
      "Сумма=48250.50",
      "ПлательщикСчет=40703810725000000123",
      "ПлательщикИНН=1001234567",
      "Получатель1=ООО «Водоканал-Сервис»",
      "ВидОплаты=01",
      "Очередность=5",
      "НазначениеПлатежа=" + ORDER.purpose,
      "КонецДокумента",
    ]);
  });

  it("is read back to the same orders (an example in each encoding)", () => {
    const second: PaymentOrder = {
      ...ORDER,
      number: "126",
      date: "2011-12-07",
      sum: new Decimal("0.01"),
      recipient: {
        account: "40101810300000010001",
        name: "УФК по Республике Карелия (ИФНС России по г. Петрозаводску)",
      },
      priority: "3",
      code: "18210102010011000110",
      paymentKind: "срочно",
      extra: { СтатусСоставителя: "01", ПоказательКБК: "18210102010011000110", ОКАТО: "86701000001" },
      purpose: "НДФЛ за ноябрь 2011 г.",
    };
    for (const encoding of ["windows-1251", "cp866", "utf-8"] as const) {
      // cp866 has no «»: the DOS file gets one order with plain quotes
      const orders =
        encoding === "cp866" ? [{ ...second, payer: { ...OUR, name: 'ТСЖ "Машенька"' } }] : [ORDER, second];
      const f = readExchangeFile(writeExchangeFile(orders, { ...OPTIONS, encoding }));
      expect([f.version, f.encoding, f.warnings]).to.deep.equal(["1.03", encoding, []]);
      expect([f.dateFrom, f.dateTo, f.createdDate, f.createdTime]).to.deep.equal([
        orders[0].date,
        "2011-12-07",
        "2011-12-05",
        "16:40:07",
      ]);
      expect(f.accounts).to.deep.equal([OUR.account]);
      expect(f.documents.map((d) => d.direction)).to.deep.equal(orders.map(() => "outgoing"));
      const doc = f.documents[f.documents.length - 1];
      expect(doc.kind).to.equal("Платежное поручение");
      expect([doc.number, doc.date, doc.sum.toFixed(2), doc.purpose]).to.deep.equal([
        "126",
        "2011-12-07",
        "0.01",
        "НДФЛ за ноябрь 2011 г.",
      ]);
      expect(doc.recipient.name).to.equal(second.recipient.name);
      expect(doc.recipient.checkingAccount).to.equal(second.recipient.account); // written as the account
      expect([doc.priority, doc.code, doc.paymentKind, doc.operationKind]).to.deep.equal([
        "3",
        "18210102010011000110",
        "срочно",
        "01",
      ]);
      expect(doc.fields["ОКАТО"]).to.equal("86701000001");
      if (encoding !== "cp866") {
        expect(f.documents[0].payer).to.deep.equal({ ...OUR, checkingAccount: OUR.account });
        expect(f.documents[0].recipient).to.deep.equal({
          ...ORDER.recipient,
          checkingAccount: ORDER.recipient.account,
        });
        expect(f.documents[0].sum.toFixed(2)).to.equal("48250.50");
      }
    }
  });

  it("round-trips random orders: what is written is what is read", () => {
    // Printable text the bank format and windows-1251 carry: Cyrillic, Latin, digits and punctuation
    const chars = [
      ..."абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯabcXYZ0123456789 .,-№«»\"'()/=;:%+",
    ];
    const text = (max: number) =>
      fc
        .array(fc.constantFrom(...chars), { minLength: 1, maxLength: max })
        .map((a) => a.join("").trim())
        .filter((s) => s !== "");
    const digits = (n: number) =>
      fc.array(fc.constantFrom(..."0123456789"), { minLength: n, maxLength: n }).map((a) => a.join(""));
    const party = fc.record({
      account: digits(20),
      name: text(160),
      inn: fc.oneof(digits(10), digits(12)).filter((s) => !/^0+$/.test(s)),
      kpp: digits(9).filter((s) => !/^0+$/.test(s)),
      bank: text(80),
      bankCity: text(30),
      bic: digits(9),
      correspondentAccount: digits(20),
    });
    const order = fc.record({
      number: fc.integer({ min: 1, max: 999999 }).map(String),
      date: fc
        .date({ min: new Date("2000-01-01"), max: new Date("2099-12-31"), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10)),
      sum: fc.bigInt({ min: 1n, max: 99999999999999n }).map((k) => new Decimal(k.toString()).div(100)),
      payer: party,
      recipient: party,
      purpose: text(210),
    });
    fc.assert(
      fc.property(fc.array(order, { minLength: 1, maxLength: 5 }), (orders) => {
        const options = { account: orders[0].payer.account, created: "2011-12-05T16:40:07" };
        const f = readExchangeFile(writeExchangeFile(orders, options));
        expect(f.documents).to.have.length(orders.length);
        f.documents.forEach((d, i) => {
          const o = orders[i];
          expect([d.number, d.date, d.sum.toFixed(2), d.purpose]).to.deep.equal([
            o.number,
            o.date,
            o.sum.toFixed(2),
            o.purpose,
          ]);
          expect(d.payer).to.deep.equal({ ...o.payer, checkingAccount: o.payer.account });
          expect(d.recipient).to.deep.equal({ ...o.recipient, checkingAccount: o.recipient.account });
        });
        const dates = orders.map((o) => o.date).sort();
        expect([f.dateFrom, f.dateTo]).to.deep.equal([dates[0], dates[dates.length - 1]]);
      }),
      { numRuns: 200 },
    );
  });

  it("refuses what the format cannot carry, naming the order and the field", () => {
    exportRefused(
      [{ ...ORDER, purpose: "Оплата\r\nза воду" }],
      OPTIONS,
      /№ 125: в поле НазначениеПлатежа перевод строки/,
    );
    exportRefused(
      [{ ...ORDER, purpose: "Оплата 💧" }],
      OPTIONS,
      /Символа «💧» нет в кодировке windows-1251 \(строка «НазначениеПлатежа=Оплата 💧»\)/,
    );
    expect(
      readExchangeFile(writeExchangeFile([{ ...ORDER, purpose: "Оплата 💧" }], { ...OPTIONS, encoding: "utf-8" }))
        .documents[0].purpose,
    ).to.equal("Оплата 💧");
    exportRefused(
      [{ ...ORDER, sum: "10.005" }],
      OPTIONS,
      /№ 125: сумма 10\.005 — нужна больше нуля и не точнее копеек/,
    );
    exportRefused([{ ...ORDER, sum: "0" }], OPTIONS, /сумма 0 — нужна больше нуля/);
    exportRefused([{ ...ORDER, sum: "сто" }], OPTIONS, /сумма «сто» — не число/);
    exportRefused([{ ...ORDER, purpose: "я".repeat(211) }], OPTIONS, /назначение платежа длиннее 210 символов \(211\)/);
    exportRefused([{ ...ORDER, purpose: "  " }], OPTIONS, /не заполнено назначение платежа/);
    exportRefused([{ ...ORDER, date: "05.12.2011" }], OPTIONS, /дата «05\.12\.2011» не вида ГГГГ-ММ-ДД/);
    exportRefused([], OPTIONS, /Нет платежных поручений/);
    exportRefused(
      [{ ...ORDER, extra: { "Показатель КБК": "1" } }],
      OPTIONS,
      /имя поля «Показатель КБК» с пробелом или «=»/,
    );
    exportRefused([ORDER], { ...OPTIONS, account: "" }, /Не указан расчетный счет/);
    expect(writeExchangeFile([{ ...ORDER, purpose: "я".repeat(210) }], OPTIONS)).to.be.instanceOf(Buffer);
  });
});
