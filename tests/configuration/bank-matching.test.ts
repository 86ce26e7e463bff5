// Matching a statement line (metadata/common/bank/matching.ts): the personal account and the
// period its purpose names, a legal payer by ИНН; and the line key for duplicate detection
// (metadata/common/bank/line-key.ts). Pure functions on realistic purposes, no database.
import { expect } from "chai";
import { Decimal } from "decimal.js";
import iconv from "iconv-lite";
import { readExchangeFile } from "../../metadata/common/bank/exchange-read.ts";
import { readAgentRegistry } from "../../metadata/common/bank/agent-registry.ts";
import {
  lineKey,
  lineKeys,
  numberRepeats,
  registryLineKey,
  registryLineKeys,
  type KeyedLine,
} from "../../metadata/common/bank/line-key.ts";
import {
  AccountPatternError,
  accountFromPurpose,
  accountPattern,
  isLegalInn,
  isValidInn,
  legalPayerByInn,
  matchDocument,
  matchPurpose,
} from "../../metadata/common/bank/matching.ts";

const account = (purpose: string, pattern?: string | RegExp) => {
  const m = accountFromPurpose(purpose, pattern);
  return m && "account" in m ? m.account : m;
};

describe("bank statement matching", function () {
  it("reads the account and the period of the usual purposes", () => {
    expect(matchPurpose("Оплата за ЖКУ л/с 00000000001 за ноябрь 2011")).to.deep.equal({
      account: "00000000001",
      ambiguousAccounts: [],
      period: "2011-11-01",
      periodError: null,
    });
    expect(matchPurpose("Квартплата лиц.счет 123 10.2011")).to.deep.equal({
      account: "123",
      ambiguousAccounts: [],
      period: "2011-10-01",
      periodError: null,
    });
    expect(matchPurpose("ЖКУ;ЛС:00000000003;ПЕРИОД:112011;СУММА:1500.00")).to.include({ account: "00000000003" });
    expect(
      matchPurpose("Плата за жилое помещение и КУ по лицевому счету № 00000000002 за октябрь 2011 г. Без НДС"),
    ).to.include({
      account: "00000000002",
      period: "2011-10-01",
    });
  });

  it("knows the ways payers write «лицевой счет»", () => {
    for (const [purpose, expected] of [
      ["л/с 00000000001", "00000000001"],
      ["Л/С № 00000000001", "00000000001"],
      ["ЛС00000000001 кв.1", "00000000001"],
      ["лс: 12345", "12345"],
      ["л.с. 12345 Иванов", "12345"],
      ["Л.С.№12345", "12345"],
      ["по л/сч 12345", "12345"],
      ["лиц. сч. 12345", "12345"],
      ["лицевой счет №00000000001", "00000000001"],
      ["ЛИЦЕВОЙ СЧЕТ 00000000001", "00000000001"],
      ["лицевого счета 00000000001", "00000000001"],
      ["Оплата по лиц/счету N 4567", "4567"],
      ["(л/с 00000000004) вывоз мусора", "00000000004"],
    ] as const)
      expect(account(purpose), purpose).to.equal(expected);
  });

  it("finds no account where there is none", () => {
    for (const purpose of [
      "Оплата коммунальных услуг, кв. 5, Морозова А.П. НДС не облагается",
      "Оплата по договору 12345 от 01.11.2011",
      "Квартплата кв. 12 д. 55 ул. Балтийская за ноябрь 2011",
      "КЛС 12345", // a letter before «ЛС»: another word
      "ЕЛС 1234567890", // the единый лицевой счет of ГИС ЖКХ is another number
      "Оплата за физ. лицо счет 4567 от 01.11.2011", // an invoice («счет») of a person («лицо»)
      "л/с 12", // too short: a flat or house number, not an account
      "л/с 1234567890123", // 13 digits: no account number, and not cut to 12
      "",
    ])
      expect(accountFromPurpose(purpose), purpose).to.equal(null);
    expect(accountFromPurpose(null)).to.equal(null);
    expect(matchPurpose("Оплата коммунальных услуг, кв. 5")).to.deep.equal({
      account: null,
      ambiguousAccounts: [],
      period: null,
      periodError: null,
    });
  });

  it("takes no account when the purpose names two different ones", () => {
    expect(accountFromPurpose("Оплата л/с 00000000001 и л/с 00000000002 за ноябрь 2011")).to.deep.equal({
      ambiguous: ["00000000001", "00000000002"],
    });
    expect(matchPurpose("Оплата л/с 00000000001 и л/с 00000000002 за ноябрь 2011")).to.deep.equal({
      account: null,
      ambiguousAccounts: ["00000000001", "00000000002"],
      period: "2011-11-01",
      periodError: null,
    });
    // the same number twice is one account
    expect(account("л/с 00000000001 (лицевой счет 00000000001) за 11.2011")).to.equal("00000000001");
    // a second number that is no account (a receipt number) does not disturb
    expect(account("Квитанция 778899 л/с 00000000001")).to.equal("00000000001");
  });

  it("reports a period that is no month, and does not read the account as a period", () => {
    expect(matchPurpose("л/с 00000000001 за 13.2011")).to.deep.equal({
      account: "00000000001",
      ambiguousAccounts: [],
      period: null,
      periodError: "«13.2011» — нет такого месяца",
    });
    // with a pattern that takes short numbers, «л/с 11.2011 …» would otherwise name a period
    const short = "(?:л/с)\\s*(?<account>\\d{1,12}\\.\\d{4})";
    expect(matchPurpose("л/с 11.2011 оплата", short)).to.include({ account: "11.2011", period: null });
  });

  it("takes a configured pattern, as a string or a RegExp, and refuses one without the group", () => {
    expect(account("ЖКУ ЛС-7781 ноябрь", "ЛС-(?<account>\\d+)")).to.equal("7781");
    expect(account("жку лс-7781 ноябрь", /ЛС-(?<account>\d+)/)).to.equal("7781"); // always case-insensitive
    expect(account("Квартплата лиц.счет 123 10.2011", "лиц\\.счет\\s+(?<account>\\d{1,12})")).to.equal("123");
    expect(account("ЖКУ ЛС-7781", "л/с (?<account>\\d+)")).to.equal(null);
    expect(() => accountPattern("л/с (\\d+)")).to.throw(AccountPatternError, /нет именованной группы \(\?<account>…\)/);
    expect(() => accountPattern("л/с (?<account>\\d+")).to.throw(AccountPatternError, /не регулярное выражение/);
  });

  it("checks ИНН by its control digits and finds a legal payer by it", () => {
    for (const inn of ["7707083893", "7830002293", "500100732259"]) expect(isValidInn(inn), inn).to.equal(true);
    for (const inn of ["7707083894", "500100732258", "0", "0000000000", "111111111", "77070838931", "77O7083893", ""])
      expect(isValidInn(inn), inn).to.equal(false);
    expect([isLegalInn("7707083893"), isLegalInn("500100732259")]).to.deep.equal([true, false]);
    const counterparties = new Map([
      ["7830002293", { id: "c1", name: "ООО «Ромашка»" }],
      ["7707083894", { id: "bad", name: "ИНН с ошибкой" }],
    ]);
    expect(legalPayerByInn("7830002293", counterparties)).to.deep.equal({ id: "c1", name: "ООО «Ромашка»" });
    expect(legalPayerByInn(" 7830002293 ", counterparties)?.id).to.equal("c1");
    expect(legalPayerByInn("7707083893", counterparties)).to.equal(null); // valid, unknown
    expect(legalPayerByInn("7707083894", counterparties)).to.equal(null); // mistyped: never looked up
    expect(legalPayerByInn("", counterparties)).to.equal(null);
    expect(legalPayerByInn(null, counterparties)).to.equal(null);
  });

  it("matches a statement document: purpose and payer's ИНН", () => {
    const payer = (inn: string) => ({ payer: { inn } as never });
    expect(matchDocument({ purpose: "Аренда помещения за ноябрь 2011", ...payer("7830002293") })).to.deep.equal({
      account: null,
      ambiguousAccounts: [],
      period: "2011-11-01",
      periodError: null,
      payerInn: "7830002293",
    });
    expect(matchDocument({ purpose: "Оплата за ЖКУ л/с 00000000001", ...payer("") })).to.include({
      account: "00000000001",
      payerInn: null,
    });
    expect(matchDocument({ purpose: "x", ...payer("1234567890") }).payerInn).to.equal(null);
  });
});

