/**
 * Amounts in Russian words, as printed forms and payment documents write them:
 * 13996.24 → «Тринадцать тысяч девятьсот девяносто шесть рублей 24 копейки».
 * Whole units in words (thousands feminine, millions and billions masculine), the fraction in
 * digits with the plural form of its unit. Input is a Decimal or a decimal string; never a float.
 */
import { Decimal } from "decimal.js";

const ONES_M = ["", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"];
const ONES_F = ["", "одна", "две", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"];
const TEENS = [
  "десять",
  "одиннадцать",
  "двенадцать",
  "тринадцать",
  "четырнадцать",
  "пятнадцать",
  "шестнадцать",
  "семнадцать",
  "восемнадцать",
  "девятнадцать",
];
const TENS = [
  "",
  "",
  "двадцать",
  "тридцать",
  "сорок",
  "пятьдесят",
  "шестьдесят",
  "семьдесят",
  "восемьдесят",
  "девяносто",
];
const HUNDREDS = [
  "",
  "сто",
  "двести",
  "триста",
  "четыреста",
  "пятьсот",
  "шестьсот",
  "семьсот",
  "восемьсот",
  "девятьсот",
];

/** Forms for 1, 2–4 and 5+ (and 11–14). */
export type PluralForms = readonly [string, string, string];

/** The plural form of a unit after the integer n: 1 рубль, 2 рубля, 5 рублей, 11 рублей, 21 рубль. */
export function plural(n: bigint | number, forms: PluralForms): string {
  const v = BigInt(n) < 0n ? -BigInt(n) : BigInt(n);
  const d100 = Number(v % 100n),
    d10 = Number(v % 10n);
  if (d100 >= 11 && d100 <= 14) return forms[2];
  if (d10 === 1) return forms[0];
  if (d10 >= 2 && d10 <= 4) return forms[1];
  return forms[2];
}

function triad(n: number, feminine: boolean): string[] {
  const out: string[] = [];
  const h = Math.floor(n / 100),
    t = Math.floor((n % 100) / 10),
    o = n % 10;
  if (h) out.push(HUNDREDS[h]);
  if (t === 1) out.push(TEENS[o]);
  else {
    if (t) out.push(TENS[t]);
    if (o) out.push((feminine ? ONES_F : ONES_M)[o]);
  }
  return out;
}

const SCALES: { forms: PluralForms; feminine: boolean }[] = [
  { forms: ["тысяча", "тысячи", "тысяч"], feminine: true },
  { forms: ["миллион", "миллиона", "миллионов"], feminine: false },
  { forms: ["миллиард", "миллиарда", "миллиардов"], feminine: false },
  { forms: ["триллион", "триллиона", "триллионов"], feminine: false },
];

/** A non-negative integer in words; `feminine` for the units of a feminine noun (одна копейка). */
export function integerWords(n: bigint, feminine = false): string {
  if (n < 0n) return "минус " + integerWords(-n, feminine);
  if (n === 0n) return "ноль";
  const parts: string[] = [];
  let scale = -1;
  for (let v = n; v > 0n; v /= 1000n, scale++) {
    const t = Number(v % 1000n);
    if (t === 0) continue;
    if (scale >= SCALES.length) throw new RangeError(`number too large for words: ${n}`);
    const words = triad(t, scale === -1 ? feminine : SCALES[scale].feminine);
    if (scale >= 0) words.push(plural(t, SCALES[scale].forms));
    parts.unshift(words.join(" "));
  }
  return parts.join(" ");
}

export interface CurrencyWords {
  major: PluralForms;
  minor: PluralForms;
  majorFeminine?: boolean;
}

export const RUBLES: CurrencyWords = { major: ["рубль", "рубля", "рублей"], minor: ["копейка", "копейки", "копеек"] };

/** «Тринадцать тысяч девятьсот девяносто шесть рублей 24 копейки» (rounded half up to the minor unit). */
export function amountInWords(value: Decimal | string | number, currency: CurrencyWords = RUBLES): string {
  const d = new Decimal(String(value)).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  const negative = d.isNegative() && !d.isZero();
  const abs = d.abs();
  const whole = BigInt(abs.floor().toFixed(0));
  const minor = Number(abs.minus(abs.floor()).times(100).toFixed(0));
  const text = `${integerWords(whole, currency.majorFeminine)} ${plural(whole, currency.major)} ${String(minor).padStart(2, "0")} ${plural(minor, currency.minor)}`;
  const s = (negative ? "минус " : "") + text;
  return s.charAt(0).toUpperCase() + s.slice(1);
}
