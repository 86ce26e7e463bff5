// The reader of the bank exchange format (metadata/common/bank/exchange-read.ts) without a
// database: statements of versions 1.02 and 1.03 in windows-1251, DOS (cp866) and UTF-8, and the
// malformed files it refuses, each with its line number and a reason naming what to fix.
import { expect } from "chai";
import iconv from "iconv-lite";
import { BankFileError, readExchangeFile, type ExchangeFile } from "../../metadata/common/bank/exchange-read.ts";

type Enc = "win1251" | "cp866" | "utf8";
const bytes = (lines: string[], enc: Enc = "win1251", eol = "\r\n") => iconv.encode(lines.join(eol) + eol, enc);

const HEADER = (encoding = "Windows", version = "1.03") => [
  "1CClientBankExchange",
  `ВерсияФормата=${version}`,
  `Кодировка=${encoding}`,
  "Отправитель=Сбербанк Бизнес Онлайн",
  "Получатель=",
  "ДатаСоздания=01.12.2011",
  "ВремяСоздания=10:33:20",
  "ДатаНачала=24.11.2011",
  "ДатаКонца=25.11.2011",
  "РасчСчет=40703810725000000123",
  "Документ=Платежное поручение",
  "Документ=Банковский ордер",
];
const BALANCE = [
  "СекцияРасчСчет",
  "ДатаНачала=24.11.2011",
  "ДатаКонца=25.11.2011",
  "РасчСчет=40703810725000000123",
  "НачальныйОстаток=10000.00",
  "ВсегоПоступило=2094.77",
  "ВсегоСписано=350",
  "КонечныйОстаток=11744.77",
  "КонецРасчСчет",
];
const INCOMING = [
  "СекцияДокумент=Платежное поручение",
  "Номер=4711",
  "Дата=24.11.2011",
  "Сумма=1994.77",
  "ПлательщикСчет=30232810425000000001",
  "ДатаСписано=",
  "Плательщик=ИНН 0 Калинин Вячеслав Петрович",
  "ПлательщикИНН=0",
  "ПлательщикКПП=0",
  "ПлательщикБанк1=КАРЕЛЬСКОЕ ОТДЕЛЕНИЕ N8628 ПАО СБЕРБАНК",
  "ПлательщикБанк2=г. Петрозаводск",
  "ПлательщикБИК=048602673",
  "ПлательщикКорсчет=30101810600000000673",
  "ПолучательСчет=40703810725000000123",
  "ДатаПоступило=25.11.2011",
  "Получатель=ИНН 1001234567 ТСЖ «Машенька»",
  "ПолучательИНН=1001234567",
  "Получатель1=ТСЖ «Машенька»",
  "ПолучательКПП=100101001",
  "ВидПлатежа=электронно",
  "ВидОплаты=01",
  "Код=0",
  "Очередность=5",
  "СтатусСоставителя=",
  "ПоказательКБК=",
  "НазначениеПлатежа=Оплата за ЖКУ л/с 00000000001 за ноябрь 2011 г. Без НДС",
  "КонецДокумента",
];
const OUTGOING = [
  "СекцияДокумент=Банковский ордер",
  "Номер=000017",
  "Дата=25.11.2011",
  "Сумма=100,00",
  "ПлательщикСчет=40703810725000000123",
  "ДатаСписано=25.11.2011",
  "Плательщик1=ТСЖ «Машенька»",
  "ПлательщикИНН=1001234567",
  "ПолучательСчет=70601810000000027101",
  "Получатель1=ПАО СБЕРБАНК",
  "ПолучательИНН=7707083893",
  "НазначениеПлатежа1=Комиссия за ведение счета",
  "НазначениеПлатежа2=за ноябрь 2011 г.",
  "КонецДокумента",
];
const THIRD = [
  "СекцияДокумент=Платежное поручение",
  "Номер=12",
  "Дата=21.11.2011",
  "Сумма=250",
  "ПлательщикСчет=40702810900000000555",
  "Плательщик1=ООО «Ромашка»",
  "ПлательщикИНН=7830002293",
  "ПолучательСчет=40703810725000000123",
  "Получатель1=ТСЖ «Машенька»",
  "НазначениеПлатежа=Аренда помещения за ноябрь 2011",
  "БанкСвоеПоле=что-то свое",
  "КонецДокумента",
];
const STATEMENT = [...HEADER(), ...BALANCE, ...INCOMING, ...OUTGOING, ...THIRD, "КонецФайла"];