describe("bank statement line key", function () {
  const line = (over: Partial<KeyedLine> = {}): KeyedLine => ({
    number: "4711",
    date: "2011-11-24",
    sum: new Decimal("1994.77"),
    payer: { account: "30232810425000000001" },
    ...over,
  });

  it("is the bank's number, the date, the sum and the payer's account, normalized", () => {
    expect(lineKey(line())).to.equal("4711|2011-11-24|1994.77|30232810425000000001");
    expect(lineKey(line({ number: " 0004711 ", sum: new Decimal("1994.770") }))).to.equal(lineKey(line()));
    expect(lineKey(line({ sum: new Decimal(1500) }))).to.equal("4711|2011-11-24|1500.00|30232810425000000001");
    expect(lineKey(line({ number: "0" }))).to.equal("0|2011-11-24|1994.77|30232810425000000001");
    expect(lineKey(line({ payer: { account: "30232 81042 5000000001" } }))).to.equal(lineKey(line()));
    for (const other of [
      line({ number: "4712" }),
      line({ date: "2011-11-25" }),
      line({ sum: new Decimal("1994.78") }),
      line({ payer: { account: "30232810425000000002" } }),
    ])
      expect(lineKey(other)).not.to.equal(lineKey(line()));
  });

  it("escapes separators so that parts never run together", () => {
    const a = lineKey(line({ number: "1|2011-11-24" }));
    expect(a).to.equal("1\\|2011-11-24|2011-11-24|1994.77|30232810425000000001");
    expect(a).not.to.equal(lineKey(line({ number: "1" })));
    expect(lineKey(line({ number: "5#2" }))).to.equal("5\\#2|2011-11-24|1994.77|30232810425000000001");
  });

  it("numbers repeats within one file, the same way each time the file is read", () => {
    const keys = lineKeys([line(), line({ number: "4712" }), line(), line({ number: "004711" })]);
    const base = lineKey(line());
    expect(keys).to.deep.equal([base, lineKey(line({ number: "4712" })), `${base}#2`, `${base}#3`]);
    expect(new Set(keys).size).to.equal(4);

    const file = (docs: string[][]) =>
      iconv.encode(
        [
          "1CClientBankExchange",
          "ВерсияФормата=1.03",
          "Кодировка=Windows",
          "РасчСчет=40703810725000000123",
          ...docs.flat(),
          "КонецФайла",
        ].join("\r\n"),
        "win1251",
      );
    const doc = (n: string, sum: string) => [
      "СекцияДокумент=Платежное поручение",
      `Номер=${n}`,
      "Дата=24.11.2011",
      `Сумма=${sum}`,
      "ПлательщикСчет=30232810425000000001",
      "ПолучательСчет=40703810725000000123",
      "КонецДокумента",
    ];
    const bytes = file([doc("1", "100"), doc("2", "100"), doc("1", "100.00")]);
    const first = lineKeys(readExchangeFile(bytes).documents);
    expect(first).to.deep.equal([
      "1|2011-11-24|100.00|30232810425000000001",
      "2|2011-11-24|100.00|30232810425000000001",
      "1|2011-11-24|100.00|30232810425000000001#2",
    ]);
    expect(lineKeys(readExchangeFile(bytes).documents)).to.deep.equal(first);
  });

  it("keys a payment agent's register lines by account, period, sum, commission and date", () => {
    const r = readAgentRegistry(
      Buffer.from(
        [
          "00000000001;11.2011;1994,77;19,95;24.11.2011",
          "00000000002;;100;;",
          "00000000001;11.2011;1994.77;19.95;2011-11-24",
          "00000000001;11.2011;1994,77;19,95;25.11.2011",
        ].join("\n"),
      ),
    );
    expect(registryLineKey(r.lines[0])).to.equal("00000000001|2011-11-01|1994.77|19.95|2011-11-24");
    expect(registryLineKey(r.lines[1])).to.equal("00000000002||100.00|0.00|");
    expect(registryLineKeys(r.lines)).to.deep.equal([
      "00000000001|2011-11-01|1994.77|19.95|2011-11-24",
      "00000000002||100.00|0.00|",
      "00000000001|2011-11-01|1994.77|19.95|2011-11-24#2",
      "00000000001|2011-11-01|1994.77|19.95|2011-11-25",
    ]);
    expect(numberRepeats(["a", "b", "a", "a"])).to.deep.equal(["a", "b", "a#2", "a#3"]);
  });
});
