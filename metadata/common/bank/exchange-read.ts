/**
 * The reader of the exchange format banks' clients give to 1C — «Стандарт обмена с системами
 * "Клиент банка"» (`1CClientBankExchange`, versions 1.01–1.03): a text of `Реквизит=Значение`
 * lines,
 *
 *     1CClientBankExchange
 *     ВерсияФормата=1.03            header: ВерсияФормата, Кодировка (Windows | DOS | UTF-8),
 *     Кодировка=Windows             Отправитель, Получатель, ДатаСоздания, ВремяСоздания,
 *     …                             ДатаНачала, ДатаКонца, РасчСчет (one or more), Документ
 *     СекцияРасчСчет                per account: ДатаНачала, ДатаКонца, РасчСчет, НачальныйОстаток,
 *     …                             ВсегоПоступило, ВсегоСписано, КонечныйОстаток
 *     КонецРасчСчет
 *     СекцияДокумент=Платежное поручение
 *     Номер=…  Дата=…  Сумма=…      the document's fields (see ExchangeDocument)
 *     КонецДокумента
 *     КонецФайла
 *
 * The bytes are decoded as the file is written: the bytes of the key «Кодировка» show whether
 * it is windows-1251, cp866 (DOS) or UTF-8; its value must name a known encoding (a file whose
 * value disagrees with its bytes is read as the bytes are, with a warning). A file that is not
 * well formed — no header line, a section never closed, a sum or date that is none, an unknown
 * encoding or version, no КонецФайла — is refused with a BankFileError naming the line.
 * Unknown fields are kept (`fields`); dates come out as 'YYYY-MM-DD', sums as Decimals.
 * Pure: bytes in, objects out, no database.
 */
import type { Decimal } from "decimal.js";
import {
  BankFileError,
  type BankEncoding,
  decodeBytes,
  hasUtf8Bom,
  moneyText,
  russianDate,
  russianTime,
  splitLines,
} from "./text.ts";
import iconv from "iconv-lite";

export { BankFileError, type BankEncoding } from "./text.ts";

export const EXCHANGE_SIGNATURE = "1CClientBankExchange";
export const SUPPORTED_VERSIONS = ["1.01", "1.02", "1.03"] as const;

/** A field as read: its value (trimmed) and the 1-based line it stands on. */
export interface ExchangeField {
  value: string;
  line: number;
}

/** One side of a payment (ПлательщикXxx / ПолучательXxx); a field the file lacks is "". */
export interface BankParty {
  /** …Счет: the account in the statement (the one the money left / came to). */
  account: string;
  /** …1, or … without the «ИНН 1234567890 » prefix 1C puts there. */
  name: string;
  /** …ИНН ("" when the bank wrote 0 or nothing). */
  inn: string;
  /** …КПП ("" when 0 or nothing). */
  kpp: string;
  /** …РасчСчет: the settlement account (differs from `account` for payments through a correspondent bank). */
  checkingAccount: string;
  /** …Банк1: the bank's name. */
  bank: string;
  /** …Банк2: the bank's city. */
  bankCity: string;
  /** …БИК. */
  bic: string;
  /** …Корсчет. */
  correspondentAccount: string;
}

export type Direction = "incoming" | "outgoing" | "unknown";

export interface ExchangeDocument {
  /** The line of «СекцияДокумент=…». */
  line: number;
  /** The document's kind: «Платежное поручение», «Банковский ордер», «Мемориальный ордер»… */
  kind: string;
  /** Номер as written (banks' numbers are not always digits). */
  number: string;
  /** Дата, 'YYYY-MM-DD'. */
  date: string;
  /** Сумма, > 0, at most kopecks. */
  sum: Decimal;
  payer: BankParty;
  recipient: BankParty;
  /** НазначениеПлатежа, or НазначениеПлатежа1…6 joined with spaces when it is empty. */
  purpose: string;
  /** ДатаПоступило, 'YYYY-MM-DD' or null. */
  receivedDate: string | null;
  /** ДатаСписано, 'YYYY-MM-DD' or null. */
  writtenOffDate: string | null;
  /**
   * To the statement's account (its recipient's account is one of the file's РасчСчет) or from
   * it (the payer's is); by ДатаПоступило / ДатаСписано when the accounts do not tell.
   */
  direction: Direction;
  /** The day the money moved: ДатаПоступило for incoming, ДатаСписано for outgoing, else Дата. */
  operationDate: string;
  /** ВидПлатежа («электронно», «срочно»…), ВидОплаты (01…), Очередность, Код (УИН); "" when absent. */
  paymentKind: string;
  operationKind: string;
  priority: string;
  code: string;
  /** Every field of the section as read (later of a repeated key wins), budget fields included. */
  fields: Record<string, string>;
}

