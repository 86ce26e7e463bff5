/**
 * The reader of a payment agent's register (реестр платежей платежного агента: a post office, a
 * bank's cash desks, a payment terminal network): a text file of lines
 *
 *     account;period;sum;commission;date
 *     00000000001;11.2011;1994,77;19,95;24.11.2011
 *
 * with «;» between the columns, an optional header line (a first line whose sum column is no
 * amount: «Лицевой счет;Период;Сумма;Комиссия;Дата»), in windows-1251 or UTF-8 (told apart by
 * the bytes: a BOM, or bytes that are valid UTF-8), a decimal comma or dot (digit groups may be
 * split by spaces: «1 994,77»), cells optionally in double quotes. The period is ММ.ГГГГ, ММ/ГГГГ,
 * ГГГГ-ММ, ММГГГГ or a date (its month), or empty; the commission may be empty (0); the date is
 * ДД.ММ.ГГГГ (a time after it is ignored) or ГГГГ-ММ-ДД, or empty. A closing line «Итого;…»
 * (or «Всего») is checked against the lines' sum and commission, and not returned as a payment.
 * A line that is none of these is refused with a BankFileError naming the line and the column.
 * Pure: bytes in, objects out.
 */
import { Decimal } from "decimal.js";
import {
  BankFileError,
  type BankEncoding,
  decodeBytes,
  firstBadUtf8Line,
  hasUtf8Bom,
  isCalendarDate,
  moneyText,
  russianDate,
  splitLines,
} from "./text.ts";

export interface AgentRegistryLine {
  /** The line of the file (1-based). */
  line: number;
  /** The personal account number as written. */
  account: string;
  /** 'YYYY-MM-01', or null when the column is empty. */
  period: string | null;
  /** The sum the payer paid, > 0. */
  sum: Decimal;
  /** The agent's commission (0 when empty), ≤ sum. */
  commission: Decimal;
  /** 'YYYY-MM-DD', or null when the column is empty. */
  date: string | null;
}

export interface AgentRegistry {
  encoding: BankEncoding;
  /** Whether the first line was a header. */
  header: boolean;
  lines: AgentRegistryLine[];
  /** Σ sum and Σ commission of the lines. */
  total: { sum: Decimal; commission: Decimal };
}

/** windows-1251 unless the bytes have a UTF-8 BOM or are valid UTF-8 with some non-ASCII byte. */
export function detectRegistryEncoding(bytes: Uint8Array): BankEncoding {
  if (hasUtf8Bom(bytes)) return "utf-8";
  if (!bytes.some((b) => b >= 0x80)) return "utf-8";
  return firstBadUtf8Line(bytes) === 0 ? "utf-8" : "windows-1251";
}

/** The cells of a line split on «;», with "…" quoting ("" inside quotes is one quote). */
export function splitCells(line: string): string[] | null {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    let cell = "";
    while (line[i] === " " || line[i] === "\t") i++;
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) return null; // unclosed quote
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        cell += line[i++];
      }
      while (line[i] === " " || line[i] === "\t") i++;
      if (i < line.length && line[i] !== ";") return null; // text after the closing quote
    } else {
      const end = line.indexOf(";", i);
      cell = line.slice(i, end < 0 ? line.length : end);
      i = end < 0 ? line.length : end;
    }
    cells.push(cell.trim());
    if (i >= line.length) return cells;
    i++; // the «;»
  }
}

const pad = (n: number) => String(n).padStart(2, "0");

/** A period cell as 'YYYY-MM-01', or null when it is none. */
export function registryPeriod(text: string): string | null {
  const t = text.trim();
  let m: RegExpExecArray | null;
  let month: number;
  let year: number;
  if ((m = /^(\d{1,2})[./-](\d{4})$/.exec(t))) [month, year] = [Number(m[1]), Number(m[2])];
  else if ((m = /^(\d{4})-(\d{1,2})$/.exec(t))) [year, month] = [Number(m[1]), Number(m[2])];
  else if ((m = /^(\d{2})(\d{4})$/.exec(t))) [month, year] = [Number(m[1]), Number(m[2])];
  else {
    const d = registryDate(t);
    return d ? `${d.slice(0, 7)}-01` : null;
  }
  return isCalendarDate(year, month, 1) ? `${year}-${pad(month)}-01` : null;
}

/** A date cell as 'YYYY-MM-DD' (ДД.ММ.ГГГГ with an optional time after it, or ГГГГ-ММ-ДД), or null. */
export function registryDate(text: string): string | null {
  const t = text.trim().split(/[\sT]/)[0];
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (iso) return isCalendarDate(Number(iso[1]), Number(iso[2]), Number(iso[3])) ? t : null;
  return russianDate(t);
}

