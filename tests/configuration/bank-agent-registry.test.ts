// The reader of payment agents' registers (metadata/common/bank/agent-registry.ts): «;»-separated
// lines account;period;sum;commission;date, an optional header, windows-1251 or UTF-8 told apart
// by the bytes, a decimal comma; every refusal names its line. No database.
import { expect } from "chai";
import iconv from "iconv-lite";
import { BankFileError } from "../../metadata/common/bank/text.ts";
import {
  readAgentRegistry,
  registryDate,
  registryPeriod,
  splitCells,
  type AgentRegistry,
} from "../../metadata/common/bank/agent-registry.ts";

const win = (lines: string[]) => iconv.encode(lines.join("\r\n") + "\r\n", "win1251");
const utf = (lines: string[]) => Buffer.from(lines.join("\n"), "utf8");
const plain = (r: AgentRegistry) =>
  r.lines.map((l) => [l.line, l.account, l.period, l.sum.toFixed(2), l.commission.toFixed(2), l.date]);

function refused(data: Buffer, line: number, reason: RegExp) {
  let caught: unknown;
  try {
    readAgentRegistry(data);
  } catch (e) {
    caught = e;
  }
  expect(caught, "the register must be refused").to.be.instanceOf(BankFileError);
  const err = caught as BankFileError;
  expect(err.reason).to.match(reason);
  expect(err.line, err.message).to.equal(line);
}

const REGISTER = [
  "Лицевой счет;Период;Сумма;Комиссия;Дата",
  "00000000001;11.2011;1994,77;19,95;24.11.2011",
  "00000000002;10.2011;1 500,00;15;25.11.2011 14:02:11",
  '"00000000003";"2011-11";"3500.5";"";"2011-11-25"',
  "",
  "00000000004;112011;250;0,00;26.11.2011;",
];
const EXPECTED = [
  [2, "00000000001", "2011-11-01", "1994.77", "19.95", "2011-11-24"],
  [3, "00000000002", "2011-10-01", "1500.00", "15.00", "2011-11-25"],
  [4, "00000000003", "2011-11-01", "3500.50", "0.00", "2011-11-25"],
  [6, "00000000004", "2011-11-01", "250.00", "0.00", "2011-11-26"],
];

