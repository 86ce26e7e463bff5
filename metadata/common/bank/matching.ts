/**
 * Matching a bank statement's incoming line to whom it pays for — pure functions, no database
 * (the statement document looks the answers up):
 *  - the personal account number named in НазначениеПлатежа, by a configurable pattern (a regular
 *    expression with a named group `account`; DEFAULT_ACCOUNT_PATTERN reads «л/с 00000000001»,
 *    «ЛС:123», «л.с. № 123», «лиц.счет 123», «лицевой счет №00000000001»…). Several different
 *    numbers in one purpose are ambiguous: no account is taken, the line waits for a person;
 *  - the paid period the purpose names (metadata/common/paid-period.ts: «за ноябрь 2011», «10.2011»);
 *  - a legal payer by its ИНН (checked by its control digits), looked up in a map the caller builds.
 */
import { type PaidPeriod, paidPeriodFromText } from "../paid-period.ts";
import type { ExchangeDocument } from "./exchange-read.ts";

/**
 * The default pattern (flags i and u): a keyword — «л/с», «л.с.», «лс», «лиц. сч.», «лиц.счет»,
 * «л/сч», «лиц/сч», «лицевой счет», «лицевого счета» — then «:», «№» or spaces, then 3 to 12 digits not followed
 * by another digit. Not preceded by a letter or digit (so «КЛС 12345» or «Эл/с» do not count);
 * «лиц» is «лиц.» or «лицев…» (so «физ. лицо, счет 4567» — an invoice — does not count).
 */
export const DEFAULT_ACCOUNT_PATTERN =
  "(?<![\\p{L}\\d])(?:л\\s*[./]?\\s*с(?:ч[\\p{L}]*)?|лиц(?:ев[\\p{L}]*)?\\s*[./]?\\s*сч[\\p{L}]*)\\.?\\s*(?:[:№#N]\\s*)*(?<account>\\d{3,12})(?!\\d)";

/** A pattern that cannot be used (no group `account`, not a regular expression). */
export class AccountPatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AccountPatternError";
  }
}

/** The pattern compiled for searching (flags g, i, u); throws AccountPatternError naming what to fix. */
export function accountPattern(pattern: string | RegExp = DEFAULT_ACCOUNT_PATTERN): RegExp {
  let re: RegExp;
  try {
    const source = typeof pattern === "string" ? pattern : pattern.source;
    re = new RegExp(source, "giu");
  } catch (e) {
    throw new AccountPatternError(
      `Шаблон номера лицевого счета — не регулярное выражение: ${(e as Error).message}. Исправьте шаблон в настройках`,
    );
  }
  if (!/\(\?<account>/.test(re.source))
    throw new AccountPatternError(
      "В шаблоне номера лицевого счета нет именованной группы (?<account>…) — укажите ею, где в назначении платежа номер счета",
    );
  return re;
}

export type AccountInPurpose =
  /** One number (perhaps named more than once). */
  | { account: string; at: number; text: string }
  /** Several different numbers: not matched, a person decides. */
  | { ambiguous: string[] }
  | null;

const compiled = new Map<string, RegExp>();
function cached(pattern: string | RegExp | undefined): RegExp {
  const key = pattern === undefined ? DEFAULT_ACCOUNT_PATTERN : typeof pattern === "string" ? pattern : pattern.source;
  let re = compiled.get(key);
  if (!re) {
    re = accountPattern(key);
    if (compiled.size > 100) compiled.clear();
    compiled.set(key, re);
  }
  return re;
}

/** The personal account number the purpose names (see the top of this file). */
export function accountFromPurpose(purpose: string | null | undefined, pattern?: string | RegExp): AccountInPurpose {
  const re = cached(pattern);
  const found = [...(purpose ?? "").matchAll(re)]
    .map((m) => ({ account: m.groups?.account ?? "", at: m.index ?? 0, text: m[0] }))
    .filter((m) => m.account !== "");
  if (found.length === 0) return null;
  const distinct = [...new Set(found.map((m) => m.account))];
  return distinct.length === 1 ? found[0] : { ambiguous: distinct };
}

/** The paid period the purpose names: { month: 'YYYY-MM-01' }, { error }, or null. */
export const periodFromPurpose = (purpose: string | null | undefined): PaidPeriod => paidPeriodFromText(purpose);

/** Whether `inn` is an ИНН with the right control digits (10 digits of an organization, 12 of a person). */
export function isValidInn(inn: string): boolean {
  if (!/^(\d{10}|\d{12})$/.test(inn) || /^0+$/.test(inn)) return false;
  const d = [...inn].map(Number);
  const check = (weights: number[]) => (weights.reduce((s, w, i) => s + w * d[i], 0) % 11) % 10;
  if (inn.length === 10) return check([2, 4, 10, 3, 5, 9, 4, 6, 8]) === d[9];
  return check([7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) === d[10] && check([3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) === d[11];
}

/** Whether `inn` is a legal entity's ИНН (10 digits, right control digit). */
export const isLegalInn = (inn: string) => inn.length === 10 && isValidInn(inn);

/**
 * The counterparty (whatever the caller keeps: an id, a row) a payer's ИНН belongs to, or null:
 * only a valid ИНН is looked up («0», empty or a mistyped one finds nobody).
 */
export function legalPayerByInn<T>(inn: string | null | undefined, byInn: ReadonlyMap<string, T>): T | null {
  const key = (inn ?? "").trim();
  if (!isValidInn(key)) return null;
  return byInn.get(key) ?? null;
}

export interface PurposeMatch {
  /** The account number named, or null (none, or ambiguous). */
  account: string | null;
  /** The different numbers when more than one was named (then `account` is null). */
  ambiguousAccounts: string[];
  /** The month paid for, 'YYYY-MM-01', or null. */
  period: string | null;
  /** Why the period named is no month («13.2011 — нет такого месяца»), or null. */
  periodError: string | null;
}

/** Account and period of a purpose text; the account's own text is not read as a period. */
export function matchPurpose(purpose: string | null | undefined, pattern?: string | RegExp): PurposeMatch {
  const text = purpose ?? "";
  const acc = accountFromPurpose(text, pattern);
  const rest =
    acc && "account" in acc
      ? text.slice(0, acc.at) + " ".repeat(acc.text.length) + text.slice(acc.at + acc.text.length)
      : text;
  const period = periodFromPurpose(rest);
  return {
    account: acc && "account" in acc ? acc.account : null,
    ambiguousAccounts: acc && "ambiguous" in acc ? acc.ambiguous : [],
    period: period && "month" in period ? period.month : null,
    periodError: period && "error" in period ? period.error : null,
  };
}

export interface LineMatch extends PurposeMatch {
  /** The payer's ИНН when it is a valid one ("0" and mistyped ones are null). */
  payerInn: string | null;
}

/** What an incoming statement line names: the account and period of its purpose, its payer's ИНН. */
export function matchDocument(doc: Pick<ExchangeDocument, "purpose" | "payer">, pattern?: string | RegExp): LineMatch {
  return { ...matchPurpose(doc.purpose, pattern), payerInn: isValidInn(doc.payer.inn) ? doc.payer.inn : null };
}