const money = (t: string) => moneyText(t, { spaces: true });
const TOTAL = /^(итого|всего)(?!\p{L})/iu;
const show = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

/** Reads a payment agent's register (see the top of this file). */
export function readAgentRegistry(bytes: Uint8Array): AgentRegistry {
  const encoding = detectRegistryEncoding(bytes);
  const rows = splitLines(decodeBytes(bytes, encoding));
  const lines: AgentRegistryLine[] = [];
  let header = false;
  let sum = new Decimal(0);
  let commission = new Decimal(0);
  let totalSeen = 0;
  let first = true;

  for (let i = 0; i < rows.length; i++) {
    const n = i + 1;
    const raw = rows[i].trim();
    if (raw === "") continue;
    if (totalSeen)
      throw new BankFileError(
        n,
        `после строки итогов (строка ${totalSeen}) есть еще строка «${show(raw)}» — итоги должны быть последней строкой`,
      );
    const cells = splitCells(raw);
    if (!cells)
      throw new BankFileError(n, "кавычка не закрыта или после закрывающей кавычки текст — исправьте кавычки в строке");
    while (cells.length > 5 && cells[cells.length - 1] === "") cells.pop(); // «…;24.11.2011;»
    if (first) {
      first = false;
      // a header names its columns: no digit in the account column, no amount in the sum column
      if (cells.length >= 3 && !/\d/.test(cells[0]) && !TOTAL.test(cells[0]) && money(cells[2]) === null) {
        header = true;
        continue;
      }
    }
    if (TOTAL.test(cells[0])) {
      totalSeen = n;
      const s = cells.length > 2 && cells[2] !== "" ? money(cells[2]) : null;
      if (s && !s.eq(sum))
        throw new BankFileError(
          n,
          `итог по суммам ${s.toFixed(2)}, а строки реестра дают ${sum.toFixed(2)} — реестр неполон или испорчен, запросите его у агента еще раз`,
        );
      const c = cells.length > 3 && cells[3] !== "" ? money(cells[3]) : null;
      if (c && !c.eq(commission))
        throw new BankFileError(
          n,
          `итог по комиссии ${c.toFixed(2)}, а строки реестра дают ${commission.toFixed(2)} — реестр неполон или испорчен`,
        );
      continue;
    }
    if (cells.length !== 5)
      throw new BankFileError(
        n,
        `${cells.length} ${cells.length === 1 ? "колонка" : cells.length < 5 ? "колонки" : "колонок"} вместо пяти: ` +
          "нужно «лицевой счет;период;сумма;комиссия;дата» через точку с запятой",
      );
    const [account, periodText, sumText, commissionText, dateText] = cells;
    if (account === "") throw new BankFileError(n, "не заполнен лицевой счет (первая колонка)");
    if (/\s/.test(account))
      throw new BankFileError(
        n,
        `лицевой счет «${show(account)}» с пробелом — в первой колонке нужен один номер счета`,
      );
    const period = periodText === "" ? null : registryPeriod(periodText);
    if (periodText !== "" && period === null)
      throw new BankFileError(
        n,
        `период «${show(periodText)}» (вторая колонка) — не месяц: нужно ММ.ГГГГ, например 11.2011`,
      );
    const lineSum = money(sumText);
    if (lineSum === null || lineSum.isZero())
      throw new BankFileError(
        n,
        `сумма «${show(sumText)}» (третья колонка) — нужна сумма больше нуля с копейками через запятую, например 1994,77`,
      );
    const lineCommission = commissionText === "" ? new Decimal(0) : money(commissionText);
    if (lineCommission === null)
      throw new BankFileError(
        n,
        `комиссия «${show(commissionText)}» (четвертая колонка) — не сумма: нужно, например, 19,95 или пусто`,
      );
    if (lineCommission.gt(lineSum))
      throw new BankFileError(
        n,
        `комиссия ${lineCommission.toFixed(2)} больше суммы платежа ${lineSum.toFixed(2)} — проверьте колонки`,
      );
    const date = dateText === "" ? null : registryDate(dateText);
    if (dateText !== "" && date === null)
      throw new BankFileError(n, `дата «${show(dateText)}» (пятая колонка) — не дата: нужно ДД.ММ.ГГГГ`);
    sum = sum.plus(lineSum);
    commission = commission.plus(lineCommission);
    lines.push({ line: n, account, period, sum: lineSum, commission: lineCommission, date });
  }
  if (lines.length === 0) throw new BankFileError(0, "в реестре нет ни одного платежа — проверьте, тот ли файл выбран");
  return { encoding, header, lines, total: { sum, commission } };
}