export interface AccountSection {
  /** The line of «СекцияРасчСчет». */
  line: number;
  account: string;
  dateFrom: string | null;
  dateTo: string | null;
  /** НачальныйОстаток, ВсегоПоступило, ВсегоСписано, КонечныйОстаток (null when absent). */
  opening: Decimal | null;
  received: Decimal | null;
  writtenOff: Decimal | null;
  closing: Decimal | null;
  fields: Record<string, string>;
}

export interface ExchangeFile {
  /** ВерсияФормата: "1.02", "1.03"… */
  version: string;
  /** The encoding the bytes were read in. */
  encoding: BankEncoding;
  /** Кодировка as written («Windows», «DOS», «UTF-8»). */
  declaredEncoding: string;
  sender: string;
  receiver: string;
  createdDate: string | null;
  createdTime: string | null;
  dateFrom: string | null;
  dateTo: string | null;
  /** РасчСчет of the header (one line per account), then those of the СекцияРасчСчет not named there. */
  accounts: string[];
  /** Документ= lines of the header: the kinds the file was asked for. */
  documentKinds: string[];
  balances: AccountSection[];
  documents: ExchangeDocument[];
  /** Not fatal: a Кодировка that disagrees with the bytes, balances that do not add up. */
  warnings: string[];
  /** The header's fields as read (repeated keys: the last). */
  header: Record<string, string>;
}

const ENCODING_NAMES: Record<string, BankEncoding> = {
  windows: "windows-1251",
  "windows-1251": "windows-1251",
  cp1251: "windows-1251",
  dos: "cp866",
  cp866: "cp866",
  "utf-8": "utf-8",
  utf8: "utf-8",
};

const ENCODING_KEY = "Кодировка";
const PROBES: [BankEncoding, Buffer][] = (["windows-1251", "utf-8", "cp866"] as const).map((e) => [
  e,
  e === "utf-8" ? Buffer.from(ENCODING_KEY, "utf8") : iconv.encode(ENCODING_KEY, e === "cp866" ? "cp866" : "win1251"),
]);

/**
 * The encoding the bytes are in: UTF-8 with a BOM; else the encoding in which the key
 * «Кодировка» is found in the first 64 KB; windows-1251 when it is nowhere (the header check
 * then says it is missing).
 */
export function detectExchangeEncoding(bytes: Uint8Array): BankEncoding {
  if (hasUtf8Bom(bytes)) return "utf-8";
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 65536));
  let best: [BankEncoding, number] | null = null;
  for (const [enc, probe] of PROBES) {
    const at = head.indexOf(probe);
    if (at >= 0 && (best === null || at < best[1])) best = [enc, at];
  }
  return best ? best[0] : "windows-1251";
}

const isUtf16 = (b: Uint8Array) =>
  b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff));

type Fields = Map<string, ExchangeField>;

interface OpenSection {
  kind: "account" | "document";
  line: number;
  docKind: string;
  fields: Fields;
}

const SECTION_END: Record<OpenSection["kind"], string> = { account: "КонецРасчСчет", document: "КонецДокумента" };
const SECTION_START: Record<OpenSection["kind"], string> = {
  account: "СекцияРасчСчет",
  document: "СекцияДокумент",
};
const show = (s: string) => (s.length > 60 ? `${s.slice(0, 60)}…` : s);

