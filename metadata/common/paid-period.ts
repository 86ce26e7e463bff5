/**
 * The period a payer names for a payment (ГК РФ ст.319.1: «…в счёт того периода, который указан
 * им»; Пленум ВС РФ № 22 п.32: the period named in the payment document), read from the text the
 * payment came with — a pure function, no database:
 *  - the receipt's QR code (ГОСТ Р 56042-2014: "ST00012|Name=…|…|paymPeriod=MMYYYY|…", as
 *    reports/receipt/gost.ts writes it): its paymPeriod field (MMYYYY, or MM.YYYY); without it, its
 *    Purpose field read as a bank purpose;
 *  - a bank's purpose text: «за 01.2024», «за 1.2024», «за январь 2024», «за января 2024 г.»,
 *    «оплата за янв. 2024», «период 2024-01», «ЖКУ 01.2024».
 * Which mentions count: those after «за», «период» or «пер.» first; without any, a month named in
 * words with its year, or MM.YYYY (a dot, not part of a date such as 15.01.2024: «01.2024» there
 * is no period). Of several named months the earliest is taken (one period per payment; the rest
 * of the money goes oldest first anyway).
 * Answers { month: 'YYYY-MM-01' }, or { error } for a mention that is no month (13.2024, 00.2024,
 * a year outside 1990–2099, a QR paymPeriod not of MMYYYY) — the caller refuses with it, naming
 * the field — or null when the text names no period.
 */

export type PaidPeriod = { month: string } | { error: string } | null;

/** Month words: full forms (nominative, genitive) and the usual abbreviations. */
const MONTH_WORDS: [RegExp, number][] = [
  [/^(январ[ья]|янв)$/, 1],
  [/^(феврал[ья]|фев|февр)$/, 2],
  [/^(марта?|мар)$/, 3],
  [/^(апрел[ья]|апр)$/, 4],
  [/^(ма[йя])$/, 5],
  [/^(июн[ья]|июн)$/, 6],
  [/^(июл[ья]|июл)$/, 7],
  [/^(августа?|авг)$/, 8],
  [/^(сентябр[ья]|сен|сент)$/, 9],
  [/^(октябр[ья]|окт)$/, 10],
  [/^(ноябр[ья]|ноя|нояб)$/, 11],
  [/^(декабр[ья]|дек)$/, 12],
];

const KEYWORD = /(?:^|[^а-яёa-z])(за|период|пер\.)\s*:?\s*$/iu;

interface Mention {
  at: number;
  month: number;
  year: number;
  text: string;
  keyword: boolean;
  /** Numeric with a slash or dash: counted only after a keyword (a contract «№ 5/2024» is no period). */
  weak: boolean;
}

function monthOfWord(w: string): number | null {
  const word = w.toLowerCase().replace(/ё/g, "е");
  for (const [re, n] of MONTH_WORDS) if (re.test(word)) return n;
  return null;
}

function mentions(text: string): Mention[] {
  const out: Mention[] = [];
  const keywordBefore = (at: number) => KEYWORD.test(text.slice(Math.max(0, at - 12), at));
  // «январь 2024», «янв. 2024 г.», «января 2024года»
  for (const m of text.matchAll(/(?<![а-яёa-z])([а-яё]{3,8})\.?\s*(\d{4})(?!\d)/giu)) {
    const month = monthOfWord(m[1]);
    if (month === null) continue;
    const at = m.index ?? 0;
    out.push({ at, month, year: Number(m[2]), text: m[0], keyword: keywordBefore(at), weak: false });
  }
  // «01.2024», «1/2024», «01-2024» — not the tail of a date (15.01.2024) nor followed by more digits
  for (const m of text.matchAll(/(?<![\d.,/-])(\d{1,2})([./-])(\d{4})(?!\d|[./-]\d)/gu))
    out.push({
      at: m.index ?? 0,
      month: Number(m[1]),
      year: Number(m[3]),
      text: m[0],
      keyword: keywordBefore(m.index ?? 0),
      weak: m[2] !== ".",
    });
  // «2024-01» — not a whole date (2024-01-15)
  for (const m of text.matchAll(/(?<![\d.,/-])(\d{4})-(\d{2})(?![\d-])/gu))
    out.push({
      at: m.index ?? 0,
      month: Number(m[2]),
      year: Number(m[1]),
      text: m[0],
      keyword: keywordBefore(m.index ?? 0),
      weak: true,
    });
  return out.sort((a, b) => a.at - b.at);
}

const validYear = (y: number) => y >= 1990 && y <= 2099;
const iso = (year: number, month: number) => `${year}-${String(month).padStart(2, "0")}-01`;

function fromPurpose(text: string): PaidPeriod {
  const all = mentions(text);
  const named = all.filter((m) => m.keyword);
  const chosen = named.length > 0 ? named : all.filter((m) => !m.weak);
  if (chosen.length === 0) return null;
  const bad = chosen.find((m) => m.month < 1 || m.month > 12 || !validYear(m.year));
  if (bad) return { error: `«${bad.text.trim()}» — нет такого месяца` };
  return { month: chosen.map((m) => iso(m.year, m.month)).sort()[0] };
}

function fromQr(text: string): PaidPeriod {
  const fields = new Map<string, string>();
  for (const part of text.split("|").slice(1)) {
    const eq = part.indexOf("=");
    if (eq > 0) fields.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  const period = fields.get("paymperiod");
  if (period) {
    const m = /^(\d{2})\.?(\d{4})$/.exec(period);
    if (!m) return { error: `период QR-кода «paymPeriod=${period}» не в формате ММГГГГ` };
    const [month, year] = [Number(m[1]), Number(m[2])];
    if (month < 1 || month > 12 || !validYear(year)) return { error: `«paymPeriod=${period}» — нет такого месяца` };
    return { month: iso(year, month) };
  }
  const purpose = fields.get("purpose");
  return purpose ? fromPurpose(purpose) : null;
}

/** The named period of a payment's purpose text or QR code text (see the top of this file). */
export function paidPeriodFromText(text: string | null | undefined): PaidPeriod {
  const t = (text ?? "").trim();
  if (t === "") return null;
  return /^ST0001\d/i.test(t) ? fromQr(t) : fromPurpose(t);
}
