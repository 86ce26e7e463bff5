/**
 * The bank statement reader on a generated statement of 10,000 incoming payments
 * (1CClientBankExchange 1.03, windows-1251, CR LF, ~45 fields a document as Sberbank's client
 * writes them): the parse alone (bytes → typed documents: decoding, sections, Decimal sums, ISO
 * dates), and the parse with the matching of every line (account and period from the purpose,
 * the line keys). No database. Prints the best and the median of 7 runs after a warm-up.
 * Run: npx tsx bench/bank-parse.ts [documents]
 */
import "./quiet-log.ts";
import iconv from "iconv-lite";
import { readExchangeFile } from "../metadata/common/bank/exchange-read.ts";
import { lineKeys } from "../metadata/common/bank/line-key.ts";
import { matchDocument } from "../metadata/common/bank/matching.ts";

const N = Number(process.argv[2] ?? 10_000);
const ACCOUNT = "40703810725000000123";
const MONTHS = [
  "январь",
  "февраль",
  "март",
  "апрель",
  "май",
  "июнь",
  "июль",
  "август",
  "сентябрь",
  "октябрь",
  "ноябрь",
  "декабрь",
];

function statement(n: number): Buffer {
  const out = [
    "1CClientBankExchange",
    "ВерсияФормата=1.03",
    "Кодировка=Windows",
    "Отправитель=Сбербанк Бизнес Онлайн",
    "Получатель=",
    "ДатаСоздания=01.12.2011",
    "ВремяСоздания=10:33:20",
    "ДатаНачала=01.11.2011",
    "ДатаКонца=30.11.2011",
    `РасчСчет=${ACCOUNT}`,
    "Документ=Платежное поручение",
  ];
  let total = 0;
  const docs: string[] = [];
  for (let i = 1; i <= n; i++) {
    const kopecks = 50_000 + ((i * 7919) % 1_500_000);
    total += kopecks;
    const day = String(1 + (i % 30)).padStart(2, "0");
    const account = String(1 + (i % 5000)).padStart(11, "0");
    const purpose =
      i % 10 === 0
        ? `Оплата коммунальных услуг кв. ${i % 300}, плательщик ${i}`
        : `Оплата за ЖКУ л/с ${account} за ${MONTHS[i % 12]} 2011 г. Без НДС`;
    docs.push(
      "СекцияДокумент=Платежное поручение",
      `Номер=${i}`,
      `Дата=${day}.11.2011`,
      `Сумма=${Math.floor(kopecks / 100)}.${String(kopecks % 100).padStart(2, "0")}`,
      "ПлательщикСчет=30232810425000000001",
      "ДатаСписано=",
      `Плательщик=Плательщик № ${i} Иванов Иван Иванович`,
      "ПлательщикИНН=",
      `Плательщик1=Плательщик № ${i} Иванов Иван Иванович`,
      "ПлательщикРасчСчет=30232810425000000001",
      "ПлательщикБанк1=КАРЕЛЬСКОЕ ОТДЕЛЕНИЕ N8628 ПАО СБЕРБАНК",
      "ПлательщикБанк2=г. Петрозаводск",
      "ПлательщикБИК=048602673",
      "ПлательщикКорсчет=30101810600000000673",
      `ПолучательСчет=${ACCOUNT}`,
      `ДатаПоступило=${day}.11.2011`,
      "Получатель=ИНН 1001234567 ТСЖ «Машенька»",
      "ПолучательИНН=1001234567",
      "Получатель1=ТСЖ «Машенька»",
      `ПолучательРасчСчет=${ACCOUNT}`,
      "ПолучательБанк1=КАРЕЛЬСКОЕ ОТДЕЛЕНИЕ N8628 ПАО СБЕРБАНК",
      "ПолучательБанк2=г. Петрозаводск",
      "ПолучательБИК=048602673",
      "ПолучательКорсчет=30101810600000000673",
      "ВидПлатежа=электронно",
      "ВидОплаты=01",
      "Код=0",
      "СтатусСоставителя=",
      "ПлательщикКПП=",
      "ПолучательКПП=100101001",
      "ПоказательКБК=",
      "ОКАТО=",
      "ПоказательОснования=",
      "ПоказательПериода=",
      "ПоказательНомера=",
      "ПоказательДаты=",
      "ПоказательТипа=",
      "Очередность=5",
      `НазначениеПлатежа=${purpose}`,
      "КонецДокумента",
    );
  }
  const money = (k: number) => `${Math.floor(k / 100)}.${String(k % 100).padStart(2, "0")}`;
  out.push(
    "СекцияРасчСчет",
    "ДатаНачала=01.11.2011",
    "ДатаКонца=30.11.2011",
    `РасчСчет=${ACCOUNT}`,
    "НачальныйОстаток=0.00",
    `ВсегоПоступило=${money(total)}`,
    "ВсегоСписано=0.00",
    `КонечныйОстаток=${money(total)}`,
    "КонецРасчСчет",
  );
  for (const l of docs) out.push(l);
  out.push("КонецФайла");
  return iconv.encode(`${out.join("\r\n")}\r\n`, "win1251");
}

/** Wall and CPU milliseconds of `run`: the best and the median of `runs` after a warm-up (CPU time shows the cost on a busy machine). */
function time(run: () => void, runs = 7): { best: number; median: number; cpu: number } {
  run(); // warm-up
  const t: number[] = [];
  const c: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    run();
    const used = process.cpuUsage(cpu);
    t.push(Number(process.hrtime.bigint() - start) / 1e6);
    c.push((used.user + used.system) / 1000);
  }
  t.sort((a, b) => a - b);
  c.sort((a, b) => a - b);
  return { best: t[0], median: t[Math.floor(t.length / 2)], cpu: c[Math.floor(c.length / 2)] };
}

const bytes = statement(N);
const check = readExchangeFile(bytes);
if (check.documents.length !== N || check.warnings.length > 0)
  throw new Error("the generated statement is not read back");
const matched = check.documents.filter((d) => matchDocument(d).account !== null).length;

const parse = time(() => readExchangeFile(bytes));
const all = time(() => {
  const f = readExchangeFile(bytes);
  for (const d of f.documents) matchDocument(d);
  lineKeys(f.documents);
});
const ms = (x: number) => `${x.toFixed(0).padStart(6)} ms`;
console.log(
  `statement: ${N} documents, ${(bytes.length / 1048576).toFixed(1)} MB windows-1251; ${matched} name an account`,
);
console.log("step                                  best wall  median wall  median CPU");
console.log(`parse (bytes → typed documents)      ${ms(parse.best)}    ${ms(parse.median)}   ${ms(parse.cpu)}`);
console.log(`parse + match every line + line keys ${ms(all.best)}    ${ms(all.median)}   ${ms(all.cpu)}`);