/** Reads a statement / payment file of the exchange format (see the top of this file). */
export function readExchangeFile(bytes: Uint8Array): ExchangeFile {
  if (bytes.byteLength === 0) throw new BankFileError(0, "файл пуст: выгрузите выписку из клиент-банка еще раз");
  if (isUtf16(bytes))
    throw new BankFileError(
      1,
      "файл в кодировке UTF-16 — выгрузите выписку в кодировке Windows (windows-1251) или UTF-8",
    );
  const encoding = detectExchangeEncoding(bytes);
  const lines = splitLines(decodeBytes(bytes, encoding));
  return parseExchangeText(lines, encoding);
}

/** The lines of an already decoded file; `encoding` is what the bytes were read in. */
export function parseExchangeText(lines: readonly string[], encoding: BankEncoding): ExchangeFile {
  const header: Fields = new Map();
  const headerAccounts: ExchangeField[] = [];
  const kinds: string[] = [];
  const sections: OpenSection[] = [];
  let open: OpenSection | null = null;
  let started = 0; // the signature's line
  let endLine = 0;
  let last = 0;

  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const line = lines[i].trim();
    if (line === "") continue;
    last = n;
    if (endLine > 0)
      throw new BankFileError(
        n,
        `после строки КонецФайла (строка ${endLine}) есть еще данные «${show(line)}» — ` +
          "файл склеен из нескольких или испорчен; загрузите каждую выписку отдельным файлом",
      );
    if (!started) {
      // some banks' clients write the «С» of «1С» in Cyrillic: «1СClientBankExchange»
      if (line.replace(/^1\u0421/, "1C") !== EXCHANGE_SIGNATURE)
        throw new BankFileError(
          n,
          `это не файл обмена с клиент-банком: первая строка должна быть «${EXCHANGE_SIGNATURE}», а здесь «${show(line)}». ` +
            "Выгрузите выписку из клиент-банка в формате 1С (1CClientBankExchange)",
        );
      started = n;
      continue;
    }
    const eq = line.indexOf("=");
    const key = (eq >= 0 ? line.slice(0, eq) : line).trim();
    const value = eq >= 0 ? line.slice(eq + 1).trim() : "";

    const startKind: OpenSection["kind"] | null =
      key === "СекцияРасчСчет" ? "account" : key === "СекцияДокумент" ? "document" : null;
    const isEnd = key === "КонецРасчСчет" || key === "КонецДокумента";
    if (startKind || isEnd || key === "КонецФайла") {
      if (open && !(isEnd && key === SECTION_END[open.kind]))
        throw new BankFileError(
          n,
          `секция ${SECTION_START[open.kind]}${open.docKind ? `=${open.docKind}` : ""}, начатая в строке ${open.line}, ` +
            `не закрыта: перед «${show(line)}» нужна строка ${SECTION_END[open.kind]}`,
        );
      if (isEnd) {
        if (!open)
          throw new BankFileError(
            n,
            `${key} без начала секции: перед ней нет строки ${key === "КонецРасчСчет" ? "СекцияРасчСчет" : "СекцияДокумент=…"}`,
          );
        sections.push(open);
        open = null;
        continue;
      }
      if (key === "КонецФайла") {
        endLine = n;
        continue;
      }
      if (startKind === "document" && value === "")
        throw new BankFileError(
          n,
          "у секции документа не указан вид: нужно «СекцияДокумент=Платежное поручение» (или другой вид документа)",
        );
      open = { kind: startKind!, line: n, docKind: startKind === "document" ? value : "", fields: new Map() };
      continue;
    }
    if (eq < 0 || key === "")
      throw new BankFileError(
        n,
        `строка «${show(line)}» не вида «Реквизит=Значение» и не начало или конец секции — исправьте или удалите ее`,
      );
    if (open) open.fields.set(key, { value, line: n });
    else {
      if (key === "РасчСчет") headerAccounts.push({ value, line: n });
      else if (key === "Документ") kinds.push(value);
      header.set(key, { value, line: n });
    }
  }
  if (!started) throw new BankFileError(0, "файл пуст: в нем нет ни одной строки");
  if (open)
    throw new BankFileError(
      open.line,
      `секция ${SECTION_START[open.kind]}${open.docKind ? `=${open.docKind}` : ""} не закрыта: файл кончился, ` +
        `а строки ${SECTION_END[open.kind]} нет — файл выгружен не полностью, выгрузите его еще раз`,
    );
  if (endLine === 0)
    throw new BankFileError(
      last,
      "файл оборван: в конце нет строки КонецФайла — выгрузите выписку из клиент-банка еще раз",
    );
  return build(header, headerAccounts, kinds, sections, encoding, started);
}

