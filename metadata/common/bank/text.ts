/**
 * What the bank file readers share (exchange-read.ts, agent-registry.ts, exchange-write.ts): the
 * error they refuse a file with (the line number and a Russian reason naming what to fix), the
 * byte decoding (windows-1251, cp866, UTF-8 through iconv-lite), and the parsing of the Russian
 * dates and sums such files carry. Pure functions, no database.
 */
import { Decimal } from "decimal.js";
import iconv from "iconv-lite";

/**
 * A file that cannot be read as it is: `line` is the 1-based line of the file the problem is on
 * (0 when it concerns the whole file), `reason` says in Russian what is wrong and what to fix;
 * the message is «Строка N: reason».
 */
export class BankFileError extends Error {
  readonly line: number;
  readonly reason: string;
  constructor(line: number, reason: string) {
    super(line > 0 ? `Строка ${line}: ${reason}` : reason);
    this.name = "BankFileError";
    this.line = line;
    this.reason = reason;
  }
}

/** The encodings bank files come in (names as iconv-lite and WHATWG spell them). */
export type BankEncoding = "windows-1251" | "cp866" | "utf-8";

const ICONV: Record<BankEncoding, string> = { "windows-1251": "win1251", cp866: "cp866", "utf-8": "utf8" };

export const hasUtf8Bom = (b: Uint8Array) => b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;

/** The 1-based number of the first line whose bytes are not valid UTF-8, or 0 if all are. */
export function firstBadUtf8Line(bytes: Uint8Array): number {
  const fatal = new TextDecoder("utf-8", { fatal: true });
  try {
    fatal.decode(bytes);
    return 0;
  } catch {
    let line = 1;
    let start = 0;
    for (let i = 0; i <= bytes.length; i++) {
      if (i === bytes.length || bytes[i] === 0x0a) {
        try {
          fatal.decode(bytes.subarray(start, i));
        } catch {
          return line;
        }
        line++;
        start = i + 1;
      }
    }
    return line - 1;
  }
}

/** The file's text: UTF-8 checked strictly (a bad byte is refused with its line), BOM dropped. */
export function decodeBytes(bytes: Uint8Array, encoding: BankEncoding): string {
  if (encoding === "utf-8") {
    const bad = firstBadUtf8Line(bytes);
    if (bad > 0)
      throw new BankFileError(
        bad,
        "байты строки не в кодировке UTF-8 — файл испорчен или сохранен в другой кодировке; " +
          "сохраните его целиком в UTF-8 или Windows-1251",
      );
  }
  const text = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), ICONV[encoding]);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * The text as bytes of `encoding`; a character the encoding has no code for (an emoji, a Latin
 * letter with a diacritic in windows-1251…) is refused through `refuse(char)`, never replaced by «?».
 */
export function encodeText(text: string, encoding: BankEncoding, refuse: (char: string) => never): Buffer {
  const bytes = iconv.encode(text, ICONV[encoding]);
  if (encoding !== "utf-8" && iconv.decode(bytes, ICONV[encoding]) !== text) {
    for (const ch of text) if (iconv.decode(iconv.encode(ch, ICONV[encoding]), ICONV[encoding]) !== ch) refuse(ch);
  }
  return bytes;
}

/** Splits a text into lines on CR LF, LF or CR. */
export const splitLines = (text: string): string[] => text.split(/\r\n|\n|\r/);

const pad = (n: number, l = 2) => String(n).padStart(l, "0");

/** Whether y-m-d is a calendar date (years 1900–2199). */
export function isCalendarDate(y: number, m: number, d: number): boolean {
  if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** «ДД.ММ.ГГГГ» (day and month may be of one digit) as 'YYYY-MM-DD', or null if it is no date. */
export function russianDate(text: string): string | null {
  const m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text);
  if (!m) return null;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return isCalendarDate(y, mo, d) ? `${pad(y, 4)}-${pad(mo)}-${pad(d)}` : null;
}

/** 'YYYY-MM-DD' as «ДД.ММ.ГГГГ». */
export const toRussianDate = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;

/** «ЧЧ:ММ:СС» or «ЧЧ:ММ» as 'HH:MM:SS', or null. */
export function russianTime(text: string): string | null {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (!m) return null;
  const [h, mi, s] = [Number(m[1]), Number(m[2]), Number(m[3] ?? "0")];
  return h < 24 && mi < 60 && s < 60 ? `${pad(h)}:${pad(mi)}:${pad(s)}` : null;
}

/**
 * A money amount as written in bank files: digits with a dot or a comma before at most two
 * decimals (`1500`, `1500.5`, `1 500,00` when `spaces` allows digit groups), a minus when
 * `negative` allows it. Null when the text is no such amount.
 */
export function moneyText(text: string, opts: { negative?: boolean; spaces?: boolean } = {}): Decimal | null {
  let t = text.trim();
  if (opts.spaces) t = t.replace(/(?<=\d)[\s\u00a0\u202f](?=\d{3}(?!\d))/g, "");
  const re = opts.negative ? /^-?\d+(?:[.,]\d{1,2})?$/ : /^\d+(?:[.,]\d{1,2})?$/;
  if (!re.test(t)) return null;
  return new Decimal(t.replace(",", "."));
}
