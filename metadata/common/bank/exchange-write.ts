/**
 * The writer of outgoing payment orders in the exchange format the bank client imports
 * (`1CClientBankExchange` 1.03, «СекцияДокумент=Платежное поручение»), windows-1251 by default,
 * CR LF line ends — the file exchange-read.ts reads back to the same documents. A value the
 * format cannot carry (a line break, a character the encoding lacks, a sum that is not kopecks,
 * a purpose longer than the 210 characters of a payment order) is refused with a
 * BankExportError naming the order and the field, never written mangled. Pure: objects in, bytes out.
 */
import { Decimal } from "decimal.js";
import type { BankParty } from "./exchange-read.ts";
import { type BankEncoding, encodeText, toRussianDate } from "./text.ts";

export class BankExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BankExportError";
  }
}

/** A side of the order; the fields not given are written empty. */
export type OrderParty = Pick<BankParty, "account" | "name"> & Partial<BankParty>;

export interface PaymentOrder {
  number: string;
  /** 'YYYY-MM-DD'. */
  date: string;
  /** More than zero, at most kopecks. */
  sum: Decimal | string;
  payer: OrderParty;
  recipient: OrderParty;
  /** НазначениеПлатежа: up to 210 characters, one line. */
  purpose: string;
  /** ВидПлатежа: "" (electronic, the usual), «срочно»… */
  paymentKind?: string;
  /** ВидОплаты: "01" (a payment order) unless given. */
  operationKind?: string;
  /** Очередность: "5" unless given. */
  priority?: string;
  /** Код (УИН): "0" unless given. */
  code?: string;
  /** More fields written as given after the usual ones (СтатусСоставителя, ПоказательКБК, ОКАТО…). */
  extra?: Record<string, string>;
}

export interface ExchangeWriteOptions {
  /** РасчСчет: the organization's account the orders are paid from. */
  account: string;
  /** ДатаНачала / ДатаКонца: the orders' earliest and latest dates unless given. */
  dateFrom?: string;
  dateTo?: string;
  /** Отправитель: this program unless given. */
  sender?: string;
  /** Получатель: the bank client's name, "" unless given. */
  receiver?: string;
  /** ДатаСоздания / ВремяСоздания: 'YYYY-MM-DDTHH:MM:SS' (local time of the organization); now unless given. */
  created?: string;
  /** windows-1251 unless given. */
  encoding?: BankEncoding;
}

export const DEFAULT_SENDER = "ЖКХ: облачная бухгалтерия";
export const PURPOSE_MAX = 210;
const DECLARED: Record<BankEncoding, string> = { "windows-1251": "Windows", cp866: "DOS", "utf-8": "UTF-8" };
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function orderLines(o: PaymentOrder, where: string): [string, string][] {
  if (!ISO_DATE.test(o.date)) throw new BankExportError(`${where}: дата «${o.date}» не вида ГГГГ-ММ-ДД`);
  let sum: Decimal;
  try {
    sum = new Decimal(o.sum);
  } catch {
    throw new BankExportError(`${where}: сумма «${String(o.sum)}» — не число`);
  }
  if (sum.lte(0) || sum.decimalPlaces() > 2)
    throw new BankExportError(`${where}: сумма ${sum.toString()} — нужна больше нуля и не точнее копеек`);
  if (o.purpose.trim() === "") throw new BankExportError(`${where}: не заполнено назначение платежа`);
  if (o.purpose.length > PURPOSE_MAX)
    throw new BankExportError(
      `${where}: назначение платежа длиннее ${PURPOSE_MAX} символов (${o.purpose.length}) — сократите его`,
    );
  const side = (p: OrderParty, prefix: "Плательщик" | "Получатель"): [string, string][] => [
    [`${prefix}Счет`, p.account],
    [prefix, p.name],
    [`${prefix}ИНН`, p.inn ?? ""],
    [`${prefix}КПП`, p.kpp ?? ""],
    [`${prefix}1`, p.name],
    [`${prefix}РасчСчет`, p.checkingAccount || p.account],
    [`${prefix}Банк1`, p.bank ?? ""],
    [`${prefix}Банк2`, p.bankCity ?? ""],
    [`${prefix}БИК`, p.bic ?? ""],
    [`${prefix}Корсчет`, p.correspondentAccount ?? ""],
  ];
  return [
    ["Номер", o.number],
    ["Дата", toRussianDate(o.date)],
    ["Сумма", sum.toFixed(2)],
    ...side(o.payer, "Плательщик"),
    ...side(o.recipient, "Получатель"),
    ["ВидПлатежа", o.paymentKind ?? ""],
    ["ВидОплаты", o.operationKind ?? "01"],
    ["Код", o.code ?? "0"],
    ["Очередность", o.priority ?? "5"],
    ...Object.entries(o.extra ?? {}),
    ["НазначениеПлатежа", o.purpose],
  ];
}

function nowLocal(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** The exchange file of `orders` (at least one) paid from `options.account`. */
export function writeExchangeFile(orders: readonly PaymentOrder[], options: ExchangeWriteOptions): Buffer {
  if (orders.length === 0) throw new BankExportError("Нет платежных поручений для выгрузки");
  if (options.account.trim() === "") throw new BankExportError("Не указан расчетный счет организации");
  const encoding = options.encoding ?? "windows-1251";
  const created = options.created ?? nowLocal();
  const dates = orders.map((o) => o.date).sort();
  const dateFrom = options.dateFrom ?? dates[0];
  const dateTo = options.dateTo ?? dates[dates.length - 1];
  for (const [name, d] of [
    ["ДатаНачала", dateFrom],
    ["ДатаКонца", dateTo],
    ["ДатаСоздания", created.slice(0, 10)],
  ])
    if (!ISO_DATE.test(d)) throw new BankExportError(`${name}: дата «${d}» не вида ГГГГ-ММ-ДД`);

  const out: string[] = ["1CClientBankExchange"];
  const put = (key: string, value: string, where: string) => {
    if (!/^[^\s=]+$/.test(key))
      throw new BankExportError(`${where}: имя поля «${key}» с пробелом или «=» — так поле не записать`);
    if (/[\r\n]/.test(value))
      throw new BankExportError(`${where}: в поле ${key} перевод строки — формат обмена держит одну строку на поле`);
    out.push(`${key}=${value.trim()}`);
  };
  const head = "Заголовок файла";
  put("ВерсияФормата", "1.03", head);
  put("Кодировка", DECLARED[encoding], head);
  put("Отправитель", options.sender ?? DEFAULT_SENDER, head);
  put("Получатель", options.receiver ?? "", head);
  put("ДатаСоздания", toRussianDate(created.slice(0, 10)), head);
  put("ВремяСоздания", created.length >= 19 ? created.slice(11, 19) : "00:00:00", head);
  put("ДатаНачала", toRussianDate(dateFrom), head);
  put("ДатаКонца", toRussianDate(dateTo), head);
  put("РасчСчет", options.account, head);
  put("Документ", "Платежное поручение", head);
  for (const o of orders) {
    const where = `Платежное поручение № ${o.number}`;
    out.push("СекцияДокумент=Платежное поручение");
    for (const [k, v] of orderLines(o, where)) put(k, v, where);
    out.push("КонецДокумента");
  }
  out.push("КонецФайла");
  const text = `${out.join("\r\n")}\r\n`;
  return encodeText(text, encoding, (ch) => {
    const at = out.find((l) => l.includes(ch)) ?? "";
    throw new BankExportError(
      `Символа «${ch}» нет в кодировке ${encoding} (строка «${at.slice(0, 60)}») — замените его или выгрузите в UTF-8`,
    );
  });
}