/** Reads lines and expects a refusal on `line` whose reason matches `reason`. */
function refused(lines: string[] | Buffer, line: number, reason: RegExp, enc: Enc = "win1251"): BankFileError {
  const data = Buffer.isBuffer(lines) ? lines : bytes(lines, enc);
  let caught: unknown;
  try {
    readExchangeFile(data);
  } catch (e) {
    caught = e;
  }
  expect(caught, "the file must be refused").to.be.instanceOf(BankFileError);
  const err = caught as BankFileError;
  expect(err.reason).to.match(reason);
  expect(err.line, err.message).to.equal(line);
  expect(err.message).to.equal(line > 0 ? `Строка ${line}: ${err.reason}` : err.reason);
  return err;
}

/** The index (1-based line) of the first line equal to `text` after line `from`. */
const lineOf = (lines: string[], text: string, from = 0) => lines.indexOf(text, from) + 1;

describe("bank exchange format: reading", function () {
  it("reads a 1.03 windows-1251 statement: header, balances and every document's fields", () => {
    const f = readExchangeFile(bytes(STATEMENT));
    expect(f.version).to.equal("1.03");
    expect(f.encoding).to.equal("windows-1251");
    expect(f.declaredEncoding).to.equal("Windows");
    expect(f.sender).to.equal("Сбербанк Бизнес Онлайн");
    expect(f.receiver).to.equal("");
    expect([f.createdDate, f.createdTime, f.dateFrom, f.dateTo]).to.deep.equal([
      "2011-12-01",
      "10:33:20",
      "2011-11-24",
      "2011-11-25",
    ]);
    expect(f.accounts).to.deep.equal(["40703810725000000123"]);
    expect(f.documentKinds).to.deep.equal(["Платежное поручение", "Банковский ордер"]);
    expect(f.warnings).to.deep.equal([]);

    expect(f.balances).to.have.length(1);
    const b = f.balances[0];
    expect(b.line).to.equal(lineOf(STATEMENT, "СекцияРасчСчет"));
    expect(b.account).to.equal("40703810725000000123");
    expect([b.dateFrom, b.dateTo]).to.deep.equal(["2011-11-24", "2011-11-25"]);
    expect([b.opening, b.received, b.writtenOff, b.closing].map((d) => d!.toFixed(2))).to.deep.equal([
      "10000.00",
      "2094.77",
      "350.00",
      "11744.77",
    ]);

    expect(f.documents).to.have.length(3);
    const [inc, out, third] = f.documents;
    expect(inc.line).to.equal(lineOf(STATEMENT, "СекцияДокумент=Платежное поручение"));
    expect(inc.kind).to.equal("Платежное поручение");
    expect(inc.number).to.equal("4711");
    expect(inc.date).to.equal("2011-11-24");
    expect(inc.sum.toFixed(2)).to.equal("1994.77");
    expect(inc.payer).to.deep.equal({
      account: "30232810425000000001",
      name: "Калинин Вячеслав Петрович", // «ИНН 0 » dropped, no Плательщик1
      inn: "", // «0» is no ИНН
      kpp: "",
      checkingAccount: "",
      bank: "КАРЕЛЬСКОЕ ОТДЕЛЕНИЕ N8628 ПАО СБЕРБАНК",
      bankCity: "г. Петрозаводск",
      bic: "048602673",
      correspondentAccount: "30101810600000000673",
    });
    expect(inc.recipient.name).to.equal("ТСЖ «Машенька»");
    expect([inc.recipient.inn, inc.recipient.kpp]).to.deep.equal(["1001234567", "100101001"]);
    expect(inc.purpose).to.equal("Оплата за ЖКУ л/с 00000000001 за ноябрь 2011 г. Без НДС");
    expect([inc.receivedDate, inc.writtenOffDate]).to.deep.equal(["2011-11-25", null]);
    expect(inc.direction).to.equal("incoming");
    expect(inc.operationDate).to.equal("2011-11-25");
    expect([inc.paymentKind, inc.operationKind, inc.priority, inc.code]).to.deep.equal(["электронно", "01", "5", ""]);
    expect(inc.fields["ПоказательКБК"]).to.equal("");

    expect(out.kind).to.equal("Банковский ордер");
    expect(out.number).to.equal("000017");
    expect(out.sum.toFixed(2)).to.equal("100.00"); // a decimal comma is read too
    expect(out.direction).to.equal("outgoing");
    expect(out.operationDate).to.equal("2011-11-25");
    expect(out.purpose).to.equal("Комиссия за ведение счета за ноябрь 2011 г."); // НазначениеПлатежа1…6 joined
    expect(out.payer.name).to.equal("ТСЖ «Машенька»");

    expect(third.direction).to.equal("incoming"); // by the accounts, though ДатаПоступило is missing
    expect(third.operationDate).to.equal("2011-11-21"); // then the document's date
    expect(third.sum.toFixed(2)).to.equal("250.00");
    expect(third.payer.inn).to.equal("7830002293");
    expect(third.fields["БанкСвоеПоле"]).to.equal("что-то свое"); // unknown fields are kept
    const proto = readExchangeFile(
      bytes([...HEADER(), ...THIRD.slice(0, -1), "__proto__=x", "КонецДокумента", "КонецФайла"]),
    );
    expect(Object.getOwnPropertyDescriptor(proto.documents[0].fields, "__proto__")?.value).to.equal("x"); // a field like any other
    expect(Object.getPrototypeOf(proto.documents[0].fields)).to.equal(Object.prototype);
  });

  it("reads version 1.02 in DOS (cp866) and UTF-8 (with or without BOM), LF or CR line ends and blank lines", () => {
    const expectSame = (f: ExchangeFile) => {
      expect(f.documents.map((d) => [d.number, d.sum.toFixed(2), d.payer.name, d.purpose])).to.deep.equal([
        ["4711", "1994.77", "Калинин Вячеслав Петрович", "Оплата за ЖКУ л/с 00000000001 за ноябрь 2011 г. Без НДС"],
        ["000017", "100.00", 'ТСЖ "Машенька"', "Комиссия за ведение счета за ноябрь 2011 г."],
        ["12", "250.00", 'ООО "Ромашка"', "Аренда помещения за ноябрь 2011"],
      ]);
      expect(f.balances[0].closing!.toFixed(2)).to.equal("11744.77");
    };
    // cp866 has no «»: the same statement with plain quotes in every encoding
    const lines = (enc: string) =>
      [...HEADER(enc, "1.02"), ...BALANCE, ...INCOMING, ...OUTGOING, ...THIRD, "КонецФайла"].map((l) =>
        l.replace(/[«»]/g, '"'),
      );

    const dos = readExchangeFile(bytes(lines("DOS"), "cp866"));
    expect([dos.version, dos.encoding, dos.warnings]).to.deep.equal(["1.02", "cp866", []]);
    expectSame(dos);
    const utf = readExchangeFile(bytes(lines("UTF-8"), "utf8", "\n"));
    expect([utf.encoding, utf.warnings]).to.deep.equal(["utf-8", []]);
    expectSame(utf);
    const bom = readExchangeFile(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes(lines("utf8"), "utf8", "\r")]));
    expect(bom.encoding).to.equal("utf-8");
    expectSame(bom);
    const blank = readExchangeFile(bytes(["", ...lines("Windows").flatMap((l) => [l, "   "])]));
    expectSame(blank);
  });

  it("takes the signature with a Cyrillic «С» («1СClientBankExchange») as some banks write it", () => {
    const f = readExchangeFile(bytes(["1\u0421ClientBankExchange", ...STATEMENT.slice(1)]));
    expect(f.documents).to.have.length(3);
  });

  it("reads a file whose Кодировка disagrees with its bytes as the bytes are, with a warning", () => {
    const f = readExchangeFile(bytes([...HEADER("Windows"), ...INCOMING, "КонецФайла"], "utf8"));
    expect(f.encoding).to.equal("utf-8");
    expect(f.documents[0].payer.name).to.equal("Калинин Вячеслав Петрович");
    expect(f.warnings).to.deep.equal(["В заголовке Кодировка=Windows, а файл записан в utf-8: прочитан как utf-8."]);
  });

  it("warns when a СекцияРасчСчет's balances do not add up", () => {
    const bad = BALANCE.map((l) => (l.startsWith("КонечныйОстаток") ? "КонечныйОстаток=11744.78" : l));
    const f = readExchangeFile(bytes([...HEADER(), ...bad, "КонецФайла"]));
    expect(f.documents).to.deep.equal([]);
    expect(f.warnings).to.have.length(1);
    expect(f.warnings[0]).to.include("остатки не сходятся").and.include("11744.77").and.include("11744.78");
  });

  it("takes РасчСчет of the balance sections and several header accounts", () => {
    const header = HEADER().filter((l) => !l.startsWith("РасчСчет"));
    const other = INCOMING.map((l) => (l.startsWith("ПолучательСчет") ? "ПолучательСчет=40703810000000000999" : l));
    const f = readExchangeFile(
      bytes([...header, "РасчСчет=40703810000000000999", ...BALANCE, ...other, ...INCOMING, "КонецФайла"]),
    );
    expect(f.accounts).to.deep.equal(["40703810000000000999", "40703810725000000123"]);
    expect(f.documents.map((d) => d.direction)).to.deep.equal(["incoming", "incoming"]);
  });

  describe("refuses a malformed file with the line and what to fix", function () {
    it("no header line 1CClientBankExchange", () => {
      refused(["Выписка по счету", ...STATEMENT.slice(1)], 1, /первая строка должна быть «1CClientBankExchange»/);
      refused(["", "", "1CClientBankExchang", ...STATEMENT.slice(1)], 3, /не файл обмена с клиент-банком/);
      refused(Buffer.alloc(0), 0, /файл пуст/);
      refused(Buffer.from("\r\n\r\n"), 0, /нет ни одной строки/);
    });

    it("an unknown or missing encoding", () => {
      const koi = STATEMENT.map((l) => (l === "Кодировка=Windows" ? "Кодировка=KOI8-R" : l));
      const err = refused(
        koi,
        3,
        /неизвестная кодировка «KOI8-R»: читаются Windows \(windows-1251\), DOS \(cp866\) и UTF-8/,
      );
      expect(err.message).to.match(/^Строка 3: неизвестная кодировка/);
      refused(
        STATEMENT.filter((l) => !l.startsWith("Кодировка")),
        1,
        /в заголовке файла нет строки Кодировка/,
      );
      refused(
        STATEMENT.map((l) => (l === "Кодировка=Windows" ? "Кодировка=" : l)),
        3,
        /нет строки Кодировка/,
      );
      refused(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(STATEMENT.join("\r\n"), "utf16le")]), 1, /UTF-16/);
    });

    it("an unsupported or missing version", () => {
      refused(
        STATEMENT.map((l) => (l.startsWith("ВерсияФормата") ? "ВерсияФормата=2.00" : l)),
        2,
        /версия формата «2\.00» не поддерживается: читаются 1\.01, 1\.02, 1\.03/,
      );
      refused(
        STATEMENT.filter((l) => !l.startsWith("ВерсияФормата")),
        1,
        /в заголовке файла: не заполнено поле ВерсияФормата/,
      );
    });

    it("a section not closed", () => {
      const noEnd = [...HEADER(), ...INCOMING.slice(0, -1), ...OUTGOING, "КонецФайла"];
      const start = lineOf(noEnd, "СекцияДокумент=Банковский ордер");
      refused(
        noEnd,
        start,
        new RegExp(
          `секция СекцияДокумент=Платежное поручение, начатая в строке ${HEADER().length + 1}, не закрыта: ` +
            "перед «СекцияДокумент=Банковский ордер» нужна строка КонецДокумента",
        ),
      );
      const noBalanceEnd = [...HEADER(), ...BALANCE.slice(0, -1), ...INCOMING, "КонецФайла"];
      refused(noBalanceEnd, HEADER().length + BALANCE.length, /секция СекцияРасчСчет, начатая в строке 13, не закрыта/);
      const endInside = [...HEADER(), ...INCOMING.slice(0, -1), "КонецФайла"];
      refused(endInside, endInside.length, /перед «КонецФайла» нужна строка КонецДокумента/);
      const wrongEnd = [...HEADER(), ...BALANCE.slice(0, -1), "КонецДокумента", "КонецФайла"];
      refused(
        wrongEnd,
        wrongEnd.length - 1,
        /секция СекцияРасчСчет.*перед «КонецДокумента» нужна строка КонецРасчСчет/,
      );
      const cutInside = [...HEADER(), ...INCOMING.slice(0, 10)];
      refused(cutInside, HEADER().length + 1, /не закрыта: файл кончился, а строки КонецДокумента нет/);
      const orphanEnd = [...HEADER(), "КонецДокумента", "КонецФайла"];
      refused(orphanEnd, HEADER().length + 1, /КонецДокумента без начала секции: перед ней нет строки СекцияДокумент/);
      const noKind = [...HEADER(), "СекцияДокумент=", ...INCOMING.slice(1), "КонецФайла"];
      refused(noKind, HEADER().length + 1, /не указан вид: нужно «СекцияДокумент=Платежное поручение»/);
    });

    it("no КонецФайла, or data after it", () => {
      const cut = STATEMENT.slice(0, -1);
      refused(cut, cut.length, /файл оборван: в конце нет строки КонецФайла/);
      refused(
        [...STATEMENT, "", "1CClientBankExchange"],
        STATEMENT.length + 2,
        new RegExp(`после строки КонецФайла \\(строка ${STATEMENT.length}\\)`),
      );
    });

    it("a bad sum", () => {
      for (const bad of ["12 354.00", "1994.775", "abc", "-5.00", "1.994,77", "1e3"]) {
        const lines = STATEMENT.map((l) => (l === "Сумма=1994.77" ? `Сумма=${bad}` : l));
        refused(
          lines,
          lineOf(lines, `Сумма=${bad}`),
          /в поле Сумма .* — не сумма: нужны цифры с точкой перед копейками/,
        );
      }
      const zero = STATEMENT.map((l) => (l === "Сумма=250" ? "Сумма=0.00" : l));
      refused(zero, lineOf(zero, "Сумма=0.00"), /сумма документа 0/);
      const balance = STATEMENT.map((l) => (l === "ВсегоСписано=350" ? "ВсегоСписано=3 50" : l));
      refused(balance, lineOf(balance, "ВсегоСписано=3 50"), /в поле ВсегоСписано «3 50» — не сумма/);
      const negative = STATEMENT.map((l) => (l.startsWith("НачальныйОстаток") ? "НачальныйОстаток=-255.23" : l));
      expect(readExchangeFile(bytes(negative)).balances[0].opening!.toFixed(2)).to.equal("-255.23"); // an overdraft
    });

    it("a bad date or time", () => {
      for (const [from, to] of [
        ["Дата=24.11.2011", "Дата=31.11.2011"],
        ["ДатаПоступило=25.11.2011", "ДатаПоступило=2011-11-25"],
        ["ДатаНачала=24.11.2011", "ДатаНачала=24.11.11"],
        ["ДатаСоздания=01.12.2011", "ДатаСоздания=29.02.2011"],
      ]) {
        const lines = STATEMENT.map((l) => (l === from ? to : l));
        const field = to.split("=")[0];
        refused(lines, lineOf(lines, to), new RegExp(`в поле ${field} «.*» — не дата: нужна дата вида ДД\\.ММ\\.ГГГГ`));
      }
      const time = STATEMENT.map((l) => (l.startsWith("ВремяСоздания") ? "ВремяСоздания=25:00:00" : l));
      refused(time, 7, /ВремяСоздания «25:00:00» — не время/);
      const leap = STATEMENT.map((l) => (l === "Дата=24.11.2011" ? "Дата=29.02.2012" : l));
      expect(readExchangeFile(bytes(leap)).documents[0].date).to.equal("2012-02-29");
    });

    it("a document without its number, date or sum", () => {
      for (const field of ["Номер", "Дата", "Сумма"]) {
        const lines = [...HEADER(), ...INCOMING.filter((l) => !l.startsWith(`${field}=`)), "КонецФайла"];
        refused(
          lines,
          HEADER().length + 1,
          new RegExp(`документ «Платежное поручение» \\(строка 13\\): не заполнено поле ${field}`),
        );
      }
      const empty = [...HEADER(), ...INCOMING.map((l) => (l === "Номер=4711" ? "Номер=" : l)), "КонецФайла"];
      refused(empty, lineOf(empty, "Номер="), /не заполнено поле Номер/);
    });

    it("a line that is no field", () => {
      const lines = STATEMENT.map((l) => (l === "Очередность=5" ? "Очередность 5" : l));
      refused(lines, lineOf(lines, "Очередность 5"), /строка «Очередность 5» не вида «Реквизит=Значение»/);
      const noKey = STATEMENT.map((l) => (l === "Очередность=5" ? "=5" : l));
      refused(noKey, lineOf(noKey, "=5"), /не вида «Реквизит=Значение»/);
    });

    it("bytes that are not UTF-8 in a UTF-8 file", () => {
      const good = bytes([...HEADER("UTF-8"), ...INCOMING, "КонецФайла"], "utf8");
      const at = good.indexOf(Buffer.from("Калинин"));
      const bad = Buffer.concat([good.subarray(0, at), Buffer.from([0xca, 0xe0]), good.subarray(at + 4)]);
      const line = good.subarray(0, at).toString("utf8").split("\r\n").length;
      refused(bad, line, /байты строки не в кодировке UTF-8/);
    });
  });
});