describe("payment agent's register", function () {
  it("reads a windows-1251 register with a header, decimal commas, digit groups and quotes", () => {
    const r = readAgentRegistry(win(REGISTER));
    expect([r.encoding, r.header]).to.deep.equal(["windows-1251", true]);
    expect(plain(r)).to.deep.equal(EXPECTED);
    expect([r.total.sum.toFixed(2), r.total.commission.toFixed(2)]).to.deep.equal(["7245.27", "34.95"]);
  });

  it("reads the same register in UTF-8 (with or without BOM) and without a header", () => {
    const r = readAgentRegistry(utf(REGISTER));
    expect(r.encoding).to.equal("utf-8");
    expect(plain(r)).to.deep.equal(EXPECTED);
    const bom = readAgentRegistry(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf(REGISTER)]));
    expect(plain(bom)).to.deep.equal(EXPECTED);
    const noHeader = readAgentRegistry(win(REGISTER.slice(1)));
    expect(noHeader.header).to.equal(false);
    expect(plain(noHeader).map((l) => l[0])).to.deep.equal([1, 2, 3, 5]);
    const english = readAgentRegistry(utf(["account;period;sum;commission;date", REGISTER[1]]));
    expect([english.header, english.lines.length]).to.deep.equal([true, 1]);
  });

  it("checks a closing «Итого» line against the lines", () => {
    const ok = readAgentRegistry(win([...REGISTER, "Итого;;7 245,27;34,95;"]));
    expect(ok.lines).to.have.length(4);
    refused(win([...REGISTER, "ИТОГО;;7245,28;34,95;"]), 7, /итог по суммам 7245\.28, а строки реестра дают 7245\.27/);
    refused(win([...REGISTER, "Всего;;7245,27;35,00;"]), 7, /итог по комиссии 35\.00, а строки реестра дают 34\.95/);
    refused(win([...REGISTER, "Итого;;7245,27;34,95;", REGISTER[1]]), 8, /после строки итогов \(строка 7\)/);
  });

  it("refuses a line that is not a payment, with its line and column", () => {
    const at = (line: string) => win([REGISTER[0], REGISTER[1], line]);
    refused(
      at("00000000002;10.2011;1500,00;15"),
      3,
      /4 колонки вместо пяти: нужно «лицевой счет;период;сумма;комиссия;дата»/,
    );
    refused(at("00000000002,10.2011,1500.00,15,25.11.2011"), 3, /1 колонка вместо пяти/);
    refused(at("00000000002;10.2011;1500,00;15;25.11.2011;x"), 3, /6 колонок вместо пяти/);
    refused(at(";10.2011;1500,00;15;25.11.2011"), 3, /не заполнен лицевой счет/);
    refused(at("0000 0002;10.2011;1500,00;15;25.11.2011"), 3, /лицевой счет «0000 0002» с пробелом/);
    refused(at("00000000002;13.2011;1500,00;15;25.11.2011"), 3, /период «13\.2011» \(вторая колонка\) — не месяц/);
    refused(at("00000000002;ноябрь;1500,00;15;25.11.2011"), 3, /период «ноябрь»/);
    refused(at("00000000002;10.2011;1500,001;15;25.11.2011"), 3, /сумма «1500,001» \(третья колонка\)/);
    refused(at("00000000002;10.2011;-1500,00;15;25.11.2011"), 3, /сумма «-1500,00»/);
    refused(at("00000000002;10.2011;0,00;0;25.11.2011"), 3, /нужна сумма больше нуля/);
    refused(at("00000000002;10.2011;;15;25.11.2011"), 3, /сумма «» \(третья колонка\)/);
    refused(at("00000000002;10.2011;1500,00;пятнадцать;25.11.2011"), 3, /комиссия «пятнадцать» \(четвертая колонка\)/);
    refused(at("00000000002;10.2011;10,00;15;25.11.2011"), 3, /комиссия 15\.00 больше суммы платежа 10\.00/);
    refused(at("00000000002;10.2011;1500,00;15;31.11.2011"), 3, /дата «31\.11\.2011» \(пятая колонка\) — не дата/);
    refused(at('"00000000002;10.2011;1500,00;15;25.11.2011'), 3, /кавычка не закрыта/);
    refused(at('"00000000002"x;10.2011;1500,00;15;25.11.2011'), 3, /после закрывающей кавычки текст/);
    // a first line with a bad sum is no header: it is refused, not skipped
    refused(win(["00000000001;11.2011;abc;0;24.11.2011"]), 1, /сумма «abc»/);
    refused(win(["", "Лицевой счет;Период;Сумма;Комиссия;Дата", ""]), 0, /в реестре нет ни одного платежа/);
    refused(Buffer.alloc(0), 0, /нет ни одного платежа/);
  });

  it("reads periods, dates and cells in their usual spellings", () => {
    for (const [text, month] of [
      ["11.2011", "2011-11-01"],
      ["1.2012", "2012-01-01"],
      ["11/2011", "2011-11-01"],
      ["2011-11", "2011-11-01"],
      ["112011", "2011-11-01"],
      ["15.11.2011", "2011-11-01"],
      ["00.2011", null],
      ["2011", null],
      ["ноябрь 2011", null],
    ] as const)
      expect(registryPeriod(text), text).to.equal(month);
    expect(registryDate("24.11.2011 12:00")).to.equal("2011-11-24");
    expect(registryDate("2011-11-24T12:00:00")).to.equal("2011-11-24");
    expect(registryDate("2011-02-30")).to.equal(null);
    expect(splitCells('a; "b;c" ;"d""e";')).to.deep.equal(["a", "b;c", 'd"e', ""]);
    const r = readAgentRegistry(utf(["00000000001;;100;;"]));
    expect(plain(r)).to.deep.equal([[1, "00000000001", null, "100.00", "0.00", null]]);
  });
});