function required(fields: Fields, key: string, where: string, line: number): ExchangeField {
  const f = fields.get(key);
  if (!f || f.value === "") throw new BankFileError(f?.line ?? line, `${where}: не заполнено поле ${key}`);
  return f;
}

function dateOf(fields: Fields, key: string): string | null {
  const f = fields.get(key);
  if (!f || f.value === "") return null;
  const d = russianDate(f.value);
  if (d === null)
    throw new BankFileError(f.line, `в поле ${key} «${show(f.value)}» — не дата: нужна дата вида ДД.ММ.ГГГГ`);
  return d;
}

function sumOf(fields: Fields, key: string, negative: boolean): Decimal | null {
  const f = fields.get(key);
  if (!f || f.value === "") return null;
  const d = moneyText(f.value, { negative });
  if (d === null)
    throw new BankFileError(
      f.line,
      `в поле ${key} «${show(f.value)}» — не сумма: нужны цифры с точкой перед копейками, например 1500.00`,
    );
  return d;
}

const text = (fields: Fields, key: string) => fields.get(key)?.value ?? "";
const code = (v: string) => (/^0+$/.test(v) ? "" : v);
function record(fields: Fields): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, f] of fields)
    if (k === "__proto__") Object.defineProperty(out, k, { value: f.value, enumerable: true, writable: true });
    else out[k] = f.value;
  return out;
}

function party(fields: Fields, side: "Плательщик" | "Получатель"): BankParty {
  const f = (suffix: string) => text(fields, side + suffix);
  return {
    account: f("Счет") || f("РасчСчет"),
    name: f("1") || f("").replace(/^ИНН\s+\d+\s+/, ""),
    inn: code(f("ИНН")),
    kpp: code(f("КПП")),
    checkingAccount: f("РасчСчет"),
    bank: f("Банк1"),
    bankCity: f("Банк2"),
    bic: f("БИК"),
    correspondentAccount: f("Корсчет"),
  };
}

function build(
  header: Fields,
  headerAccounts: ExchangeField[],
  documentKinds: string[],
  sections: OpenSection[],
  encoding: BankEncoding,
  signatureLine: number,
): ExchangeFile {
  const warnings: string[] = [];
  const enc = header.get(ENCODING_KEY);
  if (!enc || enc.value === "")
    throw new BankFileError(
      enc?.line ?? signatureLine,
      "в заголовке файла нет строки Кодировка (Кодировка=Windows, DOS или UTF-8) — выгрузите выписку из клиент-банка еще раз",
    );
  const declared = ENCODING_NAMES[enc.value.toLowerCase()];
  if (!declared)
    throw new BankFileError(
      enc.line,
      `неизвестная кодировка «${show(enc.value)}»: читаются Windows (windows-1251), DOS (cp866) и UTF-8 — ` +
        "выгрузите выписку в одной из них",
    );
  if (declared !== encoding)
    warnings.push(`В заголовке Кодировка=${enc.value}, а файл записан в ${encoding}: прочитан как ${encoding}.`);
  const version = required(header, "ВерсияФормата", "в заголовке файла", signatureLine);
  if (!(SUPPORTED_VERSIONS as readonly string[]).includes(version.value))
    throw new BankFileError(
      version.line,
      `версия формата «${show(version.value)}» не поддерживается: читаются ${SUPPORTED_VERSIONS.join(", ")} — ` +
        "выгрузите выписку в формате 1.03",
    );
  const created = header.get("ВремяСоздания");
  const createdTime = created && created.value !== "" ? russianTime(created.value) : null;
  if (created && created.value !== "" && createdTime === null)
    throw new BankFileError(created.line, `в поле ВремяСоздания «${show(created.value)}» — не время: нужно ЧЧ:ММ:СС`);

  const createdDate = dateOf(header, "ДатаСоздания");
  const dateFrom = dateOf(header, "ДатаНачала");
  const dateTo = dateOf(header, "ДатаКонца");
  const balances: AccountSection[] = [];
  const documents: ExchangeDocument[] = [];
  const accounts = headerAccounts.map((f) => f.value).filter((a) => a !== "");
  for (const s of sections) {
    if (s.kind !== "account") continue;
    const b: AccountSection = {
      line: s.line,
      account: text(s.fields, "РасчСчет"),
      dateFrom: dateOf(s.fields, "ДатаНачала"),
      dateTo: dateOf(s.fields, "ДатаКонца"),
      opening: sumOf(s.fields, "НачальныйОстаток", true),
      received: sumOf(s.fields, "ВсегоПоступило", false),
      writtenOff: sumOf(s.fields, "ВсегоСписано", false),
      closing: sumOf(s.fields, "КонечныйОстаток", true),
      fields: record(s.fields),
    };
    if (b.account !== "" && !accounts.includes(b.account)) accounts.push(b.account);
    if (b.opening && b.received && b.writtenOff && b.closing) {
      const expected = b.opening.plus(b.received).minus(b.writtenOff);
      if (!expected.eq(b.closing))
        warnings.push(
          `Секция СекцияРасчСчет в строке ${s.line}: остатки не сходятся — ${b.opening.toFixed(2)} + ` +
            `${b.received.toFixed(2)} − ${b.writtenOff.toFixed(2)} = ${expected.toFixed(2)}, а КонечныйОстаток ${b.closing.toFixed(2)}.`,
        );
    }
    balances.push(b);
  }
  for (const s of sections) if (s.kind === "document") documents.push(documentOf(s, accounts));

  return {
    version: version.value,
    encoding,
    declaredEncoding: enc.value,
    sender: text(header, "Отправитель"),
    receiver: text(header, "Получатель"),
    createdDate,
    createdTime,
    dateFrom,
    dateTo,
    accounts,
    documentKinds,
    balances,
    documents,
    warnings,
    header: record(header),
  };
}

function documentOf(s: OpenSection, accounts: readonly string[]): ExchangeDocument {
  const where = `документ «${s.docKind}» (строка ${s.line})`;
  const number = required(s.fields, "Номер", where, s.line).value;
  required(s.fields, "Дата", where, s.line);
  const date = dateOf(s.fields, "Дата")!;
  const sumField = required(s.fields, "Сумма", where, s.line);
  const sum = sumOf(s.fields, "Сумма", false)!;
  if (sum.isZero())
    throw new BankFileError(sumField.line, `${where}: сумма документа 0 — у платежа сумма должна быть больше нуля`);
  const payer = party(s.fields, "Плательщик");
  const recipient = party(s.fields, "Получатель");
  const receivedDate = dateOf(s.fields, "ДатаПоступило");
  const writtenOffDate = dateOf(s.fields, "ДатаСписано");
  let purpose = text(s.fields, "НазначениеПлатежа");
  if (purpose === "")
    purpose = [1, 2, 3, 4, 5, 6]
      .map((i) => text(s.fields, `НазначениеПлатежа${i}`))
      .filter((p) => p !== "")
      .join(" ");
  const ours = (p: BankParty) =>
    (p.account !== "" && accounts.includes(p.account)) ||
    (p.checkingAccount !== "" && accounts.includes(p.checkingAccount));
  const [toUs, fromUs] = [ours(recipient), ours(payer)];
  const direction: Direction =
    toUs && !fromUs
      ? "incoming"
      : fromUs && !toUs
        ? "outgoing"
        : receivedDate && !writtenOffDate
          ? "incoming"
          : writtenOffDate && !receivedDate
            ? "outgoing"
            : "unknown";
  const operationDate =
    (direction === "incoming" ? receivedDate : direction === "outgoing" ? writtenOffDate : null) ?? date;
  return {
    line: s.line,
    kind: s.docKind,
    number,
    date,
    sum,
    payer,
    recipient,
    purpose,
    receivedDate,
    writtenOffDate,
    direction,
    operationDate,
    paymentKind: text(s.fields, "ВидПлатежа"),
    operationKind: text(s.fields, "ВидОплаты"),
    priority: text(s.fields, "Очередность"),
    code: code(text(s.fields, "Код")),
    fields: record(s.fields),
  };
}
